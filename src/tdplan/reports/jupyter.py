"""HTML for Jupyter: a plan, an indicator, an assessment and a series as compact tables.

The ``_repr_html_`` methods of :class:`~tdplan.Plan`, :class:`~tdplan.Indicator`,
:class:`~tdplan.Assessment` and :class:`~tdplan.Progress` call these functions, so a
notebook shows them as tables. The HTML has no scripts and no stylesheet, only inline
styles, so it looks the same in Jupyter, VS Code, GitHub's notebook viewer and exported
HTML; every text (the plan's, and a caller's) is escaped. A status is written in words
and coloured (the Okabe–Ito colours, told apart by people with colour-blindness).

``lang`` is ``"vi"`` or ``"en"`` for one language, or None (the ``_repr_html_`` default)
for the Vietnamese, which governs, with tdplan's English translation beside it, muted.
Numbers are in Vietnamese notation unless ``lang`` is ``"en"``.

>>> import tdplan
>>> html = assessment_html(tdplan.load_plan().assess("3", "16,5‰", year=2025), "en")
>>> "met" in html, "<script" in html
(True, False)
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from tdplan.analysis.trajectory import TrajectoryStatus
from tdplan.core.i18n import C_, Bilingual
from tdplan.core.notation import Lang, floored, format_number, format_value, percent, readable, rounded
from tdplan.core.text import check_lang, clean
from tdplan.core.units import Unit
from tdplan.core.vocabulary import Status, TargetKind, Text
from tdplan.reports.colours import STATUS_COLOURS, TRAJECTORY_COLOURS

if TYPE_CHECKING:
    from tdplan.analysis.progress import Progress, YearlyFall
    from tdplan.analysis.trajectory import Point, Trajectory
    from tdplan.core.model import Assessment, Indicator, Plan, Target

__all__ = [
    "assessment_html",
    "indicator_html",
    "plan_html",
    "progress_html",
    "status_badge",
    "trajectory_badge",
]

# Text on a badge: black, or white where black would not be legible (WCAG contrast ≥ 4).
_ON_COLOUR = {"#0072B2": "#FFFFFF"}
_SYMBOLS = {Status.MET: "✓", Status.AHEAD: "✓", Status.PENDING: "…", Status.NOT_MET: "✗"}

_BOX = "font-family:inherit;line-height:1.45;max-width:64em;margin:0.25em 0"
_MUTED = "opacity:0.7"
_SMALL = "opacity:0.7;font-size:0.9em"
_TABLE = "border-collapse:collapse;margin:0.4em 0;font-size:0.95em"
_CELL = "text-align:left;vertical-align:top;padding:1px 10px 1px 0"
_HEAD = _CELL + ";font-weight:600;border-bottom:1px solid rgba(128,128,128,0.5)"
_LABEL = _CELL + ";font-weight:normal;opacity:0.7"
_SUMMARY = "cursor:pointer;margin:0.3em 0"
_QUOTE = "margin:0.3em 0;padding-left:0.7em;border-left:3px solid rgba(128,128,128,0.5);font-style:italic;opacity:0.8"

_L = {
    "indicator": C_("notebook", "Indicator"),
    "indicators": C_("notebook", "indicators"),
    "goal": C_("notebook", "Goal"),
    "goals": C_("notebook", "goals"),
    "agency": C_("notebook", "Agency"),
    "agencies": C_("notebook", "agencies"),
    "id": C_("notebook", "Id"),
    "name": C_("notebook", "Name"),
    "title": C_("notebook", "Title"),
    "targets": C_("notebook", "Targets"),
    "target": C_("notebook", "Target"),
    "lead": C_("notebook", "Lead"),
    "year": C_("notebook", "Year"),
    "group": C_("notebook", "Group"),
    "note": C_("notebook", "Note"),
    "unit": C_("notebook", "Unit"),
    "measure": C_("notebook", "Measures"),
    "population": C_("notebook", "Out of"),
    "value": C_("notebook", "Value"),
    "margin": C_("notebook", "Margin"),
    "result": C_("notebook", "Result"),
    "period": C_("notebook", "Period"),
    "count": C_("notebook", "Count"),
    "fall": C_("notebook", "Fall on the year before"),
    "milestone": C_("notebook", "Milestone"),
    "course": C_("notebook", "Course"),
    "projected": C_("notebook", "Projected"),
    "left": C_("notebook", "Time left"),
    "baseline": C_("notebook", "baseline"),
    "no_previous": C_("notebook", "no year before"),
    "continuous": C_("notebook", "continuous"),
    "gaps": C_("notebook", "Missing"),
    "period_span": C_("the plan's period", "Period"),
    "basis": C_("notebook", "Implements"),
    "margin_note": C_("notebook", "positive: on the good side"),
}
_UNITS = {
    Unit.PERCENT: C_("notebook unit", "%"),
    Unit.PER_MILLE: C_("notebook unit", "‰ (per 1,000)"),
    Unit.PER_100000: C_("notebook unit", "per 100,000"),
    Unit.COUNT: C_("notebook unit", "count"),
}


def _lang(lang: object) -> Lang | None:
    return None if lang is None else check_lang(lang)


def _notation(lang: Lang | None) -> Lang:
    return "vi" if lang is None else lang


def _esc(text: str) -> str:
    """Text for the page: cleaned (no ESC sequence, BEL or bidi override from a plan file), then escaped."""
    return html.escape(clean(text), quote=True)


def _inline(text: Bilingual, lang: Lang | None) -> str:
    """A short text: ``Năm`` in one language, ``Năm <muted>Year</muted>`` in both."""
    if lang is not None:
        return _esc(text(lang))
    if text.en and text.en != text.vi:
        return f'{_esc(text.vi)} <span style="{_MUTED}">/ {_esc(text.en)}</span>'
    return _esc(text.vi)


def _block(text: Bilingual, lang: Lang | None) -> str:
    """A longer text: the English, when shown beside the Vietnamese, on a line of its own."""
    if lang is not None:
        return _esc(text(lang))
    if text.en and text.en != text.vi:
        return f'{_esc(text.vi)}<br><span style="{_SMALL}">{_esc(text.en)}</span>'
    return _esc(text.vi)


def _said(say: Callable[[Lang], str], lang: Lang | None) -> str:
    """What tdplan says in either language (an explanation): in ``lang``, or in both with the English muted."""
    return _esc(say(lang)) if lang is not None else _block(Text(say("vi"), say("en")), None)


def _badge(words: str, colour: str, title: str = "") -> str:
    tip = f' title="{_esc(title)}"' if title else ""
    style = (
        f"display:inline-block;padding:0 6px;border-radius:3px;background:{colour};"
        f"color:{_ON_COLOUR.get(colour, '#000000')};font-weight:600;white-space:nowrap"
    )
    return f'<span style="{style}"{tip}>{words}</span>'


def status_badge(status: Status, lang: Lang | None = None, title: str = "") -> str:
    """A status in words on its colour: ``✓ đạt``; ``title`` is a tooltip (escaped here)."""
    label = Text(status.label("vi"), status.label("en"))
    words = _esc(label(lang)) if lang is not None else f"{_esc(label.vi)} / {_esc(label.en)}"
    return _badge(f"{_SYMBOLS[status]} {words}", STATUS_COLOURS[status], title)


def trajectory_badge(status: TrajectoryStatus, lang: Lang | None = None, title: str = "") -> str:
    """A trajectory's status in words on its colour: ``đúng tiến độ``."""
    label = Text(status.label("vi"), status.label("en"))
    words = _esc(label(lang)) if lang is not None else f"{_esc(label.vi)} / {_esc(label.en)}"
    return _badge(words, TRAJECTORY_COLOURS[status], title)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table of cells that are already HTML."""
    head = "".join(f'<th style="{_HEAD}">{cell}</th>' for cell in header)
    body = "".join("<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in row) + "</tr>" for row in rows)
    return f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _facts(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column table of labels and values (both already HTML)."""
    body = "".join(
        f'<tr><th style="{_LABEL}">{label}</th><td style="{_CELL}">{value}</td></tr>' for label, value in rows
    )
    return f'<table style="{_TABLE}"><tbody>{body}</tbody></table>'


def _details(summary: str, content: str) -> str:
    return f'<details><summary style="{_SUMMARY}">{summary}</summary>{content}</details>'


def _box(*parts: str) -> str:
    return f'<div style="{_BOX}">' + "".join(parts) + "</div>"


def _line(content: str, style: str = "") -> str:
    return f'<div style="{style}">{content}</div>' if style else f"<div>{content}</div>"


def _target_text(target: Target, lang: Lang | None) -> str:
    """``< 18‰``, or the whole description of a yearly fall."""
    notation = _notation(lang)
    if target.kind is TargetKind.ANNUAL_FALL:
        return _esc(target.describe(notation))
    return _esc(f"{target.comparator.value} {format_value(target.threshold, target.unit, notation)}")


def _target_year(target: Target, lang: Lang | None) -> str:
    if target.kind is TargetKind.ANNUAL_FALL and target.from_year is not None:
        return f"{target.from_year}–{target.year}"
    return str(target.year) if target.year is not None else _inline(_L["continuous"], lang)


def plan_html(plan: Plan, lang: Lang | None = None) -> str:
    """The plan: its title and source, its goals, and (folded) every indicator and agency."""
    lang = _lang(lang)
    notation = _notation(lang)
    facts = [_inline(plan.issuer, lang)]
    if plan.legal_basis is not None:
        basis = plan.legal_basis
        facts.append(f"{_inline(_L['basis'], lang)}: {_esc(basis.document)} ({basis.date.strftime('%d/%m/%Y')})")
    facts.append(f"{_inline(_L['period_span'], lang)} {plan.start_year}–{plan.end_year}")
    facts.append(f"<code>{_esc(plan.id)}</code>")
    counts = " · ".join(
        f"{len(items)} {_inline(_L[key], lang)}"
        for items, key in ((plan.goals, "goals"), (plan.indicators, "indicators"), (plan.agencies, "agencies"))
    )
    goals = _table(
        [_inline(_L["goal"], lang), _inline(_L["title"], lang), _inline(_L["indicators"], lang)],
        (
            [str(goal.number), _block(goal.title, lang), _esc(", ".join(ind.id for ind in goal.indicators))]
            for goal in plan.goals
        ),
    )
    indicators = _table(
        [_inline(_L[key], lang) for key in ("indicator", "name", "targets", "lead")],
        (
            [
                f"<b>{_esc(ind.id)}</b>",
                _block(ind.name, lang),
                _esc(ind.describe_targets(notation)),
                _inline(Text(", ".join(ind.leads("vi")), ", ".join(ind.leads("en"))), lang),
            ]
            for ind in plan.indicators
        ),
    )
    agencies = _table(
        [_inline(_L[key], lang) for key in ("id", "agency", "indicators")],
        (
            [
                f"<code>{_esc(agency.id)}</code>",
                _block(agency.name, lang),
                _esc(", ".join(i.id for i in agency.indicators)),
            ]
            for agency in plan.agencies
        ),
    )
    return _box(
        _line(f"<b>{_block(plan.title, lang)}</b>"),
        _line(" · ".join(facts), "font-size:0.9em"),
        _line(counts),
        goals,
        _details(f"{len(plan.indicators)} {_inline(_L['indicators'], lang)}", indicators),
        _details(f"{len(plan.agencies)} {_inline(_L['agencies'], lang)}", agencies),
    )


def indicator_html(indicator: Indicator, lang: Lang | None = None) -> str:
    """The indicator: its name, targets by year and group, lead agencies, and the plan's sentence."""
    lang = _lang(lang)
    head = (
        f"<b>{_inline(_L['indicator'], lang)} {_esc(indicator.id)}</b> · "
        f"{_inline(_L['goal'], lang)} {indicator.goal} · "
        f"{_inline(_L['unit'], lang)}: {_inline(_UNITS[indicator.unit], lang)}"
    )
    grouped = any(target.disaggregation for target in indicator.targets)
    header = [_inline(_L["year"], lang)]
    header += [_inline(_L["group"], lang)] if grouped else []
    header += [_inline(_L["target"], lang), _inline(_L["note"], lang)]
    rows = []
    for target in indicator.targets:
        row = [_target_year(target, lang)]
        row += (
            [_inline(Text(target.disaggregation.label("vi"), target.disaggregation.label("en")), lang)]
            if grouped
            else []
        )
        row += [_target_text(target, lang), _block(target.note, lang) if target.note is not None else ""]
        rows.append(row)
    facts = []
    if indicator.measure is not None:
        facts.append((_inline(_L["measure"], lang), _block(indicator.measure, lang)))
    if indicator.population is not None:
        facts.append((_inline(_L["population"], lang), _block(indicator.population, lang)))
    leads = Text(", ".join(indicator.leads("vi")), ", ".join(indicator.leads("en")))
    facts.append((_inline(_L["lead"], lang), _inline(leads, lang)))
    parts = [_line(head), _line(_block(indicator.name, lang)), _table(header, rows), _facts(facts)]
    if indicator.source:
        parts.append(f'<blockquote style="{_QUOTE}">{_esc(indicator.source)}</blockquote>')
    if indicator.notes:
        notes = "".join(f"<li>{_block(note, lang)}</li>" for note in indicator.notes)
        parts.append(f'<ul style="margin:0.2em 0;padding-left:1.4em">{notes}</ul>')
    return _box(*parts)


def _value(value: Decimal, unit: Unit, exact: bool, threshold: Decimal, lang: Lang | None) -> str:
    """A value for reading; a rounded one (a rate with no finite decimal) marked ``≈``."""
    if exact:
        return _esc(format_value(value, unit, _notation(lang)))
    return _esc("≈ " + format_value(readable(value, threshold), unit, _notation(lang)))


def assessment_html(assessment: Assessment, lang: Lang | None = None) -> str:
    """The verdict: status in words and colour, the sentence, and the value, target and margin."""
    lang = _lang(lang)
    target = assessment.target
    indicator = assessment.indicator
    head = (
        f"{status_badge(assessment.status, lang)} "
        f"<b>{_inline(_L['indicator'], lang)} {_esc(indicator.id)} ({assessment.year})</b>"
    )
    sentence = _said(assessment.explain, lang)
    years = str(target.year) if target.year is not None else _inline(_L["continuous"], lang)
    group = _inline(Text(target.disaggregation.label("vi"), target.disaggregation.label("en")), lang)
    facts = [
        (_inline(_L["value"], lang), _value(assessment.value, target.unit, assessment.exact, target.threshold, lang)),
        (
            _inline(_L["target"], lang),
            f"{_target_text(target, lang)} ({years}{', ' + group if target.disaggregation else ''})",
        ),
        (
            _inline(_L["margin"], lang),
            f"{_value(assessment.margin, target.unit, assessment.exact, Decimal(0), lang)} "
            f'<span style="font-size:0.9em">({_inline(_L["margin_note"], lang)})</span>',
        ),
    ]
    return _box(_line(head), _line(_block(indicator.name, lang)), _line(sentence), _facts(facts))


def _point_row(point: Point, lang: Lang | None) -> list[str]:
    value = format_value(point.value, point.unit, _notation(lang))
    if point.assessment is None:
        baseline = f'<span style="{_MUTED}">{_inline(_L["baseline"], lang)}</span>'
        return [_esc(point.period.text(_notation(lang))), _esc(value), baseline]
    assessment = point.assessment
    shown = _value(assessment.value, assessment.target.unit, assessment.exact, assessment.target.threshold, lang)
    tip = assessment.explain(_notation(lang))
    return [_esc(point.period.text(_notation(lang))), shown, status_badge(assessment.status, lang, tip)]


def _fall_row(point: Point, fall: YearlyFall | None, lang: Lang | None) -> list[str]:
    notation = _notation(lang)
    row = [str(point.period.year), _esc(format_value(point.value, point.unit, notation))]
    if fall is None:
        return [*row, "—", f'<span style="{_MUTED}">{_inline(_L["no_previous"], lang)}</span>']
    change = "—" if fall.fall is None else _esc(percent(fall.fall, notation, scale=0))
    return [*row, change, status_badge(fall.status, lang, fall.explain(notation))]


def _trajectory_row(trajectory: Trajectory, lang: Lang | None) -> list[str]:
    notation = _notation(lang)
    unit = trajectory.target.unit
    ratio = "—" if trajectory.ratio is None else _esc(format_number(floored(trajectory.ratio), notation))
    projected = (
        "—" if trajectory.projected is None else _esc(format_value(rounded(trajectory.projected), unit, notation))
    )
    left = _said(trajectory.left.text, lang)
    return [
        str(trajectory.milestone),
        _target_text(trajectory.target, lang),
        trajectory_badge(trajectory.status, lang, trajectory.explain(notation)),
        ratio,
        projected,
        left,
    ]


def progress_html(progress: Progress, lang: Lang | None = None) -> str:
    """A series: each measurement with its verdict (or indicator 18's yearly falls), gaps, and each trajectory."""
    lang = _lang(lang)
    notation = _notation(lang)
    indicator = progress.indicator
    group = _inline(Text(progress.disaggregation.label("vi"), progress.disaggregation.label("en")), lang)
    head = f"<b>{_inline(_L['indicator'], lang)} {_esc(indicator.id)}</b>" + (
        f" · {group}" if progress.disaggregation else ""
    )
    summary = _said(lambda one: progress.explain(one).splitlines()[0], lang)
    parts = [_line(head), _line(_block(indicator.name, lang)), _line(summary)]
    if indicator.unit is Unit.COUNT:
        falls = {fall.year: fall for fall in progress.falls}
        header = [_inline(_L[key], lang) for key in ("year", "count", "fall", "result")]
        rows = (_fall_row(point, falls.get(point.period.year), lang) for point in progress.points)
        parts.append(_table(header, rows))
    else:
        header = [_inline(_L[key], lang) for key in ("period", "value", "result")]
        parts.append(_table(header, (_point_row(point, lang) for point in progress.points)))
    if progress.gaps:
        missing = ", ".join(period.text(notation) for period in progress.gaps)
        parts.append(_line(f"{_inline(_L['gaps'], lang)}: {_esc(missing)}", "font-size:0.9em"))
    if progress.trajectories:
        header = [_inline(_L[key], lang) for key in ("milestone", "target", "course")]
        header += ["R", _inline(_L["projected"], lang), _inline(_L["left"], lang)]
        parts.append(_table(header, (_trajectory_row(trajectory, lang) for trajectory in progress.trajectories)))
    return _box(*parts)
