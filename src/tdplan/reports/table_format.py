"""The terminal table: aligned columns measured in display width, ANSI colours only when asked."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from tdplan.analysis.scorecard import Scorecard
from tdplan.core.notation import Lang
from tdplan.core.text import clean, display_width, fit
from tdplan.core.vocabulary import STATUS_ORDER, Status
from tdplan.reports.checks import check_sections
from tdplan.reports.content import (
    RollupBy,
    data_problems_text,
    headline,
    ignored_line,
    note_lines,
    problem_lines,
    problems_cut_text,
    rollup_cells,
    rollup_headings,
    row_cells,
    row_headings,
    rows_cut_text,
    rows_shown,
    status_line,
    troubled,
    unreported,
    word,
)

__all__ = ["render_table"]

_ANSI_COLOURS = {Status.MET: "32", Status.NOT_MET: "31", Status.AHEAD: "36", Status.PENDING: "33"}


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


def render_table(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    lines = [_paint(clean(card.plan.title(lang)), "1", color), headline(card, lang, source)]
    lines.append(" · ".join(_paint(text, _ANSI_COLOURS[status], color) for status, text in status_line(card, lang)))
    ignored = ignored_line(card, lang)
    if ignored:
        lines.append(ignored)
    statuses = list(STATUS_ORDER)
    for by in rollups:
        groups = card.rollup(by)
        lines += ["", _paint(word(f"by_{by}", lang), "1", color)]
        body = [rollup_cells(rollup, lang) for rollup in groups]
        body = [[fit(row[0], 48), *row[1:]] for row in body]

        def rollup_colour(row: int, column: int, body: list[list[str]] = body) -> str | None:
            counted = 2 <= column < 2 + len(statuses) and body[row][column] != "0"
            return _ANSI_COLOURS[statuses[column - 2]] if counted else None

        lines += _grid(rollup_headings(by, lang), body, range(1, 7), rollup_colour, color)
    lines += ["", _paint(word("every_row", lang), "1", color)]
    shown = rows_shown(card)  # at most ROWS_SHOWN rows one by one (reports/content.py), saying so
    lines += [cut] if (cut := rows_cut_text(card, lang)) else []
    rows = [row_cells(row, lang) for row in shown]
    for cells, row in zip(rows, shown, strict=True):
        cells[1:4] = [fit(cells[1], 12), fit(cells[2], 24), fit(cells[3], 24)]
        if row.assessment is None:
            cells += [""] * (7 - len(cells)) + [word("problem", lang)]

    def row_colour(row: int, column: int) -> str | None:
        if column != 7:
            return None
        status = shown[row].status
        return "35" if status is None else _ANSI_COLOURS[status]

    lines += _grid(row_headings(lang), rows, (0, 4, 6), row_colour, color)
    if card.problems:
        lines += ["", _paint(word("problem_heading", lang), "1", color)]
        lines += [cut] if (cut := problems_cut_text(card, lang)) else []
        lines += problem_lines(card, lang)
    for section in check_sections(card, lang):  # the checks of the figures: reports/checks.py
        lines += ["", _paint(section.title, "1", color)]
        body = [[fit(cell, 48) for cell in row[:-1]] + row[-1:] for row in section.rows]  # the last one whole
        lines += (
            _grid(section.headings, body, section.right, lambda row, column: None, color) if body else [section.empty]
        )
        lines += [section.note] if section.note else []
    if any(row.notes for row in shown):
        lines += ["", _paint(word("notes", lang), "1", color), *note_lines(card, lang, shown)]
    failed = troubled(card)
    if failed:
        lines += ["", _paint(word("data_problems_heading", lang), "1", color)]
        lines += [f"{ind.id}: {data_problems_text(rows, lang)}" for ind, rows in failed]
    missing = unreported(card)
    ids = ", ".join(indicator.id for indicator in missing) or word("none", lang)
    lines += ["", f"{word('no_data_heading', lang)}: {ids}"]
    return "\n".join(lines) + "\n"
