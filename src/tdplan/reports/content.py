"""What every report format says: the words, and each fact of a scorecard as text.

Every format (:mod:`tdplan.reports.table_format`, ``markdown_format``, ``html_format``,
``json_format``, ``csv_format``) takes its headings, cells, headline and problem lines
from here, so that they all say the same facts in the same words; they differ only in
layout.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from tdplan.analysis.problem_kinds import ProblemKinds
from tdplan.analysis.reading import COLUMNS, column_key
from tdplan.analysis.scorecard import Rollup, Scorecard, ScoredRow
from tdplan.core.i18n import C_, N_, ntranslate, translate
from tdplan.core.model import Assessment, Indicator, Plan, Target
from tdplan.core.notation import FORMATTING, Lang, format_number, format_value
from tdplan.core.text import cell_words, clean, shown
from tdplan.core.units import Unit
from tdplan.core.vocabulary import STATUS_ORDER, Status

__all__ = [
    "PROBLEMS_SHOWN",
    "ROWS_NAMED",
    "ROWS_SHOWN",
    "STATUS_MARKS",
    "WORDS",
    "RollupBy",
    "agency_names",
    "assessed_ids",
    "capitalised",
    "count_text",
    "data_problems_text",
    "explanation",
    "given",
    "headline",
    "ignored_line",
    "kind_rows_text",
    "many_problems",
    "margin_text",
    "named_rows",
    "note_lines",
    "plain_decimal",
    "problem_kind_cells",
    "problem_lines",
    "problem_rows_of",
    "problems_cut_text",
    "rollup_cells",
    "rollup_headings",
    "rollup_label",
    "row_cells",
    "row_headings",
    "rows_cut_text",
    "rows_shown",
    "share_text",
    "shown_number",
    "status_line",
    "target_text",
    "troubled",
    "unreported",
    "value_text",
    "when_text",
    "word",
]

RollupBy = Literal["goal", "agency", "area", "year"]
"""What a report rolls rows up by."""

ROWS_SHOWN = 1000
"""The HTML, Markdown and text reports show at most this many rows one by one (the first, in the table's order).

Their counts, roll-ups, problems and checks cover every row; a longer table's report says
that it shows only the first rows and that CSV, xlsx and JSON reports hold every one.
"""

_ROWS_CUT = N_(
    "This report shows the first {shown} of the table's {rows} rows one by one; its counts, summaries, "
    "problems and checks cover every row. Every row is in the CSV, Excel (xlsx) and JSON reports: "
    "tdplan report FILE -o report.csv"
)

PROBLEMS_SHOWN = 1000
"""The HTML, Markdown, text and xlsx reports list at most this many problems one by one; past it, a line per kind.

A kind is the rows that fail with one error and message (:mod:`tdplan.analysis.problem_kinds`): a table
written for another plan can fail in hundreds of thousands of rows for a handful of reasons. Each kind
says its number of rows and its first :data:`ROWS_NAMED`; the CSV and JSON reports, and the xlsx report's
rows sheet, still give every row's problem in its row.
"""

ROWS_NAMED = 10
"""A kind of problem names at most this many of its rows, the first."""

_PROBLEMS_CUT = N_(
    "The table has {count} rows that could not be assessed: this report shows them by kind, each with its "
    "number of rows and its first rows. Every row's problem is in its row in the CSV, Excel (xlsx) and JSON reports"
)
_KIND_LINE = N_("{count} rows ({rows}): {message}")

WORDS = {
    "report": C_("report", "Assessment report"),
    "table": C_("report", "Table"),
    "rows": C_("report", "rows"),
    "assessed": C_("report", "assessed"),
    "problems": C_("report", "with problems"),
    "row": C_("report", "Row"),
    "row_lower": C_("report", "row"),
    "row_count": C_("report", "Rows"),
    "indicator": C_("report", "Indicator"),
    "indicator_name": C_("report", "Indicator name"),
    "period": C_("report", "Period"),
    "area": C_("report", "Area"),
    "value": C_("report", "Value"),
    "target": C_("report", "Target"),
    "targets": C_("report", "Targets"),
    "margin": C_("report", "Margin"),
    "result": C_("report", "Result"),
    "share_met": C_("report", "Share met"),
    "shares": C_("report", "Shares"),
    "lead": C_("report", "Lead"),
    "problem": C_("report", "problem"),
    "problem_heading": C_("report", "Rows with problems"),
    "first_rows": C_("report", "First rows"),
    "every_row": C_("report", "Every row"),
    "no_data": C_("report", "no figures"),
    "no_data_heading": C_("report", "Indicators without figures"),
    "none": C_("report", "none"),
    "goal": C_("report", "Goal"),
    "by_goal": C_("report", "By goal"),
    "by_agency": C_("report", "By lead office"),
    "by_area": C_("report", "By area"),
    "by_year": C_("report", "By year"),
    "group_goal": C_("report", "Goal"),
    "group_agency": C_("report", "Lead office"),
    "group_area": C_("report", "Area"),
    "group_year": C_("report", "Year"),
    "issuer": C_("report", "Issued by"),
    "period_of_plan": C_("the plan's period", "Period"),
    "made_by": C_("report", "Made with tdplan {version}."),
    "translation": C_(
        "report", "The plan's Vietnamese text governs; the English is tdplan's translation, not official."
    ),
    "ignored": C_("report", "Columns not used"),
    "notes": C_("report", "Notes"),
    "data_problems": C_("report", "data problems in rows {rows}"),
    "data_problems_heading": C_("report", "Indicators with data problems"),
    "approx": C_("report", "≈: a rate from counts, rounded for display."),
}
STATUS_MARKS = {Status.MET: "✓", Status.NOT_MET: "✗", Status.AHEAD: "▲", Status.PENDING: "○"}


def word(key: str, lang: Lang) -> str:
    """The report's word for ``key`` in ``lang``: ``word("result", "vi")`` is ``Kết quả``."""
    return WORDS[key](lang)


def plain_decimal(value: Decimal) -> str:
    """A decimal in plain notation, every digit kept: ``16.5``, ``0.050``, ``-2.2``."""
    return format(value.copy_abs() if value.is_zero() else value, "f")


def capitalised(text: str) -> str:
    """``text`` with its first letter in capitals: a status label at the head of a column."""
    return text[:1].upper() + text[1:]


def count_text(number: int, lang: Lang) -> str:
    """A count in the language's notation: ``1.234`` in Vietnamese, ``1,234`` in English."""
    return format_number(Decimal(number), lang)


def share_text(share: Fraction, lang: Lang) -> str:
    """A share as a whole percent, rounded half to even: ``Fraction(2, 3)`` is ``67%``."""
    return f"{format_number(Decimal(round(share * 100)), lang)}%"


def shown_number(assessment: Assessment, number: Decimal) -> Decimal:
    """A number to show: exact as it is, or rounded to 2 decimals for a rate from counts."""
    if assessment.exact:
        return number
    return number.quantize(Decimal("0.01"), context=FORMATTING)


@functools.lru_cache(maxsize=8192)
def _format(number: str, unit: Unit, lang: Lang) -> str:
    """``format_value``, remembered: reports write the same numbers many times (by digits: 16.50 is not 16.5)."""
    return format_value(Decimal(number), unit, lang)


@functools.lru_cache(maxsize=1024)
def _describe(target: Target, digits: tuple[str, str], lang: Lang) -> str:
    return target.describe(lang)


def target_text(target: Target, lang: Lang) -> str:
    """``target.describe(lang)``, remembered for the target and the exact digits of its numbers."""
    return _describe(target, (str(target.threshold), str(target.upper)), lang)


_EXPLAINED: dict[tuple[object, ...], str] = {}
_EXPLAINED_MAX = 65536


def explanation(assessment: Assessment, lang: Lang) -> str:
    """``assessment.explain(lang)``, remembered: a large table repeats a few thousand (target, value, year) many times.

    The key holds the exact digits of the value and threshold (``16.50`` is not written as ``16.5``).
    """
    target = assessment.target
    key = (
        target,
        str(target.threshold),
        str(assessment.value),
        assessment.exact,
        assessment.status,
        assessment.year,
        lang,
    )
    text = _EXPLAINED.get(key)
    if text is None:
        if len(_EXPLAINED) >= _EXPLAINED_MAX:
            _EXPLAINED.clear()
        text = _EXPLAINED[key] = assessment.explain(lang)
    return text


def value_text(assessment: Assessment, lang: Lang) -> str:
    text = _format(str(shown_number(assessment, assessment.value)), assessment.target.unit, lang)
    return text if assessment.exact else f"≈ {text}"


def margin_text(assessment: Assessment, lang: Lang) -> str:
    margin = shown_number(assessment, assessment.margin)
    text = _format(str(margin), assessment.target.unit, lang)
    text = f"+{text}" if margin > 0 else text
    return text if assessment.exact else f"≈ {text}"


def rows_shown(card: Scorecard) -> Sequence[ScoredRow]:
    """The rows the HTML, Markdown and text reports show one by one: the first :data:`ROWS_SHOWN`."""
    return card.rows if len(card.rows) <= ROWS_SHOWN else card.rows[:ROWS_SHOWN]


def rows_cut_text(card: Scorecard, lang: Lang) -> str | None:
    """The sentence saying that a report shows only the first rows (and where all are), or None when it shows all."""
    if len(card.rows) <= ROWS_SHOWN:
        return None
    return translate(_ROWS_CUT, lang).format(shown=count_text(ROWS_SHOWN, lang), rows=count_text(len(card.rows), lang))


def when_text(row: ScoredRow, lang: Lang) -> str:
    if row.period is not None:
        return row.period.text(lang)
    return "" if row.assessment is None else str(row.assessment.year)


def given(row: ScoredRow, column: str) -> str:
    """The cell of one of tdplan's columns as the row gave it (for a row with a problem)."""
    for name, cell in row.cells.items():
        if column_key(name) in COLUMNS[column] and cell is not None:
            return clean(cell_words(cell) or shown(cell))  # a sheet's TRUE or date as the sheet shows it
    return ""


def row_cells(row: ScoredRow, lang: Lang) -> list[str]:
    """Row, indicator, period, area, value, target, margin, result: the display columns of a row."""
    area = clean(row.area or "")
    if row.assessment is None:
        return [str(row.row), given(row, "indicator"), given(row, "year") or given(row, "period"), area]
    a = row.assessment
    return [
        str(row.row),
        a.indicator.id,
        when_text(row, lang),
        area,
        value_text(a, lang),
        target_text(a.target, lang),
        margin_text(a, lang),
        a.status.label(lang),
    ]


def row_headings(lang: Lang) -> list[str]:
    """The headings of :func:`row_cells`."""
    keys = ("row", "indicator", "period", "area", "value", "target", "margin", "result")
    return [word(key, lang) for key in keys]


def rollup_label(rollup: Rollup, lang: Lang) -> str:
    label = clean(rollup.label(lang))
    return f"{rollup.key}. {label}" if rollup.by == "goal" else label


def rollup_cells(rollup: Rollup, lang: Lang) -> list[str]:
    """Group, rows, a count per status (best first) and the share met: the display columns of a roll-up."""
    share = share_text(Fraction(rollup.met, rollup.total), lang) if rollup.total else "—"
    counts = [count_text(rollup.counts[status], lang) for status in STATUS_ORDER]
    return [rollup_label(rollup, lang), count_text(rollup.total, lang), *counts, share]


def rollup_headings(by: str, lang: Lang) -> list[str]:
    """The headings of :func:`rollup_cells` for a roll-up ``by`` goal, agency, area or year."""
    statuses = [capitalised(status.label(lang)) for status in STATUS_ORDER]
    return [word(f"group_{by}", lang), word("row_count", lang), *statuses, word("share_met", lang)]


def headline(card: Scorecard, lang: Lang, source: str | None) -> str:
    """``Bảng x.csv: 29 dòng, 27 đã đánh giá, 2 có lỗi``: what the table held, in one line."""
    problems = len(card.problems)
    rows = len(card.rows)
    table = f"{word('table', lang)} {clean(source)}: " if source else ""
    counted = ntranslate("{n} row", "{n} rows", rows, lang).format(n=count_text(rows, lang))  # 1 row, 2 rows
    return (
        f"{table}{counted}, {count_text(rows - problems, lang)} "
        f"{word('assessed', lang)}, {count_text(problems, lang)} {word('problems', lang)}"
    )


def status_line(card: Scorecard, lang: Lang) -> list[tuple[Status, str]]:
    """Each status (best first) with its count: ``(Status.MET, "đạt 12")``."""
    return [(status, f"{status.label(lang)} {count_text(card.counts[status], lang)}") for status in STATUS_ORDER]


def assessed_ids(card: Scorecard) -> set[str]:
    """The ids of the indicators with at least one assessed row: from the roll-up by area, without building rows."""
    return {id for rollup in card.by_area() for id in rollup.indicators}


def problem_rows_of(card: Scorecard) -> list[ScoredRow]:
    """The rows with a problem, in order: found by number (a large table's rows are not all built), else by a walk."""
    rows = card.rows
    found = []
    for problem in card.problems:
        index = problem.row - 1
        row = rows[index] if 0 <= index < len(rows) else None
        if row is None or row.row != problem.row:  # a table whose rows are not numbered 1, 2, 3 …
            return [row for row in rows if row.problem is not None]
        found.append(row)
    return found


def unreported(card: Scorecard) -> list[Indicator]:
    """The plan's indicators no row was given for ("no figures"): none assessed, none with a problem."""
    seen = assessed_ids(card) | set(card.problem_rows())
    return [indicator for indicator in card.plan.indicators if indicator.id not in seen]


def troubled(card: Scorecard) -> list[tuple[Indicator, tuple[int, ...]]]:
    """The indicators whose every row has a problem, with those rows' numbers: data problems, not "no figures"."""
    seen = assessed_ids(card)
    return [(card.plan.indicator(id), rows) for id, rows in card.problem_rows().items() if id not in seen]


def data_problems_text(rows: tuple[int, ...], lang: Lang) -> str:
    """``lỗi số liệu ở dòng 3, 7``: what an indicator whose rows all failed shows."""
    return word("data_problems", lang).format(rows=", ".join(str(row) for row in rows))


def ignored_line(card: Scorecard, lang: Lang) -> str | None:
    """``Cột không dùng: STT, Ghi chú``, or None when tdplan reads every column."""
    if not card.ignored_columns:
        return None
    return f"{word('ignored', lang)}: {', '.join(clean(name) for name in card.ignored_columns)}"


def note_lines(card: Scorecard, lang: Lang, rows: Sequence[ScoredRow] | None = None) -> list[str]:
    """``dòng 4: …`` for every note on an assessed row (a likely fraction), of ``rows`` (default: every row)."""
    chosen = card.rows if rows is None else rows
    return [f"{word('row_lower', lang)} {row.row}: {clean(note.text(lang))}" for row in chosen for note in row.notes]


def problem_lines(card: Scorecard, lang: Lang) -> list[str]:
    """One line per row that could not be assessed (``dòng 4: …``); past :data:`PROBLEMS_SHOWN`, one per kind
    (``166.512 dòng (1, 3, 5, …): …``)."""
    if many_problems(card):
        return [
            translate(_KIND_LINE, lang).format(count=count, rows=rows, message=message)
            for count, rows, message in problem_kind_cells(card, lang)
        ]
    return [f"{word('row_lower', lang)} {problem.row}: {clean(problem.message(lang))}" for problem in card.problems]


def many_problems(card: Scorecard) -> bool:
    """Whether ``card`` has more problems than a report lists one by one (:data:`PROBLEMS_SHOWN`)."""
    return len(card.problems) > PROBLEMS_SHOWN


def kind_rows_text(kinds: ProblemKinds, kind: int) -> str:
    """The first :data:`ROWS_NAMED` rows of a kind of problem, comma-separated, and ``…`` if it has more."""
    return named_rows(kinds.first_rows(kind, ROWS_NAMED), kinds.counts[kind])


def named_rows(rows: Sequence[int], count: int) -> str:
    """The first :data:`ROWS_NAMED` of ``rows``, comma-separated, and ``…`` if there are more (``count`` in all)."""
    return ", ".join(map(str, rows[:ROWS_NAMED])) + (", …" if count > ROWS_NAMED else "")


def problem_kind_cells(card: Scorecard, lang: Lang) -> list[tuple[str, str, str]]:
    """Each kind of problem's number of rows, first rows and message (cleaned), in the order they first appear."""
    kinds = card.problem_kinds(lang)
    return [
        (count_text(kinds.counts[kind], lang), kind_rows_text(kinds, kind), clean(message))
        for kind, message in enumerate(kinds.messages)
    ]


def problems_cut_text(card: Scorecard, lang: Lang) -> str | None:
    """The sentence saying that a report shows the problems by kind (and where each row's is), or None."""
    if not many_problems(card):
        return None
    return translate(_PROBLEMS_CUT, lang).format(count=count_text(len(card.problems), lang))


def agency_names(plan: Plan, indicator: Indicator, lang: Lang) -> list[str]:
    """The names of the indicator's lead offices (an id the plan does not name stays an id)."""
    agencies = (plan.get_agency(id) for id in indicator.lead_agencies)
    return [agency.name(lang) if agency else id for agency, id in zip(agencies, indicator.lead_agencies, strict=True)]
