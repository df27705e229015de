"""Units of the plan's figures, and exact conversion between them.

Every figure in the plan is a share of a population, written in one of three
units: percent (``%``), per mille (``‰``) or per 100,000. They differ by powers of
ten, so tdplan converts between them exactly, by shifting the decimal point of a
``Decimal`` (``1,8 %`` is exactly ``18 ‰``): no float ever decides a verdict.

Indicator 18 is a count (of child marriages), which no ratio converts to.

pint provides the unit vocabulary to the outside world: :func:`unit_registry`
builds tdplan's own small registry (pint's application registry is never touched)
for callers who want pint quantities, and quantities from any pint registry are
accepted as values. pint is imported only when one of those is used.
"""

from __future__ import annotations

import decimal
import enum
import threading
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from tdplan.core.errors import InvalidValueError, UnitError
from tdplan.core.i18n import Message

if TYPE_CHECKING:
    import pint

__all__ = [
    "EXACT",
    "PRECISION",
    "Unit",
    "convert",
    "convert_fraction",
    "fraction_to_decimal",
    "parse_unit",
    "terminating",
    "unit_registry",
]

PRECISION = 34
"""Significant digits of the figures that cannot be exact: a rate with no finite decimal expansion, growth rates."""

_ROUNDED = decimal.Context(prec=PRECISION, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])

EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow],
)
"""A decimal context that never rounds: arithmetic on values and thresholds is exact, or raises.

Python's default context keeps 28 digits, so ``a - b`` or ``a.scaleb(1)`` would
silently round a value with more; tdplan's arithmetic goes through this one.
"""


class Unit(enum.Enum):
    """A unit of the plan's figures; its value is its name in plan files and in pint."""

    PERCENT = "percent"
    PER_MILLE = "permille"
    PER_100000 = "per_100000"
    COUNT = "count"

    @property
    def exponent(self) -> int | None:
        """One of this unit as a power of ten of the whole population (``-2`` for %); None for a count."""
        return _EXPONENTS[self]

    @property
    def is_ratio(self) -> bool:
        """Whether this unit is a share of a population (every unit but ``COUNT``)."""
        return self is not Unit.COUNT

    @property
    def whole(self) -> Decimal | None:
        """The whole population in this unit (100 for %, 1000 for ‰); None for a count."""
        return _WHOLES[self._value_]

    @property
    def label(self) -> Message:
        """The unit's name in a sentence, in either language: ``percent (%)``, ``phần trăm (%)``."""
        return _LABELS[self]

    def __repr__(self) -> str:
        return f"Unit.{self.name}"


_LABELS = {
    Unit.PERCENT: Message("percent (%)"),
    Unit.PER_MILLE: Message("per mille (‰)"),
    Unit.PER_100000: Message("per 100,000 (/100.000)"),
    Unit.COUNT: Message("count"),
}


_EXPONENTS: dict[Unit, int | None] = {
    Unit.PERCENT: -2,
    Unit.PER_MILLE: -3,
    Unit.PER_100000: -5,
    Unit.COUNT: None,
}
_WHOLES = {  # by the unit's value: a str hashes faster than an Enum member
    unit.value: None if exponent is None else Decimal(1).scaleb(-exponent) for unit, exponent in _EXPONENTS.items()
}


def shift(value: Decimal, exponent_from: int, unit: Unit) -> Decimal:
    """``value`` times ``10 ** exponent_from``, expressed in ``unit``: exact."""
    exponent_to = unit.exponent
    if exponent_to is None:
        raise UnitError("a share of a population cannot be given as a {unit}", unit=unit.label)
    return tidy(EXACT.scaleb(value, exponent_from - exponent_to))


def _check_convert(value: object, unit_from: object, unit_to: object) -> None:
    if not isinstance(unit_from, Unit) or not isinstance(unit_to, Unit):
        raise UnitError("units to convert between are tdplan.Unit members, not {kind}", kind=type(unit_from).__name__)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidValueError("a value to convert is a finite Decimal, not {value!r}", value=value)


def convert(value: Decimal, unit_from: Unit, unit_to: Unit) -> Decimal:
    """Convert ``value`` from one unit to another, exactly.

    >>> convert(Decimal("1.8"), Unit.PERCENT, Unit.PER_MILLE)
    Decimal('18')
    >>> convert(Decimal("50"), Unit.PER_100000, Unit.PERCENT)
    Decimal('0.050')
    """
    if type(value) is not Decimal or type(unit_from) is not Unit or type(unit_to) is not Unit:
        _check_convert(value, unit_from, unit_to)
    if not value.is_finite():
        _check_convert(value, unit_from, unit_to)
    if unit_from is unit_to:
        return value
    exponent_from = unit_from.exponent
    if exponent_from is None or unit_to.exponent is None:
        raise UnitError(
            "cannot convert {unit_from} to {unit_to}: a count and a share of a population are different quantities",
            unit_from=unit_from.label,
            unit_to=unit_to.label,
        )
    return shift(value, exponent_from, unit_to)


def convert_fraction(value: Fraction, unit_from: Unit, unit_to: Unit) -> Fraction:
    """Convert an exact rational value between ratio units (a power of ten, so exact)."""
    if unit_from is unit_to:
        return value
    exponent_from, exponent_to = unit_from.exponent, unit_to.exponent
    if exponent_from is None or exponent_to is None:
        raise UnitError("cannot convert {unit_from} to {unit_to}", unit_from=unit_from.label, unit_to=unit_to.label)
    return value * Fraction(10) ** (exponent_from - exponent_to)


def terminating(value: Fraction) -> Decimal | None:
    """The exact Decimal of ``value`` if its denominator has no prime factor but 2 and 5, else None.

    >>> terminating(Fraction(1, 8)), terminating(Fraction(1, 3))
    (Decimal('0.125'), None)
    """
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    return tidy(EXACT.scaleb(Decimal(value.numerator * 10**places // value.denominator), -places))


def fraction_to_decimal(value: Fraction) -> Decimal:
    """``value`` as a Decimal: exact when its expansion terminates, else rounded to 34 significant digits."""
    exact = terminating(value)
    if exact is not None:
        return exact
    return _ROUNDED.divide(Decimal(value.numerator), Decimal(value.denominator))


def tidy(value: Decimal) -> Decimal:
    """The same number without a positive exponent (``5E+1`` becomes ``50``)."""
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        return EXACT.quantize(value, Decimal(1))
    return value


# How people write the units, after lower-casing and removing spaces.
_SPELLINGS: dict[str, Unit] = {
    **dict.fromkeys(["%", "percent", "pct", "phầntrăm", "/100"], Unit.PERCENT),
    **dict.fromkeys(
        [
            "‰",
            "permille",
            "per_mille",
            "phầnnghìn",
            "phầnngàn",
            "/1000",
            "/1.000",
            "/1,000",
            "per1000",
            "per1.000",
            "per1,000",
        ],
        Unit.PER_MILLE,
    ),
    **dict.fromkeys(
        [
            "per_100000",
            "/100000",
            "/100.000",
            "/100,000",
            "per100000",
            "per100.000",
            "per100,000",
        ],
        Unit.PER_100000,
    ),
    **dict.fromkeys(["count", "cuộc"], Unit.COUNT),
}

VALID_UNITS = Message("percent (%), per mille (‰) or per 100,000 (/100.000)")
"""The units tdplan reads, for a message in either language."""


def parse_unit(text: str | Unit) -> Unit:
    """Read a unit as people write it: ``"%"``, ``"‰"``, ``"per 100,000"``, ``"permille"``.

    >>> parse_unit("/100.000")
    Unit.PER_100000
    >>> parse_unit("per mille")
    Unit.PER_MILLE
    """
    if isinstance(text, Unit):
        return text
    if not isinstance(text, str):
        raise UnitError("a unit is a string such as '%' or '‰', not {type}", type=type(text).__name__)
    key = "".join(text.lower().split())
    unit = _SPELLINGS.get(key)
    if unit is None:
        raise UnitError("unknown unit {text!r}: tdplan reads {valid}", text=text, valid=VALID_UNITS)
    return unit


_registry: pint.UnitRegistry[Decimal] | None = None
_registry_lock = threading.Lock()


def unit_registry() -> pint.UnitRegistry[Decimal]:
    """tdplan's own pint registry (built once, on first use), with its units as ``Decimal`` magnitudes.

    >>> q = unit_registry().Quantity(Decimal("1.8"), "percent")
    >>> q.to("permille")
    <Quantity(18, 'permille')>
    """
    global _registry
    with _registry_lock:
        if _registry is None:
            import pint

            registry: pint.UnitRegistry[Decimal] = pint.UnitRegistry(None, non_int_type=Decimal)
            registry.define("count = [count]")
            for unit in Unit:
                exponent = unit.exponent
                if exponent is not None:
                    symbol = {Unit.PERCENT: " = %", Unit.PER_MILLE: " = ‰"}.get(unit, "")
                    registry.define(f"{unit.value} = {Decimal(1).scaleb(exponent)}{symbol}")
            _registry = registry
        return _registry
