"""Large CSV files read in chunks, for the NumPy path: columns of text, and the values and years as numbers.

:func:`read_csv_columns` reads a CSV file with pandas (in chunks of :data:`CHUNK_ROWS`
rows, every cell as text, kept in Arrow-backed string arrays where pyarrow is installed,
so that a million rows take about the file's size in memory), and gives what
:func:`tdplan.analysis.tables.assess_table` needs to decide it with NumPy: the column
names, the columns as given, and each row's value and year as numbers where the text is
one the scalar path reads the same way (``16.5``, ``16,5``, ``2025``); every other cell
(``16,500``, ``16,5‰``, a blank) is left to the scalar path.

It reads exactly what :func:`tdplan.analysis.reading.read_table` reads, or nothing:
where the two could differ (a blank line, a row longer or shorter than the header, two
columns with one name, text that is not UTF-8, no pandas) it returns None and the
standard reader reads the file. (pandas gives a short row's missing cells as empty ones;
the standard reader tells them apart: :func:`tdplan.analysis.tables.missing_cells`.)
"""

from __future__ import annotations

import importlib
import mmap
import os
from pathlib import Path
from typing import Any

import attrs

from tdplan.analysis.reading import sniff_separator

__all__ = ["CHUNK_ROWS", "CsvColumns", "read_csv_columns"]

CHUNK_ROWS = 250_000
"""Rows parsed at a time: the parser's Python strings for one chunk are the most memory the reading takes."""

# A value the scalar path reads as the float of the same text: at most 14 digits, and never three digits after
# the separator ("16,500" is 16.5 in Vietnamese and 16500 in English: the scalar path decides which).
_PLAIN_VALUE = r"(?:0|[1-9][0-9]{0,5})(?:[.,](?:[0-9]{1,2}|[0-9]{4,8}))?"
_PLAIN_YEAR = r"[0-9]{4}"


@attrs.frozen
class CsvColumns:
    """A CSV table as columns: names (stripped, as the standard reader gives them) and text columns by name."""

    names: list[str]
    columns: dict[str, Any]
    rows: int


def read_csv_columns(path: str | os.PathLike[str]) -> CsvColumns | None:
    """The table in ``path`` as text columns, or None where the standard reader must read it (see the module)."""
    try:
        pandas = importlib.import_module("pandas")
    except ImportError:
        return None
    file = Path(path)
    try:
        with file.open("rb") as raw:
            if file.stat().st_size == 0:
                return None
            with mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                if mapped.find(b"\n\n") >= 0 or mapped.find(b"\n\r\n") >= 0 or mapped.find(b"\r\r") >= 0:
                    return None  # blank lines: the standard reader counts them in row numbers
                head = mapped[:8192].decode("utf-8-sig", errors="ignore")
                separator = sniff_separator(head)  # as the standard reader does, with its quoting: Excel's
                if ragged(mapped, separator):
                    return None  # a row shorter than the header: pandas would give its missing cells as empty
    except (OSError, ValueError):
        return None
    try:
        chunks = pandas.read_csv(
            file,
            sep=separator,
            quotechar='"',
            doublequote=True,
            escapechar=None,
            skipinitialspace=False,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8-sig",
            engine="c",
            chunksize=CHUNK_ROWS,
        )
        parts = list(chunks)
    except (ValueError, UnicodeDecodeError, OSError, pandas.errors.ParserError):
        return None  # ragged rows, bad bytes: the standard reader says what is wrong, with the row
    if not parts:
        return None
    frame = pandas.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    del parts
    header = [str(name).strip() for name in frame.iloc[0].tolist()]
    if len(set(header)) != len(header) or any(not name for name in header):
        return None
    body = frame.iloc[1:].reset_index(drop=True)
    columns = {name: body[position].array for position, name in enumerate(header)}
    if not columns or len(body) == 0:
        return None
    blank = None
    for column in columns.values():
        empty = pandas.Series(column).str.strip() == ""
        blank = empty if blank is None else blank & empty
    if blank is not None and bool(blank.any()):
        return None  # a line of empty cells (",,,"): the standard reader skips it
    return CsvColumns(header, columns, len(body))


RAGGED_BLOCK = 1 << 22
"""Bytes looked at a time by :func:`ragged`: its memory is a few times this, whatever the file's size."""


def ragged(data: Any, separator: str) -> bool:
    r"""Whether the records of CSV bytes (a file's ``mmap``) differ in their number of cells.

    Separators and line ends are counted outside quotes (Excel's quoting: ``"`` doubled
    inside a quoted cell, which leaves the parity of quotes unchanged), with NumPy, a block
    of :data:`RAGGED_BLOCK` bytes at a time. A quote in the middle of an unquoted cell can
    only make records look different, never alike: the answer errs toward True (the
    standard reader then reads the file).

    >>> ragged(b'a;b;c\r\n1;"2;x";3\n4;5;6', ";"), ragged(b'a,b,c\n1,2\n', ","), ragged(b'a,"b\n,",c\n1,2,3', ",")
    (False, True, False)
    """
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    quoted = data.find(b'"') >= 0
    mark, quote, newline = ord(separator), ord('"'), ord("\n")
    widths: set[int] = set()
    parity, current, tail = 0, 0, False  # quotes so far (mod 2); separators in the record not yet ended
    for start in range(0, len(raw), RAGGED_BLOCK):
        block = raw[start : start + RAGGED_BLOCK]
        outside = None
        if quoted:
            inside = (np.cumsum(block == quote, dtype=np.uint8) + parity) & 1
            parity = int(inside[-1])
            outside = inside == 0
        separators = block == mark
        ends = block == newline
        if outside is not None:
            separators &= outside
            ends &= outside
        at = np.flatnonzero(ends)
        if len(at) == 0:
            current += int(np.count_nonzero(separators))
            tail = tail or len(block) > 0
            continue
        before = np.searchsorted(np.flatnonzero(separators), at)  # separators before each line end, in the block
        counts = np.diff(before, prepend=0)
        counts[0] += current
        widths.update({int(counts.min()), int(counts.max())})
        current = int(np.count_nonzero(separators[at[-1] + 1 :]))
        tail = int(at[-1]) + 1 < len(block)
        if len(widths) > 1:
            return True
    if tail:
        widths.add(current)
    return len(widths) > 1


def plain_numbers(column: Any) -> tuple[Any, Any]:
    """A text column as float64 values (NaN where the scalar path must read the cell) and whether each was read."""
    import numpy as np

    pandas = importlib.import_module("pandas")
    series = pandas.Series(column)
    plain = series.str.fullmatch(_PLAIN_VALUE).fillna(False).to_numpy(dtype=bool)
    values = np.full(len(series), np.nan)
    if plain.any():
        values[plain] = series[plain].str.replace(",", ".", regex=False).astype("float64").to_numpy()
    return values, plain


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


def plain_years(column: Any) -> Any:
    """A text column as int64 years (-1 where the scalar path must read the cell)."""
    import numpy as np

    pandas = importlib.import_module("pandas")
    series = pandas.Series(column)
    plain = series.str.fullmatch(_PLAIN_YEAR).fillna(False).to_numpy(dtype=bool)
    years = np.full(len(series), -1, dtype=np.int64)
    if plain.any():
        years[plain] = series[plain].astype("int64").to_numpy()
    return years
