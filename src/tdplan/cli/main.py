"""The ``tdplan`` command: list the indicators, show one, assess a value or a whole table, validate a plan file.

Errors go to stderr as one line, with exit status 2 and no traceback; ``validate``
exits 1 when the file has problems, and ``report`` when rows of the table do.
Everything is said in the language of ``--lang`` (accepted anywhere on the line), else
``TDPLAN_LANG``, the locale, Vietnamese; an error's hint names the option to give
(``--khu-vuc "nông thôn"``, ``--residence rural``), never a Python keyword. ``assess``
reads the plan its ``--plan`` names first: each of its dimensions is an option.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import warnings
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tdplan.cli.arguments import (
    COMMAND_LINE,
    FORMATS,
    CommandLine,
    Parser,
    UsageError,
    argparse_speaks,
    build_parser,
    command_line,
    group_options,
    split_lang,
)
from tdplan.cli.exchange import areas_of, is_mapping, run_export, run_import, validate_mapping
from tdplan.cli.listing import indicator_table, lead_names
from tdplan.cli.problems import one_line, problem_lines
from tdplan.core.errors import InputTypeError, PlanDataWarning, TdplanError
from tdplan.core.i18n import N_, Message, default_lang, ntranslate, translate
from tdplan.core.model import Indicator, Plan
from tdplan.core.notation import Lang, format_number, format_value
from tdplan.core.text import clean
from tdplan.planfiles.loading import DEFAULT_PLAN, load_plan, read_file, read_plan
from tdplan.planfiles.schema_words import plan_schema_in

if TYPE_CHECKING:
    from tdplan.analysis.scorecard import Scorecard
    from tdplan.reports.render import ReportFormat

__all__ = ["main"]

_FORMATS = FORMATS


def _show(plan: Plan, indicator: Indicator, lang: Lang, out: TextIO, ids: bool = False) -> None:
    def line(label: Message, text: str) -> str:
        return Message("{label}: {text}", label=label, text=text).text(lang).rstrip()

    goal = plan.goal(indicator.goal)
    lines = [
        line(Message("Indicator {id}", id=indicator.id), indicator.name(lang)),
        line(Message("Goal {number}", number=goal.number), goal.title(lang)),
    ]
    if indicator.measure is not None:
        lines.append(line(Message("Numerator"), indicator.measure(lang)))
    if indicator.population is not None:
        lines.append(line(Message("Denominator"), indicator.population(lang)))
    lines.append(line(Message("Targets"), ""))
    for target in indicator.targets:
        note = f" — {target.note(lang)}" if target.note else ""
        lines.append(f"  {target.describe(lang)}{note}")
    leads = ", ".join(lead_names(plan, indicator, lang, ids))
    lines.append(line(Message("Lead"), leads))
    lines += [line(Message("Note"), note(lang)) for note in indicator.notes]
    if indicator.source:
        lines.append(line(Message("Source (Vietnamese)"), indicator.source))
    out.write("\n".join(clean(line) for line in lines) + "\n")


def _assess(plan: Plan, args: argparse.Namespace, lang: Lang, out: TextIO) -> None:
    given = [(option.dimension, getattr(args, option.dest, None)) for option in group_options(plan)]
    groups = {name: group for name, group in given if group is not None}
    result = plan.assess(args.id, args.value, args.unit, year=args.year, disaggregation=groups or None)
    margin = format_value(result.margin, result.target.unit, lang)
    heading = Message(
        "Indicator {id} ({year}): {explanation}",
        id=result.indicator.id,
        year=result.year,
        explanation=result.explain(lang),
    )
    out.write(heading.text(lang) + "\n")
    verdict = Message(
        "Result: {status} ({code}); margin: {margin}",
        status=result.status.label(lang),
        code=result.status.value,
        margin=margin,
    )
    out.write(verdict.text(lang) + "\n")


def _validate(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    path, data, fmt = read_file(args.file, args.format)
    if is_mapping(data):
        return validate_mapping(args, load_plan(args.plan), lang, out)
    plan, problems = read_plan(data, fmt)
    for problem in problems:
        where = f"{path}:{problem.line}" if problem.line is not None else str(path)
        label = translate(N_("warning: "), lang) if problem.severity == "warning" else ""
        out.write(f"{where}: {problem.path}: {label}{problem.text(lang)}\n")
    if plan is None:
        errors = sum(problem.severity == "error" for problem in problems)
        out.write(
            ntranslate("{path}: {n} error", "{path}: {n} errors", errors, lang).format(path=path, n=errors) + "\n"
        )
        return 1
    counts = {
        "goals": ntranslate("{n} goal", "{n} goals", len(plan.goals), lang).format(n=len(plan.goals)),
        "indicators": ntranslate("{n} indicator", "{n} indicators", len(plan.indicators), lang).format(
            n=len(plan.indicators)
        ),
        "agencies": ntranslate("{n} agency", "{n} agencies", len(plan.agencies), lang).format(n=len(plan.agencies)),
    }
    valid = Message("{path}: valid plan '{id}' ({goals}, {indicators}, {agencies})", path=path, id=plan.id, **counts)
    out.write(valid.text(lang) + "\n")
    return 0


def _utf8(stream: TextIO) -> TextIO:
    """The stream, writing UTF-8 if its own encoding cannot hold Vietnamese (a redirect on Windows, cp1252)."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        try:
            "ệ‰".encode(encoding or "ascii")
        except (LookupError, UnicodeEncodeError):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    return stream


class _Progress:
    """``đánh giá 12.000/100.000 dòng (12%)`` on a terminal's stderr, once a run has taken ``delay`` seconds."""

    def __init__(self, stream: TextIO, lang: Lang, delay: float = 0.5) -> None:
        self.stream, self.lang, self.delay = stream, lang, delay
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total <= 0:
            return
        if now - self.started < self.delay or now - self.shown < 0.1:
            return
        self.shown = now
        words = Message(
            "tdplan: assessing {done}/{total} rows ({percent}%)",
            done=format_number(Decimal(done), self.lang),
            total=format_number(Decimal(total), self.lang),
            percent=done * 100 // total,
        )
        self.stream.write("\r" + words.text(self.lang))
        self.stream.flush()

    def say(self, message: str) -> None:
        """Say what comes next (a message of the catalog), on the same line, if progress is being shown."""
        if self.shown:
            self.stream.write("\r\x1b[K" + translate(message, self.lang))
            self.stream.flush()

    def finish(self) -> None:
        """Clear the line (the terminal is its only reader), so that nothing else is written after it."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = 0.0


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _assess_file(
    plan: Plan,
    file: str,
    progress: _Progress | None,
    areas: list[str] | None = None,
    sheet: str | None = None,
    decimal: str | None = None,
) -> Scorecard:
    """``plan.assess_table(file)``, telling ``progress`` how far it has got."""
    from tdplan.analysis.tables import assess_table

    return assess_table(plan, file, progress=progress, areas=areas, sheet=sheet, decimal=decimal)


def _report(plan: Plan, args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from tdplan.reports.render import check_options, format_for, refuse_table, render, stream_report, write_report

    fmt: ReportFormat = args.format or (format_for(args.output) if args.output else "table")
    check_options(lang, args.by, fmt)
    if args.output:
        refuse_table(Path(args.output), args.file)
    elif fmt == "xlsx":
        raise InputTypeError("an Excel report is a file: give its name with -o, such as -o bao-cao.xlsx")
    color = fmt == "table" and not args.output and _isatty(out) and not os.environ.get("NO_COLOR")
    progress = _Progress(err, lang) if _isatty(err) else None
    text = ""
    try:
        card = _assess_file(plan, args.file, progress, areas_of(args), args.sheet, args.decimal)
        if progress is not None:
            progress.say(N_("tdplan: writing the report…"))
        if args.output:
            write_report(card, args.output, fmt, lang=lang, by=args.by, source=clean(args.file))
        elif fmt not in ("json", "csv"):  # JSON and CSV are streamed below, row by row
            output = render(card, fmt, lang=lang, by=args.by, color=color, source=clean(args.file))
            text = output if isinstance(output, str) else ""  # xlsx goes only to a file (checked above)
    finally:
        if progress is not None:
            progress.finish()
    if args.output:
        rows = format_number(Decimal(len(card.rows)), lang)
        written = Message("Report written: {path} ({rows} rows)", path=args.output, rows=rows)
        err.write(one_line(written.text(lang)) + "\n")
    elif fmt == "csv" and hasattr(out, "buffer"):  # the bytes as they are: no \r\r\n from a Windows text stream
        out.flush()
        raw = io.TextIOWrapper(out.buffer, encoding="utf-8", errors="backslashreplace", newline="")
        stream_report(card, raw, "csv", lang=lang, by=args.by, source=clean(args.file))
        raw.flush()
        raw.detach()
    elif fmt in ("json", "csv"):
        stream_report(card, out, fmt, lang=lang, by=args.by, source=clean(args.file))
        out.flush()
    else:
        out.write(text)
        out.flush()
    for line in problem_lines(card, args.file, lang):
        err.write(line + "\n")
    return 1 if card.problems else 0


def _template(plan: Plan, args: argparse.Namespace, lang: Lang, err: TextIO) -> int:
    from tdplan.reports.template import write_template

    areas = areas_of(args)
    if areas is None:
        areas = list(plan.areas)  # the plan's areas that should report, if it names them
    year = args.year if args.year is not None else time.localtime().tm_year
    rows = write_template(plan, args.output, year=year, areas=areas, lang=lang)
    shown = format_number(Decimal(rows), lang)
    written = Message("Template written: {path} ({rows} rows)", path=args.output, rows=shown)
    err.write(one_line(written.text(lang)) + "\n")
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 1 invalid plan file or table rows, 2 unusable input).

    Everything it says is in the language of ``--lang`` (anywhere on the line), else
    :func:`~tdplan.core.i18n.default_lang`: help, argparse's own words, errors, warnings.
    """
    out = out or _utf8(sys.stdout)
    err = err or _utf8(sys.stderr)
    lang = default_lang()
    try:
        lang, words = split_lang(list(sys.argv[1:] if argv is None else argv), lang)
    except UsageError as error:
        _say_error(error, error.lang or lang, err)
        return 2
    surface = COMMAND_LINE
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanDataWarning)
        try:
            plan = _plan_with_groups(words, lang)
            if plan is not None:
                surface = command_line(plan)
            status = _run(words, lang, out, err, plan)
        except (UsageError, TdplanError) as error:
            _say_error(error, lang, err, surface)
            status = 2
        except BrokenPipeError:  # `tdplan indicators | head`: the reader left, which is not an error
            status = 0
    for warning in caught:
        message = warning.message
        text = message.message(lang) if isinstance(message, PlanDataWarning) else str(message)
        err.write(one_line(Message("tdplan: warning: {message}", message=text).text(lang)) + "\n")
    return status


def _plan_with_groups(words: list[str], lang: Lang) -> Plan | None:
    """For ``tdplan assess``, the plan its ``--plan`` names, whose dimensions are options; else None.

    None too where ``--plan`` cannot be read from the line: parsing the whole line says why.
    """
    if next((word for word in words if not word.startswith("-")), None) != "assess":
        return None
    early = Parser(add_help=False)
    early.add_argument("--plan", default=DEFAULT_PLAN)
    try:
        with argparse_speaks(lang):
            known, _ = early.parse_known_args(words)
    except UsageError:
        return None
    return load_plan(known.plan)


def _say_error(error: Exception, lang: Lang, err: TextIO, surface: CommandLine = COMMAND_LINE) -> None:
    """The error as one line on stderr, in ``lang``, in the command line's words (``surface``)."""
    message = error.message(lang, surface) if isinstance(error, TdplanError) else str(error)
    err.write(one_line(Message("tdplan: error: {message}", message=message).text(lang)) + "\n")


def _serve(args: argparse.Namespace) -> int:
    """``tdplan serve``: the web service, until stopped (the ``serve`` extra, imported only here)."""
    from tdplan.service import require_serve

    require_serve()
    from tdplan.service.config import ServiceConfig
    from tdplan.service.server import read_token, serve

    token = read_token(args.token_file) if args.token_file else (os.environ.get("TDPLAN_TOKEN") or "").strip() or None
    config = ServiceConfig(
        plans_dir=args.plans,
        token=token,
        cors_origins=tuple(args.cors_origin),
        max_body_bytes=args.max_body_bytes,
        max_batch=args.max_batch,
        timeout=args.timeout,
        max_jobs=args.max_jobs,
        access_log=not args.no_access_log,
    )
    serve(config, host=args.host, port=args.port, workers=args.workers)
    return 0


def _check_sheet(args: argparse.Namespace) -> None:
    """``--sheet`` names a workbook's sheet: with a CSV file it is an error, in every subcommand that has it."""
    from tdplan.analysis.reading import WORKBOOK_SUFFIXES

    file = getattr(args, "file", None)
    if getattr(args, "sheet", None) is not None and file and Path(file).suffix.lower() not in WORKBOOK_SUFFIXES:
        raise InputTypeError(
            "--sheet only applies to Excel workbooks (.xlsx, .xlsm, .xls); {file} is read as CSV: leave --sheet out",
            file=clean(Path(file).name),
            code="sheet_not_workbook",
        )


def _run(argv: list[str], lang: Lang, out: TextIO, err: TextIO, plan: Plan | None = None) -> int:
    """The command on ``argv``; ``plan``, where given, is the one ``--plan`` names (its dimensions are options)."""
    with argparse_speaks(lang):
        args = build_parser(lang, group_options(plan) if plan is not None else ()).parse_args(argv)
    _check_sheet(args)
    if args.command == "schema":
        out.write(plan_schema_in(lang))
        return 0
    if args.command == "validate":
        return _validate(args, lang, out)
    if args.command == "serve":
        return _serve(args)
    plan = plan or load_plan(args.plan)
    if args.command == "indicators":
        out.write(indicator_table(plan, lang, wide=args.wide, ids=args.ids))
    elif args.command == "report":
        return _report(plan, args, lang, out, err)
    elif args.command == "template":
        return _template(plan, args, lang, err)
    elif args.command == "export":
        return run_export(plan, args, lang, out, err)
    elif args.command == "import":
        return run_import(plan, args, lang, out)
    elif args.command == "show":
        _show(plan, plan.indicator(args.id), lang, out, args.ids)
    else:
        _assess(plan, args, lang, out)
    return 0
