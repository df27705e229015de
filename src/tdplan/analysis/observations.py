"""The figures of an assessed table, one per assessed row: what the checks and the exports read.

An :class:`Observation` is one assessed row reduced to what comparing and exchanging
figures needs: the indicator, the area, the period, the group, and the value in the
indicator's own unit (a rate given in % for a ‰ indicator is converted exactly). The
consistency rules (:mod:`tdplan.analysis.rules`), completeness
(:mod:`tdplan.analysis.completeness`), suspicious jumps (:mod:`tdplan.analysis.jumps`) and the
exports (:mod:`tdplan.exchange`) all read a scorecard through :func:`observations`.

>>> import tdplan
>>> card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "1,8%", "year": 2025, "area": "Bản Bo"}])
>>> [(o.indicator.id, o.area, o.period.code, o.value) for o in observations(card)]
[('3', 'Bản Bo', '2025', Decimal('18'))]
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from tdplan.analysis.cells import written_unit, year_cell
from tdplan.analysis.reading import GROUPS, cell_of, find_columns, plain_cell, text_cell
from tdplan.analysis.scorecard import DecidedRows, Scorecard, ScoredRow
from tdplan.core.errors import TdplanError
from tdplan.core.periods import Period
from tdplan.core.units import Unit, convert, parse_unit
from tdplan.core.vocabulary import Status

if TYPE_CHECKING:
    from tdplan.core.model import Indicator

__all__ = ["Observation", "decided_value", "observations", "row_observation"]


@attrs.frozen
class Observation:
    """One assessed figure: its row, indicator, area (None if the table gives none), period, group and value.

    ``value`` is in the indicator's unit; ``group`` the groups the row gave, sorted
    (``(("residence", "rural"),)``; empty for the whole population); ``status`` the row's verdict.
    """

    row: int
    indicator: Indicator
    area: str | None
    period: Period
    group: tuple[tuple[str, str], ...]
    value: Decimal
    status: Status
    exact: bool = True
    when: str = attrs.field(init=False, eq=False, repr=False)  # the period's code, made once

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "when", self.period.code)


def _groups(row: ScoredRow, found: dict[str, str]) -> tuple[tuple[str, str], ...]:
    groups = []
    for name in GROUPS:
        try:
            value = text_cell(cell_of(row.cells, found, name))
        except TdplanError:
            value = None
        if value is not None:
            groups.append((name, value))
    return tuple(sorted(groups))


def row_observation(row: ScoredRow, found: dict[str, str]) -> Observation | None:
    """The figure of one scored row (``found``: the table's columns found), None if the row has a problem."""
    a = row.assessment
    if a is None:
        return None
    indicator = a.indicator
    value = a.value
    if a.target.unit is not indicator.unit and indicator.unit.is_ratio and a.target.unit.is_ratio:
        value = convert(value, a.target.unit, indicator.unit)
    period = row.period or Period.for_year(a.year)
    return Observation(row.row, indicator, row.area, period, _groups(row, found), value, a.status, a.exact)


def decided_value(cell: object) -> Decimal:
    """The exact value of a value cell NumPy decided (a number, or text of digits and one decimal sign)."""
    cell = written_unit(plain_cell(cell))[0]  # 95,5%: its unit is the row's (given_unit)
    if isinstance(cell, str):  # the chunked reader decides only plain cells: digits and one decimal sign
        return Decimal(cell.strip().replace(",", "."))
    number = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(str(cell))
    return number.copy_abs() if number.is_zero() else number  # -0.0 is 0, as the scalar path reads it


def observations(card: Scorecard) -> tuple[Observation, ...]:
    """Every assessed row of ``card`` as an :class:`Observation`, in input order (made once per scorecard)."""
    return card.checked("observations", lambda card: tuple(_observations(card)))  # type: ignore[no-any-return]


def _observations(card: Scorecard) -> Iterator[Observation]:
    found = find_columns(card.columns)
    if isinstance(card.rows, DecidedRows):
        yield from _decided(card, card.rows, found)
        return
    for row in card.rows:
        observation = row_observation(row, found)
        if observation is not None:
            yield observation


def _decided(card: Scorecard, rows: DecidedRows, found: dict[str, str]) -> Iterator[Observation]:
    """The figures of a table NumPy decided, read from its columns (a row is built only if the scalar path made it)."""
    from tdplan.analysis.bulk import STATUS_CODES

    columns = rows.columns
    plan = card.plan

    def column(name: str) -> list[object] | None:
        return columns[found[name]].tolist() if name in found else None

    indicators, years, values = column("indicator"), column("year"), column("value")
    units, areas = column("unit"), column("area")
    groups = {name: column(name) for name in GROUPS if name in found}
    assert indicators is not None  # the bulk path needs these three columns
    assert years is not None
    assert values is not None
    # A large table repeats few distinct cells: each is read once.
    texts: dict[object, str | None] = {}
    numbers: dict[object, Decimal] = {}
    periods: dict[object, Period] = {}
    units_read: dict[str, Unit] = {}

    def text(cell: object) -> str | None:
        found_text = texts.get(cell, ...)
        if found_text is ...:
            found_text = texts[cell] = text_cell(plain_cell(cell))
        return found_text

    for index, code in enumerate(rows.codes.tolist()):
        scored = rows.scored.get(index)
        if scored is not None:
            observation = row_observation(scored, found)
            if observation is not None:
                yield observation
            continue
        if code < 0:
            continue
        indicator = plan.indicator(str(text(indicators[index])))
        raw = values[index]
        value = numbers.get(raw)
        if value is None:
            value = numbers[raw] = decided_value(raw)
        unit_cell = written_unit(raw)[1] if units is None else text(units[index])
        unit = indicator.unit if unit_cell is None else units_read.get(unit_cell)
        if unit is None:
            unit = units_read[str(unit_cell)] = parse_unit(str(unit_cell))
        if unit is not indicator.unit and unit.is_ratio and indicator.unit.is_ratio:
            value = convert(value, unit, indicator.unit)
        area = None if areas is None else text(areas[index])
        group = tuple(
            sorted(
                (name, group_text)
                for name, cells in groups.items()
                if cells is not None and (group_text := text(cells[index])) is not None
            )
        )
        period = periods.get(years[index])
        if period is None:
            period = periods[years[index]] = Period.for_year(year_cell(plain_cell(years[index])))
        yield Observation(index + 1, indicator, area, period, group, value, STATUS_CODES[code])
