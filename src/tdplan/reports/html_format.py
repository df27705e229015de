"""One self-contained HTML page (no scripts, nothing fetched), and a compact summary for Jupyter.

The page reads on a phone: below 40rem (640 px) every table reflows into stacked
cards, one per row, each cell under its heading's words and the result first, so
nothing is wider than the screen (``tests/test_html_phone.py`` checks it in Chromium
at 390 px and 1280 px).
"""

from __future__ import annotations

import decimal
import html
from collections.abc import Mapping
from decimal import Decimal

from tdplan.analysis.scorecard import Rollup, Scorecard, ScoredRow
from tdplan.core.i18n import N_, translate
from tdplan.core.notation import Lang
from tdplan.core.text import check_lang, clean
from tdplan.core.version import version
from tdplan.core.vocabulary import STATUS_ORDER, Status
from tdplan.reports.checks import check_sections, jump_text, violation_text
from tdplan.reports.colours import STATUS_COLOURS
from tdplan.reports.content import (
    STATUS_MARKS,
    RollupBy,
    agency_names,
    count_text,
    data_problems_text,
    explanation,
    given,
    headline,
    ignored_line,
    many_problems,
    margin_text,
    plain_decimal,
    problem_kind_cells,
    problem_lines,
    problem_rows_of,
    problems_cut_text,
    rollup_cells,
    rollup_headings,
    rows_cut_text,
    rows_shown,
    target_text,
    value_text,
    when_text,
    word,
)

__all__ = ["render_html", "summary_html"]

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
td.again { display: none; }
.scroll { overflow-x: auto; max-width: 100%; }
table.wide th:first-child, table.wide td:first-child { position: sticky; left: 0; background: #fff; z-index: 1;
  box-shadow: 1px 0 0 #d8dee4; }
table.wide thead th:first-child { background: #f6f8fa; }
@media (max-width: 40rem) {
  body { padding: 1rem .8rem 2rem; overflow-wrap: anywhere; }
  h1 { font-size: 1.3rem; }
  h2 { font-size: 1.1rem; }
  .cards { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
  .card { min-width: 0; padding: .4rem .6rem; }
  .card b { font-size: 1.35rem; }
  .status { white-space: normal; }
  table.stack, table.stack tbody, table.stack caption { display: block; width: 100%; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
    white-space: nowrap; }
  table.stack tr { display: grid; grid-template-columns: 1fr 1fr; column-gap: .8rem; border: 1px solid #d0d7de;
    border-radius: .4rem; margin: 0 0 .6rem; padding: .35rem .7rem; }
  table.stack td.ind, table.stack td.again, table.stack td.res, table.stack td.nodata, table.stack th[scope="row"],
  table.rollup.stack td:last-child { grid-column: 1 / -1; }
  table.stack td, table.stack th[scope="row"] { display: block; border: 0; padding: .12rem 0; width: auto;
    text-align: left; white-space: normal; }
  table.stack td[data-label]::before { content: attr(data-label); display: block; color: #57606a;
    font-size: .78rem; font-weight: 600; }
  table.stack td.ind, table.stack td.again { display: block; order: -2; padding-bottom: .3rem;
    margin-bottom: .2rem; border-bottom: 1px solid #d8dee4; }
  table.stack td.res { order: -1; padding-bottom: .25rem; }
  table.stack td.res small { margin-top: .15rem; }
  table.stack th[scope="row"] { font-size: 1rem; padding-bottom: .3rem; }
  table.stack .bar { margin-top: .25rem; }
}
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def _e(text: str) -> str:
    return html.escape(clean(text), quote=True)


def _th(text: str, numeric: bool = False) -> str:
    css = ' class="num"' if numeric else ""
    return f'<th scope="col"{css}>{_e(text)}</th>'


def _label(heading: str) -> str:
    """The attribute that names a cell's column when a phone shows the row as a card."""
    return f' data-label="{_e(heading)}"'


def _badge(status: Status | None, lang: Lang) -> str:
    if status is None:
        return f'<span class="status problem">! {_e(word("problem", lang))}</span>'
    mark = STATUS_MARKS[status]
    return f'<span class="status {status.value}"><span aria-hidden="true">{mark}</span> {_e(status.label(lang))}</span>'


_SHARES = decimal.Context(prec=34, rounding=decimal.ROUND_FLOOR, traps=[])


def _bar(rollup: Rollup, lang: Lang) -> str:
    if not rollup.total:
        return f'<span class="nodata">{_e(word("no_data", lang))}</span>'
    parts = []
    for status in STATUS_ORDER:
        count = rollup.counts[status]
        if count:
            # In tdplan's own context, rounded down: the caller's context (prec=1, a trap on Inexact) has no say,
            # and the bars never add up to more than 100 %.
            share = _SHARES.divide(Decimal(count * 100), Decimal(rollup.total))
            width = plain_decimal(_SHARES.quantize(share, Decimal("0.0001")))
            label = f"{status.label(lang)}: {count}"
            parts.append(f'<span class="{status.value}" style="width:{width}%" title="{_e(label)}"></span>')
    summary = ", ".join(f"{status.label(lang)} {rollup.counts[status]}" for status in STATUS_ORDER)
    return f'<div class="bar" role="img" aria-label="{_e(summary)}">{"".join(parts)}</div>'


def _html_rollup(card: Scorecard, by: RollupBy, lang: Lang) -> list[str]:
    headings = rollup_headings(by, lang)
    head = "".join(_th(text, numeric=0 < i) for i, text in enumerate(headings))
    lines = [
        f'<table class="rollup stack"><caption>{_e(word(f"by_{by}", lang))}</caption>',
        f"<thead><tr>{head}{_th(word('shares', lang))}</tr></thead><tbody>",
    ]
    for rollup in card.rollup(by):
        cells = rollup_cells(rollup, lang)
        body = f'<th scope="row">{_e(cells[0])}</th>' + "".join(
            f'<td class="num"{_label(heading)}>{_e(cell)}</td>'
            for heading, cell in zip(headings[1:], cells[1:], strict=True)
        )
        lines.append(f"<tr>{body}<td>{_bar(rollup, lang)}</td></tr>")
    lines.append("</tbody></table>")
    return lines


def _html_goal(card: Scorecard, goal_number: int, lang: Lang, by_indicator: Mapping[str, list[ScoredRow]]) -> list[str]:
    plan = card.plan
    failed = card.problem_rows()
    goal = plan.goal(goal_number)
    keys = ("indicator", "row", "area", "period", "value", "target", "margin", "result")
    numeric = {1, 4, 6}
    head = "".join(_th(word(key, lang), numeric=i in numeric) for i, key in enumerate(keys))
    title = f"{word('goal', lang)} {goal.number}: {goal.title(lang)}"
    lines = [
        f'<section id="goal-{goal.number}"><h2>{_e(title)}</h2>',
        f'<table class="stack"><thead><tr>{head}</tr></thead><tbody>',
    ]
    label = {key: _label(word(key, lang)) for key in keys}
    for indicator in goal.indicators:
        rows = by_indicator.get(indicator.id, [])
        leads = ", ".join(agency_names(plan, indicator, lang))
        about = (
            f'<td class="ind" rowspan="{max(len(rows), 1)}" id="indicator-{_e(indicator.id)}">'
            f"<b>{_e(indicator.id)}</b>{_e(indicator.name(lang))}"
            f"<small>{_e(word('targets', lang))}: {_e(indicator.describe_targets(lang))}</small>"
            f"<small>{_e(word('lead', lang))}: {_e(leads)}</small></td>"
        )
        if not rows and indicator.id in failed:
            text = _e(data_problems_text(failed[indicator.id], lang))
            lines.append(f'<tr data-status="problem">{about}<td colspan="7">{_badge(None, lang)} {text}</td></tr>')
            continue
        if not rows:
            lines.append(
                f'<tr data-status="none">{about}<td colspan="7" class="nodata">{_e(word("no_data", lang))}</td></tr>'
            )
            continue
        for i, row in enumerate(rows):
            a = row.assessment
            assert a is not None  # only assessed rows are grouped by indicator
            again = f'<td class="again"><b>{_e(indicator.id)}</b> {_e(indicator.name(lang))}</td>'
            cells = (
                f'<td class="num"{label["row"]}>{row.row}</td><td{label["area"]}>{_e(row.area or "")}</td>'
                f'<td class="when"{label["period"]}>{_e(when_text(row, lang))}</td>'
                f'<td class="num"{label["value"]}>{_e(value_text(a, lang))}</td>'
                f"<td{label['target']}>{_e(target_text(a.target, lang))}</td>"
                f'<td class="num"{label["margin"]}>{_e(margin_text(a, lang))}</td>'
                f'<td class="res">{_badge(a.status, lang)}<small>{_e(explanation(a, lang))}</small>'
                + "".join(f"<small>{_e(word('notes', lang))}: {_e(note.text(lang))}</small>" for note in row.notes)
                + "</td>"
            )
            lines.append(f'<tr data-status="{a.status.value}">{about if i == 0 else again}{cells}</tr>')
    lines.append("</tbody></table></section>")
    return lines


def _html_problems(card: Scorecard, lang: Lang) -> list[str]:
    """The rows with problems, one by one; past PROBLEMS_SHOWN, by kind (reports/content.py), saying so."""
    if not card.problems:
        return []
    many = many_problems(card)
    keys = ("row_count", "first_rows", "result") if many else ("row", "indicator", "area", "result")
    head = "".join(f'<th scope="col">{_e(word(key, lang))}</th>' for key in keys)
    lines = [f'<section id="problems"><h2>{_e(word("problem_heading", lang))}</h2>']
    lines += [f'<p class="meta cut">{_e(cut)}</p>'] if (cut := problems_cut_text(card, lang)) else []
    lines.append(f'<table class="stack"><thead><tr>{head}</tr></thead><tbody>')
    label = {key: _label(word(key, lang)) for key in keys}
    badge = _badge(None, lang)
    for count, rows, message in problem_kind_cells(card, lang) if many else ():
        lines.append(
            f'<tr data-status="problem"><td class="num"{label["row_count"]}>{_e(count)}</td>'
            f'<td{label["first_rows"]}>{_e(rows)}</td><td class="res">{badge} {_e(message)}</td></tr>'
        )
    for row in () if many else problem_rows_of(card):
        assert row.problem is not None  # every row problem_rows_of gives has one
        lines.append(
            f'<tr data-status="problem"><td class="num"{label["row"]}>{row.row}</td>'
            f"<td{label['indicator']}>{_e(given(row, 'indicator'))}</td><td{label['area']}>{_e(row.area or '')}</td>"
            f'<td class="res">{badge} {_e(row.problem.message(lang))}</td></tr>'
        )
    lines.append("</tbody></table></section>")
    return lines


def _html_checks(card: Scorecard, lang: Lang) -> list[str]:
    """The checks of the figures (reports/checks.py): a section each, a table or a line saying there is nothing."""
    lines = []
    for section in check_sections(card, lang):
        lines.append(f'<section id="{section.key}"><h2>{_e(section.title)}</h2>')
        if section.rows:
            right = set(section.right)
            head = "".join(_th(heading, i in right) for i, heading in enumerate(section.headings))
            # A matrix (an area and period per column) scrolls inside its box, its first column fixed;
            # other tables become cards on a phone. Either way the page itself never scrolls sideways.
            wide = section.key == "completeness_matrix"
            lines.append(
                f'<div class="scroll" role="region" tabindex="0" aria-label="{_e(section.title)}">'
                f'<table class="{"wide" if wide else "stack"}"><thead><tr>{head}</tr></thead><tbody>'
            )
            attributes = [
                (' class="num"' if i in right else "") + ("" if wide else _label(heading))
                for i, heading in enumerate(section.headings)
            ]
            for row in section.rows:
                cells = "".join(f"<td{extra}>{_e(cell)}</td>" for extra, cell in zip(attributes, row, strict=True))
                lines.append(f"<tr>{cells}</tr>")
            lines.append("</tbody></table></div>")
        else:
            lines.append(f'<p class="nodata">{_e(section.empty)}</p>')
        lines += [f'<p class="meta">{_e(section.note)}</p>'] if section.note else []
        lines.append("</section>")
    return lines


def _cards(card: Scorecard, lang: Lang) -> list[str]:
    cards = [
        f'<div class="card {status.value}"><b>{_e(count_text(card.counts[status], lang))}</b>'
        f"{_badge(status, lang)}</div>"
        for status in STATUS_ORDER
    ]
    return ['<div class="cards">', *cards, "</div>"]


def render_html(card: Scorecard, lang: Lang, rollups: tuple[RollupBy, ...], source: str | None, color: bool) -> str:
    plan = card.plan
    by_indicator: dict[str, list[ScoredRow]] = {}
    for row in rows_shown(card):  # at most ROWS_SHOWN rows one by one (reports/content.py)
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
        f'<meta name="generator" content="tdplan {_e(version())}">',
        f"<title>{_e(word('report', lang))}: {_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(word("issuer", lang))}: {_e(plan.issuer(lang))} · '
        f"{_e(word('period_of_plan', lang))}: {plan.start_year}–{plan.end_year}</p>",
        f'<p class="meta">{_e(word("report", lang))}. {_e(headline(card, lang, source))}.</p>',
        *([f'<p class="meta">{_e(ignored)}</p>'] if (ignored := ignored_line(card, lang)) else []),
        *([f'<p class="meta cut">{_e(cut)}</p>'] if (cut := rows_cut_text(card, lang)) else []),
        "</header>",
        "<main>",
        *_cards(card, lang),
    ]
    for by in rollups:
        lines += _html_rollup(card, by, lang)
    for goal in plan.goals:
        lines += _html_goal(card, goal.number, lang, by_indicator)
    lines += _html_problems(card, lang)
    lines += _html_checks(card, lang)
    shown = (row.assessment for rows in by_indicator.values() for row in rows)
    rounded = any(a is not None and not a.exact for a in shown)  # a "≈" among the rows shown
    notes = [word("approx", lang)] if rounded else []
    notes.append(word("translation", lang))
    notes.append(word("made_by", lang).format(version=version()))
    lines += ["</main>", f"<footer>{' '.join(_e(note) for note in notes)}</footer>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def summary_html(scorecard: Scorecard, lang: Lang = "vi") -> str:
    """A compact HTML summary (for Jupyter): counts per status, the roll-up by goal, problems and checks; no scripts.

    >>> import tdplan
    >>> card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "16,5‰", "year": 2025}])
    >>> "<script" in summary_html(card), summary_html(card, "en").count("<tr")
    (False, 5)
    """
    check_lang(lang)
    counts = " · ".join(
        f'<span style="border-left:.5em solid {STATUS_COLOURS[status]};padding-left:.3em">{_e(status.label(lang))} '
        f"<b>{_e(count_text(scorecard.counts[status], lang))}</b></span>"
        for status in STATUS_ORDER
    )
    head = "".join(f"<th>{_e(text)}</th>" for text in rollup_headings("goal", lang))
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in rollup_cells(rollup, lang)) + "</tr>"
        for rollup in scorecard.by_goal()
    )
    problems = ""
    if scorecard.problems:
        first = "; ".join(problem_lines(scorecard, lang)[:3])
        more = " …" if len(scorecard.problems) > 3 else ""
        problems = f'<p style="color:#6e40c9">{_e(word("problem_heading", lang))}: {_e(first)}{more}</p>'
    checks = (
        (N_("Figures that disagree (consistency rules)"), [violation_text(v, lang) for v in scorecard.violations]),
        (
            N_("Figures to check again (a jump since the previous period)"),
            [jump_text(j, lang) for j in scorecard.jumps],
        ),
    )
    for title, sentences in checks:
        if sentences:
            more = " …" if len(sentences) > 3 else ""
            shown = "; ".join(sentences[:3])
            problems += f'<p style="color:#8a3c00">{_e(translate(title, lang))}: {_e(shown)}{more}</p>'
    return (
        f"<div><p><strong>{_e(scorecard.plan.title(lang))}</strong><br>{_e(headline(scorecard, lang, None))}"
        f"<br>{counts}</p><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{problems}</div>"
    )
