"""Excel workbooks (``.xlsx``) read as tables: the same column names, rows and row numbers as a CSV file gives.

openpyxl reads the workbook in read-only mode, a row at a time, so that a large sheet is
read in bounded memory. A cell is read as the officer sees it:

- a number formatted as a percentage is the percentage it shows: 0,962 shown as
  ``96,2 %`` is :class:`~tdplan.analysis.cells.Measured` ``96.2 %``;
- numbers stored as text stay text, read like a CSV cell; dates are dates;
- title rows above the header (merged or not) and empty rows are passed over, and a
  row's number is the one Excel shows.

The sheet is the one named by ``sheet``, else the first whose header names an indicator
and a value. openpyxl is an optional extra (``pip install 'tdplan[excel]'``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from tdplan.analysis.cells import Measured
from tdplan.analysis.file_kinds import OLE2, check_file_kind
from tdplan.analysis.reading import (
    HEADER_SEARCH_ROWS,
    MAX_TABLE_BYTES,
    find_columns,
    header_names,
    header_reading,
    is_blank,
    locate_header,
)
from tdplan.analysis.xls import open_xls
from tdplan.core.errors import InputTypeError, PlanFileError, TdplanError, os_reason, require_module
from tdplan.core.i18n import Message
from tdplan.core.text import cell_words

__all__ = ["TEMPLATE_KEYWORD", "cell_value", "read_workbook", "require_openpyxl"]

TEMPLATE_KEYWORD = "tdplan-template"
"""The keyword a data-entry template carries in its properties: its rows with no figure are not rows of data."""

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def require_openpyxl() -> Any:
    """The openpyxl module; :class:`~tdplan.MissingDependencyError` (an ``ImportError``) if it is not installed."""
    return require_module("openpyxl", package="openpyxl", extra="excel", purpose=Message("Excel workbooks"))


def _is_percent(number_format: str | None) -> bool:
    """Whether a number format shows its number as a percentage (a quoted or escaped % is only a sign)."""
    return bool(number_format) and "%" in _QUOTED.sub("", str(number_format))


def _percentage(number: Decimal) -> Decimal:
    scaled = (number * 100).normalize()
    return scaled.quantize(Decimal(1)) if scaled.as_tuple().exponent > 0 else scaled  # type: ignore[operator]


def cell_value(value: Any, number_format: str | None = None) -> Any:
    """A cell's value as tdplan reads it: a percentage-formatted number as the percentage it shows.

    >>> cell_value(0.962, "0.0%"), cell_value(2025), cell_value(" 16,5 ")
    (Measured(number=Decimal('96.2'), unit='%'), 2025, ' 16,5 ')
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float) and _is_percent(number_format):
        return Measured(_percentage(Decimal(repr(value))), "%")
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.time | dt.timedelta):  # a time of day or a duration: text, as the sheet shows it
        return cell_words(value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def _open(path: Path) -> Any:
    """The workbook at ``path``: by openpyxl, or by xlrd where it is an Excel 97-2003 workbook (whatever its name)."""
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise PlanFileError("{path}: over {limit} bytes: split the table", path=str(path), limit=MAX_TABLE_BYTES)
        with path.open("rb") as file:
            start = file.read(len(OLE2))
        if start == OLE2:  # a password or a Word document is said so; an .xls is read
            data = path.read_bytes()
            check_file_kind(path, data, workbook=True)
            return open_xls(data)
        openpyxl = require_openpyxl()
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
        # openpyxl refuses a name it does not know (an .xlsx saved as .xls): the bytes, as they are
        return openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except TdplanError:
        raise
    except OSError as error:  # openpyxl's too, for a zip file with no workbook part (an .xlsb)
        _say_kind(path)
        reason = os_reason(error)
        raise PlanFileError("{path}: cannot read the table: {reason}", path=str(path), reason=reason) from None
    except _BROKEN:
        _say_kind(path)
        raise _unreadable(path) from None


def _say_kind(path: Path) -> None:
    """Raise what the file is, where it is a kind tdplan names (a web page, CSV text named .xlsx, an .xlsb)."""
    try:
        check_file_kind(path, path.read_bytes(), workbook=True)
    except OSError as error:
        if isinstance(error, TdplanError):
            raise


# What openpyxl raises for a file that is not a workbook, or a broken one: not a zip, a part missing, XML that
# does not parse (lxml's and ElementTree's errors are SyntaxErrors), a value of the wrong kind in a part.
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, IndexError, SyntaxError)


def _unreadable(path: Path) -> PlanFileError:
    return PlanFileError(
        "{path}: not an Excel workbook that can be read: save it again as 'Excel Workbook (.xlsx)'",
        path=str(path),
        code="unreadable_workbook",
    )


def _records(sheet: Any, path: Path) -> Any:
    """(Excel row number, the row's values) for every row of a sheet, empty ones included.

    A read-only sheet is parsed as it is read: a part broken half way fails here, not when the file opens.
    """
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [cell_value(cell.value, getattr(cell, "number_format", None)) for cell in cells]
    except _BROKEN:
        raise _unreadable(path) from None


def _has_columns(head: list[list[Any]]) -> bool:
    at = locate_header(head)
    if at >= len(head):
        return False
    try:
        readings = {header_reading(str(cell)) for cell in head[at] if not is_blank(cell)}
    except InputTypeError:
        return True  # a header that names two columns: read it, and say so
    return "indicator" in readings and bool(readings & {"value", "numerator"})


def _choose(book: Any, sheet: str | None, path: Path) -> Any:
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise InputTypeError(
                "{path} has no sheet {sheet!r}: its sheets are {sheets}",
                path=str(path),
                sheet=sheet,
                sheets=", ".join(repr(name) for name in book.sheetnames),
            )
        return book[sheet]
    for candidate in book.worksheets:
        head = [values for _, values in zip(range(HEADER_SEARCH_ROWS), _records(candidate, path), strict=False)]
        if _has_columns([values for _, values in head]):
            return candidate
    return book.worksheets[0]


def read_workbook(path: str | Path, *, sheet: str | None = None) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    """A workbook's table: column names, rows (cells as :func:`cell_value` reads them) and Excel's row numbers."""
    path = Path(path)
    book = _open(path)
    try:
        chosen = _choose(book, sheet, path)
        template = TEMPLATE_KEYWORD in (book.properties.keywords or "")
        head: list[tuple[int, list[Any]]] = []
        records = _records(chosen, path)
        for number, values in records:
            head.append((number, values))
            if len(head) >= HEADER_SEARCH_ROWS:
                break
        if not any(any(not is_blank(cell) for cell in values) for _, values in head):
            return [], [], []
        at = locate_header([values for _, values in head])
        header = head[at][1]
        body: list[tuple[int, list[Any]]] = head[at + 1 :]
        body += list(records)
    finally:
        book.close()
    named = max((i + 1 for i, cell in enumerate(header) if not is_blank(cell)), default=0)
    width = max((i + 1 for _, values in body for i, cell in enumerate(values) if not is_blank(cell)), default=0)
    names = header_names([str(cell).strip() if not is_blank(cell) else "" for cell in header], max(named, width))
    figures = _figure_columns(names) if template else None
    rows, numbers = [], []
    for number, values in body:
        if not any(not is_blank(cell) for cell in values):
            continue
        row = {name: (values[i] if i < len(values) else None) for i, name in enumerate(names)}
        if figures is not None and all(is_blank(row[name]) for name in figures):
            continue  # a template's row left empty: no figure was given
        rows.append(row)
        numbers.append(number)
    return names, rows, numbers


def _figure_columns(names: list[str]) -> list[str]:
    found = find_columns(names)
    return [found[column] for column in ("value", "numerator", "denominator") if column in found]
