"""tdplan's errors: one base class, one class per kind of failure.

Each error also subclasses the builtin a caller would already catch
(``LookupError``, ``ValueError``, ``TypeError``), and its message says what was
wrong and what would have been valid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tdplan.units import Unit

__all__ = [
    "AmbiguousValueError",
    "DisaggregationError",
    "InputTypeError",
    "InvalidValueError",
    "PlanDataError",
    "SeriesRequiredError",
    "TdplanError",
    "UnitError",
    "UnknownAgencyError",
    "UnknownGoalError",
    "UnknownIndicatorError",
    "UnknownPlanError",
    "ValueParseError",
    "YearError",
]


class TdplanError(Exception):
    """Base class of every error tdplan raises on purpose."""


class UnknownIndicatorError(TdplanError, LookupError):
    """The plan has no indicator with that id."""


class UnknownAgencyError(TdplanError, LookupError):
    """The plan has no agency with that id."""


class UnknownGoalError(TdplanError, LookupError):
    """The plan has no goal with that number."""


class UnknownPlanError(TdplanError, LookupError):
    """No shipped plan has that id."""


class InputTypeError(TdplanError, TypeError):
    """An argument has a type tdplan does not accept (a list for a value, a string for a year)."""


class YearError(TdplanError, ValueError):
    """A year outside the plan's period."""


class DisaggregationError(TdplanError, ValueError):
    """A disaggregation that is missing where needed, not defined, or given where none applies."""


class InvalidValueError(TdplanError, ValueError):
    """A number that cannot be a measurement: NaN, infinite, negative, or above the whole population."""


class ValueParseError(TdplanError, ValueError):
    """A string that is not a number with a unit tdplan can read."""


class AmbiguousValueError(ValueParseError):
    """A string that reads as two different numbers in Vietnamese and English notation.

    ``readings`` maps each notation (``"vi"``, ``"en"``) to its number; ``unit`` is the
    unit written after the number, if any.
    """

    def __init__(self, message: str, readings: dict[str, Decimal], unit: Unit | None = None) -> None:
        super().__init__(message)
        self.readings = dict(readings)
        self.unit = unit


class UnitError(TdplanError, ValueError):
    """A unit that is not one of tdplan's ratios, or cannot convert to the target's unit."""


class SeriesRequiredError(TdplanError, ValueError):
    """The target is a rate of change: it needs a series of values, not one."""


class PlanDataError(TdplanError, ValueError):
    """A plan file or plan data that does not make a valid plan; ``errors`` lists every problem."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = list(errors)
        listing = "\n".join(f"  - {error}" for error in self.errors)
        super().__init__(f"{source}: {len(self.errors)} problem(s):\n{listing}")
