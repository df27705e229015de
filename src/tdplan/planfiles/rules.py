"""Consistency rules and reporting areas in plan files: their spec, their checks, the model, and back to data.

A plan file may declare ``[[rules]]`` (DHIS2-style validation rules, see
:mod:`tdplan.core.consistency`) and ``areas``, the communes that should report. A side of
a rule is an indicator id (``"3"``), a table ``{ indicator = "8", group = { residence =
"rural" } }``, or a list of those, which is their sum. :func:`check_rules` finds every
problem in them with its path; :func:`build_rules` makes the model's
:class:`~tdplan.core.consistency.Rule`; :func:`rules_data` writes them back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs

from tdplan.core.consistency import Importance, Rule, RuleOperator, RuleTerm
from tdplan.core.errors import PlanProblem
from tdplan.core.i18n import Message
from tdplan.core.model import Plan
from tdplan.core.units import Unit
from tdplan.core.vocabulary import Text

__all__ = ["RULE_SCOPE", "RuleSpec", "build_rules", "check_rules", "rules_data"]

RULE_SCOPE = "same_area_period"
"""The one scope of a rule: both sides are read in the same area and the same period."""

_RULE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_IMPORTANCES = ", ".join(importance.value for importance in Importance)


@attrs.frozen
class RuleSpec:
    """A rule as a plan file writes it (its sides are checked by :func:`check_rules`)."""

    id: str
    left: Any
    operator: str
    right: Any
    message: Text
    importance: str = "medium"
    scope: str = RULE_SCOPE
    note: Text | None = None


def _listed(value: Any) -> list[Any]:
    """A list from plan data, or none where the data has something else there (reported elsewhere)."""
    return value if isinstance(value, list) else []


def _terms(side: Any) -> list[Any]:
    return side if isinstance(side, list) else [side]


def _term(item: Any) -> RuleTerm:
    if isinstance(item, str):
        return RuleTerm(item)
    group = item.get("group") or {}
    return RuleTerm(item["indicator"], tuple(sorted(group.items())))


def build_rules(specs: list[RuleSpec]) -> tuple[Rule, ...]:
    """The model's rules from checked specs."""
    rules = []
    for spec in specs:
        operator = RuleOperator.get(spec.operator)
        assert operator is not None  # check_rules refused any other
        rules.append(
            Rule(
                spec.id,
                tuple(_term(item) for item in _terms(spec.left)),
                operator,
                tuple(_term(item) for item in _terms(spec.right)),
                Importance(spec.importance),
                spec.message,
                spec.note,
            )
        )
    return tuple(rules)


def _text(text: Text) -> dict[str, str]:
    return {"vi": text.vi, "en": text.en} if text.en else {"vi": text.vi}


def _side_data(terms: tuple[RuleTerm, ...]) -> Any:
    items: list[Any] = [
        {"indicator": term.indicator, "group": dict(term.group)} if term.group else term.indicator for term in terms
    ]
    return items[0] if len(items) == 1 else items


def rules_data(plan: Plan) -> dict[str, Any]:
    """The plan's ``areas`` and ``rules`` as plain data in the file layout (empty keys left out)."""
    data: dict[str, Any] = {}
    if plan.areas:
        data["areas"] = list(plan.areas)
    if plan.rules:
        data["rules"] = [
            {
                "id": rule.id,
                "left": _side_data(rule.left),
                "operator": rule.operator.ascii,
                "right": _side_data(rule.right),
                "importance": rule.importance.value,
                "message": _text(rule.message),
                **({"note": _text(rule.note)} if rule.note is not None else {}),
            }
            for rule in plan.rules
        ]
    return data


def _problem(path: str, code: str, message: Message) -> PlanProblem:
    return PlanProblem.of(path, code, message)


def check_rules(plan: dict[str, Any]) -> Iterator[PlanProblem]:
    """Every problem of the parsed plan's ``areas`` and ``rules`` that concerns what they refer to."""
    areas = plan.get("areas")
    if isinstance(areas, list):
        seen: set[str] = set()
        for i, area in enumerate(areas):
            if isinstance(area, str) and area.strip() in seen:
                yield _problem(f"$.areas[{i}]", "duplicate", Message("area '{area}' is listed twice", area=area))
            if isinstance(area, str):
                seen.add(area.strip())
    rules = plan.get("rules")
    if not isinstance(rules, list):
        return
    listed = plan.get("indicators")
    indicators = {
        ind["id"]: ind
        for ind in (listed if isinstance(listed, list) else [])  # any other kind is a type problem, reported
        if isinstance(ind, dict) and isinstance(ind.get("id"), str)
    }
    ids = [rule.get("id") for rule in rules if isinstance(rule, dict)]
    for i, rule in enumerate(rules):
        if isinstance(rule, dict):
            yield from _check_rule(f"$.rules[{i}]", rule, indicators, ids)


def _check_rule(path: str, rule: dict[str, Any], indicators: dict[str, Any], ids: list[Any]) -> Iterator[PlanProblem]:
    rule_id = rule.get("id")
    if isinstance(rule_id, str) and not _RULE_ID.fullmatch(rule_id):
        yield _problem(
            f"{path}.id",
            "value",
            Message(
                "rule id '{rule_id}' is not lowercase ASCII with '-' or '_', such as 'neonatal-infant'", rule_id=rule_id
            ),
        )
    if isinstance(rule_id, str) and ids.count(rule_id) > 1:
        yield _problem(
            f"{path}.id", "duplicate", Message("rule '{rule_id}' is defined more than once", rule_id=rule_id)
        )
    operator = rule.get("operator")
    if isinstance(operator, str) and RuleOperator.get(operator) is None:
        yield _problem(
            f"{path}.operator",
            "value",
            Message("unknown operator '{operator}': use '<', '<=', '=', '>=' or '>'", operator=operator),
        )
    importance = rule.get("importance", "medium")
    if isinstance(importance, str) and importance not in {item.value for item in Importance}:
        yield _problem(
            f"{path}.importance",
            "value",
            Message("unknown importance '{importance}': use {valid}", importance=importance, valid=_IMPORTANCES),
        )
    scope = rule.get("scope", RULE_SCOPE)
    if isinstance(scope, str) and scope != RULE_SCOPE:
        yield _problem(
            f"{path}.scope",
            "value",
            Message(
                "unknown scope '{scope}': the one scope is '{valid}' (same area and period)",
                scope=scope,
                valid=RULE_SCOPE,
            ),
        )
    units: set[Unit | None] = set()
    for side in ("left", "right"):
        if side not in rule:
            continue
        items = _terms(rule[side])
        if not items:
            yield _problem(f"{path}.{side}", "missing", Message("a side needs at least one indicator"))
        for j, item in enumerate(items):
            where = f"{path}.{side}" if not isinstance(rule[side], list) else f"{path}.{side}[{j}]"
            problem, unit = _check_term(where, item, indicators)
            if problem is not None:
                yield problem
            elif unit is not None:
                units.add(unit)
    if len(units) > 1:
        yield _problem(
            path,
            "value",
            Message(
                "a rule compares indicators of one unit: these are in {units}",
                units=", ".join(sorted(u.value for u in units if u)),
            ),
        )


def _check_term(path: str, item: Any, indicators: dict[str, Any]) -> tuple[PlanProblem | None, Unit | None]:
    """A term's problem (a wrong shape, an unknown indicator or group), else the indicator's unit."""
    if isinstance(item, dict):
        extra = sorted(set(item) - {"indicator", "group"})
        group = item.get("group", {})
        if extra or not isinstance(item.get("indicator"), str) or not isinstance(group, dict):
            return _shape(path), None
        if not all(isinstance(key, str) and isinstance(value, str) for key, value in group.items()):
            return _shape(path), None
        indicator_id = item["indicator"]
    elif isinstance(item, str):
        indicator_id, group = item, {}
    else:
        return _shape(path), None
    indicator = indicators.get(indicator_id)
    if indicator is None:
        return (
            _problem(
                path,
                "reference",
                Message("indicator '{indicator_id}' is not defined under [[indicators]]", indicator_id=indicator_id),
            ),
            None,
        )
    known = {
        (name, value)
        for target in _listed(indicator.get("targets"))
        if isinstance(target, dict) and isinstance(target.get("disaggregation"), dict)
        for name, value in target["disaggregation"].items()
    }
    for name, value in group.items():
        if (name, value) not in known:
            return (
                _problem(
                    path,
                    "disaggregation",
                    Message(
                        "indicator '{indicator_id}' has no group {name} = '{value}' in its targets",
                        indicator_id=indicator_id,
                        name=name,
                        value=value,
                    ),
                ),
                None,
            )
    unit = next((unit for unit in Unit if unit.value == indicator.get("unit")), None)
    return None, unit


def _shape(path: str) -> PlanProblem:
    return _problem(
        path,
        "type",
        Message(
            'expected an indicator id such as "3", or a table { indicator = "8", group = { residence = "rural" } }'
        ),
    )
