"""tdplan: the Tam Đường plan for children 2021–2030 as data, and exact checks against its targets.

>>> import tdplan
>>> plan = tdplan.load_plan()
>>> plan.assess("3", "16,5‰", year=2025).status
Status.MET
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tdplan.assessment import Disaggregated, ValueLike, measured_value
from tdplan.errors import (
    AggregationError,
    AmbiguousValueError,
    DisaggregationError,
    InputTypeError,
    InvalidValueError,
    MissingDependencyError,
    PeriodError,
    PlanDataError,
    PlanDataWarning,
    PlanFileError,
    PlanProblem,
    SeriesError,
    SeriesRequiredError,
    TdplanError,
    UnitError,
    UnknownAgencyError,
    UnknownGoalError,
    UnknownIndicatorError,
    UnknownPlanError,
    ValueParseError,
    YearError,
)
from tdplan.loading import MAX_FILE_BYTES, Format, available_plans, dumps_plan, load_plan, loads_plan, read_plan
from tdplan.model import (
    Agency,
    Assessment,
    Comparator,
    Disaggregation,
    Goal,
    Indicator,
    LegalBasis,
    Plan,
    Signatory,
    Status,
    Target,
    TargetKind,
    Task,
    Text,
)
from tdplan.notation import Lang, format_number, format_value, parse_number, parse_value
from tdplan.planfile import FORMAT_VERSION, plan_schema
from tdplan.units import Unit, convert, parse_unit, unit_registry

if TYPE_CHECKING:
    from tdplan.aggregation import Aggregate, Counts, CountsLike, aggregate
    from tdplan.periods import Period, PeriodKind, PeriodLike, TimeLeft, parse_date
    from tdplan.progress import Point, Progress, SeriesLike, Trajectory, TrajectoryStatus, YearlyFall
    from tdplan.report import REPORT_FORMATS, REPORT_SCHEMA_VERSION, ReportFormat, RollupBy, render, report_schema
    from tdplan.table import (
        COLUMNS,
        Rollup,
        RowProblem,
        Scorecard,
        ScoredRow,
        TableLike,
        assess_frame,
        assess_table,
        read_rows,
    )

    __version__: str

# Imported on first use, so that `import tdplan` stays cheap for a quick check (docs/performance.md).
_LAZY = {
    **dict.fromkeys(["Aggregate", "Counts", "CountsLike", "aggregate"], "tdplan.aggregation"),
    **dict.fromkeys(["Period", "PeriodKind", "PeriodLike", "TimeLeft", "parse_date"], "tdplan.periods"),
    **dict.fromkeys(
        ["Point", "Progress", "SeriesLike", "Trajectory", "TrajectoryStatus", "YearlyFall"], "tdplan.progress"
    ),
    **dict.fromkeys(
        ["REPORT_FORMATS", "REPORT_SCHEMA_VERSION", "ReportFormat", "RollupBy", "render", "report_schema"],
        "tdplan.report",
    ),
    **dict.fromkeys(
        [
            "COLUMNS",
            "assess_frame",
            "Rollup",
            "RowProblem",
            "Scorecard",
            "ScoredRow",
            "TableLike",
            "assess_table",
            "read_rows",
        ],
        "tdplan.table",
    ),
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("tdplan")
        except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
            found = "0+unknown"
        globals()[name] = found
        return found
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tdplan' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "COLUMNS",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "REPORT_FORMATS",
    "REPORT_SCHEMA_VERSION",
    "Agency",
    "Aggregate",
    "AggregationError",
    "AmbiguousValueError",
    "Assessment",
    "Comparator",
    "Counts",
    "CountsLike",
    "Disaggregated",
    "Disaggregation",
    "DisaggregationError",
    "Format",
    "Goal",
    "Indicator",
    "InputTypeError",
    "InvalidValueError",
    "Lang",
    "LegalBasis",
    "MissingDependencyError",
    "Period",
    "PeriodError",
    "PeriodKind",
    "PeriodLike",
    "Plan",
    "PlanDataError",
    "PlanDataWarning",
    "PlanFileError",
    "PlanProblem",
    "Point",
    "Progress",
    "ReportFormat",
    "Rollup",
    "RollupBy",
    "RowProblem",
    "Scorecard",
    "ScoredRow",
    "SeriesError",
    "SeriesLike",
    "SeriesRequiredError",
    "Signatory",
    "Status",
    "TableLike",
    "Target",
    "TargetKind",
    "Task",
    "TdplanError",
    "Text",
    "TimeLeft",
    "Trajectory",
    "TrajectoryStatus",
    "Unit",
    "UnitError",
    "UnknownAgencyError",
    "UnknownGoalError",
    "UnknownIndicatorError",
    "UnknownPlanError",
    "ValueLike",
    "ValueParseError",
    "YearError",
    "YearlyFall",
    "__version__",
    "aggregate",
    "assess_frame",
    "assess_table",
    "available_plans",
    "convert",
    "dumps_plan",
    "format_number",
    "format_value",
    "load_plan",
    "loads_plan",
    "measured_value",
    "parse_date",
    "parse_number",
    "parse_unit",
    "parse_value",
    "plan_schema",
    "read_plan",
    "read_rows",
    "render",
    "report_schema",
    "unit_registry",
]
