"""A request's shape in tdplan's words: unknown query parameters, and the schema's errors said for people.

Litestar checks a request against the handler's types with msgspec, whose words are
English and Python's (``Expected `int`, got `str` - at `$.year```). :func:`field_problems`
says each in the request's language, in JSON's terms (``số nguyên``, ``chuỗi``), with a
stable ``code`` and the field's JSON pointer (RFC 6901); :func:`check_parameters` refuses
a query parameter the endpoint does not take, instead of ignoring it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from tdplan.core.i18n import Message, either
from tdplan.service.problems import ProblemError

__all__ = [
    "ALWAYS_ALLOWED",
    "FIELD_CODES",
    "JsonKinds",
    "check_parameters",
    "field_problems",
    "handler_parameters",
    "malformed_json",
    "pointer_of",
]

ALWAYS_ALLOWED = frozenset({"lang"})
"""Query parameters every endpoint takes: ``lang`` chooses the language of any answer, errors included."""

_NOT_QUERY = frozenset({"request", "data", "state", "scope", "headers", "cookies", "query", "body", "socket"})

_KINDS: dict[str, Message] = {
    "str": Message("a string"),
    "int": Message("an integer"),
    "float": Message("a number with decimals"),
    "bool": Message("a boolean (true or false)"),
    "null": Message("null"),
    "object": Message("a JSON object"),
    "array": Message("a JSON array"),
}


class JsonKinds:
    """msgspec's type names (``bool | int | str | null``) as JSON's kinds in a language: ``số nguyên hoặc chuỗi``."""

    def __init__(self, names: str) -> None:
        self.names = [name.strip() for name in names.split("|") if name.strip()]

    def text(self, lang: str = "en") -> str:
        words = [_KINDS[name].text(lang) if name in _KINDS else name for name in self.names]
        return either(words, lang)


FIELD_CODES = (
    "wrong_type",
    "missing_field",
    "unknown_field",
    "too_long",
    "too_short",
    "out_of_range",
    "pattern",
    "not_allowed",
    "invalid_field",
)
"""The codes of a field's problem (``problems[].code`` of an ``invalid_request``), stable across versions."""

_TYPE = re.compile(r"Expected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`")
_LENGTH = re.compile(r"Expected `(?P<expected>[^`]+)` of length (?P<op>[<>]=?) (?P<limit>\d+)")
_RANGE = re.compile(r"Expected `(?P<expected>[^`]+)` (?P<op>[<>]=?) (?P<limit>-?[0-9.e+]+)")
_PATTERN = re.compile(r"Expected `str` matching regex (?P<pattern>.+)")
_MISSING = re.compile(r"Object missing required field `(?P<field>[^`]+)`")
_UNKNOWN = re.compile(r"Object contains unknown field `(?P<field>[^`]+)`")
_ENUM = re.compile(r"Invalid enum value (?P<value>.+)")
_STEPS = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def pointer_of(key: str) -> str:
    """The JSON pointer (RFC 6901) of Litestar's key for a body field: ``values[0]`` → ``/values/0``.

    msgspec writes a mapping's key as ``[...]`` (it does not say which): the pointer stops
    at the mapping. ``data`` is the whole body, the pointer ``""``.

    >>> pointer_of("values[0]"), pointer_of("rows[0][...]"), pointer_of("data"), pointer_of("a/b.c")
    ('/values/0', '/rows/0', '', '/a~1b/c')
    """
    if key in ("", "data"):
        return ""
    steps: list[str] = []
    for name, index in _STEPS.findall(key):
        if not name and index == "...":
            break
        steps.append(name or index)
    return "".join("/" + step.replace("~", "~0").replace("/", "~1") for step in steps)


def _field(where: str, pointer: str, name: str) -> Message:
    if where == "body":
        return Message("the body") if not pointer else Message("the field {pointer}", pointer=pointer)
    return Message("the {place} parameter {name}", place=_PLACES.get(where, Message("query")), name=name)


_PLACES = {"query": Message("query"), "path": Message("path"), "header": Message("header"), "cookie": Message("cookie")}


def _problem(message: str, where: str, pointer: str, name: str) -> tuple[str, Message, str]:
    """The code, the sentence and the pointer of one of msgspec's messages."""
    field = _field(where, pointer, name)
    if match := _MISSING.fullmatch(message):
        pointer = f"{pointer}/{match['field']}" if where == "body" else pointer
        return "missing_field", Message("{field} is missing", field=_field(where, pointer, match["field"])), pointer
    if match := _UNKNOWN.fullmatch(message):
        pointer = f"{pointer}/{match['field']}" if where == "body" else pointer
        sentence = Message("{field} is not a field of this request", field=_field(where, pointer, match["field"]))
        return "unknown_field", sentence, pointer
    if match := _TYPE.fullmatch(message):
        expected, got = JsonKinds(match["expected"]), JsonKinds(match["got"])
        sentence = Message("{field} must be {expected}, not {got}", field=field, expected=expected, got=got)
        return "wrong_type", sentence, pointer
    if match := _LENGTH.fullmatch(message):
        limit = int(match["limit"]) + {"<": -1, ">": 1}.get(match["op"], 0)
        text, most = match["expected"] == "str", match["op"].startswith("<")
        if most and text:
            sentence = Message("{field} is too long: at most {limit} characters", field=field, limit=limit)
        elif most:
            sentence = Message("{field} has more than {limit} items", field=field, limit=limit)
        elif text:
            sentence = Message("{field} is too short: at least {limit} characters", field=field, limit=limit)
        else:
            sentence = Message("{field} has fewer than {limit} items", field=field, limit=limit)
        return ("too_long" if most else "too_short"), sentence, pointer
    if match := _RANGE.fullmatch(message):
        words = {
            "<=": Message("at most {limit}", limit=match["limit"]),
            ">=": Message("at least {limit}", limit=match["limit"]),
            "<": Message("below {limit}", limit=match["limit"]),
            ">": Message("above {limit}", limit=match["limit"]),
        }
        sentence = Message("{field} must be {bound}", field=field, bound=words[match["op"]])
        return "out_of_range", sentence, pointer
    if _PATTERN.fullmatch(message):
        return "pattern", Message("{field} is not written as this field is (see /openapi.json)", field=field), pointer
    if match := _ENUM.fullmatch(message):
        value = match["value"]
        sentence = Message("{field} cannot be {value}: see /openapi.json for its values", field=field, value=value)
        return "not_allowed", sentence, pointer
    sentence = Message("{field} has a value this endpoint does not take (see /openapi.json)", field=field)
    return "invalid_field", sentence, pointer


def field_problems(details: Iterable[Any]) -> list[tuple[dict[str, Any], Message]]:
    """Each of Litestar's validation messages as a problem and its sentence.

    A problem has a ``code`` (:data:`FIELD_CODES`), a ``source`` (``body``, ``query``,
    ``path``) and the field's JSON ``pointer`` in the body, or the parameter's ``key``.

    The problem's ``message`` is the sentence in the request's language, filled in by the caller.

    >>> [(problem["code"], problem["pointer"], sentence.text("vi")) for problem, sentence in field_problems(
    ...     [{"key": "year", "source": "body", "message": "Expected `int`, got `str`"}])]
    [('wrong_type', '/year', 'trường /year phải là số nguyên, không phải chuỗi')]
    """
    found = []
    for item in details:
        if not isinstance(item, Mapping):
            continue
        key = str(item.get("key", ""))
        source = item.get("source", "body")
        where = str(getattr(source, "value", source) or "body")
        pointer = pointer_of(key) if where == "body" else ""
        code, sentence, pointer = _problem(str(item.get("message", "")), where, pointer, key)
        problem: dict[str, Any] = {"code": code, "source": where}
        problem.update({"pointer": pointer} if where == "body" else {"key": key})
        found.append((problem, sentence))
    return found


def malformed_json(detail: str) -> Message | None:
    """Litestar's sentence for a body that is not JSON, in tdplan's words (None for any other sentence)."""
    if not detail.startswith("JSON is malformed"):
        return None
    at = re.search(r"\(byte (\d+)\)", detail)
    if at is None:
        return Message("the body is not valid JSON")
    return Message("the body is not valid JSON: it goes wrong at byte {byte}", byte=int(at.group(1)))


def check_parameters(given: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse query parameters an endpoint does not take: a 400 ``unknown_parameter`` naming them and the valid ones."""
    valid = sorted(set(allowed) | ALWAYS_ALLOWED)
    unknown = sorted(set(given) - set(valid))
    if unknown:
        raise ProblemError(
            400,
            "unknown_parameter",
            Message(
                "this endpoint takes no query parameter {unknown}: it takes {valid}",
                unknown=", ".join(unknown),
                valid=", ".join(valid),
            ),
            parameters=unknown,
            valid=valid,
        )


def handler_parameters(handler: Any, path_params: Iterable[str]) -> list[str]:
    """The query parameters a Litestar handler takes: its signature's names but the request, its body and its path."""
    names = getattr(getattr(handler, "parsed_fn_signature", None), "parameters", {})
    return [name for name in names if name not in _NOT_QUERY and name not in set(path_params)]
