"""Tables of figures read as officers give them: a CSV file, a list of mappings, or a pandas DataFrame.

:func:`read_table` gives the column names, the rows as given, and each row's number (its
place in the file); :func:`find_columns` says which column holds each of tdplan's
:data:`COLUMNS`; the ``*_cell`` functions read one cell. Nothing here judges a value:
:mod:`tdplan.analysis.tables` does.
"""

from __future__ import annotations

import csv
import io
import numbers
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

from tdplan.core.errors import Hint, InputTypeError, InvalidValueError, PlanFileError, os_reason
from tdplan.core.i18n import Message, either
from tdplan.core.vocabulary import Text

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "GROUPS",
    "MAX_TABLE_BYTES",
    "TABLE",
    "TableLike",
    "cell_of",
    "column_key",
    "count_cell",
    "find_columns",
    "frame_columns",
    "is_blank",
    "is_frame",
    "plain_cell",
    "read_rows",
    "read_table",
    "text_cell",
]

TableLike: TypeAlias = "str | os.PathLike[str] | io.TextIOBase | Iterable[Mapping[str, Any]] | Any"
"""A table: a CSV file's path or open text file, an iterable of mappings (one per row), or a pandas DataFrame."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "indicator_id", "id", "chi_tieu", "ma_chi_tieu", "ma"),
    "value": ("value", "gia_tri", "so_lieu"),
    "numerator": ("numerator", "tu_so"),
    "denominator": ("denominator", "mau_so"),
    "unit": ("unit", "don_vi", "don_vi_tinh"),
    "year": ("year", "nam"),
    "period": ("period", "date", "ky", "ky_bao_cao", "ngay", "thoi_gian"),
    "area": ("area", "place", "commune", "dia_ban", "xa", "don_vi_hanh_chinh"),
    "residence": ("residence", "khu_vuc"),
    "age": ("age", "age_group", "nhom_tuoi", "do_tuoi"),
}
"""The columns tdplan reads, and the names it recognises for each (compared without case or accents)."""

COLUMN_LABELS: dict[str, Text] = {
    "indicator": Text("chỉ tiêu", "indicator"),
    "value": Text("giá trị", "value"),
    "numerator": Text("tử số", "numerator"),
    "denominator": Text("mẫu số", "denominator"),
    "unit": Text("đơn vị", "unit"),
    "year": Text("năm", "year"),
    "period": Text("kỳ", "period"),
    "area": Text("địa bàn", "area"),
    "residence": Text("khu vực", "residence"),
    "age": Text("nhóm tuổi", "age"),
}
"""Each of tdplan's columns as a message names it, in Vietnamese and English."""

GROUPS = ("residence", "age")
MAX_TABLE_BYTES = 1 << 30


def column_key(name: str) -> str:
    """A column name compared without case, accents or separators: ``Chỉ tiêu`` → ``chi_tieu``."""
    text = unicodedata.normalize("NFKD", name.strip().lower().replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}


def read_rows(data: TableLike) -> tuple[list[str], list[dict[str, Any]]]:
    """The column names and the rows of a table, as given (CSV cells are strings; blank lines are skipped)."""
    names, rows, _ = read_table(data)
    return names, rows


def read_table(data: TableLike) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    """Names, rows, and each row's number (1 = the first record under a CSV header, blank ones counted)."""
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        try:
            if path.stat().st_size > MAX_TABLE_BYTES:
                raise PlanFileError("{path}: over {limit} bytes: split the table", path=path, limit=MAX_TABLE_BYTES)
            with path.open(encoding="utf-8-sig", newline="") as file:
                return _read_csv(file)
        except UnicodeDecodeError as error:
            raise PlanFileError(
                "{path}: not UTF-8 text (byte {byte}): save the table as CSV UTF-8", path=path, byte=error.start
            ) from None
        except (OSError, ValueError) as error:  # ValueError: a path with a NUL in it
            if isinstance(error, PlanFileError | InputTypeError):
                raise
            raise PlanFileError("{path}: cannot read the table: {reason}", path=path, reason=os_reason(error)) from None
    if isinstance(data, io.TextIOBase):
        return _read_csv(data)
    if is_frame(data):
        names, columns, count = frame_columns(data)
        cells = [{name: plain_cell(columns[name][index]) for name in names} for index in range(count)]
        return names, cells, list(range(1, count + 1))
    if isinstance(data, Mapping) or not isinstance(data, Iterable):
        raise InputTypeError(
            "a table is a CSV file's path, an open text file, a list of mappings (one per row) "
            "or a pandas DataFrame, not {type}",
            type=type(data).__name__,
        )
    rows: list[dict[str, Any]] = []
    seen: dict[str, None] = {}
    for number, record in enumerate(data, start=1):
        if not isinstance(record, Mapping):
            raise InputTypeError(
                "row {number} is a {type}, not a mapping of column names to cells",
                number=number,
                type=type(record).__name__,
            )
        rows.append({str(key): value for key, value in record.items()})
        if len(rows[-1]) != len(record):
            raise InputTypeError(
                "row {number} has two columns with the same name (such as 1 and '1'): keep one", number=number
            )
        seen.update(dict.fromkeys(rows[-1]))
    return list(seen), rows, list(range(1, len(rows) + 1))


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
        # Numbers as NumPy arrays (a view); text as pandas' own array, positional and not copied
        # into a million Python strings (with Arrow-backed strings, that would be most of the memory).
        columns[name] = series.to_numpy() if series.dtype.kind in "biuf" else series.array
    return names, columns, len(frame)


def plain_cell(value: Any) -> Any:
    """A DataFrame cell as a plain value: missing (NaN, None, NaT, NA) as None, NumPy scalars as Python ones.

    float32 and float16 stay as they are, so that they are read at their own precision (97.2 as
    float32 is 97.2, not 97.19999694824219), as :meth:`tdplan.Plan.assess` reads them.
    """
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, Decimal | numbers.Integral) and value != value:
        return None  # NaN, NumPy's float32 NaN included
    if type(value).__module__ == "numpy":
        scalar: Any = value
        narrow = isinstance(value, numbers.Real) and not isinstance(value, float | numbers.Integral)
        return value if narrow else scalar.item()
    return value


def _read_csv(file: Any) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    """Column names, rows and row numbers (blank lines are skipped, but counted: numbers match the file)."""
    text = file.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise PlanFileError("the table is not CSV that can be read: {error}", error=error) from None
    if not records:
        return [], [], []
    names = [name.strip() for name in records[0]]
    widest = max(len(cells) for cells in records)
    names += [f"column {position}" for position in range(len(names) + 1, widest + 1)]  # cells past the header
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise InputTypeError(
            "the table has two columns named {duplicated!r}: name each column once", duplicated=duplicated[0]
        )
    rows, numbers = [], []
    for number, cells in enumerate(records[1:], start=1):
        if any(cell.strip() for cell in cells):
            rows.append({name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names)})
            numbers.append(number)
    return names, rows, numbers


def find_columns(names: Sequence[str]) -> dict[str, str]:
    """Which given column holds each of tdplan's columns; two columns for one is an error."""
    found: dict[str, str] = {}
    for name in names:
        column = _ALIASES.get(column_key(name))
        if column is None:
            continue
        if column in found:
            raise InputTypeError(
                "columns {found!r} and {name!r} both give the {column}: keep one",
                found=found[column],
                name=name,
                column=COLUMN_LABELS[column],
            )
        found[column] = name
    if "indicator" not in found:
        raise InputTypeError(
            "the table has no indicator column: name one 'indicator' or 'chỉ tiêu' (columns: {columns})",
            columns=", ".join(repr(name) for name in names),
        )
    if not {"value", "numerator"} & found.keys():
        raise InputTypeError(
            "the table has no value column: name one 'value' or 'giá trị', or give numerator and denominator"
        )
    if not {"year", "period"} & found.keys():
        raise InputTypeError("the table has no year column: name one 'year' or 'năm', or 'period' / 'kỳ'")
    return found


def cell_of(cells: Mapping[str, Any], found: Mapping[str, str], column: str) -> Any:
    """The cell of one of tdplan's columns, or None where the table has no such column."""
    return cells.get(found[column]) if column in found else None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_cell(value: Any) -> str | None:
    """A cell as text, for ids, areas and groups (a whole number such as 3 becomes '3')."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InputTypeError("{value!r} is not a name or an id", value=value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not isinstance(value, str):
        raise InputTypeError("{value!r} is not a name or an id", value=value)
    return " ".join(unicodedata.normalize("NFC", value).split())


def count_cell(value: Any, column: str) -> int:
    """A cell that holds a count (a year, a numerator): a whole number, 0 or more; ``column`` names it in errors."""
    label = COLUMN_LABELS[column]
    if isinstance(value, bool):
        raise InputTypeError("{column} {value!r} is not a count", column=label, value=value)
    if isinstance(value, numbers.Integral | float | Decimal) and value < 0:
        raise InvalidValueError("{column} {value} is negative: counts are 0 or more", column=label, value=value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        raise InvalidValueError("{column} {value} is negative: counts are 0 or more", column=label, value=value.strip())
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise InputTypeError("{column} {value!r} is not a count (a whole number)", column=label, value=value)


class TableWording:
    """How a row of a table says what to give: which column to fill, in the table's words (a :class:`Surface`)."""

    def spell(self, value: Any, lang: str) -> str | None:
        """A :class:`~tdplan.Hint` as a column to fill (``rural ở cột khu vực``); None for anything else."""
        if not isinstance(value, Hint):
            return None
        if value.argument == "series":
            return Message("with tdplan's Python library").text(lang)
        if value.argument in ("disaggregation", "groups"):
            names = {name for group in value.groups for name in group}
            if len(names) == 1 and all(len(group) == 1 for group in value.groups):  # rural or urban in one column
                name = names.pop()
                cells = either([group[name] for group in value.groups], lang)
                return self._cells({name: cells}, lang)
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
