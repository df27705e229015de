"""A table's problems by kind: every row that fails for one reason, said once.

A table written for another plan (national indicator codes, years past 2030) can give
hundreds of thousands of rows that fail, and a handful of reasons. A large table's rows
(:class:`~tdplan.analysis.scorecard.DecidedRows`) that fail before their value is read
share their combination's error, so their problems are made once per combination:
:class:`ProblemList` builds a row's :class:`~tdplan.analysis.scorecard.RowProblem` only
when asked for, and :func:`problem_kinds` groups every problem by what it says (its
error, code, indicator and message), each kind with its rows, in the order the kinds
first appear.

>>> import tdplan
>>> card = tdplan.load_plan().assess_table([
...     {"chỉ tiêu": "30", "giá trị": 5, "năm": 2025},
...     {"chỉ tiêu": "3", "giá trị": 16, "năm": 2025},
...     {"chỉ tiêu": "30", "giá trị": 7, "năm": 2026},
... ])
>>> [(kind.message, kind.rows) for kind in problem_kinds(card, "vi")]
[("không có chỉ tiêu '30': kế hoạch có 1–15, 15b, 16–25, 25b, 26–29", (1, 3))]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

import attrs

from tdplan.analysis.scorecard import DecidedRows, RowProblem

if TYPE_CHECKING:
    from tdplan.analysis.scorecard import Scorecard

__all__ = [
    "ProblemKind",
    "ProblemKinds",
    "ProblemList",
    "ProblemParts",
    "problem_kinds",
    "problem_parts",
    "problem_rows",
]


@attrs.frozen(eq=False)
class ProblemParts:
    """Every problem of a table as a part: ``rows`` (each problem's row number, in order), ``parts`` (each problem's
    part) and each part's problem (its first row's); rows of one part have the same problem. For a large table
    ``rows`` and ``parts`` are NumPy arrays, else lists."""

    rows: Any
    parts: Any
    firsts: tuple[RowProblem, ...]


def problem_parts(card: Scorecard) -> ProblemParts:
    """``card``'s problems as parts (made once per scorecard): a large table's rows that share their combination's
    error are one part; any other problem is a part of its own."""
    return card.checked("problem parts", _parts)  # type: ignore[no-any-return]


def _parts(card: Scorecard) -> ProblemParts:
    rows = card.rows
    if not isinstance(rows, DecidedRows):  # a small table: its rows are built, and NumPy may be missing
        problems = tuple(row.problem for row in rows if row.problem is not None)
        return ProblemParts([problem.row for problem in problems], list(range(len(problems))), problems)
    import numpy as np

    indices = np.flatnonzero(np.asarray(rows.codes) < 0).astype(np.int32)
    shortcut = np.asarray(rows.shortcut, dtype=bool)[indices]
    combinations = np.asarray(rows.combination)[indices[shortcut]]
    # each failing combination's first problem, found by writing positions last to first (the first stays)
    first = np.full(len(rows.decision.errors), -1, dtype=np.int32)
    first[combinations[::-1]] = np.arange(len(combinations) - 1, -1, -1, dtype=np.int32)
    failing = np.flatnonzero(first >= 0)
    failing = failing[np.argsort(first[failing], kind="stable")]  # in the order they first fail
    renumber = np.full(len(first), -1, dtype=np.int32)
    renumber[failing] = np.arange(len(failing), dtype=np.int32)
    parts = np.empty(len(indices), dtype=np.int32)
    parts[shortcut] = renumber[combinations]
    own = np.flatnonzero(~shortcut)
    parts[own] = np.arange(len(failing), len(failing) + len(own), dtype=np.int32)
    chosen = [*indices[shortcut][first[failing]].tolist(), *indices[own].tolist()]
    firsts = tuple(rows.problem(at) for at in chosen)
    assert all(problem is not None for problem in firsts)  # an undecided row is a shortcut or scored with a problem
    indices += 1  # row numbers
    return ProblemParts(indices, parts, firsts)  # type: ignore[arg-type]


def problem_rows(card: Scorecard) -> dict[str, tuple[int, ...]]:
    """The numbers of ``card``'s rows with problems, by the plan indicator they name, in plan order."""
    parts = problem_parts(card)
    chosen: dict[str, set[int]] = {}
    for part, problem in enumerate(parts.firsts):
        if problem.indicator is not None:
            chosen.setdefault(problem.indicator, set()).add(part)
    found = {id: _rows_in(parts.rows, parts.parts, wanted) for id, wanted in chosen.items()}
    return {indicator.id: found[indicator.id] for indicator in card.plan.indicators if indicator.id in found}


def _rows_in(rows: Any, codes: Any, wanted: set[int]) -> tuple[int, ...]:
    """The ``rows`` whose code is one of ``wanted``, in order."""
    if isinstance(rows, list):
        return tuple(row for row, code in zip(rows, codes, strict=True) if code in wanted)
    import numpy as np

    return tuple(rows[np.isin(codes, np.fromiter(wanted, dtype=codes.dtype, count=len(wanted)))].tolist())


_SLICE = 1 << 16
"""Problems looked through at a time for a kind's first rows."""


class ProblemList(Sequence[RowProblem]):
    """The problems of a large table, in the table's order, each built when asked for (see the module)."""

    def __init__(self, parts: ProblemParts) -> None:
        self._parts = parts

    def __len__(self) -> int:
        return len(self._parts.rows)

    def _problem(self, at: int) -> RowProblem:
        first = self._parts.firsts[int(self._parts.parts[at])]
        row = int(self._parts.rows[at])
        return first if first.row == row else attrs.evolve(first, row=row)

    @overload
    def __getitem__(self, index: int) -> RowProblem: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[RowProblem]: ...
    def __getitem__(self, index: int | slice) -> RowProblem | Sequence[RowProblem]:
        if isinstance(index, slice):
            return [self._problem(at) for at in range(len(self))[index]]
        if not -len(self) <= index < len(self):
            raise IndexError(f"problem index {index} out of range")
        return self._problem(index % len(self))

    def __iter__(self) -> Iterator[RowProblem]:
        return (self._problem(at) for at in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(other) == len(self) and all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # a sequence that compares by content is not hashable

    def __repr__(self) -> str:
        return f"ProblemList({len(self)} problems)"


@attrs.frozen
class ProblemKind:
    """The rows that fail for one reason: the first one's ``problem``, its ``message`` and every row's number."""

    problem: RowProblem
    message: str
    rows: tuple[int, ...]


class ProblemKinds(Sequence[ProblemKind]):
    """A table's problems grouped by what they say, in the order the kinds first appear (see :func:`problem_kinds`).

    ``rows`` is each problem's row number in the table's order and ``codes`` its kind (NumPy arrays for a large
    table, else lists), for writing every problem without building it; ``counts`` each kind's number of rows.
    """

    def __init__(self, rows: Any, codes: Any, firsts: Sequence[RowProblem], messages: Sequence[str]) -> None:
        self.rows, self.codes = rows, codes
        self.firsts, self.messages = tuple(firsts), tuple(messages)
        if isinstance(codes, list):
            counted = Counter(codes)
            self.counts = [counted[kind] for kind in range(len(self.firsts))]
        else:
            import numpy as np

            self.counts = np.bincount(codes, minlength=len(self.firsts)).tolist()
        self._rows_of: dict[int, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self.firsts)

    def listed(self, start: int = 0, stop: int | None = None) -> tuple[list[int], list[int]]:
        """The row numbers and kinds of problems ``start`` to ``stop``, as lists."""
        rows, codes = self.rows[start:stop], self.codes[start:stop]
        return (rows, codes) if isinstance(rows, list) else (rows.tolist(), codes.tolist())

    def first_rows(self, kind: int, count: int) -> tuple[int, ...]:
        """The numbers of the first ``count`` rows of kind ``kind`` (found a slice at a time, all not held)."""
        if isinstance(self.rows, list):
            return tuple(row for row, code in zip(self.rows, self.codes, strict=True) if code == kind)[:count]
        found: list[int] = []
        for start in range(0, len(self.rows), _SLICE):
            found += self.rows[start : start + _SLICE][self.codes[start : start + _SLICE] == kind][:count].tolist()
            if len(found) >= count:
                break
        return tuple(found[:count])

    def rows_of(self, kind: int) -> tuple[int, ...]:
        """The numbers of the rows of kind ``kind``, in order."""
        found = self._rows_of.get(kind)
        if found is None:
            found = self._rows_of[kind] = _rows_in(self.rows, self.codes, {kind})
        return found

    @overload
    def __getitem__(self, index: int) -> ProblemKind: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ProblemKind]: ...
    def __getitem__(self, index: int | slice) -> ProblemKind | Sequence[ProblemKind]:
        if isinstance(index, slice):
            return [self[at] for at in range(len(self))[index]]
        at = range(len(self))[index]  # IndexError past the end
        return ProblemKind(self.firsts[at], self.messages[at], self.rows_of(at))

    def __repr__(self) -> str:
        return f"ProblemKinds({len(self)} kinds of {len(self.rows)} problems)"


def problem_kinds(card: Scorecard, lang: str = "en") -> ProblemKinds:
    """``card``'s problems grouped by their error, code, indicator and message in ``lang`` (made once per language).

    Every problem is in one kind; the kinds come in the order of their first rows.
    """
    return card.checked(f"problem kinds {lang}", lambda card: _kinds(card, lang))  # type: ignore[no-any-return]


def _kinds(card: Scorecard, lang: str) -> ProblemKinds:
    parts = problem_parts(card)
    keys: dict[tuple[str, str, str | None, str], int] = {}
    firsts: list[RowProblem] = []
    messages: list[str] = []
    kind_of = [0] * len(parts.firsts)
    # parts in the order of their first rows, so that kinds are numbered as they first appear
    for part in sorted(range(len(parts.firsts)), key=lambda part: parts.firsts[part].row):
        problem = parts.firsts[part]
        message = problem.message(lang)
        key = (problem.error, problem.code, problem.indicator, message)
        if key not in keys:
            keys[key] = len(firsts)
            firsts.append(problem)
            messages.append(message)
        kind_of[part] = keys[key]
    if isinstance(parts.parts, list):
        return ProblemKinds(parts.rows, [kind_of[part] for part in parts.parts], firsts, messages)
    import numpy as np

    return ProblemKinds(parts.rows, np.array(kind_of, dtype=np.int32)[parts.parts], firsts, messages)
