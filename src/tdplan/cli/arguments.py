"""The command line's arguments, in the user's language: the parser, argparse's own words, ``--lang`` anywhere.

argparse passes its own words ("usage:", "the following arguments are required" …)
through gettext's ``_``; :func:`argparse_speaks` gives it tdplan's catalog in the
command's language while the parser is built and used. :data:`COMMAND_LINE` words an
error's :class:`~tdplan.Hint` as the option to give (``--residence rural``);
:func:`command_line` does so with a plan's own options, Vietnamese in Vietnamese
(``--khu-vuc "nông thôn"``). :func:`group_options` gives ``tdplan assess`` an option
for each of a plan's dimensions, by its code and by its Vietnamese name.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NoReturn

import attrs

from tdplan.cli.exchange import add_areas, add_exchange_commands
from tdplan.core.dimensions import group_words, option_word
from tdplan.core.errors import Hint
from tdplan.core.i18n import LANGS, N_, Lang, Message, either, ntranslate, translate
from tdplan.core.model import Plan
from tdplan.core.version import version
from tdplan.core.vocabulary import Text

__all__ = [
    "ARGPARSE_MESSAGES",
    "COMMAND_LINE",
    "FORMATS",
    "CommandLine",
    "GroupOption",
    "Parser",
    "UsageError",
    "argparse_speaks",
    "build_parser",
    "command_line",
    "group_options",
    "split_lang",
]

FORMATS = ("table", "md", "html", "json", "csv", "xlsx")
"""tdplan.reports.render.REPORT_FORMATS, which loads only for `report`."""

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
def argparse_speaks(lang: Lang) -> Iterator[None]:
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


class UsageError(Exception):
    """Arguments the command cannot use (the message is argparse's, in the command's language)."""

    def __init__(self, message: str, lang: Lang | None = None) -> None:
        super().__init__(message)
        self.lang = lang


class Parser(argparse.ArgumentParser):
    """A parser that raises :class:`UsageError` instead of printing and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


@attrs.frozen
class GroupOption:
    """One of a plan's dimensions as ``tdplan assess`` takes it: ``--khu-vuc`` and ``--residence``.

    ``words`` are the option's words in Vietnamese and English (without ``--``);
    ``dimension`` is the dimension's code, ``name`` its name, ``groups`` its groups'
    labels, ``indicators`` the indicators whose targets it splits.
    """

    dimension: str
    words: Text
    name: Text
    groups: tuple[Text, ...]
    indicators: tuple[str, ...]

    @property
    def dest(self) -> str:
        """Where argparse keeps the group given."""
        return f"group:{self.dimension}"

    def flags(self, lang: str) -> list[str]:
        """The option's spellings, the one of ``lang`` first: ``['--khu-vuc', '--residence']`` in Vietnamese."""
        first, second = (self.words.vi, self.words.en) if lang == "vi" else (self.words.en, self.words.vi)
        return [f"--{word}" for word in dict.fromkeys((first, second)) if word]


def group_options(plan: Plan) -> tuple[GroupOption, ...]:
    """An option for each dimension the plan's targets are split by, in the plan's order.

    A declared dimension is named by its code and its Vietnamese option (the plan file's
    ``option``, else its Vietnamese name without accents); one a plan does not declare,
    by the name its targets use.

    >>> import tdplan
    >>> [option.flags("vi") for option in group_options(tdplan.load_plan())]
    [['--khu-vuc', '--residence'], ['--nhom-tuoi', '--age']]
    """
    indicators: dict[str, dict[str, None]] = {}  # each name targets use: the indicators, and the codes
    codes: dict[str, dict[str, None]] = {}
    for indicator in plan.indicators:
        for target in indicator.targets:
            for name, code in target.disaggregation.items():
                indicators.setdefault(name, {})[indicator.id] = None
                codes.setdefault(name, {})[code] = None
    options = []
    for dimension in plan.dimensions:
        words = dimension.options
        options.append(
            GroupOption(
                dimension.id,
                Text(words.vi or words.en, words.en or words.vi),
                dimension.name,
                tuple(group.label for group in dimension.groups),
                tuple(indicators.pop(dimension.id, {})),
            )
        )
    for name, ids in indicators.items():  # a plan that does not declare its dimensions: the codes its targets use
        word = option_word(name)
        options.append(GroupOption(name, Text(word, word), Text(name), tuple(map(Text, codes[name])), tuple(ids)))
    return tuple(option for option in options if option.words.vi and option.indicators)


class CommandLine:
    """The words of the command line, for an error's :class:`~tdplan.Hint`: ``--residence rural``, ``--unit %``.

    ``options`` gives each dimension's option words (:attr:`GroupOption.words`); a
    dimension it does not name is given by its code.
    """

    def __init__(self, options: Mapping[str, Text] | None = None) -> None:
        self.options = dict(options or {})

    def spell(self, value: Any, lang: str) -> str | None:
        """A hint as the options to give; None for anything else."""
        if not isinstance(value, Hint):
            return None
        if value.argument == "series":
            return translate(N_("with tdplan's Python library"), lang)
        if value.argument in ("disaggregation", "groups"):
            return either([" ".join(self._option(name, item, lang) for name in item) for item in value.groups], lang)
        return either([f"--{value.argument} {_word(str(item))}" for item in value.values], lang)

    def _option(self, name: str, groups: Mapping[str, str], lang: str) -> str:
        """``--khu-vuc "nông thôn"``, ``--residence rural``: a group by its label in ``lang``, if the plan gives one."""
        words = self.options.get(name)
        option = (words.vi if lang == "vi" else words.en) if words is not None else name
        return f"--{option} {_word(group_words(groups, name, lang))}"


def _word(text: str) -> str:
    """A value as it is typed on the command line: in quotes if it has spaces or is a lone comma or point."""
    return f'"{text}"' if any(char.isspace() for char in text) or text in (",", ".", ";") else text


def command_line(plan: Plan) -> CommandLine:
    """The command line for ``plan``: a hint names its dimensions' options, Vietnamese ones in Vietnamese."""
    return CommandLine({option.dimension: option.words for option in group_options(plan)})


COMMAND_LINE = CommandLine()
"""The command line as a :class:`~tdplan.core.i18n.Surface`: errors say which option to give (dimensions by code)."""


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
            raise UsageError(_argument_message(translate("expected one argument", lang), lang), lang)
        if value not in LANGS:
            choices = ", ".join(repr(choice) for choice in LANGS)
            wrong = translate("invalid choice: %(value)r (choose from %(choices)s)", lang)
            raise UsageError(_argument_message(wrong % {"value": value, "choices": choices}, lang), lang)
        lang = "en" if value == "en" else "vi"
    return lang, rest


def _add_groups(assess: argparse.ArgumentParser, groups: Sequence[GroupOption], lang: Lang) -> None:
    """An option for each dimension, the spelling of ``lang`` first; none that would take another option's name."""
    taken = set(assess._option_string_actions)
    for group in groups:
        flags = [flag for flag in group.flags(lang) if flag not in taken]
        if not flags:
            continue
        taken.update(flags)
        count = len(group.indicators)
        about = ntranslate(
            "{dimension}, for indicator {indicators}: {groups}",
            "{dimension}, for indicators {indicators}: {groups}",
            count,
            lang,
        ).format(
            dimension=group.name(lang),
            indicators=", ".join(group.indicators),
            groups=either([label(lang) for label in group.groups], lang),
        )
        assess.add_argument(
            *flags,
            dest=group.dest,
            metavar=translate(N_("GROUP"), lang),
            help=about.replace("%", "%%"),
            action=_OneGroup,
            lang=lang,
        )


class _OneGroup(argparse.Action):
    """A dimension's group, given once: ``--residence rural --khu-vuc "thành thị"`` is refused, not half read."""

    def __init__(self, *args: Any, lang: Lang = "vi", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang

    def __call__(self, parser: Any, namespace: Any, values: Any, option: str | None = None) -> None:
        before = getattr(namespace, self.dest, None)
        if before is not None:
            message = Message("give one group: {first!r} and {second!r} were both given", first=before, second=values)
            raise argparse.ArgumentError(self, message.text(self.lang))
        setattr(namespace, self.dest, values)


def _argument_message(message: str, lang: Lang) -> str:
    return translate("argument %(argument_name)s: %(message)s", lang) % {"argument_name": "--lang", "message": message}


def build_parser(lang: Lang, groups: Sequence[GroupOption] = ()) -> argparse.ArgumentParser:
    """The parser, its help in ``lang`` (build it inside :func:`argparse_speaks`); ``assess`` takes ``groups``."""

    def t(message: str) -> str:
        return translate(message, lang)

    def year(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            message = Message("{value!r} is not a year: write it as 2025", value=text)
            raise argparse.ArgumentTypeError(message.text(lang)) from None

    def count(text: str) -> int:
        if text.strip().isascii() and text.strip().isdigit() and int(text) > 0:  # not '²', which int() refuses
            return int(text)
        message = Message("{value!r} is not a whole number above 0: write it in digits, such as 4", value=text)
        raise argparse.ArgumentTypeError(message.text(lang))

    def seconds(text: str) -> float:
        with contextlib.suppress(ValueError):
            value = float(text.strip().replace(",", "."))
            if 0 < value < float("inf"):
                return value
        message = Message("{value!r} is not a number of seconds: write it as 30 or 2,5", value=text)
        raise argparse.ArgumentTypeError(message.text(lang))

    def port(text: str) -> int:
        if text.strip().isascii() and text.strip().isdigit() and 1 <= int(text) <= 65535:
            return int(text)
        message = Message("{value!r} is not a port: give a whole number from 1 to 65535", value=text)
        raise argparse.ArgumentTypeError(message.text(lang))

    parser = Parser(
        prog="tdplan",
        description=t(N_("Check figures against the Tam Đường plan for children 2021–2030.")),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"tdplan {version()}",
        help=t(N_("show the version of tdplan and exit")),
    )
    language = Parser(add_help=False)
    for where in (parser, language):  # read by split_lang, anywhere on the line; here for the help
        where.add_argument(
            "--lang",
            choices=LANGS,
            help=t(N_("language of the output: vi or en (default: TDPLAN_LANG, else the locale, else vi)")),
        )
    plan = Parser(add_help=False)
    plan.add_argument(
        "--plan",
        default="tam-duong-2021-2030",
        metavar=t(N_("PLAN")),
        help=t(N_("a shipped plan's id, or a .toml or .json plan file (default: tam-duong-2021-2030)")),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar=t(N_("COMMAND")))

    indicators = commands.add_parser(
        "indicators",
        parents=[language, plan],
        help=t(N_("list every indicator and its targets")),
        description=t(N_("List every indicator of the plan, with its targets and lead offices.")),
    )
    indicators.add_argument(
        "--wide", action="store_true", help=t(N_("one line per indicator, whatever the terminal's width"))
    )
    indicators.add_argument("--ids", action="store_true", help=t(N_("show the lead offices' codes after their names")))

    show = commands.add_parser(
        "show",
        parents=[language, plan],
        help=t(N_("show one indicator in full")),
        description=t(N_("Show one indicator in full: its goal, measure, targets, lead offices and notes.")),
    )
    show.add_argument("id", metavar=t(N_("INDICATOR")), help=t(N_("indicator id: 1 … 29, 15b, 25b")))
    show.add_argument("--ids", action="store_true", help=t(N_("show the lead offices' codes after their names")))

    validate = commands.add_parser(
        "validate",
        parents=[language, plan],
        help=t(N_("check a plan file (or a DHIS2 mapping file) and list every problem (exit 1 if any)")),
        description=t(N_("Check a plan file and list every problem, with its line (exit 1 if any).")),
    )
    validate.add_argument(
        "file",
        metavar=t(N_("FILE")),
        help=t(N_("a .toml or .json plan file, or a DHIS2 mapping file (checked against --plan)")),
    )
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
    _add_groups(assess, groups, lang)

    report = commands.add_parser(
        "report",
        parents=[language, plan],
        help=t(N_("assess a table of figures and write a report (exit 1 if some rows cannot be assessed)")),
        description=t(N_("Assess every row of a table of figures and write the scorecard as a report.")),
    )
    report.add_argument(
        "file",
        metavar=t(N_("FILE")),
        help=t(N_("a CSV or Excel (.xlsx, .xls) table: indicator, value (or numerator and denominator), year, area …")),
    )
    report.add_argument(
        "--format",
        choices=FORMATS,
        help=t(N_("table (a terminal table), md, html, json, csv or xlsx (default: from OUT's suffix, else table)")),
    )
    report.add_argument(
        "--sheet",
        metavar=t(N_("SHEET")),
        help=t(N_("the sheet of an Excel table (default: the first with the columns)")),
    )
    report.add_argument(
        "--decimal",
        choices=[",", "."],
        help=t(N_("the values' decimal sign: ',' (Vietnamese) or '.' (English) (default: inferred from the column)")),
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
    add_areas(report, t)
    template = commands.add_parser(
        "template",
        parents=[language, plan],
        help=t(N_("write an Excel data-entry template to fill in and report on")),
        description=t(N_("Write an Excel workbook to fill in: a row per indicator, group and area; report on it.")),
    )
    template.add_argument("-o", "--output", metavar="OUT", required=True, help=t(N_("the workbook to write (.xlsx)")))
    template.add_argument(
        "--year", type=year, metavar=t(N_("YEAR")), help=t(N_("the year the figures are for (default: this year)"))
    )
    add_areas(template, t)
    add_exchange_commands(commands, [language, plan], t)  # export, import: cli/exchange.py

    serve = commands.add_parser(
        "serve",
        parents=[language],
        help=t(N_("serve the JSON web API (needs pip install 'tdplan[serve]')")),
        description=t(N_("Serve tdplan's JSON web API, with its OpenAPI document at /openapi.json.")),
    )
    serve.add_argument("--host", default="127.0.0.1", help=t(N_("the address to listen on (default: 127.0.0.1)")))
    serve.add_argument("--port", type=port, default=8000, help=t(N_("the port to listen on (default: 8000)")))
    serve.add_argument(
        "--plans", metavar=t(N_("DIR")), help=t(N_("a folder of plan files to serve beside the shipped plans"))
    )
    serve.add_argument("--workers", type=count, default=1, help=t(N_("worker processes (default: 1)")))
    serve.add_argument(
        "--token-file",
        metavar=t(N_("FILE")),
        help=t(N_("require this bearer token (default: TDPLAN_TOKEN, else no token)")),
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar=t(N_("ORIGIN")),
        help=t(N_("let browsers call from ORIGIN (repeat for several)")),
    )
    serve.add_argument(
        "--max-body-bytes", type=count, default=10 * 1024 * 1024, help=t(N_("the largest request body, in bytes"))
    )
    serve.add_argument("--max-batch", type=count, default=100_000, help=t(N_("the most values in one batch request")))
    serve.add_argument(
        "--timeout", type=seconds, default=30.0, help=t(N_("seconds a table request may take (default: 30)"))
    )
    serve.add_argument(
        "--max-jobs", type=count, default=4, help=t(N_("table requests worked on at once, per worker (default: 4)"))
    )
    serve.add_argument("--no-access-log", action="store_true", help=t(N_("write no JSON access log lines")))
    return parser
