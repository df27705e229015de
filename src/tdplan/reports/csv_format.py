"""CSV for spreadsheets: UTF-8 with a byte order mark, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

from tdplan.analysis.reading import COLUMNS, column_key
from tdplan.analysis.scorecard import Scorecard, ScoredRow
from tdplan.core.i18n import C_, translate
from tdplan.core.model import Assessment, Plan
from tdplan.core.notation import Lang
from tdplan.core.text import shown
from tdplan.core.vocabulary import Text
from tdplan.reports.checks import MISSING, row_notes
from tdplan.reports.combination_rows import RowLayout, fast_ready, row_chunks
from tdplan.reports.content import RollupBy, agency_names, explanation, given, plain_decimal
from tdplan.reports.joining import write_chunks

_KNOWN_COLUMNS = {alias for aliases in COLUMNS.values() for alias in aliases}

__all__ = ["render_csv", "write_csv"]

_FORMULA_STARTS = frozenset("=+-@\t\r\n\0")
_CSV_COLUMNS = (
    ("row", C_("CSV column", "Row")),
    ("indicator", C_("CSV column", "Indicator")),
    ("indicator_name", C_("CSV column", "Indicator name")),
    ("goal", C_("CSV column", "Goal")),
    ("lead", C_("CSV column", "Lead office")),
    ("year", C_("CSV column", "Year")),
    ("period", C_("CSV column", "Period")),
    ("area", C_("CSV column", "Area")),
    ("group", C_("CSV column", "Group")),
    ("value", C_("CSV column", "Value")),
    ("unit", C_("CSV column", "Unit")),
    ("comparator", C_("CSV column", "Comparator")),
    ("threshold", C_("CSV column", "Threshold")),
    ("target_year", C_("CSV column", "Target year")),
    ("margin", C_("CSV column", "Margin")),
    ("status", C_("CSV column", "Status")),
    ("result", C_("CSV column", "Result")),
    ("explanation", C_("CSV column", "Explanation")),
    ("checks", C_("CSV column", "Checks")),
    ("numerator", C_("CSV column", "Numerator")),
    ("denominator", C_("CSV column", "Denominator")),
    ("notes", C_("CSV column", "tdplan's notes")),
    ("problem", C_("CSV column", "Problem")),
)
_UNIT_SYMBOLS = {
    "percent": C_("CSV unit", "%"),
    "permille": C_("CSV unit", "‰"),
    "per_100000": C_("CSV unit", "per 100,000"),
}


def _inert(text: str) -> str:
    """A text cell a spreadsheet will not run: one that starts like a formula gets a leading apostrophe (OWASP)."""
    text = unicodedata.normalize("NFC", text)
    first = unicodedata.normalize("NFKC", text.lstrip(" ")[:1])  # ＝ is = to some spreadsheets, and so is " ="
    return "'" + text if first and first[0] in _FORMULA_STARTS else text


def _target_cells(plan: Plan, a: Assessment, lang: Lang) -> dict[str, str]:
    """The cells every row of one indicator and target shares (its name, offices, group, unit, threshold)."""
    target = a.target
    return {
        "indicator": _inert(a.indicator.id),
        "indicator_name": _inert(a.indicator.name(lang)),
        "goal": str(a.indicator.goal),
        "lead": _inert("; ".join(agency_names(plan, a.indicator, lang))),
        "group": _inert(target.disaggregation.label(lang)),
        "unit": _inert(_UNIT_SYMBOLS.get(target.unit.value, Text(""))(lang)),
        "comparator": _inert(target.comparator.value),
        "threshold": plain_decimal(target.threshold),
        "target_year": "" if target.year is None else str(target.year),
    }


def _csv_row(
    plan: Plan,
    row: ScoredRow,
    lang: Lang,
    extra: Sequence[str],
    notes: Sequence[str] = (),
    shared: dict[tuple[object, ...], dict[str, str]] | None = None,
) -> list[str]:
    """A row's cells: numbers as plain decimals (they stay numbers), every text made inert.

    ``shared`` remembers the cells of each (indicator, target) across the rows of one report.
    """
    a = row.assessment
    plan_texts: dict[str, str] = {
        "row": str(row.row),
        "area": _inert(row.area or ""),
        "checks": _inert("; ".join(notes)),
    }
    if a is None:
        assert row.problem is not None
        plan_texts |= {"indicator": _inert(given(row, "indicator")), "problem": _inert(row.problem.message(lang))}
    else:
        key = (a.indicator.id, a.target, str(a.target.threshold))
        cells = None if shared is None else shared.get(key)
        if cells is None:
            cells = _target_cells(plan, a, lang)
            if shared is not None:
                shared[key] = cells
        plan_texts |= cells
        plan_texts |= {
            "year": str(a.year),
            "period": _inert(row.period.code if row.period else ""),
            "value": plain_decimal(a.value),
            "margin": plain_decimal(a.margin),
            "status": a.status.value,
            "result": _inert(a.status.label(lang)),
            "explanation": _inert(explanation(a, lang)),
            "numerator": "" if row.counts is None else str(row.counts[0]),
            "denominator": "" if row.counts is None else str(row.counts[1]),
            "notes": _inert(" ".join(note.text(lang) for note in row.notes)),
        }
    cells_out = [plan_texts.get(key, "") for key, _ in _CSV_COLUMNS]
    for name in extra:
        cell = row.cells.get(name)
        cells_out.append("" if cell is None else _inert(shown(cell)))
    return cells_out


def write_csv(card: Scorecard, stream: TextIO, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None) -> None:
    """Write the CSV report to ``stream`` (opened with ``newline=""``), a row at a time: :func:`render_csv`'s text."""
    headings = [heading(lang) for _, heading in _CSV_COLUMNS]
    taken = {heading.casefold() for heading in headings}
    extra = list(card.ignored_columns) or [name for name in card.columns if column_key(name) not in _KNOWN_COLUMNS]
    suffix = C_("CSV column", " (input)")(lang)  # after a column of the table named as one of tdplan's
    headings += [_inert(name + suffix if name.casefold() in taken else name) for name in extra]
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(headings)
    notes = row_notes(card, lang)  # violations and jumps of each row: reports/checks.py
    shared: dict[tuple[object, ...], dict[str, str]] = {}
    plan = card.plan
    if fast_ready(
        card
    ):  # a large table's rows, by combination (reports/combination_rows.py); a row a check names, whole
        layout = _csv_layout(plan, lang, extra, notes, shared)
        write_chunks(stream, row_chunks(card, layout, lang, [number - 1 for number in notes]))
    else:
        writer.writerows(_csv_row(plan, row, lang, extra, notes.get(row.row, ()), shared) for row in card.rows)
    writer.writerows(_missing_rows(card, lang, len(headings)))


def _csv_layout(
    plan: Plan,
    lang: Lang,
    extra: Sequence[str],
    notes: Mapping[int, Sequence[str]],
    shared: dict[tuple[object, ...], dict[str, str]],
) -> RowLayout:
    """How a row is written, for rows written by combination (:mod:`tdplan.reports.combination_rows`): csv."""
    buffer = io.StringIO(newline="")
    line = csv.writer(buffer, lineterminator="\r\n")
    keys = [key for key, _ in _CSV_COLUMNS]

    def text(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        line.writerow(cells)
        return buffer.getvalue()

    def row_text(row: ScoredRow, marks: dict[str, str] | None) -> str:
        cells = _csv_row(plan, row, lang, extra, notes.get(row.row, ()), shared)
        if marks is not None:
            for key in ("row", "area", "value", "margin", "explanation", "notes"):
                if key in marks:
                    cells[keys.index(key)] = marks[key]
            for position, name in enumerate(extra, start=len(keys)):
                cells[position] = marks.get(f"cell:{name}", cells[position])
        return text(cells)

    def encode(kind: str, value: Any) -> str:
        if kind == "cell":
            value = "" if value is None else _inert(shown(value))
        elif kind == "area":
            value = _inert(value or "")
        elif kind == "explanation":
            value = _inert(value)
        elif kind == "notes":
            value = _inert(" ".join(note.text(lang) for note in value))
        return text([value, ""])[: -len(",\r\n")]  # the field as the csv module writes it in a row

    return RowLayout(row_text, encode)


def render_csv(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    """The CSV report as one text, byte order mark first: what :func:`write_csv` writes."""
    buffer = io.StringIO(newline="")
    write_csv(card, buffer, lang, rollups, source)
    return buffer.getvalue()


def _missing_rows(card: Scorecard, lang: Lang, width: int) -> Iterator[list[str]]:
    """A row per expected figure no row gave (completeness): no row number, its indicator, period and area, MISSING."""
    keys = [key for key, _ in _CSV_COLUMNS]
    for indicator, area, period in card.completeness.missing():
        cells = dict.fromkeys(keys, "")
        cells |= {"indicator": _inert(indicator), "year": str(period.year), "period": period.code}
        cells |= {"area": _inert(area), "status": "MISSING", "result": _inert(translate(MISSING, lang))}
        yield [cells[key] for key in keys] + [""] * (width - len(keys))
