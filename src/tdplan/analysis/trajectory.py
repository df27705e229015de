"""The course of a series toward a milestone, by the compound annual growth rate method of Open SDG.

:func:`trajectory_toward` compares the observed yearly growth (CAGR) from the first to the
latest :class:`Point` with the growth that reaches the threshold at the milestone, as
Open SDG does (after Statistics Canada); :class:`TrajectoryStatus` names the result.
Growth rates need fractional powers: they are computed with 6 guard digits and rounded
to 34 significant digits. ``docs/progress.md`` gives every formula and threshold.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from decimal import Decimal
from fractions import Fraction

import attrs

from tdplan.core.i18n import C_, Message
from tdplan.core.model import Assessment, Target
from tdplan.core.notation import Lang, floored, format_number, format_value, percent, rounded
from tdplan.core.periods import Period, TimeLeft
from tdplan.core.units import PRECISION, Unit, tidy

__all__ = [
    "MODERATE",
    "ON_TRACK",
    "OPEN_SDG_STATUSES",
    "ZERO_FLOOR",
    "Point",
    "Trajectory",
    "TrajectoryStatus",
    "trajectory_toward",
]

ON_TRACK = Decimal("0.95")
"""R at or above this: on track (Open SDG's "substantial progress")."""

MODERATE = Decimal("0.6")
"""R at or above this (and below ``ON_TRACK``): progress made, but acceleration needed."""

ZERO_FLOOR = Decimal("0.001")
"""In growth rates, values below this (zero in particular), in the target's unit, count as this (as in Open SDG)."""

_TRAPS = [decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow]
_WORK = decimal.Context(prec=PRECISION + 6, rounding=decimal.ROUND_HALF_EVEN, traps=_TRAPS)
_ROUND = decimal.Context(prec=PRECISION, rounding=decimal.ROUND_HALF_EVEN, traps=_TRAPS)


class TrajectoryStatus(enum.Enum):
    """Where a series is heading, relative to a milestone.

    The value (``on_track``) is the one spelling of the status in every output; Open
    SDG's own name for it is :attr:`opensdg` (:data:`OPEN_SDG_STATUSES`):

    >>> TrajectoryStatus.ON_TRACK.value, TrajectoryStatus.ON_TRACK.opensdg
    ('on_track', 'substantial_progress')
    """

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    MODERATE = "moderate"
    LIMITED = "limited"
    DETERIORATION = "deterioration"
    INSUFFICIENT_DATA = "insufficient_data"

    def label(self, lang: Lang = "vi") -> str:
        """``đúng tiến độ`` / ``on track``."""
        return _TRAJECTORY_LABELS[self](lang)

    @property
    def opensdg(self) -> str:
        """Open SDG's name for this status (``substantial_progress`` for ``ON_TRACK``)."""
        return OPEN_SDG_STATUSES[self]

    def __repr__(self) -> str:
        return f"TrajectoryStatus.{self.name}"


OPEN_SDG_STATUSES: dict[TrajectoryStatus, str] = {
    TrajectoryStatus.ACHIEVED: "target_achieved",
    TrajectoryStatus.ON_TRACK: "substantial_progress",
    TrajectoryStatus.MODERATE: "moderate_progress",
    TrajectoryStatus.LIMITED: "limited_progress",
    TrajectoryStatus.DETERIORATION: "deterioration",
    TrajectoryStatus.INSUFFICIENT_DATA: "insufficient_data",
}
"""Open SDG's progress status names, by tdplan's status (for exchange with Open SDG sites)."""

_TRAJECTORY_LABELS = {
    TrajectoryStatus.ACHIEVED: C_("trajectory", "target achieved"),
    TrajectoryStatus.ON_TRACK: C_("trajectory", "on track"),
    TrajectoryStatus.MODERATE: C_("trajectory", "progress made, acceleration needed"),
    TrajectoryStatus.LIMITED: C_("trajectory", "limited progress"),
    TrajectoryStatus.DETERIORATION: C_("trajectory", "deterioration"),
    TrajectoryStatus.INSUFFICIENT_DATA: C_("trajectory", "insufficient data"),
}


@attrs.frozen(repr=False)
class Point:
    """One measurement of a series: its period, its value in the target's unit, and its verdict.

    ``assessment`` is None for a baseline before the plan's period and for indicator 18
    (whose verdicts are the :class:`YearlyFall`\\ s). ``exact`` is the exact rate of a
    point made from counts (an :class:`~tdplan.Aggregate`), whose ``value`` may be rounded.
    """

    period: Period
    value: Decimal
    unit: Unit
    assessment: Assessment | None = None
    exact: Fraction | None = None

    def explain(self, lang: Lang = "vi") -> str:
        """``năm 2024: 19,8‰ ≥ 18‰: chưa đạt chỉ tiêu năm 2025 (…)``, or the value alone."""
        if self.assessment is not None:
            return f"{self.period.text(lang)}: {self.assessment.explain(lang)}"
        return f"{self.period.text(lang)}: {format_value(self.value, self.unit, lang)}"

    def __repr__(self) -> str:
        status = f" [{self.assessment.status.name}]" if self.assessment is not None else ""
        return f"<Point {self.period.code}: {format_value(self.value, self.unit, 'en')}{status}>"


@attrs.frozen(repr=False)
class Trajectory:
    """The course toward one milestone, by the compound annual growth rate (CAGR) method.

    ``cagr`` is the observed yearly growth from ``base`` to ``latest``, ``required``
    the yearly growth from ``base`` that reaches the threshold at the milestone, and
    ``ratio`` is ``R = d × cagr / |required|`` (``d`` = +1 when higher is better, −1
    when lower is). ``projected`` is the value at the milestone if ``cagr`` holds
    (capped at the whole population). All four are None with fewer than two
    measurements, and rounded to 34 digits.
    """

    target: Target
    status: TrajectoryStatus
    latest: Point
    left: TimeLeft
    base: Point | None = None
    cagr: Decimal | None = None
    required: Decimal | None = None
    ratio: Decimal | None = None
    projected: Decimal | None = None

    @property
    def milestone(self) -> int:
        """The milestone's year."""
        assert self.target.year is not None
        return self.target.year

    @property
    def projection_meets(self) -> bool | None:
        """Whether the projected value meets the target, with its own comparator; None with no projection.

        On track (R ≥ 0.95) does not always mean the projection meets the target: R = 1
        toward ``< 18‰`` projects exactly 18‰, which is not below 18‰.
        """
        return None if self.projected is None else self.target.is_met_by(self.projected)

    def explain(self, lang: Lang = "vi") -> str:
        """The status and every figure behind it, in one sentence."""
        unit = self.target.unit
        needs = f"{self.target.comparator.value} {format_value(self.target.threshold, unit, lang)}"
        head = _MILESTONE(lang).format(year=self.milestone, target=needs)
        ratio = f" (R = {format_number(floored(self.ratio), lang)})" if self.ratio is not None else ""
        parts = [f"{head}: {self.status.label(lang)}{ratio}"]
        latest = f"{format_value(self.latest.value, unit, lang)} ({self.latest.period.text(lang)})"
        if self.base is None:
            parts.append(_LATEST_ONLY(lang).format(latest=latest))
        else:
            base = f"{format_value(self.base.value, unit, lang)} ({self.base.period.text(lang)})"
            parts.append(_BASE_LATEST(lang).format(base=base, latest=latest))
        if self.cagr is not None and self.required is not None:
            parts.append(_GROWTH(lang).format(cagr=percent(self.cagr, lang), required=percent(self.required, lang)))
        if self.projected is not None:
            projected = format_value(rounded(self.projected), unit, lang)
            parts.append(_PROJECTED(lang).format(value=projected, year=self.milestone))
            if self.status is TrajectoryStatus.ON_TRACK and not self.projection_meets:
                parts.append(self._short_of(projected, needs, lang))
        parts.append(self.left.text(lang))
        return "; ".join(parts)

    def _short_of(self, projected: str, needs: str, lang: Lang) -> str:
        """The honest sentence where Open SDG says on track but the projection would not meet the target."""
        if self.target.comparator.strict and self.projected == self.target.threshold:
            return Message(
                "but the projection, {value}, is exactly the threshold, which does not meet {needs}",
                value=projected,
                needs=needs,
            ).text(lang)
        return Message("but the projection, {value}, would not meet {needs}", value=projected, needs=needs).text(lang)

    def __repr__(self) -> str:
        return f"<Trajectory {self.milestone}: {self.status.label('en')}>"


_MILESTONE = C_("trajectory", "{year} target ({target})")
_LATEST_ONLY = C_("trajectory", "latest {latest}, at least 2 values needed")
_BASE_LATEST = C_("trajectory", "base {base}, latest {latest}")
_GROWTH = C_("trajectory", "CAGR {cagr}/year, required {required}/year")
_PROJECTED = C_("trajectory", "projected {value} in {year}")


def trajectory_toward(target: Target, points: tuple[Point, ...], as_of: dt.date) -> Trajectory:
    """The CAGR method of Open SDG / Statistics Canada toward ``target``'s milestone (docs/progress.md)."""
    assert target.year is not None
    latest = points[-1]
    left = TimeLeft.until(target.year, after=as_of)
    achieved = target.is_met_by(latest.exact if latest.exact is not None else latest.value)
    if len(points) < 2:
        status = TrajectoryStatus.ACHIEVED if achieved else TrajectoryStatus.INSUFFICIENT_DATA
        return Trajectory(target, status, latest, left)
    base = points[0]
    t0, t, deadline = base.period.position, latest.period.position, Fraction(target.year + 1)
    v0, vt, goal = (max(value, ZERO_FLOOR) for value in (base.value, latest.value, target.threshold))
    cagr = _growth(vt, v0, t - t0)
    required = _growth(goal, v0, deadline - t0)
    progress = cagr if target.comparator.higher_is_better else cagr.copy_negate()  # d × CAGR
    if required != 0:
        ratio: Decimal | None = _ROUND.plus(_WORK.divide(progress, required.copy_abs()))
    else:  # the base sits on the threshold: only the sign of the change counts
        ratio = Decimal(0) if cagr == 0 else None
    whole = target.unit.whole
    projected = _WORK.multiply(latest.value, _power(_WORK.add(1, cagr), deadline - t))
    if whole is not None:
        projected = min(projected, whole)
    if achieved:
        status = TrajectoryStatus.ACHIEVED
    elif ratio is None:
        status = TrajectoryStatus.DETERIORATION if progress < 0 else TrajectoryStatus.LIMITED
    elif ratio >= ON_TRACK:
        status = TrajectoryStatus.ON_TRACK
    elif ratio >= MODERATE:
        status = TrajectoryStatus.MODERATE
    elif ratio >= 0:
        status = TrajectoryStatus.LIMITED
    else:
        status = TrajectoryStatus.DETERIORATION
    return Trajectory(
        target,
        status,
        latest,
        left,
        base=base,
        cagr=_ROUND.plus(cagr),
        required=_ROUND.plus(required),
        ratio=ratio,
        projected=tidy(_ROUND.plus(projected)),
    )


def _growth(value: Decimal, base: Decimal, years: Fraction) -> Decimal:
    """The compound annual growth rate ``(value / base) ** (1 / years) − 1``, to at least 40 significant digits.

    Near zero growth ``exp(x) − 1`` cancels the leading digits of ``exp(x)``; the
    working precision grows by as many digits as cancel, so the rate keeps its 6
    guard digits.
    """
    ratio = _WORK.divide(value, base)
    if ratio == 1:
        return Decimal(0)
    exponent = 1 / years
    scaled = _WORK.divide(_WORK.multiply(_WORK.ln(ratio), exponent.numerator), exponent.denominator)
    context = _WORK.copy()
    context.prec += max(0, -scaled.adjusted()) + 2
    return context.subtract(_power(context.divide(value, base), exponent, context), 1)


def _power(x: Decimal, exponent: Fraction, context: decimal.Context = _WORK) -> Decimal:
    """``x ** exponent`` for ``x ≥ 0``: ``exp(ln(x) × p / q)``, exact for 1 and 0, with guard digits."""
    if x == 1 or exponent == 0:
        return Decimal(1)
    if x == 0:
        return Decimal(0)
    if exponent.denominator == 1:
        return context.power(x, exponent.numerator)
    return context.exp(context.divide(context.multiply(context.ln(x), exponent.numerator), exponent.denominator))
