"""District figures from commune counts: exact sums, exact verdicts, and every bad input."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tdplan
from tdplan import Status
from tdplan.analysis.aggregation import Aggregate, Counts, aggregate
from tdplan.core.errors import (
    AggregationError,
    AmbiguousValueError,
    InputTypeError,
    InvalidValueError,
    SeriesRequiredError,
)

PLAN = tdplan.load_plan()
COMMUNES = {"Bản Bo": (4, 250), "Bình Lư": (5, 250), "Tả Lèng": (3, 250), "Khun Há": (6, 250)}


class TestSums:
    """Numerators and denominators are summed, then divided: hand sums."""

    def test_four_communes(self) -> None:
        """4 + 5 + 3 + 6 = 18 deaths of 4 × 250 = 1000 live births: exactly 18‰, which is not < 18‰."""
        a = aggregate(PLAN, "3", COMMUNES)
        assert (18, 1000) == (a.numerator, a.denominator)
        assert Decimal(18) == a.value
        assert Fraction(18) == a.rate
        assert a.exact
        assert Status.NOT_MET is a.assess(2025).status
        assert Decimal(0) == a.assess(2025).margin
        assert ("Bản Bo", "Bình Lư", "Tả Lèng", "Khun Há") == tuple(area for area, _ in a.areas)

    def test_not_the_mean_of_rates(self) -> None:
        """10‰ of 100 births and 30‰ of 1000 make 31/1100 = 28,18…‰, not the mean 20‰."""
        a = aggregate(PLAN, "3", {"A": (1, 100), "B": (30, 1000)})
        assert Fraction(31 * 1000, 1100) == a.rate
        assert not a.exact
        assert Decimal("28.18181818181818181818181818181818") == a.value
        assert Status.NOT_MET is a.assess(2025).status

    def test_percent_and_per_100000(self) -> None:
        """Shares come out in the indicator's unit: % for 9, per 100,000 for 15."""
        assert Decimal("96") == aggregate(PLAN, "9", {"A": (190, 200), "B": (290, 300)}).value
        assert Decimal("45") == aggregate(PLAN, "15", {"A": (3, 4000), "B": (6, 16000)}).value

    def test_counts_for_indicator_18(self) -> None:
        """For a count indicator the district figure is the sum of the communes' counts."""
        a = aggregate(PLAN, "18", {"Bản Bo": 3, "Bình Lư": "2 cuộc", "Tả Lèng": 0, "Khun Há": Decimal(4)})
        assert (9, None, Decimal(9)) == (a.numerator, a.denominator, a.value)
        with pytest.raises(SeriesRequiredError, match=r"Plan\.track"):
            a.assess(2026)

    def test_forms(self) -> None:
        """Counts as Counts, tuples, integral Decimals and strings in either notation; pairs like a mapping."""
        a = aggregate(PLAN, "9", [("A", Counts(1000, 1200)), ("B", ("1.234", "2.500")), ("C", (Decimal(5), 10.0))])
        assert (2239, 3710) == (a.numerator, a.denominator)


class TestExactVerdicts:
    """The verdict is decided on the exact rate, never on its rounded decimal."""

    def test_rounds_to_threshold_but_is_below(self) -> None:
        """A rate 1/(3·10³³)‰ below 18‰ rounds to 18‰ at 34 digits, yet meets < 18‰."""
        a = aggregate(PLAN, "3", {"A": (54 * 10**33 - 1, 3 * 10**36)})
        assert Fraction(18) - Fraction(1, 3 * 10**33) == a.rate
        assert Decimal(18) == a.value
        assessment = a.assess(2025)
        assert Status.MET is assessment.status

    def test_one_third(self) -> None:
        """1 of 3 is 33,33…%: not exact as a decimal, exactly below ≥ 97,2 %."""
        a = aggregate(PLAN, "9", {"A": (1, 3)})
        assert (False, Status.NOT_MET) == (a.exact, a.assess(2025).status)

    @given(st.integers(1, 10**6), st.integers(0, 10**6))
    def test_matches_fractions(self, denominator: int, numerator: int) -> None:
        """The verdict against < 18‰ is exactly 1000·n/d < 18."""
        numerator = numerator % (denominator + 1)
        a = aggregate(PLAN, "3", {"A": (numerator, denominator)})
        assert (Fraction(1000 * numerator, denominator) < 18) == a.assess(2025).met


class TestErrors:
    """Counts that cannot be summed are typed errors that say why."""

    @pytest.mark.parametrize(
        ("counts", "error", "message"),
        [
            ({"A": (1, 0)}, AggregationError, r"the denominator \(live births\) is 0"),
            ({"Bản Bo": (1, 2), "bản  bo ": (1, 2)}, AggregationError, "given twice"),
            ([("A", (1, 2)), ("A", (1, 3))], AggregationError, "given twice"),
            ({"A": "16,5‰", "B": (1, 2)}, AggregationError, "mixes rates with counts"),
            ({"A": 16.5}, AggregationError, "not the mean of commune rates"),
            ({"A": (1, 2), "B": Decimal("0.5")}, AggregationError, "mixes rates with counts"),
            ({}, AggregationError, "no areas"),
            ({"": (1, 2)}, AggregationError, "empty name"),
            ({"A": (1, 2, 3)}, AggregationError, r"give \(numerator, denominator\)"),
            ({"A": (3, 2)}, InvalidValueError, "more than the whole population"),
            ({"A": (-1, 2)}, InvalidValueError, "not a count"),
            ({"A": (1.5, 2)}, InvalidValueError, "whole numbers"),
            ({"A": ("1.000", 2000)}, AmbiguousValueError, "1000 in Vietnamese"),
            ({"A": (True, 2)}, InputTypeError, "not a count"),
            ({3: (1, 2)}, InputTypeError, "named by a string"),
            ("A: 1/2", InputTypeError, "mapping of areas"),
            ([("A", 1, 2)], InputTypeError, "pair"),
        ],
    )
    def test_rates_and_bad_counts(self, counts: object, error: type[Exception], message: str) -> None:
        """Each bad input is refused with a message naming the problem."""
        with pytest.raises(error, match=message):
            aggregate(PLAN, "3", counts)  # type: ignore[arg-type]

    def test_nfc_duplicates(self) -> None:
        """The same name in another Unicode form is the same area."""
        decomposed = unicodedata.normalize("NFD", "Tả Lèng")
        with pytest.raises(AggregationError, match="given twice"):
            aggregate(PLAN, "3", {"Tả Lèng": (1, 10), decomposed: (1, 10)})

    def test_count_indicator(self) -> None:
        """Indicator 18 takes one whole number per area, not a pair or a rate."""
        with pytest.raises(AggregationError, match="give one number"):
            aggregate(PLAN, "18", {"A": (1, 2)})
        with pytest.raises(AggregationError, match="not a rate"):
            aggregate(PLAN, "18", {"A": "5%"})


class TestObjects:
    """Reprs, explanations, immutability."""

    def test_explain(self) -> None:
        """The sum and the rate, in both notations; ≈ where the rate is rounded for display."""
        a = aggregate(PLAN, "3", COMMUNES)
        assert "Bản Bo, Bình Lư, Tả Lèng, Khun Há: 18 / 1.000 = 18‰" == a.explain("vi")
        assert "<Aggregate 3: Bản Bo, Bình Lư, Tả Lèng, Khun Há: 18 / 1,000 = 18‰>" == repr(a)
        assert "A, B: 31 / 1.100 = ≈ 28,18‰" == aggregate(PLAN, "3", {"A": (1, 100), "B": (30, 1000)}).explain()
        assert "A, B: 3 + 4 = 7" == aggregate(PLAN, "18", {"A": 3, "B": 4}).explain("en")

    def test_frozen(self) -> None:
        """An aggregate cannot be changed."""
        a = aggregate(PLAN, "3", COMMUNES)
        assert isinstance(a, Aggregate)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            a.numerator = 0  # type: ignore[misc]


@st.composite
def communes(draw: st.DrawFn) -> list[tuple[str, tuple[int, int]]]:
    """Up to 13 areas (Tam Đường had 13 communes and a township) with counts."""
    names = draw(st.lists(st.sampled_from(range(14)), min_size=1, max_size=14, unique=True))
    areas = []
    for name in names:
        denominator = draw(st.integers(1, 5000))
        areas.append((f"xã {name}", (draw(st.integers(0, denominator)), denominator)))
    return areas


class TestProperties:
    """Aggregation does not depend on how the areas are listed."""

    @given(communes(), st.randoms(use_true_random=False), st.sampled_from(["3", "9", "15"]), st.integers(2021, 2030))
    def test_order_independent(
        self, areas: list[tuple[str, tuple[int, int]]], random: object, indicator: str, year: int
    ) -> None:
        """Shuffling the areas changes neither the sums, nor the value, nor the verdict."""
        shuffled = list(areas)
        random.shuffle(shuffled)  # type: ignore[attr-defined]
        a, b = aggregate(PLAN, indicator, areas), aggregate(PLAN, indicator, dict(shuffled))
        assert (a.numerator, a.denominator, a.rate, a.value) == (b.numerator, b.denominator, b.rate, b.value)
        assert a.assess(year) == b.assess(year)
        assert sum(n for _, (n, _) in areas) == a.numerator


def test_rate_in_a_count_is_refused() -> None:
    """A rate written where a count belongs ("4%") is an error, not the number 4."""
    plan = tdplan.load_plan()
    with pytest.raises(tdplan.AggregationError, match="is a rate, not a count"):
        tdplan.aggregate(plan, "3", {"A": ("4%", "250")})
