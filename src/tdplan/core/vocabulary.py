"""The words of a verdict: bilingual :class:`Text`, the :class:`Comparator`, :class:`TargetKind` and :class:`Status`.

These are the terms every layer shares: the model uses them, assessments produce them,
reports spell them. ``STATUS_ORDER`` is the order reports list statuses in, best first.
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import attrs

from tdplan.core.errors import ValueParseError
from tdplan.core.i18n import C_
from tdplan.core.notation import Lang

__all__ = ["STATUS_ORDER", "Comparator", "Status", "TargetKind", "Text"]


@attrs.frozen
class Text:
    """A text in Vietnamese (the plan's own words) and English (a translation, not official).

    ``en`` may be empty where a plan has no translation; the text is then Vietnamese in
    both languages. A Text holds a plan's own words (read from a plan file); words tdplan
    writes itself (a heading, a status) are catalog labels, ``C_("report", "Result")``
    (:class:`~tdplan.core.i18n.Label`), shown the same way.
    """

    vi: str
    en: str = ""

    def __call__(self, lang: Lang = "vi") -> str:
        """The text in ``lang``, or the Vietnamese where there is no English."""
        return self.en if isinstance(lang, str) and lang == "en" and self.en else self.vi

    def __str__(self) -> str:
        return self.vi


class Comparator(enum.Enum):
    """How a value must compare with a target's threshold."""

    LT = "<"
    LE = "≤"
    GE = "≥"
    GT = ">"

    @classmethod
    def parse(cls, text: str) -> Comparator:
        """The comparator written as ``<``, ``<=``/``≤``, ``>=``/``≥`` or ``>``."""
        comparator = _COMPARATOR_SPELLINGS.get(text.strip()) if isinstance(text, str) else None
        if comparator is None:
            raise ValueParseError("unknown comparator {text!r}: use '<', '<=', '>=' or '>'", text=text)
        return comparator

    @property
    def ascii(self) -> str:
        """The comparator in ASCII, as plan files write it (``<=`` for ``≤``)."""
        return {"≤": "<=", "≥": ">="}.get(self.value, self.value)

    @property
    def higher_is_better(self) -> bool:
        """Whether larger values are on the good side (``≥``, ``>``)."""
        return self in (Comparator.GE, Comparator.GT)

    @property
    def strict(self) -> bool:
        """Whether the threshold itself fails (``<``, ``>``)."""
        return self in (Comparator.LT, Comparator.GT)

    @property
    def negation(self) -> str:
        """The symbol that holds when this one does not (``≥`` for ``<``)."""
        return {"<": "≥", "≤": ">", "≥": "<", ">": "≤"}[self.value]

    @property
    def function(self) -> Callable[[Decimal | Fraction, Decimal], bool]:
        """The comparison as a function of the value and the threshold (``operator.lt`` for ``<``)."""
        return _OPERATORS[self._value_]

    def holds(self, value: Decimal | Fraction, threshold: Decimal) -> bool:
        """Whether ``value`` satisfies this comparator against ``threshold``.

        >>> Comparator.LT.holds(Decimal(18), Decimal(18))
        False
        """
        return _OPERATORS[self._value_](value, threshold)

    def __repr__(self) -> str:
        return f"Comparator.{self.name}"


_COMPARATOR_SPELLINGS = {
    "<": Comparator.LT,
    "<=": Comparator.LE,
    "≤": Comparator.LE,
    ">=": Comparator.GE,
    "≥": Comparator.GE,
    ">": Comparator.GT,
}
_OPERATORS: dict[str, Callable[[Decimal | Fraction, Decimal], bool]] = {
    "<": operator.lt,
    "≤": operator.le,
    "≥": operator.ge,
    ">": operator.gt,
}  # by the comparator's value: a str hashes faster than an Enum member


class TargetKind(enum.Enum):
    """What a target constrains: a level, or the yearly fall of a count."""

    LEVEL = "level"
    ANNUAL_FALL = "annual_fall"

    def __repr__(self) -> str:
        return f"TargetKind.{self.name}"


@functools.total_ordering
class Status(enum.Enum):
    """The verdict on a value for a year.

    ``MET`` and ``NOT_MET``: the target applied is due that year (its milestone, a
    continuous target, or a year after the last milestone). ``AHEAD`` and
    ``PENDING``: the year is before the next milestone, and the value already meets
    it, or not yet.

    The value (``met``) is the one spelling of the status in every output: JSON, CSV,
    DataFrames, the web service. Statuses are ordered from best to worst, as
    :data:`STATUS_ORDER` lists them (``rank`` 0 is the best):

    >>> Status.MET < Status.AHEAD < Status.PENDING < Status.NOT_MET, Status.NOT_MET.rank
    (True, 3)
    >>> sorted([Status.NOT_MET, Status.MET, Status.PENDING])
    [Status.MET, Status.PENDING, Status.NOT_MET]
    """

    MET = "met"
    NOT_MET = "not_met"
    AHEAD = "ahead"
    PENDING = "pending"

    @property
    def met(self) -> bool:
        """Whether the value satisfies the target (``MET`` and ``AHEAD``)."""
        return self in (Status.MET, Status.AHEAD)

    def label(self, lang: Lang = "vi") -> str:
        """A short label: ``đạt`` / ``met``."""
        return _STATUS_LABELS[self](lang)

    @property
    def rank(self) -> int:
        """The place in :data:`STATUS_ORDER`: 0 for ``MET`` (the best) to 3 for ``NOT_MET``."""
        return _RANKS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return _RANKS[self] < _RANKS[other]

    def __repr__(self) -> str:
        return f"Status.{self.name}"


_STATUS_LABELS = {
    Status.MET: C_("status", "met"),
    Status.NOT_MET: C_("status", "not met"),
    Status.AHEAD: C_("status", "ahead"),
    Status.PENDING: C_("status", "pending"),
}


STATUS_ORDER = (Status.MET, Status.AHEAD, Status.PENDING, Status.NOT_MET)
"""The statuses from best to worst, as reports, tables and charts list them."""
_RANKS = {status: rank for rank, status in enumerate(STATUS_ORDER)}
