"""Loading and writing plans: files, text, the shipped plans and their cache.

A plan is read in steps, each of which reports every problem it finds rather than
stopping at the first: the size is checked before parsing; the text is decoded as
UTF-8 and parsed with a safe parser (``tomllib`` or ``json``, numbers as exact
``Decimal``); text that is not NFC-normalised is normalised, with a warning; cattrs
structures the data into the file format's classes (:mod:`tdplan.planfiles.format`); the
whole is checked (:mod:`tdplan.planfiles.validation`); each problem gets its line in the file
where it can be known. Only then is the :class:`~tdplan.core.model.Plan` built.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import threading
import tomllib
import warnings
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tdplan.core.dimensions import Dimension, Disaggregation, Group
from tdplan.core.errors import (
    Hint,
    InputTypeError,
    PlanDataError,
    PlanDataWarning,
    PlanFileError,
    PlanProblem,
    UnknownPlanError,
    os_reason,
)
from tdplan.core.i18n import Message
from tdplan.core.model import Agency, Goal, Indicator, Plan, Target
from tdplan.core.units import Unit
from tdplan.core.vocabulary import Text
from tdplan.planfiles.rules import build_rules
from tdplan.planfiles.syntax import syntax_reason

if TYPE_CHECKING:
    from tdplan.planfiles.format import PlanSpec, TargetSpec

__all__ = [
    "MAX_FILE_BYTES",
    "Format",
    "available_plans",
    "build_plan",
    "dumps_plan",
    "load_plan",
    "loads_plan",
    "read_plan",
]

Format = Literal["toml", "json"]
"""The formats of plan files."""

MAX_FILE_BYTES = 5 * 1024 * 1024
"""The largest plan file tdplan reads (5 MiB; the Tam Đường plan is about 60 KiB)."""

SHIPPED = ("tam-duong-2021-2030",)
DEFAULT_PLAN = "tam-duong-2021-2030"
_FORMATS: tuple[Format, ...] = ("toml", "json")


def _target(spec: TargetSpec, unit: Unit, dimensions: dict[str, Dimension]) -> Target:
    return Target(
        comparator=spec.comparator,
        threshold=spec.threshold,
        unit=spec.unit or unit,
        year=spec.year,
        disaggregation=Disaggregation(spec.disaggregation).labelled(dimensions),
        note=spec.note,
        kind=spec.kind,
        from_year=spec.from_year,
        upper=spec.upper,
    )


def build_plan(spec: PlanSpec) -> Plan:
    """Link a checked :class:`~tdplan.planfiles.format.PlanSpec` into an immutable :class:`~tdplan.core.model.Plan`."""
    names = {agency.id: agency.name for agency in spec.agencies}
    dimensions = {
        code: Dimension(
            code,
            dimension.name,
            tuple(Group(id, Text(group.vi, group.en), tuple(group.aliases)) for id, group in dimension.groups.items()),
            dimension.option or "",
        )
        for code, dimension in spec.dimensions.items()
    }
    indicators = tuple(
        Indicator(
            id=ind.id,
            goal=ind.goal,
            name=ind.name,
            unit=ind.unit,
            targets=tuple(_target(target, ind.unit, dimensions) for target in ind.targets),
            lead_agencies=tuple(ind.lead),
            measure=ind.measure,
            population=ind.population,
            source=ind.source,
            notes=tuple(ind.notes),
            lead_names=tuple(names.get(code, Text(code)) for code in ind.lead),
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
        goals=goals,
        indicators=indicators,
        agencies=agencies,
        legal_basis=spec.legal_basis,
        signatory=spec.signatory,
        purpose=spec.purpose,
        requirements=spec.requirements,
        general_objective=spec.general_objective,
        tasks=tuple(spec.tasks),
        funding=spec.funding,
        recipients=tuple(spec.recipients),
        translation_note=spec.translation_note,
        rules=build_rules(spec.rules),
        areas=tuple(spec.areas),
        dimensions=tuple(dimensions.values()),
    )


def _problem(code: str, message: Message, line: int | None = None) -> PlanProblem:
    return PlanProblem.of("$", code, message, line)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a plan can hold")


class _DuplicateKeys:
    """A json object hook that keeps the first value of a repeated key and remembers the repeat."""

    def __init__(self) -> None:
        self.repeated: list[str] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for key, value in pairs:
            if key in table:
                self.repeated.append(key)
            else:
                table[key] = value
        return table


def _parse(text: str, format: Format) -> tuple[Any, list[PlanProblem]]:
    """Parse with a safe parser; a syntax error is a problem with its line."""
    try:
        if format == "toml":
            return tomllib.loads(text, parse_float=Decimal), []
        duplicates = _DuplicateKeys()
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant, object_pairs_hook=duplicates)
    except tomllib.TOMLDecodeError as error:
        reason, line = syntax_reason(error)
        return None, [_problem("syntax", Message("not valid TOML: {error}", error=reason), line)]
    except json.JSONDecodeError as error:
        reason, line = syntax_reason(error)
        return None, [_problem("syntax", Message("not valid JSON: {error}", error=reason), line)]
    except ValueError as error:  # NaN in JSON, an integer too long to read in either format
        name = "TOML" if format == "toml" else "JSON"
        return None, [_problem("syntax", Message("not valid {name}: {error}", name=name, error=error))]
    except RecursionError:
        return None, [_problem("syntax", Message("the file is nested too deeply to be a plan"))]
    problems = [
        _problem("duplicate", Message("key '{key}' appears twice in one table", key=key)) for key in duplicates.repeated
    ]
    return data, problems


def read_plan(data: str | bytes, format: Format = "toml") -> tuple[Plan | None, tuple[PlanProblem, ...]]:
    """Read plan text, reporting every problem (errors and warnings) instead of raising.

    Returns the plan (None if any problem is an error) and the problems, each with
    its path, code, messages and, where known, line.

    >>> plan, problems = read_plan('tdplan = 1\\nid = "x"\\n')
    >>> plan is None, [(p.line, p.path, p.code) for p in problems][:2]
    (True, [(1, '$.title', 'missing'), (1, '$.issuer', 'missing')])
    """
    if not isinstance(format, str) or format not in _FORMATS:
        raise PlanFileError("unknown plan format {format!r}: use 'toml' or 'json'", format=format)
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if not isinstance(data, str | bytes):
        raise InputTypeError("plan data is TOML or JSON text (str or bytes), not {type}", type=type(data).__name__)
    size = len(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    if size > MAX_FILE_BYTES:
        too_big = _problem(
            "size",
            Message(
                "the file is {size} bytes; a plan file may be at most {MAX_FILE_BYTES} bytes",
                size=size,
                MAX_FILE_BYTES=MAX_FILE_BYTES,
            ),
        )
        return None, (too_big,)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            bad = _problem(
                "encoding",
                Message("the file is not UTF-8 text (byte {error}): save it as UTF-8", error=error.start),
            )
            return None, (bad,)
    from tdplan.planfiles.format import structure
    from tdplan.planfiles.validation import check, locate, not_nfc

    parsed, problems = _parse(data, format)
    spec = None
    if not problems:
        problems = list(not_nfc(parsed))
        spec, structure_problems = structure(parsed)
        problems += structure_problems + check(parsed)
        problems = locate(problems, data, format)
    if any(problem.severity == "error" for problem in problems) or spec is None:
        return None, tuple(problems)
    return build_plan(spec), tuple(problems)


def loads_plan(data: str | bytes, format: Format = "toml", *, source: str = "<string>") -> Plan:
    """A plan from TOML or JSON text; :class:`PlanDataError` lists every problem.

    Text that was mended (not NFC-normalised) gives a :class:`PlanDataWarning`.
    """
    plan, problems = read_plan(data, format)
    for problem in problems:
        if problem.severity == "warning":
            warnings.warn(PlanDataWarning(source, problem), stacklevel=2)
    if plan is None:
        raise PlanDataError(source, [problem for problem in problems if problem.severity == "error"])
    return plan


def _format_of(path: Path, format: Format | None) -> Format:
    if format is not None:
        return format
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "toml":
        return "toml"
    if suffix == "json":
        return "json"
    raise PlanFileError(
        "{path}: cannot tell the format from the name: use a .toml or .json file, or give {fix}",
        path=path,
        fix=Hint("format", ("toml", "json")),
    )


def read_file(path: str | os.PathLike[str], format: Format | None = None) -> tuple[Path, str | bytes, Format]:
    """The bytes of a plan file, after checking that it exists, is a file and is not too large."""
    file = Path(path)
    fmt = _format_of(file, format)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise PlanFileError("{file}: not a file", file=file)
        if size > MAX_FILE_BYTES:
            raise PlanFileError(
                "{file}: {size} bytes; a plan file may be at most {limit} bytes",
                file=file,
                size=size,
                limit=MAX_FILE_BYTES,
            )
        return file, file.read_bytes(), fmt
    except OSError as error:
        if isinstance(error, PlanFileError):
            raise
        raise PlanFileError("{file}: cannot read the plan file: {reason}", file=file, reason=os_reason(error)) from None


def available_plans() -> tuple[str, ...]:
    """The ids of the plans shipped with tdplan.

    >>> available_plans()
    ('tam-duong-2021-2030',)
    """
    return SHIPPED


_cache: dict[str, Plan] = {}
_lock = threading.Lock()


def _shipped(plan_id: str) -> Plan:
    with _lock:
        plan = _cache.get(plan_id)
        if plan is None:
            text = importlib.resources.files("tdplan").joinpath("data", f"{plan_id}.toml").read_text("utf-8")
            plan = _cache[plan_id] = loads_plan(text, "toml", source=f"{plan_id}.toml")
        return plan


def load_plan(source: str | os.PathLike[str] = DEFAULT_PLAN, *, format: Format | None = None) -> Plan:
    """A plan: a shipped one by id (the Tam Đường plan by default), or a TOML or JSON file.

    Shipped plans are read once and cached; they are immutable, so every caller can
    share them. Files are read anew each call.

    >>> plan = load_plan()
    >>> plan
    <Plan tam-duong-2021-2030: 4 goals, 31 indicators, 10 agencies, 2021–2030>
    >>> load_plan("examples/plans/xa-vi-du-2026-2030.toml").id
    'xa-vi-du-2026-2030'
    """
    if not isinstance(source, str | os.PathLike):
        raise InputTypeError("a plan is a shipped plan's id or a file's path, not {type}", type=type(source).__name__)
    if isinstance(source, str) and source in SHIPPED:
        return _shipped(source)
    if isinstance(source, str) and not source.lower().endswith((".toml", ".json")) and not os.path.exists(source):
        raise UnknownPlanError(
            "no shipped plan {source!r} and no such file: tdplan ships {valid}; other plans are .toml or .json files",
            source=source,
            valid=", ".join(SHIPPED),
        )
    path, data, fmt = read_file(source, format)
    return loads_plan(data, fmt, source=str(path))


def dumps_plan(plan: Plan, format: Format = "toml") -> str:
    """The plan as TOML or JSON text in the plan file format; loading it gives an equal plan.

    >>> plan = load_plan()
    >>> loads_plan(dumps_plan(plan, "json"), "json") == plan
    True
    """
    from tdplan.planfiles.format import to_data

    if not isinstance(plan, Plan):
        raise InputTypeError("dumps_plan writes a Plan, not {kind}", kind=type(plan).__name__)
    if not isinstance(format, str) or format not in _FORMATS:
        raise PlanFileError("unknown plan format {format!r}: use 'toml' or 'json'", format=format)
    data = to_data(plan)
    if format == "toml":
        import tomli_w

        return tomli_w.dumps(data)
    if format == "json":
        return _json(data, 0) + "\n"
    raise PlanFileError("unknown plan format {format!r}: use 'toml' or 'json'", format=format)


def _json(value: Any, depth: int) -> str:
    """JSON with Decimals written as exact numbers (the json module would need floats)."""
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {_json(item, depth + 1)}" for key, item in value.items()
        )
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(f"{inner}{_json(item, depth + 1)}" for item in value) + f"\n{pad}]"
    if isinstance(value, Decimal):
        return str(value) if "E" not in str(value) else format(value, "f")
    if hasattr(value, "isoformat"):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)
