"""Assessing one measured value against an indicator's target, exactly.

The rules (``GLOSSARY.md``):

1. The year must lie in the plan's period.
2. Where an indicator's targets are split by a disaggregation (indicator 8 by
   ``residence``, 20 by ``age``), the caller names one group; elsewhere none.
3. The target applied is the continuous one, or the one of the year's milestone, or
   of the next milestone (the year is before it: ``AHEAD`` or ``PENDING``), or the
   last milestone's, which keeps holding after it.
4. The value is converted to the target's unit by shifting its decimal point, so the
   verdict does not depend on the unit it was written in.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeAlias

from tdplan.core.errors import (
    AmbiguousValueError,
    DisaggregationError,
    Hint,
    InputTypeError,
    InvalidValueError,
    SeriesRequiredError,
    UnitError,
    YearError,
)
from tdplan.core.model import Assessment, Disaggregation, Target
from tdplan.core.notation import MAX_DIGITS, check_digits, format_value, parse_value
from tdplan.core.units import (
    EXACT,
    Unit,
    convert,
    convert_fraction,
    fraction_to_decimal,
    parse_unit,
    shift,
    terminating,
    tidy,
)
from tdplan.core.values import is_time
from tdplan.core.vocabulary import Status, TargetKind, Text

if TYPE_CHECKING:
    from tdplan.core.model import Indicator, Plan

__all__ = [
    "STATUSES",
    "Disaggregated",
    "ValueLike",
    "applicable_target",
    "assess",
    "assess_rate",
    "check_year",
    "groups_for",
    "measured_value",
    "target_for_year",
    "targets_for",
    "verdict",
]

ValueLike: TypeAlias = "int | float | Decimal | str | Any"
"""A measured value: a number, a string such as ``"16,5‰"``, or a pint quantity."""

Disaggregated: TypeAlias = "Mapping[str, str] | None"
"""The group of a disaggregated indicator, ``{"residence": "rural"}``; None where there is none."""


def assess(
    plan: Plan,
    indicator_id: str,
    value: ValueLike,
    unit: str | Unit | None = None,
    *,
    year: int,
    disaggregation: Disaggregated = None,
) -> Assessment:
    """Assess ``value`` for ``indicator_id`` in ``year``; see the module's rules."""
    indicator, target, due = applicable_target(plan, indicator_id, year, disaggregation)
    return verdict(indicator, target, due, year, measured_value(value, unit, target.unit))


def assess_rate(
    plan: Plan,
    indicator_id: str,
    rate: Fraction,
    unit: Unit,
    *,
    year: int,
    disaggregation: Disaggregated = None,
) -> Assessment:
    """Assess an exact rational ``rate`` in ``unit`` (a district rate from commune counts, 1/3 %).

    The verdict is exact whatever the rate's decimal expansion (``Decimal`` compares
    with ``Fraction`` exactly); the assessment's ``value`` and ``margin`` are rounded to
    34 significant digits only when the rate does not terminate.
    """
    indicator, target, due = applicable_target(plan, indicator_id, year, disaggregation)
    return verdict(indicator, target, due, year, convert_fraction(rate, unit, target.unit))


def applicable_target(
    plan: Plan, indicator_id: str, year: int, disaggregation: Disaggregated
) -> tuple[Indicator, Target, bool]:
    """The indicator, the target that applies in ``year`` for the group, and whether it is due then.

    Valid combinations are remembered in the plan, so a repeated check costs one dict lookup;
    the types are checked before the lookup, so that nothing invalid can match a stored key.
    """
    if type(indicator_id) is str and type(year) is int and (disaggregation is None or type(disaggregation) is dict):
        try:
            key = (indicator_id, year, tuple(sorted(disaggregation.items())) if disaggregation else None)
            found: tuple[Indicator, Target, bool] | None = plan._applicable.get(key)
        except (TypeError, ValueError, ArithmeticError):  # keys that do not sort, groups that do not hash:
            # let the checks below say what is wrong
            return _applicable_target(plan, indicator_id, year, disaggregation)
        if found is None:
            found = plan._remember_target(key, lambda: _applicable_target(plan, indicator_id, year, disaggregation))
        return found
    return _applicable_target(plan, indicator_id, year, disaggregation)


def _applicable_target(
    plan: Plan, indicator_id: str, year: int, disaggregation: Disaggregated
) -> tuple[Indicator, Target, bool]:
    indicator = plan.indicator(indicator_id)
    check_year(plan, year)
    targets = targets_for(indicator, groups_for(plan, indicator, disaggregation))
    if targets[0].kind is TargetKind.ANNUAL_FALL:
        raise SeriesRequiredError(
            "indicator {indicator} is a rate-of-change target ({target}): "
            "it is assessed from a series of yearly counts {how}, not from one value",
            indicator=indicator.id,
            target=Text(targets[0].describe("vi"), targets[0].describe("en")),
            how=Hint("series"),
        )
    target, due = target_for_year(targets, year)
    return indicator, target, due


def verdict(indicator: Indicator, target: Target, due: bool, year: int, number: Decimal | Fraction) -> Assessment:
    """The assessment of ``number`` (in the target's unit) against ``target``, decided exactly."""
    exact = isinstance(number, Decimal) or terminating(number) is not None
    value = number if isinstance(number, Decimal) else fraction_to_decimal(number)
    return Assessment(
        indicator=indicator,
        target=target,
        value=value,
        year=year,
        status=STATUSES[due, target.comparator.holds(number, target.threshold)],
        margin=target.margin(value),
        exact=exact,
    )


STATUSES = {
    (True, True): Status.MET,
    (True, False): Status.NOT_MET,
    (False, True): Status.AHEAD,
    (False, False): Status.PENDING,
}
"""Status by (the target is due that year, the value meets it)."""


def check_year(plan: Plan, year: object) -> None:
    """``year`` is a whole number in the plan's period, or an error says so."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputTypeError("a year is a whole number such as 2025, not {year!r}", year=year)
    if not plan.start_year <= year <= plan.end_year:
        raise YearError(
            "year {year} is outside the plan's period {start_year}–{end_year}",
            year=year,
            start_year=plan.start_year,
            end_year=plan.end_year,
        )


def groups_for(plan: Plan, indicator: Indicator, disaggregation: Disaggregated) -> Disaggregated:
    """The indicator's own group (with its labels) for groups named by code, label or alias, in either language.

    Dimensions and groups the plan declares are matched without case, accents, spaces
    or dash variants (``{"khu vực": "Nong thon"}`` is ``{"residence": "rural"}``); a
    group the dimension does not have is a :class:`~tdplan.DisaggregationError` that
    lists the valid ones. Anything else is left for :func:`targets_for` to judge.

    >>> import tdplan
    >>> plan = tdplan.load_plan()
    >>> groups_for(plan, plan.indicator("20"), {"age": "2 - 3 tuổi"})
    {'age': '2-3'}
    """
    if not isinstance(disaggregation, Mapping) or not plan.dimensions:
        return disaggregation
    codes: dict[str, str] = {}
    for name, group in disaggregation.items():
        dimension = plan.get_dimension(name)
        if dimension is None:
            codes[name] = group
        else:
            codes[dimension.id] = dimension.group(group).id
    wanted = Disaggregation(codes)
    return next((own for own in indicator.disaggregations if own == wanted), wanted)


def targets_for(indicator: Indicator, disaggregation: Disaggregated) -> list[Target]:
    """The indicator's targets for one disaggregation group, continuous or by milestone."""
    groups = indicator.disaggregations
    if disaggregation is not None and not isinstance(disaggregation, Mapping):
        raise InputTypeError(
            "a disaggregation is a mapping such as {{'residence': 'rural'}}, not {disaggregation!r}",
            disaggregation=disaggregation,
        )
    wanted = Disaggregation(disaggregation)
    if wanted not in groups:
        given = Hint("groups", (dict(wanted),))
        if groups == (Disaggregation(),):
            raise DisaggregationError(
                "indicator {indicator} has no disaggregation; got {given}", indicator=indicator.id, given=given
            )
        valid = tuple(groups)  # the plan's own groups, with their labels for the command line and tables
        if not wanted:
            raise DisaggregationError(
                "indicator {indicator} has targets by group: give {valid}",
                indicator=indicator.id,
                valid=Hint("disaggregation", valid),
                code="disaggregation_required",
            )
        raise DisaggregationError(
            "indicator {indicator} has no group {given}: valid groups are {valid}",
            indicator=indicator.id,
            given=given,
            valid=Hint("groups", valid),
        )
    return [target for target in indicator.targets if target.disaggregation == wanted]


def target_for_year(targets: list[Target], year: int) -> tuple[Target, bool]:
    """The target that applies in ``year``, and whether it is due then."""
    for target in targets:
        if target.year is None:
            return target, True
    milestones = sorted(targets, key=lambda target: target.year or 0)
    for target in milestones:
        assert target.year is not None
        if year <= target.year:
            return target, year == target.year
    return milestones[-1], True


def _quantity_parts(value: Any) -> tuple[Decimal, int | Unit]:
    """Magnitude and unit of a pint quantity from any registry, exactly.

    %, ‰ and per 100,000 are tdplan's own units. Any other dimensionless unit (ppm,
    cm/m, minute/hour) is converted to a pure number by the exact product of its units'
    factors, each taken at its shortest decimal repr as a fraction: 99.9 cm/m is exactly
    99.9 %, and 60 minute/hour exactly 100 %, never 99.99999999999999 %. A rate whose
    decimal expansion does not end is rounded to 34 significant digits.
    """
    key = (type(value), getattr(value, "_units", None))  # each registry has its own Quantity class
    known = _PINT_UNITS.get(key)
    if known is not None:
        return _number(value.magnitude), known
    try:
        units = value.units
        magnitude = value.magnitude
        unit = parse_unit(str(units))  # writing pint's units costs 5 µs: remembered below
        if key[1] is not None and len(_PINT_UNITS) < 256:
            _PINT_UNITS[key] = unit
    except UnitError:
        pass
    except Exception:
        raise InputTypeError("{value} is not a pint quantity tdplan can read", value=type(value).__name__) from None
    else:
        return _number(magnitude), unit
    number = _number(magnitude)
    if not number.is_finite():
        raise InvalidValueError("{value} is not a finite number", value=_short(value))
    check_digits(number, _short(value))
    return _number_of(_exact_dimensionless(value) * Fraction(number)), 0


_PINT_UNITS: dict[tuple[type, Any], Unit] = {}
"""tdplan's unit for each pint unit already read as one, by Quantity class and pint's unit container."""


def _exact_dimensionless(value: Any) -> Fraction:
    """The factor of a dimensionless quantity's units to a pure number, exactly; UnitError if it has a dimension."""
    registry = value._REGISTRY
    factor = Fraction(1)
    try:
        dimensioned = bool(registry.get_dimensionality(value.units))
        for name, power in value.unit_items():
            if power != int(power):
                raise ValueError(power)  # a root of a factor has no exact fraction
            factor *= _fraction(registry.get_base_units(name)[0]) ** int(power)
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError):
        dimensioned = True
    if dimensioned:
        raise UnitError(
            "{value} is not a share of a population: tdplan reads percent (%), per mille (‰) or per 100,000",
            value=_short(value),
        )
    return factor


def _fraction(number: object) -> Fraction:
    """A unit's factor as pint gives it (int, float, Decimal, Fraction) as a fraction, a float at its shortest repr."""
    if isinstance(number, float):
        return Fraction(Decimal(repr(number)))
    if isinstance(number, int | Decimal | Fraction):
        return Fraction(number)
    return Fraction(str(number))


def _number_of(value: Fraction) -> Decimal:
    exact = terminating(value)
    return exact if exact is not None else fraction_to_decimal(value)


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or is_time(value):
        raise InputTypeError("{value!r} is not a measured value: give a number", value=value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(float(value)))  # NumPy's float64 is a float whose repr is 'np.float64(…)'
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    if isinstance(value, numbers.Real) and type(value).__module__ == "numpy":
        return Decimal(str(value))  # float16/32: str is the shortest repr at their own precision
    raise InputTypeError(
        "a value is a number (int, float, Decimal), a string such as '16,5‰' or a pint quantity, not {type}",
        type=type(value).__name__,
    )


def _only_possible_reading(
    error: AmbiguousValueError, given: Unit | None, target_unit: Unit
) -> tuple[Decimal, Unit | None]:
    """The one reading of an ambiguous string that is a possible share, or the error again.

    ``"1,799%"`` is 1.799 % in Vietnamese notation and 1799 % in English: only the
    first is a share of a population, so it is not a guess. ``"1.000"`` per 100,000
    is possible both ways, and stays an error.
    """
    unit = error.unit or given or target_unit
    whole = unit.whole
    possible = [number for number in error.readings.values() if whole is not None and 0 <= number <= whole]
    if len(possible) != 1:
        raise error
    return possible[0], error.unit


def _short(value: object) -> str:
    """A value for an error message as a person wrote it, cut short: a number plainly (101, not Decimal('101')),
    a date as a date, a text in quotes; a 5,000-digit int has no text at all."""
    try:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = repr(value)
    except ValueError:
        return "a number too long to show"
    return text if len(text) <= 60 else text[:59] + "…"


def _is_quantity(value: object) -> bool:
    """A pint quantity (of any registry), told by its class: asking the instance for ``dimensionless`` converts it."""
    kind = type(value)
    return hasattr(kind, "units") and hasattr(kind, "magnitude") and hasattr(kind, "dimensionless")


_UNITS: dict[str, Unit] = {}
"""Units as callers spell them (``"%"``), read once: a check with a unit need not read it again."""


def _shifted(value: int | float, given: Unit, target_unit: Unit) -> Decimal | None:
    """A plain int or float in ratio unit ``given``, in ``target_unit``: what the general path gives, or None for it.

    Only a finite, non-negative number within the whole population and of an ordinary
    size is shifted here; anything else (and every error message) is the general path's.
    """
    fast = _POWERS.get((given, target_unit))
    if fast is None:
        return None
    power, whole = fast
    number = Decimal(value if type(value) is int else repr(value))
    if not number.is_finite() or number.is_signed() or number > whole or number.adjusted() < -MAX_DIGITS:
        return None
    return tidy(EXACT.scaleb(number, power)) if power else number  # as units.shift does


_POWERS: dict[tuple[Unit, Unit], tuple[int, Decimal]] = {
    (given, target): (given.exponent - target.exponent, given.whole)
    for given in Unit
    for target in Unit
    if given.exponent is not None and target.exponent is not None and given.whole is not None
}
"""(ratio unit given, ratio unit of the target): the power of ten between them, and the given unit's whole."""


def measured_value(value: ValueLike, unit: str | Unit | None, target_unit: Unit) -> Decimal:
    """``value`` as an exact ``Decimal`` in ``target_unit``, checked for range.

    >>> measured_value("1,8%", None, Unit.PER_MILLE)
    Decimal('18')
    >>> measured_value(0.1, "%", Unit.PERCENT)
    Decimal('0.1')
    """
    kind = type(value)
    if unit is None and (kind is int or kind is float):  # the common case, checked quickly
        number = Decimal(value if kind is int else repr(value))
        whole = target_unit.whole
        if number.is_finite() and not number.is_signed() and (whole is None or number <= whole):
            return number
    given = None if unit is None else _UNITS.get(unit) if type(unit) is str else None
    if given is None and unit is not None:
        given = parse_unit(unit)
        if type(unit) is str and len(_UNITS) < 256:
            _UNITS[unit] = given
    if given is not None and (kind is int or kind is float):  # a number and its unit: the decimal point shifted
        fast = _shifted(value, given, target_unit)  # type: ignore[arg-type]  # an int or a float, checked above
        if fast is not None:
            return fast
    source: int | Unit | None = given
    if isinstance(value, str):
        try:
            number, written = parse_value(value)
        except AmbiguousValueError as error:
            number, written = _only_possible_reading(error, given, target_unit)
        if written is not None and given is not None and written is not given:
            raise UnitError(
                "{value!r} is in {written} but {given} was given",
                value=value,
                written=written.label,
                given=Hint("unit", (unit if isinstance(unit, str) else given.value,)),  # as the caller wrote it
            )
        source = written or given
    elif _is_quantity(value):
        if given is not None:
            raise InputTypeError("a pint quantity carries its own unit: do not pass unit as well")
        number, source = _quantity_parts(value)
    else:
        number = _number(value)
    if not number.is_finite():
        raise InvalidValueError("{value} is not a finite number", value=_short(value))
    check_digits(number, _short(value))
    if number < 0:
        raise InvalidValueError("{value} is negative: a rate or a share cannot be", value=_short(value))
    if number.is_zero():
        number = number.copy_abs()  # -0 is 0, and is not written "-0‰"
    if source is None or source is target_unit:
        converted = number
    elif isinstance(source, Unit):
        converted = convert(number, source, target_unit)
    else:
        converted = shift(number, source, target_unit)
    whole = target_unit.whole
    if whole is not None and converted > whole:
        raise InvalidValueError(
            "{value} is more than the whole population ({whole}): a share cannot exceed 100 %",
            value=_short(value),
            whole=Text(format_value(whole, target_unit, "vi"), format_value(whole, target_unit, "en")),
        )
    return converted
