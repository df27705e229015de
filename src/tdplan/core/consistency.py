"""Consistency rules a plan declares (DHIS2's validation rules): which figures must agree, and how.

A :class:`Rule` compares two sides, each a sum of :class:`RuleTerm` (an indicator,
optionally one group of it), with a :class:`RuleOperator`, within one area and one
period. The plan file format writes them under ``[[rules]]`` (``docs/plan-format.md``);
:mod:`tdplan.analysis.rules` checks a table against them. A broken rule never changes a
verdict: it says that the figures disagree.

>>> rule = Rule("neonatal-infant", (RuleTerm("3"),), RuleOperator.LE, (RuleTerm("4"),), Importance.HIGH,
...             Text("Tử vong sơ sinh không thể lớn hơn tử vong dưới 1 tuổi", "Neonatal above infant mortality"))
>>> str(rule)
'3 ≤ 4'
>>> rule.operator.holds(Decimal("16.5"), Decimal("21"))
True
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from tdplan.core.vocabulary import Text

__all__ = ["Importance", "Rule", "RuleOperator", "RuleTerm"]


class RuleOperator(enum.Enum):
    """How the left side of a rule must compare with its right side."""

    LT = "<"
    LE = "≤"
    EQ = "="
    GE = "≥"
    GT = ">"

    @classmethod
    def get(cls, text: object) -> RuleOperator | None:
        """The operator written as ``<``, ``<=``/``≤``, ``=``/``==``, ``>=``/``≥`` or ``>``; None for anything else."""
        return _SPELLINGS.get(text.strip()) if isinstance(text, str) else None

    @property
    def ascii(self) -> str:
        """The operator in ASCII, as plan files write it (``<=`` for ``≤``)."""
        return {"≤": "<=", "≥": ">="}.get(self.value, self.value)

    def holds(self, left: Decimal, right: Decimal) -> bool:
        """Whether ``left <operator> right``, exactly."""
        if self is RuleOperator.LT:
            return left < right
        if self is RuleOperator.LE:
            return left <= right
        if self is RuleOperator.EQ:
            return left == right
        if self is RuleOperator.GE:
            return left >= right
        return left > right


_SPELLINGS = {op.value: op for op in RuleOperator} | {
    "<=": RuleOperator.LE,
    ">=": RuleOperator.GE,
    "==": RuleOperator.EQ,
}


class Importance(enum.Enum):
    """How much a broken rule matters (DHIS2's importance): high, medium or low."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@attrs.frozen
class RuleTerm:
    """One term of a rule's side: an indicator, or one group of it (``{"residence": "rural"}``)."""

    indicator: str
    group: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        groups = ", ".join(f"{name}={value}" for name, value in self.group)
        return f"{self.indicator} ({groups})" if groups else self.indicator


@attrs.frozen
class Rule:
    """A rule: ``left operator right`` for every area and period of a table, with why it must hold.

    ``id`` is a short ASCII name; ``message`` is what a person reads when the rule is
    broken; ``note`` gives the reason the plan's indicators imply it.
    """

    id: str
    left: tuple[RuleTerm, ...]
    operator: RuleOperator
    right: tuple[RuleTerm, ...]
    importance: Importance
    message: Text
    note: Text | None = None

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicators the rule compares, left then right, each once."""
        return tuple(dict.fromkeys(term.indicator for term in (*self.left, *self.right)))

    def __str__(self) -> str:
        left = " + ".join(str(term) for term in self.left)
        right = " + ".join(str(term) for term in self.right)
        return f"{left} {self.operator.value} {right}"
