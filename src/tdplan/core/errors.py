"""tdplan's errors: one base class, one class per kind of failure.

Each error also subclasses the builtin a caller would already catch
(``LookupError``, ``ValueError``, ``TypeError``), and its message says what was
wrong and what would have been valid. Each has a stable ``code`` for software and
its ``params``; ``error.message("vi")`` and ``error.message("en")`` give the sentence,
and ``str(error)`` is English, for programmers:

>>> error = UnknownGoalError("no goal {number!r}: the plan has goals {valid}", number=5, valid="1, 2, 3, 4")
>>> error.code, str(error)
('unknown_goal', 'no goal 5: the plan has goals 1, 2, 3, 4')
>>> error.message("vi")
'không có mục tiêu 5: kế hoạch có các mục tiêu 1, 2, 3, 4'

Where the fix is an argument to give, the error carries a :class:`Hint`, which each
surface spells in its own words (``message(lang, surface)``): Python's ``str(error)``
says ``unit='percent'``, the command line ``--unit percent``, a table row which column
to fill.
"""

from __future__ import annotations

import errno
import importlib
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from tdplan.core.i18n import N_, Message, Surface, either, translate

if TYPE_CHECKING:
    from tdplan.core.units import Unit

__all__ = [
    "AggregationError",
    "AmbiguousValueError",
    "DisaggregationError",
    "ExchangeError",
    "Hint",
    "InputTypeError",
    "InvalidValueError",
    "ListenError",
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
    "csv_reason",
    "not_utf8",
    "os_reason",
    "require_module",
]


class TdplanError(Exception):
    """Base class of every error tdplan raises on purpose.

    ``TdplanError(template, **params)``: ``template`` is the English message with
    ``{placeholders}``, marked for the catalog (every error class is an extraction
    keyword); ``params`` fill them. ``code`` is the class's stable code unless given.
    """

    code: ClassVar[str] = "error"

    def __init__(self, template: str = "", /, *, code: str | None = None, **params: Any) -> None:
        self.template = template
        self.params = params
        if code is not None:
            self.code = code  # type: ignore[misc]  # an instance may refine its class's code
        super().__init__(self.spoken.text("en") if params else template)

    @property
    def spoken(self) -> Message:
        """The error's message and parameters, to be shown in any language (an error within a message is one)."""
        return Message(self.template, **self.params)

    def message(self, lang: str = "en", surface: Surface | None = None) -> str:
        """The sentence in ``lang`` (``"vi"`` or ``"en"``), in the words of ``surface`` if given (else Python's)."""
        return self.spoken.text(lang, surface)


@attrs.frozen
class Hint:
    """What to give to fix an error: an argument, by its Python keyword, and the values it may take.

    Each surface spells it in its own words; :meth:`text` is Python's:

    >>> Hint("disaggregation", ({"residence": "rural"}, {"residence": "urban"})).text("en")
    "disaggregation={'residence': 'rural'} or {'residence': 'urban'}"
    >>> Hint("unit", ("percent",)).text("vi")
    "unit='percent'"

    ``argument`` is ``"disaggregation"`` (``values`` are mappings of group names to
    groups; ``"groups"`` names the same groups without the keyword), another keyword
    such as ``"unit"`` or ``"format"`` (``values`` are what it may be), or ``"series"``
    (the value must be a series over time: ``Plan.track``).
    """

    argument: str
    values: tuple[Any, ...] = ()

    @property
    def groups(self) -> tuple[Mapping[str, str], ...]:
        """For ``disaggregation``: the valid groups, each a mapping such as ``{'residence': 'rural'}``.

        A plan's own groups are :class:`~tdplan.Disaggregation`\\ s, whose ``group_label(name, lang)``
        gives the words a person would write (``nông thôn``).
        """
        return tuple(value for value in self.values if isinstance(value, Mapping))

    def text(self, lang: str = "en") -> str:
        """The hint as Python says it: the keyword argument to give."""
        if self.argument == "series":
            return translate(N_("with Plan.track"), lang)
        if self.argument in ("disaggregation", "groups"):
            groups = either([repr(dict(group)) for group in self.values], lang)
            return f"disaggregation={groups}" if self.argument == "disaggregation" else groups
        return either([f"{self.argument}={value!r}" for value in self.values], lang)


_OS_REASONS = {
    errno.ENOENT: Message("no such file or folder"),
    errno.EACCES: Message("permission denied"),
    errno.EPERM: Message("permission denied"),
    errno.EISDIR: Message("it is a folder"),
    errno.ENOTDIR: Message("a part of the path is not a folder"),
    errno.ENOSPC: Message("the disk is full"),
    errno.EROFS: Message("the disk is read-only"),
    errno.ENAMETOOLONG: Message("the name is too long"),
    errno.EEXIST: Message("a file of that name already exists"),
    errno.ENOTEMPTY: Message("the folder is not empty"),
    errno.EBUSY: Message("the file is in use by another program"),
}


def os_reason(error: OSError | ValueError) -> Message | str:
    """Why the system could not read or write a file, in either language where tdplan knows the words.

    >>> os_reason(FileNotFoundError(2, "No such file or directory")).text("vi")
    'không có tệp hoặc thư mục này'
    """
    known = _OS_REASONS.get(getattr(error, "errno", None) or -1)
    if known is not None:
        return known
    return getattr(error, "strerror", None) or str(error)


def not_utf8(error: UnicodeDecodeError) -> Message:
    """Why a file could not be read as text, and what to do, in either language.

    >>> not_utf8(UnicodeDecodeError("utf-8", b"ab\\xff", 2, 3, "invalid start byte")).text("vi")
    'tệp không phải văn bản UTF-8 (byte 2): hãy lưu lại dạng UTF-8'
    """
    return Message("the file is not UTF-8 text (byte {error}): save it as UTF-8", error=error.start)


def csv_reason(error: Exception) -> Message | str:
    """Why Python's csv module could not read a table, in either language where tdplan knows the words.

    >>> csv_reason(ValueError("field larger than field limit (131072)")).text("vi")
    'một ô dài hơn 131072 ký tự: có dấu ngoặc kép nào chưa đóng không?'
    """
    text = str(error)
    if text.startswith("field larger than field limit"):
        limit = "".join(char for char in text if char.isdigit())
        return Message("a cell is longer than {limit} characters: is a quote left open?", limit=limit)
    if "NUL" in text:
        return Message("a line holds a NUL character: is the file text?")
    if "new-line character seen in unquoted field" in text:
        return Message("a cell holds a line break but is not in quotes")
    if "unexpected end of data" in text:
        return Message("the file ends inside a cell in quotes")
    return text


class UnknownIndicatorError(TdplanError, LookupError):
    """The plan has no indicator with that id."""

    code = "unknown_indicator"


class UnknownAgencyError(TdplanError, LookupError):
    """The plan has no agency with that id."""

    code = "unknown_agency"


class UnknownGoalError(TdplanError, LookupError):
    """The plan has no goal with that number."""

    code = "unknown_goal"


class UnknownPlanError(TdplanError, LookupError):
    """No shipped plan has that id."""

    code = "unknown_plan"


class InputTypeError(TdplanError, TypeError):
    """An argument has a type tdplan does not accept (a list for a value, a string for a year)."""

    code = "input_type"


class YearError(TdplanError, ValueError):
    """A year outside the plan's period."""

    code = "year"


class DisaggregationError(TdplanError, ValueError):
    """A disaggregation that is missing where needed, not defined, or given where none applies."""

    code = "disaggregation"


class InvalidValueError(TdplanError, ValueError):
    """A number that cannot be a measurement: NaN, infinite, negative, or above the whole population."""

    code = "invalid_value"


class ValueParseError(TdplanError, ValueError):
    """A string that is not a number with a unit tdplan can read."""

    code = "value_parse"


class AmbiguousValueError(ValueParseError):
    """A string that reads as two different numbers in Vietnamese and English notation.

    ``readings`` maps each notation (``"vi"``, ``"en"``) to its number; ``unit`` is the
    unit written after the number, if any.
    """

    code = "ambiguous_value"

    def __init__(self, template: str, /, readings: dict[str, Decimal], unit: Unit | None = None, **params: Any) -> None:
        super().__init__(template, **params)
        self.readings = dict(readings)
        self.unit = unit


class UnitError(TdplanError, ValueError):
    """A unit that is not one of tdplan's ratios, or cannot convert to the target's unit."""

    code = "unit"


class SeriesRequiredError(TdplanError, ValueError):
    """The target is a rate of change: it needs a series of values, not one."""

    code = "series_required"


def require_module(module: str, *, package: str, extra: str, purpose: Message) -> Any:
    """The optional ``module``, imported; :class:`MissingDependencyError` saying how to install it if it is absent.

    ``purpose`` says what needs it, in a sentence of either language:

    >>> require_module("no_such_module", package="pandas", extra="pandas", purpose=Message("DataFrames"))
    Traceback (most recent call last):
    ...
    tdplan.core.errors.MissingDependencyError: DataFrames need pandas, which is not installed: ...
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingDependencyError(
            "{purpose} need {package}, which is not installed: "
            "pip install 'tdplan[{extra}]' (or pip install {package})",
            purpose=purpose,
            package=package,
            extra=extra,
        ) from error


class MissingDependencyError(TdplanError, ImportError):
    """An optional library (pandas, matplotlib) is needed and not installed; the message says how to add it."""

    code = "missing_dependency"


class ExchangeError(TdplanError, ValueError):
    """Figures that cannot go to or come from another platform: an unmapped indicator or area, an unknown period."""

    code = "exchange"


class PlanFileError(TdplanError, OSError):
    """A plan file that cannot be read: missing, unreadable, too large, or of an unknown format."""

    code = "plan_file"


class ListenError(TdplanError, OSError):
    """The web service cannot listen where it was told: a port in use, one it may not open, a host it has not."""

    code = "listen"


class PlanDataWarning(UserWarning):
    """Plan data that tdplan mended while loading it (text that was not NFC-normalised).

    ``source`` is the file, ``problem`` the :class:`PlanProblem` (code ``nfc``);
    ``message(lang)`` gives the warning in ``lang``, ``str()`` in English.
    """

    def __init__(self, source: str = "", problem: PlanProblem | None = None) -> None:
        self.source = source
        self.problem = problem
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The warning in ``lang``: the file, where in it, and what was mended."""
        if self.problem is None:
            return self.source
        return f"{self.source}: {self.problem.where(lang)}{self.problem.text(lang)}"


class PeriodError(TdplanError, ValueError):
    """A date or reporting period that cannot be read (``31/02/2024``, ``2024-H3``)."""

    code = "period"


class SeriesError(TdplanError, ValueError):
    """A series of measurements that cannot be tracked (empty, or a period given twice)."""

    code = "series"


class AggregationError(TdplanError, ValueError):
    """Counts that cannot be summed into one figure (a zero denominator, an area twice, a rate among counts)."""

    code = "aggregation"


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

    @classmethod
    def of(
        cls, path: str, code: str, message: Message, line: int | None = None, severity: str = "error"
    ) -> PlanProblem:
        """A problem whose message is in the catalog: its English and Vietnamese from ``message``."""
        return cls(path, code, message.text("en"), message.text("vi"), line, severity)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"vi"`` or ``"en"``)."""
        return self.message_vi if lang == "vi" and self.message_vi else self.message

    def where(self, lang: str = "en") -> str:
        """``line 12: $.indicators[0].unit: `` (``dòng 12: …`` in Vietnamese), before the message."""
        line = "" if self.line is None else Message("line {line}: ", line=self.line).text(lang)
        return f"{line}{self.path}: "

    def __str__(self) -> str:
        return f"{self.where()}{self.message}"


class PlanDataError(TdplanError, ValueError):
    """A plan file or plan data that does not make a valid plan; ``errors`` lists every problem."""

    code = "plan_data"

    def __init__(self, source: str, errors: list[PlanProblem]) -> None:
        self.source = source
        self.errors = list(errors)
        super().__init__(
            N_("{source}: {count} problem(s):\n{listing}"), source=source, count=len(self.errors), listing=""
        )
        self.params["listing"] = _Listing(self.errors)
        self.args = (self.message("en"),)

    def __str__(self) -> str:
        return self.message("en")


class _Listing:
    """The problems of a PlanDataError, one a line, in the message's language."""

    def __init__(self, problems: list[PlanProblem]) -> None:
        self.problems = problems

    def text(self, lang: str) -> str:
        return "\n".join(f"  - {problem.where(lang)}{problem.text(lang)}" for problem in self.problems)
