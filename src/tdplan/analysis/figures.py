"""The figures of a table NumPy decided, as columns: what the checks of the figures read at a million rows.

A table decided on the NumPy path (:class:`~tdplan.analysis.scorecard.DecidedRows`) gives
each row a combination of (indicator, year, unit, groups) and a value as a float.
:func:`decided_figures` reads its figures from those columns, without an object per row:
the figures :func:`~tdplan.analysis.observations.observations` gives, in the same order,
as NumPy arrays (the indicator, area, group and period as codes into small tables, the
value as a float in the indicator's unit). The checks of the figures (rules, completeness,
jumps) group them with NumPy (:func:`presence`, :func:`jump_pairs`, :func:`rule_places`,
:func:`count_positions`) and build an :class:`~tdplan.analysis.observations.Observation`,
with its exact value, only for the few figures a verdict turns on; the verdict itself is
then the scalar code's, on those Decimals.

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
import importlib
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from tdplan.analysis.observations import Observation, decided_value, row_observation
from tdplan.analysis.reading import GROUPS, find_columns, plain_cell, text_cell
from tdplan.analysis.scorecard import DecidedRows, Scorecard
from tdplan.core.consistency import RuleOperator
from tdplan.core.errors import TdplanError
from tdplan.core.periods import Period
from tdplan.core.units import Unit, convert, parse_unit

if TYPE_CHECKING:
    from tdplan.analysis.jumps import JumpBand
    from tdplan.core.consistency import Rule
    from tdplan.core.model import Indicator

__all__ = [
    "CHUNK",
    "MARGIN",
    "Figures",
    "count_positions",
    "decided_figures",
    "first_positions",
    "jump_pairs",
    "presence",
    "problem_rows",
    "rule_places",
]

MARGIN = 1e-9
"""Relative gap under which two floats' order is left to the exact Decimals."""

CHUNK = 1 << 17
"""Figures read at a time where :func:`first_positions` finds the first of each kind."""
_RANGE = 1e150  # a float outside 1/_RANGE .. _RANGE (zero apart) is decided exactly: no product overflows

Group = tuple[tuple[str, str], ...]


@attrs.frozen(eq=False)
class Figures:
    """Every figure of a decided table, in input order, as NumPy arrays of the same length.

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


def _text(cell: object) -> str | None:
    return text_cell(plain_cell(cell))


class _Combinations:
    """What each combination of (indicator, year, unit, groups) the decided rows use gives their figures.

    Read as :func:`~tdplan.analysis.observations.observations` reads each row: the indicator,
    the period, the groups, and how the value changes unit (exactly, and as a float).
    """

    def __init__(self, card: Scorecard, parts: list[tuple[Any, ...]], used: list[int], tables: _Tables) -> None:
        import numpy as np

        found = find_columns(card.columns)
        self.indicator, self.group, self.period = (np.zeros(len(parts), dtype=np.int32) for _ in range(3))
        self.multiply, self.divide = np.ones(len(parts)), np.ones(len(parts))
        self.conversions: dict[int, tuple[Unit, Unit]] = {}
        names = [name for name in GROUPS if name in found]
        for combination in used:
            raw_id, year, *rest = parts[combination]
            unit_cell = _text(rest.pop(0)) if "unit" in found else None
            indicator = card.plan.indicator(str(_text(raw_id)))
            unit = indicator.unit if unit_cell is None else parse_unit(unit_cell)
            if unit is not indicator.unit and unit.is_ratio and indicator.unit.is_ratio:
                self.conversions[combination] = (unit, indicator.unit)
                shift = (unit.exponent or 0) - (indicator.unit.exponent or 0)
                if shift >= 0:  # a power of ten up to 10**16 is a float exactly: one rounding
                    self.multiply[combination] = 10.0**shift
                else:
                    self.divide[combination] = 10.0**-shift
            cells = zip(names, rest, strict=True)
            group = tuple(sorted((name, text) for name, cell in cells if (text := _text(cell)) is not None))
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
    decided = np.flatnonzero((statuses >= 0) & ~by_scalar)  # the scalar path made every other row's figure
    del by_scalar
    tables = _Tables()
    combination = np.asarray(decision.combination)
    used = combination[decided]
    present = np.flatnonzero(np.bincount(used, minlength=len(decision.parts))).tolist()
    combinations = _Combinations(card, decision.parts, present, tables)
    value = np.asarray(decision.values)[decided]
    if combinations.conversions:  # in place: a million rows' floats are 8 MB
        value *= combinations.multiply[used]
        value /= combinations.divide[used]
    area = _areas(rows.columns[found["area"]] if "area" in found else None, decided, tables)
    codes = [combinations.indicator[used], area, combinations.group[used], combinations.period[used]]
    del used, area
    made: dict[int, Observation] = {}  # the figures of the rows the scalar path decided, by row number
    for index in sorted(rows.scored):
        made_here = row_observation(rows.scored[index], found)
        if made_here is not None:
            made[index + 1] = made_here
    numbers = decided
    numbers += 1  # row numbers, in place
    rough, scalar = np.zeros(len(numbers), dtype=bool), np.zeros(len(numbers), dtype=bool)
    if made:
        extra = list(made.values())
        floats = np.array([float(o.value) for o in extra])
        magnitude = np.abs(floats)
        zero = np.array([o.value == 0 for o in extra], dtype=bool)
        with np.errstate(all="ignore"):
            far = ~np.isfinite(floats) | (magnitude > _RANGE) | ((magnitude < 1 / _RANGE) & ~zero)
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


def _areas(column: Any, decided: Any, tables: _Tables) -> Any:
    """Each decided row's area as a code: each distinct cell read once, as the scalar path reads it."""
    import numpy as np

    if column is None:
        return np.full(len(decided), tables.area(None), dtype=np.int32)
    pandas = importlib.import_module("pandas")
    cells, uniques = pandas.factorize(column, use_na_sentinel=True)
    texts = []
    for unique in uniques:
        try:
            texts.append(_text(unique))
        except TdplanError:  # an area the scalar path refuses: its rows were left to it, and are not here
            texts.append(None)
    lookup = np.array([tables.area(text) for text in texts] + [tables.area(None)], dtype=np.int32)
    return lookup[np.asarray(cells)[decided]]  # a missing cell (-1) picks the last: no area


def first_seen(key: Any) -> tuple[Any, Any]:
    """Each element's code, numbered in order of first appearance, and the position where each code first appears."""
    import numpy as np

    pandas = importlib.import_module("pandas")
    codes = np.asarray(pandas.factorize(np.asarray(key), sort=False)[0])
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
        pandas = importlib.import_module("pandas")
        key = combine([(codes if among is None else codes[among], size) for codes, size in parts])
        found = np.flatnonzero(~pandas.Series(key, copy=False).duplicated().to_numpy())
        return found if among is None else among[found]
    seen = np.zeros(possible, dtype=bool)
    firsts = [np.zeros(0, dtype=np.int64)]
    for start in range(0, count, chunk):
        rows = slice(start, start + chunk) if among is None else among[start : start + chunk]
        unique, index = np.unique(combine([(codes[rows], size) for codes, size in parts]), return_index=True)
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


def presence(figures: Figures) -> tuple[set[tuple[str, str, str]], dict[str, None], dict[str, Period]]:
    """What completeness reads: each (indicator, area or "", period code) given; the areas and periods as first seen."""
    f = figures
    first = first_positions([(f.indicator, len(f.indicators)), (f.area, len(f.areas)), (f.period, len(f.periods))])
    # Each area's (and period's) first figure is the first of some (indicator, area, period): among these.
    indicator, area, period = f.indicator[first].tolist(), f.area[first].tolist(), f.period[first].tolist()
    seen = {
        (f.indicators[i].id, f.areas[a] or "", f.periods[p].code)
        for i, a, p in zip(indicator, area, period, strict=True)
    }
    areas = dict.fromkeys(f.areas[a] or "" for a in area)
    periods = {f.periods[p].code: f.periods[p] for p in period}
    return seen, areas, periods


def jump_pairs(figures: Figures, bands: Mapping[Unit, JumpBand]) -> Iterator[tuple[int, int]]:
    """(before, after) positions of each figure and the previous one of its series where the band may flag it.

    A series is an indicator, area, group and kind of period; of a figure given twice, the first
    counts; pairs come series by series. Pairs the floats show to be inside the band are left out.
    """
    import numpy as np

    f = figures
    kinds = {kind: code for code, kind in enumerate(dict.fromkeys(p.kind.value for p in f.periods))}
    starts = {start: rank for rank, start in enumerate(sorted({p.start for p in f.periods}))}
    kind_of = np.array([kinds[p.kind.value] for p in f.periods], dtype=np.int64)
    start_of = np.array([starts[p.start] for p in f.periods], dtype=np.int64)
    # The first figure of each indicator, area, group and period (which has one kind), then their series.
    first = first_positions(
        [(f.indicator, len(f.indicators)), (f.area, len(f.areas)), (f.group, len(f.groups)), (f.period, len(f.periods))]
    )
    period = f.period[first]
    parts = [(f.indicator[first], len(f.indicators)), (f.area[first], len(f.areas)), (f.group[first], len(f.groups))]
    series = first_seen(combine([*parts, (kind_of[period], len(kinds))]))[0]
    # A series's figures by period, ties (none for periods of one kind) as first seen: the scalar code's order.
    order = np.lexsort((first, start_of[period], series))
    ordered, same = first[order], series[order][1:] == series[order][:-1]
    before, after = ordered[:-1][same], ordered[1:][same]
    chosen = [bands[indicator.unit] for indicator in f.indicators]
    ratio_of = np.array([float(band.ratio) for band in chosen] + [0.0])
    floor_of = np.array([float(band.floor) for band in chosen] + [0.0])
    odd_band = np.array([_far(band.ratio) or _far(band.floor) for band in chosen] + [False])
    ratio, floor = ratio_of[f.indicator[after]], floor_of[f.indicator[after]]
    b, a = f.value[before], f.value[after]
    top = np.maximum(a, b)
    with np.errstate(all="ignore"):
        up, down = a - b * ratio, a * ratio - b
        near = (np.abs(up) < MARGIN * (np.abs(a) + np.abs(b * ratio))) | (
            np.abs(down) < MARGIN * (np.abs(a * ratio) + np.abs(b))
        )
        below = (top < floor) & ~(np.abs(top - floor) < MARGIN * (np.abs(top) + np.abs(floor)))
    rough = f.rough[before] | f.rough[after] | odd_band[f.indicator[after]]
    maybe = (~below & ((up > 0) | (down < 0) | near)) | rough
    yield from zip(before[maybe].tolist(), after[maybe].tolist(), strict=True)


def _far(number: decimal.Decimal) -> bool:
    """Whether a band's number is out of the range where its float is within MARGIN of it."""
    magnitude = abs(float(number))
    return magnitude > _RANGE or (number != 0 and magnitude < 1 / _RANGE)


def rule_places(
    figures: Figures, rules: Sequence[Rule]
) -> Iterator[tuple[Rule, str | None, Period, list[int], list[int]]]:
    """Where each rule may be broken: (rule, area, period, the left terms' figures, the right terms'), rule by rule.

    A place is an area and a period, in order of first appearance among the rules'
    indicators' figures; a term's figure is its first in the place. Places where a
    side is missing, or where the floats show the rule holds, are left out.
    """
    import numpy as np

    f = figures
    wanted = {indicator for rule in rules for indicator in rule.indicators}
    indicator_code = {indicator.id: code for code, indicator in enumerate(f.indicators)}
    group_code = {group: code for code, group in enumerate(f.groups)}
    kept = np.flatnonzero(np.isin(f.indicator, [indicator_code[i] for i in wanted if i in indicator_code]))
    if not len(kept):
        return
    # The first figure of each area, period, indicator and group; a place's first figure is among them.
    columns = (
        (f.area, len(f.areas)),
        (f.period, len(f.periods)),
        (f.indicator, len(f.indicators)),
        (f.group, len(f.groups)),
    )
    first_position = first_positions(columns, kept)
    del kept
    place_parts = [(f.area[first_position], len(f.areas)), (f.period[first_position], len(f.periods))]
    first_place, place_first = first_seen(combine(place_parts))
    first_term = f.indicator[first_position].astype(np.int64) * max(len(f.groups), 1) + f.group[first_position]
    by_term: dict[int, Any] = {}

    def column(code: int) -> Any:  # each place's first figure of a term, or -1
        if code not in by_term:
            found = np.full(len(place_first), -1, dtype=np.int64)
            chosen = first_term == code
            found[first_place[chosen]] = first_position[chosen]
            by_term[code] = found
        return by_term[code]

    for rule in rules:
        sides = []
        for terms in (rule.left, rule.right):
            codes = [
                indicator_code[t.indicator] * max(len(f.groups), 1) + group_code[t.group]
                if t.indicator in indicator_code and t.group in group_code
                else None
                for t in terms
            ]
            sides.append([column(code) for code in codes if code is not None] if None not in codes else None)
        left, right = sides
        if left is None or right is None:
            continue  # a term with no figure anywhere: never a disagreement
        present = np.logical_and.reduce([positions >= 0 for positions in (*left, *right)])
        sums, size, rough = [], np.zeros(len(present)), np.zeros(len(present), dtype=bool)
        for side in (left, right):
            total = np.zeros(len(present))
            for positions in side:
                values = f.value[np.where(positions >= 0, positions, 0)]
                total, size = total + values, size + np.abs(values)
                rough |= f.rough[np.where(positions >= 0, positions, 0)]
            sums.append(total)
        holds = _HOLDS[rule.operator](*sums)
        near = np.abs(sums[0] - sums[1]) < MARGIN * size
        for index in np.flatnonzero(present & (~holds | near | rough)).tolist():
            position = int(first_position[place_first[index]])
            yield (
                rule,
                f.areas[f.area[position]],
                f.periods[f.period[position]],
                [int(positions[index]) for positions in left],
                [int(positions[index]) for positions in right],
            )


_HOLDS: dict[RuleOperator, Callable[[Any, Any], Any]] = {
    RuleOperator.LT: lambda left, right: left < right,
    RuleOperator.LE: lambda left, right: left <= right,
    RuleOperator.EQ: lambda left, right: left == right,
    RuleOperator.GE: lambda left, right: left >= right,
    RuleOperator.GT: lambda left, right: left > right,
}


def count_positions(figures: Figures) -> Iterator[int]:
    """The figures of count indicators that may not be whole (the scalar path's, and those whose float is not)."""
    import numpy as np

    f = figures
    count = np.array([indicator.unit is Unit.COUNT for indicator in f.indicators] + [False])[f.indicator]
    maybe = count & ((f.value != np.floor(f.value)) | f.scalar | f.rough)
    yield from np.flatnonzero(maybe).tolist()


def problem_rows(card: Scorecard) -> list[int]:
    """The indices of the rows with a problem that the built-in checks may flag, in input order.

    The rows the scalar path decided with a problem, and the rows whose combination fails
    (a year outside the plan, say) that name a count indicator with a value that is not
    whole. A decided table has no numerators, so no other row can break a built-in check.
    """
    import numpy as np

    rows = card.rows
    assert isinstance(rows, DecidedRows)
    decision = rows.decision
    scalar = np.zeros(len(rows), dtype=bool)
    scalar[np.fromiter(rows.scored, dtype=np.int64, count=len(rows.scored))] = True
    count = np.zeros(len(decision.parts) + 1, dtype=bool)
    for combination, error in enumerate(decision.errors):
        if error is not None:
            try:
                named = card.plan.get_indicator(_text(decision.parts[combination][0]) or "")
            except TdplanError:
                continue
            count[combination] = named is not None and named.unit is Unit.COUNT
    failed = np.flatnonzero(count[np.asarray(decision.combination)] & (np.asarray(rows.codes) < 0) & ~scalar)
    values = np.asarray(decision.values)[failed]
    with np.errstate(invalid="ignore"):
        failed = failed[~(values == np.floor(values))]
    problems = [index for index, row in rows.scored.items() if row.problem is not None]
    return sorted([*problems, *failed.tolist()])
