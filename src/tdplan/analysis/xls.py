"""Excel 97–2003 workbooks (``.xls``), read by xlrd as openpyxl reads an ``.xlsx``: the same cells, the same table.

Offices still keep figures in ``.xls`` files, and templates made years ago are passed on
in that format. :func:`open_xls` gives the few names of an openpyxl workbook that
:mod:`tdplan.analysis.excel` reads (``sheetnames``, ``worksheets``, a sheet by name, its
``iter_rows`` of cells with ``value`` and ``number_format``, ``properties.keywords``,
``close``), so that both formats are read by one reader. A cell's value is what openpyxl
gives for the same cell of an ``.xlsx``: a whole number an ``int`` (an ``.xls`` keeps every
number as a float), a date a ``datetime`` (a time of day a ``time``), a boolean a ``bool``,
an error its text (``#DIV/0!``), an empty cell None. xlrd is in the ``excel`` extra.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from collections.abc import Iterator
from typing import Any

import attrs

from tdplan.core.errors import require_module
from tdplan.core.i18n import Message

__all__ = ["XlsBook", "XlsCell", "XlsSheet", "open_xls"]

_WHOLE = 2**53  # a float past this is not a whole number Excel typed as one


def open_xls(data: bytes) -> XlsBook:
    """The workbook in a file's bytes, with its cells' formats (a ValueError for a broken file).

    The file is an OLE2 compound document holding the workbook's stream: olefile takes that
    stream out (each stream read only as far as its size, so that a damaged file's loop of
    sectors ends, where xlrd's own reader of the container loops forever), and xlrd reads
    it, its warnings kept off the caller's standard output.
    """
    purpose = Message("Excel 97-2003 workbooks (.xls)")
    xlrd = require_module("xlrd", package="xlrd", extra="excel", purpose=purpose)
    olefile = require_module("olefile", package="olefile", extra="excel", purpose=purpose)
    broken: tuple[type[BaseException], ...] = (*_broken(xlrd), OSError)  # olefile's errors: of the bytes read
    try:
        stream = _workbook_stream(olefile, data)
        book = xlrd.open_workbook(
            file_contents=stream, formatting_info=True, on_demand=True, logfile=io.StringIO(), verbosity=0
        )
    except broken as error:
        raise ValueError(error) from None
    return XlsBook(xlrd, book)


def _workbook_stream(olefile: Any, data: bytes) -> bytes:
    """The workbook's stream (BIFF records) of an OLE2 file's bytes: ``Workbook``, or Excel 5's ``Book``."""
    with olefile.OleFileIO(io.BytesIO(data)) as container:
        for name in ("Workbook", "Book"):
            if container.exists(name) and container.get_type(name) == olefile.STGTY_STREAM:
                return bytes(container.openstream(name).read())
    raise ValueError("no workbook stream in the file")


def _broken(xlrd: Any) -> tuple[type[BaseException], ...]:
    """What xlrd raises for a broken file, besides the errors :mod:`tdplan.analysis.excel` already takes for one
    (a ValueError is raised for these): its own, a record cut short, and a loop in the file's structures."""
    return (xlrd.XLRDError, struct.error, AssertionError, OverflowError, NotImplementedError, RecursionError)


@attrs.frozen
class XlsCell:
    """A cell as openpyxl's read-only cell gives it: its value and its number format."""

    value: Any
    number_format: str


@attrs.frozen
class _Properties:
    keywords: str | None = None  # an .xls keeps no keywords xlrd reads; tdplan's templates are .xlsx


class XlsSheet:
    """One sheet, read a row at a time."""

    def __init__(self, book: XlsBook, index: int) -> None:
        self.book, self.index = book, index

    def iter_rows(self) -> Iterator[tuple[XlsCell, ...]]:
        """Every row from the first, empty ones included, as openpyxl's ``iter_rows`` gives them."""
        try:
            sheet = self.book.book.sheet_by_index(self.index)
        except _broken(self.book.xlrd) as error:
            raise ValueError(error) from None
        for row in range(sheet.nrows):
            yield tuple(self.book.cell(sheet.cell(row, column)) for column in range(sheet.row_len(row)))


class XlsBook:
    """An xlrd workbook behind the names :mod:`tdplan.analysis.excel` reads of an openpyxl one."""

    properties = _Properties()

    def __init__(self, xlrd: Any, book: Any) -> None:
        self.xlrd, self.book = xlrd, book
        self.sheetnames: list[str] = list(book.sheet_names())
        self.worksheets = [XlsSheet(self, index) for index in range(len(self.sheetnames))]
        formats = {key: str(made.format_str) for key, made in book.format_map.items()}
        self.formats = [formats.get(xf.format_key, "General") for xf in book.xf_list]

    def __getitem__(self, name: str) -> XlsSheet:
        return self.worksheets[self.sheetnames.index(name)]

    def close(self) -> None:
        self.book.release_resources()

    def cell(self, cell: Any) -> XlsCell:
        """A cell's value as openpyxl gives the same cell of an ``.xlsx``."""
        xlrd, kind, value = self.xlrd, cell.ctype, cell.value
        number_format = self.formats[cell.xf_index] if cell.xf_index is not None else "General"
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            value = None
        elif kind == xlrd.XL_CELL_NUMBER and float(value).is_integer() and abs(value) < _WHOLE:
            value = int(value)
        elif kind == xlrd.XL_CELL_DATE:
            value = _date(xlrd, value, self.book.datemode)
        elif kind == xlrd.XL_CELL_BOOLEAN:
            value = bool(value)
        elif kind == xlrd.XL_CELL_ERROR:
            value = xlrd.error_text_from_code.get(value, "#N/A")
        return XlsCell(value, number_format)


def _date(xlrd: Any, serial: float, datemode: int) -> Any:
    """A date cell: a time of day (a serial under 1) as a ``time``, else a ``datetime``; a serial Excel cannot show
    (negative, or past 9999) as the number it is."""
    try:
        moment = xlrd.xldate.xldate_as_datetime(serial, datemode)
    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
        return serial
    return moment.time() if 0 <= serial < 1 else moment if isinstance(moment, dt.datetime) else serial
