"""Dates and reporting periods: strict day-first reading, period arithmetic, and the time left."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tdplan
from tdplan.core.errors import InputTypeError, PeriodError
from tdplan.core.periods import Period, PeriodKind, TimeLeft, parse_date, periods_between


class TestParse:
    """Every way officers write a period reads as that period, and nothing else does."""

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("2024", "2024"),
            ("năm 2024", "2024"),
            ("Năm  2024", "2024"),
            ("2024-H1", "2024-H1"),
            ("2024h2", "2024-H2"),
            ("H2/2024", "2024-H2"),
            ("h1 2024", "2024-H1"),
            ("6 tháng đầu năm 2024", "2024-H1"),
            ("Sáu tháng cuối năm 2024", "2024-H2"),
            ("first half of 2024", "2024-H1"),
            ("second half 2024", "2024-H2"),
            ("2024-Q3", "2024-Q3"),
            ("Q4/2024", "2024-Q4"),
            ("quý III/2024", "2024-Q3"),
            ("Quý IV năm 2024", "2024-Q4"),
            ("quý 2/2024", "2024-Q2"),
            ("31/12/2024", "2024-12-31"),
            ("1/7/2025", "2025-07-01"),
            ("07/01/2024", "2024-01-07"),
            ("31.12.2024", "2024-12-31"),
            ("31-12-2024", "2024-12-31"),
            ("ngày 31/12/2024", "2024-12-31"),
            ("ngày 5 tháng 9 năm 2024", "2024-09-05"),
            ("2024-07-01", "2024-07-01"),
            ("29/02/2024", "2024-02-29"),
        ],
    )
    def test_strings(self, text: str, code: str) -> None:
        """The string reads as the period with this code."""
        assert code == Period.parse(text).code

    def test_iso_is_never_day_first(self) -> None:
        """2024-07-01 is 1 July (ISO), while 07/01/2024 is 7 January (day first)."""
        assert dt.date(2024, 7, 1) == parse_date("2024-07-01")
        assert dt.date(2024, 1, 7) == parse_date("07/01/2024")

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("31/02/2024", "month 2/2024 has 29 days"),
            ("29/02/2025", "month 2/2025 has 28 days"),
            ("12/31/2024", r"no month 31 \(dates are day first: dd/mm/yyyy\)"),
            ("2024-13-01", "no month 13"),
            ("2024-H3", "no half-year 3"),
            ("H0/2024", "no half-year 0"),
            ("Q5/2024", "no quarter 5"),
            ("quý V/2024", "no quarter V"),
            ("2024/12/31", "not a period tdplan reads"),
            ("31/12/24", "not a period tdplan reads"),
            ("2024-7-1", "not a period tdplan reads"),
            ("tháng 12/2024", "not a period tdplan reads"),
            ("", "not a period tdplan reads"),
        ],
    )
    def test_refused(self, text: str, message: str) -> None:
        """A string that is not a valid period is a PeriodError (a ValueError) saying why."""
        with pytest.raises(PeriodError, match=message) as info:
            Period.parse(text)
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, tdplan.TdplanError)

    def test_objects(self) -> None:
        """Ints are years, dates are days (a datetime counts for its date), periods are themselves."""
        assert Period.for_year(2024) == Period.parse(2024)
        assert Period.for_date(dt.date(2024, 3, 1)) == Period.parse(dt.datetime(2024, 3, 1, 17, 30))
        half = Period.for_half(2024, 2)
        assert half is Period.parse(half)

    @pytest.mark.parametrize("value", [True, 2024.0, None, b"2024", ["2024"]])
    def test_wrong_types(self, value: object) -> None:
        """A bool, a float or a list is not a period: InputTypeError."""
        with pytest.raises(InputTypeError):
            Period.parse(value)  # type: ignore[arg-type]

    def test_parse_date_wants_a_day(self) -> None:
        """parse_date refuses a whole year or a quarter."""
        with pytest.raises(PeriodError, match="is a quarter, not a date"):
            parse_date("2024-Q1")

    def test_start_must_align(self) -> None:
        """A quarter cannot start in February, nor a year in July."""
        with pytest.raises(PeriodError, match="quarter cannot start on 2024-02-01"):
            Period(PeriodKind.QUARTER, dt.date(2024, 2, 1))
        with pytest.raises(PeriodError, match="year cannot start"):
            Period(PeriodKind.YEAR, dt.date(2024, 7, 1))


class TestArithmetic:
    """Ends, positions and spans, by relativedelta and rrule."""

    @pytest.mark.parametrize(
        ("text", "end"),
        [
            ("2024", dt.date(2024, 12, 31)),
            ("2024-H1", dt.date(2024, 6, 30)),
            ("2025-H1", dt.date(2025, 6, 30)),
            ("2024-Q1", dt.date(2024, 3, 31)),
            ("2023-Q1", dt.date(2023, 3, 31)),
            ("2024-Q4", dt.date(2024, 12, 31)),
            ("15/05/2024", dt.date(2024, 5, 15)),
        ],
    )
    def test_end(self, text: str, end: dt.date) -> None:
        """A period ends on its last day."""
        assert end == Period.parse(text).end

    def test_positions(self) -> None:
        """The end of a year is the next whole number; the end of June 2024 is 182 of 366 days in."""
        assert Fraction(2025) == Period.parse(2024).position
        assert 2024 + Fraction(182, 366) == Period.parse("2024-H1").position
        assert 2025 + Fraction(181, 365) == Period.parse("30/06/2025").position

    def test_periods_between(self) -> None:
        """Years, half-years and quarters between two periods, both ends included."""
        assert ["2021", "2022", "2023"] == [p.code for p in periods_between(Period.parse(2021), Period.parse(2023))]
        halves = periods_between(Period.parse("2023-H2"), Period.parse("2024-H2"))
        assert ["2023-H2", "2024-H1", "2024-H2"] == [p.code for p in halves]
        mixed = periods_between(Period.parse("2023-Q3"), Period.parse("31/03/2025"))
        assert ["2023", "2024", "2025"] == [p.code for p in mixed]

    @given(st.integers(2000, 2100), st.sampled_from(list(PeriodKind)), st.integers(1, 4))
    def test_periods_tile_the_year(self, year: int, kind: PeriodKind, number: int) -> None:
        """Each period ends the day before the next one of its kind starts."""
        if kind is PeriodKind.DAY:
            period = Period.for_date(dt.date(year, number, 28))
            assert period.start == period.end
            return
        period = {
            PeriodKind.YEAR: Period.for_year(year),
            PeriodKind.HALF_YEAR: Period.for_half(year, 1 + number % 2),
            PeriodKind.QUARTER: Period.for_quarter(year, number),
        }[kind]
        following = list(periods_between(period, Period(kind, period.end + dt.timedelta(days=1))))
        assert 2 == len(following)
        assert period.end + dt.timedelta(days=1) == following[1].start


class TestText:
    """Periods written back in Vietnamese and English."""

    @pytest.mark.parametrize(
        ("code", "vi", "en"),
        [
            ("2024", "năm 2024", "2024"),
            ("2024-H1", "6 tháng đầu năm 2024", "H1 2024"),
            ("2024-H2", "6 tháng cuối năm 2024", "H2 2024"),
            ("2024-Q3", "quý III/2024", "Q3 2024"),
            ("2024-12-31", "31/12/2024", "2024-12-31"),
        ],
    )
    def test_text(self, code: str, vi: str, en: str) -> None:
        """Each kind of period reads naturally in both languages, and reads back as itself."""
        period = Period.parse(code)
        assert (vi, en) == (period.text("vi"), period.text("en"))
        assert period == Period.parse(vi) == Period.parse(en)

    def test_repr_and_frozen(self) -> None:
        """A period has a short repr and cannot be changed."""
        period = Period.parse("quý III/2024")
        assert "<Period 2024-Q3>" == repr(period)
        assert "2024-Q3" == str(period)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            period.start = dt.date(2024, 1, 1)  # type: ignore[misc]


class TestTimeLeft:
    """How long remains to a milestone, counted to the end of its year."""

    @pytest.mark.parametrize(
        ("after", "milestone", "vi", "en"),
        [
            (dt.date(2024, 10, 31), 2025, "còn 1 năm 2 tháng", "1 year 2 months left"),
            (dt.date(2024, 12, 31), 2025, "còn 1 năm", "1 year left"),
            (dt.date(2024, 12, 31), 2030, "còn 6 năm", "6 years left"),
            (dt.date(2025, 6, 30), 2025, "còn 6 tháng", "6 months left"),
            (dt.date(2025, 12, 30), 2025, "còn 1 ngày", "1 day left"),
            (dt.date(2025, 3, 15), 2030, "còn 5 năm 9 tháng 16 ngày", "5 years 9 months 16 days left"),
            (dt.date(2025, 12, 31), 2025, "đã đến hạn", "due"),
            (dt.date(2027, 1, 1), 2025, "đã đến hạn", "due"),
        ],
    )
    def test_text(self, after: dt.date, milestone: int, vi: str, en: str) -> None:
        """The time left from the end of a day to the end of the milestone's year, in words."""
        left = TimeLeft.until(milestone, after=after)
        assert (vi, en) == (left.text("vi"), left.text("en"))
        assert (vi == "đã đến hạn") == left.due


def test_time_left_from_not_a_time() -> None:
    """pandas' NaT (a datetime whose date is NaT) is no date: an InputTypeError saying so, in each language (pandas
    raised its own TypeError comparing it with a date)."""
    pandas = pytest.importorskip("pandas")
    with pytest.raises(tdplan.InputTypeError) as caught:
        TimeLeft.until(2030, after=pandas.NaT)
    assert ("ngày phải là datetime.date, không phải NaT", "a date is a datetime.date, not NaT") == (
        caught.value.message("vi"),
        caught.value.message("en"),
    )


def test_only_ascii_digits() -> None:
    """Full-width or other scripts' digits are not read as a year (values do not read them either)."""
    with pytest.raises(tdplan.PeriodError):
        Period.parse("２０２４")


def test_kind_is_checked() -> None:
    """A period's kind is a PeriodKind, not a string."""
    with pytest.raises(tdplan.InputTypeError):
        Period("year", dt.date(2024, 1, 1))  # type: ignore[arg-type]
