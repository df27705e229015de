"""Tables of figures read as officers give them: a CSV file, a list of mappings, or a pandas DataFrame.

:func:`read_table` gives the column names, the rows as given, and each row's number (its place in the file);
:func:`find_columns` says which column holds each of tdplan's :data:`COLUMNS`; the ``*_cell`` functions read one
cell. Nothing here judges a value: :mod:`tdplan.analysis.tables` does.
"""

from __future__ import annotations

import contextlib
import csv
import io
import numbers
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

from tdplan.analysis.file_kinds import check_file_kind
from tdplan.core.dimensions import group_words
from tdplan.core.errors import Hint, InputTypeError, InvalidValueError, PlanFileError, UnitError, csv_reason, os_reason
from tdplan.core.i18n import C_, Bilingual, Message, either
from tdplan.core.text import cell_words, clean
from tdplan.core.units import parse_unit
from tdplan.core.values import is_missing, is_time, too_big
from tdplan.core.vocabulary import Text

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "ENCODINGS",
    "EXTRA_CELLS",
    "GROUPS",
    "HEADER_SEARCH_ROWS",
    "MAX_TABLE_BYTES",
    "TABLE",
    "WORKBOOK_SUFFIXES",
    "TableLike",
    "cell_of",
    "check_table_file",
    "column_key",
    "count_cell",
    "decode_text",
    "find_columns",
    "frame_columns",
    "header_names",
    "header_reading",
    "header_unit",
    "ignored_columns",
    "is_blank",
    "is_frame",
    "locate_header",
    "plain_cell",
    "read_rows",
    "read_table",
    "sniff_separator",
    "text_cell",
]

TableLike: TypeAlias = "str | os.PathLike[str] | io.TextIOBase | Iterable[Mapping[str, Any]] | Any"
"""A table: a CSV file's path or open text file, an iterable of mappings (one per row), or a pandas DataFrame."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": (
        "ma_chi_tieu", "ma_so_chi_tieu", "ma_so", "ma", "indicator_code", "indicator_id", "code", "id",
        "chi_tieu", "indicator",
    ),
    "value": (
        "value", "gia_tri", "so_lieu", "ket_qua_thuc_hien", "ket_qua", "thuc_hien", "so_lieu_thuc_hien",
        "ty_le", "ty_suat", "rate", "result", "actual", "measured_value",
    ),
    "numerator": ("numerator", "tu_so"),
    "denominator": ("denominator", "mau_so"),
    "unit": ("unit", "unit_of_measure", "don_vi_tinh", "dvt"),
    "year": ("year", "nam", "nam_bao_cao", "reporting_year"),
    "period": ("period", "date", "ky", "ky_bao_cao", "ngay", "thoi_gian", "thoi_ky", "reporting_period"),
    "area": (
        "area", "place", "commune", "ward", "reporting_unit", "dia_ban", "xa", "xa_thi_tran", "xa_phuong",
        "don_vi", "don_vi_bao_cao", "don_vi_hanh_chinh",
    ),
    "residence": ("residence", "urban_rural", "khu_vuc"),
    "age": ("age", "age_group", "nhom_tuoi", "do_tuoi"),
}  # fmt: skip
"""The columns tdplan reads, and the names it recognises for each (compared by :func:`column_key`).

A header may also carry its unit in brackets (``Tỷ lệ (%)``, ``Tỷ suất (‰)``): the value
column, in that unit. Where a table names the indicator twice (``Mã chỉ tiêu`` and
``Chỉ tiêu``), the code is the indicator and the other column is its name, not used.
"""

COLUMN_LABELS: dict[str, Bilingual] = {
    "indicator": C_("column named in a message", "indicator"),
    "value": C_("column named in a message", "value"),
    "numerator": C_("column named in a message", "numerator"),
    "denominator": C_("column named in a message", "denominator"),
    "unit": C_("column named in a message", "unit"),
    "year": C_("column named in a message", "year"),
    "period": C_("column named in a message", "period"),
    "area": C_("column named in a message", "area"),
    "residence": C_("column named in a message", "residence"),
    "age": C_("column named in a message", "age"),
}
"""Each of tdplan's columns as a message names it, in Vietnamese and English."""

GROUPS = ("residence", "age")
MAX_TABLE_BYTES = 1 << 30

EXTRA_CELLS = "\x00extra cells"
"""The key under which a CSV row keeps the cells it has past the header's last column (a row problem)."""

HEADER_SEARCH_ROWS = 30
"""How far down a file the header is looked for (title rows above it are passed over)."""

_CODE_ALIASES = frozenset(COLUMNS["indicator"][:8])  # preferred over "Chỉ tiêu", which is then the indicator's name


def column_key(name: str) -> str:
    """A column name compared without case, accents, spacing or punctuation: ``Chỉ tiêu`` → ``chi_tieu``."""
    text = unicodedata.normalize("NFKD", name.strip().lower().replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", "_", text).strip("_")


_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_BRACKETED = re.compile(r"^(?P<base>.*?)\s*[(\[]\s*(?P<unit>[^()\[\]]+?)\s*[)\]]\s*$", re.DOTALL)
_PARTS = re.compile(r"\s*(?:/|,|;|\bhoặc\b|\bor\b)\s*", re.IGNORECASE)


def header_unit(name: str) -> str | None:
    """The unit a header names in brackets, if it is one tdplan reads: ``Tỷ lệ (%)`` → ``%``."""
    match = _BRACKETED.match(name)
    if match is None:
        return None
    try:
        parse_unit(match["unit"])
    except UnitError:
        return None
    return match["unit"]


def header_reading(name: str) -> str | None:
    """Which of tdplan's columns a header names (None: none); a header that names two is an error.

    >>> header_reading("Xã, thị trấn"), header_reading("Tỷ lệ (%)"), header_reading("STT")
    ('area', 'value', None)
    """
    key = column_key(name)
    if key in _ALIASES:
        return _ALIASES[key]
    match = _BRACKETED.match(name)
    if match is not None and header_unit(name) is not None:
        base = _ALIASES.get(column_key(match["base"]))
        return base if base == "value" else None
    readings = dict.fromkeys(_ALIASES[part] for part in map(column_key, _PARTS.split(name)) if part in _ALIASES)
    if len(readings) > 1:
        first, second = list(readings)[:2]
        raise InputTypeError(
            "the column {name!r} could be the {first} or the {second}: name it for one of them (docs/tables.md)",
            name=name,
            first=COLUMN_LABELS[first],
            second=COLUMN_LABELS[second],
        )
    return next(iter(readings), None)


def read_rows(data: TableLike) -> tuple[list[str], list[dict[str, Any]]]:
    """The column names and the rows of a table, as given (CSV cells are strings; blank lines are skipped)."""
    return read_table(data)[:2]


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
"""File names read as Excel workbooks (:mod:`tdplan.analysis.excel`); any other file is read as CSV."""


def read_table(data: TableLike, *, sheet: str | None = None) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    """Names, rows, and each row's number.

    In a CSV file, row 1 is the first record under the header (blank ones counted); in a
    workbook (``.xlsx``), a row's number is the one Excel shows. ``sheet`` names a
    workbook's sheet (default: the first with tdplan's columns).
    """
    path = Path(data) if isinstance(data, (str, os.PathLike)) else None
    if sheet is not None and (path is None or path.suffix.lower() not in WORKBOOK_SUFFIXES):  # a CSV has no sheets
        kind = type(data).__name__ if path is None else clean(path.name)
        raise InputTypeError("sheet= is for an Excel workbook (.xlsx, .xlsm, .xls), not for {kind}", kind=kind)
    if path is not None:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            from tdplan.analysis.excel import read_workbook

            return read_workbook(path, sheet=sheet)
        try:
            check_table_file(path)
            if path.stat().st_size > MAX_TABLE_BYTES:
                raise PlanFileError(
                    "{path}: over {limit} bytes: split the table", path=str(path), limit=MAX_TABLE_BYTES
                )
            raw = path.read_bytes()
        except (OSError, ValueError) as error:  # ValueError: a path with a NUL in it
            if isinstance(error, PlanFileError | InputTypeError):
                raise
            raise PlanFileError(
                "{path}: cannot read the table: {reason}", path=str(path), reason=os_reason(error)
            ) from None
        check_file_kind(path, raw, workbook=False)  # an .xls, .ods, PDF or web page: said so, never read as text
        return _read_csv(decode_text(raw))
    if isinstance(data, io.TextIOBase):
        return _read_csv(data.read())
    if is_frame(data):
        names, columns, count = frame_columns(data)
        cells = [{name: plain_cell(columns[name][index]) for name in names} for index in range(count)]
        return names, cells, list(range(1, count + 1))
    records: list[Any] | None = None
    if isinstance(data, Iterable) and not isinstance(data, Mapping):
        with contextlib.suppress(TypeError):  # an object that says it is iterable and is not (a pint quantity)
            records = list(data)
    if records is None:
        raise InputTypeError(
            "a table is a CSV or Excel file's path, an open text file, a list of mappings (one per row) "
            "or a pandas DataFrame, not {kind}",
            kind=type(data).__name__,
        )
    rows: list[dict[str, Any]] = []
    seen: dict[str, None] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            raise InputTypeError(
                "row {number} is a {kind}, not a mapping of column names to cells",
                number=number,
                kind=type(record).__name__,
            )
        rows.append({_name(key, number): value for key, value in record.items()})
        if len(rows[-1]) != len(record):
            raise InputTypeError(
                "row {number} has two columns with the same name (such as 1 and '1'): keep one", number=number
            )
        seen.update(dict.fromkeys(rows[-1]))
    return list(seen), rows, list(range(1, len(rows) + 1))


ENCODINGS = ("utf-8", "cp1258")
"""The encodings a CSV file is read in, in order: UTF-8 (with or without a byte order mark), else Windows-1258."""


def decode_text(raw: bytes) -> str:
    """A CSV file's text: UTF-8 (a byte order mark dropped), else Windows-1258 (Vietnamese Windows), NFC-normalised."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return unicodedata.normalize("NFC", raw.decode("utf-16"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", raw.decode("cp1258"))
    except UnicodeDecodeError as error:
        raise PlanFileError(
            "the table is neither UTF-8 nor Windows Vietnamese (cp1258) text (byte {position}): "
            "save it as 'CSV UTF-8' (docs/tables.md)",
            position=error.start,
        ) from None


def sniff_separator(text: str) -> str:
    """The separator of a CSV text: of ``;``, ``,`` and tab, the one that splits the header line into most cells."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    best, widest = ",", 0
    for separator in (";", ",", "\t"):  # ';' first: Excel's choice where ',' is the decimal sign
        width = max((len(next(csv.reader([line], delimiter=separator), [])) for line in lines), default=0)
        if width > widest:
            best, widest = separator, width
    return best


def locate_header(records: Sequence[Sequence[Any]]) -> int:
    """The index of the header among the first records: the first that names an indicator and a value.

    Title rows above it (a merged heading, a date line) are passed over; where no record
    qualifies, the first non-empty one is the header, and :func:`find_columns` says what it lacks.
    """
    first = None
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        names = [str(cell).strip() for cell in record if not is_blank(cell)]
        if not names:
            continue
        first = index if first is None else first
        try:
            readings = {header_reading(name) for name in names}
        except InputTypeError:
            return index
        if "indicator" in readings and readings & {"value", "numerator"}:
            return index
    return first or 0


def header_names(record: Sequence[Any], width: int) -> list[str]:
    """A header's names, ``width`` wide: a nameless column with cells is ``column 5`` (its position)."""
    names = [("" if is_blank(cell) else str(cell).strip()) for cell in record][:width]
    names += [""] * (width - len(names))
    names = [name or f"column {position}" for position, name in enumerate(names, start=1)]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise InputTypeError("the table has two columns named {name!r}: name each column once", name=duplicated[0])
    return names


def _read_csv(text: str) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    """Column names, rows and row numbers (blank lines are skipped, but counted: numbers match the file)."""
    text = text.removeprefix("\ufeff")
    try:
        # newline="": lines end at LF, CRLF or a CR alone (Excel for Mac); a line end inside quotes is the cell's
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text)))
    except csv.Error as error:
        raise PlanFileError("the table is not CSV that can be read: {reason}", reason=csv_reason(error)) from None
    if not any(any(cell.strip() for cell in record) for record in records):
        return [], [], []
    at = locate_header(records)
    header, body = records[at], records[at + 1 :]
    # The header's named columns; empty columns after them (the `;;` a spreadsheet leaves) are not columns.
    named = max((i + 1 for i, cell in enumerate(header) if cell.strip()), default=0)
    names = header_names(header, named)
    rows, numbers = [], []
    for number, cells in enumerate(body, start=1):
        if any(cell.strip() for cell in cells):
            row: dict[str, Any] = dict(zip(names, cells, strict=False))  # a short row lacks its last keys
            extra = [cell for cell in cells[named:] if cell.strip()]
            if extra:
                row[EXTRA_CELLS] = tuple(cells[named : max(i + 1 for i, c in enumerate(cells) if c.strip())])
            rows.append(row)
            numbers.append(number)
    return names, rows, numbers


def check_table_file(path: Path) -> None:
    """Refuse what is not a regular file (``/dev/zero`` never ends, a pipe may never answer); OSError if missing."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise PlanFileError(
            "{path}: not a file: a table is read from a regular file (save it first)", path=clean(str(path))
        )


def _name(key: object, number: int) -> str:
    """A column name as text; a name that cannot be written (a 5,000-digit int, a broken object) is refused."""
    try:
        return key if isinstance(key, str) else str(key)
    except Exception:
        raise InputTypeError(
            "row {number} has a column name that cannot be written as text ({kind}): name columns with text",
            number=number,
            kind=type(key).__name__,
        ) from None


def is_frame(data: object) -> bool:
    return hasattr(data, "columns") and hasattr(data, "to_dict") and hasattr(data, "dtypes")


def frame_columns(frame: Any) -> tuple[list[str], dict[str, Any], int]:
    """A DataFrame's column names, its columns as arrays (NumPy or pandas'), and its number of rows."""
    names = [str(name) for name in frame.columns]
    if len(set(names)) != len(names):
        raise InputTypeError("the table has two columns with the same name: keep one")
    columns = {}
    for name, column in zip(names, frame.columns, strict=True):
        series = frame[column]
        # Numbers as NumPy arrays (a view); text as pandas' own array, never copied into a million Python strings
        columns[name] = series.to_numpy() if series.dtype.kind in "biuf" else series.array
    return names, columns, len(frame)


def plain_cell(value: Any) -> Any:
    """A DataFrame cell as a plain value: missing (NaN, None, NaT, NA) as None, NumPy scalars as Python ones.

    float32 and float16 stay as they are, so that they are read at their own precision (97.2 as
    float32 is 97.2, not 97.19999694824219), as :meth:`tdplan.Plan.assess` reads them.
    """
    if is_missing(value):  # Decimal("NaN") too, as pandas takes it
        return None
    if is_time(value):  # timedelta64(16).item() is the int 16: a duration stays one, and is refused as a number
        return value
    if type(value).__module__ == "numpy" and getattr(value, "ndim", 0) == 0:
        scalar: Any = value
        narrow = isinstance(value, numbers.Real) and not isinstance(value, float | numbers.Integral)
        return value if narrow else scalar.item()
    return value


def find_columns(names: Sequence[str]) -> dict[str, str]:
    """Which given column holds each of tdplan's columns; two columns for one is an error.

    >>> find_columns(["STT", "Xã, thị trấn", "Năm báo cáo", "Mã chỉ tiêu", "Chỉ tiêu", "Tỷ lệ (%)"])
    {'area': 'Xã, thị trấn', 'year': 'Năm báo cáo', 'indicator': 'Mã chỉ tiêu', 'value': 'Tỷ lệ (%)'}
    """
    found: dict[str, str] = {}
    for name in names:
        column = header_reading(name)
        if column is None:
            continue
        if column in found:
            if column == "indicator" and (column_key(found[column]) in _CODE_ALIASES) != (
                column_key(name) in _CODE_ALIASES
            ):
                if column_key(name) in _CODE_ALIASES:
                    found[column] = name  # the code is the indicator; "Chỉ tiêu" is then its name
                continue
            raise InputTypeError(
                "columns {found!r} and {name!r} both give the {column}: keep one",
                found=found[column],
                name=name,
                column=COLUMN_LABELS[column],
            )
        found[column] = name
    shown = ", ".join(map(repr, names)) if any(str(name).strip() for name in names) else Message("none")
    if "indicator" not in found:
        raise InputTypeError(
            "the table has no indicator column: name one 'Mã chỉ tiêu', 'Chỉ tiêu' or 'indicator' "
            "(columns: {columns}; see docs/tables.md)",
            columns=shown,
        )
    if not {"value", "numerator"} & found.keys():
        raise InputTypeError(
            "the table has no value column: name one 'Giá trị', 'Số liệu', 'Tỷ lệ (%)' or 'value', "
            "or give 'Tử số' and 'Mẫu số' (columns: {columns}; see docs/tables.md)",
            columns=shown,
        )
    if not {"year", "period"} & found.keys():
        raise InputTypeError(
            "the table has no year column: name one 'Năm' or 'year', or 'Kỳ báo cáo' or 'period' "
            "(columns: {columns}; see docs/tables.md)",
            columns=shown,
        )
    return found


def ignored_columns(names: Sequence[str], found: Mapping[str, str]) -> tuple[str, ...]:
    """The columns of a table that tdplan does not read (named in every report, never dropped in silence)."""
    used = set(found.values())
    return tuple(name for name in names if name not in used)


def cell_of(cells: Mapping[str, Any], found: Mapping[str, str], column: str) -> Any:
    """The cell of one of tdplan's columns, or None where the table has no such column."""
    return cells.get(found[column]) if column in found else None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_cell(value: Any) -> str | None:
    """A cell as text, for ids, areas and groups (a whole number such as 3 becomes '3')."""
    if is_blank(value):
        return None
    if isinstance(value, bool) or is_time(value):
        raise InputTypeError("{value!r} is not a name or an id", value=value)
    if too_big(value):
        raise InputTypeError("{value!r} is not a name or an id", value=value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not isinstance(value, str):
        raise InputTypeError("{value!r} is not a name or an id", value=value)
    return " ".join(unicodedata.normalize("NFC", value).split())


_GROUPED = re.compile(r"\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*", re.ASCII)  # ASCII: int() cannot read '²⁰²⁵'


def count_cell(value: Any, column: str) -> int:
    """A count (a year, a numerator), 0 or more, with or without thousands groups (``2.500``, ``2,500``, ``2 500``).

    ``column`` is one of :data:`COLUMNS` and names the cell in errors.
    """
    label = COLUMN_LABELS[column]
    if isinstance(value, bool) or is_time(value):
        raise InputTypeError("{column} {value!r} is not a count", column=label, value=value)
    if (isinstance(value, Decimal) and (not value.is_finite() or value.adjusted() > 30)) or too_big(value):
        raise InvalidValueError(
            "{column} {value} is not a count tdplan reads: a whole number of at most 30 digits",
            column=label,
            value=value,
        )
    if isinstance(value, numbers.Integral | float | Decimal) and value < 0:
        raise InvalidValueError("{column} {value} is negative: counts are 0 or more", column=label, value=value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = " ".join(value.replace("\u00a0", " ").split())
        digits = re.sub(r"\D", "", text, flags=re.ASCII)
        if len(digits) > 30 and ((text.isascii() and text.isdigit()) or _GROUPED.fullmatch(text)):
            raise InvalidValueError(
                "{column} {value} is not a count tdplan reads: a whole number of at most 30 digits",
                column=label,
                value=text[:40] + "…",
            )
        if text.isascii() and text.isdigit():
            return int(text)
        if _GROUPED.fullmatch(text):  # a count has no decimals: 2.500 is two thousand five hundred
            return int(digits)
        if (text.isascii() and text.lstrip("-").isdigit()) or _GROUPED.fullmatch(text.lstrip("-")):
            raise InvalidValueError("{column} {value} is negative: counts are 0 or more", column=label, value=text)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise InputTypeError("{column} {value!r} is not a count (a whole number)", column=label, value=value)


class TableWording:
    """How a row of a table says what to give: which column to fill, in the table's words (a :class:`Surface`)."""

    def spell(self, value: Any, lang: str) -> str | None:
        """A :class:`~tdplan.Hint` as a column to fill (``rural ở cột khu vực``); a cell's date as a sheet shows it."""
        if not isinstance(value, Hint):
            return cell_words(value, lang)
        if value.argument == "series":
            return Message("with tdplan's Python library").text(lang)
        if value.argument in ("disaggregation", "groups"):
            names = {name for group in value.groups for name in group}
            if len(names) == 1 and all(len(group) == 1 for group in value.groups):  # rural or urban in one column
                name = names.pop()
                return self._cells({name: either([group_words(g, name, lang) for g in value.groups], lang)}, lang)
            return either([self._cells(group, lang) for group in value.groups], lang)
        label = COLUMN_LABELS.get(value.argument)
        if label is None:
            return None
        return Message(
            "{values} in the {column} column", values=either([str(v) for v in value.values], lang), column=label
        ).text(lang)

    @staticmethod
    def _cells(group: Mapping[str, str], lang: str) -> str:
        return " ".join(
            Message("{values} in the {column} column", values=cell, column=COLUMN_LABELS.get(name, Text(name))).text(
                lang
            )
            for name, cell in group.items()
        )


TABLE = TableWording()
"""The words of a table: a row problem says which column to fill."""
