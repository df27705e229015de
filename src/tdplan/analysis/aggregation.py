"""District figures from commune counts: sum the numerators, sum the denominators, then divide.

A district rate is not the mean of commune rates: a commune with 40 live births and one
with 400 do not weigh the same. Each area gives its counts (deaths and live births,
vaccinated and eligible children, communes meeting a standard and all communes), and
the district figure is ``Σ numerators / Σ denominators`` in the indicator's unit.

The rate is kept as an exact :class:`~fractions.Fraction`, so the verdict against a
threshold is exact even when the rate has no finite decimal expansion (1 / 3 %); its
decimal ``value`` is exact when it terminates, and otherwise rounded to 34 significant
digits (only for display and margins: never for the verdict).
"""

from __future__ import annotations

import decimal
import numbers
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from tdplan.analysis.assessment import assess_rate
from tdplan.core.errors import AggregationError, AmbiguousValueError, InputTypeError, InvalidValueError, ValueParseError
from tdplan.core.i18n import Message
from tdplan.core.model import Assessment
from tdplan.core.notation import MAX_DIGITS, Lang, format_number, format_value, parse_value
from tdplan.core.units import PRECISION, Unit, fraction_to_decimal, terminating
from tdplan.core.values import is_time

if TYPE_CHECKING:
    from tdplan.analysis.assessment import Disaggregated
    from tdplan.core.model import Indicator, Plan
    from tdplan.core.vocabulary import Text

__all__ = ["Aggregate", "Counts", "CountsLike", "aggregate"]

CountLike: TypeAlias = "int | Decimal | str"
"""A whole number: an int, an integral Decimal, or a string such as ``"1.234"`` (one thousand two hundred …)."""

CountsLike: TypeAlias = "Counts | tuple[CountLike, CountLike] | CountLike"
"""An area's counts: ``(numerator, denominator)`` or :class:`Counts`; a single number for a count indicator (18)."""

_ROUNDED = decimal.Context(prec=PRECISION, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])


@attrs.frozen(repr=False)
class Counts:
    """One area's counts: ``numerator`` out of ``denominator`` (deaths, live births); None for a count (18)."""

    numerator: int
    denominator: int | None = None

    def __repr__(self) -> str:
        if self.denominator is None:
            return f"Counts({self.numerator})"
        return f"Counts({self.numerator}, {self.denominator})"


@attrs.frozen(repr=False)
class Aggregate:
    """A figure for several areas together: the sums of their counts, and the rate they make.

    ``rate`` is exact; ``value`` is the rate as a Decimal (rounded to 34 digits only when
    it does not terminate, see ``exact``).
    """

    indicator: Indicator
    areas: tuple[tuple[str, Counts], ...]
    numerator: int
    denominator: int | None
    plan: Plan = attrs.field(eq=False, repr=False)

    @property
    def unit(self) -> Unit:
        """The indicator's unit, in which ``rate`` and ``value`` are expressed."""
        return self.indicator.unit

    @property
    def rate(self) -> Fraction:
        """The exact figure in the indicator's unit: ``numerator / denominator × whole`` (or the summed count)."""
        if self.denominator is None:
            return Fraction(self.numerator)
        whole = self.unit.whole
        assert whole is not None
        return Fraction(self.numerator, self.denominator) * Fraction(whole)

    @property
    def exact(self) -> bool:
        """Whether ``value`` is the rate exactly (its decimal expansion terminates)."""
        return terminating(self.rate) is not None

    @property
    def value(self) -> Decimal:
        """The rate as a Decimal: exact when it terminates, else rounded to 34 significant digits."""
        return fraction_to_decimal(self.rate)

    def assess(self, year: int, *, disaggregation: Disaggregated = None) -> Assessment:
        """The verdict on this figure for ``year``, as :meth:`tdplan.Plan.assess` gives, decided on the exact rate.

        >>> import tdplan
        >>> plan = tdplan.load_plan()
        >>> aggregate(plan, "3", {"A": (1, 300), "B": (5, 300)}).assess(2025).status   # 10‰
        Status.MET
        """
        return assess_rate(self.plan, self.indicator.id, self.rate, self.unit, year=year, disaggregation=disaggregation)

    def explain(self, lang: Lang = "vi") -> str:
        """``Bản Bo, Bình Lư: 18 / 1.000 = 18‰`` (with ``≈`` when the figure is rounded for display)."""
        names = ", ".join(area for area, _ in self.areas)
        value = _display(self.rate, self.unit, lang)
        if self.denominator is None:
            parts = " + ".join(format_number(Decimal(counts.numerator), lang) for _, counts in self.areas)
            return f"{names}: {parts} = {value}"
        num, den = (format_number(Decimal(n), lang) for n in (self.numerator, self.denominator))
        return f"{names}: {num} / {den} = {value}"

    def __repr__(self) -> str:
        return f"<Aggregate {self.indicator.id}: {self.explain('en')}>"


def aggregate(
    plan: Plan,
    indicator: str,
    counts: Mapping[str, CountsLike] | Iterable[tuple[str, CountsLike]],
) -> Aggregate:
    """The figure for all the areas together, from each area's counts.

    ``counts`` maps an area's name to ``(numerator, denominator)`` (or gives
    ``(area, counts)`` pairs); for a count indicator (18) to one number. Area names
    are compared ignoring case, spacing and Unicode form.

    >>> import tdplan
    >>> plan = tdplan.load_plan()
    >>> a = aggregate(plan, "3", {"Bản Bo": (4, 250), "Khun Há": (14, 750)})
    >>> a.numerator, a.denominator, a.value
    (18, 1000, Decimal('18'))
    >>> a.assess(2025).status        # 18‰ is not below 18‰
    Status.NOT_MET
    """
    ind = plan.indicator(indicator)
    given = pairs(
        counts,
        Message(
            "counts are a mapping of areas to (numerator, denominator), such as {'Bản Bo': (4, 250)}, "
            "or (area, counts) pairs"
        ),
        Message("an (area, counts) pair"),
    )
    if not given:
        raise AggregationError(
            "no areas to aggregate for indicator {indicator}: give each area's counts", indicator=ind.id
        )
    named = [(_area_name(area), area, entry) for area, entry in given]
    seen: dict[str, str] = {}
    for name, area, _ in named:
        if name.casefold() in seen:
            raise AggregationError(
                "area {area!r} is given twice (as {seen!r} and {area!r}): count each area once",
                area=area,
                seen=seen[name.casefold()],
            )
        seen[name.casefold()] = area
    rates = [area for _, area, entry in named if _is_rate(entry, ind.unit)]
    if rates:
        raise _rate_error(ind, rates, len(named))
    areas = [(name, _counts(ind, name, entry)) for name, _, entry in named]
    numerator = sum(counts.numerator for _, counts in areas)
    denominator = None if ind.unit is Unit.COUNT else sum(counts.denominator or 0 for _, counts in areas)
    return Aggregate(indicator=ind, areas=tuple(areas), numerator=numerator, denominator=denominator, plan=plan)


def _display(rate: Fraction, unit: Unit, lang: Lang) -> str:
    """The rate for reading: every digit when it terminates in at most 4 places, else ``≈`` and 2 places."""
    exact = terminating(rate)
    if exact is not None and -exact.as_tuple().exponent <= 4:  # type: ignore[operator]
        return format_value(exact, unit, lang)
    shown = fraction_to_decimal(rate).quantize(Decimal("0.01"), context=_ROUNDED)
    return "≈ " + format_value(shown, unit, lang)


def pairs(value: object, expected: Message, pair: Message) -> list[tuple[Any, Any]]:
    """The items of a mapping, or the 2-tuples of an iterable; ``InputTypeError`` naming ``expected`` otherwise."""
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InputTypeError("{expected}; not {type}", expected=expected, type=type(value).__name__)
    try:
        items = list(value)
    except TypeError:  # an object that says it is iterable and is not (a pint quantity of one number)
        raise InputTypeError("{expected}; not {type}", expected=expected, type=type(value).__name__) from None
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2:
            raise InputTypeError("each item is {pair}, not {item!r}", pair=pair, item=item)
    return items


def _area_name(area: object) -> str:
    if not isinstance(area, str):
        raise InputTypeError("an area is named by a string such as 'Bản Bo', not {area!r}", area=area)
    name = " ".join(unicodedata.normalize("NFC", area).split())
    if not name:
        raise AggregationError("an area has an empty name: name every area")
    return name


def _is_rate(given: object, unit: Unit) -> bool:
    """Whether an area's entry is a rate: a value with a ratio unit, or a lone number for a ratio indicator."""
    if isinstance(given, Counts | tuple):
        return False
    if unit is not Unit.COUNT:
        return True
    if isinstance(given, str):
        try:
            _, written = parse_value(given)
        except ValueParseError:
            return False  # not a number at all: reported when the count is read
        return written is not None and written.is_ratio
    return hasattr(given, "units")


def _rate_error(indicator: Indicator, rates: list[Any], total: int) -> AggregationError:
    which = ", ".join(repr(area) for area in rates)
    if indicator.unit is Unit.COUNT:
        return AggregationError(
            "indicator {indicator} is a count: give each area one whole number, not a rate ({which})",
            indicator=indicator.id,
            which=which,
        )
    if len(rates) < total:
        return AggregationError(
            "indicator {indicator} mixes rates with counts ({which}): a district rate is not the mean of "
            "commune rates; give each area ({measure}, {population}) as whole numbers",
            indicator=indicator.id,
            which=which,
            measure=_measure(indicator),
            population=_population(indicator),
        )
    return AggregationError(
        "indicator {indicator} gives rates ({which}): a district rate is not the mean of commune rates; "
        "give each area ({measure}, {population}) as whole numbers",
        indicator=indicator.id,
        which=which,
        measure=_measure(indicator),
        population=_population(indicator),
    )


def _measure(indicator: Indicator) -> Text | Message:
    return indicator.measure if indicator.measure is not None else Message("numerator")


def _population(indicator: Indicator) -> Text | Message:
    return indicator.population if indicator.population is not None else Message("denominator")


def _counts(indicator: Indicator, area: str, given: Any) -> Counts:
    if indicator.unit is Unit.COUNT:
        if isinstance(given, Counts | tuple):
            if isinstance(given, Counts) and given.denominator is None:
                return Counts(_whole(area, given.numerator))
            raise AggregationError(
                "{area}: indicator {indicator} is a count: give one number, not {given!r}",
                area=area,
                indicator=indicator.id,
                given=given,
            )
        return Counts(_whole(area, given))
    numerator, denominator = (given.numerator, given.denominator) if isinstance(given, Counts) else _two(area, given)
    if denominator is None:
        raise AggregationError(
            "{area}: {given!r} has no denominator ({population})",
            area=area,
            given=given,
            population=_population(indicator),
        )
    num, den = _whole(area, numerator), _whole(area, denominator)
    if den == 0:
        raise AggregationError(
            "{area}: the denominator ({population}) is 0, so the area has no rate; "
            "leave the area out if it truly has none",
            area=area,
            population=_population(indicator),
        )
    if num > den:
        raise InvalidValueError(
            "{area}: {num} {measure} out of {den} {population} is more than the whole population",
            area=area,
            num=num,
            measure=_measure(indicator),
            den=den,
            population=_population(indicator),
        )
    return Counts(num, den)


def _two(area: str, given: tuple[Any, ...]) -> tuple[Any, Any]:
    if len(given) != 2:
        raise AggregationError("{area}: give (numerator, denominator), not {given!r}", area=area, given=given)
    return given[0], given[1]


def _whole(area: str, value: object) -> int:
    """A count: a non-negative whole number, from an int, an integral Decimal or float, or a string."""
    if isinstance(value, bool) or is_time(value):
        raise InputTypeError("{area}: {value!r} is not a count", area=area, value=value)
    if isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(float(value)))  # NumPy's float64 has the repr 'np.float64(…)'
    elif isinstance(value, str):
        number = _parse_count(area, value)
    else:
        raise InputTypeError("{area}: a count is a whole number, not {type}", area=area, type=type(value).__name__)
    if not number.is_finite() or number < 0 or number.adjusted() > MAX_DIGITS or number != number.to_integral_value():
        raise InvalidValueError(
            "{area}: {value!r} is not a count: counts are whole numbers, 0 or more", area=area, value=value
        )
    return int(number)


def _parse_count(area: str, text: str) -> Decimal:
    """A count in Vietnamese or English notation (``"1.234"``, ``"12 cuộc"``); of two readings, the whole one."""
    try:
        number, unit = parse_value(text)
    except AmbiguousValueError as error:
        whole = [n for n in error.readings.values() if n == n.to_integral_value()]
        if len(whole) == 1:
            return whole[0]
        raise AmbiguousValueError("{area}: {error}", error.readings, area=area, error=error) from None
    except ValueParseError as error:
        raise ValueParseError("{area}: {error}", area=area, error=error, code=error.code) from None
    if unit is not None and unit.is_ratio:
        raise AggregationError(
            "{area}: {text!r} is a rate, not a count: give the number counted ({unit} was written)",
            area=area,
            text=text,
            unit=unit.label,
        )
    return number
