"""tdplan's errors: one base class, one class per kind of failure.

Each error also subclasses the builtin a caller would already catch
(``LookupError``, ``ValueError``, ``TypeError``), and its message says what was
wrong and what would have been valid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from tdplan.core.units import Unit

__all__ = [
    "AggregationError",
    "AmbiguousValueError",
    "DisaggregationError",
    "InputTypeError",
    "InvalidValueError",
    "MissingDependencyError",
    "PeriodError",
    "PlanDataError",
    "PlanDataWarning",
    "PlanFileError",
    "PlanProblem",
    "SeriesError",
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


class MissingDependencyError(TdplanError, ImportError):
    """An optional library (pandas, matplotlib) is needed and not installed; the message says how to add it."""


class PlanFileError(TdplanError, OSError):
    """A plan file that cannot be read: missing, unreadable, too large, or of an unknown format."""


class PlanDataWarning(UserWarning):
    """Plan data that tdplan mended while loading it (text that was not NFC-normalised)."""


class PeriodError(TdplanError, ValueError):
    """A date or reporting period that cannot be read (``31/02/2024``, ``2024-H3``)."""


class SeriesError(TdplanError, ValueError):
    """A series of measurements that cannot be tracked (empty, or a period given twice)."""


class AggregationError(TdplanError, ValueError):
    """Counts that cannot be summed into one figure (a zero denominator, an area twice, a rate among counts)."""


@attrs.frozen
class PlanProblem:
    """One problem in plan data: where it is, a stable code, and what is wrong in English and Vietnamese.

    ``path`` is a JSONPath-like location (``$.indicators[2].targets[0].threshold``);
    ``line`` is the line in the file where it is known, else None; ``code`` is one of
    a fixed set (``type``, ``unknown_key``, ``missing``, ``duplicate``, ``reference``,
    ``year``, ``bound``, ``no_lead``, ``disaggregation``, ``nfc``, ``syntax``, ``size``,
    ``encoding``, ``version``, ``value``) that software can act on. ``severity`` is
    ``"error"`` (the plan cannot be used) or ``"warning"`` (it was mended, as for text
    that was not NFC-normalised).
    """

    path: str
    code: str
    message: str
    message_vi: str = ""
    line: int | None = None
    severity: str = "error"

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"vi"`` or ``"en"``)."""
        return self.message_vi if lang == "vi" and self.message_vi else self.message

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.path}: {self.message}"


class PlanDataError(TdplanError, ValueError):
    """A plan file or plan data that does not make a valid plan; ``errors`` lists every problem."""

    def __init__(self, source: str, errors: list[PlanProblem]) -> None:
        self.source = source
        self.errors = list(errors)
        listing = "\n".join(f"  - {error}" for error in self.errors)
        super().__init__(f"{source}: {len(self.errors)} problem(s):\n{listing}")
