"""The figures of a table NumPy decided, as columns: what the checks of the figures read at a million rows.

A table decided on the NumPy path (:class:`~tdplan.analysis.scorecard.DecidedRows`) gives
each row a combination of (indicator, year, unit, groups) and a value as a float.
:func:`decided_figures` reads its figures from those columns, without an object per row:
the figures :func:`~tdplan.analysis.observations.observations` gives, in the same order,
as NumPy arrays (the indicator, area, group and period as codes into small tables, the
value as a float in the indicator's unit). The checks of the figures (rules, completeness,
jumps) group them with NumPy (:mod:`tdplan.analysis.columnar`, with :func:`first_positions`)
and build an :class:`~tdplan.analysis.observations.Observation`, with its exact value, only
for the few figures a verdict turns on; the verdict itself is then the scalar code's, on
those Decimals.

Exactness: a figure's float is within a few units in the last place of its exact value
(a float read at its repr is that value; a plain decimal text is read to the nearest float;
a change of unit multiplies or divides by a power of ten, once). Floats decide a comparison
only where its two sides differ by more than :data:`MARGIN` of their size, a billion times
those errors; a figure whose float may be further off (the scalar path made it, and it is
out of the floats' range) is always decided exactly. A check's result is therefore the scalar
code's, figure by figure (``tests/test_figures.py`` compares them on random tables). Under
a decimal context that could round those Decimals differently (fewer than 28 digits, or
rounding trapped) :func:`decided_figures` gives None and the checks read the observations.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from tdplan.analysis.observations import Observation, decided_value, row_observation
from tdplan.analysis.reading import GROUPS, find_columns, plain_cell, text_cell
from tdplan.analysis.scorecard import DecidedRows, Scorecard
from tdplan.core.errors import TdplanError
from tdplan.core.periods import Period
from tdplan.core.units import Unit, convert, parse_unit

if TYPE_CHECKING:
    from tdplan.core.model import Indicator

__all__ = [
    "CHUNK",
    "MARGIN",
    "RANGE",
    "Figures",
    "Gathered",
    "combine",
    "decided_figures",
    "exact_context",
    "first_positions",
    "first_seen",
    "text_of",
]

MARGIN = 1e-9
"""Relative gap under which two floats' order is left to the exact Decimals."""

CHUNK = 1 << 17
"""Figures read at a time where :func:`first_positions` finds the first of each kind."""
RANGE = 1e150
"""A float outside ``1 / RANGE`` … ``RANGE`` (zero apart) is decided exactly: no product of two overflows."""

Group = tuple[tuple[str, str], ...]


@attrs.frozen(eq=False)
class Figures:
    """Every figure of a decided table, in input order, as NumPy arrays of the same length (the codes may be
    :class:`Gathered`, read as arrays are).

    ``rows``: each figure's row number (1 = the first row); ``indicator``, ``area``,
    ``group``, ``period``: codes into ``indicators``, ``areas`` (None for no area),
    ``groups`` and ``periods``; ``value``: the value as a float, in the indicator's unit;
    ``rough``: figures whose float must not decide anything (decided exactly instead);
    ``scalar``: figures of rows the scalar path decided.
    """

    rows: Any
    indicator: Any
    area: Any
    group: Any
    period: Any
    value: Any
    rough: Any
    scalar: Any
    indicators: tuple[Indicator, ...]
    areas: tuple[str | None, ...]
    groups: tuple[Group, ...]
    periods: tuple[Period, ...]
    _observation: Callable[[int], Observation] = attrs.field(alias="observation")

    def __len__(self) -> int:
        return len(self.rows)

    def observation(self, position: int) -> Observation:
        """The figure at ``position`` as an :class:`Observation`, its value exact (as ``observations`` gives it)."""
        return self._observation(position)


def exact_context() -> bool:
    """Whether the current decimal context computes the checks' sums and products within :data:`MARGIN`."""
    context = decimal.getcontext()
    trapped = (decimal.Inexact, decimal.Rounded, decimal.Subnormal, decimal.Underflow, decimal.Clamped)
    return (
        context.prec >= 28
        and context.Emax >= 999_999
        and context.Emin <= -999_999
        and not any(context.traps[signal] for signal in trapped)
    )


def decided_figures(card: Scorecard) -> Figures | None:
    """The figures of ``card`` as columns (made once per scorecard), or None where the checks read observations.

    None for a table the scalar path decided (a small table, a list of rows), and under
    a decimal context that could round the checks' sums otherwise (see the module).
    """
    if not isinstance(card.rows, DecidedRows) or not exact_context():
        return None
    return card.checked("figures", _figures)  # type: ignore[no-any-return]


class _Tables:
    """The small tables the codes point into: each indicator, area, group and period once."""

    def __init__(self) -> None:
        self.indicators: dict[str, tuple[int, Indicator]] = {}
        self.areas: dict[str | None, int] = {}
        self.groups: dict[Group, int] = {}
        self.periods: dict[str, tuple[int, Period]] = {}

    def indicator(self, indicator: Indicator) -> int:
        return self.indicators.setdefault(indicator.id, (len(self.indicators), indicator))[0]

    def area(self, area: str | None) -> int:
        return self.areas.setdefault(area, len(self.areas))

    def group(self, group: Group) -> int:
        return self.groups.setdefault(group, len(self.groups))

    def period(self, period: Period) -> int:
        return self.periods.setdefault(period.code, (len(self.periods), period))[0]


def text_of(cell: object) -> str | None:
    """An id, unit, area or group cell as the scalar path reads it (``text_cell`` of the plain cell)."""
    return text_cell(plain_cell(cell))


class _Combinations:
    """What each combination of (indicator, year, unit, groups) the decided rows use gives their figures.

    Read as :func:`~tdplan.analysis.observations.observations` reads each row: the indicator,
    the period, the groups, and how the value changes unit (exactly, and as a float).
    """

    def __init__(
        self, card: Scorecard, parts: list[tuple[Any, ...]], used: list[int], tables: _Tables, unit_given: bool
    ) -> None:
        import numpy as np

        found = find_columns(card.columns)
        small = np.int16 if len(parts) < 2**15 else np.int32  # codes of at most one per combination: 2 bytes a row
        self.indicator, self.group, self.period = (np.zeros(len(parts), dtype=small) for _ in range(3))
        self.multiply, self.divide = np.ones(len(parts)), np.ones(len(parts))
        self.conversions: dict[int, tuple[Unit, Unit]] = {}
        names = [name for name in GROUPS if name in found]
        for combination in used:
            raw_id, year, *rest = parts[combination]
            unit_cell = text_of(rest.pop(0)) if unit_given else None
            indicator = card.plan.indicator(str(text_of(raw_id)))
            unit = indicator.unit if unit_cell is None else parse_unit(unit_cell)
            if unit is not indicator.unit and unit.is_ratio and indicator.unit.is_ratio:
                self.conversions[combination] = (unit, indicator.unit)
                shift = (unit.exponent or 0) - (indicator.unit.exponent or 0)
                if shift >= 0:  # a power of ten up to 10**16 is a float exactly: one rounding
                    self.multiply[combination] = 10.0**shift
                else:
                    self.divide[combination] = 10.0**-shift
            cells = zip(names, rest, strict=True)
            group = tuple(sorted((name, text) for name, cell in cells if (text := text_of(cell)) is not None))
            self.indicator[combination] = tables.indicator(indicator)
            self.group[combination] = tables.group(group)
            self.period[combination] = tables.period(Period.for_year(int(str(year))))


def _figures(card: Scorecard) -> Figures:
    import numpy as np

    from tdplan.analysis.bulk import STATUS_CODES

    rows = card.rows
    assert isinstance(rows, DecidedRows)
    found, decision = find_columns(card.columns), rows.decision
    statuses = np.asarray(rows.codes)
    by_scalar = np.zeros(len(statuses), dtype=bool)
    by_scalar[np.fromiter(rows.scored, dtype=np.int64, count=len(rows.scored))] = True
    mask = (statuses >= 0) & ~by_scalar  # the scalar path made every other row's figure
    del by_scalar
    # Where every row's figure is NumPy's (most large tables), its columns are read as they are, not copied.
    decided = slice(None) if bool(mask.all()) else np.flatnonzero(mask)
    del mask
    tables = _Tables()
    combination = np.asarray(decision.combination)
    used = combination[decided]
    present = np.flatnonzero(np.bincount(used, minlength=len(decision.parts))).tolist()
    combinations = _Combinations(card, decision.parts, present, tables, decision.unit_given)
    value = np.asarray(decision.values)[decided]
    if combinations.conversions and isinstance(decided, slice):
        value = value.copy()  # converted in place below: not the decision's own values
    if combinations.conversions:  # in place: a million rows' floats are 8 MB
        value *= combinations.multiply[used]
        value /= combinations.divide[used]
    area = _areas(rows.columns[found["area"]] if "area" in found else None, len(statuses), decided, tables)
    lookups = (combinations.indicator, combinations.group, combinations.period)
    if isinstance(decided, slice):  # each figure's codes read through its combination when asked: no copy kept
        indicator, group, period = (Gathered(lookup, used) for lookup in lookups)
    else:
        indicator, group, period = (lookup[used] for lookup in lookups)
    codes = [indicator, area, group, period]
    del used, area, indicator, group, period
    made: dict[int, Observation] = {}  # the figures of the rows the scalar path decided, by row number
    for index in sorted(rows.scored):
        made_here = row_observation(rows.scored[index], found)
        if made_here is not None:
            made[index + 1] = made_here
    small = np.int32 if len(statuses) < 2**31 else np.int64
    numbers = np.arange(1, len(statuses) + 1, dtype=small) if isinstance(decided, slice) else decided.astype(small) + 1
    del decided
    rough, scalar = np.zeros(len(numbers), dtype=bool), np.zeros(len(numbers), dtype=bool)
    if made:
        extra = list(made.values())
        floats = np.array([float(o.value) for o in extra])
        magnitude = np.abs(floats)
        zero = np.array([o.value == 0 for o in extra], dtype=bool)
        with np.errstate(all="ignore"):
            far = ~np.isfinite(floats) | (magnitude > RANGE) | ((magnitude < 1 / RANGE) & ~zero)
        more = [
            (tables.indicator(o.indicator), tables.area(o.area), tables.group(o.group), tables.period(o.period))
            for o in extra
        ]
        numbers = np.concatenate([numbers, np.fromiter(made, dtype=np.int64, count=len(made))])
        order = np.argsort(numbers, kind="stable")
        numbers = numbers[order]
        value = np.concatenate([value, floats])[order]
        rough = np.concatenate([rough, far])[order]
        scalar = np.concatenate([scalar, np.ones(len(extra), dtype=bool)])[order]
        codes = [
            np.concatenate([old, np.array([row[k] for row in more], dtype=np.int32)])[order]
            for k, old in enumerate(codes)
        ]
    indicators = tuple(indicator for _, indicator in tables.indicators.values())
    periods = tuple(period for _, period in tables.periods.values())
    areas, groups = tuple(tables.areas), tuple(tables.groups)
    indicator_of, area_of, group_of, period_of = codes
    value_column = rows.columns[found["value"]]

    def observation(position: int) -> Observation:
        row = int(numbers[position])
        known = made.get(row)
        if known is not None:
            return known
        exact = decided_value(value_column[row - 1])  # as observations() reads it
        conversion = combinations.conversions.get(int(combination[row - 1]))
        if conversion is not None:
            exact = convert(exact, *conversion)
        return Observation(
            row,
            indicators[indicator_of[position]],
            areas[area_of[position]],
            periods[period_of[position]],
            groups[group_of[position]],
            exact,
            STATUS_CODES[statuses[row - 1]],
        )

    return Figures(
        numbers,
        indicator_of,
        area_of,
        group_of,
        period_of,
        value,
        rough,
        scalar,
        indicators,
        areas,
        groups,
        periods,
        observation,
    )


def _areas(column: Any, rows: int, decided: Any, tables: _Tables) -> Any:
    """Each decided row's area as a code: each distinct cell read once, as the scalar path reads it."""
    import numpy as np

    from tdplan.analysis.bulk import factorize

    if column is None:
        return np.full(rows if isinstance(decided, slice) else len(decided), tables.area(None), dtype=np.int16)
    cells, uniques = factorize(column)
    texts = []
    for unique in uniques:
        try:
            texts.append(text_of(unique))
        except TdplanError:  # an area the scalar path refuses: its rows were left to it, and are not here
            texts.append(None)
    small = np.int16 if len(texts) < 2**15 - 1 else np.int32  # 2 bytes a row
    lookup = np.array([tables.area(text) for text in texts] + [tables.area(None)], dtype=small)
    if isinstance(decided, slice):
        return Gathered(lookup, np.asarray(cells))  # a missing cell (-1) picks the last: no area
    return lookup[np.asarray(cells)[decided]]


class Gathered:
    """``lookup[keys]``, made when read: a code per figure through a code per row that the table keeps anyway.

    Reads as a NumPy array does where the checks read their codes: by position, by a slice
    or an array of positions, and whole (``numpy.asarray``).
    """

    def __init__(self, lookup: Any, keys: Any) -> None:
        self.lookup, self.keys = lookup, keys

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: Any) -> Any:
        return self.lookup[self.keys[index]]

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:  # always a new array: ``copy`` cannot matter
        whole = self.lookup[self.keys]
        return whole if dtype is None else whole.astype(dtype)


def first_seen(key: Any) -> tuple[Any, Any]:
    """Each element's code, numbered in order of first appearance, and the position where each code first appears."""
    import numpy as np

    from tdplan.analysis.columns import factorize

    codes = np.asarray(factorize(np.asarray(key))[0])
    if len(codes) == 0:
        return codes, np.zeros(0, dtype=np.int64)
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    new[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
    return codes, np.flatnonzero(new)


def first_positions(parts: Sequence[tuple[Any, int]], among: Any = None, *, chunk: int = CHUNK) -> Any:
    """The position of the first figure of each distinct combination of ``parts``' codes, in order.

    ``parts``: code columns, each with its number of codes; ``among``: the positions to
    look at (all by default). Read ``chunk`` at a time, with a flag per possible combination,
    so that a million figures take a few MB (a hash table of them would take 35 MB).
    """
    import numpy as np

    count = len(parts[0][0]) if among is None else len(among)
    possible = math.prod(max(size, 1) for _, size in parts)
    if possible > max(8 * count, 1 << 16):  # too many possible combinations for a flag each: hash them
        key = combine([(codes if among is None else codes[among], size) for codes, size in parts])
        found = np.sort(np.unique(key, return_index=True)[1])  # where each key first appears, in order
        return found if among is None else among[found]
    seen = np.zeros(possible, dtype=bool)
    firsts = [np.zeros(0, dtype=np.int64)]
    for start in range(0, count, chunk):
        rows = slice(start, start + chunk) if among is None else among[start : start + chunk]
        key = combine([(codes[rows], size) for codes, size in parts])
        if possible <= 1 << 16:
            key = key.astype(np.uint16)  # a stable sort of 16-bit numbers is a radix sort: 8 times as fast
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts = np.empty(len(ordered), dtype=bool)
        starts[:1] = True
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
        unique, index = ordered[starts], order[starts]  # each key once, at its first position in the chunk
        fresh = ~seen[unique]
        seen[unique[fresh]] = True
        firsts.append(np.sort(index[fresh]) + start)
    found = np.concatenate(firsts)
    return found if among is None else among[found]


def combine(parts: Sequence[tuple[Any, int]]) -> Any:
    """One int64 key for several code columns (each with its number of codes), equal where all are equal."""
    import numpy as np

    key = None
    total = 1
    for codes, size in parts:
        size = max(size, 1)
        if key is None:
            key, total = np.array(codes, dtype=np.int64), size
            continue
        if total * size >= 2**62:  # renumber what is combined so far: as many codes as distinct keys
            key = first_seen(key)[0].astype(np.int64)
            total = int(key.max()) + 1 if len(key) else 1
        key *= size  # in place: a million rows' key is 8 MB
        key += codes
        total *= size
    assert key is not None
    return key
