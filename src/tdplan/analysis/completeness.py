"""Completeness: which figures the areas that should report gave, period by period (DHIS2's reporting rate).

The areas that should report come from ``assess_table(..., areas=[...])`` (``tdplan report
--areas``, or an areas file), else the plan's ``areas`` list, else the areas the table
names. The periods are those the table holds; the indicators, those of the plan the table
reports anywhere (:func:`completeness` takes others, all the plan's say). A figure is
*present* when at least one row for that indicator, area and period was assessed (a row
with a problem gives no usable figure). :class:`Completeness` holds the matrix and gives
the reporting rate per area, per indicator and overall, exactly.

>>> import tdplan
>>> plan = tdplan.load_plan()
>>> row = {"indicator": "3", "value": 16, "year": 2025, "area": "Bản Bo"}
>>> card = plan.assess_table([row], areas=["Bản Bo", "Bình Lư"])
>>> c = card.completeness
>>> c.is_present("3", "Bản Bo", "2025"), c.is_present("3", "Bình Lư", "2025")
(True, False)
>>> [(rate.key, rate.present, rate.expected) for rate in c.by_area()]
[('Bản Bo', 1, 1), ('Bình Lư', 0, 1)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Any

import attrs

from tdplan.analysis.columnar import presence
from tdplan.analysis.figures import decided_figures
from tdplan.analysis.observations import observations
from tdplan.analysis.scorecard import Scorecard
from tdplan.core.errors import InputTypeError, require_module
from tdplan.core.i18n import Message
from tdplan.core.periods import Period

__all__ = ["Completeness", "ReportingRate", "completeness", "read_areas"]


@attrs.frozen
class ReportingRate:
    """Figures present of those expected for one area, one indicator, or all (``key`` ``""``)."""

    key: str
    present: int
    expected: int

    @property
    def rate(self) -> Fraction | None:
        """``present / expected`` exactly; None when nothing was expected."""
        return Fraction(self.present, self.expected) if self.expected else None


@attrs.frozen
class Completeness:
    """The matrix indicator × area × period, present or missing, and the areas the table names that were not expected.

    An area of ``""`` stands for rows with no area, in a table that names none.
    """

    indicators: tuple[str, ...]
    areas: tuple[str, ...]
    periods: tuple[Period, ...]
    present: frozenset[tuple[str, str, str]]
    unexpected: tuple[str, ...] = ()

    def is_present(self, indicator: str, area: str, period: str | Period) -> bool:
        """Whether a figure for ``indicator`` in ``area`` for ``period`` (a period or its code) was assessed."""
        code = period.code if isinstance(period, Period) else str(period)
        return (indicator, area, code) in self.present

    def cells(self) -> Iterator[tuple[str, str, Period, bool]]:
        """(indicator, area, period, present) for every expected figure: indicator by indicator, area, then period."""
        for indicator in self.indicators:
            for area in self.areas:
                for period in self.periods:
                    yield indicator, area, period, (indicator, area, period.code) in self.present

    def missing(self) -> tuple[tuple[str, str, Period], ...]:
        """The expected figures no row gave."""
        return tuple((indicator, area, period) for indicator, area, period, present in self.cells() if not present)

    def _rate(self, key: str, indicators: Iterable[str], areas: Iterable[str]) -> ReportingRate:
        cells = [(i, a, p.code) for i in indicators for a in areas for p in self.periods]
        return ReportingRate(key, sum(cell in self.present for cell in cells), len(cells))

    def by_area(self) -> tuple[ReportingRate, ...]:
        """The reporting rate of each area: its figures present of the plan's indicators × the periods."""
        return tuple(self._rate(area, self.indicators, [area]) for area in self.areas)

    def by_indicator(self) -> tuple[ReportingRate, ...]:
        """The reporting rate of each indicator: the areas × periods that gave it."""
        return tuple(self._rate(indicator, [indicator], self.areas) for indicator in self.indicators)

    def overall(self) -> ReportingRate:
        """The reporting rate of the whole matrix."""
        return self._rate("", self.indicators, self.areas)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame, one row per expected figure: indicator, area, period (its code), present.

        pandas is an optional extra (``tdplan[pandas]``).
        """
        pandas = require_module("pandas", package="pandas", extra="pandas", purpose=Message("DataFrames"))
        rows = [(i, a, p.code, present) for i, a, p, present in self.cells()]
        return pandas.DataFrame(rows, columns=["indicator", "area", "period", "present"])


def completeness(
    card: Scorecard,
    *,
    areas: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
    periods: Iterable[Period | str | int] | None = None,
) -> Completeness:
    """The completeness of ``card``: the ``areas`` that should report (else the plan's, else the table's) × ``periods``.

    ``indicators`` default to those of the plan's indicators the table reports at all (the
    plan's indicators with no figure anywhere are listed by every report on their own);
    ``periods`` to those the table holds.
    """
    seen: set[tuple[str, str, str]] = set()
    table_areas: dict[str, None] = {}
    table_periods: dict[str, Period] = {}
    figures = decided_figures(card)  # a table NumPy decided: read from its columns
    if figures is not None:
        seen, table_areas, table_periods = presence(figures)
    for observation in observations(card) if figures is None else ():
        area = observation.area or ""
        seen.add((observation.indicator.id, area, observation.when))
        table_areas[area] = None
        table_periods[observation.when] = observation.period
    expected = tuple(dict.fromkeys(_areas(areas))) if areas is not None else card.plan.areas or tuple(table_areas)
    reported = {indicator for indicator, _, _ in seen}
    if indicators is None:
        ids = tuple(ind.id for ind in card.plan.indicators if ind.id in reported)
    else:
        ids = tuple(dict.fromkeys(indicators))
    for indicator in ids:
        card.plan.indicator(indicator)  # an unknown id is an error, not an empty row
    if periods is None:
        chosen = sorted(table_periods.values(), key=lambda period: (period.start, period.end))
    else:
        chosen = [p if isinstance(p, Period) else Period.parse(p) for p in periods]
    unexpected = tuple(area for area in table_areas if area not in expected)
    return Completeness(ids, expected, tuple(chosen), frozenset(seen), unexpected)


def _areas(areas: Iterable[str]) -> Iterator[str]:
    if isinstance(areas, str):
        raise InputTypeError("areas are a list of names, not one string: ['Bản Bo', 'Bình Lư']")
    for area in areas:
        if not isinstance(area, str) or not area.strip():
            raise InputTypeError("an area is a name, not {area!r}", area=area)
        yield " ".join(area.split())


def read_areas(text: str) -> tuple[str, ...]:
    """The areas of an areas file: one name a line (blank lines and lines starting with ``#`` passed over).

    >>> read_areas("# xã\\nBản Bo\\n\\nBình Lư\\n")
    ('Bản Bo', 'Bình Lư')
    """
    lines = (" ".join(line.split()) for line in text.lstrip("\ufeff").splitlines())
    return tuple(dict.fromkeys(line for line in lines if line and not line.startswith("#")))
