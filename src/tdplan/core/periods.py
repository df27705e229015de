"""Dates and reporting periods: when a measurement was taken, read strictly.

A measurement is for a :class:`Period`: a year (``2024``), a half-year (``2024-H1``,
"6 tháng đầu năm 2024"), a quarter (``2024-Q3``, "quý III/2024") or a single day
(``31/12/2024`` as Vietnamese officers write it, or ISO ``2024-12-31``).

Dates with slashes are always day first, as in Vietnam: ``07/01/2024`` is 7 January,
and ``12/31/2024`` is an error, never a guess. A date that starts with a four-digit
year is ISO, year-month-day: ``2024-07-01`` is 1 July. dateutil's parser is not used
for reading, because it guesses; python-dateutil does the period arithmetic
(``relativedelta`` for period ends and the time left, ``rrule`` for the periods of a
span).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterator
from fractions import Fraction
from typing import TypeAlias

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule

from tdplan.core.errors import InputTypeError, PeriodError
from tdplan.core.i18n import C_, Message, ntranslate
from tdplan.core.notation import Lang

__all__ = ["Period", "PeriodKind", "PeriodLike", "TimeLeft", "parse_date"]

PeriodLike: TypeAlias = "Period | int | str | dt.date"
"""When a value was measured: a :class:`Period`, a year, a date, or a string such as ``"2024-H1"``."""


class PeriodKind(enum.Enum):
    """How long a reporting period is."""

    YEAR = "year"
    HALF_YEAR = "half_year"
    QUARTER = "quarter"
    DAY = "day"

    @property
    def months(self) -> int | None:
        """The period's length in months (12, 6, 3); None for a day."""
        return _MONTHS[self]

    def __repr__(self) -> str:
        return f"PeriodKind.{self.name}"


_KIND_NAMES = {
    PeriodKind.YEAR: Message("year"),
    PeriodKind.HALF_YEAR: Message("half-year"),
    PeriodKind.QUARTER: Message("quarter"),
    PeriodKind.DAY: Message("day"),
}
_MONTHS = {PeriodKind.YEAR: 12, PeriodKind.HALF_YEAR: 6, PeriodKind.QUARTER: 3, PeriodKind.DAY: None}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _check_kind(kind: object) -> None:
    if not isinstance(kind, PeriodKind):
        raise InputTypeError("a period's kind is a PeriodKind (PeriodKind.YEAR …), not {kind!r}", kind=kind)


def _check_start(instance: Period, attribute: attrs.Attribute[dt.date], start: dt.date) -> None:
    if type(start) is not dt.date:
        raise InputTypeError("a period starts on a datetime.date, not {start!r}", start=start)
    months = instance.kind.months
    if months is not None and (start.day != 1 or (start.month - 1) % months):
        raise PeriodError("a {kind} cannot start on {start}", kind=_KIND_NAMES[instance.kind], start=start.isoformat())


@attrs.frozen(repr=False)
class Period:
    """A reporting period: a year, a half-year, a quarter, or one day.

    >>> Period.parse("quý III/2024")
    <Period 2024-Q3>
    >>> Period.parse("31/12/2024").end, Period.parse("2024-H1").end
    (datetime.date(2024, 12, 31), datetime.date(2024, 6, 30))
    """

    kind: PeriodKind = attrs.field(validator=lambda _, __, kind: _check_kind(kind))
    start: dt.date = attrs.field(validator=_check_start)

    @classmethod
    def for_year(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(PeriodKind.YEAR, dt.date(_year(year), 1, 1))

    @classmethod
    def for_half(cls, year: int, half: int) -> Period:
        """The first (1) or second (2) six months of ``year``."""
        if type(half) is not int or half not in (1, 2):
            raise PeriodError("no half-year {half!r}: a year has H1 (January–June) and H2 (July–December)", half=half)
        return cls(PeriodKind.HALF_YEAR, dt.date(_year(year), 6 * half - 5, 1))

    @classmethod
    def for_quarter(cls, year: int, quarter: int) -> Period:
        """Quarter ``quarter`` (1–4) of ``year``."""
        if type(quarter) is not int or quarter not in (1, 2, 3, 4):
            raise PeriodError("no quarter {quarter!r}: a year has quarters 1–4 (I–IV)", quarter=quarter)
        return cls(PeriodKind.QUARTER, dt.date(_year(year), 3 * quarter - 2, 1))

    @classmethod
    def for_date(cls, date: dt.date) -> Period:
        """The single day ``date`` (a datetime counts for its date)."""
        if not isinstance(date, dt.date):
            raise InputTypeError("a date is a datetime.date, not {date!r}", date=date)
        day = date.date() if isinstance(date, dt.datetime) else date
        return cls(PeriodKind.DAY, day)

    @classmethod
    def parse(cls, value: PeriodLike) -> Period:
        """A period from a year, a date, a period, or a string in Vietnamese or English.

        Strings: ``2024``, ``năm 2024``; ``2024-H1``, ``H2/2024``, ``6 tháng đầu năm 2024``,
        ``6 tháng cuối năm 2024``, ``first half of 2024``; ``2024-Q3``, ``Q3/2024``,
        ``quý III/2024``, ``quý 3 năm 2024``; ``31/12/2024`` (day first), ``ngày 31 tháng
        12 năm 2024``, ``2024-12-31`` (ISO).

        >>> Period.parse("6 tháng đầu năm 2025")
        <Period 2025-H1>
        >>> Period.parse("12/31/2024")
        Traceback (most recent call last):
        ...
        tdplan.core.errors.PeriodError: '12/31/2024' is not a date: there is no month 31 (dates are day first: ...)
        """
        if isinstance(value, Period):
            return value
        if isinstance(value, bool):
            raise InputTypeError("{value!r} is not a year or a period", value=value)
        if isinstance(value, int):
            return cls.for_year(value)
        if isinstance(value, dt.date):
            return cls.for_date(value)
        if not isinstance(value, str):
            raise InputTypeError(
                "a period is a year (2024), a date, or a string such as '2024-H1' or '31/12/2024', not {type}",
                type=type(value).__name__,
            )
        return _parse_text(value)

    @property
    def end(self) -> dt.date:
        """The period's last day."""
        months = self.kind.months
        if months is None:
            return self.start
        return self.start + relativedelta(months=months, days=-1)

    @property
    def year(self) -> int:
        """The calendar year the period lies in."""
        return self.start.year

    @property
    def number(self) -> int | None:
        """The half-year (1, 2) or quarter (1–4) within the year; None for a year or a day."""
        months = self.kind.months
        if months is None or months == 12:
            return None
        return (self.start.month - 1) // months + 1

    @property
    def position(self) -> Fraction:
        """Where the period ends on a scale of years: the end of 2024 is 2025, the end of June 2024 2024 + 182/366.

        Growth rates measure time between the ends of periods in these exact fractional years.
        """
        return end_of_day_position(self.end)

    @property
    def code(self) -> str:
        """``2024``, ``2024-H1``, ``2024-Q3`` or ``2024-12-31``."""
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        if self.kind is PeriodKind.HALF_YEAR:
            return f"{self.year}-H{self.number}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return self.start.isoformat()

    def text(self, lang: Lang = "vi") -> str:
        """The period as people write it: ``năm 2024`` / ``2024``, ``quý III/2024`` / ``Q3 2024``, ``31/12/2024``."""
        if self.kind is PeriodKind.YEAR:
            return _A_YEAR(lang).format(year=self.year)
        if self.kind is PeriodKind.HALF_YEAR:
            return _HALVES[self.number == 1](lang).format(year=self.year)
        if self.kind is PeriodKind.QUARTER:
            assert self.number is not None
            return _A_QUARTER(lang).format(number=self.number, roman=_ROMAN_OUT[self.number], year=self.year)
        return self.start.strftime("%d/%m/%Y") if lang == "vi" else self.start.isoformat()

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"<Period {self.code}>"


def _year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputTypeError("a year is a whole number such as 2024, not {year!r}", year=year)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise PeriodError("year {year} is not a calendar year tdplan can read (1–9999)", year=year)
    return year


def end_of_day_position(day: dt.date) -> Fraction:
    """The end of ``day`` on a scale of years, exactly: ``year + (day of year) / (days in year)``."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + Fraction(day.timetuple().tm_yday, days)


# Strings, after NFC, lower-casing and collapsing spaces.
_Y = r"(?P<year>[0-9]{4})"
_YEAR = re.compile(rf"(?:năm |year )?{_Y}")
_HALF = [
    re.compile(rf"{_Y} ?-? ?h(?P<n>[0-9]+)"),
    re.compile(rf"h(?P<n>[0-9]+) ?[/ -] ?{_Y}"),
    re.compile(rf"(?:6|sáu) tháng (?P<word>đầu|cuối)(?: năm)? {_Y}"),
    re.compile(rf"(?P<word>first|second) half(?: of)? {_Y}"),
]
_QUARTER = [
    re.compile(rf"{_Y} ?-? ?q(?P<n>[0-9]+)"),
    re.compile(rf"q(?P<n>[0-9]+) ?[/ -] ?{_Y}"),
    re.compile(rf"quý (?P<n>[0-9]+|[ivx]+) ?(?:/|năm) ?{_Y}"),
]
_DAY_FIRST = re.compile(r"(?:ngày )?(?P<day>[0-9]{1,2})(?P<sep>[/.-])(?P<month>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4})")
_DAY_WORDS = re.compile(r"ngày (?P<day>[0-9]{1,2}) tháng (?P<month>[0-9]{1,2}) năm (?P<year>[0-9]{4})")
_ISO = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
_FORMS = Message(
    "a year (2024), a half-year (2024-H1, 6 tháng đầu năm 2024), a quarter (2024-Q3, quý III/2024) "
    "or a date (31/12/2024, 2024-12-31)"
)


def _parse_text(text: str) -> Period:
    cleaned = " ".join(unicodedata.normalize("NFC", text).lower().split())
    if match := _YEAR.fullmatch(cleaned):
        return Period.for_year(int(match["year"]))
    try:
        for pattern in _HALF:
            if match := pattern.fullmatch(cleaned):
                word = match.groupdict().get("word")
                half = int(match["n"]) if word is None else 1 if word in ("đầu", "first") else 2
                return Period.for_half(int(match["year"]), half)
        for pattern in _QUARTER:
            if match := pattern.fullmatch(cleaned):
                number = match["n"]
                if not number.isdigit() and number not in _ROMAN:
                    raise PeriodError("no quarter {number}: a year has quarters 1–4 (I–IV)", number=number.upper())
                return Period.for_quarter(int(match["year"]), int(number) if number.isdigit() else _ROMAN[number])
    except PeriodError as error:
        raise PeriodError("{text!r}: {error}", text=text, error=error, code=error.code) from None
    for pattern in (_DAY_FIRST, _DAY_WORDS, _ISO):
        if match := pattern.fullmatch(cleaned):
            day_first = pattern is _DAY_FIRST
            return Period.for_date(_date(text, int(match["year"]), int(match["month"]), int(match["day"]), day_first))
    raise PeriodError("{text!r} is not a period tdplan reads: write {forms}", text=text, forms=_FORMS)


def _date(text: str, year: int, month: int, day: int, day_first: bool) -> dt.date:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise PeriodError("{text!r} is not a date tdplan can read: years run from 1 to 9999", text=text)
    if not 1 <= month <= 12:
        if day_first:
            raise PeriodError(
                "{text!r} is not a date: there is no month {month} (dates are day first: dd/mm/yyyy)",
                text=text,
                month=month,
            )
        raise PeriodError("{text!r} is not a date: there is no month {month}", text=text, month=month)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise PeriodError(
            "{text!r} is not a date: month {month}/{year} has {last} days", text=text, month=month, year=year, last=last
        )
    return dt.date(year, month, day)


def parse_date(value: str | dt.date) -> dt.date:
    """A date, from a ``datetime.date`` or a string: ``31/12/2024`` (day first), ``2024-12-31``.

    >>> parse_date("01/07/2025")
    datetime.date(2025, 7, 1)
    >>> parse_date("31/02/2024")
    Traceback (most recent call last):
    ...
    tdplan.core.errors.PeriodError: '31/02/2024' is not a date: month 2/2024 has 29 days
    """
    period = Period.parse(value)
    if period.kind is not PeriodKind.DAY:
        raise PeriodError(
            "{value!r} is a {kind}, not a date: write 31/12/2024", value=value, kind=_KIND_NAMES[period.kind]
        )
    return period.start


def periods_between(first: Period, last: Period) -> Iterator[Period]:
    """Every period of ``first``'s kind from ``first`` to ``last`` (both included), by ``rrule``.

    Days are not enumerated: for them, and for ``last`` of another kind, the years are.
    """
    kind = first.kind if first.kind is last.kind and first.kind is not PeriodKind.DAY else PeriodKind.YEAR
    months = kind.months
    assert months is not None
    start = Period.parse(first.year) if kind is PeriodKind.YEAR else first
    until = dt.datetime.combine(last.start, dt.time())
    for moment in rrule(MONTHLY, interval=months, dtstart=dt.datetime.combine(start.start, dt.time()), until=until):
        yield Period(kind, moment.date())


@attrs.frozen(repr=False)
class TimeLeft:
    """How long remains until a milestone (the end of its year): years, months and days.

    >>> TimeLeft.until(2025, after=dt.date(2024, 10, 31)).text("vi")
    'còn 1 năm 2 tháng'
    >>> TimeLeft.until(2025, after=dt.date(2024, 10, 31)).text("en")
    '1 year 2 months left'
    """

    years: int
    months: int
    days: int

    @classmethod
    def until(cls, milestone: int, *, after: dt.date) -> TimeLeft:
        """The time from the end of the day ``after`` to the end of the year ``milestone``; zero once it has passed."""
        day = after.date() if isinstance(after, dt.datetime) else after  # pandas' NaT: its date is NaT, no date
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime) or type(milestone) is not int:
            raise InputTypeError("a date is a datetime.date, not {date!r}", date=after)
        after = day
        if after >= dt.date(_year(milestone), 12, 31):  # also keeps 9999-12-31 from running past the calendar
            return cls(0, 0, 0)
        start, deadline = after + dt.timedelta(days=1), dt.date(milestone + 1, 1, 1)
        if start >= deadline:
            return cls(0, 0, 0)
        delta = relativedelta(deadline, start)
        return cls(delta.years, delta.months, delta.days)

    @property
    def due(self) -> bool:
        """Whether no time is left."""
        return (self.years, self.months, self.days) == (0, 0, 0)

    def text(self, lang: Lang = "vi") -> str:
        """``còn 1 năm 2 tháng`` / ``1 year 2 months left``; ``đã đến hạn`` / ``due`` when none is left."""
        if self.due:
            return _DUE(lang)
        parts = [
            ntranslate("{n} year", "{n} years", self.years, lang).format(n=self.years) if self.years else "",
            ntranslate("{n} month", "{n} months", self.months, lang).format(n=self.months) if self.months else "",
            ntranslate("{n} day", "{n} days", self.days, lang).format(n=self.days) if self.days else "",
        ]
        return _LEFT(lang).format(time=" ".join(part for part in parts if part))

    def __repr__(self) -> str:
        return f"<TimeLeft {self.text('en')}>"


_DUE = C_("time left", "due")
_LEFT = C_("time left", "{time} left")
_A_YEAR = C_("a period", "{year}")
_HALVES = {True: C_("a period", "H1 {year}"), False: C_("a period", "H2 {year}")}
# Translators: {number} is the quarter as 1 to 4, {roman} the same as I to IV.
_A_QUARTER = C_("a period", "Q{number} {year}")
