"""Markdown (GitHub tables), every text escaped so that nothing in it is read as markup."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tdplan.analysis.scorecard import Scorecard
from tdplan.core.notation import Lang
from tdplan.core.text import clean
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

__all__ = ["render_markdown"]

_MD_ESCAPE = re.compile(r"([\\`*_\[\]|#&~$])|<(?=[A-Za-z/!?])")


def _md(text: str) -> str:
    """Text for Markdown: nothing in it is read as markup (``|`` does not end a cell, ``<b>`` is not HTML)."""
    return _MD_ESCAPE.sub(lambda match: "\\" + match.group(0), clean(text))


def _md_table(headings: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int]) -> list[str]:
    right = set(right)
    rule = ["---:" if i in right else "---" for i in range(len(headings))]
    lines = ["| " + " | ".join(_md(cell) for cell in headings) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return lines


def render_markdown(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    plan = card.plan
    lines = [f"# {_md(plan.title(lang))}", "", f"{_md(word('report', lang))}. {_md(headline(card, lang, source))}."]
    lines += ["", " · ".join(f"**{_md(text)}**" for _, text in status_line(card, lang))]
    ignored = ignored_line(card, lang)
    if ignored:
        lines += ["", _md(ignored)]
    for by in rollups:
        lines += ["", f"## {_md(word(f'by_{by}', lang))}", ""]
        lines += _md_table(
            rollup_headings(by, lang), [rollup_cells(rollup, lang) for rollup in card.rollup(by)], range(1, 7)
        )
    lines += ["", f"## {_md(word('every_row', lang))}", ""]
    shown = rows_shown(card)
    cut = rows_cut_text(card, lang)
    lines += [_md(cut), ""] if cut else []
    headings = row_headings(lang)
    headings.insert(2, word("indicator_name", lang))
    rows = []
    for row in shown:
        cells = row_cells(row, lang)
        if row.assessment is None:
            cells += [""] * (7 - len(cells)) + [word("problem", lang)]
            cells.insert(2, "")
        else:
            cells.insert(2, row.assessment.indicator.name(lang))
        rows.append(cells)
    lines += _md_table(headings, rows, (0, 5, 7))
    if card.problems:
        lines += ["", f"## {_md(word('problem_heading', lang))}", ""]
        lines += [_md(cut), ""] if (cut := problems_cut_text(card, lang)) else []
        lines += [f"- {_md(line)}" for line in problem_lines(card, lang)]
    for section in check_sections(card, lang):  # the checks of the figures: reports/checks.py
        lines += ["", f"## {_md(section.title)}", ""]
        lines += (
            _md_table(section.headings, section.rows, section.right) if section.rows else [f"- {_md(section.empty)}"]
        )
        lines += ["", _md(section.note)] if section.note else []
    if any(row.notes for row in shown):
        lines += ["", f"## {_md(word('notes', lang))}", ""]
        lines += [f"- {_md(line)}" for line in note_lines(card, lang, shown)]
    failed = troubled(card)
    if failed:
        lines += ["", f"## {_md(word('data_problems_heading', lang))}", ""]
        lines += [
            f"- {_md(ind.id)}: {_md(ind.name(lang))}: {_md(data_problems_text(rows, lang))}" for ind, rows in failed
        ]
    lines += ["", f"## {_md(word('no_data_heading', lang))}", ""]
    missing = unreported(card)
    lines += [f"- {_md(ind.id)}: {_md(ind.name(lang))}" for ind in missing] or [f"- {_md(word('none', lang))}"]
    return "\n".join(lines) + "\n"
