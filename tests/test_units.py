"""Units: exact conversion, the spellings people use, and tdplan's own pint registry."""

from __future__ import annotations

from decimal import Decimal

import pint
import pytest

import tdplan
from tdplan import Unit


class TestConvert:
    """Conversion shifts the decimal point, so it is exact."""

    @pytest.mark.parametrize(
        ("value", "unit_from", "unit_to", "expected"),
        [
            ("1.8", Unit.PERCENT, Unit.PER_MILLE, "18"),
            ("18", Unit.PER_MILLE, Unit.PERCENT, "1.8"),
            ("1800", Unit.PER_100000, Unit.PER_MILLE, "18"),
            ("99.8", Unit.PERCENT, Unit.PER_MILLE, "998"),
            ("50", Unit.PER_100000, Unit.PERCENT, "0.05"),
            ("0.1", Unit.PERCENT, Unit.PER_100000, "100"),
            ("0.0000001", Unit.PERCENT, Unit.PER_100000, "0.0001"),
        ],
    )
    def test_exact(self, value: str, unit_from: Unit, unit_to: Unit, expected: str) -> None:
        """Each conversion gives the exact decimal, with no positive exponent left."""
        result = tdplan.convert(Decimal(value), unit_from, unit_to)
        assert Decimal(expected) == result
        assert result.as_tuple().exponent <= 0  # type: ignore[operator]

    def test_count_does_not_convert(self) -> None:
        """A count is not a share: converting it is a UnitError."""
        with pytest.raises(tdplan.UnitError, match="count"):
            tdplan.convert(Decimal(5), Unit.COUNT, Unit.PERCENT)
        with pytest.raises(tdplan.UnitError, match="count"):
            tdplan.convert(Decimal(5), Unit.PERCENT, Unit.COUNT)

    def test_whole(self) -> None:
        """The whole population is 100 %, 1000 ‰, 100,000 per 100,000."""
        assert [Decimal(100), Decimal(1000), Decimal(100000), None] == [u.whole for u in Unit]


class TestParseUnit:
    """Units as people write them."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("%", Unit.PERCENT),
            (" percent ", Unit.PERCENT),
            ("phần trăm", Unit.PERCENT),
            ("‰", Unit.PER_MILLE),
            ("per mille", Unit.PER_MILLE),
            ("permille", Unit.PER_MILLE),
            ("/1.000", Unit.PER_MILLE),
            ("/100.000", Unit.PER_100000),
            ("per 100,000", Unit.PER_100000),
            ("Per 100 000", Unit.PER_100000),
            ("per_100000", Unit.PER_100000),
            (Unit.PER_MILLE, Unit.PER_MILLE),
        ],
    )
    def test_spellings(self, text: str | Unit, expected: Unit) -> None:
        """Symbols, names and Vietnamese words all read as the unit."""
        assert expected is tdplan.parse_unit(text)

    @pytest.mark.parametrize("text", ["kg", "m", "", "per cent cent", "/10"])
    def test_unknown(self, text: str) -> None:
        """An unknown unit is a UnitError listing the valid ones."""
        with pytest.raises(tdplan.UnitError, match=r"percent \(%\), per mille"):
            tdplan.parse_unit(text)

    def test_type(self) -> None:
        """A unit is a string or a Unit."""
        with pytest.raises(tdplan.UnitError, match="not int"):
            tdplan.parse_unit(5)  # type: ignore[arg-type]


class TestRegistry:
    """tdplan's own pint registry agrees with its exact conversions."""

    @pytest.mark.parametrize("unit_from", [u for u in Unit if u.is_ratio])
    @pytest.mark.parametrize("unit_to", [u for u in Unit if u.is_ratio])
    def test_agrees_with_convert(self, unit_from: Unit, unit_to: Unit) -> None:
        """pint's conversion in tdplan's registry equals tdplan's decimal shift."""
        value = Decimal("12.345")
        quantity = tdplan.unit_registry().Quantity(value, unit_from.value).to(unit_to.value)
        assert tdplan.convert(value, unit_from, unit_to) == quantity.magnitude

    def test_no_physical_units(self) -> None:
        """The registry is small: it has no metres, so they cannot be mistaken for ratios."""
        with pytest.raises(pint.errors.UndefinedUnitError):
            tdplan.unit_registry().parse_units("meter")

    def test_count_is_its_own_dimension(self) -> None:
        """A count does not convert to a ratio in pint either."""
        with pytest.raises(pint.errors.DimensionalityError):
            tdplan.unit_registry().Quantity(3, "count").to("percent")
