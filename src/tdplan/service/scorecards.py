"""Scorecards over HTTP: a table in (JSON rows or an uploaded file), a report out in the format ``Accept`` asks for.

The formats are those of :data:`tdplan.reports.render.REPORT_FORMATS`, each with its
media type in :data:`MEDIA_TYPES`; a format the reports layer gains (xlsx, say) is
offered as soon as it is in ``REPORT_FORMATS`` and has a media type here.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs
from litestar import Response

from tdplan.analysis.file_kinds import check_file_kind
from tdplan.analysis.reading import WORKBOOK_SUFFIXES
from tdplan.analysis.scorecard import Scorecard
from tdplan.analysis.tables import BULK_BYTES, assess_table
from tdplan.core.errors import InputTypeError, TdplanError
from tdplan.core.i18n import Lang, Message
from tdplan.core.model import Plan
from tdplan.reports.render import REPORT_FORMATS, render
from tdplan.service.problems import ProblemError, by_quality

if TYPE_CHECKING:
    from tdplan.reports.content import RollupBy
    from tdplan.reports.render import ReportFormat

__all__ = ["MEDIA_TYPES", "choose_format", "offered_formats", "scorecard_response"]

MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "html": "text/html",
    "csv": "text/csv",
    "md": "text/markdown",
    "table": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""The media type of each report format (those :func:`tdplan.render` writes are offered)."""

_TEXT = {"html", "csv", "md", "table"}


def offered_formats() -> list[str]:
    """The report formats this service writes: those of ``REPORT_FORMATS`` with a media type."""
    return [format for format in REPORT_FORMATS if format in MEDIA_TYPES]


def choose_format(accept: str | None, asked: str | None) -> str:
    """The report format for an ``Accept`` header (or the ``format`` parameter): JSON when anything goes.

    >>> choose_format("text/html,application/xhtml+xml,*/*;q=0.8", None)
    'html'
    >>> choose_format("text/csv;q=0.5, text/markdown", None), choose_format(None, "csv"), choose_format("*/*", None)
    ('md', 'csv', 'json')
    """
    offered = offered_formats()
    if asked is not None:
        if asked not in offered:
            raise ProblemError(
                406,
                "not_acceptable",
                Message("this service writes reports as {formats}", formats=", ".join(offered)),
            )
        return asked
    if not accept:
        return "json"
    for media in (value.lower() for value in by_quality(accept, 30)):
        if media in ("*/*", "application/*") and "json" in offered:
            return "json"
        for format in offered:
            kind = MEDIA_TYPES[format]
            if media == kind or (media.endswith("/*") and kind.startswith(media[:-1])):
                return format
    raise ProblemError(
        406,
        "not_acceptable",
        Message(
            "no report format matches Accept: {accept}; this service writes {types}",
            accept=accept[:200],
            types=", ".join(MEDIA_TYPES[format] for format in offered),
        ),
    )


def _table(plan: Plan, data: list[dict[str, Any]] | tuple[str, bytes], check: Callable[[], None]) -> Scorecard:
    def progress(done: int, rows: int) -> None:
        check()  # every 1,000 rows: it raises past the request's time limit

    if isinstance(data, list):
        return assess_table(plan, data, progress=progress)
    name, content = data
    if name.lower().endswith(WORKBOOK_SUFFIXES):
        # Read by tdplan's own table reader, which reads a workbook from a file of that name.
        return _from_file(plan, name, content, Path(name).suffix.lower(), progress)
    check_file_kind(Path(name[:100]), content, workbook=False)  # an .xls, .ods, PDF or web page: said so
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputTypeError(
            "{name}: not UTF-8 text (byte {start}): save the table as CSV UTF-8", name=name[:100], start=error.start
        ) from None
    check()
    if len(content) >= BULK_BYTES:  # a large table: read from a file by pyarrow and decided with NumPy
        # Its line ends as the small table's StringIO(newline=None) reads them: a CR alone (old Mac Excel) or a
        # CRLF, inside a quoted cell too, is a LF (UTF-8 has no other byte 13 or 10).
        universal = content.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        return _from_file(plan, name, universal, ".csv", progress)
    return assess_table(plan, io.StringIO(text, newline=None), progress=progress)


def _from_file(plan: Plan, name: str, content: bytes, suffix: str, progress: Callable[[int, int], None]) -> Scorecard:
    """The client's table assessed from a temporary file of the server's, which errors never name."""
    handle, path = tempfile.mkstemp(suffix=suffix, prefix="tdplan-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        return attrs.evolve(assess_table(plan, path, progress=progress), table_path=None)
    except TdplanError as error:
        if error.params.get("path") == path:  # the client sent a file: name theirs, never the server's folder
            error.params["path"] = name[:100]
            error.args = (error.message("en"),)
        raise
    finally:
        os.unlink(path)


def _row_problems(card: Scorecard, lang: Lang) -> list[Mapping[str, Any]]:
    """Every row problem, its message made once per kind (a table for another plan fails in most rows)."""
    kinds = card.problem_kinds(lang)
    said = [
        {"code": first.code, "message": message} for first, message in zip(kinds.firsts, kinds.messages, strict=True)
    ]
    rows, codes = kinds.listed()
    return [{"row": row, **said[code]} for row, code in zip(rows, codes, strict=True)]


def scorecard_response(
    plan: Plan,
    data: list[dict[str, Any]] | tuple[str, bytes],
    lang: Lang,
    by: str | None,
    source: str | None,
    accept: str | None,
    asked: str | None,
    strict: bool,
    check: Callable[[], None] = lambda: None,
) -> Response[Any]:
    """The report of a table, in the negotiated format; a 422 problem with every row problem when ``strict``.

    ``check`` is called between the steps and every 1,000 rows; it raises to stop the work.
    """
    format = choose_format(accept, asked)
    card = _table(plan, data, check)
    check()
    if strict and card.problems:
        count = len(card.problems)
        raise ProblemError(
            422,
            "row_problems",
            Message("{count} of {rows} rows cannot be assessed: see problems", count=count, rows=len(card.rows)),
            problems=_row_problems(card, lang),
        )
    report = render(card, cast("ReportFormat", format), lang=lang, by=cast("RollupBy | None", by), source=source)
    media = MEDIA_TYPES[format] + ("; charset=utf-8" if format in _TEXT else "")
    headers = {"Content-Language": lang, "Vary": "Accept, Accept-Language"}
    if format in ("csv", "xlsx"):
        headers["Content-Disposition"] = f'attachment; filename="scorecard.{format}"'
    body = report.encode("utf-8") if isinstance(report, str) else report
    return Response(body, media_type=media, headers=headers)
