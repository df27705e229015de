"""Edges of reading tables: short rows, --sheet / sheet= given for a CSV file, and what is not a table."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tdplan
from tdplan.analysis import chunked, tables
from tdplan.analysis.reading import read_table
from tdplan.core.units import unit_registry

PLAN = tdplan.load_plan()
HEADER = "chỉ tiêu;năm;tử số;mẫu số;giá trị;địa bàn;ghi chú"


def statuses(card: tdplan.Scorecard) -> list[str | None]:
    return [None if row.status is None else row.status.value for row in card.rows]


class TestShortRows:
    """A CSV row with fewer cells than its header."""

    def write(self, tmp_path: Path, *rows: str) -> Path:
        path = tmp_path / "bang.csv"
        path.write_text("\n".join([HEADER, *rows]) + "\n", "utf-8")
        return path

    def test_trailing_empty_cells_left_out(self, tmp_path: Path) -> None:
        """A row whose missing last cells are an area and a note (Excel leaves empty ones out) is read: 4/250 is 16‰."""
        card = PLAN.assess_table(self.write(tmp_path, "3;2025;4;250", "3;2025;;;16,5"))
        assert ["met", "met"] == statuses(card)
        assert [Decimal("16"), Decimal("16.5")] == [row.assessment.value for row in card.rows]
        assert [None, None] == [row.area for row in card.rows]

    def test_missing_value_cell_is_a_problem(self, tmp_path: Path) -> None:
        """A row that ends before its value (and denominator) is a row problem naming those columns."""
        card = PLAN.assess_table(self.write(tmp_path, "3;2025;4"))
        problem = card.problems[0]
        assert ("missing_cells", 1) == (problem.code, problem.row)
        assert "'mẫu số', 'giá trị'" in problem.message("en")
        assert "dòng không có ô ở cột 'mẫu số', 'giá trị'" in problem.message("vi")

    def test_missing_year_cell_is_a_problem(self, tmp_path: Path) -> None:
        """A row of only an indicator lacks its year, counts and value: every one is named."""
        problem = PLAN.assess_table(self.write(tmp_path, "3")).problems[0]
        assert "'năm', 'tử số', 'mẫu số', 'giá trị'" in problem.message("en")

    def test_empty_cells_are_not_missing(self, tmp_path: Path) -> None:
        """Cells written empty (separators kept) are empty, not missing: the row has no value, said as before."""
        problem = PLAN.assess_table(self.write(tmp_path, "3;2025;;;;;")).problems[0]
        assert "missing_cells" != problem.code
        assert "the row has no value" in problem.message("en")

    def test_row_numbers_kept(self, tmp_path: Path) -> None:
        """A short row between full ones keeps every row's number, and nothing is dropped."""
        card = PLAN.assess_table(self.write(tmp_path, "3;2025;;;16,5;Bản Bo;x", "3;2025", "3;2025;;;19;Bản Bo;y"))
        assert [1, 2, 3] == [row.row for row in card.rows]
        assert ["met", None, "not_met"] == statuses(card)

    def test_command_line_in_vietnamese(self, tmp_path: Path) -> None:
        """tdplan report says which cells are missing, in Vietnamese, and exits 1."""
        path = self.write(tmp_path, "3;2025;4")
        command = [sys.executable, "-m", "tdplan", "report", str(path), "--lang", "vi", "--format", "json"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert 1 == result.returncode
        assert "dòng 1: dòng không có ô ở cột 'mẫu số', 'giá trị'" in result.stderr

    def test_mappings_without_a_key(self) -> None:
        """A row given as a mapping without the value's key lacks that cell too, as a short CSV row does."""
        rows = [{"chỉ tiêu": "3", "năm": 2025, "giá trị": "16,5"}, {"chỉ tiêu": "3", "năm": 2025}]
        card = PLAN.assess_table(rows)
        assert ["met", None] == statuses(card)
        assert "missing_cells" == card.problems[0].code


class TestPyarrowReader:
    """chunked.read_csv_columns reads a CSV file's cells exactly as the standard reader does, or declines."""

    def test_examples(self, tmp_path: Path) -> None:
        """Quoted separators, line ends and quotes are inside a cell; a short row makes it decline."""
        pytest.importorskip("pyarrow")
        path = tmp_path / "q.csv"
        path.write_bytes(b'indicator;value;year\r\n3;"16,5;x";2025\r\n9;"a\nb ""c""";2030')
        read = chunked.read_csv_columns(path)
        assert read is not None
        assert (["3", "9"], ["16,5;x", 'a\nb "c"'], ["2025", "2030"]) == tuple(
            list(read.columns[name]) for name in ("indicator", "value", "year")
        )
        path.write_bytes(b"indicator;value;year\n3;16;2025\n3;16\n")
        assert chunked.read_csv_columns(path) is None

    @pytest.mark.parametrize("end", ["\n", "\r\n"])
    def test_line_ends(self, tmp_path: Path, end: str) -> None:
        """Lines ended by LF or CRLF are read; a blank line makes it decline."""
        pytest.importorskip("pyarrow")
        path = tmp_path / "ends.csv"
        path.write_bytes(end.join(["indicator,value,year", "3,16.5,2025", "9,97,2030", ""]).encode())
        read = chunked.read_csv_columns(path)
        assert read is not None
        assert ([16.5, 97.0], [2025, 2030]) == (read.values.tolist(), read.years.tolist())
        path.write_bytes(end.join(["indicator,value,year", "3,16.5,2025", "", "9,97,2030", ""]).encode())
        assert chunked.read_csv_columns(path) is None

    def test_carriage_return_alone(self, tmp_path: Path) -> None:
        """Lines ended by CR alone (Excel for Mac's CSV) are read by both readers alike; a quoted CR is the cell's."""
        pytest.importorskip("pyarrow")
        path = tmp_path / "ends.csv"
        path.write_bytes(b'indicator,value,year,area\r3,16.5,2025,"B\rn"\r9,97,2030,X\r\n14,98,2025,Y\r')
        names, rows, numbers = read_table(path)
        expected = [["3", "16.5", "2025", "B\rn"], ["9", "97", "2030", "X"], ["14", "98", "2025", "Y"]]
        assert (["indicator", "value", "year", "area"], expected, [1, 2, 3]) == (
            names,
            [[row[name] for name in names] for row in rows],
            numbers,
        )
        read = chunked.read_csv_columns(path)
        assert read is not None
        assert expected == [[read.columns[name][index] for name in names] for index in range(read.rows)]

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(
            st.lists(st.text(alphabet='ab;,"\n\r \t\u00a0\x1c1.', max_size=4), min_size=1, max_size=4),
            min_size=1,
            max_size=12,
        ),
        st.sampled_from([";", ","]),
    )
    def test_agrees_with_the_standard_reader(
        self, tmp_path_factory: pytest.TempPathFactory, records: list[list[str]], separator: str
    ) -> None:
        """Cells and row numbers are the standard reader's; a ragged or unreadable file is declined."""
        pytest.importorskip("pyarrow")
        text = io.StringIO()
        csv.writer(text, delimiter=separator, lineterminator="\n").writerows([["indicator", "value", "year"], *records])
        path = tmp_path_factory.mktemp("csv") / "t.csv"
        path.write_bytes(text.getvalue().encode("utf-8"))
        read = chunked.read_csv_columns(path)
        try:
            names, rows, numbers = tables.read_table(path)
        except tdplan.TdplanError:  # an unquoted line break: only the standard reader says what is wrong
            assert read is None
            return
        if read is None:
            return
        assert all(len(record) == 3 for record in records)  # a ragged file is never read by pyarrow
        assert names == read.names
        assert [[row[name] for name in names] for row in rows] == [
            [read.columns[name][index] for name in names] for index in range(read.rows)
        ]
        assert numbers == list(range(1, read.rows + 1))


class TestChunkedShortRows:
    """A large CSV file with a short row is read by the standard reader, which tells missing cells from empty ones."""

    def test_falls_back_and_agrees(self, tmp_path: Path) -> None:
        """Past BULK_BYTES, a short row is the same row problem as in a small file, and no row is lost."""
        pytest.importorskip("pandas")
        path = tmp_path / "lon.csv"
        lines = ["chỉ tiêu,giá trị,năm,địa bàn,ghi chú"]
        lines += [f"3,16.5,2025,Bản Bo,ghi chú {number}" for number in range(40_000)]
        lines[20_000] = "3,16.5"  # ends before its year
        lines[30_000] = "3,19,2025"  # ends before its area: read as empty
        path.write_text("\n".join(lines) + "\n", "utf-8")
        assert path.stat().st_size >= tables.BULK_BYTES
        assert chunked.read_csv_columns(path) is None
        card = PLAN.assess_table(path)
        assert 40_000 == len(card.rows)
        assert [(20_000, "missing_cells")] == [(problem.row, problem.code) for problem in card.problems]
        assert ("not_met", None) == (card.rows[29_999].status.value, card.rows[29_999].area)


class TestWorkbookAgrees:
    """The same table saved as xlsx (empty cells) and as CSV by Excel (last empty cells left out)."""

    def test_same_verdicts(self, tmp_path: Path) -> None:
        """Rows, statuses and problem rows agree; an empty xlsx cell is empty, so only the CSV names missing ones."""
        openpyxl = pytest.importorskip("openpyxl")
        rows = [["3", 2025, None, None, "16,5", "Bản Bo"], ["3", 2025, 4, 250, None, None], ["3", 2025, 4, None, None]]
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER.split(";"))
        for row in rows:
            sheet.append(row)
        book.save(tmp_path / "bang.xlsx")
        self_csv = TestShortRows().write(tmp_path, "3;2025;;;16,5;Bản Bo", "3;2025;4;250", "3;2025;4")
        from_book, from_csv = PLAN.assess_table(tmp_path / "bang.xlsx"), PLAN.assess_table(self_csv)
        assert statuses(from_book) == statuses(from_csv)
        assert [p.row for p in from_book.problems] == [p.row + 1 for p in from_csv.problems]  # Excel counts the header
        assert "missing_cells" == from_csv.problems[0].code


class TestSheetForCsv:
    """--sheet and sheet= name a workbook's sheet: for a CSV file they are an error, never ignored."""

    def test_library(self, tmp_path: Path) -> None:
        """sheet= with a CSV file's path is an InputTypeError naming the file."""
        path = tmp_path / "bang.csv"
        path.write_text("chỉ tiêu,giá trị,năm\n3,16.5,2025\n", "utf-8")
        expected = r"sheet= is for an Excel workbook \(\.xlsx, \.xlsm, \.xls\), not for bang\.csv"
        with pytest.raises(tdplan.InputTypeError, match=expected):
            PLAN.assess_table(path, sheet="Số liệu")

    def test_frame(self) -> None:
        """sheet= with a DataFrame is an InputTypeError naming every workbook kind sheet= reads, in Vietnamese too."""
        pandas = pytest.importorskip("pandas")
        frame = pandas.DataFrame({"chỉ tiêu": ["3"], "giá trị": [16.5], "năm": [2025]})
        with pytest.raises(tdplan.InputTypeError) as raised:
            PLAN.assess_table(frame, sheet="Số liệu")
        expected = "sheet= chỉ dùng cho tệp Excel (.xlsx, .xlsm, .xls), không dùng cho DataFrame"
        assert expected == raised.value.message("vi")

    @pytest.mark.parametrize(
        ("lang", "expected"),
        [
            ("vi", "--sheet chỉ dùng cho sổ Excel (.xlsx, .xlsm, .xls); bang.csv được đọc như tệp CSV: hãy bỏ --sheet"),
            (
                "en",
                "--sheet only applies to Excel workbooks (.xlsx, .xlsm, .xls); bang.csv is read as CSV: leave --sheet",
            ),
        ],
    )
    def test_command_line(self, tmp_path: Path, lang: str, expected: str) -> None:
        """tdplan report bang.csv --sheet X exits 2 with the sentence in the command line's language."""
        path = tmp_path / "bang.csv"
        path.write_text("chỉ tiêu,giá trị,năm\n3,16.5,2025\n", "utf-8")
        command = [sys.executable, "-m", "tdplan", "report", str(path), "--sheet", "Số liệu", "--lang", lang]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert 2 == result.returncode
        assert expected in result.stderr
        assert "" == result.stdout


class TestNotATable:
    """What is not a table gets one sentence naming every kind of table, whatever it is instead."""

    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            (unit_registry().Quantity(Decimal("95"), "percent"), "Quantity"),
            ({"chỉ tiêu": "3"}, "dict"),
            (2025, "int"),
        ],
    )
    def test_named_in_vietnamese(self, data: object, kind: str) -> None:
        """A pint quantity (iterable only in name), a mapping and a number: the same sentence, not a TypeError."""
        expected = (
            "bảng số liệu phải là đường dẫn tệp CSV hoặc Excel, một tệp văn bản đang mở, một danh sách các "
            f"dòng (mỗi dòng một từ điển) hoặc một DataFrame của pandas, không phải {kind}"
        )
        with pytest.raises(tdplan.InputTypeError) as raised:
            PLAN.assess_table(data)
        assert expected == raised.value.message("vi")


class TestNumpyFloatsInRules:
    """The plan's rules read NumPy floats in a list of mappings (their repr is np.float64(21.0), not a number)."""

    def test_rule_compares_them(self) -> None:
        """21‰ neonatal against 19‰ infant mortality in one area breaks 3 ≤ 4; an infinite value is no figure."""
        np = pytest.importorskip("numpy")
        rows = [
            {"chỉ tiêu": "3", "giá trị": np.float64(21), "năm": 2025, "địa bàn": "Bản Bo"},
            {"chỉ tiêu": "4", "giá trị": np.float64(19), "năm": 2025, "địa bàn": "Bản Bo"},
            {"chỉ tiêu": "3", "giá trị": np.float64("inf"), "năm": 2025, "địa bàn": "Bình Lư"},
        ]
        card = PLAN.assess_table(rows)
        assert [("3 ≤ 4", "Bản Bo", Decimal(21), Decimal(19))] == [
            (v.expression, v.area, v.left, v.right) for v in card.violations
        ]
