"""Properties of assessment that must hold for every value, checked with hypothesis."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import tdplan
from tdplan import Comparator, TargetKind, Unit

PLAN = tdplan.load_plan()
RATIOS = [unit for unit in Unit if unit.is_ratio]

# (indicator id, disaggregation) for every level indicator and group.
CASES = [
    (ind.id, dict(group) or None)
    for ind in PLAN.indicators
    for group in ind.disaggregations
    if ind.targets[0].kind is TargetKind.LEVEL
]


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, dict[str, str] | None, int, Decimal]:
    """An indicator, its group, a year, and a possible value in its unit (boundaries often)."""
    indicator_id, group = draw(st.sampled_from(CASES))
    year = draw(st.integers(2021, 2030))
    indicator = PLAN.indicator(indicator_id)
    whole = indicator.unit.whole
    assert whole is not None
    thresholds = [t.threshold for t in indicator.targets]
    near = st.sampled_from(thresholds).flatmap(
        lambda t: st.sampled_from([t, t - Decimal("0.001"), t + Decimal("0.001"), t - 1, t + 1])
    )
    anywhere = st.decimals(min_value=0, max_value=whole, places=4)
    value = draw(st.one_of(near, anywhere).filter(lambda v: 0 <= v <= whole))
    return indicator_id, group, year, value


class TestUnitInvariance:
    """The same quantity in %, ‰ or per 100,000 gives the same verdict and margin."""

    @given(cases(), st.sampled_from(RATIOS))
    def test_any_unit(self, case: tuple[str, dict[str, str] | None, int, Decimal], unit: Unit) -> None:
        """Converting the value to another unit before assessing changes nothing."""
        indicator_id, group, year, value = case
        own = PLAN.indicator(indicator_id).unit
        base = PLAN.assess(indicator_id, value, year=year, disaggregation=group)
        other = PLAN.assess(indicator_id, tdplan.convert(value, own, unit), unit, year=year, disaggregation=group)
        assert (base.status, base.margin) == (other.status, other.margin)

    @given(cases(), st.sampled_from(RATIOS), st.sampled_from(["vi", "en"]))
    def test_as_string(self, case: tuple[str, dict[str, str] | None, int, Decimal], unit: Unit, lang: str) -> None:
        """Writing the value out in either notation and reading it back changes nothing."""
        indicator_id, group, year, value = case
        own = PLAN.indicator(indicator_id).unit
        text = tdplan.format_value(tdplan.convert(value, own, unit), unit, lang)  # type: ignore[arg-type]
        base = PLAN.assess(indicator_id, value, year=year, disaggregation=group)
        try:
            other = PLAN.assess(indicator_id, text, year=year, disaggregation=group)
        except tdplan.AmbiguousValueError:
            return  # "1.500/100.000" reads two possible ways: refusing it is right
        assert (base.status, base.margin) == (other.status, other.margin)


class TestMonotonicity:
    """A better value never gets a worse verdict."""

    @given(cases(), st.decimals(min_value=0, max_value=50, places=3))
    def test_better_still_meets(self, case: tuple[str, dict[str, str] | None, int, Decimal], step: Decimal) -> None:
        """If v meets a ≥ or > target, every larger value does; mirrored for ≤ and <."""
        indicator_id, group, year, value = case
        first = PLAN.assess(indicator_id, value, year=year, disaggregation=group)
        better = value + step if first.target.comparator.higher_is_better else value - step
        whole = PLAN.indicator(indicator_id).unit.whole
        assert whole is not None
        if not 0 <= better <= whole:
            return
        second = PLAN.assess(indicator_id, better, year=year, disaggregation=group)
        assert second.target == first.target
        assert second.margin - first.margin == step
        if first.met:
            assert second.met

    @given(cases())
    def test_margin_sign(self, case: tuple[str, dict[str, str] | None, int, Decimal]) -> None:
        """The margin is positive exactly on the good side; zero meets only ≤ and ≥."""
        indicator_id, group, year, value = case
        a = PLAN.assess(indicator_id, value, year=year, disaggregation=group)
        if a.margin > 0:
            assert a.met
        elif a.margin < 0:
            assert not a.met
        else:
            assert a.met is (a.target.comparator in (Comparator.LE, Comparator.GE))


class TestTotality:
    """Any float or string gives an Assessment or a TdplanError, nothing else."""

    @given(st.sampled_from(CASES), st.floats(allow_nan=True, allow_infinity=True), st.integers(2015, 2035))
    def test_floats(self, case: tuple[str, dict[str, str] | None], value: float, year: int) -> None:
        """Every float, including NaN, infinities and negatives."""
        try:
            result = PLAN.assess(case[0], value, year=year, disaggregation=case[1])
        except tdplan.TdplanError:
            return
        assert isinstance(result, tdplan.Assessment)
        assert result.explain("vi")
        assert result.explain("en")
        assert repr(result)

    @given(
        st.sampled_from(CASES),
        st.one_of(
            st.text(),
            st.text(alphabet="0123456789.,‰% /-−per\u00a0"),
            st.from_regex(r"\A[0-9]{1,4}([.,][0-9]{1,4})?\s?(%|‰|/100\.000)?\Z"),
        ),
    )
    def test_strings(self, case: tuple[str, dict[str, str] | None], value: str) -> None:
        """Every string, random or nearly a value."""
        try:
            result = PLAN.assess(case[0], value, year=2025, disaggregation=case[1])
        except tdplan.TdplanError:
            return
        assert isinstance(result, tdplan.Assessment)
        assert result.explain("vi")
        assert result.explain("en")
        assert repr(result)
