"""A plan's disaggregation groups and their labels in plan files (``[dimensions.residence.groups]``).

:class:`DimensionSpec` and :class:`GroupSpec` are the format's tables, and
:func:`dimensions_data` writes them back. :func:`check_groups` reads parsed plan data
defensively, as :func:`tdplan.planfiles.validation.check` does: each group has a
Vietnamese label; no two groups of a dimension share a name (inputs find a group by
any of its names, so a shared one would be ambiguous); and where a plan declares its
dimensions, every target's groups are declared, with a did-you-mean for a near miss or
for a label written where the code belongs; and each dimension's command-line options
(``--residence``, ``--khu-vuc``: see :attr:`~tdplan.core.dimensions.Dimension.options`)
are its own, neither another dimension's nor one of :data:`RESERVED_OPTIONS`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from tdplan.core.dimensions import match_key, option_word
from tdplan.core.errors import PlanProblem
from tdplan.core.i18n import Message
from tdplan.core.vocabulary import Text

if TYPE_CHECKING:
    from tdplan.core.model import Plan

__all__ = ["RESERVED_OPTIONS", "DimensionSpec", "GroupSpec", "check_groups", "dimensions_data"]

RESERVED_OPTIONS = frozenset({"help", "lang", "plan", "year", "unit", "version"})
"""The options ``tdplan assess`` has of its own, which no dimension's option may take (``--year``)."""


@attrs.frozen
class GroupSpec:
    """A group of a dimension as a plan file writes it: its label, and other names inputs may use."""

    vi: str
    en: str = ""
    aliases: list[str] = attrs.Factory(list)


@attrs.frozen
class DimensionSpec:
    """A dimension (``[dimensions.residence]``) as a plan file writes it: its name, its groups by code, and
    the word of its Vietnamese command-line option if not its name's (``option = "khu-vuc"``)."""

    name: Text
    groups: dict[str, GroupSpec]
    option: str | None = None


def dimensions_data(plan: Plan) -> dict[str, Any]:
    """The plan's dimensions as plain data in the file layout (``[dimensions.residence]``)."""
    return {
        dimension.id: {
            "name": {"vi": dimension.name.vi, "en": dimension.name.en} if dimension.name.en else dimension.name.vi,
            **({"option": dimension.option} if dimension.option else {}),
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
    yield from _check_options(dimensions)
    if not dimensions:
        return  # a plan that declares no dimensions shows its groups' codes
    indicators = plan.get("indicators")
    for i, indicator in enumerate(indicators if isinstance(indicators, list) else []):
        targets = _table(indicator).get("targets")
        for j, target in enumerate(targets if isinstance(targets, list) else []):
            for name, group in _table(_table(target).get("disaggregation")).items():
                yield from _check_reference(dimensions, f"$.indicators[{i}].targets[{j}].disaggregation", name, group)


def _check_options(dimensions: dict[Any, Any]) -> Iterator[PlanProblem]:
    """Each dimension's command-line options: well spelled, its own, none of tdplan's (``--year``)."""
    taken: dict[str, str] = {}
    for code, dimension in dimensions.items():
        if not isinstance(code, str):
            continue
        table = _table(dimension)
        option, name = table.get("option"), table.get("name")
        vi = _table(name).get("vi") if isinstance(name, dict) else name
        if isinstance(option, str) and option != option_word(option):
            yield PlanProblem.of(
                f"$.dimensions.{code}.option",
                "value",
                Message(
                    "{option!r} is not the word of a command-line option: write lowercase letters without "
                    "accents, digits and dashes, such as {example!r}",
                    option=option,
                    example=option_word(option) or "khu-vuc",
                ),
            )
            continue
        words = {"code": option_word(code), "option": option if isinstance(option, str) else None}
        if words["option"] is None and isinstance(vi, str):
            words["option"] = option_word(vi)
        for source, word in words.items():
            if not word or taken.get(word) == code:
                continue
            where = f"$.dimensions.{code}" + (".option" if source == "option" and option is not None else "")
            if word in RESERVED_OPTIONS:
                yield PlanProblem.of(where, "duplicate", _reserved(code, word, source))
            elif word in taken:
                yield PlanProblem.of(
                    where,
                    "duplicate",
                    Message(
                        "dimensions {first!r} and {second!r} would both take the command-line option --{option}: "
                        'give one of them another (its code, or option = "…")',
                        first=taken[word],
                        second=code,
                        option=word,
                    ),
                )
            else:
                taken[word] = code


def _reserved(code: str, word: str, source: str) -> Message:
    if source == "code":
        return Message(
            "dimension {name!r} would take the command-line option --{option}, which is one of tdplan's own: "
            "give the dimension another code",
            name=code,
            option=word,
        )
    return Message(
        "dimension {name!r} would take the command-line option --{option}, which is one of tdplan's own: "
        'give it another with option = "…"',
        name=code,
        option=word,
    )


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
