"""CSV for spreadsheets: UTF-8 with a byte order mark, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence

from tdplan.analysis.reading import COLUMNS, column_key
from tdplan.analysis.scorecard import Scorecard, ScoredRow
from tdplan.core.i18n import translate
from tdplan.core.model import Plan
from tdplan.core.notation import Lang
from tdplan.core.text import shown
from tdplan.core.vocabulary import Text
from tdplan.reports.checks import MISSING, row_notes
from tdplan.reports.content import RollupBy, agency_names, given, plain_decimal

_KNOWN_COLUMNS = {alias for aliases in COLUMNS.values() for alias in aliases}

__all__ = ["render_csv"]

_FORMULA_STARTS = frozenset("=+-@\t\r\n\0")
_CSV_COLUMNS = (
    ("row", Text("Dòng", "Row")),
    ("indicator", Text("Chỉ tiêu", "Indicator")),
    ("indicator_name", Text("Tên chỉ tiêu", "Indicator name")),
    ("goal", Text("Mục tiêu", "Goal")),
    ("lead", Text("Cơ quan chủ trì", "Lead office")),
    ("year", Text("Năm", "Year")),
    ("period", Text("Kỳ", "Period")),
    ("area", Text("Địa bàn", "Area")),
    ("group", Text("Nhóm", "Group")),
    ("value", Text("Giá trị", "Value")),
    ("unit", Text("Đơn vị", "Unit")),
    ("comparator", Text("So sánh", "Comparator")),
    ("threshold", Text("Ngưỡng", "Threshold")),
    ("target_year", Text("Năm mục tiêu", "Target year")),
    ("margin", Text("Chênh lệch", "Margin")),
    ("status", Text("Mã kết quả", "Status")),
    ("result", Text("Kết quả", "Result")),
    ("explanation", Text("Giải thích", "Explanation")),
    ("checks", Text("Kiểm tra", "Checks")),
    ("numerator", Text("Tử số", "Numerator")),
    ("denominator", Text("Mẫu số", "Denominator")),
    ("notes", Text("Ghi chú của tdplan", "tdplan's notes")),
    ("problem", Text("Lỗi", "Problem")),
)
_UNIT_SYMBOLS = {"percent": Text("%", "%"), "permille": Text("‰", "‰"), "per_100000": Text("/100.000", "per 100,000")}


def _inert(text: str) -> str:
    """A text cell a spreadsheet will not run: one that starts like a formula gets a leading apostrophe (OWASP)."""
    text = unicodedata.normalize("NFC", text)
    first = unicodedata.normalize("NFKC", text.lstrip(" ")[:1])  # ＝ is = to some spreadsheets, and so is " ="
    return "'" + text if first and first[0] in _FORMULA_STARTS else text


def _csv_row(plan: Plan, row: ScoredRow, lang: Lang, extra: Sequence[str], notes: Sequence[str] = ()) -> list[str]:
    """A row's cells: numbers as plain decimals (they stay numbers), every text made inert."""
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
        target = a.target
        plan_texts |= {
            "indicator": _inert(a.indicator.id),
            "indicator_name": _inert(a.indicator.name(lang)),
            "goal": str(a.indicator.goal),
            "lead": _inert("; ".join(agency_names(plan, a.indicator, lang))),
            "year": str(a.year),
            "period": _inert(row.period.code if row.period else ""),
            "group": _inert(target.disaggregation.label(lang)),
            "value": plain_decimal(a.value),
            "unit": _inert(_UNIT_SYMBOLS.get(target.unit.value, Text("", ""))(lang)),
            "comparator": _inert(target.comparator.value),
            "threshold": plain_decimal(target.threshold),
            "target_year": "" if target.year is None else str(target.year),
            "margin": plain_decimal(a.margin),
            "status": a.status.value,
            "result": _inert(a.status.label(lang)),
            "explanation": _inert(a.explain(lang)),
            "numerator": "" if row.counts is None else str(row.counts[0]),
            "denominator": "" if row.counts is None else str(row.counts[1]),
            "notes": _inert(" ".join(note.text(lang) for note in row.notes)),
        }
    cells = [plan_texts.get(key, "") for key, _ in _CSV_COLUMNS]
    for name in extra:
        cell = row.cells.get(name)
        cells.append("" if cell is None else _inert(shown(cell)))
    return cells


def render_csv(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    headings = [heading(lang) for _, heading in _CSV_COLUMNS]
    taken = {heading.casefold() for heading in headings}
    extra = list(card.ignored_columns) or [name for name in card.columns if column_key(name) not in _KNOWN_COLUMNS]
    suffix = " (bảng gốc)" if lang == "vi" else " (input)"
    headings += [_inert(name + suffix if name.casefold() in taken else name) for name in extra]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings)
    notes = row_notes(card, lang)  # violations and jumps of each row: reports/checks.py
    writer.writerows(_csv_row(card.plan, row, lang, extra, notes.get(row.row, ())) for row in card.rows)
    writer.writerows(_missing_rows(card, lang, len(headings)))
    return "\ufeff" + buffer.getvalue()


def _missing_rows(card: Scorecard, lang: Lang, width: int) -> list[list[str]]:
    """A row per expected figure no row gave (completeness): no row number, its indicator, period and area, MISSING."""
    keys = [key for key, _ in _CSV_COLUMNS]
    rows = []
    for indicator, area, period in card.completeness.missing():
        cells = dict.fromkeys(keys, "")
        cells |= {"indicator": _inert(indicator), "year": str(period.year), "period": period.code}
        cells |= {"area": _inert(area), "status": "MISSING", "result": _inert(translate(MISSING, lang))}
        rows.append([cells[key] for key in keys] + [""] * (width - len(keys)))
    return rows
