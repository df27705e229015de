"""Many rows at once: NumPy comparisons that give exactly the verdicts of :func:`tdplan.analysis.assessment.assess`.

A table of a million rows has only a few thousand distinct (indicator, year, unit,
group) combinations. Each is resolved once by the scalar path (which target applies,
whether it is due, its threshold in the row's unit, exactly); the rows are then
compared with NumPy. The comparison is exact for floats read at their shortest repr
(as the scalar path reads them):

- a float ``x`` and the nearest float ``f`` to the threshold ``t`` compare as ``x`` and
  ``t`` do whenever ``x != f``, because the decimals that round to different floats
  are ordered as those floats are;
- when ``x == f``, ``repr(x)`` is ``repr(f)``, whose order against ``t`` is computed
  once, exactly, per combination.

Rows this cannot decide with certainty (not finite, negative, above the whole, tiny,
an invalid combination) are left to the scalar path, which also writes their error.
Columns are factorised by :func:`tdplan.analysis.columns.factorize`: a large file's
columns by pyarrow, a DataFrame's by pandas.
"""

from __future__ import annotations

import math
import numbers
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from tdplan.analysis.assessment import applicable_target
from tdplan.core.errors import TdplanError
from tdplan.core.units import convert, parse_unit
from tdplan.core.values import is_time
from tdplan.core.vocabulary import Comparator, Status, TargetKind

if TYPE_CHECKING:
    import numpy as np

    from tdplan.core.model import Plan

__all__ = ["DECIDE_ROWS", "STATUS_CODES", "UNDECIDED", "Decision", "decide", "factorize"]

STATUS_CODES: tuple[Status, ...] = (Status.MET, Status.NOT_MET, Status.AHEAD, Status.PENDING)
"""The status of each code in :func:`decide`'s result (0 MET, 1 NOT_MET, 2 AHEAD, 3 PENDING)."""

UNDECIDED = -1
"""The code of a row left to the scalar path."""

_OPS = {Comparator.LT: 0, Comparator.LE: 1, Comparator.GE: 2, Comparator.GT: 3}
_TINY = 1e-45  # below this a value may have an exponent the scalar path refuses: let it decide


def factorize(column: Any) -> tuple[np.ndarray[Any, Any], Sequence[Any]]:
    """Each row's code and the distinct values (missing values are code -1), in no particular order.

    A large file's :class:`~tdplan.analysis.columns.CodedColumn` and a pandas Categorical give
    their own codes, a byte or two a row, not a copy in 8; anything else is factorised by
    :func:`tdplan.analysis.columns.factorize`, with cells equal and of other types told apart
    (:func:`~tdplan.analysis.columns.written_apart`): the scalar path reads indicator ``1`` and
    refuses ``True`` and ``Decimal("1")``, which a dict takes for it.
    """
    from tdplan.analysis import columns

    if isinstance(column, columns.CodedColumn):
        return column.codes, column.categories
    pandas = sys.modules.get("pandas")  # a Categorical comes from pandas, already imported
    if pandas is not None and isinstance(column, pandas.Categorical):
        return column.codes, list(column.categories)
    return columns.written_apart(column, *columns.factorize(column))


@attrs.frozen
class Decision:
    """What :func:`decide` found.

    ``codes``: each row's status as an index into :data:`STATUS_CODES`, or ``UNDECIDED``.
    ``combination``: each row's combination of (indicator, year, unit, groups);
    ``errors``: per combination, the error :meth:`tdplan.Plan.assess` raises for it before
    looking at the value (an unknown indicator, a year outside the plan, a missing group),
    where its cells are written exactly as the scalar path reads them; else None.
    ``parts``: per combination, its cells (indicator, year, then the unit if given, then
    the groups in the order given); ``values``: each row's value as a float64 (what the
    checks of the figures read, :mod:`tdplan.analysis.figures`).
    """

    codes: Any
    combination: Any
    errors: list[TdplanError | None]
    parts: list[tuple[Any, ...]] = attrs.field(factory=list, repr=False)
    values: Any = attrs.field(default=None, repr=False)
    unit_given: bool = False
    """Whether each combination's parts hold a unit (a unit column's, or the one written in the value cells)."""


DECIDE_ROWS = 1 << 18
"""Rows compared at a time: their temporary arrays (about 60 bytes a row) are the most memory deciding adds."""


def decide(
    plan: Plan,
    indicator: Any,
    year: Any,
    value: Any,
    unit: Any | None = None,
    groups: dict[str, Any] | None = None,
) -> Decision:
    """Status codes for rows given as columns (NumPy arrays or pandas Series), or ``UNDECIDED``.

    ``value`` must be numeric (float or int); ``year`` integer; the others strings
    (missing as None/NaN). A row's code is the index in :data:`STATUS_CODES` of the
    status :meth:`tdplan.Plan.assess` gives it, or ``UNDECIDED`` where the scalar path
    must decide (and explain the error).
    """
    import numpy as np

    values = np.asarray(value, dtype=np.float64)
    columns = [indicator, year] + ([unit] if unit is not None else []) + list((groups or {}).values())
    names = list((groups or {}).keys())
    table = _CombinationTable(plan, unit is not None, names)
    inverse = np.empty(len(values), dtype=np.int32 if len(values) < 2**31 else np.int64)
    codes = np.empty(len(values), dtype=np.int8)
    for start in range(0, len(values), DECIDE_ROWS):
        stop = min(start + DECIDE_ROWS, len(values))
        inverse[start:stop] = table.add([_rows(column, start, stop) for column in columns])
        codes[start:stop] = table.codes(values[start:stop], inverse[start:stop])
    return Decision(codes, inverse, table.errors, table.combinations, values, unit is not None)


def _rows(column: Any, start: int, stop: int) -> Any:
    """Rows ``start`` to ``stop`` of a column (a pandas Series by position)."""
    return column.iloc[start:stop] if hasattr(column, "iloc") else column[start:stop]


class _CombinationTable:
    """The combinations of a table's rows, numbered in the order they first appear, each resolved once."""

    def __init__(self, plan: Plan, has_unit: bool, names: list[str]) -> None:
        import numpy as np

        self.plan, self.has_unit, self.names = plan, has_unit, names
        self.numbers: dict[tuple[tuple[type, Any], ...], int] = {}
        self.combinations: list[tuple[Any, ...]] = []
        self.errors: list[TdplanError | None] = []
        fields = [("threshold", "f8"), ("sign", "i1"), ("op", "i1"), ("due", "?"), ("whole", "f8")]
        self.resolved = np.zeros(0, dtype=fields)  # per combination: what its rows are compared with

    def add(self, columns: list[Any]) -> Any:
        """Each row's combination number, for rows given as columns."""
        import numpy as np

        factors = [factorize(column) for column in columns]
        # One code per distinct combination: the columns' codes as one number (compressed column by
        # column when their product could overflow), then factorised once.
        sizes = [len(uniques) + 1 for _, uniques in factors]
        shifted = [np.asarray(codes, dtype=np.int64) + 1 for codes, _ in factors]
        if math.prod(sizes) < 2**62:
            inverse, found = factorize(np.ravel_multi_index(shifted, sizes))
            positions = np.unravel_index(np.asarray(found, dtype=np.int64), sizes)
            combinations = [
                tuple(
                    None if code == 0 else uniques[code - 1] for code, (_, uniques) in zip(codes, factors, strict=True)
                )
                for codes in zip(*(position.tolist() for position in positions), strict=True)
            ]
        else:
            inverse = np.zeros(len(shifted[0]), dtype=np.int64)
            combinations = [()]
            for size, codes, (_, uniques) in zip(sizes, shifted, factors, strict=True):
                inverse, found = factorize(inverse * size + codes)
                combinations = [
                    (*combinations[pair // size], None if pair % size == 0 else uniques[pair % size - 1])
                    for pair in (int(code) for code in found)
                ]
        known = len(self.combinations)
        numbers = []
        for parts in combinations:
            key = tuple((type(part), part) for part in parts)  # (1, 2025) is not (True, 2025), which equals it
            number = self.numbers.get(key)
            if number is None:
                number = self.numbers[key] = len(self.combinations)
                self.combinations.append(parts)
            numbers.append(number)
        self._resolve(self.combinations[known:])
        return np.asarray(numbers, dtype=np.int64)[np.asarray(inverse)]

    def _resolve(self, new: list[tuple[Any, ...]]) -> None:
        """Resolve the combinations just seen: their targets as NumPy reads them, or the error they raise."""
        import numpy as np

        resolved = np.zeros(len(new), dtype=self.resolved.dtype)
        resolved["whole"] = -1.0  # -1: an invalid combination, so every row of it is undecided
        for index, parts in enumerate(new):
            found, error = _resolve(self.plan, list(parts), self.has_unit, self.names)
            self.errors.append(error)
            if found is not None:
                resolved[index] = found
        self.resolved = np.concatenate([self.resolved, resolved])

    def codes(self, values: Any, inverse: Any) -> Any:
        """Each row's status code, from its value and its combination's target."""
        import numpy as np

        # Each field gathered on its own: gathering whole records, then reading strided fields, was slower.
        resolved = self.resolved
        ft, wt, op = resolved["threshold"][inverse], resolved["whole"][inverse], resolved["op"][inverse]
        above, below = values > ft, values < ft
        sign = np.where(above | below, above.astype(np.int8) - below.astype(np.int8), resolved["sign"][inverse])
        met = (
            ((op == 0) & (sign < 0)) | ((op == 1) & (sign <= 0)) | ((op == 2) & (sign >= 0)) | ((op == 3) & (sign > 0))
        )
        codes = np.where(resolved["due"][inverse], np.where(met, 0, 1), np.where(met, 2, 3)).astype(np.int8)
        absolute = np.abs(values)
        undecided = (
            ~np.isfinite(values) | (values < 0) | (values > wt) | (wt < 0) | ((absolute < _TINY) & (values != 0))
        )
        codes[undecided] = UNDECIDED
        return codes


def _as_read(cell: Any) -> str | None:
    """A cell as the scalar path reads an id or a group (``3`` is ``"3"``), or None if it reads it otherwise."""
    if isinstance(cell, numbers.Integral) and not (isinstance(cell, bool) or is_time(cell)):
        # no id has 100 digits; Python will not write one of 4,300 (the scalar path says what it is instead)
        return str(int(cell)) if int(cell).bit_length() <= 332 else None
    if isinstance(cell, str) and cell == " ".join(unicodedata.normalize("NFC", cell).split()) and cell:
        return cell
    return None


def _blank(cell: Any) -> bool:
    return isinstance(cell, str) and not cell.strip()


def _resolve(
    plan: Plan, parts: list[Any], has_unit: bool, names: list[str]
) -> tuple[tuple[float, int, int, bool, float] | None, TdplanError | None]:
    """One combination: (threshold as a float, the order of repr(float) against it, operator, due, whole),
    or None and the error the scalar path raises for it before it reads the value."""
    raw_id, year, *rest = parts
    unit_text = rest.pop(0) if has_unit else None
    if isinstance(unit_text, str) and not unit_text.strip():
        unit_text = None  # a blank cell: no unit, as the scalar path reads it
    raw_groups = dict(zip(names, rest, strict=True))
    # a blank cell (a CSV file's empty text) names no group, as the scalar path reads it
    given = {name: group for name, group in raw_groups.items() if not (group is None or _blank(group))}
    groups = {name: _as_read(group) for name, group in given.items()}
    indicator_id = _as_read(raw_id)
    if (
        indicator_id is None
        or None in groups.values()
        or isinstance(year, bool)
        or not isinstance(year, numbers.Integral)
    ):
        return None, None
    try:
        _, target, due = applicable_target(plan, indicator_id, int(year), groups or None)  # type: ignore[arg-type]
    except TdplanError as error:
        return None, error
    try:
        unit = parse_unit(unit_text) if unit_text is not None else target.unit
        if target.kind is not TargetKind.LEVEL or unit.whole is None:
            return None, None
        exact = convert(target.threshold, target.unit, unit)
    except TdplanError:
        return None, None
    nearest = float(exact)
    shown = Decimal(repr(nearest))
    order = (shown > exact) - (shown < exact)
    return (nearest, order, _OPS[target.comparator], due, float(unit.whole)), None
