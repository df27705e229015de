"""Targets of the Tam Đường children's plan 2021–2030, checked against the plan's own text.

Every expected value below was read by hand from section II.1.2 (the 29 indicators) and
section IV (which office leads which indicator) of
/work/shared/seed/ke-hoach-tam-duong-2021-2030.txt, applying the wording rules of
/work/shared/GLOSSARY.md. None of it is taken from tdplan's data file: these tests are
the independent check of that file and of the assessment rules.
"""

from collections import Counter
from decimal import Decimal
from typing import NamedTuple

import pytest

import tdplan
from tdplan import Comparator, Status, TargetKind, Unit

LT, LE, GE, GT = Comparator.LT, Comparator.LE, Comparator.GE, Comparator.GT
PCT, PM, P100K = Unit.PERCENT, Unit.PER_MILLE, Unit.PER_100000

NONE = {}
RURAL = {"residence": "rural"}
URBAN = {"residence": "urban"}
AGE_2_3 = {"age": "2-3"}
AGE_3_5 = {"age": "3-5"}

LABOUR = ("labour",)
LABOUR_POLICE = ("labour", "police")
JUSTICE = ("justice",)
EDUCATION = ("education",)
HEALTH = ("health",)
CULTURE = ("culture",)


class Row(NamedTuple):
    """One target as the plan states it."""

    indicator: str
    year: int | None
    comparator: Comparator
    threshold: str
    unit: Unit
    disaggregation: dict
    goal: int
    leads: tuple


# fmt: off
TARGETS = (
    # ---- Mục tiêu 1: phát triển toàn diện, chăm sóc sức khỏe, dinh dưỡng ----
    # 1: "Tỷ lệ xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em đạt 100% vào năm 2025"
    Row("1", 2025, GE, "100", PCT, NONE, 1, LABOUR),
    # 1: "... và 100% vào năm 2030" (inherits "đạt")
    Row("1", 2030, GE, "100", PCT, NONE, 1, LABOUR),
    # 2: "... tiếp cận các dịch vụ hỗ trợ chăm sóc phát triển toàn diện đạt 95% vào năm 2025"
    Row("2", 2025, GE, "95", PCT, NONE, 1, LABOUR),
    # 2: "... và 100% vào năm 2030"
    Row("2", 2030, GE, "100", PCT, NONE, 1, LABOUR),
    # 3: "Giảm tỷ suất tử vong trẻ sơ sinh trên 1.000 trẻ đẻ sống dưới 18‰ vào năm 2025"
    Row("3", 2025, LT, "18", PM, NONE, 1, HEALTH),
    # 3: "... và dưới 15‰ vào năm 2030"
    Row("3", 2030, LT, "15", PM, NONE, 1, HEALTH),
    # 4: "Giảm tỷ suất tử vong của trẻ em dưới 1 tuổi ... xuống 28‰ vào năm 2025"
    Row("4", 2025, LE, "28", PM, NONE, 1, HEALTH),
    # 4: "... và 27‰ vào năm 2030" (inherits "xuống")
    Row("4", 2030, LE, "27", PM, NONE, 1, HEALTH),
    # 5: "Giảm tỷ suất tử vong trẻ em dưới 5 tuổi ... dưới 41‰ vào năm 2025"
    Row("5", 2025, LT, "41", PM, NONE, 1, HEALTH),
    # 5: "... và dưới 40‰ vào năm 2030"
    Row("5", 2030, LT, "40", PM, NONE, 1, HEALTH),
    # 6: "suy dinh dưỡng thể cân nặng theo tuổi xuống dưới 15% vào năm 2025"
    Row("6", 2025, LT, "15", PCT, NONE, 1, HEALTH),
    # 6: "... và dưới 12% vào năm 2030"
    Row("6", 2030, LT, "12", PCT, NONE, 1, HEALTH),
    # 7: "suy dinh dưỡng thể chiều cao theo tuổi xuống dưới 20% vào năm 2025"
    Row("7", 2025, LT, "20", PCT, NONE, 1, HEALTH),
    # 7: "... và dưới 18% vào năm 2030"
    Row("7", 2030, LT, "18", PCT, NONE, 1, HEALTH),
    # 8: "béo phì xuống dưới 0,1% đối với nông thôn ... vào năm 2025 và năm 2030" (2025)
    Row("8", 2025, LT, "0.1", PCT, RURAL, 1, HEALTH),
    # 8: "dưới 0,1% đối với nông thôn ... vào năm 2025 và năm 2030" (2030)
    Row("8", 2030, LT, "0.1", PCT, RURAL, 1, HEALTH),
    # 8: "dưới 0,2% đối với thành thị vào năm 2025 và năm 2030" (2025)
    Row("8", 2025, LT, "0.2", PCT, URBAN, 1, HEALTH),
    # 8: "dưới 0,2% đối với thành thị vào năm 2025 và năm 2030" (2030)
    Row("8", 2030, LT, "0.2", PCT, URBAN, 1, HEALTH),
    # 9: "tiêm chủng đầy đủ 8 loại vắc xin đạt ≥ 97,2% vào năm 2025 và 2030" (2025)
    Row("9", 2025, GE, "97.2", PCT, NONE, 1, HEALTH),
    # 9: "đạt ≥ 97,2% vào năm 2025 và 2030" (2030)
    Row("9", 2030, GE, "97.2", PCT, NONE, 1, HEALTH),
    # 10: "tiêm chủng đầy đủ các loại vắc xin (12 loại) đạt 93% vào năm 2025"
    Row("10", 2025, GE, "93", PCT, NONE, 1, HEALTH),
    # 10: "... và (14 loại) đạt 94% vào năm 2030"
    Row("10", 2030, GE, "94", PCT, NONE, 1, HEALTH),
    # 11: "Tỷ lệ lây truyền HIV từ mẹ sang con dưới 2% vào năm 2030" (no 2025 target)
    Row("11", 2030, LT, "2", PCT, NONE, 1, HEALTH),
    # 12: "Phấn đấu 100% cơ sở giáo dục cho trẻ em có công trình vệ sinh đạt tiêu chuẩn vào năm 2025"
    Row("12", 2025, GE, "100", PCT, NONE, 1, EDUCATION),

    # ---- Mục tiêu 2: bảo vệ trẻ em ----
    # 13: "trẻ em có hoàn cảnh đặc biệt trên tổng số trẻ em xuống dưới 4% vào năm 2025"
    Row("13", 2025, LT, "4", PCT, NONE, 2, LABOUR),
    # 13: "... và 5% vào năm 2030" (inherits "dưới"; looser than 2025, kept as written)
    Row("13", 2030, LT, "5", PCT, NONE, 2, LABOUR),
    # 14: "trẻ em có hoàn cảnh đặc biệt được chăm sóc, nuôi dưỡng, trợ giúp đạt 98% vào năm 2025"
    Row("14", 2025, GE, "98", PCT, NONE, 2, LABOUR),
    # 14: "... và 100% vào năm 2030"
    Row("14", 2030, GE, "100", PCT, NONE, 2, LABOUR),
    # 15: "Giảm tỷ suất trẻ em bị tai nạn thương tích xuống 50/100.000 trẻ em vào năm 2025"
    Row("15", 2025, LE, "50", P100K, NONE, 2, HEALTH),
    # 15: "... và 20/100.000 vào năm 2030" (inherits "xuống")
    Row("15", 2030, LE, "20", P100K, NONE, 2, HEALTH),
    # 15b: "giảm tỷ suất trẻ em bị tử vong do tai nạn thương tích xuống còn 5/100.000 trẻ em vào năm 2030"
    Row("15b", 2030, LE, "5", P100K, NONE, 2, HEALTH),
    # 16: "100 % trẻ em bị xâm hại, lạm dụng, bóc lột khi phát hiện được can thiệp, hỗ trợ ..." (no year)
    Row("16", None, GE, "100", PCT, NONE, 2, LABOUR_POLICE),
    # 17: "Phấn đấu 100% trẻ em gặp thiên tai, thảm họa được cứu trợ, hỗ trợ kịp thời" (no year)
    Row("17", None, GE, "100", PCT, NONE, 2, LABOUR),
    # 18: "duy trì mức giảm số cuộc tảo hôn từ 2-3% hàng năm giai đoạn từ năm 2025 đến năm 2030"
    #     (rate of change: a yearly fall of at least 2 %, band up to 3 %, over 2025–2030)
    Row("18", 2030, GE, "2", PCT, NONE, 2, CULTURE),
    # 19: "tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh đạt 100% đến năm 2030"
    Row("19", 2030, GE, "100", PCT, NONE, 2, JUSTICE),

    # ---- Mục tiêu 3: giáo dục, văn hóa, vui chơi, giải trí ----
    # 20: "nhóm tuổi từ 2-3 tuổi được phát triển phù hợp ... đạt 35% vào năm 2025"
    Row("20", 2025, GE, "35", PCT, AGE_2_3, 3, EDUCATION),
    # 20: "... và 40% vào năm 2030" (age 2-3)
    Row("20", 2030, GE, "40", PCT, AGE_2_3, 3, EDUCATION),
    # 20: "nhóm từ 3-5 tuổi đạt 98,6% vào năm 2025"
    Row("20", 2025, GE, "98.6", PCT, AGE_3_5, 3, EDUCATION),
    # 20: "và đạt trên 98,6% vào năm 2030" (age 3-5)
    Row("20", 2030, GT, "98.6", PCT, AGE_3_5, 3, EDUCATION),
    # 21: "huy động trẻ em 5 tuổi đi học mẫu giáo đạt trên 99,9% vào năm 2025"
    Row("21", 2025, GT, "99.9", PCT, NONE, 3, EDUCATION),
    # 21: "và đạt trên 99,9% vào năm 2030"
    Row("21", 2030, GT, "99.9", PCT, NONE, 3, EDUCATION),
    # 22: "hoàn thành chương trình tiểu học đạt 99,8% vào năm 2025"
    Row("22", 2025, GE, "99.8", PCT, NONE, 3, EDUCATION),
    # 22: "và đạt trên 99,8% vào năm 2030"
    Row("22", 2030, GT, "99.8", PCT, NONE, 3, EDUCATION),
    # 23: "tốt nghiệp cấp trung học cơ sở đạt 99,5% vào năm 2025"
    Row("23", 2025, GE, "99.5", PCT, NONE, 3, EDUCATION),
    # 23: "và đạt 99,5% vào năm 2030"
    Row("23", 2030, GE, "99.5", PCT, NONE, 3, EDUCATION),
    # 24: "Phấn đấu 100% trường học có dịch vụ hỗ trợ tâm lý trẻ em vào năm 2025" (no 2030 target)
    Row("24", 2025, GE, "100", PCT, NONE, 3, EDUCATION),
    # 25: "trường học có cơ sở hạ tầng và tài liệu phù hợp với học sinh, sinh viên khuyết tật đạt 10% vào năm 2025"
    Row("25", 2025, GE, "10", PCT, NONE, 3, LABOUR),
    # 25: "... và 20% vào năm 2030"
    Row("25", 2030, GE, "20", PCT, NONE, 3, LABOUR),
    # 25b (unnumbered line): "trẻ em khuyết tật có nhu cầu học tập được tiếp cận giáo dục ... đạt 85% vào năm 2025"
    Row("25b", 2025, GE, "85", PCT, NONE, 3, LABOUR),
    # 25b: "và đạt 95% vào năm 2030"
    Row("25b", 2030, GE, "95", PCT, NONE, 3, LABOUR),
    # 26: "xã, thị trấn có điểm văn hóa, vui chơi cho trẻ em đạt 60% vào năm 2025"
    Row("26", 2025, GE, "60", PCT, NONE, 3, CULTURE),
    # 26: "... và 95% vào năm 2030"
    Row("26", 2030, GE, "95", PCT, NONE, 3, CULTURE),

    # ---- Mục tiêu 4: sự tham gia của trẻ em ----
    # 27: "Phấn đấu 25% trẻ em từ 07 tuổi trở lên được hỏi ý kiến ... vào năm 2025"
    Row("27", 2025, GE, "25", PCT, NONE, 4, LABOUR),
    # 27: "... và 30% vào năm 2030"
    Row("27", 2030, GE, "30", PCT, NONE, 4, LABOUR),
    # 28: "Phấn đấu 85% trẻ em được nâng cao nhận thức, năng lực về quyền tham gia ... vào năm 2025"
    Row("28", 2025, GE, "85", PCT, NONE, 4, LABOUR),
    # 28: "... và 90% vào năm 2030"
    Row("28", 2030, GE, "90", PCT, NONE, 4, LABOUR),
    # 29: "trẻ em từ 11 tuổi trở lên được tham gia vào các mô hình ... đạt 30% vào năm 2025"
    Row("29", 2025, GE, "30", PCT, NONE, 4, LABOUR),
    # 29: "... và 35% vào năm 2030"
    Row("29", 2030, GE, "35", PCT, NONE, 4, LABOUR),
)
# fmt: on

# The plan's numbering, with 15b and 25b after the indicator they belong to.
PLAN_ORDER = (
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
    "15b", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "25b",
    "26", "27", "28", "29",
)  # fmt: skip

RATE_OF_CHANGE = {"18"}  # the only non-level target

ROWS_BY_INDICATOR = {}
for _row in TARGETS:
    ROWS_BY_INDICATOR.setdefault(_row.indicator, []).append(_row)

# The table itself must be coherent before it can judge the library.
assert tuple(ROWS_BY_INDICATOR) == PLAN_ORDER
for _rows in ROWS_BY_INDICATOR.values():
    assert len({(r.goal, r.leads) for r in _rows}) == 1

LEVEL_ROWS = tuple(r for r in TARGETS if r.indicator not in RATE_OF_CHANGE)
LEVEL_INDICATORS = tuple(i for i in PLAN_ORDER if i not in RATE_OF_CHANGE)

STEP = Decimal("0.01")
UPPER_LIMIT = {PCT: Decimal("100"), PM: Decimal("1000"), P100K: Decimal("100000")}


def _row_id(row):
    year = "continuous" if row.year is None else row.year
    parts = [row.indicator, str(year), row.comparator.name, row.threshold]
    parts += [f"{k}={v}" for k, v in row.disaggregation.items()]
    return "-".join(parts)


def _key(year, comparator, threshold, unit, disaggregation):
    """A hashable description of a target, for set comparison."""
    return (year, comparator, Decimal(threshold), unit, frozenset(dict(disaggregation).items()))


def _row_key(row):
    return _key(row.year, row.comparator, row.threshold, row.unit, row.disaggregation)


def _target_key(target):
    return _key(target.year, target.comparator, target.threshold, target.unit, target.disaggregation)


def _good_is_low(comparator):
    return comparator in (LT, LE)


def _boundary_cases():
    """(row, value, expected status, expected margin) at each level target's own year."""
    cases = []
    for row in LEVEL_ROWS:
        threshold = Decimal(row.threshold)
        inclusive = row.comparator in (LE, GE)
        at = (threshold, Status.MET if inclusive else Status.NOT_MET, Decimal("0"))
        below_good = _good_is_low(row.comparator)
        below = (
            threshold - STEP,
            Status.MET if below_good else Status.NOT_MET,
            STEP if below_good else -STEP,
        )
        above = (
            threshold + STEP,
            Status.NOT_MET if below_good else Status.MET,
            -STEP if below_good else STEP,
        )
        for label, (value, status, margin) in (("at", at), ("below", below), ("above", above)):
            if not Decimal("0") <= value <= UPPER_LIMIT[row.unit]:
                continue
            cases.append(pytest.param(row, value, status, margin, id=f"{_row_id(row)}-{label}"))
    return cases


BOUNDARY_CASES = _boundary_cases()


def _assess(plan, row, value, year):
    kwargs = {"year": year}
    if row.disaggregation:
        kwargs["disaggregation"] = dict(row.disaggregation)
    return plan.assess(row.indicator, value, **kwargs)


@pytest.fixture(scope="module")
def plan():
    return tdplan.load_plan()


class TestIndicatorList:
    """The plan's indicators, in the plan's order, found by id."""

    def test_ids_in_plan_order(self, plan):
        """The indicator ids are exactly the plan's, in the plan's order."""
        assert PLAN_ORDER == tuple(ind.id for ind in plan.indicators)

    @pytest.mark.parametrize("indicator_id", PLAN_ORDER)
    def test_lookup_by_id(self, plan, indicator_id):
        """Looking an indicator up by id returns the indicator with that id."""
        assert indicator_id == plan.indicator(indicator_id).id

    @pytest.mark.parametrize("indicator_id", ["0", "30", "15c", "25a", "b", ""])
    def test_unknown_id_raises(self, plan, indicator_id):
        """An id the plan does not number raises UnknownIndicatorError."""
        with pytest.raises(tdplan.UnknownIndicatorError):
            plan.indicator(indicator_id)

    def test_unknown_indicator_error_is_lookup_error(self):
        """UnknownIndicatorError is a LookupError."""
        assert issubclass(tdplan.UnknownIndicatorError, LookupError)


class TestTargetTable:
    """Each indicator carries exactly the targets the plan's sentences state."""

    @pytest.mark.parametrize("row", TARGETS, ids=_row_id)
    def test_target_is_present(self, plan, row):
        """The plan's target appears among the indicator's targets."""
        keys = [_target_key(t) for t in plan.indicator(row.indicator).targets]
        assert 1 == keys.count(_row_key(row))

    @pytest.mark.parametrize("indicator_id", PLAN_ORDER)
    def test_targets_are_exactly_the_plans(self, plan, indicator_id):
        """The indicator has no target beyond those the plan states, and none twice."""
        expected = Counter(map(_row_key, ROWS_BY_INDICATOR[indicator_id]))
        actual = Counter(map(_target_key, plan.indicator(indicator_id).targets))
        assert expected == actual

    @pytest.mark.parametrize("indicator_id", PLAN_ORDER)
    def test_thresholds_are_decimals(self, plan, indicator_id):
        """Every threshold is an exact Decimal."""
        for target in plan.indicator(indicator_id).targets:
            assert type(target.threshold) is Decimal

    @pytest.mark.parametrize("indicator_id", PLAN_ORDER)
    def test_goal(self, plan, indicator_id):
        """The indicator belongs to the goal (Mục tiêu) it is listed under."""
        assert ROWS_BY_INDICATOR[indicator_id][0].goal == plan.indicator(indicator_id).goal

    @pytest.mark.parametrize("indicator_id", PLAN_ORDER)
    def test_lead_agencies(self, plan, indicator_id):
        """The indicator's lead agencies are those section IV names for it, each once."""
        expected = ROWS_BY_INDICATOR[indicator_id][0].leads
        actual = plan.indicator(indicator_id).lead_agencies
        assert sorted(expected) == sorted(actual)

    @pytest.mark.parametrize("indicator_id", LEVEL_INDICATORS)
    def test_indicator_unit(self, plan, indicator_id):
        """A level indicator is measured in the unit its targets are stated in."""
        assert ROWS_BY_INDICATOR[indicator_id][0].unit == plan.indicator(indicator_id).unit

    @pytest.mark.parametrize("indicator_id", LEVEL_INDICATORS)
    def test_level_targets_have_no_rate_fields(self, plan, indicator_id):
        """Every target other than indicator 18's is a plain level target."""
        for target in plan.indicator(indicator_id).targets:
            assert (TargetKind.LEVEL, None, None) == (target.kind, target.upper, target.from_year)


class TestRateOfChangeTarget:
    """Indicator 18: keep child marriages falling by 2–3 % a year over 2025–2030."""

    @pytest.fixture
    def target(self, plan):
        targets = plan.indicator("18").targets
        assert 1 == len(targets)
        return targets[0]

    def test_kind(self, target):
        """The target is a yearly fall, not a level."""
        assert TargetKind.ANNUAL_FALL == target.kind

    def test_band(self, target):
        """A fall of at least 2 % a year meets it; the plan's band reaches 3 %."""
        assert (GE, Decimal("2"), Decimal("3"), PCT) == (
            target.comparator,
            target.threshold,
            target.upper,
            target.unit,
        )

    def test_period(self, target):
        """The period runs from 2025 to 2030."""
        assert (2025, 2030) == (target.from_year, target.year)

    def test_indicator_counts_marriages(self, plan):
        """The quantity measured is the number of child marriages (số cuộc tảo hôn)."""
        assert Unit.COUNT == plan.indicator("18").unit

    @pytest.mark.parametrize("value", [Decimal("2"), Decimal("10"), "2%"])
    def test_single_value_needs_a_series(self, plan, value):
        """One value cannot show a yearly fall, so assessing it raises SeriesRequiredError."""
        with pytest.raises(tdplan.SeriesRequiredError):
            plan.assess("18", value, year=2026)

    def test_series_required_error_hierarchy(self):
        """SeriesRequiredError is both a ValueError and a TdplanError."""
        assert (True, True) == (
            issubclass(tdplan.SeriesRequiredError, ValueError),
            issubclass(tdplan.SeriesRequiredError, tdplan.TdplanError),
        )


class TestBoundaryAtMilestone:
    """At a target's own year, the threshold and one step either side get exact verdicts."""

    @pytest.mark.parametrize(("row", "value", "status", "margin"), BOUNDARY_CASES)
    def test_status(self, plan, row, value, status, margin):
        """The status at, just below and just above the threshold follows the comparator."""
        assert status == _assess(plan, row, value, row.year or 2025).status

    @pytest.mark.parametrize(("row", "value", "status", "margin"), BOUNDARY_CASES)
    def test_met_flag(self, plan, row, value, status, margin):
        """`met` agrees with the status at the milestone."""
        assert (status == Status.MET) == _assess(plan, row, value, row.year or 2025).met

    @pytest.mark.parametrize(("row", "value", "status", "margin"), BOUNDARY_CASES)
    def test_margin(self, plan, row, value, status, margin):
        """The margin is the exact distance to the threshold, positive on the good side."""
        assert margin == _assess(plan, row, value, row.year or 2025).margin

    @pytest.mark.parametrize(("row", "value", "status", "margin"), BOUNDARY_CASES)
    def test_judged_against_own_target(self, plan, row, value, status, margin):
        """The assessment names the target of that year (and group) and echoes value and year."""
        year = row.year or 2025
        a = _assess(plan, row, value, year)
        assert (_row_key(row), value, year) == (_target_key(a.target), a.value, a.year)


# (indicator, value as written, year, status, margin, value in the target's unit)
OTHER_UNIT_CASES = [
    pytest.param("3", "18‰", 2025, Status.NOT_MET, Decimal("0"), Decimal("18"), id="3-18permille"),
    pytest.param("3", "1,8%", 2025, Status.NOT_MET, Decimal("0"), Decimal("18"), id="3-1,8pct"),
    pytest.param(
        "3", "1800/100.000", 2025, Status.NOT_MET, Decimal("0"), Decimal("18"), id="3-1800per100k"
    ),
    pytest.param("3", "1,799%", 2025, Status.MET, Decimal("0.01"), Decimal("17.99"), id="3-1,799pct"),
    pytest.param("3", "16,5‰", 2025, Status.MET, Decimal("1.5"), Decimal("16.5"), id="3-16,5permille"),
    pytest.param("22", "998‰", 2025, Status.MET, Decimal("0"), Decimal("99.8"), id="22-998permille"),
    pytest.param("22", "997,9‰", 2025, Status.NOT_MET, Decimal("-0.01"), Decimal("99.79"), id="22-997,9permille"),
    pytest.param("15", "0,05%", 2025, Status.MET, Decimal("0"), Decimal("50"), id="15-0,05pct"),
    pytest.param("15", "50/100.000", 2025, Status.MET, Decimal("0"), Decimal("50"), id="15-50per100k"),
    pytest.param("15", "0,5‰", 2025, Status.MET, Decimal("0"), Decimal("50"), id="15-0,5permille"),
    pytest.param("15", "0,0501%", 2025, Status.NOT_MET, Decimal("-0.1"), Decimal("50.1"), id="15-0,0501pct"),
]  # fmt: skip


class TestBoundaryInOtherUnits:
    """The same quantity written in another unit gets the same verdict, at the boundary too."""

    @pytest.mark.parametrize(("indicator_id", "written", "year", "status", "margin", "value"), OTHER_UNIT_CASES)
    def test_status(self, plan, indicator_id, written, year, status, margin, value):
        """The verdict does not depend on the unit the value is written in."""
        assert status == plan.assess(indicator_id, written, year=year).status

    @pytest.mark.parametrize(("indicator_id", "written", "year", "status", "margin", "value"), OTHER_UNIT_CASES)
    def test_margin(self, plan, indicator_id, written, year, status, margin, value):
        """The margin is exact and in the target's unit."""
        assert margin == plan.assess(indicator_id, written, year=year).margin

    @pytest.mark.parametrize(("indicator_id", "written", "year", "status", "margin", "value"), OTHER_UNIT_CASES)
    def test_value_converted(self, plan, indicator_id, written, year, status, margin, value):
        """The value is converted exactly into the target's unit."""
        assert value == plan.assess(indicator_id, written, year=year).value


# (indicator, value, year, disaggregation, status, margin, year of the target judged against)
YEAR_CASES = [
    # 12: only "vào năm 2025"; afterwards the 100 % target keeps holding.
    pytest.param("12", Decimal("100"), 2027, None, Status.MET, Decimal("0"), 2025, id="12-2027-100"),
    pytest.param("12", Decimal("99"), 2027, None, Status.NOT_MET, Decimal("-1"), 2025, id="12-2027-99"),
    # 24: likewise only 2025, still holding in 2030.
    pytest.param("24", Decimal("100"), 2030, None, Status.MET, Decimal("0"), 2025, id="24-2030-100"),
    # 11: only "dưới 2% vào năm 2030"; in 2024 it is judged against 2030.
    pytest.param("11", Decimal("1.5"), 2024, None, Status.AHEAD, Decimal("0.5"), 2030, id="11-2024-1.5"),
    pytest.param("11", Decimal("2.5"), 2024, None, Status.PENDING, Decimal("-0.5"), 2030, id="11-2024-2.5"),
    # 3: before 2025 against "dưới 18‰", between milestones against "dưới 15‰".
    pytest.param("3", Decimal("17"), 2023, None, Status.AHEAD, Decimal("1"), 2025, id="3-2023-17"),
    pytest.param("3", Decimal("16"), 2027, None, Status.PENDING, Decimal("-1"), 2030, id="3-2027-16"),
    pytest.param("3", Decimal("16"), 2030, None, Status.NOT_MET, Decimal("-1"), 2030, id="3-2030-16"),
    # 16: continuous, so every year is judged: 99 % is a failure even in 2022.
    pytest.param("16", Decimal("99"), 2022, None, Status.NOT_MET, Decimal("-1"), None, id="16-2022-99"),
    pytest.param("16", Decimal("100"), 2021, None, Status.MET, Decimal("0"), None, id="16-2021-100"),
    pytest.param("17", Decimal("100"), 2030, None, Status.MET, Decimal("0"), None, id="17-2030-100"),
    # 13: "dưới ... 5% vào năm 2030": 4.5 % in 2028 already meets it.
    pytest.param("13", Decimal("4.5"), 2028, None, Status.AHEAD, Decimal("0.5"), 2030, id="13-2028-4.5"),
    # 19: only "đạt 100% đến năm 2030".
    pytest.param("19", Decimal("100"), 2021, None, Status.AHEAD, Decimal("0"), 2030, id="19-2021-100"),
    # 20 (3-5): 98,6 % meets "đạt 98,6%" in 2025 but not yet "đạt trên 98,6%" for 2030.
    pytest.param("20", Decimal("98.6"), 2025, AGE_3_5, Status.MET, Decimal("0"), 2025, id="20-3-5-2025-98.6"),
    pytest.param("20", Decimal("98.6"), 2027, AGE_3_5, Status.PENDING, Decimal("0"), 2030, id="20-3-5-2027-98.6"),
    # 8 (rural): "dưới 0,1%" in both years; 0,05 % is ahead before 2025.
    pytest.param("8", Decimal("0.05"), 2022, RURAL, Status.AHEAD, Decimal("0.05"), 2025, id="8-rural-2022-0.05"),
    pytest.param("8", Decimal("0.15"), 2025, URBAN, Status.MET, Decimal("0.05"), 2025, id="8-urban-2025-0.15"),
    pytest.param("8", Decimal("0.15"), 2025, RURAL, Status.NOT_MET, Decimal("-0.05"), 2025, id="8-rural-2025-0.15"),
]  # fmt: skip


def _assess_year_case(plan, indicator_id, value, year, disaggregation):
    kwargs = {"year": year}
    if disaggregation:
        kwargs["disaggregation"] = dict(disaggregation)
    return plan.assess(indicator_id, value, **kwargs)


class TestMilestoneYears:
    """Which target a year is judged against, and whether early results count as ahead."""

    @pytest.mark.parametrize(
        ("indicator_id", "value", "year", "disaggregation", "status", "margin", "target_year"), YEAR_CASES
    )
    def test_status(self, plan, indicator_id, value, year, disaggregation, status, margin, target_year):
        """The status follows the milestone year rules."""
        assert status == _assess_year_case(plan, indicator_id, value, year, disaggregation).status

    @pytest.mark.parametrize(
        ("indicator_id", "value", "year", "disaggregation", "status", "margin", "target_year"), YEAR_CASES
    )
    def test_target_year(self, plan, indicator_id, value, year, disaggregation, status, margin, target_year):
        """The value is judged against the next milestone, or the last one once all have passed."""
        a = _assess_year_case(plan, indicator_id, value, year, disaggregation)
        assert target_year == a.target.year

    @pytest.mark.parametrize(
        ("indicator_id", "value", "year", "disaggregation", "status", "margin", "target_year"), YEAR_CASES
    )
    def test_margin(self, plan, indicator_id, value, year, disaggregation, status, margin, target_year):
        """The margin is measured against the target judged against."""
        assert margin == _assess_year_case(plan, indicator_id, value, year, disaggregation).margin

    @pytest.mark.parametrize(
        ("indicator_id", "value", "year", "disaggregation", "status", "margin", "target_year"), YEAR_CASES
    )
    def test_met_flag(self, plan, indicator_id, value, year, disaggregation, status, margin, target_year):
        """`met` is true exactly when the value satisfies the target applied: MET or AHEAD."""
        a = _assess_year_case(plan, indicator_id, value, year, disaggregation)
        assert (status in (Status.MET, Status.AHEAD)) == a.met


GOALS = {
    # a) Mục tiêu 1: "Về phát triển toàn diện trẻ em, chăm sóc sức khỏe, dinh dưỡng cho trẻ em"
    1: ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"),
    # b) Mục tiêu 2: "Về bảo vệ trẻ em"
    2: ("13", "14", "15", "15b", "16", "17", "18", "19"),
    # c) Mục tiêu 3: "Về giáo dục, văn hóa, vui chơi, giải trí cho trẻ em"
    3: ("20", "21", "22", "23", "24", "25", "25b", "26"),
    # d) Mục tiêu 4: "Về sự tham gia của trẻ em vào các vấn đề về trẻ em"
    4: ("27", "28", "29"),
}


class TestGoals:
    """The four goals (Mục tiêu) group the indicators as the plan lists them."""

    def test_goal_numbers(self, plan):
        """There are four goals, numbered 1 to 4 in order."""
        assert (1, 2, 3, 4) == tuple(goal.number for goal in plan.goals)

    @pytest.mark.parametrize("number", sorted(GOALS))
    def test_goal_indicators(self, plan, number):
        """Each goal holds the indicators listed under it, in plan order."""
        goal = next(g for g in plan.goals if g.number == number)
        assert GOALS[number] == tuple(ind.id for ind in goal.indicators)

    @pytest.mark.parametrize("number", sorted(GOALS))
    def test_indicators_point_back_to_goal(self, plan, number):
        """Each indicator of a goal records that goal's number."""
        goal = next(g for g in plan.goals if g.number == number)
        assert [number] * len(goal.indicators) == [ind.goal for ind in goal.indicators]


AGENCIES = {
    # 1. Phòng Lao động - Thương binh và Xã hội: "các chỉ tiêu 1, 2, 13, 14, 16, 17, 25, 27, 28, 29"
    #    (25b is the unnumbered line under 25)
    "labour": ("1", "2", "13", "14", "16", "17", "25", "25b", "27", "28", "29"),
    # 2. Phòng Tư pháp: "thực hiện chỉ tiêu 19"
    "justice": ("19",),
    # 3. Công an huyện: "Chủ trì hướng dẫn chỉ tiêu số 16"
    "police": ("16",),
    # 4. Phòng Giáo dục và Đào tạo: "các chỉ tiêu 12, 20, 21, 22, 23, 24"
    "education": ("12", "20", "21", "22", "23", "24"),
    # 5. Phòng Y tế, Trung tâm y tế: "các chỉ tiêu 3, 4, 5, 6, 7, 8, 9,10,11,15" (15b under 15)
    "health": ("3", "4", "5", "6", "7", "8", "9", "10", "11", "15", "15b"),
    # 6. Phòng Văn hóa và Thông tin: "chỉ tiêu 18, 26"
    "culture": ("18", "26"),
    # 7. Đài Truyền thanh – truyền hình: no indicator named
    "broadcasting": (),
    # 8. Phòng Tài chính – Kế hoạch: no indicator named
    "finance": (),
    # 9. Các cơ quan, ban, ngành, đoàn thể, tổ chức hội có liên quan: no indicator named
    "mass_organisations": (),
    # 10. UBND các xã, thị trấn: no indicator named
    "communes": (),
}


class TestAgencies:
    """Section IV's offices and the indicators each one leads."""

    def test_agency_ids(self, plan):
        """The plan has exactly the ten offices of section IV."""
        assert sorted(AGENCIES) == sorted(agency.id for agency in plan.agencies)

    @pytest.mark.parametrize("agency_id", list(AGENCIES))
    def test_lookup_by_id(self, plan, agency_id):
        """Looking an agency up by id returns the agency with that id."""
        assert agency_id == plan.agency(agency_id).id

    @pytest.mark.parametrize("agency_id", list(AGENCIES))
    def test_agency_indicators(self, plan, agency_id):
        """Each office leads the indicators section IV assigns it, in plan order."""
        assert AGENCIES[agency_id] == tuple(ind.id for ind in plan.agency(agency_id).indicators)

    @pytest.mark.parametrize("agency_id", list(AGENCIES))
    def test_agency_indicators_agree_with_lead_agencies(self, plan, agency_id):
        """Every indicator an office leads names that office among its lead agencies."""
        leads = [agency_id in ind.lead_agencies for ind in plan.agency(agency_id).indicators]
        assert [True] * len(AGENCIES[agency_id]) == leads

    def test_every_indicator_has_a_lead(self, plan):
        """Section IV assigns every indicator to at least one office."""
        assert [] == [ind.id for ind in plan.indicators if not ind.lead_agencies]

    @pytest.mark.parametrize("agency_id", ["", "labor", "police_station", "ubnd", "district"])
    def test_unknown_agency_raises(self, plan, agency_id):
        """An id that is not one of section IV's offices raises UnknownAgencyError."""
        with pytest.raises(tdplan.UnknownAgencyError):
            plan.agency(agency_id)

    def test_unknown_agency_error_is_lookup_error(self):
        """UnknownAgencyError is a LookupError."""
        assert issubclass(tdplan.UnknownAgencyError, LookupError)
