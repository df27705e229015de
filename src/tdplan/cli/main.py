"""The ``tdplan`` command: list the indicators, show one, assess a value or a whole table, validate a plan file.

Errors go to stderr as one line, with exit status 2 and no traceback; ``validate``
exits 1 when the file has problems, and ``report`` when rows of the table do.
Everything is said in the language of ``--lang`` (accepted anywhere on the line), else
``TDPLAN_LANG``, the locale, Vietnamese; an error's hint names the option to give
(``--residence rural``), never a Python keyword.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from tdplan.core.errors import Hint, PlanDataWarning, PlanFileError, TdplanError, os_reason
from tdplan.core.i18n import LANGS, N_, Message, default_lang, either, ntranslate, translate
from tdplan.core.model import Indicator, Plan
from tdplan.core.notation import Lang, format_number, format_value
from tdplan.core.version import version
from tdplan.planfiles.format import plan_schema
from tdplan.planfiles.loading import load_plan, read_file, read_plan

if TYPE_CHECKING:
    from tdplan.analysis.scorecard import Scorecard
    from tdplan.reports.render import ReportFormat

__all__ = ["ARGPARSE_MESSAGES", "COMMAND_LINE", "CommandLine", "main", "split_lang"]

_FORMATS = ("table", "md", "html", "json", "csv")  # tdplan.reports.render.REPORT_FORMATS, which loads only for `report`

_HEADINGS = (N_("ID"), N_("Goal"), N_("Indicator"), N_("Targets"), N_("Lead"))

# argparse's own words, which it passes through gettext (``argparse._``): translated in tdplan's
# catalog and given to argparse in the command's language while the command line is read.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)
"""argparse's messages that a user can see, marked for the catalog."""

_ARGPARSE_LOCK = threading.Lock()


@contextlib.contextmanager
def _argparse_speaks(lang: Lang) -> Iterator[None]:
    """argparse's own words in ``lang`` for the time of the block (its ``_`` and ``ngettext``), under a lock."""
    with _ARGPARSE_LOCK:
        saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
        argparse._ = functools.partial(_translated, lang=lang)  # type: ignore[attr-defined]
        argparse.ngettext = functools.partial(_ntranslated, lang=lang)  # type: ignore[attr-defined]
        try:
            yield
        finally:
            argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _translated(message: str, lang: Lang) -> str:
    return translate(message, lang)


def _ntranslated(singular: str, plural: str, count: int, lang: Lang) -> str:
    return ntranslate(singular, plural, count, lang)


class _UsageError(Exception):
    """Arguments the command cannot use (the message is argparse's, in the command's language)."""

    def __init__(self, message: str, lang: Lang | None = None) -> None:
        super().__init__(message)
        self.lang = lang


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


class CommandLine:
    """The words of the command line, for an error's :class:`~tdplan.Hint`: ``--residence rural``, ``--unit %``."""

    def spell(self, value: Any, lang: str) -> str | None:
        """A hint as the options to give; None for anything else."""
        if not isinstance(value, Hint):
            return None
        if value.argument == "series":
            return translate(N_("with tdplan's Python library"), lang)
        if value.argument in ("disaggregation", "groups"):
            return either(
                [" ".join(f"--{name} {group}" for name, group in item.items()) for item in value.groups], lang
            )
        return either([f"--{value.argument} {item}" for item in value.values], lang)


COMMAND_LINE = CommandLine()
"""The command line as a :class:`~tdplan.core.i18n.Surface`: errors say which option to give."""


def split_lang(argv: Sequence[str], default: Lang = "vi") -> tuple[Lang, list[str]]:
    """``--lang vi|en`` taken from anywhere on the command line (else ``default``), and the other arguments.

    >>> split_lang(["assess", "3", "16", "--lang", "en", "--year", "2025"])
    ('en', ['assess', '3', '16', '--year', '2025'])
    >>> split_lang(["--lang=en", "indicators"])
    ('en', ['indicators'])
    """
    lang: Lang = default
    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            rest += [word, *words]
            break
        if word != "--lang" and not word.startswith("--lang="):
            rest.append(word)
            continue
        value = word.partition("=")[2] if "=" in word else next(words, None)
        if value is None:
            raise _UsageError(_argument_message(translate("expected one argument", lang), lang), lang)
        if value not in LANGS:
            choices = ", ".join(repr(choice) for choice in LANGS)
            wrong = translate("invalid choice: %(value)r (choose from %(choices)s)", lang)
            raise _UsageError(_argument_message(wrong % {"value": value, "choices": choices}, lang), lang)
        lang = "en" if value == "en" else "vi"
    return lang, rest


def _argument_message(message: str, lang: Lang) -> str:
    return translate("argument %(argument_name)s: %(message)s", lang) % {"argument_name": "--lang", "message": message}


def _build_parser(lang: Lang) -> argparse.ArgumentParser:
    """The parser, its help in ``lang`` (build it inside :func:`_argparse_speaks`)."""

    def t(message: str) -> str:
        return translate(message, lang)

    def year(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            message = Message("{value!r} is not a year: write it as 2025", value=text)
            raise argparse.ArgumentTypeError(message.text(lang)) from None

    parser = _Parser(
        prog="tdplan",
        description=t(N_("Check figures against the Tam Đường plan for children 2021–2030.")),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"tdplan {version()}",
        help=t(N_("show the version of tdplan and exit")),
    )
    language = _Parser(add_help=False)
    for where in (parser, language):  # read by split_lang, anywhere on the line; here for the help
        where.add_argument(
            "--lang",
            choices=LANGS,
            help=t(N_("language of the output: vi or en (default: TDPLAN_LANG, else the locale, else vi)")),
        )
    plan = _Parser(add_help=False)
    plan.add_argument(
        "--plan",
        default="tam-duong-2021-2030",
        metavar=t(N_("PLAN")),
        help=t(N_("a shipped plan's id, or a .toml or .json plan file (default: tam-duong-2021-2030)")),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar=t(N_("COMMAND")))

    commands.add_parser(
        "indicators",
        parents=[language, plan],
        help=t(N_("list every indicator and its targets")),
        description=t(N_("List every indicator of the plan, with its targets and lead offices.")),
    )

    show = commands.add_parser(
        "show",
        parents=[language, plan],
        help=t(N_("show one indicator in full")),
        description=t(N_("Show one indicator in full: its goal, measure, targets, lead offices and notes.")),
    )
    show.add_argument("id", metavar=t(N_("INDICATOR")), help=t(N_("indicator id: 1 … 29, 15b, 25b")))

    validate = commands.add_parser(
        "validate",
        parents=[language],
        help=t(N_("check a plan file and list every problem (exit 1 if any)")),
        description=t(N_("Check a plan file and list every problem, with its line (exit 1 if any).")),
    )
    validate.add_argument("file", metavar=t(N_("FILE")), help=t(N_("a .toml or .json plan file")))
    validate.add_argument(
        "--format", choices=["toml", "json"], help=t(N_("the file's format (default: from its name)"))
    )

    commands.add_parser(
        "schema",
        parents=[language],
        help=t(N_("print the JSON Schema of plan files")),
        description=t(N_("Print the JSON Schema of plan files.")),
    )

    assess = commands.add_parser(
        "assess",
        parents=[language, plan],
        help=t(N_("assess a measured value")),
        description=t(N_("Say whether a measured value meets its target for a year, and by how much.")),
    )
    assess.add_argument("id", metavar=t(N_("INDICATOR")), help=t(N_("indicator id: 1 … 29, 15b, 25b")))
    assess.add_argument("value", metavar=t(N_("VALUE")), help=t(N_("the value, e.g. 16,5‰ or 97.2 or 50/100.000")))
    assess.add_argument(
        "--year",
        type=year,
        required=True,
        metavar=t(N_("YEAR")),
        help=t(N_("the year the value is for (2021–2030)")),
    )
    assess.add_argument(
        "--unit",
        metavar=t(N_("UNIT")),
        help=t(N_("unit of a bare number: %%, ‰ or /100.000 (default: the indicator's)")),
    )
    assess.add_argument("--residence", metavar=t(N_("GROUP")), help=t(N_("for indicator 8: rural or urban")))
    assess.add_argument("--age", metavar=t(N_("GROUP")), help=t(N_("for indicator 20: 2-3 or 3-5")))

    report = commands.add_parser(
        "report",
        parents=[language, plan],
        help=t(N_("assess a table of figures and write a report (exit 1 if some rows cannot be assessed)")),
        description=t(N_("Assess every row of a table of figures and write the scorecard as a report.")),
    )
    report.add_argument(
        "file",
        metavar=t(N_("FILE")),
        help=t(N_("a CSV table: indicator, value (or numerator and denominator), year, area …")),
    )
    report.add_argument(
        "--format",
        choices=_FORMATS,
        help=t(N_("table (a terminal table), md, html, json or csv (default: from OUT's suffix, else table)")),
    )
    report.add_argument(
        "--by",
        choices=["goal", "agency", "area", "year"],
        help=t(N_("the roll-up to show (default: goal and agency)")),
    )
    report.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help=t(N_("write the report to OUT instead of standard output")),
    )
    return parser


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n")


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _indicators(plan: Plan, lang: Lang, out: TextIO) -> None:
    rows: list[tuple[str, ...]] = [tuple(translate(heading, lang) for heading in _HEADINGS)]
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
    leads = ", ".join(f"{plan.agency(id).name(lang)} ({id})" for id in indicator.lead_agencies)
    lines.append(line(Message("Lead"), leads))
    lines += [line(Message("Note"), note(lang)) for note in indicator.notes]
    if indicator.source:
        lines.append(line(Message("Source (Vietnamese)"), indicator.source))
    out.write("\n".join(lines) + "\n")


def _assess(plan: Plan, args: argparse.Namespace, lang: Lang, out: TextIO) -> None:
    groups = {name: getattr(args, name) for name in ("residence", "age") if getattr(args, name) is not None}
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
        code=result.status.name,
        margin=margin,
    )
    out.write(verdict.text(lang) + "\n")


def _validate(args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    path, data, fmt = read_file(args.file, args.format)
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


def _assess_file(plan: Plan, file: str, progress: _Progress | None) -> Scorecard:
    """``plan.assess_table(file)``, telling ``progress`` how far it has got."""
    from tdplan.analysis.tables import assess_table

    return assess_table(plan, file, progress=progress)


def _write(path: str, text: str, table: str) -> None:
    """Write the report to ``path`` as UTF-8, line endings as they are; never over the table it reports on."""
    target = Path(path)
    try:
        if target.exists() and target.resolve() == Path(table).resolve():
            raise PlanFileError("{path}: is the table itself: write the report to another file", path=path)
        with target.open("w", encoding="utf-8", newline="") as file:
            file.write(text)
    except PlanFileError:
        raise
    except OSError as error:
        raise PlanFileError("{path}: cannot write the report: {reason}", path=path, reason=os_reason(error)) from None


def _report(plan: Plan, args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    from tdplan.reports.render import render

    fmt: ReportFormat = args.format or (
        _SUFFIXES.get(Path(args.output).suffix.lower(), "table") if args.output else "table"
    )
    color = fmt == "table" and not args.output and _isatty(out) and not os.environ.get("NO_COLOR")
    progress = _Progress(err, lang) if _isatty(err) else None
    try:
        card = _assess_file(plan, args.file, progress)
        if progress is not None:
            progress.say(N_("tdplan: writing the report…"))
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
        message = " ".join(problem.message(lang).split())
        line = Message("{file}: row {row}: {message}", file=args.file, row=problem.row, message=message)
        err.write(_one_line(line.text(lang)) + "\n")
    return 1 if card.problems else 0


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
    except _UsageError as error:
        _say_error(error, error.lang or lang, err)
        return 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanDataWarning)
        try:
            status = _run(words, lang, out, err)
        except (_UsageError, TdplanError) as error:
            _say_error(error, lang, err)
            status = 2
        except BrokenPipeError:  # `tdplan indicators | head`: the reader left, which is not an error
            status = 0
    for warning in caught:
        message = warning.message
        text = message.message(lang) if isinstance(message, PlanDataWarning) else str(message)
        err.write(_one_line(Message("tdplan: warning: {message}", message=text).text(lang)) + "\n")
    return status


def _say_error(error: Exception, lang: Lang, err: TextIO) -> None:
    """The error as one line on stderr, in ``lang``, in the command line's words."""
    message = error.message(lang, COMMAND_LINE) if isinstance(error, TdplanError) else str(error)
    err.write(_one_line(Message("tdplan: error: {message}", message=message).text(lang)) + "\n")


def _run(argv: list[str], lang: Lang, out: TextIO, err: TextIO) -> int:
    with _argparse_speaks(lang):
        args = _build_parser(lang).parse_args(argv)
    if args.command == "schema":
        out.write(plan_schema())
        return 0
    if args.command == "validate":
        return _validate(args, lang, out)
    plan = load_plan(args.plan)
    if args.command == "indicators":
        _indicators(plan, lang, out)
    elif args.command == "report":
        return _report(plan, args, lang, out, err)
    elif args.command == "show":
        _show(plan, plan.indicator(args.id), lang, out)
    else:
        _assess(plan, args, lang, out)
    return 0
