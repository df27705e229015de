"""JSON for other software, in the stable schema :func:`report_schema` (numbers as exact decimal strings)."""

from __future__ import annotations

import importlib.resources
import json
import unicodedata
from collections.abc import Mapping
from typing import Any

from tdplan.analysis.reading import EXTRA_CELLS
from tdplan.analysis.scorecard import Rollup, RowProblem, Scorecard, ScoredRow
from tdplan.core.notation import Lang
from tdplan.core.text import shown
from tdplan.core.version import version
from tdplan.core.vocabulary import Status
from tdplan.reports.checks import checks_data
from tdplan.reports.content import RollupBy, plain_decimal

REPORT_SCHEMA_ID = "tdplan-report"
"""The ``schema`` field of every JSON report."""

REPORT_SCHEMA_VERSION = 1
"""The ``version`` field of JSON reports: raised only when a field is removed or changes meaning."""

__all__ = ["REPORT_SCHEMA_ID", "REPORT_SCHEMA_VERSION", "render_json", "report_schema"]


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
            "explanation": a.explain(lang),
        }
    record["numerator"] = None if row.counts is None else row.counts[0]
    record["denominator"] = None if row.counts is None else row.counts[1]
    record["notes"] = [note.text(lang) for note in row.notes]
    record["problem"] = problem
    return record


def _json_rollup(rollup: Rollup, lang: Lang) -> dict[str, Any]:
    return {
        "key": rollup.key,
        "label": rollup.label(lang),
        "total": rollup.total,
        "met": rollup.met,
        "counts": _status_counts(rollup.counts),
        "indicators": list(rollup.indicators),
    }


def render_json(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    plan = card.plan
    problem_rows = card.problem_rows()
    rows_of: dict[str, list[int]] = {indicator.id: [] for indicator in plan.indicators}
    counts_of: dict[str, dict[Status, int]] = {indicator.id: dict.fromkeys(Status, 0) for indicator in plan.indicators}
    for row in card.rows:
        if row.assessment is not None:
            rows_of[row.assessment.indicator.id].append(row.row)
            counts_of[row.assessment.indicator.id][row.assessment.status] += 1
    document = {
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
            "assessed": len(card.rows) - len(card.problems),
            "problems": len(card.problems),
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
        "rows": [_json_row(row, lang) for row in card.rows],
        "problems": [{"row": problem.row, **_json_problem(problem, lang)} for problem in card.problems],
        "checks": checks_data(card, lang),  # violations, jumps, completeness: reports/checks.py
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def report_schema() -> str:
    """The JSON Schema of JSON reports, as JSON text (shipped as ``tdplan/data/report.schema.json``).

    >>> json.loads(report_schema())["properties"]["version"]
    {'const': 1, 'description': 'The version of this schema: raised only when a field is removed or changes meaning.'}
    """
    return importlib.resources.files("tdplan").joinpath("data", "report.schema.json").read_text("utf-8")
