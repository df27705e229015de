"""Checks on plan data that structuring cannot see, and where in a file each problem is.

:func:`check` looks at parsed plan data as a whole:
duplicate ids, references to goals and agencies that are not defined, target years
outside the plan's period, thresholds above the whole population, indicators led by
no agency, inconsistent disaggregations. :func:`not_nfc` finds text that is not
NFC-normalised. :func:`locate` maps a problem's path to its line in a TOML or JSON
file, where that can be known.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs

from tdplan.core.errors import PlanProblem
from tdplan.core.i18n import C_, Message
from tdplan.core.notation import Lang, format_value
from tdplan.core.units import Unit
from tdplan.core.vocabulary import Text
from tdplan.planfiles.format import FORMAT_VERSION
from tdplan.planfiles.groups import check_groups
from tdplan.planfiles.rules import check_rules

__all__ = ["check", "locate", "not_nfc"]

_INDICATOR_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
_AGENCY_ID = re.compile(r"[a-z][a-z0-9_]*")
_PLAN_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
MIN_YEAR, MAX_YEAR = 1000, 9998  # the last day of a plan's last year must still be a date


def _problem(path: str, code: str, message: Message) -> PlanProblem:
    return PlanProblem.of(path, code, message)


def _duplicates(values: list[Any]) -> set[Any]:
    """The values that occur more than once, among those of a usable type (str, int)."""
    usable = [value for value in values if isinstance(value, (str, int)) and not isinstance(value, bool)]
    return {value for value, count in Counter(usable).items() if count > 1}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    number = Decimal(value)
    return number if number.is_finite() else None


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _tables(value: Any) -> list[dict[str, Any]]:
    return [_table(item) for item in value] if isinstance(value, list) else []


def _unit(value: Any) -> Unit | None:
    return next((unit for unit in Unit if unit.value == value), None)


def check(data: Any) -> list[PlanProblem]:
    """Every problem of parsed plan data that concerns more than one value.

    It reads the data defensively, so that it runs even where structuring found
    problems: a value of the wrong type is skipped here (structuring reports it), and
    every other problem is still found, all at once.
    """
    plan = _table(data)
    problems: list[PlanProblem] = []
    add = problems.append
    version = _int(plan.get("tdplan"))
    if version is not None and version != FORMAT_VERSION:
        add(
            _problem(
                "$.tdplan",
                "version",
                Message(
                    "format version {version} is not supported: this tdplan reads version {FORMAT_VERSION}",
                    version=version,
                    FORMAT_VERSION=FORMAT_VERSION,
                ),
            )
        )
    start, end = _int(plan.get("start_year")), _int(plan.get("end_year"))
    for key, year in (("start_year", start), ("end_year", end)):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            add(
                _problem(
                    f"$.{key}",
                    "year",
                    Message(
                        "year {year} is not a plan year: write a year from {MIN_YEAR} to {MAX_YEAR}",
                        year=year,
                        MIN_YEAR=MIN_YEAR,
                        MAX_YEAR=MAX_YEAR,
                    ),
                )
            )
    if start is not None and end is not None and start > end:
        add(
            _problem(
                "$.end_year",
                "year",
                Message("the plan ends ({end}) before it starts ({start})", end=end, start=start),
            )
        )
    if plan.get("indicators") == []:
        add(_problem("$.indicators", "missing", Message("a plan needs at least one indicator")))
    for i, task in enumerate(_tables(plan.get("tasks"))):
        if task.get("items") == []:  # the file format leaves an empty list out, so it could not be read back
            add(
                _problem(
                    f"$.tasks[{i}].items",
                    "missing",
                    Message("a task needs at least one item"),
                )
            )
        if task.get("number") == "":  # likewise an empty string: the task would lose its number
            add(_problem(f"$.tasks[{i}].number", "missing", Message("a task needs a number, such as '2.1'")))
    plan_id = plan.get("id")
    if isinstance(plan_id, str) and not _PLAN_ID.fullmatch(plan_id):
        add(
            _problem(
                "$.id",
                "value",
                Message(
                    "plan id '{plan_id}' is not lowercase ASCII with hyphens, such as 'tam-duong-2021-2030'",
                    plan_id=plan_id,
                ),
            )
        )
    goals = [_int(goal.get("number")) for goal in _tables(plan.get("goals"))]
    for i, number in enumerate(goals):
        if number is not None and number < 1:
            add(
                _problem(
                    f"$.goals[{i}].number",
                    "value",
                    Message("goal numbers start at 1, not {number}", number=number),
                )
            )
        if number in _duplicates(goals):
            add(
                _problem(
                    f"$.goals[{i}].number",
                    "duplicate",
                    Message("goal {number} is defined more than once", number=number),
                )
            )
    agencies = [agency.get("id") for agency in _tables(plan.get("agencies"))]
    for i, agency_id in enumerate(agencies):
        if not isinstance(agency_id, str):
            continue
        if agency_id in _duplicates(agencies):
            add(
                _problem(
                    f"$.agencies[{i}].id",
                    "duplicate",
                    Message("agency '{agency_id}' is defined more than once", agency_id=agency_id),
                )
            )
        if not _AGENCY_ID.fullmatch(agency_id):
            add(
                _problem(
                    f"$.agencies[{i}].id",
                    "value",
                    Message(
                        "agency id '{agency_id}' is not a lowercase ASCII name "
                        "such as 'health' or 'mass_organisations'",
                        agency_id=agency_id,
                    ),
                )
            )
    indicators = _tables(plan.get("indicators"))
    ids = [indicator.get("id") for indicator in indicators]
    context = _Context(start, end, set(goals) - {None}, {a for a in agencies if isinstance(a, str)}, _duplicates(ids))
    for i, indicator in enumerate(indicators):
        problems.extend(_check_indicator(context, i, indicator))
    problems.extend(check_rules(plan))  # consistency rules and reporting areas: planfiles/rules.py
    problems.extend(check_groups(data))
    return problems


def _in_words(value: Decimal, unit: Unit) -> Text:
    """A value with its unit as each language writes it: ``150%``, ``1.000‰`` / ``1,000‰``."""
    return Text(format_value(value, unit, "vi"), format_value(value, unit, "en"))


@attrs.frozen
class _Context:
    start: int | None
    end: int | None
    goals: set[int | None]
    agencies: set[str]
    duplicate_ids: set[Any]

    def in_period(self, year: int) -> bool:
        """Whether ``year`` is in the plan's period (or the period is unknown)."""
        return self.start is None or self.end is None or self.start <= year <= self.end


def _check_indicator(context: _Context, i: int, indicator: dict[str, Any]) -> Iterator[PlanProblem]:
    path = f"$.indicators[{i}]"
    indicator_id = indicator.get("id")
    name = Message("indicator '{id}'", id=indicator_id)
    if isinstance(indicator_id, str):
        if indicator_id in context.duplicate_ids:
            yield _problem(f"{path}.id", "duplicate", Message("{name} is defined more than once", name=name))
        if not _INDICATOR_ID.fullmatch(indicator_id):
            yield _problem(
                f"{path}.id",
                "value",
                Message(
                    "indicator id '{indicator_id}' must be letters, digits, '.', '_' or '-', such as '3' or '15b'",
                    indicator_id=indicator_id,
                ),
            )
    goal = _int(indicator.get("goal"))
    if goal is not None and goal not in context.goals:
        yield _problem(
            f"{path}.goal",
            "reference",
            Message(
                "{name} belongs to goal {goal}, which is not defined under [[goals]]",
                name=name,
                goal=goal,
            ),
        )
    lead = indicator.get("lead")
    if lead == []:
        yield _problem(
            f"{path}.lead",
            "no_lead",
            Message("{name} is led by no agency: name at least one agency id in lead", name=name),
        )
    for j, agency in enumerate(lead if isinstance(lead, list) else []):
        if isinstance(agency, str) and agency not in context.agencies:
            close = difflib.get_close_matches(agency, sorted(context.agencies), n=1)
            hint = Message(" (did you mean '{close}'?)", close=close[0]) if close else ""
            yield _problem(
                f"{path}.lead[{j}]",
                "reference",
                Message("agency '{agency}' is not defined under [[agencies]]{hint}", agency=agency, hint=hint),
            )
    if indicator.get("targets") == []:
        yield _problem(f"{path}.targets", "missing", Message("{name} has no target", name=name))
    yield from _check_targets(context, path, _unit(indicator.get("unit")), _tables(indicator.get("targets")))


_AND = C_("joining names", "and")
_NOT_SPLIT = C_("targets split by", "none")


def _splits(keys: set[frozenset[str]], lang: Lang) -> str:
    """How each target is split, in ``lang``: ``none and residence``, ``không chia và residence``."""
    return f" {_AND(lang)} ".join(sorted(", ".join(sorted(key)) or _NOT_SPLIT(lang) for key in keys))


def _check_targets(
    context: _Context, path: str, indicator_unit: Unit | None, targets: list[dict[str, Any]]
) -> Iterator[PlanProblem]:
    groups = [_table(target.get("disaggregation")) for target in targets]
    keys = {frozenset(group) for group in groups}
    if len(keys) > 1:
        described = Text(_splits(keys, "vi"), _splits(keys, "en"))
        yield _problem(
            f"{path}.targets",
            "disaggregation",
            Message(
                "the targets are split inconsistently ({described}): split all of them by the same names, or none",
                described=described,
            ),
        )
    kinds = {str(target.get("kind", "level")) for target in targets}
    if len(kinds) > 1:
        yield _problem(
            f"{path}.targets",
            "value",
            Message("level and annual_fall targets are mixed: an indicator's targets are all of one kind"),
        )
    continuous = {("year" in target) for target in targets if target.get("kind", "level") == "level"}
    if len(continuous) > 1:
        yield _problem(
            f"{path}.targets",
            "value",
            Message("a continuous target (no year) is mixed with milestones: give every target a year, or none"),
        )
    if "annual_fall" in kinds and indicator_unit is not None and indicator_unit is not Unit.COUNT:
        yield _problem(
            f"{path}.unit",
            "value",
            Message('an annual_fall target is about a count: set the indicator\'s unit = "count"'),
        )
    seen: set[tuple[Any, frozenset[tuple[Any, Any]]]] = set()
    for j, (target, group) in enumerate(zip(targets, groups, strict=True)):
        where = f"{path}.targets[{j}]"
        key = (_int(target.get("year")), frozenset((str(k), str(v)) for k, v in group.items()))
        if key in seen:
            yield _problem(
                where,
                "duplicate",
                Message("another target has the same year and group"),
            )
        seen.add(key)
        for field in ("year", "from_year"):
            year = _int(target.get(field))
            if year is not None and not context.in_period(year):
                yield _problem(
                    f"{where}.{field}",
                    "year",
                    Message(
                        "year {year} is outside the plan's period {context}–{end}",
                        year=year,
                        context=context.start,
                        end=context.end,
                    ),
                )
        unit = _unit(target["unit"]) if "unit" in target else indicator_unit
        threshold = _number(target.get("threshold"))
        if threshold is not None and threshold < 0:
            yield _problem(
                f"{where}.threshold", "bound", Message("threshold {threshold} is negative", threshold=threshold)
            )
        if target.get("kind", "level") == "level":
            whole = unit.whole if unit is not None else None
            if unit is not None and whole is not None and threshold is not None and threshold > whole:
                yield _problem(
                    f"{where}.threshold",
                    "bound",
                    Message(
                        "threshold {threshold} is above the whole population ({whole})",
                        threshold=_in_words(threshold, unit),
                        whole=_in_words(whole, unit),
                    ),
                )
            for field in ("from_year", "upper"):
                if field in target:
                    yield _problem(
                        f"{where}.{field}",
                        "value",
                        Message('{field} is only for kind = "annual_fall" targets', field=field),
                    )
        elif target.get("kind") == "annual_fall":
            yield from _check_annual_fall(
                where,
                _int(target.get("year")),
                _int(target.get("from_year")),
                _number(target.get("upper")),
                threshold,
                unit,
            )


def _check_annual_fall(
    where: str,
    year: int | None,
    from_year: int | None,
    upper: Decimal | None,
    threshold: Decimal | None,
    unit: Unit | None,
) -> Iterator[PlanProblem]:
    if year is None or from_year is None:
        yield _problem(
            where,
            "missing",
            Message("an annual_fall target needs from_year and year (the years of the fall)"),
        )
    elif from_year > year:
        yield _problem(
            f"{where}.from_year",
            "year",
            Message("from_year {from_year} is after year {year}", from_year=from_year, year=year),
        )
    if unit is not Unit.PERCENT:
        yield _problem(
            f"{where}.unit",
            "value",
            Message('an annual_fall target is a yearly fall in percent: set unit = "percent"'),
        )
    if upper is not None and threshold is not None and upper < threshold:
        yield _problem(
            f"{where}.upper",
            "bound",
            Message("upper {upper} is below threshold {threshold}", upper=upper, threshold=threshold),
        )


def not_nfc(data: Any, path: str = "$") -> Iterator[PlanProblem]:
    """A warning for every string (key or value) that is not NFC-normalised; tdplan normalises it."""
    if isinstance(data, str):
        if not unicodedata.is_normalized("NFC", data):
            yield PlanProblem.of(
                path,
                "nfc",
                Message("text is not NFC-normalised (decomposed accents); tdplan normalised it"),
                severity="warning",
            )
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and not unicodedata.is_normalized("NFC", key):
                yield from not_nfc(key, f"{path}.{key}")
            yield from not_nfc(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from not_nfc(item, f"{path}[{index}]")


# Where problems are: path -> line, for TOML and JSON files.

_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""\s*((?:[A-Za-z0-9_-]+|"[^"]*")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"))*)\s*=""")


def _toml_lines(text: str) -> dict[str, int]:
    """Best-effort map of paths to lines in a TOML file: tables, arrays of tables, keys, list items."""
    lines: dict[str, int] = {"$": 1}
    last_index: dict[str, int] = {}
    table = "$"
    open_list: str | None = None
    list_items = 0
    in_string = False

    def resolve(dotted: str) -> str:
        path = "$"
        for part in (segment.strip().strip('"') for segment in dotted.split(".")):
            path = f"{path}.{part}"
            if path in last_index:
                path = f"{path}[{last_index[path]}]"
        return path

    for number, line in enumerate(text.splitlines(), start=1):
        if line.count('"""') % 2 == 1:
            in_string = not in_string
            if not in_string:
                continue
        if in_string:
            continue
        stripped = line.strip()
        if open_list is not None:
            if stripped.startswith("]"):
                open_list = None
            elif stripped and not stripped.startswith("#"):
                lines.setdefault(f"{open_list}[{list_items}]", number)
                list_items += 1
            continue
        header = _HEADER.match(line)
        if header and not stripped.startswith("#"):
            dotted = header.group(2)
            if header.group(1) == "[[":
                parent, _, last = dotted.rpartition(".")
                array = f"{resolve(parent) if parent else '$'}.{last.strip().strip(chr(34))}"
                last_index[array] = last_index.get(array, -1) + 1
                table = f"{array}[{last_index[array]}]"
            else:
                table = resolve(dotted)
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key and not stripped.startswith("#"):
            path = table + "".join(f".{part.strip().strip(chr(34))}" for part in key.group(1).split("."))
            lines.setdefault(path, number)
            rest = line[key.end() :].split("#")[0].strip()
            if rest.startswith("[") and not rest.endswith("]"):
                open_list, list_items = path, 0
    return lines


_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _json_lines(text: str) -> dict[str, int]:
    """Map of paths to lines in a JSON document (already known to parse)."""
    lines: dict[str, int] = {}
    whitespace = re.compile(r"\s*")
    scalar = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null|-?Infinity|NaN")

    def line_at(index: int) -> int:
        return text.count("\n", 0, index) + 1

    def value(index: int, path: str, depth: int) -> int:
        index = whitespace.match(text, index).end()  # type: ignore[union-attr]
        lines.setdefault(path, line_at(index))
        if depth > 200:
            return len(text)
        char = text[index : index + 1]
        if char == "{":
            index = whitespace.match(text, index + 1).end()  # type: ignore[union-attr]
            if text[index : index + 1] == "}":
                return index + 1
            while True:
                index = whitespace.match(text, index).end()  # type: ignore[union-attr]
                key, index = _scanstring(text, index + 1)
                index = whitespace.match(text, index).end()  # type: ignore[union-attr]
                index = value(index + 1, f"{path}.{key}", depth + 1)  # skip ':'
                index = whitespace.match(text, index).end()  # type: ignore[union-attr]
                if text[index : index + 1] != ",":
                    return index + 1
                index += 1
        if char == "[":
            index = whitespace.match(text, index + 1).end()  # type: ignore[union-attr]
            if text[index : index + 1] == "]":
                return index + 1
            item = 0
            while True:
                index = value(index, f"{path}[{item}]", depth + 1)
                index = whitespace.match(text, index).end()  # type: ignore[union-attr]
                if text[index : index + 1] != ",":
                    return index + 1
                index, item = index + 1, item + 1
        if char == '"':
            return _scanstring(text, index + 1)[1]
        match = scalar.match(text, index)
        return match.end() if match else index + 1

    with contextlib.suppress(ValueError, IndexError):  # lines found so far stand; the rest are unknown
        value(0, "$", 0)
    return lines


def locate(problems: list[PlanProblem], text: str, format: str) -> list[PlanProblem]:
    """The problems with the line of their path (or of its nearest known parent) filled in."""
    lines = _toml_lines(text) if format == "toml" else _json_lines(text)
    located = []
    for problem in problems:
        path = problem.path
        while path not in lines and path != "$":
            parent = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path)
            path = parent if parent and parent != path else "$"  # a key with '[' in it: give up on it
        located.append(attrs.evolve(problem, line=lines.get(path, problem.line)))
    return sorted(located, key=lambda problem: (problem.line is None, problem.line or 0))
