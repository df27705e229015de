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

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from tdplan.analysis.quantities import (
    PINT_LAST,
    PINT_SOURCES,
    SMALLEST,
    as_decimal,
    checked_digits,
    is_quantity,
    read_quantity,
    remember_quantity,
    shown,
)
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
from tdplan.core.notation import MAX_DIGITS, format_value, parse_value
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
    """Assess ``value`` for ``indicator_id`` in ``year``; see the module's rules.

    A check is called as officers type figures, so the common cases cost little more
    than a dict lookup, a ``Decimal`` and the result: the target that applies is
    remembered with all the verdict needs (``_Applies``), and a plain int or float
    in range, a number with a ratio unit already read, or a pint quantity in a unit
    already read, becomes its ``Decimal`` here; everything else, and every error, goes
    through :func:`measured_value`.
    """
    applies = None
    if disaggregation is None and type(indicator_id) is str and type(year) is int:
        try:  # noqa: SIM105 - faster than the view's .get, and than contextlib.suppress
            applies = plan._applicable[indicator_id, year, None]
        except KeyError:
            pass
    if applies is None:
        applies = _applies(plan, indicator_id, year, disaggregation)
    indicator, target, _, compare, threshold, rising, met, not_met, target_unit, exponent, top = applies
    given: Any = value  # told apart by its exact type below
    kind = type(given)
    number: Decimal | None = None
    source: tuple[int, int] | None = None  # the power of ten and the whole of the unit ``given`` is in
    if unit is None:
        if kind is float:
            if SMALLEST <= given <= top:  # NaN, infinities, zeros, negatives, tiny and too large: the general way
                number = Decimal(repr(given))
        elif kind is int:
            if 0 <= given <= top:
                number = Decimal(given)
        elif top > 0 and (last := PINT_LAST.get(kind)) is not None:
            # A pint quantity in a ratio unit read before. pint gives every quantity of a unit
            # spelt alike the same unit container, so the last one is recognised by identity.
            units = given._units
            source = last[1] if units is last[0] else PINT_SOURCES.get((kind, units))
            if source is not None:
                given = given.magnitude
                kind = type(given)
    elif top > 0 and type(unit) is str and (kind is float or kind is int):
        source = _UNIT_SOURCES.get(unit)  # a number with a ratio unit already read as the caller spells it
    # A number in range in a ratio unit: what the general path gives, without its checks, which it passes.
    if source is not None and (
        (kind is float and SMALLEST <= given <= source[1]) or (kind is int and 0 <= given <= source[1])
    ):
        number = Decimal(repr(given) if kind is float else given)
        if source[0] != exponent:
            number = tidy(EXACT.scaleb(number, source[0] - exponent))  # as units.shift does
    if number is None:
        number = measured_value(value, unit, target_unit)
    return Assessment(  # by position, and the fields in the order attrs sets them: faster
        indicator,
        target,
        number,
        year,
        met if compare(number, threshold) else not_met,
        _SUBTRACT(number, threshold) if rising else _SUBTRACT(threshold, number),
        True,
    )


_SUBTRACT = EXACT.subtract


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
    """The indicator, the target that applies in ``year`` for the group, and whether it is due then."""
    indicator, target, due, *_ = _applies(plan, indicator_id, year, disaggregation)
    return indicator, target, due


class _Applies(NamedTuple):
    """The target that applies to one (indicator, year, group), with what deciding a value against it needs."""

    indicator: Indicator
    target: Target
    due: bool
    compare: Callable[[Decimal | Fraction, Decimal], bool]
    """The target's comparison, ``operator.lt`` for ``<``."""
    threshold: Decimal
    rising: bool
    """Whether the margin is the value less the threshold (``≥``, ``>``), not the other way."""
    met: Status
    """The status of a value on the good side: ``MET``, or ``AHEAD`` before the milestone."""
    not_met: Status
    unit: Unit
    exponent: int
    """The target's unit as a power of ten of the whole population (-3 for ‰); 0 for a count."""
    top: int
    """The whole population in the target's unit (1000 for ‰); -1 for a count, which has none."""


def _applies(plan: Plan, indicator_id: str, year: int, disaggregation: Disaggregated) -> _Applies:
    """What applies to (indicator, year, group), remembered in the plan so that a repeated check costs one lookup.

    The types are checked before the lookup, so that nothing invalid can match a stored key.
    """
    if type(indicator_id) is str and type(year) is int and (disaggregation is None or type(disaggregation) is dict):
        try:
            key = (indicator_id, year, tuple(sorted(disaggregation.items())) if disaggregation else None)
            found: _Applies | None = plan._applicable.get(key)
        except (TypeError, ValueError, ArithmeticError):  # keys that do not sort, groups that do not hash:
            # let the checks below say what is wrong
            return _applicable_target(plan, indicator_id, year, disaggregation)
        if found is None:
            found = plan._remember_target(key, lambda: _applicable_target(plan, indicator_id, year, disaggregation))
        return found
    return _applicable_target(plan, indicator_id, year, disaggregation)


def _applicable_target(plan: Plan, indicator_id: str, year: int, disaggregation: Disaggregated) -> _Applies:
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
    comparator, whole = target.comparator, target.unit.whole
    return _Applies(
        indicator,
        target,
        due,
        comparator.function,
        target.threshold,
        comparator.higher_is_better,
        STATUSES[due, True],
        STATUSES[due, False],
        target.unit,
        target.unit.exponent or 0,
        -1 if whole is None else int(whole),
    )


def verdict(indicator: Indicator, target: Target, due: bool, year: int, number: Decimal | Fraction) -> Assessment:
    """The assessment of ``number`` (in the target's unit) against ``target``, decided exactly."""
    exact = isinstance(number, Decimal) or terminating(number) is not None
    value = number if isinstance(number, Decimal) else fraction_to_decimal(number)
    status = STATUSES[due, target.comparator.holds(number, target.threshold)]
    return Assessment(indicator, target, value, year, status, target.margin(value), exact)  # by position: faster


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
    wanted = Disaggregation(codes).labelled({dimension.id: dimension for dimension in plan.dimensions})
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
        given = Hint("groups", (disaggregation if isinstance(disaggregation, Disaggregation) else wanted,))
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


_UNITS: dict[str, Unit] = {}
"""Units as callers spell them (``"%"``), read once: a check with a unit need not read it again."""

_UNIT_SOURCES: dict[str, tuple[int, int]] = {}
"""The ratio units of ``_UNITS``, by the caller's spelling: each as a power of ten, and its whole population."""


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
        if (
            whole is not None
            and number.is_finite()
            and not number.is_signed()
            and number <= whole
            and number.adjusted() >= -MAX_DIGITS
        ):
            return number
    given = None if unit is None else _UNITS.get(unit) if type(unit) is str else None
    if given is None and unit is not None:
        given = parse_unit(unit)
        if type(unit) is str and len(_UNITS) < 256:
            _UNITS[unit] = given
            exponent, whole = given.exponent, given.whole
            if exponent is not None and whole is not None:
                _UNIT_SOURCES[unit] = (exponent, int(whole))
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
    elif is_quantity(value):
        if given is not None:
            raise InputTypeError("a pint quantity carries its own unit: do not pass unit as well")
        number, source = read_quantity(value)
        if isinstance(source, Unit):
            remember_quantity(value, source)
    else:
        number = as_decimal(value)
    if not number.is_finite():
        raise InvalidValueError("{value} is not a finite number", value=shown(value))
    checked_digits(number, value)
    if number < 0:
        raise InvalidValueError("{value} is negative: a rate or a share cannot be", value=shown(value))
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
            value=shown(value),
            whole=Text(format_value(whole, target_unit, "vi"), format_value(whole, target_unit, "en")),
        )
    return converted
