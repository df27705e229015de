"""The checks of the figures on columns: which figures each check must read exactly, found with NumPy.

For a table NumPy decided, the checks (:mod:`tdplan.analysis.rules`,
:mod:`tdplan.analysis.completeness`, :mod:`tdplan.analysis.jumps`) read its figures as
columns (:func:`tdplan.analysis.figures.decided_figures`). The functions here group them
as the scalar code does (the first figure of a kind, a series in period order, a rule's
place), compare the floats, and give the positions whose verdict needs the exact values:
every one the floats cannot rule out (see :data:`~tdplan.analysis.figures.MARGIN`). The
check then builds those figures and decides them with the scalar code.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tdplan.analysis.figures import CHUNK, MARGIN, RANGE, Figures, combine, first_positions, first_seen, text_of
from tdplan.analysis.scorecard import DecidedRows, Scorecard
from tdplan.core.consistency import RuleOperator
from tdplan.core.errors import TdplanError
from tdplan.core.periods import Period
from tdplan.core.units import Unit

if TYPE_CHECKING:
    from tdplan.analysis.jumps import JumpBand
    from tdplan.core.consistency import Rule

__all__ = ["count_positions", "jump_pairs", "presence", "problem_rows", "rule_places"]


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
    return magnitude > RANGE or (number != 0 and magnitude < 1 / RANGE)


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
    named = [indicator_code[i] for i in wanted if i in indicator_code]
    kept = _where(lambda rows: np.isin(f.indicator[rows], named), len(f))
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
    is_count = np.array([indicator.unit is Unit.COUNT for indicator in f.indicators] + [False])
    counts = _where(lambda rows: is_count[f.indicator[rows]], len(f))
    values = f.value[counts]
    yield from counts[(values != np.floor(values)) | f.scalar[counts] | f.rough[counts]].tolist()


def _where(test: Callable[[slice], Any], count: int) -> Any:
    """The positions (int64) where ``test`` of a slice of figures is True, read :data:`CHUNK` figures at a time."""
    import numpy as np

    found = [np.flatnonzero(test(slice(start, start + CHUNK))) + start for start in range(0, count, CHUNK)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


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
                named = card.plan.get_indicator(text_of(decision.parts[combination][0]) or "")
            except TdplanError:
                continue
            count[combination] = named is not None and named.unit is Unit.COUNT
    failed = np.flatnonzero(count[np.asarray(decision.combination)] & (np.asarray(rows.codes) < 0) & ~scalar)
    values = np.asarray(decision.values)[failed]
    with np.errstate(invalid="ignore"):
        failed = failed[~(values == np.floor(values))]
    problems = [index for index, row in rows.scored.items() if row.problem is not None]
    return sorted([*problems, *failed.tolist()])
