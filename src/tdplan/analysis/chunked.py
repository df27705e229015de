"""Large CSV files read with pyarrow, for the NumPy path: columns of text, and the values and years as numbers.

:func:`read_csv_columns` reads a CSV file with pyarrow's streaming CSV reader, a block of
:data:`BLOCK_BYTES` at a time, every cell as text. A column with few distinct cells (an
indicator, a year, an area) is kept as a :class:`pandas.Categorical` (a byte or two a
row), any other as Arrow-backed text (about its size in the file). It gives what
:func:`tdplan.analysis.tables.assess_table` needs to decide the table with NumPy: the
column names, the columns, and each row's value and year as numbers where the text is one
the scalar path reads the same way (``16.5``, ``16,5``, ``2025``); every other cell
(``16,500``, ``16,5‰``, a blank) is left to the scalar path.

It reads exactly what :func:`tdplan.analysis.reading.read_table` reads, or nothing:
where the two could differ (a blank line or a line of empty cells, a row longer or
shorter than the header, which pyarrow refuses; two columns with one name; text that is
not UTF-8; no pandas or pyarrow) it returns None and the standard reader reads the file,
and says what is wrong with the row where something is. (The standard reader tells a
short row's missing cells from empty ones: :func:`tdplan.analysis.tables.missing_cells`.)
"""

from __future__ import annotations

import csv
import importlib
import io
import os
from pathlib import Path
from typing import Any

import attrs

from tdplan.analysis.reading import find_columns, sniff_separator
from tdplan.core.errors import TdplanError

__all__ = ["BLOCK_BYTES", "CsvColumns", "read_csv_columns"]

BLOCK_BYTES = 1 << 20
"""Bytes of the file parsed at a time: a block's cells as Arrow text are the most memory the reading adds."""

CATEGORIES = 4096
"""A column whose first block has at most this many distinct cells is kept as a Categorical."""

# A value the scalar path reads as the float of the same text: at most 14 digits, and never three digits after
# the separator ("16,500" is 16.5 in Vietnamese and 16500 in English: the scalar path decides which).
_PLAIN_VALUE = r"(?:0|[1-9][0-9]{0,5})(?:[.,](?:[0-9]{1,2}|[0-9]{4,8}))?"
_PLAIN_YEAR = r"[0-9]{4}"
# A character str.strip() keeps: a cell with one is not blank (the standard reader skips rows of blank cells).
_NOT_SPACE = r"[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"


@attrs.frozen
class CsvColumns:
    """A CSV table as columns: names (stripped, as the standard reader gives them), columns by name, and numbers.

    ``values``: each row's value as a float64, NaN where the scalar path must read the cell;
    ``years``: each row's year as an int64, -1 where the scalar path must read it.
    """

    names: list[str]
    columns: dict[str, Any]
    rows: int
    values: Any
    years: Any


def read_csv_columns(path: str | os.PathLike[str]) -> CsvColumns | None:
    """The table in ``path`` as columns, or None where the standard reader must read it (see the module)."""
    try:
        pandas = importlib.import_module("pandas")
        pa = importlib.import_module("pyarrow")
        pa_csv = importlib.import_module("pyarrow.csv")
    except ImportError:
        return None
    file = Path(path)
    try:
        with file.open("rb") as raw:
            start = raw.read(65536)
            if not start or _blank_lines(start, raw):
                return None  # blank lines: the standard reader counts them in row numbers
    except OSError:
        return None
    head = start.decode("utf-8-sig", errors="ignore")
    separator = sniff_separator(head)  # as the standard reader does, with its quoting: Excel's
    header = next(csv.reader(io.StringIO(head), delimiter=separator), [])
    names = [name.strip() for name in header]
    if len(set(names)) != len(names) or not all(names):
        return None  # two columns with one name, a nameless column: the standard reader says what is wrong
    try:
        found = find_columns(names)
    except TdplanError:
        return None  # two columns giving the value: the standard reader's error
    if not _decidable(found):
        return None  # title rows above the header, counts, periods: the standard reader
    options = {
        "read_options": pa_csv.ReadOptions(
            block_size=BLOCK_BYTES, skip_rows=1, column_names=[f"c{at}" for at in range(len(names))]
        ),
        "parse_options": pa_csv.ParseOptions(
            delimiter=separator,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=False,
        ),
        "convert_options": pa_csv.ConvertOptions(
            column_types={f"c{at}": pa.string() for at in range(len(names))},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=True,
        ),
    }
    reader = _Reader(names, found)
    try:
        for batch in pa_csv.open_csv(file, **options, memory_pool=_pool()):
            if not reader.add(batch):
                return None
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError):
        return None  # a row longer or shorter than the header, bytes not UTF-8: the standard reader says what
    if reader.rows == 0:
        return None
    return reader.columns(pandas, pa)


def _blank_lines(head: bytes, raw: Any) -> bool:
    """Whether the file (``head``, then what ``raw`` has left) has a blank line, read a block at a time.

    Read, not mapped: a mapped file's pages count in the process's memory.
    """
    block, tail = head, b""
    while block:
        text = tail + block
        if b"\n\n" in text or b"\n\r\n" in text or b"\r\r" in text:
            return True
        tail, block = text[-2:], raw.read(BLOCK_BYTES)
    return False


def _decidable(found: dict[str, str]) -> bool:
    """Whether NumPy decides a table with these columns: a value and a year, no counts or periods."""
    return "value" in found and "year" in found and not {"numerator", "denominator", "period"} & found.keys()


class _Reader:
    """The blocks of a CSV file, each checked and turned into what the NumPy path reads."""

    def __init__(self, names: list[str], found: dict[str, str]) -> None:
        self.names, self.rows = names, 0
        self.value, self.year = names.index(found["value"]), names.index(found["year"])
        self.parts: list[list[Any]] = [[] for _ in names]
        self.categories: list[dict[str, int] | None] | None = None  # per column, a category's code; None: text
        self.values: list[Any] = []
        self.years: list[Any] = []

    def add(self, batch: Any) -> bool:
        """Take one block; False where the standard reader must read the file (a line of blank cells)."""
        compute, pool = importlib.import_module("pyarrow.compute"), _pool()
        columns = batch.columns
        kept = compute.match_substring_regex(columns[0], _NOT_SPACE, memory_pool=pool)
        if not compute.all(kept).as_py():
            for column in columns[1:]:
                found = compute.match_substring_regex(column, _NOT_SPACE, memory_pool=pool)
                kept = compute.or_(kept, found, memory_pool=pool)
            if not compute.all(kept).as_py():
                return False  # a line of empty cells (",,,"): the standard reader skips it
        if self.categories is None:
            few = [compute.count_distinct(column).as_py() <= CATEGORIES for column in columns]
            self.categories = [{} if categorical else None for categorical in few]
        numbers: list[tuple[Any, Any]] = []  # (the texts numbers are read from, each row's index into them)
        for at, (part, column, codes) in enumerate(zip(self.parts, columns, self.categories, strict=True)):
            texts, indices = column, None
            if codes is not None:
                texts, indices = _encode(column, codes, part)
            else:
                part.append(column)
            if at in (self.value, self.year):
                numbers.append((texts, indices))
        for (texts, indices), read in zip(numbers, (_values, plain_years), strict=True):
            numbers_read = read(texts)
            (self.values if read is _values else self.years).append(
                numbers_read if indices is None else numbers_read[indices]
            )
        self.rows += batch.num_rows
        return True

    def columns(self, pandas: Any, pa: Any) -> CsvColumns:
        """The columns read, by name: Categoricals and Arrow-backed text."""
        import numpy as np

        columns = {}
        for at, name in enumerate(self.names):
            parts, categories = self.parts[at], (self.categories or [])[at]
            if categories is None:
                columns[name] = _text(pandas, pa.chunked_array(parts, pa.string()))
            else:
                codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
                columns[name] = pandas.Categorical.from_codes(codes, pandas.Index(list(categories), dtype=object))
            self.parts[at] = []
        return CsvColumns(self.names, columns, self.rows, np.concatenate(self.values), np.concatenate(self.years))


def _encode(column: Any, codes: dict[str, int], part: list[Any]) -> tuple[Any, Any]:
    """A block's column as codes into the file's categories (``codes``, grown by new cells), kept in ``part``:
    gives the block's distinct cells and each row's index into them."""
    import numpy as np

    compute = importlib.import_module("pyarrow.compute")
    encoded = compute.dictionary_encode(column, memory_pool=_pool())
    if isinstance(encoded, importlib.import_module("pyarrow").ChunkedArray):
        encoded = encoded.combine_chunks()
    distinct = encoded.dictionary
    lookup = np.array([codes.setdefault(cell, len(codes)) for cell in distinct.to_pylist()], dtype=np.int64)
    indices = encoded.indices.to_numpy()
    part.append(lookup.astype(np.int16 if len(codes) <= 32767 else np.int32)[indices])
    return distinct, indices


def _values(column: Any) -> Any:
    return plain_numbers(column)[0]


def _pool() -> Any:
    """pyarrow's memory pool for reading: the system allocator's, which gives freed blocks back (jemalloc, the
    default, keeps them: 50 MB more at its peak for a 18 MB file), set per call, not for the process."""
    return importlib.import_module("pyarrow").system_memory_pool()


def _text(pandas: Any, chunked: Any) -> Any:
    """Arrow text as pandas' text array (its ``str`` dtype where pandas has one), without a copy."""
    import numpy as np

    try:
        return pandas.array(chunked, dtype=pandas.StringDtype("pyarrow", na_value=np.nan))
    except TypeError:  # pandas before 2.1: no na_value
        return pandas.arrays.ArrowStringArray(chunked)


def plain_numbers(column: Any) -> tuple[Any, Any]:
    """Text (an Arrow array, or a list) as float64 values (NaN where the scalar path must read the cell),
    and whether each was read."""
    import numpy as np

    pa, compute = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    column = column if isinstance(column, pa.Array | pa.ChunkedArray) else pa.array(column, pa.string())
    pool = _pool()
    plain = compute.match_substring_regex(column, f"^{_PLAIN_VALUE}$", memory_pool=pool).to_numpy(zero_copy_only=False)
    values = np.full(len(column), np.nan)
    if plain.any():
        text = compute.replace_substring(column.filter(plain), ",", ".", memory_pool=pool)
        values[plain] = compute.cast(text, "float64", memory_pool=pool).to_numpy()
    return values, plain


def plain_years(column: Any) -> Any:
    """Text (an Arrow array, or a list) as int64 years (-1 where the scalar path must read the cell)."""
    import numpy as np

    pa, compute = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    column = column if isinstance(column, pa.Array | pa.ChunkedArray) else pa.array(column, pa.string())
    pool = _pool()
    plain = compute.match_substring_regex(column, f"^{_PLAIN_YEAR}$", memory_pool=pool).to_numpy(zero_copy_only=False)
    years = np.full(len(column), -1, dtype=np.int64)
    if plain.any():
        years[plain] = compute.cast(column.filter(plain), "int64", memory_pool=pool).to_numpy()
    return years


def value_notations(column: Any) -> set[str]:
    """The notations (``"vi"``, ``"en"``) the value column's cells settle, each distinct cell read once."""
    from tdplan.analysis.cells import cell_notation

    pandas = importlib.import_module("pandas")
    found: set[str] = set()
    for cell in pandas.unique(pandas.Series(column)):
        notation = cell_notation(cell) if isinstance(cell, str) and cell.strip() else None
        if notation is not None:
            found.add(notation)
    return found
