"""Tracking a series: per-period verdicts, CAGR trajectories toward each milestone, and indicator 18 year by year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tdplan
from tdplan import Status, TargetKind, Unit
from tdplan.analysis.aggregation import aggregate
from tdplan.analysis.progress import Progress
from tdplan.analysis.trajectory import Trajectory, TrajectoryStatus
from tdplan.core.errors import (
    DisaggregationError,
    InputTypeError,
    InvalidValueError,
    PeriodError,
    SeriesError,
    SeriesRequiredError,
    UnitError,
    YearError,
)
from tdplan.core.periods import Period

PLAN = tdplan.load_plan()
TINY = Fraction(1, 10**30)


def close(expected: Fraction | float, actual: Decimal | None, tolerance: Fraction | float = TINY) -> bool:
    """Whether a 34-digit result is within ``tolerance`` of the hand-computed value."""
    assert actual is not None
    if isinstance(expected, float):
        return abs(float(actual) - expected) <= tolerance
    return abs(Fraction(actual) - expected) <= tolerance


class TestTrajectories:
    """Hand-computed CAGR trajectories: one per comparator and per unit."""

    def test_lt_per_mille_exactly_on_course(self) -> None:
        """< 18‰ (indicator 3): 23,958‰ → 19,8‰ over 2 years is −1/11 a year, exactly the −1/11 needed: R = 1."""
        # 19.8 / 23.958 = 100/121 = (10/11)²; 18 / 23.958 = 1000/1331 = (10/11)³.
        t = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"}).trajectory(2025)
        assert TrajectoryStatus.ON_TRACK is t.status
        assert close(Fraction(-1, 11), t.cagr)
        assert close(Fraction(-1, 11), t.required)
        assert close(Fraction(1), t.ratio)
        assert close(Fraction(18), t.projected)  # 19.8 × 10/11
        assert (Decimal("23.958"), Decimal("19.8")) == (t.base.value, t.latest.value)  # type: ignore[union-attr]

    def test_lt_per_mille_second_milestone(self) -> None:
        """Toward < 15‰ in 2030 the same series needs (15/23,958)^(1/8) − 1 a year, and projects 19,8 × (10/11)⁶."""
        t = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"}).trajectory(2030)
        required = (15 / 23.958) ** (1 / 8) - 1
        assert close(required, t.required, 1e-12)
        assert close((1 / 11) / -required, t.ratio, 1e-12)  # d × CAGR / |required|, d = −1
        assert close(Fraction("19.8") * Fraction(10, 11) ** 6, t.projected)
        assert TrajectoryStatus.ON_TRACK is t.status

    def test_ge_percent_limited(self) -> None:
        """≥ 25 % (indicator 27): 16 % → 18 % in a year is 12,5 %/year, half the 25 %/year needed: R = 0,5."""
        t = PLAN.track("27", {2023: 16, 2024: 18}).trajectory(2025)
        assert close(Fraction(1, 8), t.cagr)
        assert close(Fraction(1, 4), t.required)  # (25/16)^(1/2) − 1
        assert close(Fraction(1, 2), t.ratio)
        assert close(Fraction("20.25"), t.projected)  # 18 × 9/8
        assert TrajectoryStatus.LIMITED is t.status

    def test_le_per_100000_limited(self) -> None:
        """≤ 50/100.000 (indicator 15): −10 %/year observed, −1/3 a year needed: R = 0,3."""
        # 205.03125 / 253.125 = 0.81 = 0.9²; 50 / 253.125 = 16/81 = (2/3)⁴.
        t = PLAN.track("15", {2021: "253,125/100.000", 2023: "205,03125/100.000"}).trajectory(2025)
        assert close(Fraction(-1, 10), t.cagr)
        assert close(Fraction(-1, 3), t.required)
        assert close(Fraction(3, 10), t.ratio)
        assert close(Fraction("166.0753125"), t.projected)  # 205.03125 × 0.9²
        assert TrajectoryStatus.LIMITED is t.status

    def test_gt_percent_moderate(self) -> None:
        """> 99,8 % by 2030 (indicator 22): 97,81398 % → 98,5 % in a year; (1/0,99) − 1 a year needed."""
        # 99.8 / 97.81398 = 1 / 0.99²: the required growth is 1/99 a year.
        base, latest = Fraction("97.81398"), Fraction("98.5")
        t = PLAN.track("22", {2028: "97,81398%", 2029: "98,5%"}).trajectory(2030)
        assert close(latest / base - 1, t.cagr)
        assert close(Fraction(1, 99), t.required)
        assert close((latest / base - 1) * 99, t.ratio)  # 0.694…
        assert close(latest * latest / base, t.projected)
        assert TrajectoryStatus.MODERATE is t.status

    def test_le_deterioration(self) -> None:
        """≤ 28‰ (indicator 4): 30‰ → 31‰ moves away from the target: R < 0, deterioration."""
        t = PLAN.track("4", {2021: 30, 2023: 31}).trajectory(2025)
        cagr, required = (31 / 30) ** (1 / 2) - 1, (28 / 30) ** (1 / 4) - 1
        assert close(cagr, t.cagr, 1e-12)
        assert close(-cagr / abs(required), t.ratio, 1e-12)
        assert TrajectoryStatus.DETERIORATION is t.status

    def test_sub_annual_positions(self) -> None:
        """From the end of June to the end of December 2024 is 184/366 of a year."""
        t = PLAN.track("27", {"2024-H1": 16, "2024-H2": 18}).trajectory(2025)
        assert close((18 / 16) ** (366 / 184) - 1, t.cagr, 1e-12)
        assert close((25 / 16) ** (1 / (1 + 184 / 366)) - 1, t.required, 1e-12)

    def test_only_base_and_latest_count(self) -> None:
        """CAGR uses the first and the latest values; the ones between and the gaps do not change it."""
        with_middle = PLAN.track("27", {2021: 16, 2022: 30, 2024: 20}).trajectory(2025)
        without = PLAN.track("27", {2021: 16, 2024: 20}).trajectory(2025)
        assert (without.cagr, without.ratio, without.status) == (
            with_middle.cagr,
            with_middle.ratio,
            with_middle.status,
        )


class TestStatusRules:
    """Achieved, insufficient data, zeros and the threshold itself."""

    def test_achieved_at_non_strict_threshold(self) -> None:
        """28‰ meets ≤ 28‰: target achieved, whatever the trend."""
        t = PLAN.track("4", {2021: 27, 2023: 28}).trajectory(2025)
        assert TrajectoryStatus.ACHIEVED is t.status

    def test_strict_threshold_is_not_achieved(self) -> None:
        """18‰ does not meet < 18‰: the status comes from R (on track), not 'achieved'."""
        t = PLAN.track("3", {2021: 20, 2024: 18}).trajectory(2025)
        assert TrajectoryStatus.ON_TRACK is t.status
        assert close((1 - 0.9 ** (1 / 3)) / (1 - 0.9 ** (1 / 4)), t.ratio, 1e-12)

    def test_one_value(self) -> None:
        """One value: insufficient data, unless it already meets the target."""
        assert TrajectoryStatus.INSUFFICIENT_DATA is PLAN.track("4", {2021: 30}).trajectory(2025).status
        achieved = PLAN.track("4", {2021: 20}).trajectory(2025)
        assert TrajectoryStatus.ACHIEVED is achieved.status
        assert (None, None, None, None) == (achieved.cagr, achieved.required, achieved.ratio, achieved.projected)

    def test_zero_base_higher_is_better(self) -> None:
        """A base of 0 counts as 0,001 in the growth rates: 0 → 10 % over 2 years is (10/0,001)^(1/2) − 1 = 99."""
        t = PLAN.track("27", {2021: 0, 2023: 10}).trajectory(2025)
        assert close(Fraction(99), t.cagr)
        assert close(25000 ** (1 / 4) - 1, t.required, 1e-12)
        assert TrajectoryStatus.ON_TRACK is t.status
        assert Decimal(100) == t.projected  # capped at the whole population

    def test_zero_stays_zero(self) -> None:
        """0 % → 0 %: no growth, R = 0, limited progress."""
        t = PLAN.track("27", {2021: 0, 2023: 0}).trajectory(2025)
        assert (Decimal(0), Decimal(0), Decimal(0)) == (t.cagr, t.ratio, t.projected)
        assert TrajectoryStatus.LIMITED is t.status

    def test_zero_base_lower_is_better(self) -> None:
        """0‰ met < 18‰; rising to 19‰ is deterioration (R < 0)."""
        t = PLAN.track("3", {2021: 0, 2023: 19}).trajectory(2025)
        assert TrajectoryStatus.DETERIORATION is t.status
        assert t.ratio is not None
        assert t.ratio < 0

    def test_latest_zero_higher_is_better(self) -> None:
        """A coverage falling to 0 % is deterioration; the projection is 0."""
        t = PLAN.track("27", {2021: 10, 2023: 0}).trajectory(2025)
        assert TrajectoryStatus.DETERIORATION is t.status
        assert Decimal(0) == t.projected

    def test_base_on_strict_threshold(self) -> None:
        """Starting at exactly 18‰ against < 18‰ no growth is required: unchanged is limited, worse is deterioration."""
        same = PLAN.track("3", {2021: 18, 2023: 18}).trajectory(2025)
        assert (TrajectoryStatus.LIMITED, Decimal(0), Decimal(0)) == (same.status, same.required, same.ratio)
        worse = PLAN.track("3", {2021: 18, 2023: 19}).trajectory(2025)
        assert (TrajectoryStatus.DETERIORATION, None) == (worse.status, worse.ratio)

    def test_met_at_base_then_lost(self) -> None:
        """17‰ met < 18‰; 19‰ two years later no longer does: deterioration, not 'on track'."""
        t = PLAN.track("3", {2021: 17, 2023: 19}).trajectory(2025)
        assert TrajectoryStatus.DETERIORATION is t.status

    @pytest.mark.parametrize(
        ("ratio", "status"),
        [
            (Decimal("0.95"), TrajectoryStatus.ON_TRACK),
            (Decimal("0.94"), TrajectoryStatus.MODERATE),
            (Decimal("0.6"), TrajectoryStatus.MODERATE),
            (Decimal("0.59"), TrajectoryStatus.LIMITED),
        ],
    )
    def test_thresholds(self, ratio: Decimal, status: TrajectoryStatus) -> None:
        """R = 0,95 is on track and R = 0,6 moderate (the thresholds belong to the better category)."""
        # ≥ 25 % by 2025 from 16 % in 2023: the required growth is exactly 1/4 a year; in one year to
        # 16 × (1 + R/4) the observed growth is exactly R/4.
        latest = 16 * (1 + ratio / 4)
        t = PLAN.track("27", {2023: 16, 2024: latest}).trajectory(2025)
        assert ratio == t.ratio
        assert status is t.status


class TestMilestones:
    """Which milestones get a trajectory, and the time left."""

    def test_due_milestone_has_no_trajectory(self) -> None:
        """With a value for 2025 the 2025 milestone is due (its verdict is the point's); only 2030 is tracked."""
        progress = PLAN.track("3", {2023: 20, 2025: 17})
        assert [2030] == [t.milestone for t in progress.trajectories]
        assert Status.MET is progress.latest.assessment.status  # type: ignore[union-attr]
        with pytest.raises(SeriesError, match="the milestones not yet due are 2030"):
            progress.trajectory(2025)

    def test_half_year_of_milestone_year(self) -> None:
        """H1 2025 is before the end of 2025: the 2025 milestone is not yet due, so AHEAD, and still tracked."""
        progress = PLAN.track("3", {2024: 19, "2025-H1": 17})
        assert Status.AHEAD is progress.latest.assessment.status  # type: ignore[union-attr]
        assert [2025, 2030] == [t.milestone for t in progress.trajectories]
        assert "6 months left" == progress.trajectory(2025).left.text("en")
        assert Status.MET is PLAN.track("3", {"31/12/2025": 17}).latest.assessment.status  # type: ignore[union-attr]

    def test_continuous_and_past_milestones(self) -> None:
        """A continuous target (16) and a target whose only milestone has passed (12 after 2025) get none."""
        assert () == PLAN.track("16", {2022: 100, 2023: 99}).trajectories
        assert () == PLAN.track("12", {2026: 100, 2027: 99}).trajectories

    def test_as_of(self) -> None:
        """The time left counts from as_of, which cannot precede the latest measurement."""
        progress = PLAN.track("9", {2021: 90, "quý III/2024": 95}, as_of="31/10/2024")
        assert "còn 1 năm 2 tháng" == progress.trajectory(2025).left.text("vi")
        assert dt.date(2024, 10, 31) == progress.as_of
        assert dt.date(2024, 9, 30) == PLAN.track("9", {2021: 90, "quý III/2024": 95}).as_of
        with pytest.raises(PeriodError, match="before the end of the latest measurement"):
            PLAN.track("9", {2021: 90, 2024: 95}, as_of=dt.date(2024, 6, 1))


class TestPoints:
    """Each measurement is assessed exactly as Plan.assess would."""

    def test_same_as_assess(self) -> None:
        """Every point's assessment equals the one-value assessment for its year."""
        series = {2021: "19,5‰", 2023: "1,8%", 2025: "16,5‰"}
        progress = PLAN.track("3", series)
        assert [PLAN.assess("3", v, year=y) for y, v in series.items()] == list(progress.assessments)
        assert Decimal(18) == progress.points[1].value

    def test_baseline_before_the_plan(self) -> None:
        """A 2020 value is a baseline: not assessed, but the base of the growth rates."""
        progress = PLAN.track("15", {2020: 80, 2023: 45})
        assert progress.base.assessment is None
        assert 1 == len(progress.assessments)
        assert Period.parse(2020) == progress.trajectory(2030).base.period  # type: ignore[union-attr]

    def test_order_and_forms(self) -> None:
        """Periods in any order and form are sorted by their end; pairs work like a mapping."""
        pairs = [("2024-Q3", "95%"), (dt.date(2021, 12, 31), 90), ("6 tháng đầu năm 2023", Decimal(92))]
        progress = PLAN.track("9", pairs)
        assert ["2021-12-31", "2023-H1", "2024-Q3"] == [p.period.code for p in progress.points]
        assert Decimal(95) == progress.latest.value

    def test_unit_argument(self) -> None:
        """Numbers are read in ``unit`` when it is given."""
        progress = PLAN.track("3", {2022: 2.3958, 2024: 1.98}, "%")
        assert (Decimal("23.958"), Decimal("19.8")) == (progress.base.value, progress.latest.value)

    def test_disaggregated(self) -> None:
        """A disaggregated indicator is tracked for one group, against that group's targets."""
        progress = PLAN.track("8", {2021: "0,3%", 2023: "0,15%"}, disaggregation={"residence": "urban"})
        assert Decimal("0.2") == progress.trajectory(2025).target.threshold
        with pytest.raises(DisaggregationError):
            PLAN.track("8", {2021: "0,3%"})

    def test_gaps(self) -> None:
        """Missing years (or half-years, in a half-yearly series) between the first and the latest are listed."""
        assert ["2022", "2023"] == [p.code for p in PLAN.track("3", {2021: 20, 2024: 19}).gaps]
        halves = PLAN.track("3", {"2023-H1": 20, "2024-H2": 19}).gaps
        assert ["2023-H2", "2024-H1"] == [p.code for p in halves]
        assert () == PLAN.track("3", {"30/06/2023": 20, "2024-Q1": 19}).gaps

    def test_aggregates_as_values(self) -> None:
        """District aggregates can be the values of a series; their verdicts are exact."""
        a2024 = aggregate(PLAN, "3", {"Bản Bo": (5, 250), "Khun Há": (15, 750)})
        a2025 = aggregate(PLAN, "3", {"Bản Bo": (4, 250), "Khun Há": (14, 750)})
        progress = PLAN.track("3", {2024: a2024, 2025: a2025})
        assert [Decimal(20), Decimal(18)] == [p.value for p in progress.points]
        assert Status.NOT_MET is progress.latest.assessment.status  # type: ignore[union-attr]
        with pytest.raises(SeriesError, match="aggregate of indicator 4"):
            PLAN.track("3", {2024: aggregate(PLAN, "4", {"A": (1, 10)})})


class TestBadSeries:
    """Every series that cannot be tracked is a typed error."""

    @pytest.mark.parametrize(
        ("series", "error", "message"),
        [
            ({}, SeriesError, "empty"),
            ({2024: 20, "2024": 19}, SeriesError, "2024 is given twice"),
            ([(2024, 20), (2024, 19)], SeriesError, "given twice"),
            ({2024: 20, "2024-H2": 19}, SeriesError, "both end on 2024-12-31"),
            ({"31/12/2024": 20, "2024-Q4": 19}, SeriesError, "one value per point in time"),
            ({2031: 20}, YearError, "after the plan's period"),
            ({"31/02/2024": 20}, PeriodError, "29 days"),
            ({2024.5: 20}, InputTypeError, "not float"),
            ("2024: 20", InputTypeError, "a series maps periods to values"),
            ([2024, 20], InputTypeError, "pair"),
            ({2024: -1}, InvalidValueError, "negative"),
            ({2024: "5 kg"}, UnitError, "unknown unit"),
        ],
    )
    def test_errors(self, series: object, error: type[Exception], message: str) -> None:
        """The error names what is wrong."""
        with pytest.raises(error, match=message):
            PLAN.track("3", series)  # type: ignore[arg-type]


class TestIndicator18:
    """The yearly fall of child marriages, decided year by year from the counts."""

    def test_year_by_year(self) -> None:
        """Each year: the fall from the year before, its band, and the verdict (≥ 2 % is met)."""
        progress = PLAN.track("18", {2024: 100, 2025: 98, 2026: 95, 2027: 93, 2028: 92, 2029: 0, 2030: 0})
        expected = [
            # year, previous, count, fall %, in the 2–3 % band, status
            (2025, 100, 98, Fraction(2), True, Status.MET),  # exactly 2 %: met, in the band
            (2026, 98, 95, Fraction(300, 98), False, Status.MET),  # 3.06 %: more than the band, met
            (2027, 95, 93, Fraction(200, 95), True, Status.MET),  # 2.105… %
            (2028, 93, 92, Fraction(100, 93), False, Status.NOT_MET),  # 1.07… %: too little
            (2029, 92, 0, Fraction(100), False, Status.MET),  # eliminated
            (2030, 0, 0, None, False, Status.MET),  # zero stays zero
        ]
        actual = [
            (f.year, f.previous, f.count, None if f.fall is None else f.fall, f.in_band, f.status)
            for f in progress.falls
        ]
        assert [row[:2] for row in expected] == [row[:2] for row in actual]
        for (_, _, count, fall, band, status), (_, _, got_count, got_fall, got_band, got_status) in zip(
            expected, actual, strict=True
        ):
            assert (count, band, status) == (got_count, got_band, got_status)
            assert (fall is None) == (got_fall is None)
            if fall is not None:
                assert close(fall, got_fall)
        assert () == progress.trajectories

    @pytest.mark.parametrize(
        ("previous", "count", "met", "in_band"),
        [
            (150, 147, True, True),  # exactly 2 %
            (100, 97, True, True),  # exactly 3 %: still in the band
            (151, 148, False, False),  # 300/151 = 1.987 %: just short
            (149, 146, True, True),  # 300/149 = 2.013 %
            (3, 2, True, False),  # 33.3… %
            (40, 42, False, False),  # a rise
            (0, 3, False, False),  # a rise from zero
            (0, 0, True, False),  # zero stays zero
            (10, 10, False, False),  # no change
        ],
    )
    def test_boundaries(self, previous: int, count: int, met: bool, in_band: bool) -> None:
        """The verdict and the band are exact at 2 % and 3 %, whatever the decimal expansion of the fall."""
        fall = PLAN.track("18", {2025: previous, 2026: count}).falls[0]
        assert (met, in_band) == (fall.met, fall.in_band)
        assert (Status.MET if met else Status.NOT_MET) is fall.status

    def test_before_the_period(self) -> None:
        """Falls before 2025 are reported as ahead or pending, not judged."""
        falls = PLAN.track("18", {2022: 50, 2023: 45, 2024: 46}).falls
        assert [Status.AHEAD, Status.PENDING] == [f.status for f in falls]

    def test_gap(self) -> None:
        """A year whose previous count is missing gets no verdict; the gap is listed."""
        progress = PLAN.track("18", {2025: 50, 2027: 45, 2028: 44})
        assert [2028] == [f.year for f in progress.falls]
        assert ["2026"] == [p.code for p in progress.gaps]
        assert "- 2027: not assessed (no count for the year before)" in progress.explain("en")

    def test_explain(self) -> None:
        """Each year reads as counts, change, band and verdict, in both languages."""
        progress = PLAN.track("18", {2024: 50, 2025: 49, 2026: 49, 2027: 52})
        assert (
            "Chỉ tiêu 18: 4 số liệu (2024–2027), mới nhất 52 (năm 2027)\n"
            "- 2025: 50 → 49, giảm 2% (trong khoảng 2%–3%): đạt\n"
            "- 2026: 49 → 49, không đổi: không đạt (cần giảm ≥ 2%)\n"
            "- 2027: 49 → 52, tăng 6,12%: không đạt (cần giảm ≥ 2%)"
        ) == progress.explain("vi")
        assert (
            "Indicator 18: 4 values (2024–2027), latest 52 (2027)\n"
            "- 2025: 50 → 49, a fall of 2% (within the 2%–3% band): met\n"
            "- 2026: 49 → 49, no change: not met (needs a fall ≥ 2%)\n"
            "- 2027: 49 → 52, a rise of 6.12%: not met (needs a fall ≥ 2%)"
        ) == progress.explain("en")

    @pytest.mark.parametrize(
        ("series", "error", "message"),
        [
            ({"2025-H1": 5, "2025-H2": 4}, SeriesError, "not a year"),
            ({2025: 5.5}, InvalidValueError, "whole number"),
            ({2025: "5%"}, UnitError, "count"),
        ],
    )
    def test_bad_counts(self, series: dict[object, object], error: type[Exception], message: str) -> None:
        """Counts are whole numbers, by year."""
        with pytest.raises(error, match=message):
            PLAN.track("18", series)  # type: ignore[arg-type]

    def test_commune_counts(self) -> None:
        """Yearly district counts can be aggregates of the communes' counts."""
        y2024 = aggregate(PLAN, "18", {"Bản Bo": 5, "Bình Lư": 4, "Tả Lèng": 3, "Khun Há": 4})
        y2025 = aggregate(PLAN, "18", {"Bản Bo": 5, "Bình Lư": 4, "Tả Lèng": 2, "Khun Há": 4})
        fall = PLAN.track("18", {2024: y2024, 2025: y2025}).falls[0]
        assert (16, 15, Decimal("6.25"), Status.MET) == (fall.previous, fall.count, fall.fall, fall.status)

    def test_single_value_still_points_to_a_series(self) -> None:
        """Assessing one count stays a SeriesRequiredError."""
        with pytest.raises(SeriesRequiredError, match="series of yearly counts"):
            PLAN.assess("18", 12, year=2026)

    @given(st.integers(0, 10_000), st.integers(0, 10_000))
    def test_exact_against_fractions(self, previous: int, count: int) -> None:
        """The verdict is exactly 'fall ≥ 2 %' on the rational fall (or 0 staying 0)."""
        fall = PLAN.track("18", {2025: previous, 2026: count}).falls[0]
        if previous == 0:
            assert (count == 0) == fall.met
        else:
            exact = Fraction(100 * (previous - count), previous)
            assert (exact >= 2) == fall.met
            assert (2 <= exact <= 3) == fall.in_band


class TestExplain:
    """A Progress and its trajectories explain themselves."""

    def test_progress(self) -> None:
        """The series, each verdict, and each trajectory with base, latest, CAGR, required, R, projection, time."""
        progress = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"})
        assert (
            "Chỉ tiêu 3: 2 số liệu (2022–2024), mới nhất 19,8‰ (năm 2024)\n"
            "- năm 2022: 23,958‰ ≥ 18‰: chưa đạt chỉ tiêu năm 2025 (cần < 18‰; chưa đến hạn)\n"
            "- năm 2024: 19,8‰ ≥ 18‰: chưa đạt chỉ tiêu năm 2025 (cần < 18‰; chưa đến hạn)\n"
            "Thiếu số liệu: năm 2023\n"
            "- mốc 2025 (< 18‰): đúng tiến độ (R = 1); gốc 23,958‰ (năm 2022), mới nhất 19,8‰ (năm 2024); "
            "tăng trưởng bình quân -9,09%/năm, cần -9,09%/năm; dự báo năm 2025: 18‰; "
            "nhưng mức dự báo 18‰ đúng bằng ngưỡng, như vậy chưa đạt yêu cầu < 18‰; còn 1 năm\n"
            "- mốc 2030 (< 15‰): đúng tiến độ (R = 1,59); gốc 23,958‰ (năm 2022), mới nhất 19,8‰ (năm 2024); "
            "tăng trưởng bình quân -9,09%/năm, cần -5,69%/năm; dự báo năm 2030: 11,18‰; còn 6 năm"
        ) == progress.explain("vi")
        assert (
            "2025 target (< 18‰): on track (R = 1); base 23.958‰ (2022), latest 19.8‰ (2024); "
            "CAGR -9.09%/year, required -9.09%/year; projected 18‰ in 2025; "
            "but the projection, 18‰, is exactly the threshold, which does not meet < 18‰; 1 year left"
        ) == progress.trajectory(2025).explain("en")

    def test_baseline_and_insufficient(self) -> None:
        """A baseline is labelled; one value says that two are needed."""
        assert "- 2020: 80 per 100,000 (baseline, before the plan's period)" in PLAN.track(
            "15", {2020: 80, 2023: 45}
        ).explain("en")
        assert (
            "2025 target (≤ 28‰): insufficient data; latest 30‰ (2021), at least 2 values needed; 4 years left"
            == PLAN.track("4", {2021: 30}).trajectory(2025).explain("en")
        )

    def test_reprs(self) -> None:
        """Reprs are short and readable."""
        progress = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"})
        assert "<Progress 3: 2 values, latest 19.8‰ (2024); 2025: on track, 2030: on track>" == repr(progress)
        assert "<Trajectory 2025: on track>" == repr(progress.trajectory(2025))
        assert "<Point 2024: 19.8‰ [PENDING]>" == repr(progress.latest)
        assert "<Progress 18: 2 values, latest 49 (2025); falls met in 1 of 1 years>" == repr(
            PLAN.track("18", {2024: 50, 2025: 49})
        )

    def test_frozen(self) -> None:
        """A Progress cannot be changed."""
        progress = PLAN.track("3", {2022: 20})
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            progress.points = ()  # type: ignore[misc]
        assert isinstance(progress, Progress)
        assert all(isinstance(t, Trajectory) for t in progress.trajectories)


# Every level indicator and group with milestones, for the properties.
CASES = [
    (ind.id, dict(group) or None)
    for ind in PLAN.indicators
    for group in ind.disaggregations
    if ind.targets[0].kind is TargetKind.LEVEL and any(t.year is not None for t in ind.targets)
]
RANK = [
    TrajectoryStatus.DETERIORATION,
    TrajectoryStatus.LIMITED,
    TrajectoryStatus.MODERATE,
    TrajectoryStatus.ON_TRACK,
    TrajectoryStatus.ACHIEVED,
]


@st.composite
def series_cases(draw: st.DrawFn) -> tuple[str, dict[str, str] | None, int, int, Decimal, Decimal]:
    """An indicator, its group, base and latest years, and two values in its unit."""
    indicator_id, group = draw(st.sampled_from(CASES))
    whole = PLAN.indicator(indicator_id).unit.whole
    assert whole is not None
    base_year = draw(st.integers(2019, 2023))
    latest_year = draw(st.integers(base_year + 1, 2024))
    values = st.decimals(min_value=0, max_value=whole, places=3)
    return indicator_id, group, base_year, latest_year, draw(values), draw(values)


class TestProperties:
    """Invariants of tracking, for any series."""

    @given(series_cases(), st.decimals(min_value=0, max_value=100, places=3))
    def test_faster_improvement_never_worse(
        self, case: tuple[str, dict[str, str] | None, int, int, Decimal, Decimal], step: Decimal
    ) -> None:
        """A latest value further in the good direction never gets a worse trajectory status."""
        indicator_id, group, base_year, latest_year, base, latest = case
        indicator = PLAN.indicator(indicator_id)
        higher = indicator.targets[0].comparator.higher_is_better
        better = latest + step if higher else latest - step
        assume(0 <= better <= (indicator.unit.whole or 0))
        slow = PLAN.track(indicator_id, {base_year: base, latest_year: latest}, disaggregation=group)
        fast = PLAN.track(indicator_id, {base_year: base, latest_year: better}, disaggregation=group)
        for s, f in zip(slow.trajectories, fast.trajectories, strict=True):
            assert RANK.index(s.status) <= RANK.index(f.status), (s.explain("en"), f.explain("en"))

    @given(series_cases(), st.sampled_from([Unit.PERCENT, Unit.PER_MILLE, Unit.PER_100000]))
    def test_unit_changes_nothing(
        self, case: tuple[str, dict[str, str] | None, int, int, Decimal, Decimal], unit: Unit
    ) -> None:
        """The same series written in %, ‰ or per 100,000 gives the same verdicts, ratios and projections."""
        indicator_id, group, base_year, latest_year, base, latest = case
        own = PLAN.indicator(indicator_id).unit
        series = {base_year: base, latest_year: latest}
        other = {year: tdplan.convert(value, own, unit) for year, value in series.items()}
        a = PLAN.track(indicator_id, series, disaggregation=group)
        b = PLAN.track(indicator_id, other, unit, disaggregation=group)
        assert [p.assessment for p in a.points] == [p.assessment for p in b.points]
        assert [(t.status, t.cagr, t.required, t.ratio, t.projected) for t in a.trajectories] == [
            (t.status, t.cagr, t.required, t.ratio, t.projected) for t in b.trajectories
        ]

    @given(
        st.decimals(min_value=1, max_value=1000, places=2),
        st.decimals(min_value=1, max_value=1000, places=2),
        st.integers(0, 6),
    )
    def test_scale_free(self, base: Decimal, latest: Decimal, shift: int) -> None:
        """CAGR compares ratios: multiplying both values by a power of ten leaves it unchanged."""
        from tdplan.analysis.trajectory import _growth

        years = Fraction(3)
        assert _growth(latest, base, years) == _growth(latest.scaleb(shift), base.scaleb(shift), years)


class TestReviewExactness:
    """A trajectory's 'achieved' is decided on the exact rate of an aggregate point, as its verdict is."""

    def test_aggregate_point_achieved_exactly(self) -> None:
        """28 + 1/(3·10³⁷) ‰ does not meet '≤ 28‰' although its 34-digit decimal reads 28."""
        plan = tdplan.load_plan()
        rate = tdplan.aggregate(plan, "4", {"A": (28 * 3 * 10**37 + 1, 3 * 10**40)})
        progress = plan.track("4", {2023: 30, 2024: rate})
        assert Status.PENDING is progress.points[-1].assessment.status  # type: ignore[union-attr]
        assert tdplan.TrajectoryStatus.ACHIEVED is not progress.trajectory(2025).status
