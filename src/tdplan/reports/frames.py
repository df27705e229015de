"""pandas DataFrames of a scorecard and of a series, with the exact values.

``Scorecard.to_dataframe`` and ``Progress.to_dataframe`` (and
``Progress.trajectories_to_dataframe``) call these. pandas is an optional extra
(``pip install 'tdplan[pandas]'``), imported only here, when a frame is asked for;
without it a :class:`~tdplan.MissingDependencyError` says what to install.

Values, thresholds and margins are ``Decimal`` objects (an ``object`` column), not
floats, because a float cannot hold most of them exactly: 0.1 % is not a binary
fraction, and a value that sits on its threshold (18‰ against "below 18‰") must stay
on it, or a table re-checked from the frame could change its verdicts. ``floats=True``
gives float64 columns instead, for plotting and statistics, where that does not matter;
the verdicts in the frame were decided exactly either way.

Statuses are the stable codes of :class:`~tdplan.Status` (``met``, ``not_met``,
``ahead``, ``pending``) in an ordered categorical column, best first; years and goal
numbers are nullable integers (``Int64``), so a row with a problem leaves them empty.

>>> import tdplan
>>> card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "18‰", "year": 2025}])
>>> frame = scorecard_frame(card)
>>> frame.loc[0, "status"], frame.loc[0, "value"], frame.loc[0, "margin"]
('not_met', Decimal('18'), Decimal('0'))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tdplan.analysis.trajectory import TrajectoryStatus
from tdplan.core.errors import require_module
from tdplan.core.i18n import Message
from tdplan.core.notation import Lang
from tdplan.core.text import check_lang
from tdplan.core.vocabulary import STATUS_ORDER

if TYPE_CHECKING:
    from tdplan.analysis.progress import Progress
    from tdplan.analysis.scorecard import Scorecard, ScoredRow

__all__ = [
    "POINT_COLUMNS",
    "SCORECARD_COLUMNS",
    "TRAJECTORY_COLUMNS",
    "progress_frame",
    "require_pandas",
    "scorecard_frame",
    "trajectories_frame",
]

SCORECARD_COLUMNS = (
    "indicator",
    "goal",
    "year",
    "period",
    "area",
    "disaggregation",
    "status",
    "met",
    "value",
    "unit",
    "comparator",
    "threshold",
    "margin",
    "exact",
    "target_year",
    "explanation",
    "error",
    "problem",
)
"""The columns of a scorecard's frame after ``row`` and the table's own columns."""

POINT_COLUMNS = (
    "period",
    "start",
    "end",
    "year",
    "value",
    "unit",
    "status",
    "met",
    "comparator",
    "threshold",
    "margin",
    "exact",
    "target_year",
    "fall",
    "explanation",
)
"""The columns of a series' frame: one row per measurement."""

TRAJECTORY_COLUMNS = (
    "milestone",
    "comparator",
    "threshold",
    "unit",
    "status",
    "base_period",
    "base_value",
    "latest_period",
    "latest_value",
    "cagr",
    "required",
    "ratio",
    "projected",
    "left",
    "explanation",
)
"""The columns of a series' trajectories frame: one row per milestone not yet due."""

_DECIMALS = {
    "value",
    "threshold",
    "margin",
    "fall",
    "base_value",
    "latest_value",
    "cagr",
    "required",
    "ratio",
    "projected",
}
_INTEGERS = {"row", "goal", "year", "target_year", "milestone"}
_BOOLEANS = {"met", "exact"}


def require_pandas() -> Any:
    """The pandas module; :class:`MissingDependencyError` (an ``ImportError``) if it is not installed."""
    return require_module("pandas", package="pandas", extra="pandas", purpose=Message("DataFrames"))


def _column(pd: Any, name: str, values: list[Any], floats: bool, categories: Sequence[str] = ()) -> Any:
    """One column with the dtype its name calls for."""
    if categories:
        return pd.Categorical(values, categories=list(categories), ordered=True)
    if name in _DECIMALS:
        if floats:
            return pd.array([math.nan if value is None else float(value) for value in values], dtype="float64")
        return pd.array(values, dtype=object)
    if name in _INTEGERS:
        return pd.array(values, dtype="Int64")
    if name in _BOOLEANS:
        return pd.array(values, dtype="boolean")
    return pd.array(values, dtype=object) if any(not isinstance(value, str | None) for value in values) else values


def _frame(pd: Any, columns: Mapping[str, list[Any]], floats: bool, categories: Mapping[str, Sequence[str]]) -> Any:
    data = {name: _column(pd, name, values, floats, categories.get(name, ())) for name, values in columns.items()}
    return pd.DataFrame(data, columns=list(columns))


_STATUSES = [status.value for status in STATUS_ORDER]
_COURSES = [status.value for status in TrajectoryStatus]


def _input_names(names: Iterable[str]) -> dict[str, str]:
    """The frame's name for each of the table's columns: its own, or with ``_input`` where tdplan has that name."""
    taken = {"row", *SCORECARD_COLUMNS, *_DECIMALS, *_INTEGERS, *_BOOLEANS}  # names whose dtype tdplan sets
    renamed: dict[str, str] = {}
    for name in names:
        new = name
        while new in taken:
            new = f"{new}_input"
        taken.add(new)
        renamed[name] = new
    return renamed


def _row_results(row: ScoredRow, lang: Lang) -> dict[str, Any]:
    assessment = row.assessment
    results: dict[str, Any] = dict.fromkeys(SCORECARD_COLUMNS)
    results["area"] = row.area
    results["period"] = row.period.code if row.period is not None else None
    if row.problem is not None:
        results["error"], results["problem"] = row.problem.error, row.problem.message(lang)
    if assessment is None:
        return results
    target = assessment.target
    results.update(
        indicator=assessment.indicator.id,
        goal=assessment.indicator.goal,
        year=assessment.year,
        disaggregation=target.disaggregation.label(lang),
        status=assessment.status.value,
        met=assessment.met,
        value=assessment.value,
        unit=target.unit.value,
        comparator=target.comparator.value,
        threshold=target.threshold,
        margin=assessment.margin,
        exact=assessment.exact,
        target_year=target.year,
        explanation=assessment.explain(lang),
    )
    return results


def scorecard_frame(card: Scorecard, lang: Lang = "vi", *, floats: bool = False) -> Any:
    """One row per row of the table, in input order: its number, its cells as given, and its verdict.

    Columns: ``row`` (1 = the first under the header); the table's own columns, as given
    (a name tdplan uses below gets ``_input`` appended: ``value_input``); then
    :data:`SCORECARD_COLUMNS`. ``unit`` is the target's unit (``percent``,
    ``permille``, ``per_100000``, ``count``), in which ``value``, ``threshold`` and
    ``margin`` are; ``disaggregation`` is the group in ``lang`` (``nông thôn``) or empty;
    ``explanation`` is in ``lang``. A row that could not be assessed has ``error``
    (the error's class name) and ``problem`` (the message, in ``lang``), and no verdict.
    """
    pd = require_pandas()
    lang = check_lang(lang)
    renamed = _input_names(card.columns)
    columns: dict[str, list[Any]] = {"row": [row.row for row in card.rows]}
    for name, new in renamed.items():
        columns[new] = [row.cells.get(name) for row in card.rows]
    results = [_row_results(row, lang) for row in card.rows]
    for name in SCORECARD_COLUMNS:
        columns[name] = [result[name] for result in results]
    return _frame(pd, columns, floats, {"status": _STATUSES})


def _point_results(progress: Progress, lang: Lang) -> list[dict[str, Any]]:
    falls = {fall.year: fall for fall in progress.falls}
    rows = []
    for point in progress.points:
        result: dict[str, Any] = dict.fromkeys(POINT_COLUMNS)
        result.update(
            period=point.period.code,
            start=point.period.start,
            end=point.period.end,
            year=point.period.year,
            value=point.value,
            unit=point.unit.value,
            explanation=point.explain(lang),
        )
        assessment = point.assessment
        fall = falls.get(point.period.year) if progress.falls else None
        if assessment is not None:
            target = assessment.target
            result.update(
                value=assessment.value,
                status=assessment.status.value,
                met=assessment.met,
                comparator=target.comparator.value,
                threshold=target.threshold,
                margin=assessment.margin,
                exact=assessment.exact,
                target_year=target.year,
            )
        elif fall is not None:
            result.update(
                status=fall.status.value,
                met=fall.met,
                comparator=fall.target.comparator.value,
                exact=True,
                target_year=fall.target.year,
                fall=fall.fall,
                explanation=fall.explain(lang),
            )
        rows.append(result)
    return rows


def progress_frame(progress: Progress, lang: Lang = "vi", *, floats: bool = False) -> Any:
    """One row per measurement, in time order: its period, value and verdict.

    Columns: :data:`POINT_COLUMNS`. ``period`` is the period's code (``2024``,
    ``2024-H1``), ``start`` and ``end`` its first and last day, ``year`` the year it
    lies in; ``value`` is in ``unit``, the target's. A baseline before the plan's period
    has no verdict. For indicator 18, ``status`` and ``met`` are the year's fall's,
    ``fall`` is the fall in percent (negative for a rise) and ``threshold`` is empty,
    because the target is a fall, not a level; a year with no count the year before has
    no verdict.
    """
    pd = require_pandas()
    lang = check_lang(lang)
    results = _point_results(progress, lang)
    columns = {name: [result[name] for result in results] for name in POINT_COLUMNS}
    return _frame(pd, columns, floats, {"status": _STATUSES})


def trajectories_frame(progress: Progress, lang: Lang = "vi", *, floats: bool = False) -> Any:
    """One row per milestone not yet due at the latest measurement: the course toward it.

    Columns: :data:`TRAJECTORY_COLUMNS`. ``status`` is the code of a
    :class:`~tdplan.TrajectoryStatus` (``on_track``; Open SDG's names are
    ``TrajectoryStatus.opensdg``); ``cagr`` and ``required`` are yearly growth rates as fractions (``-0.05`` is
    −5 % a year), ``ratio`` is R; these and ``projected`` are rounded to 34 digits (see
    :mod:`tdplan.analysis.progress`). ``left`` is the time left, in words in ``lang``. Empty for
    indicator 18, which has yearly falls instead.
    """
    pd = require_pandas()
    lang = check_lang(lang)
    columns: dict[str, list[Any]] = {name: [] for name in TRAJECTORY_COLUMNS}
    for trajectory in progress.trajectories:
        target = trajectory.target
        base = trajectory.base
        values = {
            "milestone": trajectory.milestone,
            "comparator": target.comparator.value,
            "threshold": target.threshold,
            "unit": target.unit.value,
            "status": trajectory.status.value,
            "base_period": base.period.code if base is not None else None,
            "base_value": base.value if base is not None else None,
            "latest_period": trajectory.latest.period.code,
            "latest_value": trajectory.latest.value,
            "cagr": trajectory.cagr,
            "required": trajectory.required,
            "ratio": trajectory.ratio,
            "projected": trajectory.projected,
            "left": trajectory.left.text(lang),
            "explanation": trajectory.explain(lang),
        }
        for name, value in values.items():
            columns[name].append(value)
    return _frame(pd, columns, floats, {"status": _COURSES})
