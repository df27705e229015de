"""Numbers in Vietnamese and English notation: strict reading, and writing back."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tdplan
from tdplan import Unit


class TestParseNumber:
    """Babel's vi and en locales, read strictly."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("99,8", "99.8"),
            ("97,2", "97.2"),
            ("16.5", "16.5"),
            ("0,05", "0.05"),
            ("100", "100"),
            ("1.234,5", "1234.5"),
            ("1,234.5", "1234.5"),
            ("\u00a016,5 ", "16.5"),
        ],
    )
    def test_unambiguous(self, text: str, expected: str) -> None:
        """A string that reads one way, or the same both ways, is that number."""
        assert Decimal(expected) == tdplan.parse_number(text)

    @pytest.mark.parametrize(("text", "vi", "en"), [("1.000", "1000", "1.000"), ("1,234", "1.234", "1234")])
    def test_ambiguous(self, text: str, vi: str, en: str) -> None:
        """A string that reads two ways is refused, with both readings."""
        with pytest.raises(tdplan.AmbiguousValueError) as info:
            tdplan.parse_number(text)
        assert {"vi": Decimal(vi), "en": Decimal(en)} == info.value.readings

    def test_notation_chosen(self) -> None:
        """Naming the notation settles an ambiguous string."""
        assert Decimal("100000") == tdplan.parse_number("100.000", "vi")
        assert Decimal("100") == tdplan.parse_number("100.000", "en")

    @pytest.mark.parametrize("text", ["", "abc", "1,2,3,4", "12,3.4.5", "--1"])
    def test_not_a_number(self, text: str) -> None:
        """Anything else is a ValueParseError."""
        with pytest.raises(tdplan.ValueParseError, match="not a number"):
            tdplan.parse_number(text)

    @pytest.mark.parametrize("text", [5, None, [1], b"16"])
    def test_not_a_string(self, text: object) -> None:
        """Only strings are parsed; anything else is an InputTypeError, not a crash in the cache."""
        with pytest.raises(tdplan.InputTypeError, match="from a string"):
            tdplan.parse_number(text)  # type: ignore[arg-type]
        with pytest.raises(tdplan.InputTypeError, match="from a string"):
            tdplan.parse_value(text)  # type: ignore[arg-type]

    def test_wrong_notation_name(self) -> None:
        """Only 'vi' and 'en' are notations."""
        with pytest.raises(tdplan.ValueParseError, match="'vi' or 'en'"):
            tdplan.parse_number("1", "fr")  # type: ignore[arg-type]


class TestParseValue:
    """A number with an optional unit."""

    @pytest.mark.parametrize(
        ("text", "number", "unit"),
        [
            ("16,5‰", "16.5", Unit.PER_MILLE),
            ("16.5 ‰", "16.5", Unit.PER_MILLE),
            ("99,8%", "99.8", Unit.PERCENT),
            ("97,2 %", "97.2", Unit.PERCENT),
            ("50/100.000", "50", Unit.PER_100000),
            ("5 per 100,000", "5", Unit.PER_100000),
            ("12", "12", None),
        ],
    )
    def test_forms(self, text: str, number: str, unit: Unit | None) -> None:
        """Every notation in the issue reads as its number and unit."""
        assert (Decimal(number), unit) == tdplan.parse_value(text)

    def test_ambiguous_keeps_unit(self) -> None:
        """An ambiguous number's error still says which unit was written."""
        with pytest.raises(tdplan.AmbiguousValueError) as info:
            tdplan.parse_value("1.500‰")
        assert Unit.PER_MILLE is info.value.unit

    @pytest.mark.parametrize("text", ["", "‰", "%16", "abc %"])
    def test_no_number(self, text: str) -> None:
        """A value starts with a number."""
        with pytest.raises(tdplan.ValueParseError, match="not a value"):
            tdplan.parse_value(text)


class TestFormat:
    """Writing numbers back as the plan does."""

    @pytest.mark.parametrize(
        ("value", "unit", "vi", "en"),
        [
            ("16.5", Unit.PER_MILLE, "16,5‰", "16.5‰"),
            ("97.2", Unit.PERCENT, "97,2%", "97.2%"),
            ("50", Unit.PER_100000, "50/100.000", "50 per 100,000"),
            ("0.05", Unit.PERCENT, "0,05%", "0.05%"),
            ("1234.5", Unit.PER_100000, "1.234,5/100.000", "1,234.5 per 100,000"),
            ("12", Unit.COUNT, "12", "12"),
        ],
    )
    def test_both_languages(self, value: str, unit: Unit, vi: str, en: str) -> None:
        """Vietnamese uses a decimal comma and dot grouping; English the reverse."""
        assert vi == tdplan.format_value(Decimal(value), unit, "vi")
        assert en == tdplan.format_value(Decimal(value), unit, "en")

    def test_every_digit_kept(self) -> None:
        """Formatting never rounds: 0,00001 stays 0,00001."""
        assert "0,00001" == tdplan.format_number(Decimal("0.00001"))


class TestShortcut:
    """Plain numbers are read without Babel; the result is Babel's, digit for digit."""

    @given(st.from_regex(r"\A[0-9]{1,7}([.,][0-9]{1,6})?\Z"), st.sampled_from([None, "vi", "en"]))
    def test_same_as_babel(self, text: str, notation: str | None) -> None:
        """Every plain number reads as Babel's strict vi and en locales read it (or fails as they do)."""
        from babel.numbers import NumberFormatError, parse_decimal

        readings = {}
        for lang in ("vi", "en") if notation is None else (notation,):
            with contextlib.suppress(NumberFormatError):
                readings[lang] = parse_decimal(text, locale=lang, strict=True)
        values = set(readings.values())
        try:
            ours = tdplan.parse_number(text, notation)  # type: ignore[arg-type]
        except tdplan.AmbiguousValueError:
            assert len(values) == 2
            return
        except tdplan.ValueParseError:
            assert not values
            return
        except tdplan.InvalidValueError:
            return  # more digits than a measurement has
        assert values == {ours}
        assert str(next(iter(readings.values()))) == str(ours)


class TestPlainFormatting:
    @given(
        st.decimals(allow_nan=False, allow_infinity=False, places=None)
        | st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(-(10**40), 10**40), st.integers(-40, 40)),
        st.sampled_from(["vi", "en"]),
    )
    def test_agrees_with_babel(self, value, lang):
        """format_number's plain path writes every number exactly as Babel does."""
        from tdplan.core.notation import babel_format_number, format_number

        assert babel_format_number(value, lang) == format_number(value, lang)
