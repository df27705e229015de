"""What every report format says about the checks of the figures: violations, suspicious jumps, completeness.

:func:`check_sections` gives the sections every format shows after the rows, each a
:class:`Section` with a title, headings and cells; the table, Markdown and HTML formats
lay them out as tables, JSON writes :func:`checks_data`, and CSV adds :func:`row_notes` to
each row and a row per missing figure. A violation or a jump changes no verdict.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import attrs

from tdplan.analysis.completeness import Completeness, ReportingRate
from tdplan.analysis.jumps import Jump
from tdplan.analysis.rules import Violation
from tdplan.analysis.scorecard import Scorecard
from tdplan.core.consistency import Importance
from tdplan.core.i18n import N_, Message, translate
from tdplan.core.notation import Lang, format_number, format_value
from tdplan.core.periods import Period
from tdplan.core.text import clean
from tdplan.core.units import Unit
from tdplan.reports.content import plain_decimal, share_text

__all__ = [
    "CHECK_AGAIN",
    "MISSING",
    "Section",
    "area_name",
    "check_sections",
    "checks_data",
    "jump_text",
    "row_notes",
    "violation_text",
]

CHECK_AGAIN = N_("check again")
"""The flag of a suspicious jump: ``kiểm tra lại``."""

MISSING = N_("missing")
"""What a report says of an expected figure no row gave: ``chưa có số liệu``."""

_IMPORTANCE = {Importance.HIGH: N_("high"), Importance.MEDIUM: N_("medium"), Importance.LOW: N_("low")}
_NO_AREA = N_("(no area)")


@attrs.frozen
class Section:
    """A section of the checks: key, title, headings, rows, right-aligned columns; what to say if empty; a note."""

    key: str
    title: str
    headings: list[str]
    rows: list[list[str]]
    right: tuple[int, ...] = ()
    empty: str = ""
    note: str = ""


def _(message: str, lang: Lang) -> str:
    return translate(message, lang)


def area_name(area: str | None, lang: Lang) -> str:
    """An area as shown: its name, or ``(không ghi địa bàn)`` for rows that give none."""
    return clean(area) if area else _(_NO_AREA, lang)


def _value(value: Decimal | None, unit: Unit | None, lang: Lang) -> str:
    if value is None:
        return ""
    return format_number(value, lang) if unit is None else format_value(value, unit, lang)


def _period(period: Period | None, lang: Lang) -> str:
    return "" if period is None else period.text(lang)


def _rows(rows: tuple[int, ...]) -> str:
    return ", ".join(str(row) for row in rows)


def _group(group: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name}={value}" for name, value in group)


def violation_text(violation: Violation, lang: Lang) -> str:
    """One sentence: ``3 ≤ 4: 21‰ và 19‰ (Bản Bo, năm 2025; dòng 1, 2): …``."""
    v = violation
    where = f"{area_name(v.area, lang)}, {_period(v.period, lang)}".rstrip(", ")
    facts = {"expression": v.expression, "left": _value(v.left, v.unit, lang), "where": where, "rows": _rows(v.rows)}
    facts["message"] = clean(v.message(lang))
    if v.right is None:
        return Message("{expression}: {left} ({where}; rows {rows}): {message}", **facts).text(lang)
    right = _value(v.right, v.unit, lang)
    return Message("{expression}: {left} and {right} ({where}; rows {rows}): {message}", right=right, **facts).text(
        lang
    )


def jump_text(jump: Jump, lang: Lang) -> str:
    """One sentence: ``kiểm tra lại: chỉ tiêu 3, Bản Bo: 12‰ (năm 2024) → 30‰ (năm 2025); dòng 1, 2``."""
    j = jump
    group = f" ({_group(j.group)})" if j.group else ""
    return Message(
        "check again: indicator {indicator}{group}, {area}: {before} ({previous}) → {after} ({period}); rows {rows}",
        indicator=j.indicator,
        group=group,
        area=area_name(j.area, lang),
        before=_value(j.before, j.unit, lang),
        previous=_period(j.previous, lang),
        after=_value(j.after, j.unit, lang),
        period=_period(j.period, lang),
        rows=_rows(j.rows),
    ).text(lang)


def _rate(rate: ReportingRate, lang: Lang) -> list[str]:
    shown = "—" if rate.rate is None else share_text(rate.rate, lang)
    return [format_number(Decimal(rate.present), lang), format_number(Decimal(rate.expected), lang), shown]


def _matrix(completeness: Completeness, lang: Lang) -> Section:
    columns = [(area, period) for area in completeness.areas for period in completeness.periods]
    one_period = len(completeness.periods) == 1

    def heading(area: str, period: Period) -> str:
        name = area_name(area, lang)
        return name if one_period else f"{name} {period.code}"

    headings = [_(N_("Indicator"), lang), *(heading(area, period) for area, period in columns)]
    headings += [_(N_("Present"), lang), _(N_("Expected"), lang), _(N_("Reporting rate"), lang)]
    rates = {rate.key: rate for rate in completeness.by_indicator()}
    rows = [
        [
            indicator,
            *("✓" if completeness.is_present(indicator, area, period) else "—" for area, period in columns),
            *_rate(rates[indicator], lang),
        ]
        for indicator in completeness.indicators
    ]
    count = len(headings)
    return Section(
        "completeness_matrix",
        _(N_("Completeness by indicator (✓ present, — missing)"), lang),
        headings,
        rows if columns else [],
        (count - 3, count - 2, count - 1),
        _(N_("no period in the table"), lang),
    )


def check_sections(card: Scorecard, lang: Lang) -> list[Section]:
    """The sections on the checks of ``card``'s figures, in the order every format shows them."""
    violations = Section(
        "violations",
        _(N_("Figures that disagree (consistency rules)"), lang),
        [
            _(heading, lang)
            for heading in (
                N_("Rule"),
                N_("Importance"),
                N_("Area"),
                N_("Period"),
                N_("Left"),
                N_("Right"),
                N_("Rows"),
                N_("Message"),
            )
        ],
        [
            [
                v.expression or v.rule,
                _(_IMPORTANCE[v.importance], lang),
                area_name(v.area, lang),
                _period(v.period, lang),
                _value(v.left, v.unit, lang),
                _value(v.right, v.unit, lang),
                _rows(v.rows),
                clean(v.message(lang)),
            ]
            for v in card.violations
        ],
        (4, 5),
        _(N_("none: every rule holds"), lang),
    )
    jumps = Section(
        "jumps",
        _(N_("Figures to check again (a jump since the previous period)"), lang),
        [
            _(heading, lang)
            for heading in (N_("Indicator"), N_("Area"), N_("Group"), N_("Before"), N_("After"), N_("Rows"), N_("Flag"))
        ],
        [
            [
                j.indicator,
                area_name(j.area, lang),
                _group(j.group),
                f"{_value(j.before, j.unit, lang)} ({_period(j.previous, lang)})",
                f"{_value(j.after, j.unit, lang)} ({_period(j.period, lang)})",
                _rows(j.rows),
                _(CHECK_AGAIN, lang),
            ]
            for j in card.jumps
        ],
        (3, 4),
        _(N_("none"), lang),
    )
    completeness = card.completeness
    overall = completeness.overall()
    by_area = Section(
        "completeness_by_area",
        _(N_("Completeness by area (reporting rate)"), lang),
        [_(heading, lang) for heading in (N_("Area"), N_("Present"), N_("Expected"), N_("Reporting rate"))],
        [[area_name(rate.key, lang), *_rate(rate, lang)] for rate in completeness.by_area()]
        + [[_(N_("All areas"), lang), *_rate(overall, lang)]],
        (1, 2, 3),
    )
    if completeness.unexpected:
        names = ", ".join(area_name(area, lang) for area in completeness.unexpected)
        note = Message("Areas in the table that are not expected to report: {names}", names=names)
        by_area = attrs.evolve(by_area, note=note.text(lang))
    return [violations, jumps, by_area, _matrix(completeness, lang)]


def row_notes(card: Scorecard, lang: Lang) -> dict[int, list[str]]:
    """The violations and jumps that concern each row, by row number, as sentences (for the CSV report)."""
    notes: dict[int, list[str]] = defaultdict(list)
    for violation in card.violations:
        for row in violation.rows:
            notes[row].append(violation_text(violation, lang))
    for jump in card.jumps:
        notes[jump.rows[1]].append(jump_text(jump, lang))
    return notes


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else plain_decimal(value)


def checks_data(card: Scorecard, lang: Lang) -> dict[str, Any]:
    """The checks as JSON data: violations, jumps and completeness (numbers as exact decimal strings)."""
    completeness = card.completeness

    def rate(rate: ReportingRate) -> dict[str, Any]:
        return {"key": rate.key, "present": rate.present, "expected": rate.expected}

    return {
        "violations": [
            {
                "rule": v.rule,
                "expression": v.expression,
                "importance": v.importance.value,
                "area": v.area,
                "period": None if v.period is None else v.period.code,
                "left": _decimal(v.left),
                "operator": None if v.operator is None else v.operator.ascii,
                "right": _decimal(v.right),
                "unit": None if v.unit is None else v.unit.value,
                "rows": list(v.rows),
                "message": v.message(lang),
            }
            for v in card.violations
        ],
        "jumps": [
            {
                "indicator": j.indicator,
                "area": j.area,
                "group": dict(j.group),
                "previous": j.previous.code,
                "period": j.period.code,
                "before": plain_decimal(j.before),
                "after": plain_decimal(j.after),
                "unit": j.unit.value,
                "rows": list(j.rows),
                "flag": _(CHECK_AGAIN, lang),
            }
            for j in card.jumps
        ],
        "completeness": {
            "indicators": list(completeness.indicators),
            "areas": list(completeness.areas),
            "periods": [period.code for period in completeness.periods],
            "missing": [
                {"indicator": indicator, "area": area, "period": period.code}
                for indicator, area, period in completeness.missing()
            ],
            "by_area": [rate(item) for item in completeness.by_area()],
            "by_indicator": [rate(item) for item in completeness.by_indicator()],
            "overall": rate(completeness.overall()),
            "unexpected_areas": list(completeness.unexpected),
        },
    }
