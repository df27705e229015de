"""tdplan: the Tam Đường plan for children 2021–2030 as data, and exact checks against its targets.

>>> import tdplan
>>> plan = tdplan.load_plan()
>>> plan.assess("3", "16,5‰", year=2025).status
Status.MET
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tdplan.analysis.assessment import Disaggregated, ValueLike, measured_value
from tdplan.core.consistency import Importance, Rule, RuleOperator, RuleTerm
from tdplan.core.dimensions import Dimension, Group
from tdplan.core.errors import (
    AggregationError,
    AmbiguousValueError,
    DisaggregationError,
    ExchangeError,
    Hint,
    InputTypeError,
    InvalidValueError,
    ListenError,
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
from tdplan.core.model import (
    Agency,
    Assessment,
    Disaggregation,
    Goal,
    Indicator,
    LegalBasis,
    Plan,
    Signatory,
    Target,
    Task,
)
from tdplan.core.notation import Lang, format_number, format_value, parse_number, parse_value
from tdplan.core.units import Unit, convert, parse_unit, unit_registry
from tdplan.core.vocabulary import Comparator, Status, TargetKind, Text
from tdplan.planfiles.format import FORMAT_VERSION, plan_schema
from tdplan.planfiles.loading import (
    MAX_FILE_BYTES,
    Format,
    available_plans,
    dumps_plan,
    load_plan,
    loads_plan,
    read_plan,
)

if TYPE_CHECKING:
    from tdplan.analysis.aggregation import Aggregate, Counts, CountsLike, aggregate
    from tdplan.analysis.completeness import Completeness, ReportingRate
    from tdplan.analysis.jumps import DEFAULT_BANDS, Jump, JumpBand
    from tdplan.analysis.progress import Progress, SeriesLike, YearlyFall
    from tdplan.analysis.reading import COLUMNS, TableLike, read_rows
    from tdplan.analysis.rules import Violation
    from tdplan.analysis.scorecard import Rollup, RowProblem, Scorecard, ScoredRow
    from tdplan.analysis.tables import assess_frame, assess_table
    from tdplan.analysis.trajectory import Point, Trajectory, TrajectoryStatus
    from tdplan.core.periods import Period, PeriodKind, PeriodLike, TimeLeft, parse_date
    from tdplan.reports.content import RollupBy
    from tdplan.reports.json_format import REPORT_SCHEMA_VERSION, report_schema
    from tdplan.reports.render import REPORT_FORMATS, ReportFormat, render, write_report

    __version__: str

# Imported on first use, so that `import tdplan` stays cheap for a quick check (docs/performance.md).
_LAZY = {
    **dict.fromkeys(["Aggregate", "Counts", "CountsLike", "aggregate"], "tdplan.analysis.aggregation"),
    **dict.fromkeys(["Period", "PeriodKind", "PeriodLike", "TimeLeft", "parse_date"], "tdplan.core.periods"),
    **dict.fromkeys(["Progress", "SeriesLike", "YearlyFall"], "tdplan.analysis.progress"),
    **dict.fromkeys(["Point", "Trajectory", "TrajectoryStatus"], "tdplan.analysis.trajectory"),
    **dict.fromkeys(["REPORT_FORMATS", "ReportFormat", "render", "write_report"], "tdplan.reports.render"),
    **dict.fromkeys(["REPORT_SCHEMA_VERSION", "report_schema"], "tdplan.reports.json_format"),
    "RollupBy": "tdplan.reports.content",
    **dict.fromkeys(["Completeness", "ReportingRate"], "tdplan.analysis.completeness"),
    **dict.fromkeys(["DEFAULT_BANDS", "Jump", "JumpBand"], "tdplan.analysis.jumps"),
    "Violation": "tdplan.analysis.rules",
    **dict.fromkeys(["COLUMNS", "TableLike", "read_rows"], "tdplan.analysis.reading"),
    **dict.fromkeys(["Rollup", "RowProblem", "Scorecard", "ScoredRow"], "tdplan.analysis.scorecard"),
    **dict.fromkeys(["assess_frame", "assess_table"], "tdplan.analysis.tables"),
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from tdplan.core.version import version

        found = version()
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
    "DEFAULT_BANDS",
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
    "Completeness",
    "Counts",
    "CountsLike",
    "Dimension",
    "Disaggregated",
    "Disaggregation",
    "DisaggregationError",
    "ExchangeError",
    "Format",
    "Goal",
    "Group",
    "Hint",
    "Importance",
    "Indicator",
    "InputTypeError",
    "InvalidValueError",
    "Jump",
    "JumpBand",
    "Lang",
    "LegalBasis",
    "ListenError",
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
    "ReportingRate",
    "Rollup",
    "RollupBy",
    "RowProblem",
    "Rule",
    "RuleOperator",
    "RuleTerm",
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
    "Violation",
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
    "write_report",
]
