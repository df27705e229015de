"""Whole tables of figures assessed at once: rows in, a :class:`Scorecard` out.

A table has a row per measurement: which indicator, the value (or its numerator and
denominator), its unit, the year (or a date or reporting period), the place (``area``)
and the group (``residence``, ``age``). Column names may be English or Vietnamese
(``chỉ tiêu``, ``giá trị``, ``năm``, ``địa bàn`` …, with or without accents); other
columns are kept with their row. Rows may come from a CSV file, a list of mappings, or a
pandas DataFrame, and give the same scorecard.

A bad row does not stop the table: it is kept, with its row number and the reason, and
counted; nothing is skipped silently.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from tdplan.assessment import assess_rate
from tdplan.errors import InputTypeError, InvalidValueError, PlanFileError, TdplanError
from tdplan.model import Assessment, Status, Text
from tdplan.periods import Period
from tdplan.progress import for_period

if TYPE_CHECKING:
    from tdplan.model import Plan

__all__ = ["COLUMNS", "Rollup", "RowProblem", "Scorecard", "ScoredRow", "TableLike", "assess_table", "read_rows"]

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
    rows: tuple[ScoredRow, ...]

    @property
    def assessments(self) -> tuple[Assessment, ...]:
        """The assessments of the rows that could be assessed, in input order."""
        return tuple(row.assessment for row in self.rows if row.assessment is not None)

    @property
    def problems(self) -> tuple[RowProblem, ...]:
        """The rows that could not be assessed, with the reason."""
        return tuple(row.problem for row in self.rows if row.problem is not None)

    @property
    def counts(self) -> Mapping[Status, int]:
        """How many rows have each status (every status present, zero included)."""
        found = Counter(row.status for row in self.rows if row.status is not None)
        return {status: found[status] for status in Status}

    def by_goal(self) -> tuple[Rollup, ...]:
        """A roll-up per goal of the plan, in plan order (goals with no rows included)."""
        return self._rollup(
            "goal",
            [(str(goal.number), goal.title, [ind.id for ind in goal.indicators]) for goal in self.plan.goals],
            lambda row: [str(row.assessment.indicator.goal)] if row.assessment else [],
        )

    def by_agency(self) -> tuple[Rollup, ...]:
        """A roll-up per lead agency of section IV (an indicator with two leads counts for both)."""
        return self._rollup(
            "agency",
            [
                (agency.id, agency.name, [ind.id for ind in agency.indicators])
                for agency in self.plan.agencies
                if agency.indicators
            ],
            lambda row: list(row.assessment.indicator.lead_agencies) if row.assessment else [],
        )

    def by_area(self) -> tuple[Rollup, ...]:
        """A roll-up per area, in order of first appearance (rows with no area under ``""``)."""
        areas = dict.fromkeys(row.area or "" for row in self.rows if row.assessment is not None)
        return self._rollup(
            "area",
            [(area, Text(area or "(không ghi địa bàn)", area or "(no area)"), []) for area in areas],
            lambda row: [row.area or ""],
        )

    def by_year(self) -> tuple[Rollup, ...]:
        """A roll-up per year, in time order."""
        years = sorted({row.assessment.year for row in self.rows if row.assessment is not None})
        return self._rollup(
            "year",
            [(str(year), Text(str(year), str(year)), []) for year in years],
            lambda row: [str(row.assessment.year)] if row.assessment else [],
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
        self, by: str, groups: list[tuple[str, Text, list[str]]], keys: Callable[[ScoredRow], list[str]]
    ) -> tuple[Rollup, ...]:
        counts: dict[str, Counter[Status]] = {key: Counter() for key, _, _ in groups}
        seen: dict[str, dict[str, None]] = {key: {} for key, _, _ in groups}
        for row in self.rows:
            if row.assessment is None:
                continue
            for key in keys(row):
                if key in counts:
                    counts[key][row.assessment.status] += 1
                    seen[key][row.assessment.indicator.id] = None
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
    """The column names and the rows of a table, as given (CSV cells are strings)."""
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        try:
            if path.stat().st_size > _MAX_CSV_BYTES:
                raise PlanFileError(f"{path}: over {_MAX_CSV_BYTES} bytes: split the table")
            with path.open(encoding="utf-8-sig", newline="") as file:
                return _read_csv(file)
        except UnicodeDecodeError as error:
            raise PlanFileError(f"{path}: not UTF-8 text (byte {error.start}): save the table as CSV UTF-8") from None
        except OSError as error:
            if isinstance(error, PlanFileError):
                raise
            raise PlanFileError(f"{path}: cannot read the table: {error.strerror or error}") from None
    if isinstance(data, io.TextIOBase):
        return _read_csv(data)
    if hasattr(data, "columns") and hasattr(data, "to_dict"):  # a pandas DataFrame
        names = [str(name) for name in data.columns]
        records = data.to_dict("records")
        return names, [{str(key): _cell(value) for key, value in record.items()} for record in records]
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
        seen.update(dict.fromkeys(rows[-1]))
    return list(seen), rows


def _cell(value: Any) -> Any:
    """A DataFrame cell as a plain value: missing (NaN, None, NaT) as None, NumPy scalars as Python ones."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__module__ == "numpy":
        return value.item()
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value


def _read_csv(file: Any) -> tuple[list[str], list[dict[str, Any]]]:
    text = file.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        return [], []
    names = [name.strip() for name in header]
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        rows.append({name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names)})
    return names, rows


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
            f"the table has no indicator column: name one 'indicator' or 'chỉ tiêu' (columns: {', '.join(names)})"
        )
    if not {"value", "numerator"} & found.keys():
        raise InputTypeError(
            "the table has no value column: name one 'value' or 'giá trị', or give numerator and denominator"
        )
    if not {"year", "period"} & found.keys():
        raise InputTypeError("the table has no year column: name one 'year' or 'năm', or 'period' / 'kỳ'")
    return found


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
    year_cell = cells.get(found.get("year", ""))
    period_cell = cells.get(found.get("period", ""))
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
    value = cells.get(found.get("value", ""))
    numerator, denominator = (cells.get(found.get(name, "")) for name in ("numerator", "denominator"))
    unit_cell = cells.get(found.get("unit", ""))
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


def _score(plan: Plan, names: list[str], rows: list[dict[str, Any]]) -> Iterator[ScoredRow]:
    found = _columns(names)
    for number, cells in enumerate(rows, start=1):
        area = None
        try:
            area = _text(cells.get(found.get("area", "")))
            assessment, period = _assess_row(plan, cells, found)
        except TdplanError as error:
            yield ScoredRow(number, cells, problem=RowProblem(number, type(error).__name__, str(error)), area=area)
        else:
            yield ScoredRow(number, cells, assessment=assessment, area=area, period=period)


def assess_table(plan: Plan, data: TableLike) -> Scorecard:
    """Assess every row of a table against ``plan``; see the module's description.

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
    names, rows = read_rows(data)
    return Scorecard(plan, tuple(names), tuple(_score(plan, names, rows)))
