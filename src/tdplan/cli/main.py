"""The ``tdplan`` command: list the indicators, show one, assess a value or a whole table, validate a plan file.

Errors go to stderr as one line, with exit status 2 and no traceback; ``validate``
exits 1 when the file has problems, and ``report`` when rows of the table do.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from tdplan.cli.exchange import (
    add_areas,
    add_exchange_commands,
    areas_of,
    is_mapping,
    run_export,
    run_import,
    validate_mapping,
)
from tdplan.core.errors import PlanFileError, TdplanError
from tdplan.core.model import Indicator, Plan
from tdplan.core.notation import Lang, format_number, format_value
from tdplan.core.version import version
from tdplan.planfiles.format import plan_schema
from tdplan.planfiles.loading import load_plan, read_file, read_plan

if TYPE_CHECKING:
    from tdplan.analysis.scorecard import Scorecard
    from tdplan.reports.render import ReportFormat

__all__ = ["main"]

_FORMATS = ("table", "md", "html", "json", "csv")  # tdplan.reports.render.REPORT_FORMATS, which loads only for `report`

_HEADINGS = {
    "vi": ("Mã", "MT", "Chỉ tiêu", "Mức phấn đấu", "Cơ quan chủ trì"),
    "en": ("ID", "Goal", "Indicator", "Targets", "Lead"),
}


class _UsageError(Exception):
    """Arguments the command cannot use."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tdplan",
        description="Check figures against the Tam Đường plan for children 2021–2030.",
    )
    parser.add_argument("--version", action="version", version=f"tdplan {version()}")
    lang = _Parser(add_help=False)
    lang.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the output (default: vi)")
    plan = _Parser(add_help=False)
    plan.add_argument(
        "--plan",
        default="tam-duong-2021-2030",
        help="a shipped plan's id, or a .toml or .json plan file (default: tam-duong-2021-2030)",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    commands.add_parser("indicators", parents=[lang, plan], help="list every indicator and its targets")

    show = commands.add_parser("show", parents=[lang, plan], help="show one indicator in full")
    show.add_argument("id", help="indicator id: 1 … 29, 15b, 25b")

    validate = commands.add_parser(
        "validate", parents=[lang, plan], help="check a plan file (or a DHIS2 mapping file) and list every problem"
    )
    validate.add_argument("file", help="a .toml or .json plan file, or DHIS2 mapping file (checked against --plan)")
    validate.add_argument("--format", choices=["toml", "json"], help="the file's format (default: from its name)")

    commands.add_parser("schema", help="print the JSON Schema of plan files")

    assess = commands.add_parser("assess", parents=[lang, plan], help="assess a measured value")
    assess.add_argument("id", help="indicator id: 1 … 29, 15b, 25b")
    assess.add_argument("value", help="the value, e.g. 16,5‰ or 97.2 or 50/100.000")
    assess.add_argument("--year", type=int, required=True, help="the year the value is for (2021–2030)")
    assess.add_argument("--unit", help="unit of a bare number: %%, ‰ or /100.000 (default: the indicator's)")
    assess.add_argument("--residence", help="for indicator 8: rural or urban")
    assess.add_argument("--age", help="for indicator 20: 2-3 or 3-5")

    report = commands.add_parser(
        "report",
        parents=[lang, plan],
        help="assess a table of figures and write a report (exit 1 if some rows cannot be assessed)",
    )
    report.add_argument("file", help="a CSV table: indicator, value (or numerator and denominator), year, area …")
    report.add_argument(
        "--format",
        choices=_FORMATS,
        help="table (a terminal table), md, html, json or csv (default: from OUT's suffix, else table)",
    )
    report.add_argument(
        "--by", choices=["goal", "agency", "area", "year"], help="the roll-up to show (default: goal and agency)"
    )
    report.add_argument("-o", "--output", metavar="OUT", help="write the report to OUT instead of standard output")
    add_areas(report)
    add_exchange_commands(commands, [lang, plan])  # export, import: cli/exchange.py
    return parser


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n")


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _indicators(plan: Plan, lang: Lang, out: TextIO) -> None:
    rows: list[tuple[str, ...]] = [_HEADINGS[lang]]
    rows += [
        (
            ind.id,
            str(ind.goal),
            _short(ind.name(lang)),
            ind.describe_targets(lang),
            ", ".join(ind.lead_agencies),
        )
        for ind in plan.indicators
    ]
    _table(rows, out)


def _show(plan: Plan, indicator: Indicator, lang: Lang, out: TextIO) -> None:
    vi = lang == "vi"
    goal = plan.goal(indicator.goal)
    lines = [
        f"{'Chỉ tiêu' if vi else 'Indicator'} {indicator.id}: {indicator.name(lang)}",
        f"{'Mục tiêu' if vi else 'Goal'} {goal.number}: {goal.title(lang)}",
    ]
    if indicator.measure is not None:
        lines.append(f"{'Tử số' if vi else 'Numerator'}: {indicator.measure(lang)}")
    if indicator.population is not None:
        lines.append(f"{'Mẫu số' if vi else 'Denominator'}: {indicator.population(lang)}")
    lines.append(f"{'Mức phấn đấu' if vi else 'Targets'}:")
    for target in indicator.targets:
        note = f" — {target.note(lang)}" if target.note else ""
        lines.append(f"  {target.describe(lang)}{note}")
    leads = ", ".join(f"{plan.agency(id).name(lang)} ({id})" for id in indicator.lead_agencies)
    lines.append(f"{'Cơ quan chủ trì' if vi else 'Lead'}: {leads}")
    lines += [f"{'Ghi chú' if vi else 'Note'}: {note(lang)}" for note in indicator.notes]
    if indicator.source:
        lines.append(f"{'Nguyên văn' if vi else 'Source (Vietnamese)'}: {indicator.source}")
    out.write("\n".join(lines) + "\n")


def _assess(plan: Plan, args: argparse.Namespace, lang: Lang, out: TextIO) -> None:
    groups = {name: getattr(args, name) for name in ("residence", "age") if getattr(args, name) is not None}
    result = plan.assess(args.id, args.value, args.unit, year=args.year, disaggregation=groups or None)
    margin = format_value(result.margin, result.target.unit, lang)
    heading = "Chỉ tiêu" if lang == "vi" else "Indicator"
    out.write(f"{heading} {result.indicator.id} ({result.year}): {result.explain(lang)}\n")
    label = ("Kết quả", "chênh lệch") if lang == "vi" else ("Result", "margin")
    out.write(f"{label[0]}: {result.status.label(lang)} ({result.status.name}); {label[1]}: {margin}\n")


def _validate(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    path, data, fmt = read_file(args.file, args.format)
    if is_mapping(data):
        return validate_mapping(args, load_plan(args.plan), lang, out)
    plan, problems = read_plan(data, fmt)
    for problem in problems:
        where = f"{path}:{problem.line}" if problem.line is not None else str(path)
        label = ("cảnh báo: " if lang == "vi" else "warning: ") if problem.severity == "warning" else ""
        out.write(f"{where}: {problem.path}: {label}{problem.text(lang)}\n")
    if plan is None:
        errors = sum(problem.severity == "error" for problem in problems)
        out.write(f"{path}: {errors} lỗi\n" if lang == "vi" else f"{path}: {errors} error(s)\n")
        return 1
    counts = (len(plan.goals), len(plan.indicators), len(plan.agencies))
    if lang == "vi":
        out.write(
            f"{path}: kế hoạch hợp lệ '{plan.id}' ({counts[0]} mục tiêu, {counts[1]} chỉ tiêu, {counts[2]} cơ quan)\n"
        )
    else:
        out.write(f"{path}: valid plan '{plan.id}' ({counts[0]} goals, {counts[1]} indicators, {counts[2]} agencies)\n")
    return 0


def _one_line(text: str) -> str:
    """A message as one line with no control characters: a table's header must not drive the terminal."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _utf8(stream: TextIO) -> TextIO:
    """The stream, writing UTF-8 if its own encoding cannot hold Vietnamese (a redirect on Windows, cp1252)."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        try:
            "ệ‰".encode(encoding or "ascii")
        except (LookupError, UnicodeEncodeError):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    return stream


_SUFFIXES: dict[str, ReportFormat] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
}


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
        counts = f"{format_number(Decimal(done), self.lang)}/{format_number(Decimal(total), self.lang)}"
        words = "tdplan: đánh giá {} dòng ({}%)" if self.lang == "vi" else "tdplan: assessing {} rows ({}%)"
        self.stream.write("\r" + words.format(counts, done * 100 // total))
        self.stream.flush()

    def say(self, vi: str, en: str) -> None:
        """Say what comes next, on the same line, if progress is being shown."""
        if self.shown:
            self.stream.write("\r\x1b[K" + (vi if self.lang == "vi" else en))
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


def _assess_file(plan: Plan, file: str, progress: _Progress | None, areas: list[str] | None = None) -> Scorecard:
    """``plan.assess_table(file)``, telling ``progress`` how far it has got."""
    from tdplan.analysis.tables import assess_table

    return assess_table(plan, file, progress=progress, areas=areas)


def _write(path: str, text: str, table: str) -> None:
    """Write the report to ``path`` as UTF-8, line endings as they are; never over the table it reports on."""
    target = Path(path)
    try:
        if target.exists() and target.resolve() == Path(table).resolve():
            raise PlanFileError(f"{path}: is the table itself: write the report to another file")
        with target.open("w", encoding="utf-8", newline="") as file:
            file.write(text)
    except PlanFileError:
        raise
    except OSError as error:
        raise PlanFileError(f"{path}: cannot write the report: {error.strerror or error}") from None


def _report(plan: Plan, args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from tdplan.reports.render import render

    fmt: ReportFormat = args.format or (
        _SUFFIXES.get(Path(args.output).suffix.lower(), "table") if args.output else "table"
    )
    color = fmt == "table" and not args.output and _isatty(out) and not os.environ.get("NO_COLOR")
    progress = _Progress(err, lang) if _isatty(err) else None
    try:
        card = _assess_file(plan, args.file, progress, areas_of(args))
        if progress is not None:
            progress.say("tdplan: đang viết báo cáo…", "tdplan: writing the report…")
        text = render(card, fmt, lang=lang, by=args.by, color=color, source=args.file)
    finally:
        if progress is not None:
            progress.finish()
    if args.output:
        _write(args.output, text, args.file)
    elif fmt == "csv" and hasattr(out, "buffer"):  # the bytes as they are: no \r\r\n from a Windows text stream
        out.flush()
        out.buffer.write(text.encode("utf-8"))
        out.buffer.flush()
    else:
        out.write(text)
        out.flush()
    for problem in card.problems:
        message = " ".join(problem.message.split())
        err.write(_one_line(f"{args.file}: row {problem.row}: {message}") + "\n")
    return 1 if card.problems else 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 1 invalid plan file or table rows, 2 unusable input)."""
    out = out or _utf8(sys.stdout)
    err = err or _utf8(sys.stderr)
    try:
        args = _build_parser().parse_args(argv)
        if args.command == "schema":
            out.write(plan_schema())
            return 0
        lang: Lang = args.lang
        if args.command == "validate":
            return _validate(args, lang, out)
        plan = load_plan(args.plan)
        if args.command == "indicators":
            _indicators(plan, lang, out)
        elif args.command == "report":
            return _report(plan, args, lang, out, err)
        elif args.command == "export":
            return run_export(plan, args, lang, out, err)
        elif args.command == "import":
            return run_import(plan, args, lang, out)
        elif args.command == "show":
            _show(plan, plan.indicator(args.id), lang, out)
        else:
            _assess(plan, args, lang, out)
    except (_UsageError, TdplanError) as error:
        err.write(_one_line(f"tdplan: error: {error}") + "\n")
        return 2
    except BrokenPipeError:  # `tdplan indicators | head`: the reader left, which is not an error
        return 0
    return 0
