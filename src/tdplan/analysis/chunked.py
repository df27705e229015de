"""Large CSV files read with pyarrow, for the NumPy path: columns of text, and the values and years as numbers.

:func:`read_csv_columns` reads a CSV file with pyarrow's streaming CSV reader, a block of
:data:`BLOCK_BYTES` at a time, every cell as text. A column with few distinct cells (an
indicator, a year, an area) is kept as a :class:`~tdplan.analysis.columns.CodedColumn` (a
byte or two a row), any other as a :class:`~tdplan.analysis.columns.TextColumn` (pyarrow
text, about its size in the file): pandas is not needed, nor imported. It gives what
:func:`tdplan.analysis.tables.assess_table` needs to decide the table with NumPy: the
column names, the columns, and each row's value and year as numbers where the text is one
the scalar path reads the same way (``16.5``, ``16,5``, ``2025``); every other cell
(``16,500``, ``16,5‰``, a blank) is left to the scalar path.

It reads exactly what :func:`tdplan.analysis.reading.read_table` reads, or nothing:
where the two could differ (a blank line or a line of empty cells, a row longer or
shorter than the header, which pyarrow refuses; two columns with one name; a cell longer
than :func:`csv.field_size_limit`, which the standard reader refuses; text that is not
UTF-8; no pyarrow) it returns None and the standard reader reads the file,
and says what is wrong with the row where something is. (The standard reader tells a
short row's missing cells from empty ones: :func:`tdplan.analysis.tables.missing_cells`.)
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import sys
from pathlib import Path
from typing import Any

import attrs

from tdplan.analysis.arrow import arrow_array, numpy_of
from tdplan.analysis.cells import CELL_UNITS
from tdplan.analysis.columns import CodedColumn, TextColumn, factorize
from tdplan.analysis.reading import find_columns, header_unit, sniff_separator
from tdplan.core.errors import TdplanError
from tdplan.core.notation import Lang

__all__ = [
    "BLOCK_BYTES",
    "CATEGORIES",
    "CsvColumns",
    "frame_numbers",
    "plain_numbers",
    "plain_years",
    "read_csv_columns",
    "unit_numbers",
    "value_notations",
    "whole_years",
]

BLOCK_BYTES = 1 << 20
"""Bytes of the file parsed at a time: a block's cells as Arrow text are the most memory the reading adds."""

CATEGORIES = 4096
"""A column whose first block has at most this many distinct cells is kept as a :class:`CodedColumn`."""

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
    ``years``: each row's year as an int16, -1 where the scalar path must read it.
    """

    names: list[str]
    columns: dict[str, Any]
    rows: int
    values: Any
    years: Any
    units: Any = None
    """Without a unit column, the unit written after each value (``95,5%``): a CodedColumn of :data:`CELL_UNITS`;
    None where no value has one."""


def read_csv_columns(path: str | os.PathLike[str]) -> CsvColumns | None:
    """The table in ``path`` as columns, or None where the standard reader must read it (see the module)."""
    try:
        importlib.import_module("numpy")
        pa = importlib.import_module("pyarrow")
        pa_csv = importlib.import_module("pyarrow.csv")
    except ImportError:
        return None
    file = Path(path)
    try:
        # The characters the standard reader sniffs the separator from (65,536 of them, not bytes); text that is
        # not UTF-8 there (a cp1258 header above ASCII rows) is read by the standard reader, as all of it.
        with file.open(encoding="utf-8-sig", newline="") as text:
            head = text.read(65536)
        if not head:
            return None
    except (OSError, UnicodeDecodeError):
        return None
    separator = sniff_separator(head)  # as the standard reader does, with its quoting: Excel's
    try:
        header = next(csv.reader(io.StringIO(head, newline=""), delimiter=separator), [])
    except csv.Error:
        return None  # not CSV the standard reader reads: it says why
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
            block_size=BLOCK_BYTES,
            use_threads=False,
            skip_rows_after_names=1,
            column_names=[f"c{at}" for at in range(len(names))],
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
    reader = _Reader(names, found, file.stat().st_size)
    try:  # the file's blocks too are read into the system allocator's memory, not pyarrow's default pool's
        with pa.OSFile(str(file), "r", memory_pool=_pool()) as source:
            for batch in pa_csv.open_csv(source, **options, memory_pool=_pool()):
                if not reader.add(batch):
                    return None
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError):
        return None  # a row longer or shorter than the header, bytes not UTF-8: the standard reader says what
    if reader.rows == 0:
        return None
    return reader.columns(pa)


def _decidable(found: dict[str, str]) -> bool:
    """Whether NumPy decides a table with these columns: a value and a year, no counts or periods."""
    return "value" in found and "year" in found and not {"numerator", "denominator", "period"} & found.keys()


class _Reader:
    """The blocks of a CSV file, each checked and turned into what the NumPy path reads."""

    def __init__(self, names: list[str], found: dict[str, str], size: int) -> None:
        self.names, self.size, self.rows = names, size, 0
        self.value, self.year = names.index(found["value"]), names.index(found["year"])
        self.texts: list[list[Any]] = [[] for _ in names]  # per column, its blocks (a column kept as text)
        self.codes: list[_Growing | None] = [None] * len(names)  # per column, its codes (a CodedColumn)
        self.categories: list[dict[str, int] | None] | None = None  # per column, a category's code; None: text
        self.values, self.years = _Growing("float64"), _Growing("int16")
        # Without a unit column, the unit written after a value (95,5%), as its index in CELL_UNITS
        self.units = _Growing("int8") if "unit" not in found else None

    def add(self, batch: Any) -> bool:
        """Take one block; False where the standard reader must read the file (a line of blank cells, a cell
        longer than it reads)."""
        import numpy as np

        compute, pool = importlib.import_module("pyarrow.compute"), _pool()
        columns = batch.columns
        kept = compute.match_substring_regex(columns[0], _NOT_SPACE, memory_pool=pool)
        if not compute.all(kept, memory_pool=pool).as_py():
            for column in columns[1:]:
                found = compute.match_substring_regex(column, _NOT_SPACE, memory_pool=pool)
                kept = compute.or_(kept, found, memory_pool=pool)
            if not compute.all(kept, memory_pool=pool).as_py():
                return False  # a blank line, or one of empty cells (",,,"): the standard reader skips it
        if any(_longest(compute, column) > csv.field_size_limit() for column in columns):
            return False  # a cell the standard reader refuses as too long (a quote left open, most often)
        if self.categories is None:
            # Room for every row of the file, from this block's rows per byte (5 % spare), so that the columns are
            # filled in place, not joined from their blocks at the end (which would hold each twice)
            room = int(batch.num_rows * self.size / min(self.size, BLOCK_BYTES) * 1.05) + 1
            few = [compute.count_distinct(column, memory_pool=pool).as_py() <= CATEGORIES for column in columns]
            self.categories = [{} if categorical else None for categorical in few]
            self.codes = [_Growing("int8", room) if categorical else None for categorical in few]
            self.values.data, self.years.data = np.empty(room), np.empty(room, dtype=np.int16)
            if self.units is not None:
                self.units.data = np.empty(room, dtype=np.int8)
        read: dict[int, tuple[Any, Any]] = {}  # by column: the texts its numbers are read from, each row's index
        for at, (column, categories) in enumerate(zip(columns, self.categories, strict=True)):
            if categories is None:
                self.texts[at].append(column)
                read[at] = (column, None)
            else:
                distinct, indices = _encode(column)
                codes = self.codes[at]
                if codes is not None:
                    codes.add(_codes_of(distinct, categories)[indices])
                read[at] = (distinct, indices)
        texts, indices = read[self.value]
        if self.units is None:
            values = plain_numbers(texts)[0]
        else:
            values, units = unit_numbers(texts)
            self.units.add(units if indices is None else units[indices])
        self.values.add(values if indices is None else values[indices])
        texts, indices = read[self.year]
        years = plain_years(texts)
        self.years.add(years if indices is None else years[indices])
        self.rows += batch.num_rows
        return True

    def columns(self, pa: Any) -> CsvColumns:
        """The columns read, by name: coded and pyarrow text."""
        columns: dict[str, Any] = {}
        for at, name in enumerate(self.names):
            categories, codes = self.categories[at] if self.categories else None, self.codes[at]
            if categories is None or codes is None:
                columns[name] = TextColumn(pa.chunked_array(self.texts[at], pa.string()))
                self.texts[at] = []
            else:
                columns[name] = CodedColumn(codes.array(), list(categories))
                self.codes[at] = None
        units = self.units.array() if self.units is not None else None
        written = CodedColumn(units, list(CELL_UNITS)) if units is not None and units.any() else None
        return CsvColumns(self.names, columns, self.rows, self.values.array(), self.years.array(), written)


def _longest(compute: Any, column: Any) -> int:
    """The most characters in a cell of a column (counted only where its bytes could be too many)."""
    pool = _pool()
    most = compute.max(compute.binary_length(column, memory_pool=pool), memory_pool=pool).as_py() or 0
    if most <= csv.field_size_limit():
        return int(most)
    return int(compute.max(compute.utf8_length(column, memory_pool=pool), memory_pool=pool).as_py())


class _Growing:
    """A NumPy array filled a block at a time, in room made for the whole file: made larger if it falls short, and
    wider if a block needs it (codes of a byte become two past 128 categories)."""

    def __init__(self, dtype: str, room: int = 0) -> None:
        import numpy as np

        self.data, self.size = np.empty(room, dtype=dtype), 0

    def add(self, block: Any) -> None:
        import numpy as np

        end = self.size + len(block)
        if end > len(self.data) or not np.can_cast(block.dtype, self.data.dtype):
            grown = np.empty(max(end, len(self.data) * 5 // 4), dtype=np.result_type(self.data, block))
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : end] = block
        self.size = end

    def array(self) -> Any:
        """The values added (a view of the room made for them)."""
        return self.data[: self.size]


def _encode(column: Any) -> tuple[Any, Any]:
    """A block's distinct cells (an Arrow array) and each row's index into them."""
    compute, pa = importlib.import_module("pyarrow.compute"), importlib.import_module("pyarrow")
    encoded = compute.dictionary_encode(column, memory_pool=_pool())
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks(memory_pool=_pool())
    return encoded.dictionary, numpy_of(encoded.indices)


def _codes_of(distinct: Any, categories: dict[str, int]) -> Any:
    """The file's code of each distinct cell of a block (``categories``, grown by the cells it has not seen)."""
    import numpy as np

    codes = [categories.setdefault(cell, len(categories)) for cell in distinct.to_pylist()]
    return np.array(
        codes, dtype=np.int8 if len(categories) <= 2**7 else np.int16 if len(categories) <= 2**15 else np.int32
    )


def _pool() -> Any:
    """pyarrow's memory pool for reading: the system allocator's, which gives freed blocks back (jemalloc, the
    default, keeps them: 50 MB more at its peak for a 18 MB file), set per call, not for the process."""
    return importlib.import_module("pyarrow").system_memory_pool()


def plain_numbers(column: Any) -> tuple[Any, Any]:
    """Text (an Arrow array, or a list) as float64 values (NaN where the scalar path must read the cell),
    and whether each was read."""
    import numpy as np

    pa, compute = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    column = column if isinstance(column, pa.Array | pa.ChunkedArray) else arrow_array(list(column))
    pool = _pool()
    matched = compute.match_substring_regex(column, f"^{_PLAIN_VALUE}$", memory_pool=pool)
    plain = numpy_of(matched)
    values = np.full(len(column), np.nan)
    if plain.any():
        text = compute.replace_substring(compute.filter(column, matched, memory_pool=pool), ",", ".", memory_pool=pool)
        values[plain] = numpy_of(compute.cast(text, pa.float64(), memory_pool=pool))
    return values, plain


def unit_numbers(column: Any) -> tuple[Any, Any]:
    """Text as :func:`plain_numbers` reads it, with the cells of a plain number and a unit after it (``95,5%``,
    ``16,5 ‰``) read too: (each value as a float64, NaN where the scalar path must read the cell; each cell's unit
    as its index in :data:`~tdplan.analysis.cells.CELL_UNITS`, 0 for none)."""
    import numpy as np

    pa, compute = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    column = column if isinstance(column, pa.Array | pa.ChunkedArray) else arrow_array(list(column))
    values, _ = plain_numbers(column)
    units = np.zeros(len(column), dtype=np.int8)
    pool = _pool()
    written = compute.match_substring_regex(column, f"^{_PLAIN_VALUE}[ \u00a0]?[%‰]$", memory_pool=pool)
    where = numpy_of(written)
    if where.any():
        cells = compute.filter(column, written, memory_pool=pool)
        number = compute.replace_substring_regex(cells, "[ \u00a0]?[%‰]$", "", memory_pool=pool)
        number = compute.replace_substring(number, ",", ".", memory_pool=pool)
        values[where] = numpy_of(compute.cast(number, pa.float64(), memory_pool=pool))
        units[where] = numpy_of(compute.ends_with(cells, "‰", memory_pool=pool)) + 1
    return values, units


def plain_years(column: Any) -> Any:
    """Text (an Arrow array, or a list) as int16 years (-1 where the scalar path must read the cell)."""
    import numpy as np

    pa, compute = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    column = column if isinstance(column, pa.Array | pa.ChunkedArray) else arrow_array(list(column))
    pool = _pool()
    matched = compute.match_substring_regex(column, f"^{_PLAIN_YEAR}$", memory_pool=pool)
    plain = numpy_of(matched)
    years = np.full(len(column), -1, dtype=np.int16)
    if plain.any():
        years[plain] = numpy_of(
            compute.cast(compute.filter(column, matched, memory_pool=pool), pa.int16(), memory_pool=pool)
        )
    return years


def frame_numbers(columns: dict[str, Any], found: dict[str, str]) -> tuple[dict[str, Any], Lang | None] | None:
    """A DataFrame's value and year columns of text (``"16,5"``, ``"2025"``: ``pandas.read_csv`` of a Vietnamese
    file, or with ``dtype=str``) read as a large CSV file's are: (the columns read as numbers, the value column's
    notation), or None where NumPy does not decide the frame (:func:`read_csv_columns`). Numbers stay as they are."""
    if not _decidable(found) or header_unit(found["value"]) is not None:
        return None
    try:  # pyarrow reads the text, and pandas says what it is: a frame of another library, or no pyarrow
        importlib.import_module("pyarrow.compute")
    except ImportError:
        return None
    if "pandas" not in sys.modules:
        return None
    numbers: dict[str, Any] = {}
    notation: Lang | None = None
    value, year = columns[found["value"]], columns[found["year"]]
    if not _numeric(value, "iuf"):
        texts = _text_array(value)
        notations = set() if texts is None else value_notations(value)
        if texts is None or len(notations) > 1:  # not text, or cells that do not settle one notation: the scalar path
            return None
        notation = "vi" if "vi" in notations else "en" if notations else None
        if "unit" in found:
            numbers["value"] = plain_numbers(texts)[0]
        else:  # 95,5%: the unit written after the value, as a unit column would give it
            numbers["value"], units = unit_numbers(texts)
            if units.any():
                numbers["unit"] = CodedColumn(units, list(CELL_UNITS))
    if _numeric(year, "f"):  # 2025.0: pandas' years where a cell is blank (NaN)
        numbers["year"] = whole_years(year)
    elif not _numeric(year, "iu"):
        texts = _text_array(year)
        if texts is None:
            return None
        numbers["year"] = plain_years(texts)
    return (numbers, notation) if numbers else None


def whole_years(column: Any) -> Any:
    """Floats (``2025.0``) as int16 years: a whole number of four digits, else -1 (NaN, ``2025.5``, ``1e9``: the
    scalar path reads the cell, and says what is wrong with it)."""
    import numpy as np

    floats = np.asarray(column, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        whole = (floats >= 1000) & (floats <= 9999) & (floats == np.floor(floats))  # NaN compares false
    years = np.full(len(floats), -1, dtype=np.int16)
    years[whole] = floats[whole].astype(np.int16)
    return years


def _numeric(column: Any, kinds: str) -> bool:
    """Whether the column is NumPy's numbers of these kinds (floats: float64 only, read at their own precision)."""
    kind = getattr(getattr(column, "dtype", None), "kind", None)
    return kind in tuple(kinds) and (kind != "f" or column.dtype == "float64")


def _text_array(column: Any) -> Any:
    """A DataFrame's column of text (missing cells blank) as an Arrow array; None if a cell is not text."""
    import numpy as np

    pandas, pa = sys.modules["pandas"], importlib.import_module("pyarrow")
    cells = np.asarray(column, dtype=object)
    if pandas.api.types.infer_dtype(cells, skipna=True) not in ("string", "empty"):
        return None  # a number, a bytes object, a date among the text: the scalar path reads each as it is
    try:
        texts = pa.array(cells, type=pa.string(), from_pandas=True)
    except (UnicodeEncodeError, pa.ArrowException):  # a lone surrogate ("\udcff": text read with surrogateescape),
        return None  # a missing cell pyarrow does not take for one (NumPy's float32 NaN): the scalar path reads them
    return importlib.import_module("pyarrow.compute").fill_null(texts, "")


def value_notations(column: Any) -> set[str]:
    """The notations (``"vi"``, ``"en"``) the value column's cells settle, each distinct cell read once."""
    from tdplan.analysis.cells import cell_notation

    found: set[str] = set()
    for cell in factorize(column)[1]:
        notation = cell_notation(cell) if isinstance(cell, str) and cell.strip() else None
        if notation is not None:
            found.add(notation)
    return found
