"""What each endpoint computes, as plain functions from a plan and a request to an answer (no HTTP here).

The handlers in :mod:`tdplan.service.app` call these; each is a thin use of tdplan's
own API (``Plan.assess``, :func:`tdplan.analysis.bulk.decide`, ``Plan.track``,
:func:`tdplan.aggregate`, :func:`tdplan.read_plan`), so the web API gives exactly the
library's verdicts.
"""

from __future__ import annotations

import re
from collections import Counter
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
    "plan_out",
    "plan_summary",
    "track_series",
    "validate_text",
]

FAST_VALUE = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
"""A plain decimal that a float holds exactly at its shortest repr, when at most 16 characters long."""
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")  # "1.234": a thousands separator in Vietnamese


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


def assess_batch(plan: Plan, request: s.BatchRequest, lang: Lang) -> s.BatchResponse:
    """Many values: plain decimals decided with NumPy (:func:`tdplan.analysis.bulk.decide`), the rest one by one.

    Each value gets exactly the status ``plan.assess`` gives it, or the error it raises.
    """
    import numpy as np

    from tdplan.analysis.bulk import STATUS_CODES, UNDECIDED, decide

    values = request.values
    count = len(values)
    indicators = _column(request.indicator, count, "indicator")
    years = _column(request.year, count, "year")
    nan = float("nan")
    floats = np.array(
        [float(v) if len(v) <= 16 and FAST_VALUE.fullmatch(v) and not _AMBIGUOUS.fullmatch(v) else nan for v in values],
        dtype=np.float64,
    )
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
    names = [status.value for status in STATUS_CODES]
    statuses: list[str | None] = [names[code] for code in codes.tolist()] if count else []
    problems: list[s.BatchProblem] = []
    for index in (codes == UNDECIDED).nonzero()[0].tolist():
        try:
            result = plan.assess(
                indicators[index], values[index], request.unit, year=years[index], disaggregation=groups or None
            )
        except TdplanError as error:
            statuses[index] = None
            problems.append(s.BatchProblem(index=index, code=error.code, message=error.message(lang)))
        else:
            statuses[index] = result.status.value
    tally = Counter(statuses)
    return s.BatchResponse(
        statuses=cast(list[s.StatusName | None], statuses),
        counts={name: tally[name] for name in names},
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
