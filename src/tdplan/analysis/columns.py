"""A large CSV file's columns without pandas, and one way to factorise any column.

:func:`tdplan.analysis.chunked.read_csv_columns` keeps a column with few distinct cells
(an indicator, a year, an area) as a :class:`CodedColumn` (a byte or two a row) and any
other as a :class:`TextColumn` (pyarrow text, about its size in the file). Both read as
the NumPy path and the reports read a column: a cell by position (a ``str``), a slice
(a column of the same kind), the cells at some positions at once (:meth:`take`), every
cell (:meth:`tolist`). Neither needs pandas, whose import alone takes 40 MB and a
quarter of a second: a large file is read, decided and written with pyarrow and NumPy.

:func:`factorize` gives each cell's code and the distinct cells, numbered in the order
they first appear, as :func:`pandas.factorize` does, for these columns and NumPy integer
arrays with pyarrow, and for anything else (a DataFrame's columns) with pandas.
"""

from __future__ import annotations

import importlib
import math
import numbers
import sys
from collections.abc import Sequence
from typing import Any, overload

from tdplan.analysis.arrow import arrow_array, numpy_of
from tdplan.core.values import is_missing

__all__ = [
    "CodedColumn",
    "TextColumn",
    "cell_list",
    "factorize",
    "hashable",
    "written_apart",
    "written_cells",
    "written_key",
]


class CodedColumn:
    """Text with few distinct cells, as codes into them: ``categories[codes[i]]`` is row ``i``'s cell."""

    def __init__(self, codes: Any, categories: Sequence[str]) -> None:
        import numpy as np

        self.codes = codes
        self.categories = list(categories)
        self._lookup = np.array(self.categories, dtype=object)  # categories by code, for many rows at once

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice | Any) -> CodedColumn: ...
    def __getitem__(self, index: Any) -> str | CodedColumn:
        """A cell by position, or the rows of a slice or of an array of positions or booleans, as a column."""
        if isinstance(index, numbers.Integral):
            return str(self.categories[self.codes[index]])
        return CodedColumn(self.codes[index], self.categories)

    def take(self, indices: Any) -> list[str]:
        """The cells at ``indices`` (positions), in their order."""
        return list(self._lookup[self.codes[indices]].tolist())

    def tolist(self) -> list[str]:
        """Every cell, in order."""
        return list(self._lookup[self.codes].tolist())

    def __repr__(self) -> str:
        return f"CodedColumn({len(self)} rows, {len(self.categories)} distinct cells)"


class TextColumn:
    """Text as pyarrow holds it (a ``pyarrow.ChunkedArray`` of strings, none missing)."""

    def __init__(self, array: Any) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice | Any) -> TextColumn: ...
    def __getitem__(self, index: Any) -> str | TextColumn:
        """A cell by position, or the rows of a slice or of an array of positions or booleans, as a column."""
        import numpy as np

        if isinstance(index, numbers.Integral):
            return str(self.array[index].as_py())
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self.array))
            if step == 1:
                return TextColumn(self.array.slice(start, max(stop - start, 0)))
            index = np.arange(start, stop, step)
        index = np.asarray(index)
        return TextColumn(self.array.take(arrow_array(index.nonzero()[0] if index.dtype == bool else index)))

    def take(self, indices: Any) -> list[str]:
        """The cells at ``indices`` (positions), in their order."""
        import numpy as np

        return list(self.array.take(arrow_array(np.asarray(indices, dtype=np.int64))).to_pylist())

    def tolist(self) -> list[str]:
        """Every cell, in order."""
        return list(self.array.to_pylist())

    def __repr__(self) -> str:
        return f"TextColumn({len(self)} rows)"


def factorize(column: Any, *, missing: bool = True) -> tuple[Any, list[Any]]:
    """Each cell's code (a NumPy array) and the distinct cells, numbered in the order they first appear.

    As :func:`pandas.factorize` gives them: with ``missing``, a missing cell (None, NaN) has the
    code -1 and is not among the distinct cells; without, it has a code of its own. A
    :class:`CodedColumn`, a :class:`TextColumn` and a NumPy array of integers or booleans (none
    has a missing cell) are factorised by pyarrow; anything else (a DataFrame's column) by pandas.

    >>> import numpy as np
    >>> codes, uniques = factorize(np.array([30, 10, 30, 20]))
    >>> codes.tolist(), uniques
    ([0, 1, 0, 2], [30, 10, 20])
    """
    import numpy as np

    if isinstance(column, CodedColumn):
        codes, present = _encoded(column.codes)
        return codes, [column.categories[code] for code in present]
    if isinstance(column, TextColumn):
        return _encoded(column.array)
    if isinstance(column, np.ndarray) and column.dtype.kind in "biu":
        return _encoded(column)
    pandas = sys.modules.get("pandas") or importlib.import_module("pandas")
    codes, uniques = pandas.factorize(column, use_na_sentinel=missing)
    return codes, list(uniques)  # as pandas gives them: NumPy numbers stay NumPy numbers


# What pandas' infer_dtype says of a column whose cells are all of kinds a dict takes as keys.
_HASHABLE_KINDS = frozenset(
    [
        "string",
        "empty",
        "bytes",
        "integer",
        "floating",
        "mixed-integer-float",
        "decimal",
        "complex",
        "boolean",
        "datetime",
        "datetime64",
        "date",
        "timedelta",
        "timedelta64",
        "time",
        "period",
        "interval",
        "categorical",
    ]
)


def hashable(columns: dict[str, Any]) -> bool:
    """Whether every cell of a DataFrame's columns can be a dict key: the NumPy path numbers the distinct cells of
    each column. A list, a dict, a set or NumPy's generic ``timedelta64(16)`` cannot (the scalar path reads such a
    row, and says what is wrong with it).
    Only a column of Python objects is looked at: by pandas' ``infer_dtype`` (a few ms a million cells), and,
    where it finds a mix, by ``pandas.factorize``."""
    pandas = sys.modules.get("pandas")
    for column in columns.values():
        if str(getattr(column, "dtype", "")) != "object":
            continue  # numbers, pandas' text and category dtypes
        if pandas is None:  # a frame of another library: its objects are not looked at
            return False
        cells = column.to_numpy() if hasattr(column, "to_numpy") else column  # pandas' array: its NumPy one, no copy
        if pandas.api.types.infer_dtype(cells, skipna=True) in _HASHABLE_KINDS:
            continue
        try:
            pandas.factorize(column)
        except (TypeError, ValueError):  # ValueError: NumPy's generic timedelta64(16) cannot be hashed either
            return False
    return True


def written_apart(cells: Any, codes: Any, distinct: list[Any]) -> tuple[Any, list[Any]]:
    """:func:`factorize`'s ``codes`` and ``distinct`` cells of ``cells``, with cells that are equal and written
    differently told apart: one key to a dict, and two texts in a report that writes a cell as the table has it.
    In NumPy floats, ``0.0`` and ``-0.0``; among Python objects, any two with another :func:`written_key`
    (``0.0`` and ``-0.0`` after an int ``0``, ``Decimal("1.5")`` and ``Decimal("1.50")``).

    >>> import numpy as np
    >>> cells = np.array([0.0, -0.0, 1.5, -0.0])
    >>> codes, distinct = written_apart(cells, *factorize(cells, missing=False))
    >>> codes.tolist(), [str(cell) for cell in distinct]
    ([0, 1, 2, 1], ['0.0', '-0.0', '1.5'])
    """
    import numpy as np

    kind = getattr(getattr(cells, "dtype", None), "kind", None)  # a CodedColumn and a TextColumn have none
    if kind == "O":  # Python objects, or pandas' text or categories
        return _written_apart(cells, codes, distinct)
    if kind != "f" or not any(cell == 0 for cell in distinct):
        return codes, distinct
    array = np.asarray(cells)
    negative = np.signbit(array) & (array == 0)
    if not negative.any():
        return codes, distinct
    return _renumbered(array, np.asarray(codes, dtype=np.int64) * 2 + negative)


def _written_apart(cells: Any, codes: Any, distinct: list[Any]) -> tuple[Any, list[Any]]:
    """:func:`written_apart` for Python objects. The cells whose code is a text's stay as they are; the others are
    told apart by type (``1``, ``1.0``, ``True``), a float's sign where it is zero, and the text of a number neither
    a float nor whole (``Decimal("1.50")``, NumPy's ``float32(-0.0)``): as :func:`written_key` tells them apart,
    a Python step a cell only for their types. A missing cell (None, NaN, NA) is written blank."""
    import numpy as np

    loose = [code for code, cell in enumerate(distinct) if not (isinstance(cell, str) or is_missing(cell))]
    if not loose:
        return codes, distinct  # text, missing cells: no copy of a pandas array's million strings
    cells = np.asarray(cells, dtype=object)
    where = np.flatnonzero(np.isin(codes, loose))
    picked = cells[where]
    seen = set(map(type, picked))
    if len(seen) == 1 and not _spelled(seen.pop()):
        return codes, distinct  # numbers of one type (3 and 9 among texts), written as their values say
    kinds, types = factorize(np.fromiter(map(type, picked), dtype=object, count=len(picked)))
    spelled = np.zeros(len(picked), dtype=np.int64)  # 0, or a number for each way a value is written
    for kind, cell_type in enumerate(types):
        if issubclass(cell_type, float):
            at = np.flatnonzero(kinds == kind)
            floats = picked[at].astype(np.float64)
            spelled[at[np.signbit(floats) & (floats == 0)]] = 1
        elif _spelled(cell_type):
            at = np.flatnonzero(kinds == kind)
            spelled[at] = factorize(np.array([str(cell) for cell in picked[at]], dtype=object))[0]
    own = np.asarray(codes, dtype=np.int64)[where] * len(types) + kinds
    own = factorize(factorize(own)[0].astype(np.int64) * (int(spelled.max()) + 1) + spelled)[0]
    keys = np.array(codes, dtype=np.int64)
    keys[where] = len(distinct) + own  # numbers no text's code has
    return _renumbered(cells, keys)


def _renumbered(cells: Any, keys: Any) -> tuple[Any, list[Any]]:
    """Codes for ``keys`` in the order they first appear, and each code's first cell; a negative key is a missing
    cell's (:func:`factorize`'s ``missing``), whose code stays -1."""
    import numpy as np

    codes = np.full(len(keys), -1, dtype=np.int64)
    present = np.flatnonzero(keys >= 0)
    codes[present] = factorize(keys[present])[0]
    _, firsts = np.unique(codes[present], return_index=True)
    return codes, [cells[at] for at in present[firsts].tolist()]


def _spelled(cell_type: type) -> bool:
    """Whether cells of this type that are equal may be written differently (a float's ``-0.0``, a Decimal)."""
    return issubclass(cell_type, numbers.Number) and not issubclass(cell_type, numbers.Integral)


_NEGATIVE_ZERO = ("-0.0",)
_NAN = ("nan",)


def written_cells(cells: Any) -> tuple[Any, list[Any], bool]:
    """Each cell's code and the distinct cells, as :func:`factorize` numbers them (a missing cell has a code of its
    own), with cells that are equal and written differently told apart (:func:`written_apart`): ``1``, ``1.0`` and
    ``True``; ``0.0`` and ``-0.0``; ``Decimal("1.5")`` and ``Decimal("1.50")``; and whether the cells are Python
    objects.

    >>> import numpy as np
    >>> codes, distinct, typed = written_cells(np.array([1, 1.0, True, "1", 1], dtype=object))
    >>> codes.tolist(), [repr(cell) for cell in distinct], typed
    ([0, 1, 2, 3, 0], ['1', '1.0', 'True', "'1'"], True)
    """
    codes, distinct = written_apart(cells, *factorize(cells, missing=False))
    return codes, distinct, str(getattr(cells, "dtype", "")) == "object"


def written_key(cell: Any) -> Any:
    """``cell`` as a key to a dict of cells as written, where equal cells may be written differently: ``-0.0``
    (which would find ``0.0``'s entry), a NaN (which finds none, not even its own), and a number neither a float
    nor whole (``Decimal("1.50")``, NumPy's ``float32(-0.0)``) as its type and text. The type of a cell of any
    other kind (``1``, ``1.0``, ``True``) is the caller's to add.

    >>> written_key(16.5), written_key(-0.0), written_key(float("nan")), written_key("16,5")
    (16.5, ('-0.0',), ('nan',), '16,5')
    """
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float):
        if cell != cell:
            return _NAN
        return _NEGATIVE_ZERO if cell == 0 and math.copysign(1.0, cell) < 0 else cell
    if isinstance(cell, numbers.Number) and not isinstance(cell, numbers.Integral):
        return type(cell), str(cell)
    return cell


def _encoded(values: Any) -> tuple[Any, list[Any]]:
    """pyarrow's dictionary encoding of ``values`` (NumPy or pyarrow, nothing missing): codes and distinct values."""
    import numpy as np

    pa, compute = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    pool = pa.system_memory_pool()
    encoded = compute.dictionary_encode(arrow_array(values), memory_pool=pool)
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    if not chunks:
        return np.zeros(0, dtype=np.int32), []
    codes = numpy_of(chunks[0].indices) if len(chunks) == 1 else np.concatenate([numpy_of(c.indices) for c in chunks])
    return codes, chunks[0].dictionary.to_pylist()  # a chunked array's chunks share one dictionary


def cell_list(column: Any) -> list[Any]:
    """Every cell of a column as Python objects (a NumPy number as a Python one), in order."""
    if isinstance(column, CodedColumn | TextColumn):
        return column.tolist()
    pandas = sys.modules.get("pandas") or importlib.import_module("pandas")
    return list(pandas.Series(column).tolist())
