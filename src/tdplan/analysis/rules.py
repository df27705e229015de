"""Consistency checks of a table's figures: the plan's rules, and the checks that need no declaration.

A plan declares rules such as *neonatal ≤ infant ≤ under-5 mortality*
(:class:`~tdplan.core.consistency.Rule`, ``[[rules]]`` in a plan file). :func:`check_rules`
reads every area and period of an assessed table and lists each place a rule is broken as a
:class:`Violation`, with both sides' values and the rows they came from. Two checks need no
declaration: a count indicator given a value that is not whole (``count_not_whole``), and a
row whose numerator is above its denominator (``share_above_whole``; that row itself is a
problem, since no rate can be made of it).

A violation changes no verdict: each row keeps its status. It says that the figures
disagree, and where to look.

>>> import tdplan
>>> card = tdplan.load_plan().assess_table([
...     {"indicator": "3", "value": 21, "year": 2025, "area": "Bản Bo"},
...     {"indicator": "4", "value": 19, "year": 2025, "area": "Bản Bo"},
... ])
>>> [(v.rule, v.area, v.period.code, v.left, v.right, v.rows) for v in card.violations]
[('neonatal-infant', 'Bản Bo', '2025', Decimal('21'), Decimal('19'), (1, 2))]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from tdplan.analysis.columnar import count_positions, problem_rows, rule_places
from tdplan.analysis.figures import decided_figures
from tdplan.analysis.observations import Observation, observations
from tdplan.analysis.reading import cell_of, count_cell, find_columns, is_blank, text_cell
from tdplan.analysis.scorecard import DecidedRows, Scorecard
from tdplan.core.consistency import Importance, Rule, RuleOperator, RuleTerm
from tdplan.core.errors import TdplanError
from tdplan.core.i18n import N_, translate
from tdplan.core.notation import parse_value
from tdplan.core.periods import Period
from tdplan.core.units import Unit
from tdplan.core.vocabulary import Text

__all__ = ["BUILT_IN_CHECKS", "Violation", "check_rules"]

_COUNT_NOT_WHOLE = N_("A count that is not a whole number: a number of people or events is whole")
_SHARE_ABOVE_WHOLE = N_("The numerator is above the denominator: a part cannot be larger than its whole")


def _text(message: str) -> Text:
    return Text(translate(message, "vi"), message)


BUILT_IN_CHECKS = ("count_not_whole", "share_above_whole")
"""The ids of the checks that need no declaration in the plan."""


@attrs.frozen
class Violation:
    """A broken rule in one area and period: the rule, where, both sides' values, and the rows they came from.

    ``rule`` is the rule's id (or a built-in check's, :data:`BUILT_IN_CHECKS`); ``left``
    and ``right`` are the sides' values in the indicators' unit (for a built-in check,
    the value and the bound, or None); ``rows`` the table's row numbers.
    """

    rule: str
    importance: Importance
    message: Text
    area: str | None
    period: Period | None
    left: Decimal
    operator: RuleOperator | None
    right: Decimal | None
    rows: tuple[int, ...]
    unit: Unit | None = None
    expression: str = ""


_Key = tuple[str | None, str]


def check_rules(card: Scorecard) -> tuple[Violation, ...]:
    """Every violation of the plan's rules and of the built-in checks in ``card``'s figures, rule by rule.

    A table NumPy decided is read from its columns (:mod:`tdplan.analysis.figures`): the
    same violations, with Decimals read only where a rule may be broken.
    """
    figures = decided_figures(card)
    if figures is None:
        found, whole = _from_observations(card)
    else:
        found = []
        for rule, area, period, left, right in rule_places(figures, card.plan.rules):
            sides = [figures.observation(position) for position in (*left, *right)]
            found.extend(_check(rule, (area, period.code), period, {(o.indicator.id, o.group): [o] for o in sides}))
        whole = [violation for p in count_positions(figures) if (violation := _count(figures.observation(p)))]
    return (*found, *whole, *_above_whole(card))


def _count(observation: Observation) -> Violation | None:
    """The count_not_whole violation of a figure of a count indicator that is not whole, if it is one."""
    indicator = observation.indicator
    if indicator.unit is Unit.COUNT and observation.value != observation.value.to_integral_value():
        return _not_whole(observation.row, indicator.id, observation.area, observation.period, observation.value)
    return None


def _from_observations(card: Scorecard) -> tuple[list[Violation], list[Violation]]:
    """The rules' violations and the counts that are not whole, read from each observation in turn."""
    rules = card.plan.rules
    wanted = {indicator for rule in rules for indicator in rule.indicators}
    places: dict[_Key, dict[tuple[str, tuple[tuple[str, str], ...]], list[Observation]]] = defaultdict(
        lambda: defaultdict(list)
    )
    periods: dict[_Key, Period] = {}
    whole: list[Violation] = []
    for observation in observations(card):
        indicator = observation.indicator
        not_whole = _count(observation)
        if not_whole is not None:
            whole.append(not_whole)
        if indicator.id in wanted:
            key = (observation.area, observation.when)
            places[key][indicator.id, observation.group].append(observation)
            periods[key] = observation.period
    found: list[Violation] = []
    for rule in rules:
        for key, figures in places.items():
            found.extend(_check(rule, key, periods[key], figures))
    return found, whole


def _check(
    rule: Rule,
    key: _Key,
    period: Period,
    figures: dict[tuple[str, tuple[tuple[str, str], ...]], list[Observation]],
) -> list[Violation]:
    sides = []
    for terms in (rule.left, rule.right):
        found = [figures.get((term.indicator, term.group)) for term in terms]
        if not all(found):
            return []  # a side not reported here is a gap (completeness), not a disagreement
        sides.append([observed[0] for observed in found if observed])  # a repeated figure: the first is compared
    left, right = sides
    left_value = sum((o.value for o in left), Decimal(0))
    right_value = sum((o.value for o in right), Decimal(0))
    if rule.operator.holds(left_value, right_value):
        return []
    rows = tuple(sorted({o.row for o in (*left, *right)}))
    unit = left[0].indicator.unit
    violation = Violation(
        rule.id,
        rule.importance,
        rule.message,
        key[0],
        period,
        left_value,
        rule.operator,
        right_value,
        rows,
        unit,
        str(rule),
    )
    return [violation]


def _not_whole(row: int, indicator: str, area: str | None, period: Period | None, value: Decimal) -> Violation:
    return Violation(
        "count_not_whole",
        Importance.HIGH,
        _text(_COUNT_NOT_WHOLE),
        area,
        period,
        value,
        None,
        None,
        (row,),
        Unit.COUNT,
        str(RuleTerm(indicator)),
    )


def _above_whole(card: Scorecard) -> list[Violation]:
    """Rows with a problem whose numerator is above their denominator, or whose count is not whole.

    (Of a large table, only the rows with a problem that could be either are built: see :func:`problem_rows`.)
    """
    found = find_columns(card.columns)
    rows = [card.rows[index] for index in problem_rows(card)] if isinstance(card.rows, DecidedRows) else card.rows
    violations = []
    for row in rows:
        if row.problem is None:
            continue
        try:
            indicator = text_cell(cell_of(row.cells, found, "indicator")) or ""
            period = _period_of(row.cells, found)
            counts = [cell_of(row.cells, found, name) for name in ("numerator", "denominator")]
            if not any(is_blank(cell) for cell in counts):
                numerator, denominator = (
                    count_cell(cell, name) for cell, name in zip(counts, ("numerator", "denominator"), strict=True)
                )
                if numerator > denominator:
                    violations.append(
                        Violation(
                            "share_above_whole",
                            Importance.HIGH,
                            _text(_SHARE_ABOVE_WHOLE),
                            row.area,
                            period,
                            Decimal(numerator),
                            RuleOperator.LE,
                            Decimal(denominator),
                            (row.row,),
                            None,
                            str(RuleTerm(indicator)),
                        )
                    )
            known = card.plan.get_indicator(indicator)
            value = _number(cell_of(row.cells, found, "value"))
            if (
                known is not None
                and known.unit is Unit.COUNT
                and value is not None
                and value != value.to_integral_value()
            ):
                violations.append(_not_whole(row.row, known.id, row.area, period, value))
        except TdplanError:
            continue
    return violations


def _number(cell: Any) -> Decimal | None:
    """A value cell as a number, where it is one (a count needs no unit)."""
    if is_blank(cell) or isinstance(cell, bool):
        return None
    if isinstance(cell, str):
        return parse_value(cell)[0]
    if isinstance(cell, int | Decimal):
        return Decimal(cell)
    if isinstance(cell, float) and cell == cell and abs(cell) != float("inf"):
        return Decimal(repr(float(cell)))  # float(): NumPy's float64 writes its repr as np.float64(16.5)
    return None


def _period_of(cells: Mapping[str, Any], found: dict[str, str]) -> Period | None:
    period = cell_of(cells, found, "period")
    if period is not None and text_cell(period) is not None:
        return Period.parse(str(period).strip())
    year = cell_of(cells, found, "year")
    return None if year is None or text_cell(year) is None else Period.for_year(count_cell(year, "year"))
