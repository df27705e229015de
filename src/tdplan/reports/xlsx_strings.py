"""Shared strings in xlsxwriter's ``constant_memory`` mode: an xlsx report's texts written once each.

xlsxwriter writes a workbook row by row in bounded memory only in its ``constant_memory``
mode, and there each text cell holds its text (an inline string, ``<is><t>…</t></is>``):
a large table's rows sheet repeats the indicator's name, the lead office, the target and
the explanation in every row (about 880 bytes a row). Its default mode writes each text
once, in ``xl/sharedStrings.xml``, and a cell names it by number (``t="s"><v>17</v>``),
but keeps every cell of the workbook in memory until the end. :func:`shared_sheet_class`
gives a worksheet that does both: rows written as they come, as in ``constant_memory``,
their texts shared as in the default mode (by xlsxwriter's own shared-string table and
cell writer). At most :data:`SHARED_MOST` distinct texts are shared, so that a table of
a million different texts keeps bounded memory: a text first seen after that, a text
longer than :data:`SHARED_LONGEST` characters and a text xlsxwriter would read as a rich
string (``<r>…</r>``) are written in their cell, as before, and so is every text of the
columns a worksheet lists in its ``unshared`` (the rows sheet's explanation, which
nearly every value makes another, and the file's other cells, an officer's own: sharing
them would cost more than it saves). Which texts are shared is
decided in the order the cells are written, so a workbook written cell by cell and one
whose rows are joined (:mod:`tdplan.reports.xlsx_rows`, which shares the same texts in
the same order) are the same file.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["SHARED_LONGEST", "SHARED_MOST", "shared_index", "shared_sheet_class"]

SHARED_MOST = 200_000
"""Distinct texts shared in one workbook, at most (about 40 MB of xlsxwriter's table at 100 characters a text)."""

SHARED_LONGEST = 16_383
"""A longer text is written in its cell: xlsxwriter may cut a text of more than 32,767 UTF-16 units, and a row
with one is written cell by cell (:mod:`tdplan.reports.xlsx_rows`)."""

_SHEET_CLASS: list[Any] = []


def shared_index(table: Any, text: str) -> int | None:
    """The number of ``text`` in xlsxwriter's shared-string table ``table``, added if new and there is room, one
    more use counted; None where the text is written in its cell instead (see the module)."""
    if len(text) > SHARED_LONGEST or (text.startswith("<r>") and text.endswith("</r>")):
        return None
    if text not in table.string_table and table.unique_count >= SHARED_MOST:
        return None
    return int(table._get_shared_string_index(text))


def shared_sheet_class() -> Any:
    """xlsxwriter's worksheet with its texts shared in ``constant_memory`` mode; None where this xlsxwriter has
    not the names it is built on (its texts are then written in their cells, as xlsxwriter does)."""
    if _SHEET_CLASS:
        return _SHEET_CLASS[0]
    worksheet = importlib.import_module("xlsxwriter.worksheet")
    strings = importlib.import_module("xlsxwriter.sharedstrings")
    names = ("_write_string", "_write_cell")
    table = getattr(strings, "SharedStringTable", None)
    made = None
    if (
        all(hasattr(worksheet.Worksheet, name) for name in names)
        and hasattr(worksheet, "CellStringTuple")
        and table is not None
        and hasattr(table, "_get_shared_string_index")
        and all(hasattr(table(), name) for name in ("string_table", "unique_count", "count"))
    ):
        made = _made(worksheet)
    _SHEET_CLASS.append(made)
    return made


def _made(worksheet: Any) -> Any:
    cell_string = worksheet.CellStringTuple

    class SharedStringsWorksheet(worksheet.Worksheet):  # type: ignore[misc]
        """A worksheet that shares its texts in ``constant_memory`` mode (see the module)."""

        unshared: frozenset[int] = frozenset()
        """Columns whose texts are written in their cells."""

        def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> Any:
            result = super()._write_string(row, col, string, cell_format)
            if result == 0 and self.constant_memory and col not in self.unshared:
                cell = self.table[row][col]  # the text as xlsxwriter keeps it, until the row is written
                index = shared_index(self.str_table, cell.string)
                if index is not None:
                    self.table[row][col] = cell_string(index, cell.format)
            return result

        def _write_cell(self, row: int, col: int, cell: Any) -> None:
            if type(cell) is cell_string and isinstance(cell.string, int):  # a shared text: its number
                self.constant_memory = False  # the default mode's writer: <c … t="s"><v>17</v></c>
                try:
                    super()._write_cell(row, col, cell)
                finally:
                    self.constant_memory = True
            else:
                super()._write_cell(row, col, cell)

    return SharedStringsWorksheet
