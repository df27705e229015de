"""JSON for other software, in the stable schema :func:`report_schema` (numbers as exact decimal strings)."""

from __future__ import annotations

import importlib
import importlib.resources
import io
import json
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring  # the C encoder of a JSON string
from typing import Any, TextIO

from tdplan.analysis.combinations import assessed_by_indicator
from tdplan.analysis.reading import EXTRA_CELLS
from tdplan.analysis.scorecard import Rollup, RowProblem, Scorecard, ScoredRow
from tdplan.core.notation import Lang
from tdplan.core.text import shown
from tdplan.core.version import version
from tdplan.core.vocabulary import Status
from tdplan.reports.checks import checks_data
from tdplan.reports.combination_rows import RowLayout, fast_ready, row_chunks
from tdplan.reports.content import RollupBy, explanation, plain_decimal
from tdplan.reports.joining import write_chunks

REPORT_SCHEMA_ID = "tdplan-report"
"""The ``schema`` field of every JSON report."""

REPORT_SCHEMA_VERSION = 1
"""The ``version`` field of JSON reports: raised only when a field is removed or changes meaning."""

__all__ = [
    "REPORT_SCHEMA_ID",
    "REPORT_SCHEMA_VERSION",
    "compact_json",
    "json_text",
    "render_json",
    "report_schema",
    "write_json",
]

_SPOOL = 8 * 1024 * 1024
"""The rows' JSON kept in memory while a report is written; beyond it they wait in a temporary file."""


def _status_counts(counts: Mapping[Status, int]) -> dict[str, int]:
    return {status.value: counts[status] for status in Status}


def _json_cell(value: Any) -> str | None:
    if value is None:
        return None
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else shown(value)


def _json_problem(problem: RowProblem, lang: Lang) -> dict[str, Any]:
    """A row's problem: the error's class name and stable code, for software; the message in the report's language."""
    return {"error": problem.error, "code": problem.code, "message": problem.message(lang)}


def _json_row(row: ScoredRow, lang: Lang) -> dict[str, Any]:
    a = row.assessment
    problem = None if row.problem is None else _json_problem(row.problem, lang)
    record: dict[str, Any] = {
        "row": row.row,
        "cells": {str(name): _json_cell(cell) for name, cell in row.cells.items() if name != EXTRA_CELLS},
        "area": row.area,
        "period": None if row.period is None else row.period.code,
    }
    if a is None:
        empty = ("indicator", "goal", "lead_agencies", "year", "disaggregation", "status", "status_label", "met")
        record |= dict.fromkeys(empty)
        empty = ("value", "unit", "comparator", "threshold", "target_year", "margin", "exact", "explanation")
        record |= dict.fromkeys(empty)
    else:
        target = a.target
        record |= {
            "indicator": a.indicator.id,
            "goal": a.indicator.goal,
            "lead_agencies": list(a.indicator.lead_agencies),
            "year": a.year,
            "disaggregation": dict(target.disaggregation),
            "status": a.status.value,
            "status_label": a.status.label(lang),
            "met": a.met,
            "value": plain_decimal(a.value),
            "unit": target.unit.value,
            "comparator": target.comparator.ascii,
            "threshold": plain_decimal(target.threshold),
            "target_year": target.year,
            "margin": plain_decimal(a.margin),
            "exact": a.exact,
            "explanation": explanation(a, lang),
        }
    record["numerator"] = None if row.counts is None else row.counts[0]
    record["denominator"] = None if row.counts is None else row.counts[1]
    record["notes"] = [note.text(lang) for note in row.notes]
    record["problem"] = problem
    return record


def _json_layout(lang: Lang) -> RowLayout:
    """How a row is written, for rows written by combination (:mod:`tdplan.reports.combination_rows`)."""

    def row_text(row: ScoredRow, marks: dict[str, str] | None) -> str:
        record = _json_row(row, lang)
        if marks is not None:
            record["cells"] = {name: marks.get(f"cell:{name}", cell) for name, cell in record["cells"].items()}
            record |= {key: mark for key, mark in marks.items() if key in record}
        return compact_json(record)

    def encode(kind: str, value: Any) -> str:
        if kind == "notes":
            return compact_json([note.text(lang) for note in value])
        return compact_json(_json_cell(value) if kind == "cell" else value)

    def inner(text: str) -> str:  # a text as written inside a JSON string
        return str(encode_basestring(text))[1:-1]

    return RowLayout(row_text, encode, "\n    ", ",\n    ", inner)


def _json_rollup(rollup: Rollup, lang: Lang) -> dict[str, Any]:
    return {
        "key": rollup.key,
        "label": rollup.label(lang),
        "total": rollup.total,
        "met": rollup.met,
        "counts": _status_counts(rollup.counts),
        "indicators": list(rollup.indicators),
    }


class _Numbers:
    """A large table's row numbers of one indicator, as a JSON list on one line, written a slice at a time.

    ``positions`` is :func:`~tdplan.analysis.combinations.assessed_by_indicator`'s array, ``position`` the
    indicator's; the numbers are found when written, so no more than a slice of them is ever held.
    """

    SLICE = 1 << 17  # rows: NumPy writes their digits with a few bytes a digit of work space

    def __init__(self, positions: Any, position: int, count: int) -> None:
        self.positions, self.position, self.count = positions, position, count

    def write(self, stream: TextIO) -> None:
        import numpy as np

        stream.write("[")
        separator = ""
        for start in range(0, len(self.positions) if self.count else 0, self.SLICE):
            found = np.flatnonzero(self.positions[start : start + self.SLICE] == self.position) + (start + 1)
            if len(found):
                stream.write(separator + _digits(found))
                separator = ","
        stream.write("]")


def _digits(numbers: Any) -> str:
    """Whole numbers of 0 or more (a NumPy array) as their digits, comma-separated: ``",".join(map(str, …))``,
    written by NumPy at once (a row of digits per number, leading zeros left out).

    >>> import numpy
    >>> _digits(numpy.array([1, 9, 10, 99, 100, 1234567]))
    '1,9,10,99,100,1234567'
    """
    import numpy as np

    width = len(str(int(numbers.max())))
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = np.empty((len(numbers), width + 1), dtype=np.uint8)
    digits[:, :width] = 48 + (numbers[:, None] // powers) % 10
    digits[:, width] = ord(",")
    keep = np.ones(digits.shape, dtype=bool)
    keep[:, : width - 1] = numbers[:, None] >= powers[None, :-1]  # no leading zero (0 itself keeps its last)
    return digits[keep].tobytes()[:-1].decode("ascii")


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def compact_json(value: Any) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` writes it: one line.

    A report's rows and problems are written so, one to a line.

    >>> compact_json({"row": 1, "cells": {"giá trị": "16,5"}, "notes": [], "met": True})
    '{"row":1,"cells":{"giá trị":"16,5"},"notes":[],"met":true}'
    """
    return str(_compact(value))


def json_text(value: Any, level: int = 0) -> str:
    """``value`` laid out as a report is: as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, nested
    ``level`` deep, but a list of whole numbers (row numbers) on one line, compact.

    The rows of a report are written one at a time with :func:`compact_json`, so that a
    streamed report is the same text, byte for byte, as one document laid out at once.

    >>> json_text({"a": ["đạt", None], "b": {}, "c": True}) == json.dumps(
    ...     {"a": ["đạt", None], "b": {}, "c": True}, ensure_ascii=False, indent=2)
    True
    >>> print(json_text({"rows": [1, 2, 3], "empty": []}))
    {
      "rows": [1,2,3],
      "empty": []
    }
    """
    if isinstance(value, str):
        return str(encode_basestring(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{encode_basestring(str(key))}: {json_text(item, level + 1)}" for key, item in value.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
    if isinstance(value, _Numbers):  # written in its place by _write_members
        return f"\0{id(value)}\0"  # no JSON text holds a NUL: json_text writes it as \u0000
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if type(value[0]) is int and set(map(type, value)) == {int}:  # row numbers: one line
            return "[" + ",".join(map(int.__repr__, value)) + "]"
        items = (json_text(item, level + 1) for item in value)
        return "[" + inner + ("," + inner).join(items) + "\n" + "  " * level + "]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)  # any other kind


def _write_members(stream: TextIO, members: Iterable[tuple[str, Any]], first: bool) -> None:
    numbers: dict[str, _Numbers] = {}
    for key, value in members:
        if isinstance(value, list):
            numbers |= {
                str(id(item["rows"])): item["rows"]
                for item in value
                if isinstance(item, dict) and isinstance(item.get("rows"), _Numbers)
            }
        text = ("{\n  " if first else ",\n  ") + f"{encode_basestring(key)}: {json_text(value, 1)}"
        for place, piece in enumerate(text.split("\0")):
            if place % 2:
                numbers[piece].write(stream)
            else:
                stream.write(piece)
        first = False


def write_json(card: Scorecard, stream: TextIO, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None) -> None:
    """Write the JSON report to ``stream``, row by row: the same text :func:`render_json` returns.

    The rows are built once, in one pass that also counts them per indicator (the
    ``indicators`` section, which comes before them); their text waits in a spooled
    temporary file meanwhile, so memory holds no more than a few megabytes of it.
    """
    plan = card.plan
    problems = card.problems
    problem_rows = card.problem_rows()
    rows_of: dict[str, Any] = {indicator.id: [] for indicator in plan.indicators}
    counts_of: dict[str, dict[Status, int]] = {indicator.id: dict.fromkeys(Status, 0) for indicator in plan.indicators}
    fast = fast_ready(card)
    if fast:  # a large table's rows: counted from its codes, then written by combination (reports/combination_rows.py)
        from tdplan.analysis.bulk import STATUS_CODES

        positions, by_code = assessed_by_indicator(card)
        rows_of = {
            indicator.id: _Numbers(positions, number, sum(by_code[indicator.id]))
            for number, indicator in enumerate(plan.indicators)
        }
        for indicator, numbers in by_code.items():
            counts_of[indicator] |= dict(zip(STATUS_CODES, numbers, strict=True))
    with tempfile.SpooledTemporaryFile(
        _SPOOL, mode="w+", encoding="utf-8", newline="", errors="surrogatepass"
    ) as spool:
        separator = "\n    "
        for row in () if fast else card.rows:
            if row.assessment is not None:
                rows_of[row.assessment.indicator.id].append(row.row)
                counts_of[row.assessment.indicator.id][row.assessment.status] += 1
            spool.write(separator + compact_json(_json_row(row, lang)))
            separator = ",\n    "
        head = {
            "schema": REPORT_SCHEMA_ID,
            "version": REPORT_SCHEMA_VERSION,
            "generator": f"tdplan {version()}",
            "lang": lang,
            "source": source,
            "plan": {
                "id": plan.id,
                "title": plan.title(lang),
                "issuer": plan.issuer(lang),
                "start_year": plan.start_year,
                "end_year": plan.end_year,
            },
            "columns": list(card.columns),
            "ignored_columns": list(card.ignored_columns),
            "summary": {
                "rows": len(card.rows),
                "assessed": len(card.rows) - len(problems),
                "problems": len(problems),
                "counts": _status_counts(card.counts),
            },
            "rollups": {by: [_json_rollup(rollup, lang) for rollup in card.rollup(by)] for by in rollups},
            "indicators": [
                {
                    "id": indicator.id,
                    "goal": indicator.goal,
                    "name": indicator.name(lang),
                    "unit": indicator.unit.value,
                    "targets": indicator.describe_targets(lang),
                    "lead_agencies": list(indicator.lead_agencies),
                    "rows": rows_of[indicator.id],
                    "problem_rows": list(problem_rows.get(indicator.id, ())),
                    "counts": _status_counts(counts_of[indicator.id]),
                }
                for indicator in plan.indicators
            ],
        }
        _write_members(stream, head.items(), first=True)
        if separator == "\n    " and not (fast and len(card.rows)):  # no rows
            stream.write(',\n  "rows": []')
        else:
            stream.write(',\n  "rows": [')
            if fast:
                write_chunks(stream, row_chunks(card, _json_layout(lang), lang))
            spool.seek(0)
            while chunk := spool.read(1 << 20):
                stream.write(chunk)
            stream.write("\n  ]")
    stream.write(',\n  "problems": ')
    _write_problems(stream, card, lang)
    checks = checks_data(card, lang)  # violations, jumps, completeness: reports/checks.py
    _write_members(stream, [("checks", checks)], first=False)
    stream.write("\n}\n")


def _write_problems(stream: TextIO, card: Scorecard, lang: Lang) -> None:
    """The ``problems`` list, a problem to a line as :func:`compact_json` writes ``{"row": …, **problem}``: each
    kind's text made once (:mod:`tdplan.analysis.problem_kinds`), then only the row numbers are written per row."""
    kinds = card.problem_kinds(lang)
    if not len(kinds.rows):
        stream.write("[]")
        return
    bodies = [compact_json(_json_problem(problem, lang))[1:] for problem in kinds.firsts]  # without its "{"
    separator = "[\n    "
    for start in range(0, len(kinds.rows), _PROBLEMS_AT_ONCE):
        rows, codes = kinds.listed(start, start + _PROBLEMS_AT_ONCE)
        lines = ",\n    ".join([f'{{"row":{row},{bodies[code]}' for row, code in zip(rows, codes, strict=True)])
        stream.write(separator + lines)
        separator = ",\n    "
    stream.write("\n  ]")


_PROBLEMS_AT_ONCE = 1 << 13
"""Problems written at a time: a few megabytes of text (a line of Vietnamese is some 300 bytes in memory)."""


def render_json(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    """The JSON report as one text: what :func:`write_json` writes."""
    buffer = io.StringIO()
    write_json(card, buffer, lang, rollups, source)
    return buffer.getvalue()


def report_schema() -> str:
    """The JSON Schema of JSON reports, as JSON text (shipped as ``tdplan/data/report.schema.json``).

    >>> json.loads(report_schema())["properties"]["version"]
    {'const': 1, 'description': 'The version of this schema: raised only when a field is removed or changes meaning.'}
    """
    return importlib.resources.files("tdplan").joinpath("data", "report.schema.json").read_text("utf-8")
