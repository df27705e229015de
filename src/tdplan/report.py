"""Reports of a scorecard: a terminal table, Markdown, a self-contained HTML page, JSON and CSV.

:func:`render` writes a :class:`~tdplan.table.Scorecard` in one of :data:`REPORT_FORMATS`,
in Vietnamese or English: the counts, the roll-ups by goal and by lead office (or the
one roll-up ``by`` names), and every row with its value, target, margin and status, or
its problem. Every format holds the same facts; they differ in who reads them.

- ``table``: aligned columns for a terminal (widths measured with :func:`display_width`),
  ANSI colours only when asked (``color=True``);
- ``md``: Markdown (GitHub tables), text escaped;
- ``html``: one self-contained page, no scripts and nothing fetched, every indicator of
  the plan by goal, statuses as coloured labels with their words;
- ``json``: for other software, the stable schema :func:`report_schema` (numbers as exact
  decimal strings);
- ``csv``: for spreadsheets: UTF-8 with a byte order mark, and no cell a spreadsheet
  would run as a formula.

The output is text; nothing is printed or written. ``tdplan report`` is the command.
See ``docs/reports.md`` and a page per format.
"""

from __future__ import annotations

import csv
import decimal
import functools
import html
import importlib.resources
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from tdplan.errors import InputTypeError
from tdplan.model import Assessment, Indicator, Plan, Status, Target, Text
from tdplan.notation import Lang, format_number, format_value
from tdplan.table import COLUMNS, Rollup, Scorecard, ScoredRow, _key
from tdplan.units import Unit

__all__ = [
    "REPORT_FORMATS",
    "REPORT_SCHEMA_ID",
    "REPORT_SCHEMA_VERSION",
    "ReportFormat",
    "RollupBy",
    "display_width",
    "render",
    "report_schema",
    "summary_html",
]

ReportFormat = Literal["table", "md", "html", "json", "csv"]
"""A report format: ``table`` (terminal), ``md`` (Markdown), ``html``, ``json`` or ``csv``."""

RollupBy = Literal["goal", "agency", "area", "year"]
"""What a report rolls rows up by."""

REPORT_FORMATS: tuple[ReportFormat, ...] = ("table", "md", "html", "json", "csv")
"""The formats :func:`render` writes."""

REPORT_SCHEMA_ID = "tdplan-report"
"""The ``schema`` field of every JSON report."""

REPORT_SCHEMA_VERSION = 1
"""The ``version`` field of JSON reports: raised only when a field is removed or changes meaning."""

_ROLLUPS: tuple[RollupBy, ...] = ("goal", "agency", "area", "year")
_DEFAULT_ROLLUPS: tuple[RollupBy, ...] = ("goal", "agency")
_EXACT_TEXT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
_KNOWN_COLUMNS = {alias for aliases in COLUMNS.values() for alias in aliases}

_WORDS = {
    "report": Text("Báo cáo đánh giá số liệu", "Assessment report"),
    "table": Text("Bảng", "Table"),
    "rows": Text("dòng", "rows"),
    "assessed": Text("đã đánh giá", "assessed"),
    "problems": Text("có lỗi", "with problems"),
    "row": Text("Dòng", "Row"),
    "row_lower": Text("dòng", "row"),
    "row_count": Text("Số dòng", "Rows"),
    "indicator": Text("Chỉ tiêu", "Indicator"),
    "indicator_name": Text("Tên chỉ tiêu", "Indicator name"),
    "period": Text("Thời gian", "Period"),
    "area": Text("Địa bàn", "Area"),
    "value": Text("Giá trị", "Value"),
    "target": Text("Mức phấn đấu", "Target"),
    "targets": Text("Mức phấn đấu", "Targets"),
    "margin": Text("Chênh lệch", "Margin"),
    "result": Text("Kết quả", "Result"),
    "share_met": Text("Tỷ lệ đạt", "Share met"),
    "shares": Text("Tỷ lệ", "Shares"),
    "lead": Text("Chủ trì", "Lead"),
    "problem": Text("lỗi", "problem"),
    "problem_heading": Text("Dòng có lỗi", "Rows with problems"),
    "every_row": Text("Từng dòng", "Every row"),
    "no_data": Text("chưa có số liệu", "no figures"),
    "no_data_heading": Text("Chỉ tiêu chưa có số liệu", "Indicators without figures"),
    "none": Text("không có", "none"),
    "goal": Text("Mục tiêu", "Goal"),
    "by_goal": Text("Theo mục tiêu", "By goal"),
    "by_agency": Text("Theo cơ quan chủ trì", "By lead office"),
    "by_area": Text("Theo địa bàn", "By area"),
    "by_year": Text("Theo năm", "By year"),
    "group_goal": Text("Mục tiêu", "Goal"),
    "group_agency": Text("Cơ quan chủ trì", "Lead office"),
    "group_area": Text("Địa bàn", "Area"),
    "group_year": Text("Năm", "Year"),
    "issuer": Text("Cơ quan ban hành", "Issued by"),
    "period_of_plan": Text("Giai đoạn", "Period"),
    "made_by": Text("Lập bằng tdplan {version}.", "Made with tdplan {version}."),
    "translation": Text(
        "Văn bản kế hoạch bằng tiếng Việt là văn bản gốc.",
        "The plan's Vietnamese text governs; the English is tdplan's translation, not official.",
    ),
    "approx": Text(
        "≈: tỷ lệ tính từ tử số và mẫu số, làm tròn để hiển thị.", "≈: a rate from counts, rounded for display."
    ),
}
_ORDER = (Status.MET, Status.AHEAD, Status.PENDING, Status.NOT_MET)
"""The statuses from best to worst, as reports list them."""
_HTML_COLOURS = {Status.MET: "#009e73", Status.AHEAD: "#0072b2", Status.PENDING: "#e69f00", Status.NOT_MET: "#d55e00"}
"""The Okabe–Ito colours, told apart with colour blindness (and every status is also in words)."""
_STATUS_COLOURS = {Status.MET: "32", Status.NOT_MET: "31", Status.AHEAD: "36", Status.PENDING: "33"}
_STATUS_MARKS = {Status.MET: "✓", Status.NOT_MET: "✗", Status.AHEAD: "▲", Status.PENDING: "○"}


def _word(key: str, lang: Lang) -> str:
    return _WORDS[key](lang)


def _check(lang: str, by: str | None, format: str | None = None) -> tuple[RollupBy, ...]:
    if format is not None and format not in REPORT_FORMATS:
        raise InputTypeError(f"unknown report format {format!r}: use {', '.join(REPORT_FORMATS)}")
    if lang not in ("vi", "en"):
        raise InputTypeError(f"unknown language {lang!r}: use 'vi' or 'en'")
    if by is None:
        return _DEFAULT_ROLLUPS
    if by not in _ROLLUPS:
        raise InputTypeError(f"cannot roll up by {by!r}: use goal, agency, area or year")
    return (by,)


def render(
    scorecard: Scorecard,
    format: ReportFormat = "table",
    *,
    lang: Lang = "vi",
    by: RollupBy | None = None,
    color: bool = False,
    source: str | None = None,
) -> str:
    """The scorecard as a report in ``format``, in ``lang``.

    ``by`` chooses the roll-up shown (default: by goal and by lead office); every row is
    always there, in the table's order. ``color`` adds ANSI colours to the terminal table
    (the caller decides whether the output is a terminal). ``source`` names the table in
    the report's heading (a file name, say). A CSV report starts with a byte order mark.

    >>> import tdplan
    >>> card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "16,5‰", "year": 2025}])
    >>> print(render(card, "md", lang="en").splitlines()[0])
    # Plan for implementing the Action Programme for Children in Tam Đường District, 2021–2030
    >>> render(card, "json").startswith('{\\n  "schema": "tdplan-report"')
    True
    """
    if not isinstance(scorecard, Scorecard):
        raise InputTypeError(f"a report is of a Scorecard (Plan.assess_table), not of {type(scorecard).__name__}")
    rollups = _check(lang, by, format)
    writers: dict[str, Callable[[Scorecard, Lang, tuple[RollupBy, ...], str | None, bool], str]] = {
        "table": _render_table,
        "md": _render_markdown,
        "html": _render_html,
        "json": _render_json,
        "csv": _render_csv,
    }
    return writers[format](scorecard, lang, rollups, source, color)


def report_schema() -> str:
    """The JSON Schema of JSON reports, as JSON text (shipped as ``tdplan/data/report.schema.json``).

    >>> json.loads(report_schema())["properties"]["version"]
    {'const': 1, 'description': 'The version of this schema: raised only when a field is removed or changes meaning.'}
    """
    return importlib.resources.files("tdplan").joinpath("data", "report.schema.json").read_text("utf-8")


# ---------------------------------------------------------------- text helpers


def display_width(text: str) -> int:
    """The columns ``text`` takes at a terminal, after NFC normalisation.

    Combining marks, format characters and controls take none, East Asian wide and
    full-width characters two, everything else one; so ``"Tả Lèng"`` takes 7 columns
    whether its accents are precomposed or combining.

    >>> display_width("Tả Lèng"), display_width(unicodedata.normalize("NFD", "Tả Lèng")), display_width("越南")
    (7, 7, 4)
    """
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_char_width(char) for char in unicodedata.normalize("NFC", text))


@functools.lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _clean(text: str) -> str:
    """Text for a cell: NFC, one line, no control characters (an ESC could drive the terminal), no bidi overrides."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\t\n\r\v\f\x85\u2028\u2029]+", " ", text)
    return "".join("\ufffd" if _hidden(char) else char for char in text)


def _hidden(char: str) -> bool:
    """A control character, or an invisible format character that could reorder text (U+202E); ZWJ/ZWNJ stay."""
    category = unicodedata.category(char)
    return category == "Cc" or (category == "Cf" and char not in "\u200c\u200d")


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, with ``…`` where it was cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        size = display_width(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + "…"


def _decimal(value: Decimal) -> str:
    """A decimal in plain notation, every digit kept: ``16.5``, ``0.050``, ``-2.2``."""
    return format(value.copy_abs() if value.is_zero() else value, "f")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count(number: int, lang: Lang) -> str:
    return format_number(Decimal(number), lang)


def _percent(share: Fraction, lang: Lang) -> str:
    return f"{format_number(Decimal(round(share * 100)), lang)}%"


# ---------------------------------------------------------------- what every display format shows


def _shown_number(assessment: Assessment, number: Decimal) -> Decimal:
    """A number to show: exact as it is, or rounded to 2 decimals for a rate from counts."""
    if assessment.exact:
        return number
    return number.quantize(Decimal("0.01"), context=_EXACT_TEXT)


@functools.lru_cache(maxsize=8192)
def _format(number: str, unit: Unit, lang: Lang) -> str:
    """``format_value``, remembered: reports write the same numbers many times (by digits: 16.50 is not 16.5)."""
    return format_value(Decimal(number), unit, lang)


@functools.lru_cache(maxsize=1024)
def _describe(target: Target, digits: tuple[str, str], lang: Lang) -> str:
    return target.describe(lang)


def _target_text(target: Target, lang: Lang) -> str:
    """``target.describe(lang)``, remembered for the target and the exact digits of its numbers."""
    return _describe(target, (str(target.threshold), str(target.upper)), lang)


def _value_text(assessment: Assessment, lang: Lang) -> str:
    text = _format(str(_shown_number(assessment, assessment.value)), assessment.target.unit, lang)
    return text if assessment.exact else f"≈ {text}"


def _margin_text(assessment: Assessment, lang: Lang) -> str:
    margin = _shown_number(assessment, assessment.margin)
    text = _format(str(margin), assessment.target.unit, lang)
    text = f"+{text}" if margin > 0 else text
    return text if assessment.exact else f"≈ {text}"


def _when_text(row: ScoredRow, lang: Lang) -> str:
    if row.period is not None:
        return row.period.text(lang)
    return "" if row.assessment is None else str(row.assessment.year)


def _given(row: ScoredRow, column: str) -> str:
    """The cell of one of tdplan's columns as the row gave it (for a row with a problem)."""
    for name, cell in row.cells.items():
        if _key(name) in COLUMNS[column] and cell is not None:
            return _clean(str(cell))
    return ""


def _row_cells(row: ScoredRow, lang: Lang) -> list[str]:
    """Row, indicator, period, area, value, target, margin, result: the display columns of a row."""
    area = _clean(row.area or "")
    if row.assessment is None:
        return [str(row.row), _given(row, "indicator"), _given(row, "year") or _given(row, "period"), area]
    a = row.assessment
    return [
        str(row.row),
        a.indicator.id,
        _when_text(row, lang),
        area,
        _value_text(a, lang),
        _target_text(a.target, lang),
        _margin_text(a, lang),
        a.status.label(lang),
    ]


def _row_headings(lang: Lang) -> list[str]:
    keys = ("row", "indicator", "period", "area", "value", "target", "margin", "result")
    return [_word(key, lang) for key in keys]


def _rollup_label(rollup: Rollup, lang: Lang) -> str:
    label = _clean(rollup.label(lang))
    return f"{rollup.key}. {label}" if rollup.by == "goal" else label


def _rollup_cells(rollup: Rollup, lang: Lang) -> list[str]:
    share = _percent(Fraction(rollup.met, rollup.total), lang) if rollup.total else "—"
    counts = [_count(rollup.counts[status], lang) for status in _ORDER]
    return [_rollup_label(rollup, lang), _count(rollup.total, lang), *counts, share]


def _rollup_headings(by: str, lang: Lang) -> list[str]:
    statuses = [_capital(status.label(lang)) for status in _ORDER]
    return [_word(f"group_{by}", lang), _word("row_count", lang), *statuses, _word("share_met", lang)]


def _headline(card: Scorecard, lang: Lang, source: str | None) -> str:
    problems = len(card.problems)
    rows = len(card.rows)
    table = f"{_word('table', lang)} {_clean(source)}: " if source else ""
    return (
        f"{table}{_count(rows, lang)} {_word('rows', lang)}, {_count(rows - problems, lang)} "
        f"{_word('assessed', lang)}, {_count(problems, lang)} {_word('problems', lang)}"
    )


def _status_line(card: Scorecard, lang: Lang) -> list[tuple[Status, str]]:
    return [(status, f"{status.label(lang)} {_count(card.counts[status], lang)}") for status in _ORDER]


def _unreported(card: Scorecard) -> list[Indicator]:
    """The plan's indicators no row was assessed for."""
    seen = {a.indicator.id for a in card.assessments}
    return [indicator for indicator in card.plan.indicators if indicator.id not in seen]


def _problem_lines(card: Scorecard, lang: Lang) -> list[str]:
    return [f"{_word('row_lower', lang)} {problem.row}: {_clean(problem.message)}" for problem in card.problems]


# ---------------------------------------------------------------- terminal table


def _paint(text: str, code: str | None, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _grid(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Iterable[int],
    colour_of: Callable[[int, int], str | None],
    color: bool,
) -> list[str]:
    """Rows aligned in columns of display width, two spaces apart, a rule under the headings."""
    right = set(right)
    count = len(headings)
    cells = [list(headings)] + [list(row) + [""] * (count - len(row)) for row in rows]
    measured = [[display_width(cell) for cell in line] for line in cells]
    widths = [max(line[i] for line in measured) for i in range(count)]
    lines = []
    for number, line in enumerate(cells):
        parts = []
        for i, cell in enumerate(line):
            fill = " " * (widths[i] - measured[number][i])
            padded = cell if i == count - 1 and i not in right else fill + cell if i in right else cell + fill
            code = "1" if number == 0 else colour_of(number - 1, i)
            parts.append(_paint(padded, code, color))
        lines.append("  ".join(parts).rstrip())
        if number == 0:
            lines.append("  ".join("─" * width for width in widths))
    return lines


def _render_table(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    lines = [_paint(_clean(card.plan.title(lang)), "1", color), _headline(card, lang, source)]
    lines.append(" · ".join(_paint(text, _STATUS_COLOURS[status], color) for status, text in _status_line(card, lang)))
    statuses = list(_ORDER)
    for by in rollups:
        groups = card.rollup(by)
        lines += ["", _paint(_word(f"by_{by}", lang), "1", color)]
        body = [_rollup_cells(rollup, lang) for rollup in groups]
        body = [[_fit(row[0], 48), *row[1:]] for row in body]

        def rollup_colour(row: int, column: int, body: list[list[str]] = body) -> str | None:
            counted = 2 <= column < 2 + len(statuses) and body[row][column] != "0"
            return _STATUS_COLOURS[statuses[column - 2]] if counted else None

        lines += _grid(_rollup_headings(by, lang), body, range(1, 7), rollup_colour, color)
    lines += ["", _paint(_word("every_row", lang), "1", color)]
    rows = [_row_cells(row, lang) for row in card.rows]
    for cells, row in zip(rows, card.rows, strict=True):
        cells[1:4] = [_fit(cells[1], 12), _fit(cells[2], 24), _fit(cells[3], 24)]
        if row.assessment is None:
            cells += [""] * (7 - len(cells)) + [_word("problem", lang)]

    def row_colour(row: int, column: int) -> str | None:
        if column != 7:
            return None
        status = card.rows[row].status
        return "35" if status is None else _STATUS_COLOURS[status]

    lines += _grid(_row_headings(lang), rows, (0, 4, 6), row_colour, color)
    if card.problems:
        lines += ["", _paint(_word("problem_heading", lang), "1", color), *_problem_lines(card, lang)]
    missing = _unreported(card)
    ids = ", ".join(indicator.id for indicator in missing) or _word("none", lang)
    lines += ["", f"{_word('no_data_heading', lang)}: {ids}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Markdown

_MD_ESCAPE = re.compile(r"([\\`*_\[\]|#&~$])|<(?=[A-Za-z/!?])")


def _md(text: str) -> str:
    """Text for Markdown: nothing in it is read as markup (``|`` does not end a cell, ``<b>`` is not HTML)."""
    return _MD_ESCAPE.sub(lambda match: "\\" + match.group(0), _clean(text))


def _md_table(headings: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int]) -> list[str]:
    right = set(right)
    rule = ["---:" if i in right else "---" for i in range(len(headings))]
    lines = ["| " + " | ".join(_md(cell) for cell in headings) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return lines


def _render_markdown(
    card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool
) -> str:
    plan = card.plan
    lines = [f"# {_md(plan.title(lang))}", "", f"{_md(_word('report', lang))}. {_md(_headline(card, lang, source))}."]
    lines += ["", " · ".join(f"**{_md(text)}**" for _, text in _status_line(card, lang))]
    for by in rollups:
        lines += ["", f"## {_md(_word(f'by_{by}', lang))}", ""]
        lines += _md_table(
            _rollup_headings(by, lang), [_rollup_cells(rollup, lang) for rollup in card.rollup(by)], range(1, 7)
        )
    lines += ["", f"## {_md(_word('every_row', lang))}", ""]
    headings = _row_headings(lang)
    headings.insert(2, _word("indicator_name", lang))
    rows = []
    for row in card.rows:
        cells = _row_cells(row, lang)
        if row.assessment is None:
            cells += [""] * (7 - len(cells)) + [_word("problem", lang)]
            cells.insert(2, "")
        else:
            cells.insert(2, row.assessment.indicator.name(lang))
        rows.append(cells)
    lines += _md_table(headings, rows, (0, 5, 7))
    if card.problems:
        lines += ["", f"## {_md(_word('problem_heading', lang))}", ""]
        lines += [f"- {_md(line)}" for line in _problem_lines(card, lang)]
    lines += ["", f"## {_md(_word('no_data_heading', lang))}", ""]
    missing = _unreported(card)
    lines += [f"- {_md(ind.id)}: {_md(ind.name(lang))}" for ind in missing] or [f"- {_md(_word('none', lang))}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; color: #1f2328;
  line-height: 1.45; margin: 0 auto; max-width: 80rem; padding: 1.5rem 2rem 3rem; background: #fff; }
h1 { font-size: 1.55rem; margin: 0 0 .35rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 2px solid #d0d7de; }
p.meta { color: #57606a; margin: .15rem 0; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid #d0d7de; border-left: .45rem solid; border-radius: .4rem; padding: .5rem .9rem;
  min-width: 10rem; }
.card b { display: block; font-size: 1.6rem; line-height: 1.2; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .4rem 0 1rem; }
caption { text-align: left; font-weight: 600; font-size: 1.05rem; padding: .3rem 0; }
thead th { white-space: nowrap; }
th, td { border-bottom: 1px solid #d8dee4; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
th[scope="row"] { background: none; }
td.when { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ind { width: 30%; }
td.ind b { margin-right: .3rem; }
td.ind small, td.res small { display: block; color: #57606a; }
.status { display: inline-block; border: 1px solid; border-radius: 1rem; padding: 0 .55rem; font-weight: 600;
  white-space: nowrap; }
.met { color: #00573f; background: #d9f2ea; border-color: #009e73; }
.ahead { color: #00466e; background: #d9ebf7; border-color: #0072b2; }
.pending { color: #664400; background: #fdf0d4; border-color: #e69f00; }
.not_met { color: #8a3c00; background: #fbe4d6; border-color: #d55e00; }
.problem { color: #5b2a86; background: #f1e6fa; border-color: #8e5bb8; }
.nodata { color: #6e7781; font-style: italic; }
.card.met { border-left-color: #009e73; } .card.ahead { border-left-color: #0072b2; }
.card.pending { border-left-color: #e69f00; } .card.not_met { border-left-color: #d55e00; }
.bar { display: flex; width: 100%; min-width: 8rem; height: .8rem; border-radius: .2rem; overflow: hidden;
  background: #eaeef2; }
.bar span { display: block; height: 100%; }
.bar .met { background: #009e73; } .bar .ahead { background: #0072b2; }
.bar .pending { background: #e69f00; } .bar .not_met { background: #d55e00; }
footer { margin-top: 2.5rem; color: #57606a; font-size: .85rem; border-top: 1px solid #d0d7de; padding-top: .5rem; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def _e(text: str) -> str:
    return html.escape(_clean(text), quote=True)


def _th(text: str, numeric: bool = False) -> str:
    css = ' class="num"' if numeric else ""
    return f'<th scope="col"{css}>{_e(text)}</th>'


def _badge(status: Status | None, lang: Lang) -> str:
    if status is None:
        return f'<span class="status problem">! {_e(_word("problem", lang))}</span>'
    mark = _STATUS_MARKS[status]
    return f'<span class="status {status.value}"><span aria-hidden="true">{mark}</span> {_e(status.label(lang))}</span>'


def _bar(rollup: Rollup, lang: Lang) -> str:
    if not rollup.total:
        return f'<span class="nodata">{_e(_word("no_data", lang))}</span>'
    parts = []
    for status in _ORDER:
        count = rollup.counts[status]
        if count:
            width = _decimal(Decimal(count * 100) / Decimal(rollup.total))
            label = f"{status.label(lang)}: {count}"
            parts.append(f'<span class="{status.value}" style="width:{width}%" title="{_e(label)}"></span>')
    summary = ", ".join(f"{status.label(lang)} {rollup.counts[status]}" for status in _ORDER)
    return f'<div class="bar" role="img" aria-label="{_e(summary)}">{"".join(parts)}</div>'


def _html_rollup(card: Scorecard, by: RollupBy, lang: Lang) -> list[str]:
    headings = _rollup_headings(by, lang)
    head = "".join(_th(text, numeric=0 < i) for i, text in enumerate(headings))
    lines = [
        f'<table class="rollup"><caption>{_e(_word(f"by_{by}", lang))}</caption>',
        f"<thead><tr>{head}{_th(_word('shares', lang))}</tr></thead><tbody>",
    ]
    for rollup in card.rollup(by):
        cells = _rollup_cells(rollup, lang)
        body = f'<th scope="row">{_e(cells[0])}</th>' + "".join(f'<td class="num">{_e(c)}</td>' for c in cells[1:])
        lines.append(f"<tr>{body}<td>{_bar(rollup, lang)}</td></tr>")
    lines.append("</tbody></table>")
    return lines


def _html_goal(card: Scorecard, goal_number: int, lang: Lang, by_indicator: Mapping[str, list[ScoredRow]]) -> list[str]:
    plan = card.plan
    goal = plan.goal(goal_number)
    keys = ("indicator", "row", "area", "period", "value", "target", "margin", "result")
    numeric = {1, 4, 6}
    head = "".join(_th(_word(key, lang), numeric=i in numeric) for i, key in enumerate(keys))
    title = f"{_word('goal', lang)} {goal.number}: {goal.title(lang)}"
    lines = [
        f'<section id="goal-{goal.number}"><h2>{_e(title)}</h2>',
        f"<table><thead><tr>{head}</tr></thead><tbody>",
    ]
    for indicator in goal.indicators:
        rows = by_indicator.get(indicator.id, [])
        leads = ", ".join(_agency_names(plan, indicator, lang))
        about = (
            f'<td class="ind" rowspan="{max(len(rows), 1)}" id="indicator-{_e(indicator.id)}">'
            f"<b>{_e(indicator.id)}</b>{_e(indicator.name(lang))}"
            f"<small>{_e(_word('targets', lang))}: {_e(indicator.describe_targets(lang))}</small>"
            f"<small>{_e(_word('lead', lang))}: {_e(leads)}</small></td>"
        )
        if not rows:
            lines.append(
                f'<tr data-status="none">{about}<td colspan="7" class="nodata">{_e(_word("no_data", lang))}</td></tr>'
            )
            continue
        for i, row in enumerate(rows):
            a = row.assessment
            assert a is not None  # only assessed rows are grouped by indicator
            cells = (
                f'<td class="num">{row.row}</td><td>{_e(row.area or "")}</td>'
                f'<td class="when">{_e(_when_text(row, lang))}</td>'
                f'<td class="num">{_e(_value_text(a, lang))}</td><td>{_e(_target_text(a.target, lang))}</td>'
                f'<td class="num">{_e(_margin_text(a, lang))}</td>'
                f'<td class="res">{_badge(a.status, lang)}<small>{_e(a.explain(lang))}</small></td>'
            )
            lines.append(f'<tr data-status="{a.status.value}">{about if i == 0 else ""}{cells}</tr>')
    lines.append("</tbody></table></section>")
    return lines


def _html_problems(card: Scorecard, lang: Lang) -> list[str]:
    if not card.problems:
        return []
    keys = ("row", "indicator", "area", "result")
    head = "".join(f'<th scope="col">{_e(_word(key, lang))}</th>' for key in keys)
    lines = [
        f'<section id="problems"><h2>{_e(_word("problem_heading", lang))}</h2>',
        f"<table><thead><tr>{head}</tr></thead><tbody>",
    ]
    for row in card.rows:
        if row.problem is None:
            continue
        lines.append(
            f'<tr data-status="problem"><td class="num">{row.row}</td><td>{_e(_given(row, "indicator"))}</td>'
            f"<td>{_e(row.area or '')}</td><td>{_badge(None, lang)} {_e(row.problem.message)}</td></tr>"
        )
    lines.append("</tbody></table></section>")
    return lines


def _cards(card: Scorecard, lang: Lang) -> list[str]:
    cards = [
        f'<div class="card {status.value}"><b>{_e(_count(card.counts[status], lang))}</b>{_badge(status, lang)}</div>'
        for status in _ORDER
    ]
    return ['<div class="cards">', *cards, "</div>"]


def _render_html(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    from tdplan import __version__

    plan = card.plan
    by_indicator: dict[str, list[ScoredRow]] = {}
    for row in card.rows:
        if row.assessment is not None:
            by_indicator.setdefault(row.assessment.indicator.id, []).append(row)
    title = plan.title(lang)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="tdplan {_e(__version__)}">',
        f"<title>{_e(_word('report', lang))}: {_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(_word("issuer", lang))}: {_e(plan.issuer(lang))} · '
        f"{_e(_word('period_of_plan', lang))}: {plan.start_year}–{plan.end_year}</p>",
        f'<p class="meta">{_e(_word("report", lang))}. {_e(_headline(card, lang, source))}.</p>',
        "</header>",
        "<main>",
        *_cards(card, lang),
    ]
    for by in rollups:
        lines += _html_rollup(card, by, lang)
    for goal in plan.goals:
        lines += _html_goal(card, goal.number, lang, by_indicator)
    lines += _html_problems(card, lang)
    notes = [_word("approx", lang)] if any(not a.exact for a in card.assessments) else []
    notes.append(_word("translation", lang))
    notes.append(_word("made_by", lang).format(version=__version__))
    lines += ["</main>", f"<footer>{' '.join(_e(note) for note in notes)}</footer>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def summary_html(scorecard: Scorecard, lang: Lang = "vi") -> str:
    """A compact HTML summary (for Jupyter): the counts per status and the roll-up by goal; no scripts, no styles sheet.

    >>> import tdplan
    >>> card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "16,5‰", "year": 2025}])
    >>> "<script" in summary_html(card), summary_html(card, "en").count("<tr")
    (False, 5)
    """
    _check(lang, None)
    counts = " · ".join(
        f'<span style="border-left:.5em solid {_HTML_COLOURS[status]};padding-left:.3em">{_e(status.label(lang))} '
        f"<b>{_e(_count(scorecard.counts[status], lang))}</b></span>"
        for status in _ORDER
    )
    head = "".join(f"<th>{_e(text)}</th>" for text in _rollup_headings("goal", lang))
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in _rollup_cells(rollup, lang)) + "</tr>"
        for rollup in scorecard.by_goal()
    )
    problems = ""
    if scorecard.problems:
        first = "; ".join(_problem_lines(scorecard, lang)[:3])
        more = " …" if len(scorecard.problems) > 3 else ""
        problems = f'<p style="color:#6e40c9">{_e(_word("problem_heading", lang))}: {_e(first)}{more}</p>'
    return (
        f"<div><p><strong>{_e(scorecard.plan.title(lang))}</strong><br>{_e(_headline(scorecard, lang, None))}"
        f"<br>{counts}</p><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{problems}</div>"
    )


# ---------------------------------------------------------------- JSON


def _status_counts(counts: Mapping[Status, int]) -> dict[str, int]:
    return {status.value: counts[status] for status in Status}


def _json_cell(value: Any) -> str | None:
    if value is None:
        return None
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else str(value)


def _json_row(row: ScoredRow, lang: Lang) -> dict[str, Any]:
    a = row.assessment
    problem = None if row.problem is None else {"error": row.problem.error, "message": row.problem.message}
    record: dict[str, Any] = {
        "row": row.row,
        "cells": {str(name): _json_cell(cell) for name, cell in row.cells.items()},
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
            "value": _decimal(a.value),
            "unit": target.unit.value,
            "comparator": target.comparator.ascii,
            "threshold": _decimal(target.threshold),
            "target_year": target.year,
            "margin": _decimal(a.margin),
            "exact": a.exact,
            "explanation": a.explain(lang),
        }
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


def _render_json(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    from tdplan import __version__

    plan = card.plan
    rows_of: dict[str, list[int]] = {indicator.id: [] for indicator in plan.indicators}
    counts_of: dict[str, dict[Status, int]] = {indicator.id: dict.fromkeys(Status, 0) for indicator in plan.indicators}
    for row in card.rows:
        if row.assessment is not None:
            rows_of[row.assessment.indicator.id].append(row.row)
            counts_of[row.assessment.indicator.id][row.assessment.status] += 1
    document = {
        "schema": REPORT_SCHEMA_ID,
        "version": REPORT_SCHEMA_VERSION,
        "generator": f"tdplan {__version__}",
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
                "counts": _status_counts(counts_of[indicator.id]),
            }
            for indicator in plan.indicators
        ],
        "rows": [_json_row(row, lang) for row in card.rows],
        "problems": [
            {"row": problem.row, "error": problem.error, "message": problem.message} for problem in card.problems
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- CSV

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
    ("problem", Text("Lỗi", "Problem")),
)
_UNIT_SYMBOLS = {"percent": Text("%", "%"), "permille": Text("‰", "‰"), "per_100000": Text("/100.000", "per 100,000")}


def _inert(text: str) -> str:
    """A text cell a spreadsheet will not run: one that starts like a formula gets a leading apostrophe (OWASP)."""
    text = unicodedata.normalize("NFC", text)
    first = unicodedata.normalize("NFKC", text.lstrip(" ")[:1])  # ＝ is = to some spreadsheets, and so is " ="
    return "'" + text if first and first[0] in _FORMULA_STARTS else text


def _agency_names(plan: Plan, indicator: Indicator, lang: Lang) -> list[str]:
    """The names of the indicator's lead offices (an id the plan does not name stays an id)."""
    agencies = (plan.get_agency(id) for id in indicator.lead_agencies)
    return [agency.name(lang) if agency else id for agency, id in zip(agencies, indicator.lead_agencies, strict=True)]


def _csv_row(plan: Plan, row: ScoredRow, lang: Lang, extra: Sequence[str]) -> list[str]:
    """A row's cells: numbers as plain decimals (they stay numbers), every text made inert."""
    a = row.assessment
    plan_texts: dict[str, str] = {"row": str(row.row), "area": _inert(row.area or "")}
    if a is None:
        assert row.problem is not None
        plan_texts |= {"indicator": _inert(_given(row, "indicator")), "problem": _inert(row.problem.message)}
    else:
        target = a.target
        plan_texts |= {
            "indicator": _inert(a.indicator.id),
            "indicator_name": _inert(a.indicator.name(lang)),
            "goal": str(a.indicator.goal),
            "lead": _inert("; ".join(_agency_names(plan, a.indicator, lang))),
            "year": str(a.year),
            "period": _inert(row.period.code if row.period else ""),
            "group": _inert(target.disaggregation.describe()),
            "value": _decimal(a.value),
            "unit": _inert(_UNIT_SYMBOLS.get(target.unit.value, Text("", ""))(lang)),
            "comparator": _inert(target.comparator.value),
            "threshold": _decimal(target.threshold),
            "target_year": "" if target.year is None else str(target.year),
            "margin": _decimal(a.margin),
            "status": a.status.name,
            "result": _inert(a.status.label(lang)),
            "explanation": _inert(a.explain(lang)),
        }
    cells = [plan_texts.get(key, "") for key, _ in _CSV_COLUMNS]
    for name in extra:
        cell = row.cells.get(name)
        cells.append("" if cell is None else _inert(str(cell)))
    return cells


def _render_csv(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    headings = [heading(lang) for _, heading in _CSV_COLUMNS]
    taken = {heading.casefold() for heading in headings}
    extra = [name for name in card.columns if _key(name) not in _KNOWN_COLUMNS]
    suffix = " (bảng gốc)" if lang == "vi" else " (input)"
    headings += [_inert(name + suffix if name.casefold() in taken else name) for name in extra]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(_csv_row(card.plan, row, lang, extra) for row in card.rows)
    return "\ufeff" + buffer.getvalue()
