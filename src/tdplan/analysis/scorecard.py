"""A table of figures assessed against a plan: every row with its verdict or its problem, and roll-ups.

A :class:`Scorecard` holds the plan, the table's columns and every :class:`ScoredRow`
in input order; its roll-ups (:class:`Rollup`) count statuses by goal, lead office, area
or year. A large table's rows are :class:`DecidedRows`: decided with NumPy, each row
built only when asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import attrs

from tdplan.analysis.reading import TABLE, cell_of, plain_cell, text_cell
from tdplan.core.errors import InputTypeError, TdplanError
from tdplan.core.i18n import N_, Message, translate
from tdplan.core.model import Assessment
from tdplan.core.periods import Period
from tdplan.core.text import check_lang
from tdplan.core.vocabulary import Status, Text

if TYPE_CHECKING:
    from tdplan.analysis.bulk import Decision
    from tdplan.analysis.completeness import Completeness
    from tdplan.analysis.jumps import Jump, JumpBand
    from tdplan.analysis.problem_kinds import ProblemKinds
    from tdplan.analysis.rules import Violation
    from tdplan.core.model import Plan
    from tdplan.core.units import Unit

__all__ = ["DecidedRows", "Rollup", "RowProblem", "Scorecard", "ScoredRow"]

_NO_AREA = N_("(no area)")
_TALLY_ROWS = 1 << 18
"""Rows :meth:`DecidedRows.tally` counts at a time: about 16 MB of work space at the peak (docs/performance.md)."""


def _cells(column: Any, indices: Any) -> list[Any]:
    """The cells of ``column`` at ``indices``: taken at once from a pandas array (one at a time is slow), as they are
    from a NumPy array."""
    import numpy as np

    if isinstance(column, np.ndarray) or not hasattr(column, "take"):
        return [column[index] for index in indices.tolist()]
    return list(column.take(indices))


@attrs.frozen
class RowProblem:
    """Why a row could not be assessed: its number (1 = the first row under the header) and the error.

    ``error`` is the error's class name (``UnknownIndicatorError``), ``code`` its stable
    code (``unknown_indicator``), ``params`` its parameters; :meth:`message` gives the
    sentence in Vietnamese or English, saying which column to fill where a column would
    fix it. ``str()`` is ``row 3: …`` in English.

    >>> from tdplan import UnknownIndicatorError
    >>> error = UnknownIndicatorError("no indicator {id!r}: the plan has {valid}", id="30", valid="1–29")
    >>> problem = RowProblem.of(3, error)
    >>> problem.code, problem.message("vi")
    ('unknown_indicator', "không có chỉ tiêu '30': kế hoạch có 1–29")
    """

    row: int
    error: str
    code: str
    template: str = attrs.field(repr=False)
    params: Mapping[str, Any] = attrs.field(repr=False, eq=False, factory=dict)
    indicator: str | None = None
    """The plan indicator the row names, if it names one: its goal section shows the problem."""

    @classmethod
    def of(cls, row: int, error: TdplanError, indicator: str | None = None) -> RowProblem:
        """The problem of row ``row``, from the error that stopped it (``indicator``: the one the row names)."""
        return cls(row, type(error).__name__, error.code, error.template, dict(error.params), indicator)

    def message(self, lang: str = "en") -> str:
        """The sentence in ``lang``, in a table's words (``… ở cột khu vực``)."""
        return Message(self.template, **self.params).text(lang, TABLE)

    def __str__(self) -> str:
        return f"row {self.row}: {self.message()}"


@attrs.frozen(repr=False)
class ScoredRow:
    """One row of the table: its number, its cells as given, and its assessment or problem."""

    row: int
    cells: Mapping[str, Any]
    assessment: Assessment | None = None
    problem: RowProblem | None = None
    area: str | None = None
    period: Period | None = None
    counts: tuple[int, int] | None = None
    """The numerator and denominator the row gave, where it was assessed from them."""
    notes: tuple[Message, ...] = ()
    """Remarks on an assessed row (a plain 0,962 for a % target: likely a fraction); each in either language."""

    @property
    def status(self) -> Status | None:
        """The assessment's status, or None for a row with a problem."""
        return None if self.assessment is None else self.assessment.status

    def __repr__(self) -> str:
        verdict = self.problem.message() if self.problem else self.assessment.explain("en") if self.assessment else ""
        return f"<ScoredRow {self.row}: {verdict}>"


@attrs.frozen(repr=False)
class Rollup:
    """The statuses of a group of rows: a goal, an agency, an area or a year."""

    by: str
    key: str
    label: Text
    counts: Mapping[Status, int]
    indicators: tuple[str, ...]

    @property
    def total(self) -> int:
        """The number of assessed rows in the group."""
        return sum(self.counts.values())

    @property
    def met(self) -> int:
        """Rows that meet their target (``MET`` and ``AHEAD``)."""
        return self.counts[Status.MET] + self.counts[Status.AHEAD]

    def share(self, status: Status) -> Fraction:
        """The share of the group's rows with ``status`` (0 for an empty group), exactly."""
        return Fraction(self.counts[status], self.total) if self.total else Fraction(0)

    def __repr__(self) -> str:
        counts = ", ".join(f"{status.name} {count}" for status, count in self.counts.items() if count)
        return f"<Rollup {self.by} {self.key}: {counts or 'no rows'}>"


@attrs.frozen(repr=False)
class Scorecard:
    """A table of figures assessed against a plan: every row, in input order, and summaries."""

    plan: Plan
    columns: tuple[str, ...]
    rows: Sequence[ScoredRow]
    # The checks of the figures (rules.py, completeness.py, jumps.py): their settings, and their results once asked.
    expected_areas: tuple[str, ...] | None = None
    jump_bands: Mapping[Unit, JumpBand] | None = attrs.field(default=None, eq=False)
    ignored_columns: tuple[str, ...] = ()
    """The table's columns tdplan does not read (``STT``, ``Ghi chú`` …): named in every report."""
    table_path: Path | None = attrs.field(default=None, eq=False)
    """The file the table was read from (absolute), if it was (:func:`~tdplan.write_report` never writes over it)."""
    _checked: dict[str, Any] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    @property
    def violations(self) -> tuple[Violation, ...]:
        """Where the figures break the plan's rules or the built-in checks (:mod:`tdplan.analysis.rules`)."""
        from tdplan.analysis.rules import check_rules

        return self.checked("violations", check_rules)  # type: ignore[no-any-return]

    @property
    def completeness(self) -> Completeness:
        """Which indicator × area × period figures are present (:mod:`tdplan.analysis.completeness`)."""
        from tdplan.analysis.completeness import completeness

        run: Callable[[Scorecard], Any] = lambda card: completeness(card, areas=card.expected_areas)  # noqa: E731
        return self.checked("completeness", run)  # type: ignore[no-any-return]

    @property
    def jumps(self) -> tuple[Jump, ...]:
        """Figures beyond the plausibility band since the previous period: "kiểm tra lại" (analysis/jumps.py)."""
        from tdplan.analysis.jumps import find_jumps

        return self.checked("jumps", lambda card: find_jumps(card, card.jump_bands))  # type: ignore[no-any-return]

    def checked(self, name: str, run: Callable[[Scorecard], Any]) -> Any:
        """The result of the check ``name``: ``run(self)``, computed the first time it is asked for, then kept."""
        found = self._checked.get(name)
        if found is None:
            found = self._checked[name] = run(self)
        return found

    @property
    def assessments(self) -> tuple[Assessment, ...]:
        """The assessments of the rows that could be assessed, in input order."""
        return tuple(row.assessment for row in self.rows if row.assessment is not None)

    @property
    def problems(self) -> Sequence[RowProblem]:
        """The rows that could not be assessed, with the reason, in the table's order.

        A tuple; for a large table (:class:`DecidedRows`), a
        :class:`~tdplan.analysis.problem_kinds.ProblemList` that builds each problem when
        asked for (rows that share their combination's error share one).
        """
        if isinstance(self.rows, DecidedRows):
            from tdplan.analysis.problem_kinds import ProblemList, problem_parts

            return ProblemList(problem_parts(self))
        return tuple(row.problem for row in self.rows if row.problem is not None)

    def problem_rows(self) -> dict[str, tuple[int, ...]]:
        """The numbers of the rows with problems, by the plan indicator they name (in plan order)."""
        from tdplan.analysis.problem_kinds import problem_rows

        return problem_rows(self)

    def problem_kinds(self, lang: str = "en") -> ProblemKinds:
        """The problems grouped by what they say, each kind with its rows: see :mod:`tdplan.analysis.problem_kinds`."""
        from tdplan.analysis.problem_kinds import problem_kinds

        return problem_kinds(self, lang)

    @property
    def counts(self) -> Mapping[Status, int]:
        """How many rows have each status (every status present, zero included)."""
        if isinstance(self.rows, DecidedRows):
            import numpy as np

            from tdplan.analysis.bulk import STATUS_CODES

            codes = self.rows.codes
            # a pass per status: bincount would first copy the codes as 8-byte integers (40 MB at five million rows)
            tally = [int(np.count_nonzero(codes == code)) for code in range(len(STATUS_CODES))]
            return {status: tally[STATUS_CODES.index(status)] for status in Status}
        found = Counter(status for status, *_ in self._facts())
        return {status: found[status] for status in Status}

    def _facts(self) -> Iterator[tuple[Status, str, int, str | None]]:
        """(status, indicator id, year, area) of every assessed row, in input order."""
        if isinstance(self.rows, DecidedRows):
            yield from self.rows.facts()
            return
        for row in self.rows:
            if row.assessment is not None:
                yield row.assessment.status, row.assessment.indicator.id, row.assessment.year, row.area

    def _tally(self) -> Counter[tuple[Status, str, int, str | None]]:
        """How many rows have each (status, indicator, year, area), in order of first appearance: counted once, kept.

        A million rows have few kinds; a large table's are counted by combination (:meth:`DecidedRows.tally`).
        """

        def count(card: Scorecard) -> Counter[tuple[Status, str, int, str | None]]:
            return card.rows.tally() if isinstance(card.rows, DecidedRows) else Counter(card._facts())

        return self.checked("tally", count)  # type: ignore[no-any-return]

    def by_goal(self) -> tuple[Rollup, ...]:
        """A roll-up per goal of the plan, in plan order (goals with no rows included)."""
        goal_of = {ind.id: [str(ind.goal)] for ind in self.plan.indicators}
        return self._rollup(
            "goal",
            [(str(goal.number), goal.title, [ind.id for ind in goal.indicators]) for goal in self.plan.goals],
            lambda indicator, year, area: goal_of[indicator],
        )

    def by_agency(self) -> tuple[Rollup, ...]:
        """A roll-up per lead agency of section IV (an indicator with two leads counts for both)."""
        leads = {ind.id: list(ind.lead_agencies) for ind in self.plan.indicators}
        return self._rollup(
            "agency",
            [
                (agency.id, agency.name, [ind.id for ind in agency.indicators])
                for agency in self.plan.agencies
                if agency.indicators
            ],
            lambda indicator, year, area: leads[indicator],
        )

    def by_area(self) -> tuple[Rollup, ...]:
        """A roll-up per area, in order of first appearance (rows with no area under ``""``)."""
        areas = dict.fromkeys(area or "" for _, _, _, area in self._tally())  # keys in order of first appearance
        return self._rollup(
            "area",
            [(area, Text(area or translate(_NO_AREA, "vi"), area or _NO_AREA), []) for area in areas],
            lambda indicator, year, area: [area or ""],
        )

    def by_year(self) -> tuple[Rollup, ...]:
        """A roll-up per year, in time order."""
        years = sorted({year for _, _, year, _ in self._tally()})
        return self._rollup(
            "year",
            [(str(year), Text(str(year), str(year)), []) for year in years],
            lambda indicator, year, area: [str(year)],
        )

    def rollup(self, by: str) -> tuple[Rollup, ...]:
        """The roll-up ``by`` ``"goal"``, ``"agency"``, ``"area"`` or ``"year"``."""
        methods = {"goal": self.by_goal, "agency": self.by_agency, "area": self.by_area, "year": self.by_year}
        if not isinstance(by, str) or by not in methods:
            raise InputTypeError("cannot roll up by {by!r}: use goal, agency, area or year", by=by)
        return methods[by]()

    def to_dataframe(self, lang: str = "vi", *, floats: bool = False) -> Any:
        """A pandas DataFrame, one row per row of the table: its number, its cells as given, and its verdict.

        Columns: ``row``, the table's own, then indicator, goal, year, period, area,
        disaggregation, status, met, value, unit, comparator, threshold, margin, exact,
        target_year, explanation (in ``lang``), error and problem (see
        :func:`tdplan.reports.frames.scorecard_frame`). Values are exact ``Decimal`` objects, not
        floats, so that a value on its threshold stays on it; ``floats=True`` gives float
        columns for plotting. pandas is an optional extra (``tdplan[pandas]``):
        :class:`~tdplan.MissingDependencyError` if it is missing.
        """
        from tdplan.reports.frames import scorecard_frame  # the declared upward reach (docs/architecture.md)

        return scorecard_frame(self, check_lang(lang), floats=floats)

    def plot(self, by: str = "goal", ax: Any = None, lang: str = "vi") -> Any:
        """A matplotlib chart: a bar per goal (or ``"agency"``, ``"area"``, ``"year"``), stacked by status; the Axes.

        Draws on ``ax`` if given, else on a new Figure (never pyplot); save it with
        ``card.plot().figure.savefig("chart.png")``. matplotlib is an optional extra
        (``tdplan[charts]``). See :func:`tdplan.reports.charts.scorecard_chart`.
        """
        from tdplan.reports.charts import scorecard_chart  # the declared upward reach

        return scorecard_chart(self, by, ax, check_lang(lang))

    def _rollup(
        self,
        by: str,
        groups: list[tuple[str, Text, list[str]]],
        keys: Callable[[str, int, str | None], list[str]],
    ) -> tuple[Rollup, ...]:
        counts: dict[str, Counter[Status]] = {key: Counter() for key, _, _ in groups}
        seen: dict[str, dict[str, None]] = {key: {} for key, _, _ in groups}
        for (status, indicator, year, area), number in self._tally().items():
            for key in keys(indicator, year, area):
                if key in counts:
                    counts[key][status] += number
                    seen[key][indicator] = None
        return tuple(
            Rollup(
                by,
                key,
                label,
                {status: counts[key][status] for status in Status},
                tuple(indicators or seen[key]),
            )
            for key, label, indicators in groups
        )

    def __repr__(self) -> str:
        counts = ", ".join(f"{status.name} {count}" for status, count in self.counts.items() if count)
        problems = f", {len(self.problems)} problem(s)" if self.problems else ""
        return f"<Scorecard {self.plan.id}: {len(self.rows)} rows; {counts or 'none assessed'}{problems}>"

    def _repr_html_(self) -> str:
        """A compact HTML summary for Jupyter: counts per status, the roll-up by goal, any problems; no scripts."""
        from tdplan.reports.html_format import summary_html  # the declared upward reach

        return summary_html(self)


class DecidedRows(Sequence[ScoredRow]):
    """The rows of a large table: decided with NumPy, each ScoredRow built by ``score`` (the scalar path) on demand.

    ``codes`` holds every row's status as an index into :data:`tdplan.analysis.bulk.STATUS_CODES`,
    or -1 for a problem; ``scored`` the rows the scalar path decided, complete.
    """

    def __init__(
        self,
        plan: Plan,
        names: list[str],
        columns: dict[str, Any],
        found: dict[str, str],
        codes: Any,
        scored: dict[int, ScoredRow],
        decision: Decision,
        shortcut: Any,
        score: Callable[[Plan, int, dict[str, Any], dict[str, str]], ScoredRow],
    ) -> None:
        self._plan, self._names, self._columns, self._found, self._score = plan, names, columns, found, score
        self.codes, self.scored, self._decision, self._shortcut = codes, scored, decision, shortcut

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def columns(self) -> dict[str, Any]:
        """The table's columns as given, by name: what the checks and exports read. A DataFrame's are NumPy or pandas
        arrays; a large CSV file's, :class:`~tdplan.analysis.columns.CodedColumn` and
        :class:`~tdplan.analysis.columns.TextColumn`."""
        return self._columns

    @property
    def decision(self) -> Decision:
        """What NumPy decided (:class:`tdplan.analysis.bulk.Decision`): the rows' combinations, their cells, values."""
        return self._decision

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return NotImplemented if not isinstance(other, Sequence) else False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # a sequence that compares by content is not hashable

    def _row(self, index: int) -> ScoredRow:
        found = self.scored.get(index)
        if found is not None:
            return found
        cells = {name: plain_cell(self._columns[name][index]) for name in self._names}
        if self._shortcut[index]:
            problem = self.problem(index)
            return ScoredRow(index + 1, cells, problem=problem, area=text_cell(cell_of(cells, self._found, "area")))
        return self._score(self._plan, index + 1, cells, self._found)

    def problem(self, index: int) -> RowProblem | None:
        """Row ``index``'s problem, if it has one."""
        if self._shortcut[index]:
            error = self._decision.errors[int(self._decision.combination[index])]
            assert error is not None  # a shortcut row's combination has an error
            named = text_cell(plain_cell(self._columns[self._found["indicator"]][index]))
            indicator = named if named is not None and self._plan.get_indicator(named) is not None else None
            return RowProblem.of(index + 1, error, indicator)
        row = self.scored.get(index)
        return None if row is None else row.problem

    def problem_messages(self, lang: str = "en") -> Any:
        """Each row's problem message in ``lang``, or None, as a NumPy object array: once per failing combination."""
        import numpy as np

        by_combination = np.array(
            [None if error is None else RowProblem.of(0, error).message(lang) for error in self._decision.errors]
            + [None],
            dtype=object,
        )
        combination = np.where(self._shortcut, self._decision.combination, len(by_combination) - 1)
        messages = by_combination[combination]
        for index, row in self.scored.items():
            messages[index] = None if row.problem is None else row.problem.message(lang)
        return messages

    @overload
    def __getitem__(self, index: int) -> ScoredRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ScoredRow]: ...
    def __getitem__(self, index: int | slice) -> ScoredRow | Sequence[ScoredRow]:
        if isinstance(index, slice):
            return [self._row(position) for position in range(len(self))[index]]
        if not -len(self) <= index < len(self):
            raise IndexError(f"row index {index} out of range")
        return self._row(index % len(self))

    @property
    def combination(self) -> Any:
        """Each row's (indicator, year, unit, group) combination, as a code (:class:`tdplan.analysis.bulk.Decision`)."""
        return self._decision.combination

    @property
    def shortcut(self) -> Any:
        """Which rows share their combination's error (an unknown indicator, a year outside the plan), as booleans."""
        return self._shortcut

    def tally(self) -> Counter[tuple[Status, str, int, str | None]]:
        """``Counter(self.facts())``, keys in the same order (first appearance), counted by combination and area."""
        import numpy as np

        from tdplan.analysis.bulk import STATUS_CODES
        from tdplan.analysis.columns import factorize

        area = self._columns[self._found["area"]] if "area" in self._found else None
        indicator, year = self._columns[self._found["indicator"]], self._columns[self._found["year"]]
        found_kinds: list[tuple[int, tuple[Status, str, int, str | None], int]] = []
        scored = np.fromiter(self.scored, dtype=np.int64, count=len(self.scored))
        texts: dict[str, str | None] = {}  # an indicator's or area's text cell, read once a cell

        def named(cell: Any) -> str | None:
            if type(cell) is not str:  # 1, 1.0 and Decimal("1.00"): equal keys, and read differently
                return text_cell(plain_cell(cell))
            found = texts.get(cell, ...)
            if found is ...:
                found = texts[cell] = text_cell(plain_cell(cell))
            return found

        for start in range(0, len(self), _TALLY_ROWS):  # a slice at a time: memory holds a slice's keys, not a table's
            stop = min(len(self), start + _TALLY_ROWS)
            codes = self.codes[start:stop]
            decided = codes >= 0
            decided[scored[(scored >= start) & (scored < stop)] - start] = False
            rows = decided.nonzero()[0]
            places: list[Any] = [None]
            area_codes = np.zeros(len(rows), dtype=np.int64)
            if area is not None and len(rows):
                found, uniques = factorize(area[start:stop][rows])
                area_codes, places = np.add(found, 1, dtype=np.int64), [None, *uniques]
                del found
            keys = np.asarray(self._decision.combination[start:stop])[rows].astype(np.int64)
            keys *= len(STATUS_CODES)  # in place: no array of the slice's length made for each step
            keys += codes[rows]
            keys *= len(places)
            keys += area_codes
            del area_codes
            inverse, kinds = factorize(keys)  # numbered in order of first appearance
            numbers = np.bincount(inverse, minlength=len(kinds)).tolist()
            running = np.maximum.accumulate(inverse) if len(inverse) else inverse
            first = np.flatnonzero(np.concatenate(([True], running[1:] > running[:-1]))) if len(inverse) else inverse
            indices = rows[first] + start  # a row of each kind: its indicator and year cells, taken at once
            kind_cells = zip(_cells(indicator, indices), _cells(year, indices), strict=True)
            for kind, index, number, (cell, year_cell) in zip(
                kinds, indices.tolist(), numbers, kind_cells, strict=True
            ):
                place = places[kind % len(places)]
                key = (
                    STATUS_CODES[kind // len(places) % len(STATUS_CODES)],
                    str(named(cell)),
                    int(year_cell),
                    None if place is None else named(place),
                )
                found_kinds.append((index, key, number))
            del rows, keys, inverse, running, first, indices  # not held while the next slice is counted
        for index, row in self.scored.items():
            if row.assessment is not None:
                found_kinds.append(
                    (index, (row.assessment.status, row.assessment.indicator.id, row.assessment.year, row.area), 1)
                )
        tally: Counter[tuple[Status, str, int, str | None]] = Counter()
        for _, key, number in sorted(found_kinds, key=lambda kind: kind[0]):
            tally[key] += number
        return tally

    def facts(self) -> Iterator[tuple[Status, str, int, str | None]]:
        """(status, indicator id, year, area) of every assessed row, without building its assessment."""
        from tdplan.analysis.bulk import STATUS_CODES

        area = self._columns[self._found["area"]] if "area" in self._found else None
        indicator, year = self._columns[self._found["indicator"]], self._columns[self._found["year"]]
        for index, code in enumerate(self.codes.tolist()):
            row = self.scored.get(index)
            if row is not None:
                if row.assessment is not None:
                    yield row.assessment.status, row.assessment.indicator.id, row.assessment.year, row.area
            elif code >= 0:
                place = None if area is None else text_cell(plain_cell(area[index]))
                yield STATUS_CODES[code], str(text_cell(plain_cell(indicator[index]))), int(year[index]), place
