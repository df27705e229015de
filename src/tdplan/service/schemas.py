"""The shapes of the web API's requests and answers: attrs classes, from which Litestar writes the OpenAPI document.

Every value, threshold and margin travels as a decimal string (``"16.5"``, never the
float ``16.5``, which could not hold ``0.1`` exactly): :data:`DecimalString` says so in
the schema. The requests are msgspec ``Struct`` classes that forbid unknown fields: a
misspelt ``"unti": "%"`` is a 400 problem (``unknown_field``), never a value read in
another unit. Nothing here computes; :mod:`tdplan.service.answers` fills these in.
"""

from __future__ import annotations

from typing import Annotated, Literal

import attrs
from litestar.datastructures import UploadFile
from litestar.params import KwargDefinition
from msgspec import Meta, Struct

__all__ = [
    "AgencyOut",
    "AggregateRequest",
    "AggregateResponse",
    "AreaCounts",
    "AssessRequest",
    "AssessmentOut",
    "BatchProblem",
    "BatchRequest",
    "BatchResponse",
    "DecimalString",
    "FallOut",
    "GoalOut",
    "Health",
    "IndicatorOut",
    "PlanOut",
    "PlanProblemOut",
    "PlanSummary",
    "PointOut",
    "ProblemOut",
    "ProblemRow",
    "ScorecardRequest",
    "SeriesPoint",
    "TargetOut",
    "TextOut",
    "TrackRequest",
    "TrackResponse",
    "TrajectoryOut",
    "UploadForm",
    "ValidateRequest",
    "ValidateResponse",
    "VersionOut",
]

_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"
_DECIMAL_TEXT = (
    "An exact decimal number written as a string, every digit kept ('16.5', '0.050', '-2.2'): "
    "never a JSON number, so that no float changes it."
)
_VALUE_TEXT = (
    "A measured value as text, in Vietnamese or English notation, with or without its unit: "
    "'16,5‰', '16.5', '97,2%', '50/100.000'. A string, so that every digit is kept."
)
_GROUPS_TEXT = "The group of a disaggregated indicator: {'residence': 'rural'} for 8, {'age': '3-5'} for 20."

# Each constraint twice: msgspec's Meta checks requests, Litestar's KwargDefinition writes the schema.
DecimalString = Annotated[
    str, Meta(pattern=_DECIMAL, description=_DECIMAL_TEXT), KwargDefinition(pattern=_DECIMAL, description=_DECIMAL_TEXT)
]
"""A decimal number as a JSON string, every digit kept."""

MeasuredValue = Annotated[
    str,
    Meta(min_length=1, max_length=200, description=_VALUE_TEXT),
    KwargDefinition(min_length=1, max_length=200, description=_VALUE_TEXT),
]
IndicatorId = Annotated[
    str,
    Meta(min_length=1, max_length=50, description="An indicator id: '3', '15b'."),
    KwargDefinition(min_length=1, max_length=50, description="An indicator id: '3', '15b'."),
]
# gt=-1: Litestar leaves a minimum of 0 out of the schema when given as ge=0 (for an integer, the same).
Year = Annotated[
    int,
    Meta(ge=0, le=9999, description="A year within the plan's period."),
    KwargDefinition(gt=-1, le=9999, description="A year within the plan's period."),
]
ShortText = Annotated[str, Meta(max_length=50), KwargDefinition(max_length=50)]
LongText = Annotated[str, Meta(max_length=200), KwargDefinition(max_length=200)]
Count = Annotated[int, Meta(ge=0), KwargDefinition(gt=-1)]
UnitText = Annotated[
    str,
    Meta(max_length=50, description="The unit of a bare number: '%', '‰', '/100.000'."),
    KwargDefinition(max_length=50, description="The unit of a bare number: '%', '‰', '/100.000'."),
]
Unit = Literal["percent", "permille", "per_100000", "count"]
StatusName = Literal["met", "not_met", "ahead", "pending"]
ComparatorText = Literal["<", "<=", ">=", ">"]
Severity = Literal["error", "warning"]
Groups = Annotated[
    dict[ShortText, ShortText], Meta(description=_GROUPS_TEXT), KwargDefinition(description=_GROUPS_TEXT)
]


@attrs.frozen
class TextOut:
    """A text in Vietnamese (the plan's own words) and English (tdplan's translation)."""

    vi: str
    en: str


@attrs.frozen
class Health:
    """The service is up."""

    status: Literal["ok"]


@attrs.frozen
class VersionOut:
    """Versions: of tdplan, of this API, of the JSON report schema and of the plan file format."""

    tdplan: str
    api: str
    report_schema: int
    plan_format: int


@attrs.frozen
class PlanSummary:
    """A plan the service answers for."""

    id: str
    title: TextOut
    issuer: TextOut
    start_year: int
    end_year: int
    shipped: bool
    goals: int
    indicators: int
    agencies: int


@attrs.frozen
class TargetOut:
    """One target: ``comparator threshold unit`` by ``year`` (None: every year), for a group if any."""

    comparator: ComparatorText
    threshold: DecimalString
    unit: Unit
    year: int | None
    disaggregation: dict[str, str]
    kind: Literal["level", "annual_fall"]
    from_year: int | None
    upper: DecimalString | None
    text: TextOut
    note: TextOut | None


@attrs.frozen
class IndicatorOut:
    """An indicator, its targets and the offices that lead it."""

    id: str
    goal: int
    name: TextOut
    unit: Unit
    targets: list[TargetOut]
    lead_agencies: list[str]
    measure: TextOut | None
    population: TextOut | None


@attrs.frozen
class GoalOut:
    """A goal and its indicators' ids."""

    number: int
    title: TextOut
    indicators: list[str]


@attrs.frozen
class AgencyOut:
    """An office, and the indicators it leads."""

    id: str
    name: TextOut
    indicators: list[str]


@attrs.frozen
class PlanOut:
    """A plan in full: goals, indicators with their targets, agencies."""

    id: str
    title: TextOut
    issuer: TextOut
    start_year: int
    end_year: int
    shipped: bool
    goals: list[GoalOut]
    indicators: list[IndicatorOut]
    agencies: list[AgencyOut]


class AssessRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """One measured value to assess."""

    indicator: IndicatorId
    value: MeasuredValue
    year: Year
    unit: UnitText | None = None
    disaggregation: Groups | None = None


@attrs.frozen
class AssessmentOut:
    """The verdict on one value: the target applied, the status, and the margin (positive on the good side)."""

    indicator: str
    goal: int
    year: int
    status: StatusName
    status_label: str
    met: bool
    value: DecimalString
    unit: Unit
    comparator: ComparatorText
    threshold: DecimalString
    target_year: int | None
    disaggregation: dict[str, str]
    margin: DecimalString
    exact: bool
    explanation: str


class BatchRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """Many values at once: ``values[i]`` is for ``indicator[i]`` in ``year[i]`` (one indicator or year: for all)."""

    values: Annotated[
        list[LongText],
        KwargDefinition(
            description="The values, as strings: plain decimals ('16.5') take the fast path; any notation."
        ),
    ]
    indicator: IndicatorId | list[IndicatorId]
    year: Year | list[Year]
    unit: UnitText | None = None
    disaggregation: Groups | None = None


@attrs.frozen
class BatchProblem:
    """Why the value at ``index`` (0 = the first) could not be assessed."""

    index: int
    code: str
    message: str


@attrs.frozen
class BatchResponse:
    """Each value's status (null where it has a problem), the counts, and the problems."""

    statuses: list[StatusName | None]
    counts: dict[str, int]
    problems: list[BatchProblem]


class ScorecardRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """A table as JSON rows: each row maps column names (English or Vietnamese) to cells."""

    rows: Annotated[
        list[dict[str, str | int | bool | None]],
        KwargDefinition(
            description=(
                "The rows. Values are strings ('16,5‰', '97.2'): a JSON number with a fraction is refused, "
                "since a float cannot hold every digit (97.19999999999999999 would become 97.2); whole numbers "
                "(years, counts) may be JSON integers."
            )
        ),
    ]
    by: Literal["goal", "agency", "area", "year"] | None = None
    source: LongText | None = None


class SeriesPoint(Struct, frozen=True, forbid_unknown_fields=True):
    """One measurement of a series: a year (2024), a period ('2024-H1', 'quý III/2024') or a date, and its value."""

    period: ShortText | Year
    value: MeasuredValue


class TrackRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """A series of one indicator to track toward its milestones."""

    indicator: IndicatorId
    series: Annotated[list[SeriesPoint], Meta(min_length=1), KwargDefinition(min_items=1)]
    unit: UnitText | None = None
    disaggregation: Groups | None = None
    as_of: ShortText | None = None


@attrs.frozen
class PointOut:
    """One measurement: its period, value in the target's unit, and verdict (None for a baseline or indicator 18)."""

    period: str
    value: DecimalString
    unit: Unit
    status: StatusName | None
    margin: DecimalString | None
    explanation: str


@attrs.frozen
class TrajectoryOut:
    """The course toward one milestone (Open SDG's method): the status and the figures behind it."""

    milestone: int
    status: Literal["achieved", "on_track", "moderate", "limited", "deterioration", "insufficient_data"]
    status_label: str
    cagr: DecimalString | None
    required: DecimalString | None
    ratio: DecimalString | None
    projected: DecimalString | None
    explanation: str


@attrs.frozen
class FallOut:
    """Indicator 18 for one year: the counts, the fall in percent, and the verdict."""

    year: int
    previous: int
    count: int
    fall: DecimalString | None
    in_band: bool
    status: StatusName
    status_label: str
    explanation: str


@attrs.frozen
class TrackResponse:
    """Every measurement's verdict, each trajectory, indicator 18's falls and the missing periods."""

    indicator: str
    points: list[PointOut]
    trajectories: list[TrajectoryOut]
    falls: list[FallOut]
    gaps: list[str]
    explanation: str


class AreaCounts(Struct, frozen=True, forbid_unknown_fields=True):
    """One area's counts: numerator out of denominator; a count alone for indicator 18."""

    area: LongText
    numerator: Count
    denominator: Count | None = None


class AggregateRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """Commune counts to sum into one figure, and the year to assess it for (if any)."""

    indicator: IndicatorId
    areas: Annotated[list[AreaCounts], Meta(min_length=1), KwargDefinition(min_items=1)]
    year: Year | None = None
    disaggregation: Groups | None = None


@attrs.frozen
class AggregateResponse:
    """The summed counts, the exact rate they make, and its verdict when a year was given."""

    indicator: str
    numerator: int
    denominator: int | None
    value: DecimalString
    exact: bool
    unit: Unit
    explanation: str
    assessment: AssessmentOut | None


class ValidateRequest(Struct, frozen=True, forbid_unknown_fields=True):
    """A plan file's text to check."""

    text: Annotated[str, KwargDefinition(description="The plan file's text (TOML or JSON).")]
    format: Literal["toml", "json"] = "toml"


@attrs.frozen
class PlanProblemOut:
    """One problem in a plan file: where (a path, and the line when known), a stable code, and the message."""

    path: str
    code: str
    line: int | None
    severity: Severity
    message: str


@attrs.frozen
class ValidateResponse:
    """Whether the text is a valid plan, the plan's id and size if so, and every problem."""

    valid: bool
    plan: PlanSummary | None
    problems: list[PlanProblemOut]


@attrs.frozen
class ProblemRow:
    """One problem among several: a table's row (``row``), or a field of the request.

    A field of the body is named by its JSON ``pointer`` (RFC 6901: ``/values/0``), a
    parameter by its ``key``; ``source`` says where (``body``, ``query``, ``path``).
    """

    message: str
    row: int | None = None
    code: str | None = None
    key: str | None = None
    source: str | None = None
    pointer: str | None = None


@attrs.frozen
class ProblemOut:
    """An error, as RFC 9457 problem details: tdplan's ``code`` and the ``detail`` in the request's language."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    problems: list[ProblemRow] | None = None
    parameters: list[str] | None = None  # unknown_parameter: the query parameters the endpoint does not take
    valid: list[str] | None = None  # unknown_parameter: those it takes
    retry_after: int | None = None  # busy: seconds after which to send the request again


class UploadForm(Struct, forbid_unknown_fields=True):
    """A table uploaded as ``multipart/form-data``: the field ``file``, a CSV file (or xlsx where tdplan reads it)."""

    file: UploadFile
