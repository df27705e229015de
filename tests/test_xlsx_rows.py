"""The xlsx report's rows sheet of a large table, written by combination: the workbook the cell-by-cell path writes."""

from __future__ import annotations

import functools
import io
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

import tdplan
from conftest import workbook_parts, write_odd_table
from tdplan.analysis.scorecard import DecidedRows
from tdplan.reports import xlsx_codes, xlsx_layouts, xlsx_rows, xlsx_strings
from tdplan.reports.xlsx_codes import narrow_type
from tdplan.reports.xlsx_format import write_xlsx

pytest.importorskip("xlsxwriter")
pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")
PLAN = tdplan.load_plan()

# Cells that XML escapes, that Excel writes as _xHHHH_, that a spreadsheet would run, that read two ways.
ODD = [
    'say "hi"',
    "a < b & c > d",
    "&amp; already",
    "line\nbreak",
    "tab\there",
    "bell\x07 esc\x1b[31m",
    "_x0041_ literal",
    "Bản Bo",
    "Ba\u0309n Bo",  # not NFC
    "=1+1",
    "+84",
    "-3",
    "@sum",
    "  =spaced",
    "trailing ",
    "emoji 👶",
    "\u2028sep",
    "\ue000private\ue001",
    "\ufffe not a character",
    "",
    " ",
]


def _both(card: tdplan.Scorecard, folder: Path, lang: str = "vi") -> tuple[Path, Path, Any]:
    """The workbook written cell by cell and by combination, and how the second was written."""
    old, new = folder / f"cells-{lang}.xlsx", folder / f"combination-{lang}.xlsx"
    assert write_xlsx(card, old, lang, ("area",), "t.csv", by_combination=False) is None
    plan = write_xlsx(card, new, lang, ("area",), "t.csv")
    return old, new, plan


@pytest.fixture(scope="module", params=["en", "vi"])
def written(request: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[tdplan.Scorecard, Path, Path, Any]:
    """20,000 rows in a file of more than 1 MiB (read in chunks, decided with NumPy), its workbook written both ways."""
    folder = tmp_path_factory.mktemp("xlsx_rows")
    path = folder / f"odd-{request.param}.csv"
    write_odd_table(path, 20_000, request.param, ODD, numbered=True)
    assert path.stat().st_size >= 1 << 20
    card = PLAN.assess_table(str(path))
    assert isinstance(card.rows, DecidedRows)
    return (card, *_both(card, folder, "vi" if request.param == "vi" else "en"))


def _cell(cell: Any) -> tuple[Any, ...]:
    if cell.font is None:  # no cell there (openpyxl's read-only EmptyCell)
        return (cell.value,)
    fill, align = cell.fill.fgColor.rgb, cell.alignment
    style = (cell.number_format, cell.font.b, cell.font.sz, fill, align.wrap_text, align.vertical, align.horizontal)
    return (cell.value, cell.data_type, *style)


@functools.lru_cache(maxsize=4)
def _cells(path: Path) -> dict[str, list[list[tuple[Any, ...]]]]:
    """Every cell of every sheet as openpyxl reads it: value, type, number format, font, fill, alignment."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        sheets[sheet.title] = [[_cell(cell) for cell in row] for row in sheet.iter_rows()]
    book.close()
    return sheets


class TestSameWorkbook:
    """The workbook with its rows joined by combination is the one written cell by cell."""

    def test_parts(self, written: tuple[tdplan.Scorecard, Path, Path, Any]) -> None:
        """Every part of the two files (sheets, styles, properties but the creation time) is the same bytes."""
        _, old, new, _ = written
        assert workbook_parts(old) == workbook_parts(new)

    def test_most_rows_joined(self, written: tuple[tdplan.Scorecard, Path, Path, Any]) -> None:
        """Every layout passed its check the first time, and xlsxwriter wrote fewer than one row in seven (this
        table has 384 layouts, each with its first and last rows written, and 1,445 rows of the scalar path)."""
        card, _, _, plan = written
        assert isinstance(plan, xlsx_rows.RowsPlan)
        assert set() == plan.failed
        assert len(plan.written) < len(card.rows) / 7

    @pytest.mark.parametrize(
        ("module", "name", "value"),
        [(xlsx_layouts, "CHUNK_ROWS", 3001), (xlsx_codes, "BLOCK_ROWS", 1000)],
        ids=["joined 3,001 rows at a time", "codes found 1,000 rows at a time"],
    )
    def test_smaller_steps(
        self, written: tuple[tdplan.Scorecard, Path, Path, Any], tmp_path: Path, module: Any, name: str, value: int
    ) -> None:
        """Joined 3,001 rows at a time (rows written by xlsxwriter at the chunks' edges), or with each row's codes
        found 1,000 rows at a time (xlsx_codes), the parts are the same."""
        card, old, _, _ = written
        patch = pytest.MonkeyPatch()
        patch.setattr(module, name, value)
        try:
            new = tmp_path / "steps.xlsx"
            write_xlsx(card, new, "vi" if "vi" in old.name else "en", ("area",), "t.csv")
        finally:
            patch.undo()
        assert workbook_parts(old) == workbook_parts(new)

    def test_codes_narrow(self, written: tuple[tdplan.Scorecard, Path, Path, Any]) -> None:
        """The plan keeps each row's codes in the narrowest integer that holds them: here a byte or two a row."""
        _, _, _, plan = written
        arrays = [plan.key, plan.value_of, plan.margin_of, *(own.codes for own in plan.owns)]
        assert len(plan.rows) == len(arrays[0])
        for array in arrays:
            assert 2 >= array.dtype.itemsize
            assert np.dtype(narrow_type(int(array.max()) + 2)).itemsize >= array.dtype.itemsize

    def test_cells_read_back(self, written: tuple[tdplan.Scorecard, Path, Path, Any]) -> None:
        """openpyxl reads every cell of every sheet alike: value, type, number format, font, fill, alignment."""
        _, old, new, _ = written
        expected, actual = _cells(old), _cells(new)
        assert list(expected) == list(actual)
        for title in expected:
            assert expected[title] == actual[title], title

    def test_text_stays_text(self, written: tuple[tdplan.Scorecard, Path, Path, Any]) -> None:
        """A cell the file wrote as ``=1+1`` is the text ``=1+1``, not a formula; no cell of the sheet is one."""
        _, _, new, _ = written
        rows = list(_cells(new).values())[1]  # the rows sheet
        types = {(cell[0], cell[1]) for row in rows for cell in row if isinstance(cell[0], str)}
        assert ("=1+1", "s") in types
        assert [] == [value for value, kind in types if kind == "f"]

    def test_dimension_and_filter(self, written: tuple[tdplan.Scorecard, Path, Path, Any]) -> None:
        """The sheet's dimension and filter cover the header and every row: 17 columns and the ignored ones."""
        card, _, new, _ = written
        with zipfile.ZipFile(new) as archive:
            sheet = archive.read("xl/worksheets/sheet2.xml").decode("utf-8")
        last = "S"  # 17 columns and 2 ignored (ghi chú, STT): the 19th column
        assert 2 == len(card.ignored_columns)
        assert [f"A1:{last}20001"] == re.findall('<dimension ref="([^"]+)"', sheet)
        assert [f"A1:{last}20001"] == re.findall('<autoFilter ref="([^"]+)"', sheet)
        assert 20_001 == len(re.findall("<row ", sheet))

    def test_calamine(self, written: tuple[tdplan.Scorecard, Path, Path, Any]) -> None:
        """python-calamine, another reader, reads the rows sheet as openpyxl reads the cell-by-cell workbook (but
        for Excel's escape of a text's own ``_x0041_`` in a cell's own text, which openpyxl leaves as
        ``_x005F_x0041_``)."""
        calamine = pytest.importorskip("python_calamine")
        _, old, new, _ = written
        sheet = calamine.CalamineWorkbook.from_path(str(new)).get_sheet_by_index(1).to_python()
        expected = [[cell[0] for cell in row] for row in list(_cells(old).values())[1]]
        assert len(expected) == len(sheet)
        for wanted, got in zip(expected, sheet, strict=True):
            wanted = wanted + [None] * (len(got) - len(wanted))
            wanted = [_unescaped(cell) for cell in wanted]
            assert ["" if cell is None else float(cell) if isinstance(cell, int) else cell for cell in wanted] == got


def _inline(card: tdplan.Scorecard, path: Path, lang: str) -> None:
    """The workbook written cell by cell with each text in its cell, as xlsxwriter's ``constant_memory`` mode does."""
    patch = pytest.MonkeyPatch()
    patch.setattr(xlsx_strings, "_SHEET_CLASS", [None])  # as where xlsxwriter lacks the names shared strings need
    try:
        assert write_xlsx(card, path, lang, ("area",), "t.csv") is None  # and no rows joined: they need them
    finally:
        patch.undo()


class TestSharedStrings:
    """Texts written once each in ``xl/sharedStrings.xml`` read back as the same texts written in their cells."""

    def test_same_cells_as_inline(self, written: tuple[tdplan.Scorecard, Path, Path, Any], tmp_path: Path) -> None:
        """openpyxl and python-calamine read every cell of every sheet alike from the workbook with texts in their
        cells: value, type, number format, font, fill, alignment (openpyxl shows a text's own ``_x0041_`` as
        ``_x005F_x0041_`` from a cell's own text, in either workbook, and as written from a shared one)."""
        calamine = pytest.importorskip("python_calamine")
        card, old, _, _ = written
        inline = tmp_path / "inline.xlsx"
        _inline(card, inline, "vi" if "vi" in old.name else "en")
        assert "xl/sharedStrings.xml" not in workbook_parts(inline)
        assert "xl/sharedStrings.xml" in workbook_parts(old)
        expected, actual = _cells(inline), _cells(old)
        assert list(expected) == list(actual)
        for title in expected:
            wanted, got = (
                [[(_unescaped(cell[0]), *cell[1:]) for cell in row] for row in found[title]]
                for found in (expected, actual)
            )
            assert wanted == got, title
        assert ("_x0041_ literal", "s") in {cell[:2] for row in list(actual.values())[1] for cell in row}
        books = [calamine.CalamineWorkbook.from_path(str(path)) for path in (inline, old)]
        for index in range(4):
            assert books[0].get_sheet_by_index(index).to_python() == books[1].get_sheet_by_index(index).to_python()

    def test_rows_sheet_shares_its_texts(self, written: tuple[tdplan.Scorecard, Path, Path, Any]) -> None:
        """Written by combination, the rows sheet keeps in their cells only the explanations (column O, its header
        too: nearly one text a value) and the file's other cells (R and S: "ghi chú" and "STT", every row's), and
        xl/sharedStrings.xml holds each text once and counts every cell naming one."""
        card, _, new, _ = written
        parts = workbook_parts(new)
        sheet = parts["xl/worksheets/sheet2.xml"].decode("utf-8")
        inline = re.findall(r'<c r="([A-Z]+)([0-9]+)"[^>]*t="inlineStr"', sheet)
        assert {"O", "R", "S"} == {column for column, _ in inline}
        assert [str(row) for row in range(1, len(card.rows) + 2)] == [row for column, row in inline if column == "O"]
        every = re.findall(r'<c r="([A-Z]+)([0-9]+)"', sheet)
        assert [cell for cell in every if cell[0] in "RS"] == [cell for cell in inline if cell[0] in "RS"]
        strings = parts["xl/sharedStrings.xml"].decode("utf-8")
        texts = re.findall(r"<si>(.*?)</si>", strings)
        assert len(texts) == len(set(texts)) > 1000
        (count, unique), *_ = re.findall(r'<sst [^>]*count="([0-9]+)" uniqueCount="([0-9]+)"', strings)
        cells = sum(
            len(re.findall(r'<c [^>]*t="s"', part.decode("utf-8")))
            for name, part in parts.items()
            if "worksheets" in name
        )
        assert (cells, len(texts)) == (int(count), int(unique))

    def test_most_texts_shared(self, tmp_path: Path) -> None:
        """Past ``SHARED_MOST`` distinct texts, a text not yet shared is written in its cell, by both paths alike,
        and the workbook reads back as the one with every text shared."""
        calamine = pytest.importorskip("python_calamine")
        pandas = pytest.importorskip("pandas")
        generator = random.Random(8)
        rows = 12_000
        frame = pandas.DataFrame(
            {
                "indicator": [generator.choice(["3", "9", "28", "99"]) for _ in range(rows)],
                "value": [generator.randint(0, 1000) / 10 for _ in range(rows)],
                "year": [generator.choice([2025, 2026, 2040]) for _ in range(rows)],
                "area": [generator.choice([*ODD[:8], "Xã 1", "Xã 2"]) for _ in range(rows)],
            }
        )
        card = PLAN.assess_table(frame)
        (tmp_path / "all").mkdir()
        _, every, _ = _both(card, tmp_path / "all")
        patch = pytest.MonkeyPatch()
        patch.setattr(xlsx_strings, "SHARED_MOST", 100)
        try:
            old, new, plan = _both(card, tmp_path)
        finally:
            patch.undo()
        assert plan is not None
        assert workbook_parts(old) == workbook_parts(new)
        strings = workbook_parts(new)["xl/sharedStrings.xml"].decode("utf-8")
        assert 100 == len(re.findall("<si>", strings))
        sheet = workbook_parts(new)["xl/worksheets/sheet2.xml"].decode("utf-8")
        assert 10 < len(re.findall('<c r="[A-NP-Z][0-9]+"[^>]*t="inlineStr"', sheet))  # not the explanations
        books = [calamine.CalamineWorkbook.from_path(str(path)) for path in (every, new)]
        for index in range(4):
            assert books[0].get_sheet_by_index(index).to_python() == books[1].get_sheet_by_index(index).to_python()


def _unescaped(value: Any) -> Any:
    """openpyxl's reading of an inline string, as it reads a shared one: ``_x005F_`` is Excel's escape of ``_``."""
    return value.replace("_x005F_", "_") if isinstance(value, str) else value


class TestFrame:
    """A DataFrame decided with NumPy: floats, NaN, ints, 1, 1.0, True, 0.0 and -0.0 in one column, written as cell by
    cell."""

    def test_frame(self, tmp_path: Path) -> None:
        """The workbook of 12,000 rows is the cell-by-cell one, part for part, in both languages."""
        pandas = pytest.importorskip("pandas")
        generator = random.Random(3)
        rows = 12_000
        frame = pandas.DataFrame(
            {
                "indicator": [generator.choice(["3", "9", "28", "99"]) for _ in range(rows)],
                "value": [
                    generator.choice([16.5, 0.1 + 0.2, 17.0, 95.25, 1e-50, float("nan"), 0.5, 100.0, 0.0, -0.0])
                    for _ in range(rows)
                ],
                "year": [generator.choice([2025, 2026, 2040]) for _ in range(rows)],
                "area": [generator.choice([*ODD[:8], None, float("nan")]) for _ in range(rows)],
                "STT": list(range(rows)),
                "ghi chú": [generator.choice([*ODD, None, 3, 2.5, 1, 1.0, True, 0.0, -0.0]) for _ in range(rows)],
                "hệ số": [generator.choice([0.0, -0.0, 1.5]) for _ in range(rows)],  # equal, and written apart
            }
        )
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        for lang in ("vi", "en"):
            old, new, plan = _both(card, tmp_path, lang)
            assert plan is not None
            assert workbook_parts(old) == workbook_parts(new)

    def test_small_table_cell_by_cell(self, tmp_path: Path) -> None:
        """10,000 rows or fewer (each row as tall as its text) are written cell by cell, as before."""
        pandas = pytest.importorskip("pandas")
        card = PLAN.assess_table(pandas.DataFrame({"indicator": ["3"] * 100, "value": [16.5] * 100, "year": 2025}))
        assert write_xlsx(card, tmp_path / "small.xlsx", "vi", (), None) is None

    @pytest.mark.parametrize("rows", [100, 12_000])
    def test_text_like_xml_is_kept(self, tmp_path: Path, rows: int) -> None:
        """A cell written "<r>…</r>" (which xlsxwriter would write into the sheet as XML) reads back as written."""
        openpyxl = pytest.importorskip("openpyxl")
        pandas = pytest.importorskip("pandas")
        odd = ["<r>a & b</r>", "<r></r>", "<r><t>x</t></r>", "<r>Bản Bo</r>"]
        areas = [odd[number % 4] if number % 50 == 0 else f"Xã {number % 14}" for number in range(rows)]
        frame = pandas.DataFrame({"indicator": "3", "value": 16.5, "year": 2025, "area": areas, "ghi chú": areas})
        card = PLAN.assess_table(frame)
        write_xlsx(card, tmp_path / "r.xlsx", "vi", ("area",), None)
        book = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
        header, *read = list(book.worksheets[1].iter_rows(values_only=True))
        book.close()
        area, note = header.index("Địa bàn"), header.index("ghi chú")
        assert [(text, text) for text in areas] == [(row[area], row[note]) for row in read]
        old, new, _ = _both(card, tmp_path)
        assert workbook_parts(old) == workbook_parts(new)

    def test_stream(self, tmp_path: Path) -> None:
        """Written to a binary stream, the workbook is the one written to a path."""
        pandas = pytest.importorskip("pandas")
        card = PLAN.assess_table(
            pandas.DataFrame({"indicator": ["3", "9"] * 6000, "value": [16.5, 99.5] * 6000, "year": 2025})
        )
        buffer = io.BytesIO()
        assert write_xlsx(card, buffer, "vi", (), None) is not None
        old = tmp_path / "cells.xlsx"
        write_xlsx(card, old, "vi", (), None, by_combination=False)
        (tmp_path / "stream.xlsx").write_bytes(buffer.getvalue())
        assert workbook_parts(old) == workbook_parts(tmp_path / "stream.xlsx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI does not install it)")
def test_libreoffice_reads_the_rows_alike(tmp_path: Path) -> None:
    """LibreOffice, headless, reads the rows sheet written by combination as the one written cell by cell."""
    pandas = pytest.importorskip("pandas")
    generator = random.Random(5)
    rows = 10_500
    frame = pandas.DataFrame(
        {
            "indicator": [generator.choice(["3", "9", "28", "99"]) for _ in range(rows)],
            "value": [generator.choice([16.5, 0.3, 17.0, 95.25, 100.0]) for _ in range(rows)],
            "year": [generator.choice([2025, 2026, 2040]) for _ in range(rows)],
            "area": [generator.choice(ODD) for _ in range(rows)],
        }
    )
    card = PLAN.assess_table(frame)
    old, new, plan = _both(card, tmp_path)
    assert plan is not None
    sheets = []
    for path in (old, new):
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
                "--outdir",
                str(tmp_path / path.stem),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=300,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},  # the sheet's name
        )
        (sheet,) = (tmp_path / path.stem).iterdir()
        sheets.append(sheet.read_text("utf-8"))
    assert rows + 1 == len(sheets[0].splitlines())
    assert sheets[0] == sheets[1]
