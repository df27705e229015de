"""Progress over time: a series of measurements, the verdict for each, and the trajectory toward each milestone.

:func:`track` (``Plan.track``) takes a series of values by year, date or reporting
period and gives a :class:`Progress`:

- ``points``: every measurement in time order, each assessed as :meth:`tdplan.Plan.assess`
  would (exactly); measurements before the plan's period are a baseline, not assessed;
- ``trajectories``: for each milestone not yet due at the latest measurement, a
  :class:`Trajectory` by the compound-annual-growth-rate method of Open SDG (after
  Statistics Canada), with a projection and the time left;
- ``falls``: for indicator 18 (a yearly fall of 2–3 % in child marriages), the
  verdict on each year's fall, decided exactly from the counts.

Growth rates need fractional powers, which no finite decimal holds exactly: they are
computed with at least 6 guard digits and rounded to 34 significant digits (``PRECISION``), so
``cagr``, ``required``, ``ratio`` and ``projected`` are rounded, and a trajectory's
status depends on them. The verdicts on measured values never do. ``docs/progress.md``
gives every formula and threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from tdplan.analysis.aggregation import Aggregate, pairs
from tdplan.analysis.assessment import assess_rate, groups_for, measured_value, targets_for
from tdplan.analysis.trajectory import Point, Trajectory, trajectory_toward
from tdplan.core.errors import InvalidValueError, PeriodError, SeriesError, YearError
from tdplan.core.i18n import C_, Message, ntranslate
from tdplan.core.model import Assessment, Disaggregation, Target
from tdplan.core.notation import Lang, format_number, format_value, percent
from tdplan.core.periods import Period, PeriodKind, PeriodLike, parse_date, periods_between
from tdplan.core.units import EXACT, Unit, convert_fraction, fraction_to_decimal
from tdplan.core.vocabulary import Status, TargetKind

if TYPE_CHECKING:
    from tdplan.analysis.assessment import Disaggregated, ValueLike
    from tdplan.core.model import Indicator, Plan

__all__ = [
    "Progress",
    "SeriesLike",
    "YearlyFall",
    "track",
]

SeriesLike: TypeAlias = "Mapping[PeriodLike, ValueLike] | Iterable[tuple[PeriodLike, ValueLike]]"
"""Measurements by period: ``{2023: "19,8‰", "2024-H1": 19.1}``, or (period, value) pairs."""


@attrs.frozen(repr=False)
class YearlyFall:
    """Indicator 18 for one year: the count, the count the year before, the fall, and the verdict.

    ``fall`` is ``(previous − count) / previous × 100`` in percent (negative for a rise;
    None when ``previous`` is 0), exact when it terminates, else rounded to 34 digits.
    ``status`` and ``in_band`` are decided exactly from the counts. Years before the
    target's period (2025) are ``AHEAD`` or ``PENDING``.
    """

    target: Target
    year: int
    previous: int
    count: int
    fall: Decimal | None
    in_band: bool
    status: Status

    @property
    def met(self) -> bool:
        """Whether the year's change satisfies the target (``MET`` or ``AHEAD``)."""
        return self.status.met

    def explain(self, lang: Lang = "vi") -> str:
        """``2026: 50 → 49, giảm 2% (trong khoảng 2%–3%): đạt``."""
        counts = (
            f"{self.year}: {format_number(Decimal(self.previous), lang)} → {format_number(Decimal(self.count), lang)}"
        )
        target = self.target
        low, high = (
            format_value(bound, Unit.PERCENT, lang) for bound in (target.threshold, target.upper or target.threshold)
        )
        band = f"{low}–{high}"
        if self.fall is None:
            change = _FALL_TEXT["zero" if self.count == 0 else "from_zero"](lang)
        elif self.fall == 0:
            change = _FALL_TEXT["same"](lang)
        elif self.fall < 0:
            change = _FALL_TEXT["rise"](lang).format(percent=percent(self.fall.copy_negate(), lang, scale=0))
        else:
            where = "in_band" if self.in_band else "above" if self.met else "below"
            change = _FALL_TEXT["fall"](lang).format(percent=percent(self.fall, lang, scale=0))
            change += _FALL_TEXT[where](lang).format(band=band)
        verdict = self.status.label(lang)
        if not self.met:
            verdict += _FALL_TEXT["needs"](lang).format(needs=format_value(target.threshold, Unit.PERCENT, lang))
        if target.from_year is not None and self.year < target.from_year:
            verdict += _FALL_TEXT["before"](lang).format(start=target.from_year, end=target.year)
        return f"{counts}, {change}: {verdict}"

    def __repr__(self) -> str:
        return f"<YearlyFall {self.explain('en')}>"


_FALL_TEXT = {
    "zero": C_("yearly fall", "stays at zero (the aim is elimination)"),
    "from_zero": C_("yearly fall", "a rise from zero"),
    "same": C_("yearly fall", "no change"),
    "rise": C_("yearly fall", "a rise of {percent}"),
    "fall": C_("yearly fall", "a fall of {percent}"),
    "in_band": C_("yearly fall", " (within the {band} band)"),
    "above": C_("yearly fall", " (more than the {band} band)"),
    "below": C_("yearly fall", " (below the {band} band)"),
    "needs": C_("yearly fall", " (needs a fall ≥ {needs})"),
    "before": C_("yearly fall", ", before the {start}–{end} period"),
}


@attrs.frozen(repr=False)
class Progress:
    """An indicator's measurements over time, their verdicts, and the course toward each milestone."""

    indicator: Indicator
    disaggregation: Disaggregation
    points: tuple[Point, ...]
    as_of: dt.date
    trajectories: tuple[Trajectory, ...] = ()
    falls: tuple[YearlyFall, ...] = ()

    @property
    def latest(self) -> Point:
        """The most recent measurement."""
        return self.points[-1]

    @property
    def base(self) -> Point:
        """The earliest measurement: the base of the growth rates."""
        return self.points[0]

    @property
    def assessments(self) -> tuple[Assessment, ...]:
        """The verdict on each measurement in the plan's period, in time order."""
        return tuple(point.assessment for point in self.points if point.assessment is not None)

    @property
    def gaps(self) -> tuple[Period, ...]:
        """The reporting periods missing between the first and the latest measurement.

        A series of one kind (years, half-years, quarters) misses periods of that kind;
        a series of dates, or of mixed kinds, misses whole years.
        """
        first, last = self.points[0].period, self.points[-1].period
        expected = list(periods_between(first, last))
        if expected and all(point.period.kind is expected[0].kind for point in self.points):
            present = {point.period for point in self.points}
        else:
            present = {Period.for_year(point.period.year) for point in self.points}
        return tuple(period for period in expected if period not in present)

    def trajectory(self, milestone: int) -> Trajectory:
        """The trajectory toward the milestone of year ``milestone``; :class:`SeriesError` if there is none."""
        for trajectory in self.trajectories:
            if trajectory.milestone == milestone:
                return trajectory
        years: str | Message = ", ".join(str(trajectory.milestone) for trajectory in self.trajectories) or Message(
            "none"
        )
        raise SeriesError(
            "no trajectory toward {milestone}: the milestones not yet due are {years}", milestone=milestone, years=years
        )

    def explain(self, lang: Lang = "vi") -> str:
        """Several lines: the series, each verdict, the gaps, and each trajectory with its figures."""
        unit = self.latest.unit
        latest = f"{format_value(self.latest.value, unit, lang)} ({self.latest.period.text(lang)})"
        span = f" ({self.points[0].period.code}–{self.latest.period.code})" if len(self.points) > 1 else ""
        n = len(self.points)
        values = ntranslate("{n} value", "{n} values", n, lang).format(n=n)
        lines = [_HEADER(lang).format(id=self.indicator.id, values=values, span=span, latest=latest)]
        if self.indicator.unit is Unit.COUNT:
            falls = {fall.year: fall.explain(lang) for fall in self.falls}
            years = [point.period.year for point in self.points[1:]]
            lines += [f"- {falls.get(year) or _NO_PREVIOUS(lang).format(year=year)}" for year in years]
        else:
            lines += [
                f"- {point.explain(lang)}" + ("" if point.assessment else _BASELINE(lang)) for point in self.points
            ]
        if self.gaps:
            lines.append(_GAPS(lang).format(periods=", ".join(period.text(lang) for period in self.gaps)))
        lines += [f"- {trajectory.explain(lang)}" for trajectory in self.trajectories]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The series as HTML for Jupyter: each measurement and its verdict, the gaps, each trajectory."""
        from tdplan.reports.jupyter import progress_html

        return progress_html(self)

    def to_dataframe(self, lang: Lang = "vi", *, floats: bool = False) -> Any:
        """A pandas DataFrame, one row per measurement: period, value, unit, status, margin, explanation.

        Values are exact ``Decimal`` objects, since a float would move a value that sits
        on its threshold; ``floats=True`` gives float columns for plotting. pandas is an
        optional extra: :class:`~tdplan.MissingDependencyError` if it is missing. Columns
        are listed in :mod:`tdplan.reports.frames`; :meth:`trajectories_to_dataframe` has the
        trajectories.
        """
        from tdplan.reports.frames import progress_frame

        return progress_frame(self, lang, floats=floats)

    def trajectories_to_dataframe(self, lang: Lang = "vi", *, floats: bool = False) -> Any:
        """A pandas DataFrame, one row per milestone not yet due: status, CAGR, required rate, R, projection."""
        from tdplan.reports.frames import trajectories_frame

        return trajectories_frame(self, lang, floats=floats)

    def plot(self, ax: Any = None, lang: Lang = "vi") -> Any:
        """A matplotlib chart of the series with its target lines, milestones and projections; returns the Axes.

        Draws on ``ax`` if given, else on a new Figure (never pyplot); save it with
        ``progress.plot().figure.savefig("chart.png")``. matplotlib is an optional extra
        (``tdplan[charts]``). See :func:`tdplan.reports.charts.progress_chart`.
        """
        from tdplan.reports.charts import progress_chart

        return progress_chart(self, ax, lang)

    def __repr__(self) -> str:
        courses = ", ".join(f"{t.milestone}: {t.status.label('en')}" for t in self.trajectories)
        if self.falls:
            courses = f"falls met in {sum(fall.met for fall in self.falls)} of {len(self.falls)} years"
        latest = f"{format_value(self.latest.value, self.latest.unit, 'en')} ({self.latest.period.code})"
        values = ntranslate("{n} value", "{n} values", len(self.points), "en").format(n=len(self.points))
        return f"<Progress {self.indicator.id}: {values}, latest {latest}{'; ' if courses else ''}{courses}>"


_HEADER = C_("progress", "Indicator {id}: {values}{span}, latest {latest}")
_BASELINE = C_("progress", " (baseline, before the plan's period)")
_GAPS = C_("progress", "Missing: {periods}")
_NO_PREVIOUS = C_("progress", "{year}: not assessed (no count for the year before)")


def track(
    plan: Plan,
    indicator_id: str,
    series: SeriesLike,
    unit: str | Unit | None = None,
    *,
    disaggregation: Disaggregated = None,
    as_of: dt.date | str | None = None,
) -> Progress:
    """Track ``series`` for ``indicator_id``; see the module's description and ``docs/progress.md``."""
    indicator = plan.indicator(indicator_id)
    group = groups_for(plan, indicator, disaggregation)
    targets = targets_for(indicator, group)
    items = pairs(
        series,
        Message(
            "a series maps periods to values, such as {2023: '19,8‰', 2024: '18,5‰'}, "
            "or is a list of (period, value) pairs"
        ),
        Message("a (period, value) pair"),
    )
    if not items:
        raise SeriesError(
            "the series for indicator {indicator} is empty: give at least one value", indicator=indicator.id
        )
    periods = [Period.parse(key) for key, _ in items]
    _check_periods(plan, items, periods)
    annual_fall = targets[0].kind is TargetKind.ANNUAL_FALL
    target_unit = Unit.COUNT if annual_fall else targets[0].unit
    points = []
    for period, (_, value) in sorted(zip(periods, items, strict=True), key=lambda pair: pair[0].end):
        if isinstance(value, Aggregate) and value.indicator.id != indicator.id:
            raise SeriesError(
                "{period}: an aggregate of indicator {other} in a series for {indicator}",
                period=period.code,
                other=value.indicator.id,
                indicator=indicator.id,
            )
        if annual_fall:
            points.append(Point(period, _count(period, value, unit), target_unit))
        elif isinstance(value, Aggregate):
            points.append(_aggregate_point(plan, indicator, period, value, disaggregation))
        else:
            number = measured_value(value, unit, target_unit)
            assessment = None
            if period.year >= plan.start_year:
                assessment = plan.assess(indicator.id, number, year=period.year, disaggregation=disaggregation)
            points.append(Point(period, number, target_unit, for_period(assessment, period)))
    latest = points[-1]
    when = latest.period.end if as_of is None else parse_date(as_of)
    if when < latest.period.end:
        raise PeriodError(
            "as_of {when} is before the end of the latest measurement ({period}, {end})",
            when=when.isoformat(),
            period=latest.period.code,
            end=latest.period.end.isoformat(),
        )
    progress = Progress(
        indicator, group if isinstance(group, Disaggregation) else Disaggregation(group), tuple(points), when
    )
    if annual_fall:
        return attrs.evolve(progress, falls=_falls(targets[0], progress.points))
    milestones = [
        target
        for target in sorted(targets, key=lambda target: target.year or 0)
        if target.year is not None and dt.date(target.year, 12, 31) > latest.period.end
    ]
    return attrs.evolve(
        progress, trajectories=tuple(trajectory_toward(target, progress.points, when) for target in milestones)
    )


def _check_periods(plan: Plan, items: list[tuple[Any, Any]], periods: list[Period]) -> None:
    """No period after the plan's end, and one value per point in time."""
    by_end: dict[dt.date, Any] = {}
    for (key, _), period in zip(items, periods, strict=True):
        if period.year > plan.end_year:
            raise YearError(
                "{key!r} is after the plan's period {start_year}–{end_year}",
                key=key,
                start_year=plan.start_year,
                end_year=plan.end_year,
            )
        if period.end in by_end:
            first = by_end[period.end]
            if Period.parse(first) == period:
                raise SeriesError(
                    "{period} is given twice ({first!r} and {key!r}): give one value",
                    period=period,
                    first=first,
                    key=key,
                )
            raise SeriesError(
                "{first!r} and {key!r} both end on {end}: a series has one value per point in time",
                first=first,
                key=key,
                end=period.end.isoformat(),
            )
        by_end[period.end] = key


def _count(period: Period, value: ValueLike, unit: str | Unit | None) -> Decimal:
    if period.kind is not PeriodKind.YEAR:
        raise SeriesError(
            "indicator 18 is assessed from yearly counts: {period} is not a year; give each year's count",
            period=period,
        )
    number = value.value if isinstance(value, Aggregate) else measured_value(value, unit, Unit.COUNT)
    if number != number.to_integral_value():
        raise InvalidValueError(
            "{value!r} is not a count: the number of child marriages is a whole number", value=value
        )
    return number


def _aggregate_point(
    plan: Plan, indicator: Indicator, period: Period, value: Aggregate, disaggregation: Disaggregated
) -> Point:
    assessment = None
    if period.year >= plan.start_year:
        assessment = assess_rate(
            plan, indicator.id, value.rate, value.unit, year=period.year, disaggregation=disaggregation
        )
    number = assessment.value if assessment is not None else value.value
    unit = assessment.target.unit if assessment is not None else value.unit
    return Point(period, number, unit, for_period(assessment, period), convert_fraction(value.rate, value.unit, unit))


def for_period(assessment: Assessment | None, period: Period) -> Assessment | None:
    """A half-year, quarter or date before 31 December of its milestone's year: the milestone is not yet due."""
    if assessment is None or assessment.target.year != period.year or (period.end.month, period.end.day) == (12, 31):
        return assessment
    return attrs.evolve(assessment, status=Status.AHEAD if assessment.met else Status.PENDING)


def _falls(target: Target, points: tuple[Point, ...]) -> tuple[YearlyFall, ...]:
    """Indicator 18: each year with a count for the year before, decided exactly from the two counts."""
    counts = {point.period.year: int(point.value) for point in points}
    upper = target.upper if target.upper is not None else target.threshold
    falls = []
    for year, count in counts.items():
        previous = counts.get(year - 1)
        if previous is None:
            continue
        if previous == 0:
            met, in_band, fall = count == 0, False, None
        else:
            drop = Decimal(100 * (previous - count))  # the fall, times ``previous``: compared exactly
            met = target.comparator.holds(drop, EXACT.multiply(target.threshold, Decimal(previous)))
            in_band = (
                EXACT.multiply(target.threshold, Decimal(previous)) <= drop <= EXACT.multiply(upper, Decimal(previous))
            )
            fall = fraction_to_decimal(Fraction(100 * (previous - count), previous))
        due = target.from_year is None or year >= target.from_year
        status = (Status.MET if met else Status.NOT_MET) if due else Status.AHEAD if met else Status.PENDING
        falls.append(YearlyFall(target, year, previous, count, fall, in_band, status))
    return tuple(falls)
