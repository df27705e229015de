"""Loading plans: the file format's classes, structuring with cattrs, and the cache.

The file format (``docs/data.md``) is kept apart from the model: cattrs structures
a parsed file into the ``*Spec`` classes below, with unknown keys forbidden and every
error reported with its path; :func:`build_plan` then links goals, indicators and
agencies into a :class:`~tdplan.model.Plan`.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import threading
import tomllib
import unicodedata
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

from tdplan.errors import PlanDataError, UnknownPlanError
from tdplan.model import (
    Agency,
    Comparator,
    Disaggregation,
    Goal,
    Indicator,
    LegalBasis,
    Plan,
    Signatory,
    Target,
    TargetKind,
    Task,
    Text,
)
from tdplan.units import Unit

__all__ = ["available_plans", "build_plan", "load_plan", "structure_plan"]

FORMAT_VERSION = 1
SHIPPED = ("tam-duong-2021-2030",)
DEFAULT_PLAN = "tam-duong-2021-2030"


@attrs.frozen
class TargetSpec:
    """A target as a plan file writes it."""

    comparator: Comparator
    threshold: Decimal
    year: int | None = None
    unit: Unit | None = None
    disaggregation: dict[str, str] = attrs.Factory(dict)
    note: Text | None = None
    kind: TargetKind = TargetKind.LEVEL
    from_year: int | None = None
    upper: Decimal | None = None


@attrs.frozen
class IndicatorSpec:
    """An indicator as a plan file writes it."""

    id: str
    goal: int
    lead: list[str]
    unit: Unit
    name: Text
    measure: Text
    population: Text
    source: str
    targets: list[TargetSpec]
    notes: list[Text] = attrs.Factory(list)


@attrs.frozen
class GoalSpec:
    """A goal as a plan file writes it."""

    number: int
    title: Text


@attrs.frozen
class AgencySpec:
    """An agency as a plan file writes it."""

    id: str
    name: Text
    duties: list[Text]


@attrs.frozen
class PlanSpec:
    """A whole plan file."""

    tdplan: int
    id: str
    start_year: int
    end_year: int
    title: Text
    issuer: Text
    signatory: Signatory
    legal_basis: LegalBasis
    purpose: Text
    requirements: Text
    general_objective: Text
    funding: Text
    tasks: list[Task]
    goals: list[GoalSpec]
    agencies: list[AgencySpec]
    indicators: list[IndicatorSpec]
    recipients: list[Text] = attrs.Factory(list)
    translation_note: Text | None = None


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__} {value!r}")
    return unicodedata.normalize("NFC", value)


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"expected a number such as 97.2, got {value!r}")
    decimal = Decimal(value)
    if not decimal.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    return decimal


def _structure_date(value: Any, _: type) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
        raise TypeError(f"expected a date such as 2020-04-06, got {value!r}")
    return value


def _structure_enum(kind: str, values: list[str]) -> Any:
    def structure(value: Any, cls: type[Any]) -> Any:
        if isinstance(value, str):
            for member in cls:
                if member.value == value:
                    return member
        raise ValueError(f"unknown {kind} {value!r}: use {', '.join(values)}")

    return structure


def _structure_comparator(value: Any, _: type) -> Comparator:
    if not isinstance(value, str):
        raise TypeError(f"expected a comparator such as '<' or '>=', got {value!r}")
    return Comparator.parse(value)


def _format_exception(exc: BaseException, type_: type | None) -> str:
    """cattrs' wording for its own errors; the hooks' own message for theirs."""
    if isinstance(exc, (TypeError, ValueError)) and type(exc) in (TypeError, ValueError) and exc.args:
        return str(exc)
    return cattrs.v.format_exception(exc, type_)


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_structure_hook(Comparator, _structure_comparator)
    converter.register_structure_hook(Unit, _structure_enum("unit", [unit.value for unit in Unit]))
    converter.register_structure_hook(TargetKind, _structure_enum("target kind", [kind.value for kind in TargetKind]))
    for cls in (Text, Task, LegalBasis, Signatory):
        converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True))
    return converter


_converter = _make_converter()


def structure_plan(data: Any, source: str = "<data>") -> PlanSpec:
    """Structure parsed plan data into a :class:`PlanSpec`; :class:`PlanDataError` lists every problem."""
    try:
        return _converter.structure(data, PlanSpec)
    except cattrs.BaseValidationError as error:
        raise PlanDataError(
            source, cattrs.transform_error(error, path="$", format_exception=_format_exception)
        ) from None


def _target(spec: TargetSpec, unit: Unit) -> Target:
    return Target(
        comparator=spec.comparator,
        threshold=spec.threshold,
        unit=spec.unit or unit,
        year=spec.year,
        disaggregation=Disaggregation(spec.disaggregation),
        note=spec.note,
        kind=spec.kind,
        from_year=spec.from_year,
        upper=spec.upper,
    )


def _check(spec: PlanSpec) -> list[str]:
    """The problems that structuring cannot see: references, ids, years and bounds."""
    problems: list[str] = []
    if spec.tdplan != FORMAT_VERSION:
        problems.append(f"$.tdplan: format version {spec.tdplan} is not supported (this tdplan reads {FORMAT_VERSION})")
    goals = {goal.number for goal in spec.goals}
    agencies = {agency.id for agency in spec.agencies}
    seen: set[str] = set()
    for i, indicator in enumerate(spec.indicators):
        path = f"$.indicators[{i}]"
        if indicator.id in seen:
            problems.append(f"{path}.id: duplicate indicator id {indicator.id!r}")
        seen.add(indicator.id)
        if indicator.goal not in goals:
            problems.append(f"{path}.goal: goal {indicator.goal} is not defined")
        problems.extend(
            f"{path}.lead: agency {agency!r} is not defined" for agency in indicator.lead if agency not in agencies
        )
        if not indicator.targets:
            problems.append(f"{path}.targets: an indicator needs at least one target")
        for j, target in enumerate(indicator.targets):
            where = f"{path}.targets[{j}]"
            for year in (target.year, target.from_year):
                if year is not None and not spec.start_year <= year <= spec.end_year:
                    problems.append(f"{where}: year {year} is outside the plan's period")
            whole = (target.unit or indicator.unit).whole
            if whole is not None and target.kind is TargetKind.LEVEL and target.threshold > whole:
                problems.append(f"{where}.threshold: {target.threshold} is above the whole population ({whole})")
    return problems


def build_plan(spec: PlanSpec, source: str = "<data>") -> Plan:
    """Link a :class:`PlanSpec` into an immutable :class:`~tdplan.model.Plan`."""
    problems = _check(spec)
    if problems:
        raise PlanDataError(source, problems)
    indicators = tuple(
        Indicator(
            id=ind.id,
            goal=ind.goal,
            name=ind.name,
            unit=ind.unit,
            targets=tuple(_target(target, ind.unit) for target in ind.targets),
            lead_agencies=tuple(ind.lead),
            measure=ind.measure,
            population=ind.population,
            source=ind.source,
            notes=tuple(ind.notes),
        )
        for ind in spec.indicators
    )
    goals = tuple(
        Goal(goal.number, goal.title, tuple(ind for ind in indicators if ind.goal == goal.number))
        for goal in spec.goals
    )
    agencies = tuple(
        Agency(
            agency.id,
            agency.name,
            tuple(agency.duties),
            tuple(ind for ind in indicators if agency.id in ind.lead_agencies),
        )
        for agency in spec.agencies
    )
    return Plan(
        id=spec.id,
        title=spec.title,
        issuer=spec.issuer,
        start_year=spec.start_year,
        end_year=spec.end_year,
        legal_basis=spec.legal_basis,
        signatory=spec.signatory,
        purpose=spec.purpose,
        requirements=spec.requirements,
        general_objective=spec.general_objective,
        tasks=tuple(spec.tasks),
        funding=spec.funding,
        goals=goals,
        indicators=indicators,
        agencies=agencies,
        recipients=tuple(spec.recipients),
        translation_note=spec.translation_note,
    )


_cache: dict[str, Plan] = {}
_lock = threading.Lock()


def available_plans() -> tuple[str, ...]:
    """The ids of the plans shipped with tdplan.

    >>> available_plans()
    ('tam-duong-2021-2030',)
    """
    return SHIPPED


def load_plan(plan_id: str = DEFAULT_PLAN) -> Plan:
    """A shipped plan, by id (the Tam Đường plan by default); read once, then cached.

    The plan is immutable, so every caller can share the same object.

    >>> plan = load_plan()
    >>> plan
    <Plan tam-duong-2021-2030: 4 goals, 31 indicators, 10 agencies, 2021–2030>
    """
    if plan_id not in SHIPPED:
        raise UnknownPlanError(f"no shipped plan {plan_id!r}: tdplan ships {', '.join(SHIPPED)}")
    with _lock:
        plan = _cache.get(plan_id)
        if plan is None:
            resource = importlib.resources.files("tdplan").joinpath("data", f"{plan_id}.toml")
            source = f"{plan_id}.toml"
            data = tomllib.loads(resource.read_text(encoding="utf-8"), parse_float=Decimal)
            plan = _cache[plan_id] = build_plan(structure_plan(data, source), source)
        return plan
