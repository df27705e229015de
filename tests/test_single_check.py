"""One check, the quick way: plain numbers and pint quantities read again give exactly what the general way gives."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import attrs
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tdplan
from tdplan import Status, Unit

PLAN = tdplan.load_plan()
REGISTRY = pint.UnitRegistry()  # pint's own units: percent, permille
OURS = tdplan.unit_registry()  # tdplan's: percent, permille, per_100000

# (registry, pint unit, tdplan unit) for every ratio unit a quantity can carry
QUANTITY_UNITS = [
    (REGISTRY, "percent", Unit.PERCENT),
    (REGISTRY, "permille", Unit.PER_MILLE),
    (REGISTRY, "‰", Unit.PER_MILLE),  # another spelling: another unit container in pint, the same unit
    (OURS, "percent", Unit.PERCENT),
    (OURS, "permille", Unit.PER_MILLE),
    (OURS, "per_100000", Unit.PER_100000),
]
# An indicator in each unit, assessed in 2025: 3 (< 18‰), 9 (≥ 97,2 %), 15 (≤ 50 per 100,000)
INDICATORS = {"3": Unit.PER_MILLE, "9": Unit.PERCENT, "15": Unit.PER_100000}
MARGINS = {"3": (Decimal(18), -1), "9": (Decimal("97.2"), 1), "15": (Decimal(50), -1)}  # 2025's threshold, side
POWERS = {Unit.PERCENT: -2, Unit.PER_MILLE: -3, Unit.PER_100000: -5}  # each unit as a power of ten of the whole

magnitudes = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=100_000),
    st.integers(min_value=-5, max_value=200_000),
    st.sampled_from([0.0, -0.0, 1e-40, 9.99e-41, 5e-324, 100, 100.0, 1000, 100_000, 100_000.5]),
)


def expected_value(magnitude: float | int, source: Unit, target: Unit) -> Decimal | None:
    """The exact value in ``target``'s unit by hand, or None where it must be refused."""
    number = Decimal(repr(magnitude)) if isinstance(magnitude, float) else Decimal(magnitude)
    if not number.is_finite() or number < 0 or number > Decimal(10) ** -POWERS[source]:
        return None
    if not number.is_zero() and number.adjusted() < -50:  # more digits than a measurement has
        return None
    return abs(number).scaleb(POWERS[source] - POWERS[target])


class TestQuantityReadAgain:
    """A pint quantity in a unit read before is read quickly, and exactly as the first time."""

    @given(
        magnitude=magnitudes,
        unit=st.sampled_from(QUANTITY_UNITS),
        indicator=st.sampled_from(sorted(INDICATORS)),
    )
    def test_value_and_verdict(
        self, magnitude: float | int, unit: tuple[pint.UnitRegistry, str, Unit], indicator: str
    ) -> None:
        """Read twice (the second time the quick way), a quantity is its magnitude shifted by the power of ten."""
        registry, name, source = unit
        target = INDICATORS[indicator]
        expected = expected_value(magnitude, source, target)
        for _ in range(2):
            quantity = registry.Quantity(magnitude, name)
            if expected is None:
                with pytest.raises(tdplan.InvalidValueError):
                    PLAN.assess(indicator, quantity, year=2025)
                continue
            general = tdplan.measured_value(quantity, None, target)  # the general way, always
            result = PLAN.assess(indicator, quantity, year=2025)
            assert expected == result.value
            assert str(general) == str(result.value)  # the same digits, not only the same number
            threshold, sign = MARGINS[indicator]
            with decimal.localcontext(prec=200):  # exact for these digits
                assert sign * (expected - threshold) == result.margin

    def test_sixty_minutes_an_hour(self) -> None:
        """60 minute/hour is exactly 100 %, read once or many times (its exact factor is remembered)."""
        for _ in range(3):
            result = PLAN.assess("1", REGISTRY.Quantity(60, "minute/hour"), year=2025)
            assert (Decimal(100), Status.MET) == (result.value, result.status)
        assert Status.NOT_MET is PLAN.assess("1", REGISTRY.Quantity(59, "minute/hour"), year=2025).status

    def test_boundary_in_another_unit(self) -> None:
        """1,8 % is 18‰ exactly, not below 18‰, however often it is read."""
        for _ in range(3):
            assert Status.NOT_MET is PLAN.assess("3", REGISTRY.Quantity(1.8, "percent"), year=2025).status
            assert Status.MET is PLAN.assess("3", REGISTRY.Quantity(1.79, "percent"), year=2025).status

    def test_magnitude_kinds_the_general_way(self) -> None:
        """A Decimal or a Fraction magnitude still goes the general way, after a float was read quickly."""
        PLAN.assess("3", REGISTRY.Quantity(16.5, "permille"), year=2025)
        assert Decimal("16.5") == PLAN.assess("3", REGISTRY.Quantity(Decimal("16.5"), "permille"), year=2025).value
        with pytest.raises(tdplan.InputTypeError):
            PLAN.assess("3", REGISTRY.Quantity(Fraction(33, 2), "permille"), year=2025)

    def test_too_many_digits_named(self) -> None:
        """A quantity with too many digits is refused with the quantity written in the message."""
        with pytest.raises(tdplan.InvalidValueError, match="1e-60, 'permille'"):
            PLAN.assess("3", REGISTRY.Quantity(1e-60, "permille"), year=2025)

    def test_count_target(self) -> None:
        """A count is not a share: a quantity in ‰ against a count target is a UnitError, the second time too."""
        indicator = PLAN.indicator("3")
        counted = attrs.evolve(
            indicator, targets=tuple(attrs.evolve(target, unit=Unit.COUNT) for target in indicator.targets)
        )
        plan = attrs.evolve(PLAN, indicators=tuple(counted if i.id == "3" else i for i in PLAN.indicators))
        for _ in range(2):
            with pytest.raises(tdplan.UnitError):
                plan.assess("3", REGISTRY.Quantity(16.5, "permille"), year=2025)
        assert Decimal(16) == plan.assess("3", 16, year=2025).value


class TestNumberWithUnit:
    """An int or float with a ratio unit already read is shifted the quick way, exactly as the general way."""

    @given(
        magnitude=magnitudes,
        unit=st.sampled_from([("%", Unit.PERCENT), ("‰", Unit.PER_MILLE), ("/100.000", Unit.PER_100000)]),
        indicator=st.sampled_from(sorted(INDICATORS)),
    )
    def test_value(self, magnitude: float | int, unit: tuple[str, Unit], indicator: str) -> None:
        """Given twice, a number and its unit are the number shifted by the power of ten between the units."""
        spelling, source = unit
        target = INDICATORS[indicator]
        expected = expected_value(magnitude, source, target)
        for _ in range(2):
            if expected is None:
                with pytest.raises(tdplan.InvalidValueError):
                    PLAN.assess(indicator, magnitude, spelling, year=2025)
                continue
            result = PLAN.assess(indicator, magnitude, spelling, year=2025)
            assert expected == result.value
            assert str(tdplan.measured_value(magnitude, spelling, target)) == str(result.value)

    def test_count_is_no_ratio(self) -> None:
        """A count given as a unit is still refused against a share, every time."""
        for _ in range(2):
            with pytest.raises(tdplan.UnitError):
                PLAN.assess("3", 5, "count", year=2025)


class TestPlainNumber:
    """An int or float in the indicator's unit is read the quick way, as its shortest decimal."""

    @given(magnitude=magnitudes, indicator=st.sampled_from(sorted(INDICATORS)))
    def test_value(self, magnitude: float | int, indicator: str) -> None:
        """A number in range is itself, exactly; anything else is refused."""
        target = INDICATORS[indicator]
        expected = expected_value(magnitude, target, target)
        if expected is None:
            with pytest.raises(tdplan.InvalidValueError):
                PLAN.assess(indicator, magnitude, year=2025)
            return
        result = PLAN.assess(indicator, magnitude, year=2025)
        assert expected == result.value
        assert str(tdplan.measured_value(magnitude, None, target)) == str(result.value)

    def test_margin_and_status(self) -> None:
        """16,5‰ meets < 18‰ by 1,5‰; 97 % misses ≥ 97,2 % by 0,2 %; 50 per 100,000 meets ≤ 50 at 0."""
        cases = [("3", 16.5, Status.MET, "1.5"), ("9", 97, Status.NOT_MET, "-0.2"), ("15", 50, Status.MET, "0")]
        for indicator, value, status, margin in cases:
            result = PLAN.assess(indicator, value, year=2025)
            assert (status, Decimal(margin)) == (result.status, result.margin)

    def test_ahead_and_pending(self) -> None:
        """Before 2025, 16‰ is ahead of the 2025 target and 19‰ is pending."""
        assert Status.AHEAD is PLAN.assess("3", 16, year=2023).status
        assert Status.PENDING is PLAN.assess("3", 19.0, year=2023).status
