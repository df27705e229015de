"""Files the pyarrow reader read differently from the standard reader (found in review of the pyarrow reading)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tdplan
from conftest import Server
from tdplan.analysis import chunked, tables
from tdplan.analysis.reading import read_table
from tdplan.analysis.scorecard import DecidedRows
from tdplan.core.errors import TdplanError

pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

ROWS = ['3,"16,5",2025,Bản Bo', "9,95,2025,Khun Há", "3,18,2024,Bản Bo"]


def read_alike(path: Path) -> None:
    """The pyarrow reader gives read_table's names and cells, or declines where read_table gives others or refuses."""
    try:
        names, rows, numbers = read_table(path)
    except TdplanError:
        assert None is chunked.read_csv_columns(path)
        return
    table = chunked.read_csv_columns(path)
    if table is None:
        return
    assert names == table.names
    assert list(range(1, len(rows) + 1)) == numbers
    assert [[row[name] for row in rows] for name in names] == [list(table.columns[name]) for name in names]


class TestHeaderWithLineBreak:
    """A header cell holding a line break (Alt+Enter in Excel: ``"Tỷ lệ\\n(%)"``, wrapped headings)."""

    @pytest.mark.parametrize(
        "header",
        ['"Chỉ\ntiêu",giá trị,năm,địa bàn', 'chỉ tiêu,"giá trị\n",năm,địa bàn', '"chỉ tiêu\r\n",giá trị,năm,địa bàn'],
    )
    def test_cells(self, tmp_path: Path, header: str) -> None:
        """The rows under the header are the file's rows: the header's second line is not read as a row."""
        path = tmp_path / "wrapped.csv"
        path.write_text("\n".join([header, *ROWS]) + "\n", encoding="utf-8")
        read_alike(path)

    def test_scorecard(self, tmp_path: Path) -> None:
        """A large file with a wrapped heading gets the scorecard of its rows: 3 rows, all assessed, numbered from 1."""
        path = tmp_path / "wrapped.csv"
        path.write_text("\n".join(['"Chỉ\ntiêu",giá trị,năm,địa bàn', *ROWS * 30_000]) + "\n", encoding="utf-8")
        assert path.stat().st_size >= tables.BULK_BYTES
        card = tdplan.assess_table(tdplan.load_plan(), path)
        assert isinstance(card.rows, DecidedRows)
        assert (90_000, ()) == (len(card.rows), card.problems)
        assert (1, {"Chỉ\ntiêu": "3", "giá trị": "16,5", "năm": "2025", "địa bàn": "Bản Bo"}) == (
            card.rows[0].row,
            dict(card.rows[0].cells),
        )


class TestSeparator:
    """The separator is sniffed from the text the standard reader sniffs: its first 65,536 characters."""

    def test_window_in_characters(self, tmp_path: Path) -> None:
        """A line past the first 65,536 bytes but within 65,536 characters counts, as in read_table."""
        long_note = '3;16,5;2025;"' + "ệ" * 25_000 + "\n" * 70 + '"'  # 75,000 bytes, 25,070 characters
        lines = ["chỉ tiêu;giá trị;năm;ghi chú", long_note, '9;95;2025;"a,b,c,d,e,f,g"', "3;18;2024;c"]
        path = tmp_path / "sniffed.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        read_alike(path)


class TestRefusedByTheStandardReader:
    """What read_table refuses past the first lines (the scorecard's own check reads only those) is declined."""

    def test_carriage_return_alone(self, tmp_path: Path) -> None:
        """A CR alone ending a line in a file of LF lines: read_table refuses the file, pyarrow splits the line."""
        path = tmp_path / "cr.csv"
        lines = ["chỉ tiêu,giá trị,năm,địa bàn", *ROWS * 30, ROWS[1] + "\r" + ROWS[2]]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
        read_alike(path)

    def test_cell_past_the_field_limit(self, tmp_path: Path) -> None:
        """A cell over csv.field_size_limit() characters (a quote left open, most often) is refused by read_table."""
        path = tmp_path / "long.csv"
        lines = ["chỉ tiêu,giá trị,năm,địa bàn", *ROWS * 30, "3,17,2025," + "x" * 140_000]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        read_alike(path)


class TestWindowsVietnamese:
    """A cp1258 file (Excel's 'CSV' on Vietnamese Windows) whose only accented text is in its header."""

    HEADER = "indicator,value,year,ghi chú\n".encode("cp1258")

    def test_cells(self, tmp_path: Path) -> None:
        """The pyarrow reader declines (read_table decodes the whole file as cp1258), not names cut of their accents."""
        path = tmp_path / "cp1258.csv"
        path.write_bytes(self.HEADER + "\n".join(["3,16.5,2025,a", "9,95,2025,b"]).encode() + b"\n")
        read_alike(path)

    def test_scorecard(self, tmp_path: Path) -> None:
        """A large such file is assessed (10,000 rows, the note column ``ghi chú``), not a UnicodeDecodeError."""
        path = tmp_path / "cp1258.csv"
        path.write_bytes(self.HEADER + ("3,16.5,2025," + "x" * 100 + "\n").encode() * 10_000)
        assert path.stat().st_size >= tables.BULK_BYTES
        card = tdplan.assess_table(tdplan.load_plan(), path)
        assert (10_000, ("ghi chú",)) == (len(card.rows), card.ignored_columns)


class TestLargeUpload:
    """A CSV upload of 1 MiB or more is read as a small one is: its line ends as universal newlines."""

    @pytest.mark.parametrize("end", ["\r", "\r\n"])
    def test_line_ends(self, server: Server, end: str) -> None:
        """Lines ended by CR alone (old Mac Excel) or CRLF give 20,000 rows met (16.5‰ < 18‰), as in a small upload."""
        httpx = pytest.importorskip("httpx")
        pytest.importorskip("litestar")
        lines = ["indicator,value,year,note", *['3,16.5,2025,"a' + end + "b" + "x" * 40 + '"'] * 20_000]
        content = (end.join(lines) + end).encode()
        assert len(content) >= tables.BULK_BYTES
        with httpx.Client(base_url=server.url, timeout=60) as client:
            response = client.post(
                "/v1/plans/tam-duong-2021-2030/scorecard/upload", files={"file": ("large.csv", content, "text/csv")}
            )
        assert 200 == response.status_code, response.text
        assert {"met": 20_000, "not_met": 0, "ahead": 0, "pending": 0} == response.json()["summary"]["counts"]


class TestTablePath:
    """Scorecard.table_path names the table's file wherever the process's working folder is later."""

    def test_relative_path_then_another_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A table read by a relative name is still refused as a report's target after os.chdir, and kept."""
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        text = "indicator,value,year\n3,17,2025\n"
        (tmp_path / "a" / "t.csv").write_text(text, encoding="utf-8")
        monkeypatch.chdir(tmp_path / "a")
        card = tdplan.assess_table(tdplan.load_plan(), "t.csv")
        monkeypatch.chdir(tmp_path / "b")
        with pytest.raises(tdplan.PlanFileError, match="is the table itself"):
            tdplan.write_report(card, tmp_path / "a" / "t.csv", "csv")
        assert text == (tmp_path / "a" / "t.csv").read_text(encoding="utf-8")
