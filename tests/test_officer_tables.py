"""Tables as officers make them: nothing lost, tolerant headers and cells, separators, encodings, notation."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import tdplan
from tdplan import Status
from tdplan.analysis.cells import cell_notation, column_notation, group_cell, year_cell
from tdplan.analysis.reading import count_cell, find_columns, header_reading, read_table
from tdplan.reports.content import unreported
from tdplan.reports.render import render

PLAN = tdplan.load_plan()


TONES = "\u0300\u0301\u0303\u0309\u0323"  # the tone marks Windows-1258 writes as combining characters


def windows_vietnamese(text: str) -> bytes:
    """Text as Vietnamese Windows saves it (cp1258): letters precomposed where it can, tone marks combining."""
    import unicodedata

    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(part for part in parts if part not in TONES))
        out.append(base + "".join(part for part in parts if part in TONES))
    return "".join(out).encode("cp1258")


def statuses(card: tdplan.Scorecard) -> list[str | None]:
    """Each row's status name, or None for a problem."""
    return [row.status.name if row.status else None for row in card.rows]


class TestNothingLost:
    """No figure is cut, no column dropped in silence, no failed indicator shown as having no figures."""

    def test_split_value_is_a_row_problem(self, tmp_path: Path) -> None:
        """`3,2025,Bản Bo,16,5` in a comma file is a problem naming the split, never 16‰ met."""
        path = tmp_path / "bang.csv"
        path.write_text("chỉ tiêu,năm,xã,giá trị\n3,2025,Bản Bo,16,5\n", encoding="utf-8")
        card = PLAN.assess_table(path)
        assert [None] == statuses(card)
        message = card.problems[0].message("en")
        assert "'5'" in message
        assert "quotes" in message
        assert "';'" in message

    def test_split_value_in_vietnamese(self, tmp_path: Path) -> None:
        """The problem says what to do in Vietnamese too."""
        path = tmp_path / "bang.csv"
        path.write_text("chỉ tiêu,năm,xã,giá trị\n3,2025,Bản Bo,16,5\n", encoding="utf-8")
        card = PLAN.assess_table(path)
        report = render(card, "table", lang="vi")
        assert "dòng 1:" in report

    def test_quoted_value_is_read(self, tmp_path: Path) -> None:
        """The same figure quoted is 16,5‰ < 18‰: met."""
        path = tmp_path / "bang.csv"
        path.write_text('chỉ tiêu,năm,xã,giá trị\n3,2025,Bản Bo,"16,5"\n', encoding="utf-8")
        card = PLAN.assess_table(path)
        assert ["MET"] == statuses(card)

    def test_trailing_empty_columns_and_rows(self, tmp_path: Path) -> None:
        """The `;;` and empty lines a spreadsheet leaves are not columns, rows or errors."""
        path = tmp_path / "bang.csv"
        path.write_text("Chỉ tiêu;Năm;Giá trị;;\n3;2025;16,5;;\n9;2025;98;;\n;;;;\n;;;;\n", encoding="utf-8")
        card = PLAN.assess_table(path)
        assert ("Chỉ tiêu", "Năm", "Giá trị") == card.columns
        assert ["MET", "MET"] == statuses(card)

    def test_ignored_columns_named(self) -> None:
        """Every column tdplan does not read is named on the scorecard, in table order."""
        rows = [{"STT": 1, "Chỉ tiêu": "3", "Năm": 2025, "Giá trị": "16,5", "Nguồn": "TYT", "Ghi chú": ""}]
        card = PLAN.assess_table(rows)
        assert ("STT", "Nguồn", "Ghi chú") == card.ignored_columns

    @pytest.mark.parametrize("fmt", ["table", "md", "html", "json"])
    def test_ignored_columns_in_every_format(self, fmt: str) -> None:
        """Each report format names the unused column."""
        card = PLAN.assess_table([{"Chỉ tiêu": "3", "Năm": 2025, "Giá trị": "16,5", "Nguồn dữ liệu": "TYT"}])
        assert "Nguồn dữ liệu" in render(card, fmt)

    def test_failed_indicator_is_not_no_data(self) -> None:
        """An indicator whose rows all failed is shown with its rows' numbers as data problems, not 'no figures'."""
        card = PLAN.assess_table(
            [
                {"chỉ tiêu": "9", "năm": 2025, "giá trị": "98"},
                {"chỉ tiêu": "3", "năm": 2025, "giá trị": "abc"},
                {"chỉ tiêu": "3", "năm": 2025, "giá trị": "xyz"},
            ]
        )
        assert {"3": (2, 3)} == card.problem_rows()
        table = render(card, "table")
        assert "3: lỗi số liệu ở dòng 2, 3" in table
        assert "3" not in [indicator.id for indicator in unreported(card)]
        assert "lỗi số liệu ở dòng 2, 3" in render(card, "md")
        assert "lỗi số liệu ở dòng 2, 3" in render(card, "html")
        document = json.loads(render(card, "json"))
        entry = next(item for item in document["indicators"] if item["id"] == "3")
        assert ([], [2, 3]) == (entry["rows"], entry["problem_rows"])

    def test_no_data_means_no_row(self) -> None:
        """An indicator no row names stays 'no figures'."""
        card = PLAN.assess_table([{"chỉ tiêu": "9", "năm": 2025, "giá trị": "98"}])
        assert "3" in [indicator.id for indicator in unreported(card)]


class TestHeaders:
    """Headers compared without case, accents' form, spacing and punctuation; the usual Vietnamese ones known."""

    @pytest.mark.parametrize(
        ("header", "column"),
        [
            ("Xã", "area"),
            ("Xã, thị trấn", "area"),
            ("Xã/phường", "area"),
            ("Địa bàn", "area"),
            ("Đơn vị", "area"),
            ("Đơn vị báo cáo", "area"),
            ("Đơn vị tính", "unit"),
            ("ĐVT", "unit"),
            ("Năm", "year"),
            ("Năm báo cáo", "year"),
            ("Kỳ báo cáo", "period"),
            ("Chỉ tiêu", "indicator"),
            ("Mã chỉ tiêu", "indicator"),
            ("STT", None),
            ("Giá trị", "value"),
            ("Số liệu", "value"),
            ("Kết quả thực hiện", "value"),
            ("Tử số", "numerator"),
            ("Mẫu số", "denominator"),
            ("Khu vực", "residence"),
            ("Nhóm tuổi", "age"),
            ("Tỷ lệ (%)", "value"),
            ("Tỷ suất (‰)", "value"),
            ("  GIÁ   TRỊ ", "value"),
            ("Reporting year", "year"),
            ("Age group", "age"),
            ("Unit of measure", "unit"),
        ],
    )
    def test_known_headers(self, header: str, column: str | None) -> None:
        """Each usual header names its column."""
        assert column == header_reading(header)

    def test_decomposed_accents(self) -> None:
        """A header typed with combining accents (NFD) reads as its composed form."""
        import unicodedata

        assert "area" == header_reading(unicodedata.normalize("NFD", "Địa bàn"))

    def test_unit_in_brackets(self) -> None:
        """`Tỷ suất (‰)` holds values in per mille: a bare 16,5 there is 16,5‰."""
        card = PLAN.assess_table([{"Chỉ tiêu": "3", "Năm": 2025, "Tỷ suất (‰)": "16,5"}])
        assert ("16.5", "MET") == (str(card.rows[0].assessment.value), card.rows[0].status.name)  # type: ignore[union-attr]

    def test_percent_header_converts(self) -> None:
        """`Tỷ lệ (%)` with 1,8 for indicator 3 is 1,8 % = 18‰: not below 18‰."""
        card = PLAN.assess_table([{"Chỉ tiêu": "3", "Năm": 2025, "Tỷ lệ (%)": "1,8"}])
        assert ["NOT_MET"] == statuses(card)

    def test_two_readings_is_an_error(self) -> None:
        """A header that could be the year or the period names both."""
        with pytest.raises(tdplan.InputTypeError, match="the year or the period"):
            header_reading("Năm/Kỳ")

    def test_code_wins_over_name(self) -> None:
        """With `Mã chỉ tiêu` and `Chỉ tiêu`, the code is the indicator and the name is not read."""
        found = find_columns(["Mã chỉ tiêu", "Chỉ tiêu", "Năm", "Giá trị"])
        assert "Mã chỉ tiêu" == found["indicator"]

    def test_two_columns_for_one(self) -> None:
        """Two area columns are an error naming both."""
        with pytest.raises(tdplan.InputTypeError, match="'Xã' and 'Địa bàn'"):
            find_columns(["Chỉ tiêu", "Năm", "Giá trị", "Xã", "Địa bàn"])

    def test_missing_column_points_to_the_docs(self) -> None:
        """An unrecognised table's error names docs/tables.md."""
        with pytest.raises(tdplan.InputTypeError, match=r"docs/tables\.md"):
            find_columns(["A", "B"])

    def test_title_rows_above_the_header(self) -> None:
        """Title lines above the header are passed over."""
        text = "BÁO CÁO SỐ LIỆU TRẺ EM;;\nNăm 2025;;\n\nChỉ tiêu;Năm;Giá trị\n3;2025;16,5\n"
        names, _, numbers = read_table(io.StringIO(text))
        assert (["Chỉ tiêu", "Năm", "Giá trị"], [1]) == (names, numbers)


class TestCells:
    """Years, counts and groups as written."""

    def test_year_words(self) -> None:
        """`Năm 2025` is the year 2025."""
        assert 2025 == year_cell("Năm 2025")

    def test_not_a_year(self) -> None:
        """A year that is not a whole number is asked for as a year (not as a count), in each language."""
        with pytest.raises(tdplan.InputTypeError) as caught:
            year_cell("Năm sau")
        assert ("'Năm sau' không phải là năm: hãy viết như 2025", "'Năm sau' is not a year: write it as 2025") == (
            caught.value.message("vi"),
            caught.value.message("en"),
        )

    def test_missing_time(self) -> None:
        """pandas' NaT for a year (a datetime whose date is NaT): the row's problem says so in each language (its
        message recursed until a RecursionError)."""
        pandas = pytest.importorskip("pandas")
        card = tdplan.assess_table(PLAN, [{"indicator": "9", "value": "95,5%", "year": pandas.NaT}])
        problem = card.problems[0]
        assert ("NaT không phải là năm: hãy viết như 2025", "NaT is not a year: write it as 2025") == (
            problem.message("vi"),
            problem.message("en"),
        )

    @pytest.mark.parametrize(("text", "count"), [("2.500", 2500), ("2,500", 2500), ("2 500", 2500), ("12", 12)])
    def test_counts_with_groups(self, text: str, count: int) -> None:
        """Counts in either notation: 2.500 is two thousand five hundred."""
        assert count == count_cell(text, "denominator")

    def test_not_a_count(self) -> None:
        """2,5 is not a count."""
        with pytest.raises(tdplan.InputTypeError):
            count_cell("2,5", "numerator")

    @pytest.mark.parametrize(
        ("column", "text", "code"),
        [
            ("residence", "nông thôn", "rural"),
            ("residence", "Thành thị", "urban"),
            ("residence", "rural", "rural"),
            ("age", "2-3 tuổi", "2-3"),
            ("age", "2–3", "2-3"),
            ("age", "3 - 5 tuổi", "3-5"),
        ],
    )
    def test_groups(self, column: str, text: str, code: str) -> None:
        """Groups in Vietnamese read as the plan's codes."""
        assert code == group_cell(column, text)

    def test_groups_assessed(self) -> None:
        """Indicator 8 for `nông thôn`: 0,05 % against its rural target (< 0,1 % in 2025) is met."""
        card = PLAN.assess_table([{"Chỉ tiêu": "8", "Năm": "Năm 2025", "Khu vực": "Nông thôn", "Giá trị": "0,05%"}])
        assert ["MET"] == statuses(card)

    def test_counts_in_vietnamese_notation(self) -> None:
        """45 of 2.500 births is 18‰ for indicator 3: not below 18‰; the counts travel into the JSON row."""
        card = PLAN.assess_table([{"Chỉ tiêu": "3", "Năm": 2025, "Tử số": "45", "Mẫu số": "2.500"}])
        assert ["NOT_MET"] == statuses(card)
        row = json.loads(render(card, "json"))["rows"][0]
        assert (45, 2500) == (row["numerator"], row["denominator"])


class TestNotation:
    """A value column's decimal notation: inferred from unambiguous cells, or given."""

    @pytest.mark.parametrize(
        ("text", "notation"),
        [("16,5", "vi"), ("16.5", "en"), ("41.213", None), ("1.234,5", "vi"), ("1,234.5", "en"), ("0.500", "en")],
    )
    def test_cell_notation(self, text: str, notation: str | None) -> None:
        """A thousands group has exactly three digits after a one-to-three-digit head."""
        assert notation == cell_notation(text)

    def test_ambiguous_cell_read_in_column_notation(self) -> None:
        """`41.213` per 100,000 in a column that writes 16.5 is 41.213, assessed, not refused."""
        card = PLAN.assess_table(
            [
                {"indicator": "3", "year": 2025, "value": "16.5"},
                {"indicator": "15", "year": 2025, "value": "41.213"},
            ]
        )
        assert "41.213" == str(card.rows[1].assessment.value)  # type: ignore[union-attr]

    def test_given_notation(self) -> None:
        """decimal=',' reads `41.213` as 41213 per 100,000, which is more than a target allows."""
        card = PLAN.assess_table([{"indicator": "15", "year": 2025, "value": "41.213"}], decimal=",")
        assert "41213" == str(card.rows[0].assessment.value)  # type: ignore[union-attr]

    def test_mixed_notation_names_rows(self) -> None:
        """A column with 16,5 and 16.5 is an error naming the rows of each."""
        with pytest.raises(tdplan.InputTypeError, match=r"rows 1 write a decimal comma .* rows 2 a decimal point"):
            column_notation([(1, "16,5"), (2, "16.5")])

    def test_unknown_decimal_sign(self) -> None:
        """decimal= is ',' or '.'."""
        with pytest.raises(tdplan.InputTypeError, match="decimal sign"):
            PLAN.assess_table([{"indicator": "3", "year": 2025, "value": "16"}], decimal=";")

    def test_csv_and_frame_agree(self, tmp_path: Path) -> None:
        """The same table is assessed the same from its CSV and from a DataFrame."""
        import pandas as pd

        frame = pd.DataFrame({"indicator": ["15", "15", "3"], "year": [2025] * 3, "value": ["41.213", "20.5", "16.5"]})
        path = tmp_path / "bang.csv"
        frame.to_csv(path, index=False)
        assert statuses(PLAN.assess_table(frame)) == statuses(PLAN.assess_table(path))


class TestSeparatorsAndEncodings:
    """`;`, `,` and tab; UTF-8 with or without BOM, and Windows' Vietnamese code page."""

    TEXT = "Chỉ tiêu{s}Năm{s}Xã{s}Giá trị\n3{s}2025{s}Bản Bo{s}{v}\n"

    @pytest.mark.parametrize(("separator", "value"), [(";", "16,5"), (",", '"16,5"'), ("\t", "16,5")])
    def test_separators(self, tmp_path: Path, separator: str, value: str) -> None:
        """Each separator is found from the header."""
        path = tmp_path / "bang.csv"
        path.write_text(self.TEXT.format(s=separator, v=value), encoding="utf-8")
        card = PLAN.assess_table(path)
        assert (["MET"], "Bản Bo") == (statuses(card), card.rows[0].area)

    def test_header_with_comma_in_semicolon_file(self, tmp_path: Path) -> None:
        """`Xã, thị trấn` in a `;` file is one header."""
        path = tmp_path / "bang.csv"
        path.write_text("Xã, thị trấn;Chỉ tiêu;Năm;Giá trị\nBản Bo;3;2025;16,5\n", encoding="utf-8")
        assert "Bản Bo" == PLAN.assess_table(path).rows[0].area

    @pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1258", "utf-16"])
    def test_encodings(self, tmp_path: Path, encoding: str) -> None:
        """A table saved in each encoding reads with its Vietnamese intact."""
        path = tmp_path / "bang.csv"
        text = self.TEXT.format(s=";", v="16,5")
        path.write_bytes(windows_vietnamese(text) if encoding == "cp1258" else text.encode(encoding))
        card = PLAN.assess_table(path)
        assert (Status.MET, "Bản Bo") == (card.rows[0].status, card.rows[0].area)
