"""A caller's number or pint quantity as an exact ``Decimal``, and what a check remembers of pint's units.

A quantity from any pint registry is read by its unit: tdplan's own (%, ‰, per
100,000) by name, any other dimensionless unit (ppm, cm/m, minute/hour) by the exact
product of its units' factors. What was read is remembered by the quantity's class
and pint's unit container, so that reading another quantity in the same unit costs a
dict lookup (:func:`tdplan.analysis.assessment.assess` reads it from ``PINT_SOURCES``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import numbers
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tdplan.core.errors import InputTypeError, InvalidValueError, UnitError
from tdplan.core.notation import check_digits
from tdplan.core.units import Unit, fraction_to_decimal, parse_unit, terminating
from tdplan.core.values import is_time

__all__ = [
    "PINT_LAST",
    "PINT_SOURCES",
    "SMALLEST",
    "as_decimal",
    "checked_digits",
    "is_quantity",
    "read_quantity",
    "remember_quantity",
    "shown",
]


def read_quantity(value: Any) -> tuple[Decimal, int | Unit]:
    """Magnitude and unit of a pint quantity from any registry, exactly.

    %, ‰ and per 100,000 are tdplan's own units. Any other dimensionless unit (ppm,
    cm/m, minute/hour) is converted to a pure number by the exact product of its units'
    factors, each taken at its shortest decimal repr as a fraction: 99.9 cm/m is exactly
    99.9 %, and 60 minute/hour exactly 100 %, never 99.99999999999999 %. A rate whose
    decimal expansion does not end is rounded to 34 significant digits.
    """
    key = (type(value), getattr(value, "_units", None))  # each registry has its own Quantity class
    known = _PINT_UNITS.get(key)
    try:
        magnitude = value.magnitude
        if known is None:
            with contextlib.suppress(UnitError):  # not one of tdplan's units: perhaps another dimensionless one
                known = parse_unit(str(value.units))  # writing pint's units costs 5 µs: remembered below
    except Exception:
        raise InputTypeError("{value} is not a pint quantity tdplan can read", value=type(value).__name__) from None
    number = as_decimal(magnitude)
    if not isinstance(known, Unit):
        if not number.is_finite():
            raise InvalidValueError("{value} is not a finite number", value=shown(value))
        checked_digits(number, value)
        if known is None:
            known = _exact_dimensionless(value)
    if key[1] is not None and len(_PINT_UNITS) < 256:
        _PINT_UNITS[key] = known
    return (number, known) if isinstance(known, Unit) else (_number_of(known * Fraction(number)), 0)


_PINT_UNITS: dict[tuple[type, Any], Unit | Fraction] = {}
"""Each pint unit already read, by Quantity class and pint's unit container: tdplan's unit, or the exact factor
of another dimensionless unit (minute/hour) to a pure number."""

PINT_SOURCES: dict[tuple[type, Any], tuple[int, int]] = {}
"""By Quantity class and pint's unit container, for those read as one of tdplan's ratio units: that unit as a
power of ten, and its whole population (the largest magnitude ``assess`` reads the quick way)."""

PINT_LAST: dict[type, tuple[Any, tuple[int, int]]] = {}
"""By Quantity class: the unit container last remembered in ``PINT_SOURCES``, and its entry there."""

SMALLEST = 1e-40
"""Floats and magnitudes below this (and zero) go the general way, which checks their digits."""


def remember_quantity(value: Any, source: Unit) -> None:
    """Note that a quantity's class and unit were read as tdplan's ``source``, for the quick reading in ``assess``."""
    exponent, whole, units = source.exponent, source.whole, getattr(value, "_units", None)
    if exponent is not None and whole is not None and units is not None and len(PINT_SOURCES) < 256:
        entry = PINT_SOURCES[type(value), units] = (exponent, int(whole))
        PINT_LAST[type(value)] = (units, entry)


def checked_digits(number: Decimal, value: object) -> None:
    """:func:`check_digits`, with the value written for the message only when there is one."""
    try:
        check_digits(number, "")
    except InvalidValueError:
        check_digits(number, shown(value))


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
            value=shown(value),
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


def as_decimal(value: object) -> Decimal:
    """A caller's number (int, float, Decimal, NumPy number) as an exact Decimal, a float at its shortest repr."""
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


def shown(value: object) -> str:
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


def is_quantity(value: object) -> bool:
    """A pint quantity (of any registry), told by its class: asking the instance for ``dimensionless`` converts it."""
    kind = type(value)
    return hasattr(kind, "units") and hasattr(kind, "magnitude") and hasattr(kind, "dimensionless")
