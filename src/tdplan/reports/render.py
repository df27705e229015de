"""Reports of a scorecard: a terminal table, Markdown, a self-contained HTML page, JSON and CSV.

:func:`render` writes a :class:`~tdplan.analysis.scorecard.Scorecard` in one of :data:`REPORT_FORMATS`,
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
See ``docs/reports.md`` and a page per format. Each format is a module of its own beside
this one; :mod:`tdplan.reports.content` holds what they all say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from tdplan.analysis.scorecard import Scorecard
from tdplan.core.errors import InputTypeError
from tdplan.core.notation import Lang
from tdplan.reports.content import RollupBy
from tdplan.reports.csv_format import render_csv
from tdplan.reports.html_format import render_html
from tdplan.reports.json_format import render_json
from tdplan.reports.markdown_format import render_markdown
from tdplan.reports.table_format import render_table

__all__ = ["REPORT_FORMATS", "ReportFormat", "RollupBy", "check_options", "render"]

ReportFormat = Literal["table", "md", "html", "json", "csv"]
"""A report format: ``table`` (terminal), ``md`` (Markdown), ``html``, ``json`` or ``csv``."""

REPORT_FORMATS: tuple[ReportFormat, ...] = ("table", "md", "html", "json", "csv")
"""The formats :func:`render` writes."""

_ROLLUPS: tuple[RollupBy, ...] = ("goal", "agency", "area", "year")
_DEFAULT_ROLLUPS: tuple[RollupBy, ...] = ("goal", "agency")

_Writer = Callable[[Scorecard, Lang, tuple[RollupBy, ...], "str | None", bool], str]
_WRITERS: dict[str, _Writer] = {
    "table": render_table,
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
    "csv": render_csv,
}


def check_options(lang: str, by: str | None, format: str | None = None) -> tuple[RollupBy, ...]:
    """The roll-ups a report shows, once ``lang``, ``by`` and ``format`` are checked (else InputTypeError)."""
    if format is not None and format not in REPORT_FORMATS:
        raise InputTypeError(
            "unknown report format {format!r}: use {valid}", format=format, valid=", ".join(REPORT_FORMATS)
        )
    if lang not in ("vi", "en"):
        raise InputTypeError("unknown language {lang!r}: use 'vi' or 'en'", lang=lang)
    if by is None:
        return _DEFAULT_ROLLUPS
    if by not in _ROLLUPS:
        raise InputTypeError("cannot roll up by {by!r}: use goal, agency, area or year", by=by)
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
        raise InputTypeError(
            "a report is of a Scorecard (Plan.assess_table), not of {type}",
            type=type(scorecard).__name__,
        )
    rollups = check_options(lang, by, format)
    return _WRITERS[format](scorecard, lang, rollups, source, color)
