"""The plan file format: its classes, structuring with cattrs, and writing plans back.

The format (``docs/plan-format.md``) is kept apart from the model. cattrs structures
parsed data into the ``*Spec`` classes below, with unknown keys forbidden; every
failure becomes a :class:`~tdplan.core.errors.PlanProblem` with its path, a stable code,
and a message in English and Vietnamese. :func:`to_data` is the inverse: a
:class:`~tdplan.core.model.Plan` as the same layout of plain data, ready to write as TOML
or JSON.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from tdplan.core.errors import PlanProblem
from tdplan.core.i18n import C_, Label, Message
from tdplan.core.model import LegalBasis, Plan, Signatory, Target, Task
from tdplan.core.notation import MAX_DIGITS, Lang
from tdplan.core.units import Unit
from tdplan.core.vocabulary import Comparator, TargetKind, Text
from tdplan.planfiles.groups import DimensionSpec, GroupSpec, dimensions_data
from tdplan.planfiles.rules import RuleSpec, rules_data

__all__ = [
    "FORMAT_VERSION",
    "AgencySpec",
    "DimensionSpec",
    "GoalSpec",
    "GroupSpec",
    "IndicatorSpec",
    "PlanSpec",
    "TargetSpec",
    "plan_schema",
    "structure",
    "to_data",
]

FORMAT_VERSION = 1
"""The version of the plan file format this tdplan reads and writes (the ``tdplan`` key)."""


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
    targets: list[TargetSpec]
    measure: Text | None = None
    population: Text | None = None
    source: str = ""
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
    duties: list[Text] = attrs.Factory(list)


@attrs.frozen
class PlanSpec:
    """A whole plan file."""

    tdplan: int
    id: str
    title: Text
    issuer: Text
    start_year: int
    end_year: int
    goals: list[GoalSpec]
    agencies: list[AgencySpec]
    indicators: list[IndicatorSpec]
    translation_note: Text | None = None
    signatory: Signatory | None = None
    legal_basis: LegalBasis | None = None
    recipients: list[Text] = attrs.Factory(list)
    purpose: Text | None = None
    requirements: Text | None = None
    general_objective: Text | None = None
    funding: Text | None = None
    tasks: list[Task] = attrs.Factory(list)
    areas: list[str] = attrs.Factory(list)
    rules: list[RuleSpec] = attrs.Factory(list)
    dimensions: dict[str, DimensionSpec] = attrs.Factory(dict)


def plan_schema() -> str:
    """The JSON Schema of the plan file format, as JSON text (shipped as ``tdplan/data/plan.schema.json``).

    >>> import json
    >>> json.loads(plan_schema())["title"]
    'tdplan plan file, format version 1'
    """
    import importlib.resources

    return importlib.resources.files("tdplan").joinpath("data", "plan.schema.json").read_text("utf-8")


class FieldValueError(ValueError):
    """A value of the wrong kind, with its code and its message in both languages (a catalog's Message)."""

    def __init__(self, code: str, en: str | Message, vi: str = "") -> None:
        if isinstance(en, Message):
            message = en
            en, vi = message.text("en"), message.text("vi")
        super().__init__(en)
        self.code = code
        self.en = en
        self.vi = vi


_KINDS = {
    str: C_("kind of value", "a string"),
    bool: C_("kind of value", "true/false"),
    int: C_("kind of value", "a whole number"),
    list: C_("kind of value", "a list"),
    dict: C_("kind of value", "a table"),
}


def _got(value: Any, lang: Lang) -> str:
    kind = _KINDS.get(type(value))
    return f"{kind(lang) if kind else type(value).__name__} ({_short(value)})"


def _got_text(value: Any) -> Text:
    """What was given, for a message in either language: ``a whole number (3)``, ``số nguyên (3)``."""
    return Text(_got(value, "vi"), _got(value, "en"))


def _did_you_mean(close: list[str]) -> Message | str:
    """`` (did you mean 'percent'?)`` after an unknown name, or nothing when no name is close."""
    return Message(" (did you mean '{close}'?)", close=close[0]) if close else ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise FieldValueError("type", Message("expected text, got {value}", value=_got_text(value)))
    if _SURROGATE.search(value):
        raise FieldValueError(
            "encoding",
            Message("text holds a lone surrogate (\\ud800–\\udfff), which is not a character"),
        )
    return unicodedata.normalize("NFC", value)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldValueError(
            "type",
            Message("expected a whole number such as 2025, got {value}", value=_got_text(value)),
        )
    return value


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise FieldValueError(
            "type",
            Message("expected a number such as 97.2, got {value}", value=_got_text(value)),
        )
    if isinstance(value, int) and abs(value) > 10**MAX_DIGITS:
        value = Decimal("Infinity")  # a number no plan holds: refused below without writing out its digits
    number = Decimal(value)
    if not number.is_finite() or len(number.as_tuple().digits) > MAX_DIGITS or abs(number.adjusted()) > MAX_DIGITS:
        raise FieldValueError(
            "bound",
            Message(
                "expected a number of at most {MAX_DIGITS} digits, got {number}",
                MAX_DIGITS=MAX_DIGITS,
                number=_short(number),
            ),
        )
    return number


def _structure_date(value: Any, _: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FieldValueError(
        "type",
        Message("expected a date such as 2020-04-06, got {value}", value=_got_text(value)),
    )


def _structure_comparator(value: Any, _: type) -> Comparator:
    try:
        return Comparator.parse(value) if isinstance(value, str) else Comparator.parse("")
    except ValueError:
        raise FieldValueError(
            "value",
            Message("unknown comparator {value}: use '<', '<=', '>=' or '>'", value=_short(value)),
        ) from None


def _enum_hook(kind: Label, cls: type[Unit] | type[TargetKind]) -> Callable[[Any, type], Any]:
    valid = ", ".join(member.value for member in cls)

    def structure(value: Any, _: type) -> Any:
        for member in cls:
            if member.value == value:
                return member
        close = difflib.get_close_matches(str(value), [member.value for member in cls], n=1)
        raise FieldValueError(
            "value",
            Message(
                "unknown {kind} {value}{hint}: use {valid}",
                kind=kind,
                value=_short(value),
                hint=_did_you_mean(close),
                valid=valid,
            ),
        )

    return structure


def _structure_text(value: Any, _: type) -> Text:
    text = Text(_structure_str(value, str)) if isinstance(value, str) else _text_from_table(value, Text)
    if not text.vi.strip():
        raise FieldValueError(
            "missing",
            Message("the Vietnamese text is empty: write it, or leave the key out where it is optional"),
        )
    return text


def _structure_groups(value: Any, _: type) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(group, str) for key, group in value.items()
    ):
        raise FieldValueError(
            "type",
            Message(
                'expected a table of names, such as {{ residence = "rural" }}, got {value}', value=_got_text(value)
            ),
        )
    return {_structure_str(key, str): _structure_str(group, str) for key, group in value.items()}


def _list_hook(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, type], Any]]:
    """Lists must be lists (cattrs would iterate a string or a table's keys), and every item is checked."""

    def factory(list_type: Any) -> Callable[[Any, type], Any]:
        item_type = typing.get_args(list_type)[0]
        item_hook = converter.get_structure_hook(item_type)
        collection = typing.get_origin(list_type)

        def structure(value: Any, _: type) -> Any:
            if not isinstance(value, list):
                raise FieldValueError("type", Message("expected a list, got {value}", value=_got_text(value)))
            items: list[Any] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                try:
                    items.append(item_hook(item, item_type))
                except Exception as error:
                    error.__notes__ = [*getattr(error, "__notes__", []), IterableValidationNote("", index, item_type)]
                    errors.append(error)
            if errors:
                raise IterableValidationError("list", errors, list_type)
            return collection(items)

        return structure

    return factory


def _table_of_hook(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, type], Any]]:
    """``dict[str, X]`` for a class X (dimensions, groups): a table whose every value is checked, by key."""

    def factory(table_type: Any) -> Callable[[Any, type], Any]:
        item_type = typing.get_args(table_type)[1]
        item_hook = converter.get_structure_hook(item_type)

        def structure(value: Any, _: type) -> Any:
            if not isinstance(value, dict):
                raise FieldValueError("type", Message("expected a table, got {value}", value=_got_text(value)))
            items: dict[str, Any] = {}
            errors: list[Exception] = []
            for key, item in value.items():
                try:
                    items[_structure_str(key, str)] = item_hook(item, item_type)
                except Exception as error:
                    error.__notes__ = [*getattr(error, "__notes__", []), AttributeValidationNote("", key, item_type)]
                    errors.append(error)
            if errors:
                raise ClassValidationError("table", errors, dict)
            return items

        return structure

    return factory


def _is_table_of(type_: Any) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is dict and len(args) == 2 and attrs.has(args[1])


def _is_list(type_: Any) -> bool:
    """``list[X]``, or ``tuple[X, ...]`` (as in the model's Task): both are lists in a file."""
    args = typing.get_args(type_)
    return typing.get_origin(type_) is list or (typing.get_origin(type_) is tuple and args[1:] == (...,))


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_structure_hook(Comparator, _structure_comparator)
    converter.register_structure_hook(Unit, _enum_hook(C_("plan file field", "unit"), Unit))
    converter.register_structure_hook(TargetKind, _enum_hook(C_("plan file field", "target kind"), TargetKind))
    converter.register_structure_hook_func(lambda t: t == dict[str, str], _structure_groups)
    converter.register_structure_hook_factory(_is_list, _list_hook(converter))
    converter.register_structure_hook(Text, _structure_text)  # before the classes that contain texts
    classes = (Task, LegalBasis, Signatory, TargetSpec, IndicatorSpec, GoalSpec, AgencySpec, RuleSpec)
    for cls in (*classes, GroupSpec, DimensionSpec, PlanSpec):
        converter.register_structure_hook(cls, _table_hook(converter, cls))
        if cls is GroupSpec:  # the tables of groups and dimensions, once their items can be structured
            converter.register_structure_hook_factory(_is_table_of, _table_of_hook(converter))
    return converter


def _table_hook(converter: cattrs.Converter, cls: type) -> Callable[[Any, type], Any]:
    """A class from a table: refuse anything that is not a table before cattrs reads its keys."""
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)

    def structure(value: Any, _: type) -> Any:
        if not isinstance(value, dict):
            raise FieldValueError("type", Message("expected a table, got {value}", value=_got_text(value)))
        return inner(value, cls)

    return structure


_converter = _make_converter()
_text_hook = make_dict_structure_fn(Text, _converter, _cattrs_forbid_extra_keys=True)


def _text_from_table(value: Any, cls: type) -> Text:
    if not isinstance(value, dict):
        raise FieldValueError(
            "type",
            Message('expected text, or a table {{ vi = "…", en = "…" }}, got {value}', value=_got_text(value)),
        )
    return _text_hook(value, cls)


def _field_names(cls: type) -> list[str]:
    return [field.name for field in attrs.fields(cls)]


def _problems(error: BaseException, path: str) -> Iterator[PlanProblem]:
    """Every leaf of a cattrs error tree, as a problem at its path."""
    if isinstance(error, (ClassValidationError, IterableValidationError)):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                yield from _problems(inner, f"{path}.{note.name}")
            else:
                assert isinstance(note, IterableValidationNote)
                yield from _problems(inner, f"{path}[{note.index!r}]")
        for inner in without:
            yield from _problems(inner, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        names = _field_names(error.cl)
        for key in sorted(error.extra_fields):
            close = difflib.get_close_matches(key, names, n=1)
            if close:
                message = Message("unknown key '{key}': did you mean '{close}'?", key=key, close=close[0])
            else:
                message = Message("unknown key '{key}'; valid keys: {valid}", key=key, valid=", ".join(names))
            yield PlanProblem.of(f"{path}.{key}", "unknown_key", message)
    elif isinstance(error, KeyError):
        yield PlanProblem.of(path, "missing", Message("required key is missing"))
    elif isinstance(error, FieldValueError):
        yield PlanProblem(path, error.code, error.en, error.vi)
    else:
        yield PlanProblem.of(path, "value", Message("invalid value: {error}", error=error))


def structure(data: Any) -> tuple[PlanSpec | None, list[PlanProblem]]:
    """Structure parsed data into a :class:`PlanSpec`, or report every problem with its path."""
    try:
        return _converter.structure(data, PlanSpec), []
    except (ClassValidationError, IterableValidationError, FieldValueError) as error:
        return None, list(_problems(error, "$"))


def _text(text: Text | None) -> dict[str, str] | None:
    if text is None:
        return None
    return {"vi": text.vi, "en": text.en} if text.en else {"vi": text.vi}


def _target_data(target: Target, unit: Unit) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if target.kind is not TargetKind.LEVEL:
        data["kind"] = target.kind.value
    if target.from_year is not None:
        data["from_year"] = target.from_year
    if target.year is not None:
        data["year"] = target.year
    data["comparator"] = target.comparator.ascii
    data["threshold"] = target.threshold
    if target.upper is not None:
        data["upper"] = target.upper
    if target.unit is not unit:
        data["unit"] = target.unit.value
    if target.disaggregation:
        data["disaggregation"] = dict(target.disaggregation)
    if target.note is not None:
        data["note"] = _text(target.note)
    return data


def to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in the file layout: tables, lists, strings, ints, Decimals and dates."""
    data: dict[str, Any] = {
        "tdplan": FORMAT_VERSION,
        "id": plan.id,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "translation_note": _text(plan.translation_note),
        "title": _text(plan.title),
        "issuer": _text(plan.issuer),
    }
    if plan.signatory is not None:
        data["signatory"] = {
            "name": plan.signatory.name,
            "position": _text(plan.signatory.position),
            "capacity": _text(plan.signatory.capacity),
        }
    if plan.legal_basis is not None:
        basis = plan.legal_basis
        data["legal_basis"] = {
            "document": basis.document,
            "date": basis.date,
            "issuer": _text(basis.issuer),
            "title": _text(basis.title),
        }
    data["recipients"] = [_text(text) for text in plan.recipients]
    for key in ("purpose", "requirements", "general_objective", "funding"):
        data[key] = _text(getattr(plan, key))
    data["tasks"] = [
        {"number": task.number, "title": _text(task.title), "items": [_text(item) for item in task.items]}
        for task in plan.tasks
    ]
    if plan.dimensions:
        data["dimensions"] = dimensions_data(plan)
    data["goals"] = [{"number": goal.number, "title": _text(goal.title)} for goal in plan.goals]
    data["agencies"] = [
        {"id": agency.id, "name": _text(agency.name), "duties": [_text(duty) for duty in agency.duties]}
        for agency in plan.agencies
    ]
    data["indicators"] = [
        {
            "id": ind.id,
            "goal": ind.goal,
            "lead": list(ind.lead_agencies),
            "unit": ind.unit.value,
            "name": _text(ind.name),
            "measure": _text(ind.measure),
            "population": _text(ind.population),
            "source": ind.source,
            "notes": [_text(note) for note in ind.notes],
            "targets": [_target_data(target, ind.unit) for target in ind.targets],
        }
        for ind in plan.indicators
    ]
    data |= rules_data(plan)
    return _without_empty(data)


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None, an empty list or an empty string: the file leaves them out."""
    result: dict[str, Any] = {}
    for key, value in data.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, dict):
            value = _without_empty(value)
        elif isinstance(value, list):
            value = [_without_empty(item) if isinstance(item, dict) else item for item in value]
        result[key] = value
    return result
