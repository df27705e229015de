"""Suspicious jumps: a figure that moved beyond a plausibility band since the same area's previous period.

For each series the table holds (one indicator, one area, one group, periods of one
kind), each figure is compared with the one of the previous period in the table. It is
flagged *kiểm tra lại* ("check again") when it is more than ``ratio`` times the previous
figure, or less than the previous figure divided by ``ratio``, unless both figures are
below the unit's ``floor`` (small rates swing by chance). A flag is never a rejection:
the row keeps its verdict.

The default band (:data:`DEFAULT_BANDS`) is *more than doubled or halved*, with a floor
of 5% for percentages, 5‰ for rates per thousand, 20 per 100,000, and 10 for counts; pass
``jump_bands={Unit.PERCENT: JumpBand(Decimal(3), Decimal(1))}`` (any unit not given keeps
its default) to ``assess_table`` to change them.

>>> import tdplan
>>> card = tdplan.load_plan().assess_table([
...     {"indicator": "3", "value": 12, "year": 2024, "area": "Bản Bo"},
...     {"indicator": "3", "value": 30, "year": 2025, "area": "Bản Bo"},
... ])
>>> [(j.indicator, j.area, j.previous.code, j.period.code, j.before, j.after) for j in card.jumps]
[('3', 'Bản Bo', '2024', '2025', Decimal('12'), Decimal('30'))]
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

import attrs

from tdplan.analysis.columnar import jump_pairs
from tdplan.analysis.figures import decided_figures
from tdplan.analysis.observations import Observation, observations
from tdplan.analysis.scorecard import Scorecard
from tdplan.core.errors import InputTypeError
from tdplan.core.periods import Period
from tdplan.core.units import Unit

__all__ = ["DEFAULT_BANDS", "Jump", "JumpBand", "find_jumps"]


@attrs.frozen
class JumpBand:
    """A plausibility band: flag a change beyond ``ratio`` times, up or down, unless both are under ``floor``."""

    ratio: Decimal = Decimal(2)
    floor: Decimal = Decimal(0)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.ratio, Decimal) or not self.ratio > 1:
            raise InputTypeError("a jump band's ratio is a Decimal above 1, not {ratio!r}", ratio=self.ratio)
        if not isinstance(self.floor, Decimal) or self.floor < 0:
            raise InputTypeError("a jump band's floor is a Decimal of 0 or more, not {floor!r}", floor=self.floor)

    def flags(self, before: Decimal, after: Decimal) -> bool:
        """Whether going from ``before`` to ``after`` is beyond the band."""
        if max(before, after) < self.floor:
            return False
        return after > before * self.ratio or after * self.ratio < before


DEFAULT_BANDS: Mapping[Unit, JumpBand] = {
    Unit.PERCENT: JumpBand(Decimal(2), Decimal(5)),
    Unit.PER_MILLE: JumpBand(Decimal(2), Decimal(5)),
    Unit.PER_100000: JumpBand(Decimal(2), Decimal(20)),
    Unit.COUNT: JumpBand(Decimal(2), Decimal(10)),
}
"""The documented default: more than doubled or halved, above a small floor per unit."""


@attrs.frozen
class Jump:
    """A figure beyond the band since the previous period of its series: the rows, the periods and both values."""

    indicator: str
    area: str | None
    group: tuple[tuple[str, str], ...]
    previous: Period
    period: Period
    before: Decimal
    after: Decimal
    rows: tuple[int, int]
    unit: Unit
    band: JumpBand


def find_jumps(card: Scorecard, bands: Mapping[Unit, JumpBand] | None = None) -> tuple[Jump, ...]:
    """Every figure of ``card`` beyond its unit's band since the previous period of its series, in input order.

    A table NumPy decided is read from its columns (:mod:`tdplan.analysis.figures`): the same
    jumps, with Decimals read only for the figures that may be beyond the band.
    """
    chosen = dict(DEFAULT_BANDS) | dict(bands or {})
    figures = decided_figures(card)
    pairs: Iterable[tuple[Observation, Observation]]
    if figures is None:
        pairs = _pairs(card)
    else:
        pairs = ((figures.observation(b), figures.observation(a)) for b, a in jump_pairs(figures, chosen))
    jumps = []
    for before, after in pairs:
        band = chosen[after.indicator.unit]
        if band.flags(before.value, after.value):
            jumps.append(
                Jump(
                    after.indicator.id,
                    after.area,
                    after.group,
                    before.period,
                    after.period,
                    before.value,
                    after.value,
                    (before.row, after.row),
                    after.indicator.unit,
                    band,
                )
            )
    return tuple(sorted(jumps, key=lambda jump: jump.rows[1]))


def _pairs(card: Scorecard) -> Iterator[tuple[Observation, Observation]]:
    """Each figure and the previous one of its series, read from each observation in turn, series by series."""
    series: dict[tuple[str, str | None, tuple[tuple[str, str], ...], str], dict[str, Observation]] = defaultdict(dict)
    for observation in observations(card):
        key = (observation.indicator.id, observation.area, observation.group, observation.period.kind.value)
        series[key].setdefault(observation.when, observation)  # a repeated figure: the first is compared
    for figures in series.values():
        yield from itertools.pairwise(sorted(figures.values(), key=lambda o: o.period.start))
