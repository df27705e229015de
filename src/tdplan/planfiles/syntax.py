"""What TOML's and JSON's parsers say about a file they cannot read, in the reader's language.

Python's parsers speak English, and name keys as Python does (``Invalid value (at line 1,
column 5)``, ``Cannot declare ('a',) twice``, ``Expecting ',' delimiter: line 1 column 9
(char 8)``). :func:`syntax_reason` gives the sentence as a message of tdplan's catalog,
with its line and column, and the line alone for a problem's ``line``. A sentence this
module does not know (a later Python's) is kept as the parser wrote it.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Callable

from tdplan.core.i18n import Message

__all__ = ["syntax_reason"]

_TOML_WHERE = re.compile(
    r"^(?P<what>.*?) \((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$", re.S
)

_TOML: dict[str, Message] = {  # tomllib's sentences without a parameter (Python 3.11–3.13)
    "Invalid value": Message('a value tdplan cannot read: a text is written in quotes, such as "nông thôn"'),
    "Invalid statement": Message("a line that is neither key = value nor a [table] heading"),
    "Expected '=' after a key in a key/value pair": Message("'=' is missing after a key"),
    "Expected ']' at the end of a table declaration": Message("']' is missing at the end of a [table] heading"),
    "Expected ']]' at the end of an array declaration": Message("']]' is missing at the end of a [[table]] heading"),
    "Expected newline or end of document after a statement": Message(
        "more after a value on the same line: one key = value a line"
    ),
    "Unclosed array": Message("a list [ … ] is not closed"),
    "Unclosed inline table": Message("a table { … } is not closed"),
    "Unterminated string": Message("a text is not closed by its quote"),
    "Cannot overwrite a value": Message("a key is given a value twice"),
    "Invalid date or datetime": Message("a date tdplan cannot read: write it as 2021-06-30"),
    "Invalid initial character for a key part": Message(
        "a key starts with a character keys cannot: write it in quotes"
    ),
    "Unescaped '\\' in a string": Message("a backslash in a text is written twice: \\\\"),
    "Escaped character is not a Unicode scalar value": Message("an escape \\u… in a text is not a character"),
    "Invalid hex value": Message("an escape \\u… in a text is not a character"),
}

_TOML_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Message]]] = [
    (
        re.compile(r"Cannot declare (?P<key>.+) twice"),
        lambda match: Message("the table [{key}] is declared twice", key=_key(match["key"])),
    ),
    (
        re.compile(r"Cannot (?:mutate immutable|redefine) namespace (?P<key>.+)"),
        lambda match: Message("{key} was already given as a whole and cannot be added to", key=_key(match["key"])),
    ),
    (
        re.compile(r"Duplicate inline table key (?P<key>.+)"),
        lambda match: Message("the key {key} is given twice in one table {{ … }}", key=_key(match["key"])),
    ),
    (
        re.compile(r"(?:Found invalid|Illegal) character (?P<char>.+)"),
        lambda match: Message("the character {char} cannot be here", char=match["char"]),
    ),
    (
        re.compile(r"Expected (?P<char>'.+')"),
        lambda match: Message("{char} is missing", char=match["char"]),
    ),
]

_JSON: dict[str, Message] = {  # json's sentences (its error's msg)
    "Expecting value": Message("a value is missing or cannot be read (no comma after the last item)"),
    "Expecting property name enclosed in double quotes": Message(
        'a key in double quotes is missing (keys are written "id", and no comma comes after the last item)'
    ),
    "Expecting ',' delimiter": Message("a comma ',' is missing between two items"),
    "Expecting ':' delimiter": Message("a colon ':' is missing after a key"),
    "Unterminated string starting at": Message("a text is not closed by its quote"),
    "Extra data": Message("there is more after the end of the document"),
    "Invalid control character at": Message("a text holds a control character, such as a line break"),
    "Invalid \\escape": Message("a backslash in a text is written twice: \\\\"),
    "Invalid \\uXXXX escape": Message("an escape \\u… in a text is not a character"),
}


def _key(written: str) -> str:
    """A key as a plan file writes it (``dimensions.residence``), not as Python's tuple (``('dimensions', ...)``)."""
    try:
        parts = ast.literal_eval(written)
    except (ValueError, SyntaxError):
        return written
    if isinstance(parts, str):
        return parts
    if isinstance(parts, tuple) and all(isinstance(part, str) for part in parts):
        return ".".join(parts)
    return written


def syntax_reason(error: ValueError) -> tuple[Message | str, int | None]:
    """Why a TOML or JSON parser refused a text, in the catalog's words, with the line and column; and the line.

    >>> import tomllib
    >>> try:
    ...     tomllib.loads("[a]\\n[a]\\n")
    ... except tomllib.TOMLDecodeError as error:
    ...     reason, line = syntax_reason(error)
    >>> reason.text("vi"), line
    ('bảng [a] được khai báo hai lần (dòng 2, cột 3)', 2)
    """
    if isinstance(error, json.JSONDecodeError):
        what = _JSON.get(error.msg)
        if what is None:
            return str(error), error.lineno
        return Message("{what} (line {line}, column {column})", what=what, line=error.lineno, column=error.colno), (
            error.lineno
        )
    written = _TOML_WHERE.match(str(error)) if isinstance(error, tomllib.TOMLDecodeError) else None
    if written is None:
        return str(error), None
    said = _TOML.get(written["what"])
    for pattern, wording in _TOML_PATTERNS:
        match = pattern.fullmatch(written["what"])
        if said is None and match is not None:
            said = wording(match)
    if said is None:
        return str(error), int(written["line"]) if written["line"] else None
    if written["line"] is None:
        return Message("{what} (at the end of the file)", what=said), None
    line = int(written["line"])
    return Message("{what} (line {line}, column {column})", what=said, line=line, column=written["column"]), line
