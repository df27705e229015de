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
  would run as a formula;
- ``xlsx``: an Excel workbook (summary, every row, problems), as bytes (``tdplan[excel]``).

:func:`render` returns text for the text formats and bytes for ``xlsx``; nothing is
printed or written. :func:`write_report` writes a report to a file, its format named by
the file's suffix, atomically (a temporary file renamed). ``tdplan report`` is the command.
See ``docs/reports.md`` and a page per format. Each format is a module of its own beside
this one, imported when a report in it is first written (a JSON report loads no HTML or
workbook code); :mod:`tdplan.reports.content` holds what they all say.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TextIO, overload

from tdplan.analysis.scorecard import Scorecard
from tdplan.core.errors import InputTypeError, PlanFileError, os_reason
from tdplan.core.notation import Lang
from tdplan.core.text import clean
from tdplan.reports.content import RollupBy

__all__ = [
    "REPORT_FORMATS",
    "REPORT_SUFFIXES",
    "ReportFormat",
    "RollupBy",
    "TextFormat",
    "check_options",
    "format_for",
    "refuse_table",
    "render",
    "stream_report",
    "write_report",
]

ReportFormat = Literal["table", "md", "html", "json", "csv", "xlsx"]
"""A report format: ``table`` (terminal), ``md`` (Markdown), ``html``, ``json``, ``csv`` or ``xlsx`` (Excel)."""

TextFormat = Literal["table", "md", "html", "json", "csv"]
"""The report formats that are text (every one but ``xlsx``)."""

REPORT_FORMATS: tuple[ReportFormat, ...] = ("table", "md", "html", "json", "csv", "xlsx")
"""The formats :func:`render` writes."""

REPORT_SUFFIXES: dict[str, ReportFormat] = {
    ".txt": "table",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
"""The file suffixes :func:`write_report` knows, and the format each names."""

_ROLLUPS: tuple[RollupBy, ...] = ("goal", "agency", "area", "year")
_DEFAULT_ROLLUPS: tuple[RollupBy, ...] = ("goal", "agency")

_Writer = Callable[[Scorecard, Lang, tuple[RollupBy, ...], "str | None", bool], str]
_Streamer = Callable[[Scorecard, TextIO, Lang, tuple[RollupBy, ...], "str | None"], None]
_STREAMED = ("json", "csv")
"""The formats written to a file row by row, in bounded memory, rather than built as one text."""


def _writer(format: str) -> _Writer:
    """The function that writes a text format, its module imported now (once: Python keeps it)."""
    if format == "table":
        from tdplan.reports.table_format import render_table

        return render_table
    if format == "md":
        from tdplan.reports.markdown_format import render_markdown

        return render_markdown
    if format == "html":
        from tdplan.reports.html_format import render_html

        return render_html
    if format == "json":
        from tdplan.reports.json_format import render_json

        return render_json
    from tdplan.reports.csv_format import render_csv

    return render_csv


def _streamer(format: str) -> _Streamer:
    """The function that writes a JSON or CSV report row by row, its module imported now."""
    if format == "json":
        from tdplan.reports.json_format import write_json

        return write_json
    from tdplan.reports.csv_format import write_csv

    return write_csv


def check_options(lang: str, by: str | None, format: str | None = None) -> tuple[RollupBy, ...]:
    """The roll-ups a report shows, once ``lang``, ``by`` and ``format`` are checked (else InputTypeError)."""
    wrong = [option for option in (lang, by, format) if option is not None and not isinstance(option, str)]
    if wrong or lang is None:
        raise InputTypeError(
            "a report's format, language and roll-up are strings such as 'html', 'vi' and 'area', not {given!r}",
            given=wrong[0] if wrong else lang,
        )
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


@overload
def render(
    scorecard: Scorecard,
    format: TextFormat = "table",
    *,
    lang: Lang = "vi",
    by: RollupBy | None = None,
    color: bool = False,
    source: str | None = None,
) -> str: ...
@overload
def render(
    scorecard: Scorecard,
    format: Literal["xlsx"],
    *,
    lang: Lang = "vi",
    by: RollupBy | None = None,
    color: bool = False,
    source: str | None = None,
) -> bytes: ...
@overload
def render(
    scorecard: Scorecard,
    format: ReportFormat,
    *,
    lang: Lang = "vi",
    by: RollupBy | None = None,
    color: bool = False,
    source: str | None = None,
) -> str | bytes: ...
def render(
    scorecard: Scorecard,
    format: ReportFormat = "table",
    *,
    lang: Lang = "vi",
    by: RollupBy | None = None,
    color: bool = False,
    source: str | None = None,
) -> str | bytes:
    """The scorecard as a report in ``format``, in ``lang``: text, or bytes for ``xlsx``.

    ``by`` chooses the roll-up shown (default: by goal and by lead office); every row is
    always there, in the table's order. ``color`` adds ANSI colours to the terminal table
    (the caller decides whether the output is a terminal). ``source`` names the table in
    the report's heading (a file name, say). A CSV report starts with a byte order mark;
    an ``xlsx`` report is a workbook's bytes (see :func:`write_report` to write a file).

    >>> import tdplan
    >>> card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "16,5‰", "year": 2025}])
    >>> print(render(card, "md", lang="en").splitlines()[0])
    # Plan for implementing the Action Programme for Children in Tam Đường District, 2021–2030
    >>> render(card, "json").startswith('{\\n  "schema": "tdplan-report"')
    True
    >>> render(card, "xlsx")[:2]                       # a zip archive, as every .xlsx is
    b'PK'
    """
    if not isinstance(scorecard, Scorecard):
        raise InputTypeError(
            "a report is of a Scorecard (Plan.assess_table), not of {type}",
            type=type(scorecard).__name__,
        )
    rollups = check_options(lang, by, format)
    if format is None:
        raise InputTypeError("unknown report format None: use {formats}", formats=", ".join(REPORT_FORMATS))
    if source is not None and not isinstance(source, str):
        raise InputTypeError("a report's source is a file name (a string), not {kind}", kind=type(source).__name__)
    if format == "xlsx":
        from tdplan.reports.xlsx_format import render_xlsx

        return render_xlsx(scorecard, lang, rollups, source, color)
    return _writer(format)(scorecard, lang, rollups, source, color)


def stream_report(
    scorecard: Scorecard,
    stream: TextIO,
    format: Literal["json", "csv"],
    *,
    lang: Lang = "vi",
    by: RollupBy | None = None,
    source: str | None = None,
) -> None:
    """Write a JSON or CSV report to the text ``stream`` row by row: :func:`render`'s text, never built whole.

    A CSV stream should be opened with ``newline=""`` (its rows end with ``\\r\\n`` already).

    >>> import io, tdplan
    >>> card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "16,5‰", "year": 2025}])
    >>> out = io.StringIO()
    >>> stream_report(card, out, "json")
    >>> out.getvalue() == render(card, "json")
    True
    """
    if not isinstance(scorecard, Scorecard):
        raise InputTypeError(
            "a report is of a Scorecard (Plan.assess_table), not of {type}", type=type(scorecard).__name__
        )
    rollups = check_options(lang, by, format)
    if format not in _STREAMED:
        raise InputTypeError("a report streamed row by row is 'json' or 'csv', not {format!r}", format=format)
    _streamer(format)(scorecard, stream, lang, rollups, source)


def format_for(path: str | os.PathLike[str]) -> ReportFormat:
    """The report format a file's suffix names; an unknown suffix is an error listing the known ones.

    >>> format_for("bao-cao.xlsx"), format_for("BAO-CAO.HTML")
    ('xlsx', 'html')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise InputTypeError(
            "{path}: the suffix {suffix!r} names no report format: use {suffixes} (or give the format)",
            path=str(path),
            suffix=suffix,
            suffixes=", ".join(REPORT_SUFFIXES),
        )
    return REPORT_SUFFIXES[suffix]


def refuse_table(target: Path, table: str | os.PathLike[str] | None) -> None:
    """Never write a report over the table it reports on: the same file, by device and inode (hard links too)."""
    if table is None:
        return
    try:
        same = target.exists() and target.samefile(table)
    except (OSError, ValueError):
        same = False
    if same:
        raise PlanFileError("{path}: is the table itself: write the report to another file", path=clean(str(target)))


def write_report(
    scorecard: Scorecard,
    path: str | os.PathLike[str],
    format: ReportFormat | None = None,
    *,
    lang: Lang = "vi",
    by: RollupBy | None = None,
    source: str | None = None,
) -> Path:
    """Write the report to ``path`` in ``format`` (default: the one its suffix names), atomically; the path.

    The report is written to a temporary file in the same folder and renamed over
    ``path`` once complete, so that a reader never sees half a report and a failure
    leaves any earlier file as it was. Text is UTF-8, line endings as :func:`render`
    writes them. JSON, CSV and xlsx reports are written row by row (memory does not grow
    with the table's length); the file is the same, byte for byte, as :func:`render`'s text.
    """
    target = Path(path)
    chosen = format or format_for(target)
    rollups = check_options(lang, by, chosen)
    if not isinstance(scorecard, Scorecard):
        raise InputTypeError(
            "a report is of a Scorecard (Plan.assess_table), not of {type}", type=type(scorecard).__name__
        )
    refuse_table(target, scorecard.table_path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as error:
        reason = os_reason(error)
        raise PlanFileError("{path}: cannot write the report: {reason}", path=str(path), reason=reason) from None
    try:
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        with os.fdopen(handle, "wb") as file:
            if chosen == "xlsx":
                from tdplan.reports.xlsx_format import write_xlsx

                write_xlsx(scorecard, file, lang, rollups, source)
            elif chosen in _STREAMED:
                # A lone surrogate (a cell read from a broken file name or a Python string) cannot be UTF-8:
                # written as its escape, \udc80, it is still the same string to a JSON reader, and visible in CSV.
                text = io.TextIOWrapper(file, encoding="utf-8", errors="backslashreplace", newline="")
                _streamer(chosen)(scorecard, text, lang, rollups, source)
                text.detach()  # flushed; the binary file is closed by its own block
            else:
                file.write(_writer(chosen)(scorecard, lang, rollups, source, False).encode("utf-8", "backslashreplace"))
        os.replace(temporary, target)
    except OSError as error:
        reason = os_reason(error)
        raise PlanFileError("{path}: cannot write the report: {reason}", path=str(path), reason=reason) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
