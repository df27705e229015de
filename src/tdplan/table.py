"""Whole tables of figures assessed at once: rows in, a :class:`Scorecard` out.

A table has a row per measurement: which indicator, the value (or its numerator and
denominator), its unit, the year (or a date or reporting period), the place (``area``)
and the group (``residence``, ``age``). Column names may be English or Vietnamese
(``chỉ tiêu``, ``giá trị``, ``năm``, ``địa bàn`` …, with or without accents); other
columns are kept with their row. Rows may come from a CSV file, a list of mappings, or a
pandas DataFrame, and give the same scorecard.

A bad row does not stop the table: it is kept, with its row number and the reason, and
counted; nothing is skipped silently. Row 1 is the first record under the header; blank
lines of a CSV file are passed over but counted, so a row's number is its place in the
file. Cells past the header's last column are kept, under ``column 5`` (its position);
two columns with one name are an error.
"""

from __future__ import annotations

import csv
import importlib
import io
import numbers
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, overload

import attrs

from tdplan.assessment import assess_rate
from tdplan.errors import InputTypeError, InvalidValueError, PlanFileError, TdplanError
from tdplan.model import Assessment, Status, Text
from tdplan.periods import Period
from tdplan.progress import for_period

if TYPE_CHECKING:
    from tdplan.bulk import Decision
    from tdplan.model import Plan

__all__ = [
    "COLUMNS",
    "Rollup",
    "RowProblem",
    "Scorecard",
    "ScoredRow",
    "TableLike",
    "assess_frame",
    "assess_table",
    "read_rows",
]

TableLike: TypeAlias = "str | os.PathLike[str] | io.TextIOBase | Iterable[Mapping[str, Any]] | Any"
"""A table: a CSV file's path or open text file, an iterable of mappings (one per row), or a pandas DataFrame."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "indicator_id", "id", "chi_tieu", "ma_chi_tieu", "ma"),
    "value": ("value", "gia_tri", "so_lieu"),
    "numerator": ("numerator", "tu_so"),
    "denominator": ("denominator", "mau_so"),
    "unit": ("unit", "don_vi", "don_vi_tinh"),
    "year": ("year", "nam"),
    "period": ("period", "date", "ky", "ky_bao_cao", "ngay", "thoi_gian"),
    "area": ("area", "place", "commune", "dia_ban", "xa", "don_vi_hanh_chinh"),
    "residence": ("residence", "khu_vuc"),
    "age": ("age", "age_group", "nhom_tuoi", "do_tuoi"),
}
"""The columns tdplan reads, and the names it recognises for each (compared without case or accents)."""

_GROUPS = ("residence", "age")
_MAX_CSV_BYTES = 1 << 30


def _key(name: str) -> str:
    """A column name compared without case, accents or separators: ``Chỉ tiêu`` → ``chi_tieu``."""
    text = unicodedata.normalize("NFKD", name.strip().lower().replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}


@attrs.frozen
class RowProblem:
    """Why a row could not be assessed: its number (1 = the first row under the header), the error and its message."""

    row: int
    error: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@attrs.frozen(repr=False)
class ScoredRow:
    """One row of the table: its number, its cells as given, and its assessment or problem."""

    row: int
    cells: Mapping[str, Any]
    assessment: Assessment | None = None
    problem: RowProblem | None = None
    area: str | None = None
    period: Period | None = None

    @property
    def status(self) -> Status | None:
        """The assessment's status, or None for a row with a problem."""
        return None if self.assessment is None else self.assessment.status

    def __repr__(self) -> str:
        verdict = self.problem.message if self.problem else self.assessment.explain("en") if self.assessment else ""
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

    @property
    def assessments(self) -> tuple[Assessment, ...]:
        """The assessments of the rows that could be assessed, in input order."""
        return tuple(row.assessment for row in self.rows if row.assessment is not None)

    @property
    def problems(self) -> tuple[RowProblem, ...]:
        """The rows that could not be assessed, with the reason."""
        if isinstance(self.rows, _LazyRows):  # only rows NumPy left undecided can have one
            rows = self.rows
            return tuple(
                problem
                for index in (rows.codes < 0).nonzero()[0].tolist()
                if (problem := rows.problem(index)) is not None
            )
        return tuple(row.problem for row in self.rows if row.problem is not None)

    @property
    def counts(self) -> Mapping[Status, int]:
        """How many rows have each status (every status present, zero included)."""
        if isinstance(self.rows, _LazyRows):
            from tdplan.bulk import STATUS_CODES

            tally = Counter(self.rows.codes[self.rows.codes >= 0].tolist())
            return {status: tally[STATUS_CODES.index(status)] for status in Status}
        found = Counter(status for status, *_ in self._facts())
        return {status: found[status] for status in Status}

    def _facts(self) -> Iterator[tuple[Status, str, int, str | None]]:
        """(status, indicator id, year, area) of every assessed row, in input order."""
        if isinstance(self.rows, _LazyRows):
            yield from self.rows.facts()
            return
        for row in self.rows:
            if row.assessment is not None:
                yield row.assessment.status, row.assessment.indicator.id, row.assessment.year, row.area

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
        areas = dict.fromkeys(area or "" for _, _, _, area in self._facts())
        return self._rollup(
            "area",
            [(area, Text(area or "(không ghi địa bàn)", area or "(no area)"), []) for area in areas],
            lambda indicator, year, area: [area or ""],
        )

    def by_year(self) -> tuple[Rollup, ...]:
        """A roll-up per year, in time order."""
        years = sorted({year for _, _, year, _ in self._facts()})
        return self._rollup(
            "year",
            [(str(year), Text(str(year), str(year)), []) for year in years],
            lambda indicator, year, area: [str(year)],
        )

    def rollup(self, by: str) -> tuple[Rollup, ...]:
        """The roll-up ``by`` ``"goal"``, ``"agency"``, ``"area"`` or ``"year"``."""
        methods = {"goal": self.by_goal, "agency": self.by_agency, "area": self.by_area, "year": self.by_year}
        if by not in methods:
            raise InputTypeError(f"cannot roll up by {by!r}: use goal, agency, area or year")
        return methods[by]()

    def to_dataframe(self, lang: str = "vi", *, floats: bool = False) -> Any:
        """A pandas DataFrame, one row per row of the table: its number, its cells as given, and its verdict.

        Columns: ``row``, the table's own, then indicator, goal, year, period, area,
        disaggregation, status, met, value, unit, comparator, threshold, margin, exact,
        target_year, explanation (in ``lang``), error and problem (see
        :func:`tdplan.frames.scorecard_frame`). Values are exact ``Decimal`` objects, not
        floats, so that a value on its threshold stays on it; ``floats=True`` gives float
        columns for plotting. pandas is an optional extra (``tdplan[pandas]``):
        :class:`~tdplan.MissingDependencyError` if it is missing.
        """
        from tdplan.display import check_lang
        from tdplan.frames import scorecard_frame

        return scorecard_frame(self, check_lang(lang), floats=floats)

    def plot(self, by: str = "goal", ax: Any = None, lang: str = "vi") -> Any:
        """A matplotlib chart: a bar per goal (or ``"agency"``, ``"area"``, ``"year"``), stacked by status; the Axes.

        Draws on ``ax`` if given, else on a new Figure (never pyplot); save it with
        ``card.plot().figure.savefig("chart.png")``. matplotlib is an optional extra
        (``tdplan[charts]``). See :func:`tdplan.charts.scorecard_chart`.
        """
        from tdplan.charts import scorecard_chart
        from tdplan.display import check_lang

        return scorecard_chart(self, by, ax, check_lang(lang))

    def _rollup(
        self,
        by: str,
        groups: list[tuple[str, Text, list[str]]],
        keys: Callable[[str, int, str | None], list[str]],
    ) -> tuple[Rollup, ...]:
        counts: dict[str, Counter[Status]] = {key: Counter() for key, _, _ in groups}
        seen: dict[str, dict[str, None]] = {key: {} for key, _, _ in groups}
        tally: Counter[tuple[Status, str, int, str | None]] = Counter(self._facts())  # a million rows: few kinds
        for (status, indicator, year, area), number in tally.items():
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
        from tdplan.report import summary_html

        return summary_html(self)


def read_rows(data: TableLike) -> tuple[list[str], list[dict[str, Any]]]:
    """The column names and the rows of a table, as given (CSV cells are strings; blank lines are skipped)."""
    names, rows, _ = _read(data)
    return names, rows


def _read(data: TableLike) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    """Names, rows, and each row's number (1 = the first record under a CSV header, blank ones counted)."""
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        try:
            if path.stat().st_size > _MAX_CSV_BYTES:
                raise PlanFileError(f"{path}: over {_MAX_CSV_BYTES} bytes: split the table")
            with path.open(encoding="utf-8-sig", newline="") as file:
                return _read_csv(file)
        except UnicodeDecodeError as error:
            raise PlanFileError(f"{path}: not UTF-8 text (byte {error.start}): save the table as CSV UTF-8") from None
        except (OSError, ValueError) as error:  # ValueError: a path with a NUL in it
            if isinstance(error, PlanFileError | InputTypeError):
                raise
            raise PlanFileError(f"{path}: cannot read the table: {getattr(error, 'strerror', None) or error}") from None
    if isinstance(data, io.TextIOBase):
        return _read_csv(data)
    if _is_frame(data):
        names, columns, count = _frame_columns(data)
        cells = [{name: _cell(columns[name][index]) for name in names} for index in range(count)]
        return names, cells, list(range(1, count + 1))
    if isinstance(data, Mapping) or not isinstance(data, Iterable):
        raise InputTypeError(
            "a table is a CSV file's path, an open text file, a list of mappings (one per row) "
            f"or a pandas DataFrame, not {type(data).__name__}"
        )
    rows: list[dict[str, Any]] = []
    seen: dict[str, None] = {}
    for number, record in enumerate(data, start=1):
        if not isinstance(record, Mapping):
            raise InputTypeError(f"row {number} is a {type(record).__name__}, not a mapping of column names to cells")
        rows.append({str(key): value for key, value in record.items()})
        if len(rows[-1]) != len(record):
            raise InputTypeError(f"row {number} has two columns with the same name (such as 1 and '1'): keep one")
        seen.update(dict.fromkeys(rows[-1]))
    return list(seen), rows, list(range(1, len(rows) + 1))


def _is_frame(data: object) -> bool:
    return hasattr(data, "columns") and hasattr(data, "to_dict") and hasattr(data, "dtypes")


def _frame_columns(frame: Any) -> tuple[list[str], dict[str, Any], int]:
    """A DataFrame's column names, its columns as arrays (NumPy or pandas'), and its number of rows."""
    names = [str(name) for name in frame.columns]
    if len(set(names)) != len(names):
        raise InputTypeError("the table has two columns with the same name: keep one")
    columns = {}
    for name, column in zip(names, frame.columns, strict=True):
        series = frame[column]
        # Numbers as NumPy arrays (a view); text as pandas' own array, positional and not copied
        # into a million Python strings (with Arrow-backed strings, that would be most of the memory).
        columns[name] = series.to_numpy() if series.dtype.kind in "biuf" else series.array
    return names, columns, len(frame)


def _cell(value: Any) -> Any:
    """A DataFrame cell as a plain value: missing (NaN, None, NaT, NA) as None, NumPy scalars as Python ones.

    float32 and float16 stay as they are, so that they are read at their own precision (97.2 as
    float32 is 97.2, not 97.19999694824219), as :meth:`tdplan.Plan.assess` reads them.
    """
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, Decimal | numbers.Integral) and value != value:
        return None  # NaN, NumPy's float32 NaN included
    if type(value).__module__ == "numpy":
        scalar: Any = value
        narrow = isinstance(value, numbers.Real) and not isinstance(value, float | numbers.Integral)
        return value if narrow else scalar.item()
    return value


def _read_csv(file: Any) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    """Column names, rows and row numbers (blank lines are skipped, but counted: numbers match the file)."""
    text = file.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise PlanFileError(f"the table is not CSV that can be read: {error}") from None
    if not records:
        return [], [], []
    names = [name.strip() for name in records[0]]
    widest = max(len(cells) for cells in records)
    names += [f"column {position}" for position in range(len(names) + 1, widest + 1)]  # cells past the header
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise InputTypeError(f"the table has two columns named {duplicated[0]!r}: name each column once")
    rows, numbers = [], []
    for number, cells in enumerate(records[1:], start=1):
        if any(cell.strip() for cell in cells):
            rows.append({name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names)})
            numbers.append(number)
    return names, rows, numbers


def _columns(names: Sequence[str]) -> dict[str, str]:
    """Which given column holds each of tdplan's columns; two columns for one is an error."""
    found: dict[str, str] = {}
    for name in names:
        column = _ALIASES.get(_key(name))
        if column is None:
            continue
        if column in found:
            raise InputTypeError(f"columns {found[column]!r} and {name!r} both give the {column}: keep one")
        found[column] = name
    if "indicator" not in found:
        raise InputTypeError(
            "the table has no indicator column: name one 'indicator' or 'chỉ tiêu' "
            f"(columns: {', '.join(repr(name) for name in names)})"
        )
    if not {"value", "numerator"} & found.keys():
        raise InputTypeError(
            "the table has no value column: name one 'value' or 'giá trị', or give numerator and denominator"
        )
    if not {"year", "period"} & found.keys():
        raise InputTypeError("the table has no year column: name one 'year' or 'năm', or 'period' / 'kỳ'")
    return found


def _get(cells: Mapping[str, Any], found: Mapping[str, str], column: str) -> Any:
    """The cell of one of tdplan's columns, or None where the table has no such column."""
    return cells.get(found[column]) if column in found else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    """A cell as text, for ids, areas and groups (a whole number such as 3 becomes '3')."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise InputTypeError(f"{value!r} is not a name or an id")
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not isinstance(value, str):
        raise InputTypeError(f"{value!r} is not a name or an id")
    return " ".join(unicodedata.normalize("NFC", value).split())


def _count(value: Any, column: str) -> int:
    if isinstance(value, bool):
        raise InputTypeError(f"{column} {value!r} is not a count")
    if isinstance(value, numbers.Integral | float | Decimal) and value < 0:
        raise InvalidValueError(f"{column} {value} is negative: counts are 0 or more")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        raise InvalidValueError(f"{column} {value.strip()} is negative: counts are 0 or more")
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise InputTypeError(f"{column} {value!r} is not a count (a whole number)")


def _year_and_period(cells: dict[str, Any], found: dict[str, str]) -> tuple[int, Period | None]:
    year_cell = _get(cells, found, "year")
    period_cell = _get(cells, found, "period")
    period = None
    if period_cell is not None and not _blank(period_cell):
        period = Period.parse(period_cell.strip() if isinstance(period_cell, str) else period_cell)
    if _blank(year_cell):
        if period is None:
            raise InputTypeError("the row has no year: fill in the year (năm) or the period (kỳ)")
        return period.year, period
    year = _count(year_cell, "year")
    if period is not None and period.year != year:
        raise InputTypeError(f"the year {year} and the period {period.code} disagree")
    return year, period


def _assess_row(plan: Plan, cells: dict[str, Any], found: dict[str, str]) -> tuple[Assessment, Period | None]:
    indicator = _text(cells.get(found["indicator"]))
    if indicator is None:
        raise InputTypeError("the row has no indicator: fill in the indicator id (chỉ tiêu)")
    year, period = _year_and_period(cells, found)
    groups = {name: _text(cells.get(found[name])) for name in _GROUPS if name in found}
    disaggregation = {name: group for name, group in groups.items() if group is not None} or None
    value = _get(cells, found, "value")
    numerator, denominator = (_get(cells, found, name) for name in ("numerator", "denominator"))
    unit_cell = _get(cells, found, "unit")
    unit = None if _blank(unit_cell) else unit_cell
    if not _blank(value):
        if not (_blank(numerator) and _blank(denominator)):
            raise InputTypeError("the row gives both a value and counts: give one or the other")
        assessment = plan.assess(indicator, value, unit, year=year, disaggregation=disaggregation)
    elif not (_blank(numerator) or _blank(denominator)):
        assessment = _assess_counts(plan, indicator, numerator, denominator, year, disaggregation)
    else:
        raise InputTypeError("the row has no value: fill in the value (giá trị), or the numerator and denominator")
    if period is not None:
        assessment = for_period(assessment, period) or assessment
    return assessment, period


def _assess_counts(
    plan: Plan, indicator: str, numerator: Any, denominator: Any, year: int, disaggregation: dict[str, str] | None
) -> Assessment:
    num, den = _count(numerator, "numerator"), _count(denominator, "denominator")
    if den == 0:
        raise InvalidValueError(f"{num} out of 0 is not a rate: the denominator must be more than 0")
    unit = plan.indicator(indicator).unit
    whole = unit.whole
    if whole is None:
        raise InputTypeError(f"indicator {indicator} is a count: give its value, not a numerator and denominator")
    if num > den:
        raise InvalidValueError(f"{num} out of {den} is more than the whole population")
    return assess_rate(
        plan, indicator, Fraction(num, den) * Fraction(whole), unit, year=year, disaggregation=disaggregation
    )


def _score_row(plan: Plan, number: int, cells: dict[str, Any], found: dict[str, str]) -> ScoredRow:
    """One row by the scalar path: its assessment, or its problem."""
    area = None
    try:
        area = _text(_get(cells, found, "area"))
        assessment, period = _assess_row(plan, cells, found)
    except TdplanError as error:
        return ScoredRow(number, cells, problem=RowProblem(number, type(error).__name__, str(error)), area=area)
    return ScoredRow(number, cells, assessment=assessment, area=area, period=period)


Progress: TypeAlias = "Callable[[int, int], object]"
"""Called as ``progress(rows done, rows in all)`` while a long table is assessed."""

BULK_ROWS = 2000
"""Tables of at least this many rows, given as DataFrames with numeric values, are decided with NumPy."""


class _LazyRows(Sequence[ScoredRow]):
    """The rows of a large table: decided with NumPy, each ScoredRow built (by the scalar path) when asked for.

    ``codes`` holds every row's status as an index into :data:`tdplan.bulk.STATUS_CODES`,
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
    ) -> None:
        self._plan, self._names, self._columns, self._found = plan, names, columns, found
        self.codes, self.scored, self._decision, self._shortcut = codes, scored, decision, shortcut

    def __len__(self) -> int:
        return len(self.codes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return NotImplemented if not isinstance(other, Sequence) else False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # a sequence that compares by content is not hashable

    def _row(self, index: int) -> ScoredRow:
        found = self.scored.get(index)
        if found is not None:
            return found
        cells = {name: _cell(self._columns[name][index]) for name in self._names}
        if self._shortcut[index]:
            problem = self.problem(index)
            return ScoredRow(index + 1, cells, problem=problem, area=_text(_get(cells, self._found, "area")))
        return _score_row(self._plan, index + 1, cells, self._found)

    def problem(self, index: int) -> RowProblem | None:
        """Row ``index``'s problem, if it has one."""
        if self._shortcut[index]:
            error = self._decision.errors[int(self._decision.combination[index])]
            return RowProblem(index + 1, type(error).__name__, str(error))
        row = self.scored.get(index)
        return None if row is None else row.problem

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

    def facts(self) -> Iterator[tuple[Status, str, int, str | None]]:
        """(status, indicator id, year, area) of every assessed row, without building its assessment."""
        from tdplan.bulk import STATUS_CODES

        area = self._columns[self._found["area"]] if "area" in self._found else None
        indicator, year = self._columns[self._found["indicator"]], self._columns[self._found["year"]]
        for index, code in enumerate(self.codes.tolist()):
            row = self.scored.get(index)
            if row is not None:
                if row.assessment is not None:
                    yield row.assessment.status, row.assessment.indicator.id, row.assessment.year, row.area
            elif code >= 0:
                place = None if area is None else _text(_cell(area[index]))
                yield STATUS_CODES[code], str(_text(_cell(indicator[index]))), int(year[index]), place


def assess_table(plan: Plan, data: TableLike, *, progress: Progress | None = None) -> Scorecard:
    """Assess every row of a table against ``plan``; see the module's description.

    A large DataFrame with numeric values is decided with NumPy (:mod:`tdplan.bulk`),
    giving exactly the verdicts of the scalar path, which still decides (and explains)
    every row NumPy cannot. ``progress`` is called now and then with the rows done and
    the rows in all.

    >>> import tdplan
    >>> plan = tdplan.load_plan()
    >>> card = assess_table(plan, [
    ...     {"chỉ tiêu": "3", "giá trị": "16,5‰", "năm": 2025, "địa bàn": "Bản Bo"},
    ...     {"chỉ tiêu": "9", "giá trị": "95%", "năm": 2025, "địa bàn": "Bản Bo"},
    ...     {"chỉ tiêu": "30", "giá trị": "1%", "năm": 2025},
    ... ])
    >>> card
    <Scorecard tam-duong-2021-2030: 3 rows; MET 1, NOT_MET 1, 1 problem(s)>
    >>> card.problems[0].message
    "no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29"
    """
    if _is_frame(data):
        names, columns, count = _frame_columns(data)
        found = _columns(names)
        if count >= BULK_ROWS and _bulk_ready(columns, found):
            return Scorecard(plan, tuple(names), _decide(plan, names, columns, found, progress))
        rows = [{name: _cell(columns[name][index]) for name in names} for index in range(count)]
        numbers = list(range(1, count + 1))
    else:
        names, rows, numbers = _read(data)
        found = _columns(names)
    scored = []
    for done, (number, cells) in enumerate(zip(numbers, rows, strict=True), start=1):
        scored.append(_score_row(plan, number, cells, found))
        if progress is not None and done % 1000 == 0:
            progress(done, len(rows))
    if progress is not None:
        progress(len(rows), len(rows))
    return Scorecard(plan, tuple(names), tuple(scored))


def _bulk_ready(columns: dict[str, Any], found: dict[str, str]) -> bool:
    """Whether NumPy can decide this table: numeric values, whole-number years, no counts or periods."""
    if {"numerator", "denominator", "period"} & found.keys() or "value" not in found or "year" not in found:
        return False
    value, year = columns[found["value"]], columns[found["year"]]
    numeric = getattr(value, "dtype", None) is not None and (value.dtype.kind in "iu" or value.dtype == "float64")
    return numeric and getattr(year, "dtype", None) is not None and year.dtype.kind in "iu"


def _decide(
    plan: Plan, names: list[str], columns: dict[str, Any], found: dict[str, str], progress: Progress | None
) -> _LazyRows:
    from tdplan.bulk import STATUS_CODES, UNDECIDED, decide

    def column(name: str) -> Any:
        return columns[found[name]] if name in found else None

    groups = {name: column(name) for name in _GROUPS if name in found}
    decision = decide(plan, column("indicator"), column("year"), column("value"), column("unit"), groups)
    codes = decision.codes
    # A row whose combination fails before its value is read (an unknown indicator, a year outside the
    # plan) fails with that combination's error, so long as its value is there and its area readable.
    # An area the scalar path refuses (a bool, 1.5) leaves its rows to the scalar path.
    refused = _bad_areas(column("area"), len(codes))
    codes[refused] = UNDECIDED
    readable = ~_isnan(column("value")) & (column("year") >= 0) & ~refused  # a negative year is refused first
    known = [index for index, error in enumerate(decision.errors) if error is not None]
    shortcut = (codes == UNDECIDED) & readable & _isin(decision.combination, known)
    scored: dict[int, ScoredRow] = {}
    undecided = ((codes == UNDECIDED) & ~shortcut).nonzero()[0]
    for done, index in enumerate(undecided.tolist(), start=1):
        cells = {name: _cell(columns[name][index]) for name in names}
        row = scored[index] = _score_row(plan, index + 1, cells, found)
        codes[index] = UNDECIDED if row.status is None else STATUS_CODES.index(row.status)
        if progress is not None and done % 1000 == 0:
            progress(len(codes) - len(undecided) + done, len(codes))
    if progress is not None:
        progress(len(codes), len(codes))
    return _LazyRows(plan, names, columns, found, codes, scored, decision, shortcut)


def _bad_areas(area: Any, rows: int) -> Any:
    """Which rows have an area the scalar path refuses, decided once per distinct area (none without areas)."""
    import numpy as np

    if area is None:
        return np.zeros(rows, dtype=bool)
    pandas = importlib.import_module("pandas")
    codes, uniques = pandas.factorize(area, use_na_sentinel=True)
    refused = []
    for index, cell in enumerate(uniques):
        try:
            _text(_cell(cell))
        except TdplanError:
            refused.append(index)
    return _isin(codes, refused)


def _isnan(values: Any) -> Any:
    import numpy as np

    return np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), dtype=bool)


def _isin(values: Any, wanted: list[int]) -> Any:
    import numpy as np

    return np.isin(values, np.array(wanted, dtype=values.dtype))


def assess_frame(plan: Plan, frame: Any) -> Any:
    """A DataFrame with two columns added: each row's ``status`` and ``problem``.

    ``status`` is ``"met"``, ``"not_met"``, ``"ahead"`` or ``"pending"`` (the
    :class:`~tdplan.Status` values), missing for a row with a problem; ``problem`` is
    the reason, missing for a row that was assessed. The rows, their index and their
    columns are kept (a column already named ``status`` or ``problem`` becomes
    ``status_input`` or ``problem_input``). It is a pure function of the rows, so a table too large for one
    machine is assessed partition by partition, with Dask's ``map_partitions``
    (``docs/performance.md``).

    >>> import pandas as pd, tdplan
    >>> frame = pd.DataFrame({"indicator": ["3", "3", "30"], "year": [2025] * 3, "value": [16.5, 18, 1]})
    >>> result = assess_frame(tdplan.load_plan(), frame)
    >>> list(result["status"].fillna("-"))
    ['met', 'not_met', '-']
    >>> result["problem"].iloc[2]
    "no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29"
    """
    card = assess_table(plan, frame)
    statuses: list[str | None] = [None] * len(card.rows)
    problems: list[str | None] = [None] * len(card.rows)
    if isinstance(card.rows, _LazyRows):
        from tdplan.bulk import STATUS_CODES

        names = [status.value for status in STATUS_CODES]
        statuses = [names[code] if code >= 0 else None for code in card.rows.codes.tolist()]
    else:
        statuses = [row.status.value if row.status is not None else None for row in card.rows]
    for problem in card.problems:
        problems[problem.row - 1] = problem.message
    clashing = {name: f"{name}_input" for name in ("status", "problem") if name in frame.columns}
    return frame.rename(columns=clashing).assign(status=statuses, problem=problems)
