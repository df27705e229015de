"""Assessing one value: the public API of the core issue, explanations, and every bad input."""

from __future__ import annotations

import math
import threading
from decimal import Decimal
from fractions import Fraction

import attrs
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tdplan
from tdplan import Status

PLAN = tdplan.load_plan()


class TestPublicAPI:
    """The calls other software codes against."""

    def test_assess_string_vietnamese(self) -> None:
        """16,5‰ neonatal mortality in 2025 meets "dưới 18‰ vào năm 2025" by 1,5‰."""
        a = PLAN.assess("3", "16,5‰", year=2025)
        assert Status.MET is a.status
        assert a.met
        assert Decimal("1.5") == a.margin
        assert Decimal("16.5") == a.value
        assert 2025 == a.year
        assert 2025 == a.target.year
        assert "3" == a.indicator.id

    def test_assess_number_with_unit(self) -> None:
        """1,65 % is 16,5‰: the same verdict and margin in the target's unit."""
        a = PLAN.assess("3", 1.65, "%", year=2025)
        assert Status.MET is a.status
        assert Decimal("16.5") == a.value
        assert Decimal("1.5") == a.margin

    def test_assess_disaggregated(self) -> None:
        """0,05 % obesity among rural children meets "dưới 0,1% đối với nông thôn"."""
        a = PLAN.assess("8", 0.05, "%", year=2025, disaggregation={"residence": "rural"})
        assert Status.MET is a.status
        assert Decimal("0.05") == a.margin
        assert {"residence": "rural"} == a.target.disaggregation

    def test_urban_threshold_differs(self) -> None:
        """0,15 % meets the urban target (< 0,2 %) but not the rural one (< 0,1 %)."""
        urban = PLAN.assess("8", "0,15%", year=2030, disaggregation={"residence": "urban"})
        rural = PLAN.assess("8", "0,15%", year=2030, disaggregation={"residence": "rural"})
        assert (Status.MET, Status.NOT_MET) == (urban.status, rural.status)

    def test_lookups(self) -> None:
        """Indicators, goals and agencies are found by id, in plan order."""
        assert "3" == PLAN.indicator("3").id
        assert PLAN.get_indicator("99") is None
        assert PLAN.get_indicator(3) is None  # type: ignore[arg-type]
        assert ("3", "4", "5", "6", "7", "8", "9", "10", "11", "15", "15b") == tuple(
            ind.id for ind in PLAN.agency("health").indicators
        )
        assert PLAN.get_agency("nobody") is None
        assert 4 == len(PLAN.goals)
        assert 1 == PLAN.goal(1).number
        assert range(2021, 2031) == PLAN.years

    def test_target_fields(self) -> None:
        """A target exposes its year, comparator, exact threshold, unit and disaggregation."""
        target = PLAN.indicator("9").targets[0]
        assert (2025, tdplan.Comparator.GE, Decimal("97.2"), tdplan.Unit.PERCENT, {}) == (
            target.year,
            target.comparator,
            target.threshold,
            target.unit,
            target.disaggregation,
        )

    def test_shared_plan_is_cached(self) -> None:
        """load_plan returns the same immutable object to every caller."""
        assert tdplan.load_plan() is tdplan.load_plan("tam-duong-2021-2030")
        assert ("tam-duong-2021-2030",) == tdplan.available_plans()


class TestExplanations:
    """One sentence per verdict, in Vietnamese and English."""

    @pytest.mark.parametrize(
        ("indicator", "value", "year", "group", "vi", "en"),
        [
            (
                "3",
                "16,5‰",
                2025,
                None,
                "16,5‰ < 18‰: đạt chỉ tiêu năm 2025",
                "16.5‰ < 18‰: meets the 2025 target",
            ),
            (
                "3",
                "1,8%",
                2025,
                None,
                "18‰ ≥ 18‰: không đạt chỉ tiêu năm 2025 (cần < 18‰)",
                "18‰ ≥ 18‰: does not meet the 2025 target (needs < 18‰)",
            ),
            (
                "3",
                17,
                2023,
                None,
                "17‰ < 18‰: đã đạt chỉ tiêu năm 2025 trước thời hạn",
                "17‰ < 18‰: already meets the 2025 target, ahead of time",
            ),
            (
                "15",
                "60/100.000",
                2024,
                None,
                "60/100.000 > 50/100.000: chưa đạt chỉ tiêu năm 2025 (cần ≤ 50/100.000; chưa đến hạn)",
                "60 per 100,000 > 50 per 100,000: not yet at the 2025 target (needs ≤ 50 per 100,000; not yet due)",
            ),
            (
                "12",
                100,
                2027,
                None,
                "100% ≥ 100%: đạt chỉ tiêu năm 2025, vẫn áp dụng năm 2027",
                "100% ≥ 100%: meets the 2025 target, still in force in 2027",
            ),
            (
                "16",
                "99,5%",
                2022,
                None,
                "99,5% < 100%: không đạt chỉ tiêu thường xuyên năm 2022 (cần ≥ 100%)",
                "99.5% < 100%: does not meet the continuous target in 2022 (needs ≥ 100%)",
            ),
            (
                "20",
                "98,6 %",
                2025,
                {"age": "3-5"},
                "98,6% ≥ 98,6% (trẻ 3–5 tuổi): đạt chỉ tiêu năm 2025",
                "98.6% ≥ 98.6% (children aged 3–5): meets the 2025 target",
            ),
        ],
    )
    def test_sentences(
        self, indicator: str, value: object, year: int, group: dict[str, str] | None, vi: str, en: str
    ) -> None:
        """The explanation states value, comparison, threshold and verdict."""
        a = PLAN.assess(indicator, value, year=year, disaggregation=group)
        assert vi == a.explain("vi")
        assert en == a.explain("en")
        assert vi == a.explain()

    def test_repr(self) -> None:
        """Objects have short, readable reprs."""
        assert "<Indicator 3: Tỷ suất tử vong trẻ sơ sinh < 18‰ (2025), < 15‰ (2030)>" == repr(PLAN.indicator("3"))
        assert "<Assessment 3 (2025): 16.5‰ < 18‰: meets the 2025 target [MET]>" == repr(
            PLAN.assess("3", "16,5‰", year=2025)
        )
        assert repr(PLAN).startswith("<Plan tam-duong-2021-2030: 4 goals, 31 indicators")
        assert "<Target ≥ 97.2% (2025)>" == repr(PLAN.indicator("9").targets[0])
        assert repr(PLAN.agency("justice")).endswith("(19)>")
        assert repr(PLAN.goal(4)).endswith("(3 indicators)>")

    def test_status_labels(self) -> None:
        """Statuses have labels in both languages and say whether they are met."""
        assert ("đạt", "not met") == (Status.MET.label("vi"), Status.NOT_MET.label("en"))
        assert [True, False, True, False] == [s.met for s in Status]


class TestValues:
    """Every accepted form of a value gives the exact quantity."""

    @pytest.mark.parametrize(
        ("value", "unit", "expected"),
        [
            ("16,5‰", None, "16.5"),
            ("16.5 ‰", None, "16.5"),
            ("1,65%", None, "16.5"),
            ("1650/100.000", None, "16.5"),
            ("1650 per 100,000", None, "16.5"),
            ("16,5", None, "16.5"),
            ("16,5", "‰", "16.5"),
            (Decimal("16.5"), None, "16.5"),
            (16.5, None, "16.5"),
            (16, None, "16"),
            (0.1, "%", "1"),
            (1650, "per 100,000", "16.5"),
            ("16,5\u00a0‰", None, "16.5"),
        ],
    )
    def test_forms(self, value: object, unit: str | None, expected: str) -> None:
        """Strings, numbers and units all land on the same permille value."""
        assert Decimal(expected) == PLAN.assess("3", value, unit, year=2025).value

    def test_float_shortest_repr(self) -> None:
        """A float is read at its shortest repr: 0.1 is 0.1, not 0.1000000000000000055…."""
        assert Decimal("0.1") == PLAN.assess("8", 0.1, year=2025, disaggregation={"residence": "rural"}).value
        assert Status.NOT_MET is PLAN.assess("8", 0.1, year=2025, disaggregation={"residence": "rural"}).status

    def test_pint_quantity_any_registry(self) -> None:
        """Quantities from pint's own default registry and from tdplan's are read exactly."""
        default = pint.UnitRegistry()
        assert Status.NOT_MET is PLAN.assess("3", default.Quantity(1.8, "percent"), year=2025).status
        assert Decimal("18") == PLAN.assess("3", default.Quantity(0.018, "dimensionless"), year=2025).value
        ours = tdplan.unit_registry()
        q = ours.Quantity(Decimal("99.8"), "percent").to("permille")
        assert Status.MET is PLAN.assess("22", q, year=2025).status

    @pytest.mark.parametrize(
        ("indicator", "quantity", "status"),
        [
            ("21", (99.9, "cm/m"), Status.NOT_MET),  # exactly 99,9 %: not above 99,9 %
            ("10", (930000, "ppm"), Status.MET),  # exactly 93 %: at least 93 %
            ("5", (4.1, "cm/m"), Status.NOT_MET),  # exactly 41‰: not below 41‰
        ],
    )
    def test_other_dimensionless_units_exact(self, indicator: str, quantity: tuple[float, str], status: Status) -> None:
        """ppm and cm/m are converted by an exact factor, so the boundary holds."""
        assert status is PLAN.assess(indicator, pint.UnitRegistry().Quantity(*quantity), year=2025).status

    def test_numpy_numbers(self) -> None:
        """NumPy scalars are read at their shortest repr, as Python floats are."""
        np = pytest.importorskip("numpy")
        assert Status.NOT_MET is PLAN.assess("3", np.float64(1.8), "%", year=2025).status
        assert Decimal("16.5") == PLAN.assess("3", np.float32(16.5), year=2025).value
        assert Decimal("16") == PLAN.assess("3", np.int64(16), year=2025).value

    def test_negative_zero(self) -> None:
        """-0 is 0, and is written 0."""
        assert "0‰ < 18‰: meets the 2025 target" == PLAN.assess("3", -0.0, year=2025).explain("en")

    def test_own_registry_leaves_pint_alone(self) -> None:
        """tdplan's registry is its own: pint's application registry is not it."""
        assert tdplan.unit_registry() is not pint.get_application_registry()
        assert tdplan.unit_registry() is tdplan.unit_registry()

    def test_unit_boundaries(self) -> None:
        """18‰ written as 1,8 % fails "< 18‰"; 99,8 % written as 998‰ meets "≥ 99,8 %"."""
        assert Status.NOT_MET is PLAN.assess("3", "1,8%", year=2025).status
        assert Decimal(0) == PLAN.assess("3", "1,8%", year=2025).margin
        assert Status.MET is PLAN.assess("22", "998‰", year=2025).status
        assert Decimal(0) == PLAN.assess("22", 998, "‰", year=2025).margin


class TestErrors:
    """Bad input gets a typed error that says what is valid; nothing is printed."""

    def test_unknown_indicator(self) -> None:
        """An unknown id is a LookupError naming the valid ids."""
        with pytest.raises(tdplan.UnknownIndicatorError, match="1–15, 15b, 16–25, 25b, 26–29") as info:
            PLAN.assess("30", 1, year=2025)
        assert isinstance(info.value, LookupError)
        assert isinstance(info.value, tdplan.TdplanError)

    def test_indicator_id_type(self) -> None:
        """An int id is refused, not coerced."""
        with pytest.raises(tdplan.InputTypeError, match="'3'"):
            PLAN.indicator(3)  # type: ignore[arg-type]

    def test_unknown_agency_goal_plan(self) -> None:
        """Unknown agencies, goals and plans are LookupErrors listing what exists."""
        with pytest.raises(tdplan.UnknownAgencyError, match="health"):
            PLAN.agency("hospital")
        with pytest.raises(tdplan.UnknownGoalError, match="1, 2, 3, 4"):
            PLAN.goal(5)
        with pytest.raises(tdplan.UnknownPlanError, match="tam-duong-2021-2030"):
            tdplan.load_plan("lai-chau")

    @pytest.mark.parametrize(
        ("group", "match"),
        [
            (None, r"give disaggregation=\{'residence': 'rural'\} or \{'residence': 'urban'\}"),
            ({}, "give disaggregation="),
            ({"residence": "city"}, "there is no group 'city' of residence: use rural, urban"),
            ({"age": "2-3"}, "valid groups are {'residence': 'rural'}"),
            ({"residence": "rural", "age": "2-3"}, "valid groups"),
        ],
    )
    def test_disaggregation_required(self, group: dict[str, str] | None, match: str) -> None:
        """Indicator 8 needs exactly one of its groups."""
        with pytest.raises(tdplan.DisaggregationError, match=match):
            PLAN.assess("8", "0,05%", year=2025, disaggregation=group)

    def test_disaggregation_where_none(self) -> None:
        """A disaggregation is not silently dropped where the indicator has none."""
        with pytest.raises(tdplan.DisaggregationError, match="indicator 3 has no disaggregation"):
            PLAN.assess("3", 16, year=2025, disaggregation={"residence": "rural"})

    def test_disaggregation_type(self) -> None:
        """A disaggregation is a mapping."""
        with pytest.raises(tdplan.InputTypeError, match="mapping"):
            PLAN.assess("8", 0.05, year=2025, disaggregation="rural")  # type: ignore[arg-type]

    @pytest.mark.parametrize("year", [2020, 2031, 1900])
    def test_year_outside_period(self, year: int) -> None:
        """Years outside 2021–2030 are refused."""
        with pytest.raises(tdplan.YearError, match="2021–2030"):
            PLAN.assess("3", 16, year=year)

    @pytest.mark.parametrize("year", ["2025", 2025.0, True, None])
    def test_year_type(self, year: object) -> None:
        """A year is a whole number, not a string, float or bool."""
        with pytest.raises(tdplan.InputTypeError):
            PLAN.assess("3", 16, year=year)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "value", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("Infinity"), Decimal("sNaN")]
    )
    def test_not_finite(self, value: object) -> None:
        """NaN and infinities are InvalidValueErrors."""
        with pytest.raises(tdplan.InvalidValueError, match="finite"):
            PLAN.assess("3", value, year=2025)

    @pytest.mark.parametrize("value", [-1, -0.5, "-3‰", "−3‰", Decimal("-0.0001")])
    def test_negative(self, value: object) -> None:
        """Rates and shares cannot be negative."""
        with pytest.raises(tdplan.InvalidValueError, match="negative"):
            PLAN.assess("3", value, year=2025)

    @pytest.mark.parametrize(
        ("indicator", "value"), [("9", 100.01), ("9", "1001‰"), ("3", 1000.5), ("15", "100001/100000")]
    )
    def test_above_whole(self, indicator: str, value: object) -> None:
        """No share exceeds 100 % of its population, in any unit."""
        with pytest.raises(tdplan.InvalidValueError, match="100 %"):
            PLAN.assess(indicator, value, year=2025)

    @pytest.mark.parametrize(
        "value",
        [Decimal("1E-99999999999"), 10**5000, Decimal("17." + "9" * 60), "0," + "0" * 60 + "1"],
        ids=["tiny", "huge-int", "long-decimal", "long-string"],
    )
    def test_too_many_digits(self, value: object) -> None:
        """Absurd numbers are refused quickly, without building their digits."""
        with pytest.raises(tdplan.InvalidValueError, match="too many digits"):
            PLAN.assess("3", value, year=2025)

    @pytest.mark.parametrize("value", ["", "abc", "16,5,5‰", "‰", "nan", "16;5", "1" * 101])
    def test_unparseable(self, value: str) -> None:
        """A string that is not a value is a ValueParseError or UnitError."""
        with pytest.raises((tdplan.ValueParseError, tdplan.UnitError)):
            PLAN.assess("3", value, year=2025)

    @pytest.mark.parametrize("value", ["1.000", "1,234", "2.500"])
    def test_ambiguous(self, value: str) -> None:
        """A string that reads as two possible values is refused, not guessed."""
        with pytest.raises(tdplan.AmbiguousValueError, match="Vietnamese notation") as info:
            PLAN.assess("15", value, year=2025)
        assert 2 == len(info.value.readings)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("12.500/100.000", "12500"), ("12,500 per 100,000", "12500"), ("1.000/100.000", "1000")],
    )
    def test_unit_names_the_notation(self, value: str, expected: str) -> None:
        """A unit written with a thousands separator says how to read the number (the plan writes 50/100.000)."""
        assert Decimal(expected) == PLAN.assess("15", value, year=2025).value

    @pytest.mark.parametrize(("value", "expected"), [("1,799%", "17.99"), ("12.500‰", "12.5"), ("0,500", "0.5")])
    def test_ambiguous_notation_one_possible_value(self, value: str, expected: str) -> None:
        """Where only one reading is a possible share (1,799 % and not 1799 %), it is the value."""
        assert Decimal(expected) == PLAN.assess("3", value, year=2025).value

    @pytest.mark.parametrize(("value", "unit"), [(5, "kg"), (5, "m"), ("5 km", None), (5, "count")])
    def test_unit_not_ratio(self, value: object, unit: str | None) -> None:
        """Physical or count units are UnitErrors listing the valid units."""
        with pytest.raises(tdplan.UnitError):
            PLAN.assess("3", value, unit, year=2025)

    def test_pint_physical_quantity(self) -> None:
        """A pint quantity with a physical unit is a UnitError."""
        with pytest.raises(tdplan.UnitError, match="not a share"):
            PLAN.assess("3", pint.UnitRegistry().Quantity(5, "meter"), year=2025)

    def test_conflicting_units(self) -> None:
        """A string's own unit and a unit argument must agree."""
        with pytest.raises(tdplan.UnitError, match="unit="):
            PLAN.assess("3", "1,8%", "‰", year=2025)
        with pytest.raises(tdplan.InputTypeError, match="own unit"):
            PLAN.assess("3", tdplan.unit_registry().Quantity(1, "percent"), "%", year=2025)

    @pytest.mark.parametrize("value", [True, None, [16], {"v": 16}, Fraction(1, 3), b"16"])
    def test_value_types(self, value: object) -> None:
        """Values of other types are InputTypeErrors (TypeError)."""
        with pytest.raises(tdplan.InputTypeError):
            PLAN.assess("3", value, year=2025)

    def test_series_required(self) -> None:
        """Indicator 18 (a yearly fall of 2–3 %) needs a series, and says so."""
        with pytest.raises(tdplan.SeriesRequiredError, match="series of yearly counts") as info:
            PLAN.assess("18", 12, year=2026)
        assert isinstance(info.value, ValueError)


class TestImmutability:
    """The shipped plan cannot be changed by one caller for another."""

    def test_frozen(self) -> None:
        """Setting an attribute raises, and the collections are tuples."""
        indicator = PLAN.indicator("3")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            indicator.id = "4"  # type: ignore[misc]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            indicator.targets[0].threshold = Decimal(99)  # type: ignore[misc]
        assert isinstance(PLAN.indicators, tuple)
        assert isinstance(indicator.targets, tuple)

    def test_disaggregation_frozen(self) -> None:
        """A target's disaggregation is a read-only, hashable mapping."""
        group = PLAN.indicator("8").targets[0].disaggregation
        with pytest.raises(TypeError):
            group["residence"] = "urban"  # type: ignore[index]
        with pytest.raises(AttributeError):
            group._items = ()  # type: ignore[misc]
        assert hash(group) == hash(tdplan.Disaggregation(dict(group)))


class TestThreads:
    """Concurrent use gives the serial results."""

    def test_eight_threads(self) -> None:
        """Eight threads assessing at once agree with a serial run."""
        cases = [("3", f"{v},5‰", 2021 + v % 10) for v in range(40)] + [("9", v, 2025) for v in range(90, 101)]
        serial = [PLAN.assess(i, v, year=y) for i, v, y in cases]
        results: list[list[tdplan.Assessment]] = [[] for _ in range(8)]

        def work(slot: int) -> None:
            results[slot] = [tdplan.load_plan().assess(i, v, year=y) for i, v, y in cases]

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [serial] * 8 == results


class TestExactness:
    """No arithmetic rounds, whatever the number of digits."""

    def test_many_digits(self) -> None:
        """A 40-digit value converts and subtracts exactly (Python's default context keeps 28 digits)."""
        value = "1.799999999999999999999999999999999999999%"
        a = PLAN.assess("3", value, year=2025)
        assert Decimal("17.99999999999999999999999999999999999999") == a.value
        assert Decimal("0.00000000000000000000000000000000000001") == a.margin
        assert Status.MET is a.status

    def test_huge_value_message(self) -> None:
        """An absurdly large value is refused quickly, without writing out its digits."""
        with pytest.raises(tdplan.InvalidValueError, match="too many digits"):
            PLAN.assess("3", Decimal("1E+999999"), year=2025)
        with pytest.raises(tdplan.InvalidValueError, match="more than the whole population"):
            PLAN.assess("3", 10**40, year=2025)


class TestPickle:
    """Plans and assessments travel to worker processes (Dask, multiprocessing) intact."""

    def test_round_trip(self) -> None:
        """A pickled plan is equal to the original and assesses the same."""
        import pickle

        plan = pickle.loads(pickle.dumps(PLAN))
        assert PLAN == plan
        assessment = plan.assess("8", "0,05%", year=2025, disaggregation={"residence": "rural"})
        assert pickle.loads(pickle.dumps(assessment)) == assessment
        assert Status.MET is assessment.status


class TestNumberWithUnit:
    """An int or float with a unit is shifted by powers of ten, exactly as the digits it was written with."""

    @given(st.floats(min_value=0, max_value=100).filter(lambda value: value == 0 or value >= 1e-45))
    def test_percent_float_to_per_mille(self, value: float) -> None:
        """A float % (0 or at least 1e-45: smaller is refused) against a ‰ target is its shortest decimal x 10."""
        expected = Decimal(repr(value)).scaleb(1)
        assert expected == PLAN.assess("3", value, "%", year=2025).value

    @given(st.integers(min_value=0, max_value=100))
    def test_percent_int_to_per_mille(self, value: int) -> None:
        """An int % is that many tens of ‰."""
        assert Decimal(value * 10) == PLAN.assess("3", value, "%", year=2025).value

    def test_one_point_six_five_percent(self) -> None:
        """1.65 % is 16.5 ‰: under 18 ‰, met in 2025."""
        a = PLAN.assess("3", 1.65, "%", year=2025)
        assert (Decimal("16.5"), Status.MET) == (a.value, a.status)

    def test_spelled_units(self) -> None:
        """The same value with the unit spelt three ways (and again, once remembered) gives the same value."""
        values = {PLAN.assess("3", 1.8, unit, year=2025).value for unit in ("%", " Phần trăm ", "percent", "%")}
        assert {Decimal("18")} == values

    def test_out_of_range_still_refused(self) -> None:
        """101 %, -1 % and 1e-300 % are refused as before: more than the whole, negative, too many digits."""
        for value in (101, -1.0, 1e-300):
            with pytest.raises(tdplan.InvalidValueError):
                PLAN.assess("3", value, "%", year=2025)

    def test_negative_zero(self) -> None:
        """-0.0 % is 0 ‰, written without a sign."""
        assert "0" == str(PLAN.assess("3", -0.0, "%", year=2025).value).lstrip("-")
        assert not PLAN.assess("3", -0.0, "%", year=2025).value.is_signed()

    def test_unknown_unit(self) -> None:
        """An unknown unit is still a UnitError, every time it is given."""
        for _ in range(2):
            with pytest.raises(tdplan.UnitError):
                PLAN.assess("3", 1.0, "furlong", year=2025)
