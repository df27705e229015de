"""What each endpoint computes, as plain functions from a plan and a request to an answer (no HTTP here).

The handlers in :mod:`tdplan.service.app` call these; each is a thin use of tdplan's
own API (``Plan.assess``, :func:`tdplan.analysis.bulk.decide`, ``Plan.track``,
:func:`tdplan.aggregate`, :func:`tdplan.read_plan`), so the web API gives exactly the
library's verdicts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from tdplan.analysis.aggregation import aggregate
from tdplan.core.errors import InputTypeError, TdplanError
from tdplan.core.i18n import Lang
from tdplan.core.model import Assessment, Plan, Target
from tdplan.core.vocabulary import Text
from tdplan.planfiles.loading import read_plan
from tdplan.reports.content import plain_decimal
from tdplan.service import schemas as s

__all__ = [
    "FAST_VALUE",
    "aggregate_counts",
    "assess_batch",
    "assess_one",
    "assessment_out",
    "plain_floats",
    "plan_out",
    "plan_summary",
    "track_series",
    "validate_text",
]

FAST_VALUE = re.compile(
    r"(?=[0-9]{1,15}\Z|[0-9]*\.[0-9]*\Z)(?=[0-9.]{1,16}\Z)"  # at most 15 digits
    r"(?![1-9][0-9]{0,2}\.[0-9]{3}\Z)"  # not "1.234", which reads as 1234 in Vietnamese notation
    r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
)
"""A plain decimal that reads the same in both notations, of at most 15 significant digits.

A float holds such a number exactly at its shortest repr (15 digits always make the
round trip), which is how the NumPy path reads floats: so its verdict is the string's.
"""


def plain_floats(values: list[str]) -> Any:
    """Each value that :data:`FAST_VALUE` matches as a float, every other as NaN (left to the scalar path).

    The same test as the regular expression, done with NumPy on the characters of all the
    values at once (a hypothesis test checks the two agree).
    """
    import numpy as np

    count = len(values)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=count)
    short = lengths <= 16
    chars = np.array([value if len(value) <= 16 else "" for value in values], dtype="U16")
    codes = chars.view(np.uint32).reshape(count, 16)
    digit = (codes >= 48) & (codes <= 57)
    dot = codes == 46
    dots = np.count_nonzero(dot, axis=1)
    digits = np.count_nonzero(digit, axis=1)
    first, second = codes[:, 0], codes[:, 1]
    last = codes[np.arange(count), np.clip(lengths, 1, 16) - 1]
    where_dot = np.where(dots == 1, dot.argmax(axis=1), -1)
    ambiguous = (dots == 1) & (where_dot >= 1) & (where_dot <= 3) & (first != 48) & (lengths - where_dot - 1 == 3)
    ok = (
        short
        & (lengths > 0)
        & (digits + dots == lengths)  # only digits and at most one point (padding is neither)
        & (dots <= 1)
        & (digits <= 15)
        & (first != 46)
        & ((last >= 48) & (last <= 57))
        & ((first != 48) | (lengths == 1) | (second == 46))  # no leading zero
        & ~ambiguous
    )
    # The number is m / 10**k with m (at most 15 digits) and 10**k both exact floats, so one
    # division, correctly rounded, gives the float nearest to the decimal: what float(value) gives.
    mantissa = np.zeros(count, dtype=np.int64)
    numbers = codes.astype(np.int64) - 48
    for column in range(16):  # at most 16 digits: no overflow
        mantissa = np.where(digit[:, column], mantissa * 10 + numbers[:, column], mantissa)
    places = np.where(dots == 1, lengths - where_dot - 1, 0)
    return np.where(ok, mantissa / np.power(10.0, places), np.nan)


def _text(text: Text | None) -> s.TextOut | None:
    return None if text is None else s.TextOut(vi=text.vi, en=text.en)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else plain_decimal(value)


def plan_summary(plan: Plan, shipped: bool) -> s.PlanSummary:
    """A plan's id, titles, period and size."""
    return s.PlanSummary(
        id=plan.id,
        title=s.TextOut(vi=plan.title.vi, en=plan.title.en),
        issuer=s.TextOut(vi=plan.issuer.vi, en=plan.issuer.en),
        start_year=plan.start_year,
        end_year=plan.end_year,
        shipped=shipped,
        goals=len(plan.goals),
        indicators=len(plan.indicators),
        agencies=len(plan.agencies),
    )


def _target(target: Target) -> s.TargetOut:
    return s.TargetOut(
        comparator=cast(s.ComparatorText, target.comparator.ascii),
        threshold=plain_decimal(target.threshold),
        unit=target.unit.value,
        year=target.year,
        disaggregation=dict(target.disaggregation),
        kind=target.kind.value,
        from_year=target.from_year,
        upper=_decimal(target.upper),
        text=s.TextOut(vi=target.describe("vi"), en=target.describe("en")),
        note=_text(target.note),
    )


def plan_out(plan: Plan, shipped: bool) -> s.PlanOut:
    """A plan in full, in Vietnamese and English."""
    return s.PlanOut(
        id=plan.id,
        title=s.TextOut(vi=plan.title.vi, en=plan.title.en),
        issuer=s.TextOut(vi=plan.issuer.vi, en=plan.issuer.en),
        start_year=plan.start_year,
        end_year=plan.end_year,
        shipped=shipped,
        goals=[
            s.GoalOut(
                number=goal.number,
                title=s.TextOut(vi=goal.title.vi, en=goal.title.en),
                indicators=[indicator.id for indicator in goal.indicators],
            )
            for goal in plan.goals
        ],
        indicators=[
            s.IndicatorOut(
                id=indicator.id,
                goal=indicator.goal,
                name=s.TextOut(vi=indicator.name.vi, en=indicator.name.en),
                unit=indicator.unit.value,
                targets=[_target(target) for target in indicator.targets],
                lead_agencies=list(indicator.lead_agencies),
                measure=_text(indicator.measure),
                population=_text(indicator.population),
            )
            for indicator in plan.indicators
        ],
        agencies=[
            s.AgencyOut(
                id=agency.id,
                name=s.TextOut(vi=agency.name.vi, en=agency.name.en),
                indicators=[indicator.id for indicator in agency.indicators],
            )
            for agency in plan.agencies
        ],
    )


def assessment_out(a: Assessment, lang: Lang) -> s.AssessmentOut:
    """An assessment with its numbers as decimal strings and its sentence in ``lang``."""
    target = a.target
    return s.AssessmentOut(
        indicator=a.indicator.id,
        goal=a.indicator.goal,
        year=a.year,
        status=a.status.value,
        status_label=a.status.label(lang),
        met=a.met,
        value=plain_decimal(a.value),
        unit=target.unit.value,
        comparator=cast(s.ComparatorText, target.comparator.ascii),
        threshold=plain_decimal(target.threshold),
        target_year=target.year,
        disaggregation=dict(target.disaggregation),
        margin=plain_decimal(a.margin),
        exact=a.exact,
        explanation=a.explain(lang),
    )


def assess_one(plan: Plan, request: s.AssessRequest, lang: Lang) -> s.AssessmentOut:
    """``plan.assess`` on one value."""
    result = plan.assess(
        request.indicator, request.value, request.unit, year=request.year, disaggregation=request.disaggregation
    )
    return assessment_out(result, lang)


def _column(given: Any, count: int, name: str) -> list[Any]:
    if isinstance(given, list):
        if len(given) != count:
            raise InputTypeError(
                "{name} has {given} entries for {count} values: give one for each value, or a single one for all",
                name=name,
                given=len(given),
                count=count,
            )
        return given
    return [given] * count


def assess_batch(
    plan: Plan, request: s.BatchRequest, lang: Lang, check: Callable[[], None] | None = None
) -> s.BatchResponse:
    """Many values: plain decimals decided with NumPy (:func:`tdplan.analysis.bulk.decide`), the rest one by one.

    Each value gets exactly the status ``plan.assess`` gives it, or the error it raises.
    ``check`` is called every 1,000 values read one by one (it raises to stop the work).
    """
    import numpy as np

    from tdplan.analysis.bulk import STATUS_CODES, UNDECIDED, decide

    values = request.values
    count = len(values)
    indicators = _column(request.indicator, count, "indicator")
    years = _column(request.year, count, "year")
    if count == 0:
        return s.BatchResponse(statuses=[], counts={status.value: 0 for status in STATUS_CODES}, problems=[])
    floats = plain_floats(values)
    groups = request.disaggregation or {}
    decision = decide(
        plan,
        np.array(indicators, dtype=object),
        np.array(years, dtype=np.int64),
        floats,
        None if request.unit is None else np.full(count, request.unit, dtype=object),
        {name: np.full(count, group, dtype=object) for name, group in groups.items()},
    )
    codes = decision.codes
    problems: list[s.BatchProblem] = []
    for done, index in enumerate((codes == UNDECIDED).nonzero()[0].tolist()):
        if check is not None and done % 1000 == 999:
            check()
        try:
            result = plan.assess(
                indicators[index], values[index], request.unit, year=years[index], disaggregation=groups or None
            )
        except TdplanError as error:
            problems.append(s.BatchProblem(index=index, code=error.code, message=error.message(lang)))
        else:
            codes[index] = STATUS_CODES.index(result.status)
    names: list[str | None] = [status.value for status in STATUS_CODES]
    tally = np.bincount(codes[codes != UNDECIDED], minlength=len(names)).tolist()
    names.append(None)  # UNDECIDED is -1: the last
    return s.BatchResponse(
        statuses=cast(list[s.StatusName | None], [names[code] for code in codes.tolist()]),
        counts={status.value: tally[code] for code, status in enumerate(STATUS_CODES)},
        problems=problems,
    )


def track_series(plan: Plan, request: s.TrackRequest, lang: Lang) -> s.TrackResponse:
    """``plan.track`` on a series: each point, trajectory and yearly fall."""
    progress = plan.track(
        request.indicator,
        [(point.period, point.value) for point in request.series],
        request.unit,
        disaggregation=request.disaggregation,
        as_of=request.as_of,
    )
    points = [
        s.PointOut(
            period=point.period.code,
            value=plain_decimal(point.value),
            unit=point.unit.value,
            status=None if point.assessment is None else point.assessment.status.value,
            margin=None if point.assessment is None else plain_decimal(point.assessment.margin),
            explanation=point.explain(lang),
        )
        for point in progress.points
    ]
    trajectories = [
        s.TrajectoryOut(
            milestone=t.milestone,
            status=t.status.value,
            status_label=t.status.label(lang),
            cagr=_decimal(t.cagr),
            required=_decimal(t.required),
            ratio=_decimal(t.ratio),
            projected=_decimal(t.projected),
            explanation=t.explain(lang),
        )
        for t in progress.trajectories
    ]
    falls = [
        s.FallOut(
            year=fall.year,
            previous=fall.previous,
            count=fall.count,
            fall=_decimal(fall.fall),
            in_band=fall.in_band,
            status=fall.status.value,
            status_label=fall.status.label(lang),
            explanation=fall.explain(lang),
        )
        for fall in progress.falls
    ]
    return s.TrackResponse(
        indicator=progress.indicator.id,
        points=points,
        trajectories=trajectories,
        falls=falls,
        gaps=[period.code for period in progress.gaps],
        explanation=progress.explain(lang),
    )


def aggregate_counts(plan: Plan, request: s.AggregateRequest, lang: Lang) -> s.AggregateResponse:
    """:func:`tdplan.aggregate` on commune counts, and the verdict for ``year`` if given."""
    counts = [
        (area.area, area.numerator if area.denominator is None else (area.numerator, area.denominator))
        for area in request.areas
    ]
    result = aggregate(plan, request.indicator, counts)
    assessment = None
    if request.year is not None:
        assessment = assessment_out(result.assess(request.year, disaggregation=request.disaggregation), lang)
    return s.AggregateResponse(
        indicator=result.indicator.id,
        numerator=result.numerator,
        denominator=result.denominator,
        value=plain_decimal(result.value),
        exact=result.exact,
        unit=result.unit.value,
        explanation=result.explain(lang),
        assessment=assessment,
    )


def validate_text(request: s.ValidateRequest, lang: Lang) -> s.ValidateResponse:
    """:func:`tdplan.read_plan` on a plan file's text: every problem, with its line."""
    plan, problems = read_plan(request.text, request.format)
    return s.ValidateResponse(
        valid=plan is not None,
        plan=None if plan is None else plan_summary(plan, shipped=False),
        problems=[
            s.PlanProblemOut(
                path=problem.path,
                code=problem.code,
                line=problem.line,
                severity=cast(s.Severity, problem.severity),
                message=problem.text(lang),
            )
            for problem in problems
        ],
    )
