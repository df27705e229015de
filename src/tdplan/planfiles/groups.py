"""A plan's disaggregation groups and their labels in plan files (``[dimensions.residence.groups]``).

:class:`DimensionSpec` and :class:`GroupSpec` are the format's tables, and
:func:`dimensions_data` writes them back. :func:`check_groups` reads parsed plan data
defensively, as :func:`tdplan.planfiles.validation.check` does: each group has a
Vietnamese label; no two groups of a dimension share a name (inputs find a group by
any of its names, so a shared one would be ambiguous); and where a plan declares its
dimensions, every target's groups are declared, with a did-you-mean for a near miss or
for a label written where the code belongs.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from tdplan.core.dimensions import match_key
from tdplan.core.errors import PlanProblem
from tdplan.core.i18n import Message
from tdplan.core.vocabulary import Text

if TYPE_CHECKING:
    from tdplan.core.model import Plan

__all__ = ["DimensionSpec", "GroupSpec", "check_groups", "dimensions_data"]


@attrs.frozen
class GroupSpec:
    """A group of a dimension as a plan file writes it: its label, and other names inputs may use."""

    vi: str
    en: str = ""
    aliases: list[str] = attrs.Factory(list)


@attrs.frozen
class DimensionSpec:
    """A dimension (``[dimensions.residence]``) as a plan file writes it: its name and its groups by code."""

    name: Text
    groups: dict[str, GroupSpec]


def dimensions_data(plan: Plan) -> dict[str, Any]:
    """The plan's dimensions as plain data in the file layout (``[dimensions.residence]``)."""
    return {
        dimension.id: {
            "name": {"vi": dimension.name.vi, "en": dimension.name.en} if dimension.name.en else dimension.name.vi,
            "groups": {
                group.id: {"vi": group.label.vi, "en": group.label.en, "aliases": list(group.aliases)}
                for group in dimension.groups
            },
        }
        for dimension in plan.dimensions
    }


def _table(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _names(group: dict[Any, Any]) -> list[str]:
    aliases = group.get("aliases")
    names = [group.get("vi"), group.get("en"), *(aliases if isinstance(aliases, list) else [])]
    return [name for name in names if isinstance(name, str) and name.strip()]


def _keys(dimension: dict[Any, Any]) -> dict[str, dict[str, str]]:
    """Each group's code → its names by :func:`match_key` (the code itself included)."""
    return {
        code: {match_key(name): name for name in [code, *_names(_table(group))]}
        for code, group in _table(dimension.get("groups")).items()
        if isinstance(code, str)
    }


def check_groups(data: Any) -> Iterator[PlanProblem]:
    """Every problem of the plan's dimensions, and of the groups its targets name."""
    plan = _table(data)
    dimensions = _table(plan.get("dimensions"))
    for name, dimension in dimensions.items():
        where = f"$.dimensions.{name}.groups"
        if isinstance(dimension, dict) and dimension.get("groups") == {}:
            yield PlanProblem.of(where, "missing", Message("a dimension needs at least one group"))
        seen: dict[str, str] = {}
        for code, group in _table(_table(dimension).get("groups")).items():
            vi = _table(group).get("vi")
            if isinstance(vi, str) and not vi.strip():
                yield PlanProblem.of(
                    f"{where}.{code}.vi", "missing", Message("the Vietnamese label of a group is empty: write it")
                )
            for key, written in _keys(_table(dimension)).get(code, {}).items():
                other = seen.setdefault(key, code)
                if other != code:
                    yield PlanProblem.of(
                        f"{where}.{code}",
                        "duplicate",
                        Message(
                            "{name!r} names two groups, {first!r} and {second!r}: give each group its own names",
                            name=written,
                            first=other,
                            second=code,
                        ),
                    )
    if not dimensions:
        return  # a plan that declares no dimensions shows its groups' codes
    indicators = plan.get("indicators")
    for i, indicator in enumerate(indicators if isinstance(indicators, list) else []):
        targets = _table(indicator).get("targets")
        for j, target in enumerate(targets if isinstance(targets, list) else []):
            for name, group in _table(_table(target).get("disaggregation")).items():
                yield from _check_reference(dimensions, f"$.indicators[{i}].targets[{j}].disaggregation", name, group)


def _check_reference(dimensions: dict[Any, Any], path: str, name: Any, group: Any) -> Iterator[PlanProblem]:
    if not isinstance(name, str) or not isinstance(group, str):
        return  # structuring reports the type
    if name not in dimensions:
        close = difflib.get_close_matches(name, [str(key) for key in dimensions], n=1)
        if close:
            yield PlanProblem.of(
                f"{path}.{name}",
                "reference",
                Message(
                    "dimension {name!r} is not declared under [dimensions] (did you mean {close!r}?)",
                    name=name,
                    close=close[0],
                ),
            )
        else:
            valid = ", ".join(str(key) for key in dimensions)
            yield PlanProblem.of(
                f"{path}.{name}",
                "reference",
                Message(
                    "dimension {name!r} is not declared under [dimensions]: the plan declares {valid}",
                    name=name,
                    valid=valid,
                ),
            )
        return
    if not isinstance(_table(dimensions[name]).get("groups"), dict):
        return  # structuring reports the groups' table
    keys = _keys(_table(dimensions[name]))
    if group in keys:
        return
    by_name = [code for code, names in keys.items() if match_key(group) in names]
    close = by_name or difflib.get_close_matches(group, list(keys), n=1)
    if close:
        yield PlanProblem.of(
            f"{path}.{name}",
            "reference",
            Message(
                "group {group!r} is not declared under [dimensions.{name}.groups] (did you mean {close!r}?)",
                group=group,
                name=name,
                close=close[0],
            ),
        )
    else:
        yield PlanProblem.of(
            f"{path}.{name}",
            "reference",
            Message(
                "group {group!r} is not declared under [dimensions.{name}.groups]: the groups are {valid}",
                group=group,
                name=name,
                valid=", ".join(keys),
            ),
        )
