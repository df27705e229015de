"""Each row's codes for a large table's rows sheet (:mod:`tdplan.reports.xlsx_rows`), in bounded memory.

A million rows' codes (each row's layout, its own parts) are the plan's memory: each is
kept in the narrowest integer that holds its codes (:func:`narrow`: a byte a row for up to
127 of them, two for 32,767), and what is found over every row (the first and last row of
each code, its count) is found a block of :data:`BLOCK_ROWS` rows at a time, so that no
array of row numbers (8 bytes a row) is made for the whole table.
"""

from __future__ import annotations

from typing import Any

from tdplan.analysis.columns import CodedColumn, factorize

__all__ = ["BLOCK_ROWS", "DENSE", "combine", "first_rows", "narrow", "narrow_type", "split_codes", "used_codes"]

BLOCK_ROWS = 1 << 16
"""Rows looked at a time where a code's first or last row is found."""

DENSE = 1 << 22
"""Up to this many possible values, :func:`combine` finds the distinct values by a table of them, not a hash."""


def narrow_type(most: int) -> Any:
    """The narrowest signed NumPy integer type that holds every whole number from -1 to ``most``."""
    import numpy as np

    return np.int8 if most < 2**7 else np.int16 if most < 2**15 else np.int32 if most < 2**31 else np.int64


def narrow(codes: Any, most: int) -> Any:
    """``codes`` (whole numbers from -1 to ``most``) in :func:`narrow_type` (a copy only where its type differs)."""
    return codes.astype(narrow_type(most), copy=False)


def split_codes(cells: Any) -> tuple[Any, list[Any]] | None:
    """A coded column's codes numbered as its cells first appear (as :func:`factorize` numbers them, no copy of
    the table's cells), narrow, and its distinct cells; None where the column is not one of distinct codes."""
    import numpy as np

    if not isinstance(cells, CodedColumn) or len(set(cells.categories)) != len(cells.categories):
        return None
    codes, size = cells.codes, len(cells.categories)
    if not len(codes):
        return np.zeros(0, dtype=np.int8), []
    if int(codes.min()) < 0 or int(codes.max()) >= size:
        return None
    first = first_rows(codes, size, None)
    order = np.argsort(first, kind="stable")[: int((first < len(codes)).sum())]
    numbers = np.full(size, -1, dtype=np.int64)
    numbers[order] = np.arange(len(order))
    return narrow(numbers, len(order))[codes], [cells.categories[code] for code in order.tolist()]


def first_rows(codes: Any, size: int, where: Any, last: bool = False) -> Any:
    """For each code below ``size``, the first (or ``last``) row whose code it is among the rows ``where`` is true
    (every row where None; a code of -1 is none), as int64; ``len(codes)`` (-1 for ``last``) where there is none."""
    import numpy as np

    count = len(codes)
    found = np.full(size, -1 if last else count, dtype=np.int64)
    at = np.maximum.at if last else np.minimum.at
    blocks = range(0, count, BLOCK_ROWS)
    for start in reversed(blocks) if last else blocks:
        block = codes[start : start + BLOCK_ROWS]
        rows = np.flatnonzero(block >= 0 if where is None else where[start : start + BLOCK_ROWS] & (block >= 0))
        at(found, block[rows], rows + start)
        if ((found >= 0) if last else (found < count)).all():
            break  # every code seen: none can come before (after) what was found
    return found


def used_codes(codes: Any, size: int, where: Any) -> tuple[Any, Any]:
    """For each code below ``size``: how many of the rows ``where`` is true have it, and the first of them
    (``len(codes)`` where none); -1 is no code."""
    import numpy as np

    counted = np.zeros(size, dtype=np.int64)
    for start in range(0, len(codes), BLOCK_ROWS):
        block = codes[start : start + BLOCK_ROWS][where[start : start + BLOCK_ROWS]]
        counted += np.bincount(block[block >= 0], minlength=size)[:size]
    return counted, first_rows(codes, size, where)


def combine(first: Any, size: int, then: Any, where: Any = None) -> tuple[Any, Any]:
    """Each row's pair ``first * size + then`` (none where ``where`` is false) as a number of its distinct pair
    (narrow: :func:`narrow`, 0 on; -1 for none), and the distinct pairs in the order of those numbers.

    Where the pairs can take at most :data:`DENSE` values, they are found by a table of those values and made a
    block of :data:`BLOCK_ROWS` rows at a time (no array of the whole table but the result); else by a hash.
    """
    import numpy as np

    top = (int(first.max(initial=0)) + 1) * size
    if top > DENSE:
        return _hashed(first, size, then, where)
    blocks = range(0, len(first), BLOCK_ROWS)

    def made(start: int) -> Any:  # the block's pairs, plus one (0: none)
        pair = first[start : start + BLOCK_ROWS].astype(np.int64)
        pair *= size
        pair += then[start : start + BLOCK_ROWS]
        pair += 1
        if where is not None:
            pair[~where[start : start + BLOCK_ROWS]] = 0
        return pair

    used = np.zeros(top + 1, dtype=bool)
    for start in blocks:
        used[made(start)] = True
    kept = used[1:].nonzero()[0]
    numbers = np.cumsum(used, dtype=narrow_type(len(kept) + 1))
    numbers -= 1 + int(used[0])
    found = np.empty(len(first), dtype=numbers.dtype)
    for start in blocks:
        found[start : start + BLOCK_ROWS] = numbers[made(start)]
    return found, kept


def _hashed(first: Any, size: int, then: Any, where: Any) -> tuple[Any, Any]:
    import numpy as np

    pair = first.astype(np.int64)
    pair *= size
    pair += then
    if where is not None:
        pair[~where] = -1
    ids, names = factorize(pair)
    del pair
    uniques = np.asarray(names, dtype=np.int64)
    kept = uniques >= 0
    numbers = np.where(kept, np.cumsum(kept) - 1, -1)
    found = narrow(numbers, int(kept.sum()))[np.asarray(ids)] if len(first) else np.zeros(0, dtype=np.int8)
    return found, uniques[kept]
