"""An Excel workbook (``.xlsx``): a summary sheet, a sheet of every row with its verdict, a sheet of problems.

Written with xlsxwriter in its ``constant_memory`` mode, a row at a time, so that a
100,000-row report is written in bounded memory (``benchmarks/excel.py``), each text that
repeats written once (:mod:`tdplan.reports.xlsx_strings`). Numbers are
numbers (shown with their unit and every digit they have), statuses are coloured and
worded (colour never alone), the header row is frozen and filtered, columns are wide
enough for their text, and each sheet prints landscape, fit to the page's width, with
its header row repeated. Text is written as text, never as a formula: a cell that starts
with ``=`` stays those characters. xlsxwriter is an optional extra (``tdplan[excel]``).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO

from tdplan.analysis.combinations import scored_rows
from tdplan.analysis.scorecard import Scorecard, ScoredRow
from tdplan.core.errors import InputTypeError, require_module
from tdplan.core.i18n import C_, Bilingual, Message
from tdplan.core.notation import Lang
from tdplan.core.text import clean, display_width
from tdplan.core.units import Unit
from tdplan.core.vocabulary import STATUS_ORDER, Status, Text
from tdplan.reports.checks import check_sections, row_notes
from tdplan.reports.colours import STATUS_COLOURS
from tdplan.reports.combination_rows import fast_ready
from tdplan.reports.content import (
    STATUS_MARKS,
    RollupBy,
    agency_names,
    data_problems_text,
    explanation,
    given,
    headline,
    ignored_line,
    kind_rows_text,
    many_problems,
    margin_text,
    problem_rows_of,
    problems_cut_text,
    rollup_headings,
    rollup_label,
    shown_number,
    target_text,
    troubled,
    unreported,
    value_text,
    when_text,
    word,
)
from tdplan.reports.xlsx_rows import RowsPlan, number_cell, write_by_combination, write_text
from tdplan.reports.xlsx_strings import shared_sheet_class

__all__ = ["render_xlsx", "require_xlsxwriter", "write_xlsx"]

_SHEETS = {
    "summary": C_("Excel sheet", "Summary"),
    "rows": C_("Excel sheet", "Rows"),
    "problems": C_("Excel sheet", "Problems"),
    "checks": C_("Excel sheet", "Checks"),
}
_ROW_COLUMNS = (
    ("row", C_("Excel column", "Row")),
    ("indicator", C_("Excel column", "Indicator")),
    ("indicator_name", C_("Excel column", "Indicator name")),
    ("goal", C_("Excel column", "Goal")),
    ("lead", C_("Excel column", "Lead office")),
    ("period", C_("Excel column", "Period")),
    ("area", C_("Excel column", "Area")),
    ("group", C_("Excel column", "Group")),
    ("value", C_("Excel column", "Value")),
    ("target", C_("Excel column", "Target")),
    ("margin", C_("Excel column", "Margin")),
    ("numerator", C_("Excel column", "Numerator")),
    ("denominator", C_("Excel column", "Denominator")),
    ("result", C_("Excel column", "Result")),
    ("explanation", C_("Excel column", "Explanation")),
    ("checks", C_("Excel column", "Checks")),
    ("notes", C_("Excel column", "tdplan's notes")),
)
_SUFFIXES: dict[Unit, Bilingual] = {
    Unit.PERCENT: C_("Excel unit", " %"),
    Unit.PER_MILLE: C_("Excel unit", "‰"),
    Unit.PER_100000: C_("Excel unit", " per 100,000"),
    Unit.COUNT: Text(""),
}
_WIDEST = 60
_CAPS = {"indicator_name": 36, "lead": 24, "explanation": 44, "checks": 36, "notes": 30, "target": 22, "period": 12}
_WRAPPED = frozenset(("indicator_name", "lead", "explanation", "checks", "notes"))
_EXTRA_WIDEST = 24
_FITTED_ROWS = 10_000
"""Up to this many rows, each row is as tall as its wrapped text; in a larger table every row is two lines tall
(a row's own height is kept in memory by xlsxwriter, and a table that large is filtered, not printed whole)."""
_SAMPLE = 500  # rows measured for the column widths
_SHEET_ROWS = 1_048_576  # an Excel sheet's rows


def require_xlsxwriter() -> Any:
    """The xlsxwriter module; :class:`~tdplan.MissingDependencyError` (an ``ImportError``) if it is not installed."""
    return require_module("xlsxwriter", package="xlsxwriter", extra="excel", purpose=Message("Excel reports"))


def _tint(colour: str) -> str:
    """A light tint of a colour (three parts white), for a cell's fill under black text."""
    parts = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{(part + 3 * 255) // 4:02X}" for part in parts)


class _Formats:
    """The workbook's cell formats, made once each."""

    def __init__(self, book: Any, lang: Lang) -> None:
        self.book, self.lang = book, lang
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.heading = book.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1, "text_wrap": True})
        self.text = book.add_format({"valign": "top"})
        self.centre = book.add_format({"valign": "top", "align": "center"})
        self.wrap = book.add_format({"valign": "top", "text_wrap": True})
        self.whole = book.add_format({"num_format": "#,##0", "valign": "top"})
        self.share = book.add_format({"num_format": "0%", "valign": "top"})
        self.problem = book.add_format({"bg_color": _tint("#6E40C9"), "valign": "top", "text_wrap": True})
        self.status = {
            status: book.add_format({"bg_color": _tint(STATUS_COLOURS[status]), "bold": True, "valign": "top"})
            for status in Status
        }
        self._numbers: dict[tuple[int, Unit, bool], Any] = {}

    def number(self, value: Decimal, unit: Unit, signed: bool = False) -> Any:
        """A format showing every digit ``value`` has, and its unit (``16,5‰``, ``+1,5‰``)."""
        places = max(0, -int(value.as_tuple().exponent))
        key = (places, unit, signed)
        if key not in self._numbers:
            digits = "#,##0" + ("." + "0" * places if places else "")
            suffix = _SUFFIXES[unit](self.lang).replace('"', "")
            body = f'{digits}"{suffix}"' if suffix else digits
            code = f"+{body};-{body};{body}" if signed else body
            self._numbers[key] = self.book.add_format({"num_format": code, "valign": "top"})
        return self._numbers[key]


def _text(sheet: Any, row: int, column: int, text: str, fmt: Any) -> None:
    """Text as text: never read as a formula, a number or a link."""
    write_text(sheet, row, column, clean(text), fmt)


def _sheet(book: Any, name: str, unshared: frozenset[int] = frozenset()) -> Any:
    """A new worksheet whose texts are shared, each written once, but in the columns ``unshared``
    (:mod:`tdplan.reports.xlsx_strings`)."""
    sheet = book.add_worksheet(name, worksheet_class=shared_sheet_class())
    if unshared:
        sheet.unshared = unshared
    return sheet


def _setup(sheet: Any, widths: Sequence[int], header_row: int, columns: int, rows: int, paper: int = 9) -> None:
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(_WIDEST, max(6, width + 2)))
    sheet.freeze_panes(header_row + 1, 0)
    if rows:
        sheet.autofilter(header_row, 0, header_row + rows, columns - 1)
    sheet.set_landscape()
    sheet.set_paper(paper)  # 9: A4, 8: A3
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)


def _measure(widths: list[int], cells: Sequence[str]) -> None:
    for column, cell in enumerate(cells):
        if column < len(widths):
            widths[column] = max(widths[column], display_width(clean(cell)))


def _summary(book: Any, card: Scorecard, f: _Formats, rollups: tuple[RollupBy, ...], source: str | None) -> None:
    lang = f.lang
    sheet = _sheet(book, _SHEETS["summary"](lang))
    _text(sheet, 0, 0, card.plan.title(lang), f.title)
    _text(sheet, 1, 0, f"{word('report', lang)}. {headline(card, lang, source)}.", f.text)
    at = 3
    for column, status in enumerate(STATUS_ORDER):  # constant_memory: a row is written whole, then the next
        _text(sheet, at, column, f"{STATUS_MARKS[status]} {status.label(lang)}", f.status[status])
    for column, status in enumerate(STATUS_ORDER):
        sheet.write_number(at + 1, column, card.counts[status], f.whole)
    at += 2
    ignored = ignored_line(card, lang)
    if ignored:
        _text(sheet, at, 0, ignored, f.text)
        at += 1
    widths = [30, 14, 14, 14, 14, 14, 10]
    for by in rollups:
        at += 1
        _text(sheet, at, 0, word(f"by_{by}", lang), f.bold)
        at += 1
        for column, heading in enumerate(rollup_headings(by, lang)):
            _text(sheet, at, column, heading, f.heading)
        for rollup in card.rollup(by):
            at += 1
            label = rollup_label(rollup, lang)
            widths[0] = max(widths[0], min(_WIDEST, display_width(label)))
            _text(sheet, at, 0, label, f.wrap)
            sheet.write_number(at, 1, rollup.total, f.whole)
            for column, status in enumerate(STATUS_ORDER, start=2):
                sheet.write_number(at, column, rollup.counts[status], f.whole)
            if rollup.total:
                sheet.write_number(at, 2 + len(STATUS_ORDER), float(Fraction(rollup.met, rollup.total)), f.share)
            else:
                _text(sheet, at, 2 + len(STATUS_ORDER), "—", f.text)
        at += 1
    for heading, lines in (
        (word("data_problems_heading", lang), [f"{i.id}: {data_problems_text(r, lang)}" for i, r in troubled(card)]),
        (word("no_data_heading", lang), [f"{i.id}: {i.name(lang)}" for i in unreported(card)]),
    ):
        at += 1
        _text(sheet, at, 0, heading, f.bold)
        for line in lines or [word("none", lang)]:
            at += 1
            _text(sheet, at, 0, line, f.text)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width + 2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _row_texts(
    card: Scorecard,
    row: ScoredRow,
    lang: Lang,
    checks: dict[int, list[str]],
    shared: dict[tuple[object, ...], dict[str, str]] | None = None,
) -> dict[str, str]:
    """The row's texts by column; ``shared`` remembers those every row of one target, status and year has."""
    a = row.assessment
    texts = {
        "area": row.area or "",
        "notes": " ".join(note.text(lang) for note in row.notes),
        "checks": "; ".join(checks.get(row.row, ())),
    }
    if a is None:
        assert row.problem is not None
        return texts | {
            "indicator": given(row, "indicator"),
            "period": given(row, "year") or given(row, "period"),
            "result": f"! {word('problem', lang)}",
            "explanation": row.problem.message(lang),
        }
    key = (a.indicator.id, id(a.target), a.status, a.year, row.period)  # a plan's targets live as long as it
    common = None if shared is None else shared.get(key)
    if common is None:
        common = {
            "indicator": a.indicator.id,
            "indicator_name": a.indicator.name(lang),
            "lead": "; ".join(agency_names(card.plan, a.indicator, lang)),
            "period": when_text(row, lang),
            "group": a.target.disaggregation.describe(),
            "target": target_text(a.target, lang),
            "result": f"{STATUS_MARKS[a.status]} {a.status.label(lang)}",
        }
        if shared is not None:
            shared[key] = common
    return texts | common | {"explanation": explanation(a, lang)}


def _rows(book: Any, card: Scorecard, f: _Formats, plan: RowsPlan | None = None) -> None:
    lang = f.lang
    keys = [key for key, _ in _ROW_COLUMNS]
    extra = list(card.ignored_columns)
    headings = [heading(lang) for _, heading in _ROW_COLUMNS] + [clean(name) for name in extra]
    # in their cells: the explanation (nearly one a value) and the file's other cells (an officer's own: a number,
    # a note, any text); shared: the plan's words, the areas, the checks and notes, which repeat
    unshared = frozenset({keys.index("explanation"), *range(len(keys), len(headings))})
    sheet = _sheet(book, _SHEETS["rows"](lang), unshared)
    checks = row_notes(card, lang) if plan is None else plan.row_notes  # the rules a row's figure breaks, its jump
    widths = [display_width(heading) for heading in headings]
    for row in card.rows[:_SAMPLE]:
        texts = _row_texts(card, row, lang, checks)
        _measure(widths, [texts.get(key, "") for key in keys] + [str(row.cells.get(name) or "") for name in extra])
    widths[keys.index("value")] = widths[keys.index("margin")] = 12
    for key, cap in _CAPS.items():
        widths[keys.index(key)] = min(widths[keys.index(key)], cap)
    widths[len(keys) :] = [min(width, _EXTRA_WIDEST) for width in widths[len(keys) :]]
    _setup(sheet, widths, 0, len(headings), len(card.rows), paper=8)
    for column, heading in enumerate(headings):
        _text(sheet, 0, column, heading, f.heading)
    wrapped = [(keys.index(key), key) for key in _WRAPPED]
    fitted = len(card.rows) <= _FITTED_ROWS
    if not fitted:
        sheet.set_default_row(30)
    shared: dict[tuple[object, ...], dict[str, str]] = {}

    def cells_of(row: ScoredRow) -> list[tuple[int, Any, Any]]:
        return _row_cells(row, _row_texts(card, row, lang, checks, shared), f, keys, extra)

    if plan is not None:  # a large table's rows by combination (reports/xlsx_rows.py): xlsxwriter writes a few
        plan.prepare(f, cells_of, [(0, column, f.heading) for column in range(len(headings))])
        rows: Iterable[tuple[int, ScoredRow]] = plan.written_rows()
    else:  # a large table's rows share their assessments by combination and value (reports/combination_rows.py)
        rows = enumerate(scored_rows(card) if fast_ready(card) else card.rows, start=1)
    for at, row in rows:
        texts = _row_texts(card, row, lang, checks, shared)
        if fitted:
            extras = [str(row.cells.get(name) or "") for name in extra]
            lines = max(
                [-(-display_width(texts.get(key, "")) // max(1, widths[column])) for column, key in wrapped]
                + [-(-display_width(text) // _EXTRA_WIDEST) for text in extras]
                + [1]
            )
            if lines > 1:
                sheet.set_row(at, 15 * min(lines, 8))  # before the row's cells: constant_memory writes rows in order
        cells = _row_cells(row, texts, f, keys, extra)
        for column, value, fmt in cells:
            if isinstance(value, str):
                write_text(sheet, at, column, value, fmt)
            else:
                sheet.write_number(at, column, value, fmt)


def _row_cells(
    row: ScoredRow, texts: dict[str, str], f: _Formats, keys: list[str], extra: list[str]
) -> list[tuple[int, Any, Any]]:
    """A row's cells in order: (column, text cleaned or number, format); an empty text is no cell."""
    lang = f.lang
    a = row.assessment
    cells: list[tuple[int, Any, Any]] = []
    for column, key in enumerate(keys):
        if key == "row":
            cells.append((column, row.row, f.centre))
        elif key == "goal" and a is not None:
            cells.append((column, a.indicator.goal, f.centre))
        elif key == "indicator":
            cells.append((column, clean(texts["indicator"]), f.centre))
        elif key in ("value", "margin") and a is not None:
            number = shown_number(a, a.value if key == "value" else a.margin)
            shown = functools.partial(value_text if key == "value" else margin_text, a, lang)
            cells.append((column, *number_cell(number, a.target.unit, key == "margin", f, shown)))
        elif key in ("numerator", "denominator") and row.counts is not None:
            cells.append((column, row.counts[key == "denominator"], f.whole))
        elif key == "result":
            cells.append((column, clean(texts["result"]), f.problem if a is None else f.status[a.status]))
        elif texts.get(key):
            fmt = f.problem if a is None and key == "explanation" else f.wrap if key in _WRAPPED else f.text
            cells.append((column, clean(texts[key]), fmt))
    for column, name in enumerate(extra, start=len(keys)):
        cell = row.cells.get(name)
        if cell is not None and str(cell) != "":
            cells.append((column, clean(str(cell)), f.wrap))
    return cells


def _problems(book: Any, card: Scorecard, f: _Formats) -> None:
    """The rows with problems, one by one; past PROBLEMS_SHOWN, by kind (reports/content.py), saying so: every row's
    problem is on the rows sheet, whose filter finds them."""
    lang = f.lang
    sheet = _sheet(book, _SHEETS["problems"](lang))
    if many_problems(card):
        headings = [word("row_count", lang), word("first_rows", lang), word("problem_heading", lang)]
        kinds = card.problem_kinds(lang)
        _setup(sheet, [10, 40, 80], 1, len(headings), len(kinds))
        _text(sheet, 0, 0, problems_cut_text(card, lang) or "", f.text)
        for column, heading in enumerate(headings):
            _text(sheet, 1, column, heading, f.heading)
        for kind, message in enumerate(kinds.messages):
            sheet.write_number(kind + 2, 0, kinds.counts[kind], f.centre)
            _text(sheet, kind + 2, 1, kind_rows_text(kinds, kind), f.text)
            _text(sheet, kind + 2, 2, message, f.problem)
        return
    headings = [word("row", lang), word("indicator", lang), word("area", lang), word("problem_heading", lang)]
    problems = problem_rows_of(card)  # found by number: a large table's rows are not all built
    widths = [6, 10, 20, 80]
    _setup(sheet, widths, 0, len(headings), len(problems))
    for column, heading in enumerate(headings):
        _text(sheet, 0, column, heading, f.heading)
    for at, row in enumerate(problems, start=1):
        assert row.problem is not None
        sheet.write_number(at, 0, row.row, f.centre)
        _text(sheet, at, 1, given(row, "indicator"), f.text)
        _text(sheet, at, 2, row.area or "", f.text)
        _text(sheet, at, 3, row.problem.message(lang), f.problem)


def _checks(book: Any, card: Scorecard, f: _Formats) -> None:
    """The checks of the figures (consistency rules, jumps, completeness), a section after another."""
    sheet = _sheet(book, _SHEETS["checks"](f.lang))
    sections = check_sections(card, f.lang)
    widths = [30] + [14] * max((len(section.headings) - 1 for section in sections), default=0)
    for section in sections:
        for column, heading in enumerate(section.headings):
            widths[column] = min(_WIDEST, max(widths[column], display_width(heading)))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width + 2)
    at = 0
    for section in sections:
        _text(sheet, at, 0, section.title, f.bold)
        at += 1
        if section.rows:
            for column, heading in enumerate(section.headings):
                _text(sheet, at, column, heading, f.heading)
            for cells in section.rows:
                at += 1
                for column, cell in enumerate(cells):
                    _text(sheet, at, column, cell, f.wrap)
        else:
            _text(sheet, at, 0, section.empty, f.text)
        if section.note:
            at += 1
            _text(sheet, at, 0, section.note, f.text)
        at += 2
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def write_xlsx(
    card: Scorecard,
    target: str | Path | BinaryIO,
    lang: Lang,
    rollups: tuple[RollupBy, ...],
    source: str | None,
    by_combination: bool = True,
) -> RowsPlan | None:
    """Write the workbook to ``target``, a path or a binary file, a row at a time.

    A sheet holds at most 1,048,576 rows: a longer table is an error, never a cut report. A table of more than
    10,000 rows NumPy decided has its rows sheet written by combination (:mod:`tdplan.reports.xlsx_rows`), the
    same workbook; ``by_combination=False`` writes it cell by cell. Returns how the rows were written by
    combination (:class:`~tdplan.reports.xlsx_rows.RowsPlan`), or None where they were written cell by cell.
    """
    if len(card.rows) >= _SHEET_ROWS:  # the header takes a row; xlsxwriter would drop the rest without a word
        raise InputTypeError(
            "the table has {rows} rows and an Excel sheet holds at most {most} under its header: "
            "write the report as CSV or JSON (-o bao-cao.csv)",
            rows=len(card.rows),
            most=_SHEET_ROWS - 1,
        )
    if by_combination and len(card.rows) > _FITTED_ROWS and fast_ready(card):
        build = functools.partial(_book, card, lang=lang, rollups=rollups, source=source)
        plan = write_by_combination(card, target, lang, build, {key: at for at, (key, _) in enumerate(_ROW_COLUMNS)})
        if plan is not None:
            return plan
    _book(card, target, lang, rollups, source)
    return None


def _book(
    card: Scorecard,
    target: str | Path | BinaryIO,
    lang: Lang,
    rollups: tuple[RollupBy, ...],
    source: str | None,
    plan: RowsPlan | None = None,
) -> None:
    """The workbook, written by xlsxwriter; with ``plan``, the rows sheet holds only the rows it names."""
    xlsxwriter = require_xlsxwriter()
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(target if isinstance(target, io.IOBase) else str(target), options)
    book.set_properties({"title": card.plan.title(lang), "comments": f"tdplan: {source or ''}".strip()})
    formats = _Formats(book, lang)
    _summary(book, card, formats, rollups, source)
    _rows(book, card, formats, plan)
    _problems(book, card, formats)
    _checks(book, card, formats)
    book.close()


def render_xlsx(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> bytes:
    """The workbook as bytes."""
    buffer = io.BytesIO()
    write_xlsx(card, buffer, lang, rollups, source)
    return buffer.getvalue()
