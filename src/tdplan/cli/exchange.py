"""``tdplan export`` and ``tdplan import``, the areas options of ``report``, and ``validate`` for DHIS2 mapping files.

``tdplan export TABLE --to opensdg|sdmx|dhis2 [--mapping M] -o OUT`` assesses the table
and writes the export under the directory OUT (a DHIS2 payload to OUT itself if it ends
in ``.json``, or to standard output with ``-o -``); each figure left out is a line on stderr, and the exit status is 1.
``tdplan import FILE --from dhis2 --mapping M -o TABLE.csv`` writes DHIS2's figures as a
table ``tdplan report`` reads.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from tdplan.cli.problems import left_out_lines, problem_lines
from tdplan.core.errors import InputTypeError, PlanFileError, not_utf8, os_reason
from tdplan.core.i18n import N_, Message
from tdplan.core.model import Plan
from tdplan.core.notation import Lang
from tdplan.planfiles.loading import read_file

__all__ = [
    "add_areas",
    "add_exchange_commands",
    "areas_of",
    "is_mapping",
    "run_export",
    "run_import",
    "validate_mapping",
]


def add_areas(parser: argparse.ArgumentParser, t: Callable[[str], str]) -> None:
    """The options naming the areas that should report (for completeness); ``t`` translates their help."""
    parser.add_argument(
        "--areas",
        metavar=t(N_("AREAS")),
        help=t(N_("the areas that should report, separated by commas: 'Bản Bo,Bình Lư'")),
    )
    parser.add_argument(
        "--areas-file",
        metavar=t(N_("FILE")),
        help=t(N_("a text file of the areas that should report, one a line")),
    )


def areas_of(args: argparse.Namespace) -> list[str] | None:
    """The areas ``--areas`` or ``--areas-file`` name, or None (then the plan's, else the table's)."""
    from tdplan.analysis.completeness import read_areas

    if args.areas and args.areas_file:
        raise InputTypeError("give --areas or --areas-file, not both")
    if args.areas:
        return [area for area in (" ".join(part.split()) for part in args.areas.split(",")) if area]
    if args.areas_file:
        try:
            return list(read_areas(Path(args.areas_file).read_text("utf-8-sig")))
        except (OSError, UnicodeDecodeError) as error:
            reason = not_utf8(error) if isinstance(error, UnicodeDecodeError) else os_reason(error)
            raise PlanFileError(
                "{path}: cannot read the areas file: {reason}", path=args.areas_file, reason=reason
            ) from None
    return None


def add_exchange_commands(commands: Any, parents: list[argparse.ArgumentParser], t: Callable[[str], str]) -> None:
    """``export`` and ``import``; ``t`` translates their help."""
    export = commands.add_parser(
        "export",
        parents=parents,
        help=t(N_("assess a table and export its figures")),
        description=t(N_("Assess a table and export its figures for Open SDG, SDMX or DHIS2.")),
    )
    export.add_argument("file", metavar=t(N_("FILE")), help=t(N_("a CSV table, as for report")))
    export.add_argument("--to", required=True, choices=["opensdg", "sdmx", "dhis2"], help=t(N_("the platform")))
    export.add_argument(
        "--mapping", metavar=t(N_("FILE")), help=t(N_("the DHIS2 mapping file (.toml or .json), for --to dhis2"))
    )
    export.add_argument(
        "-o", "--output", required=True, metavar="OUT", help=t(N_("a folder (or '-' for DHIS2's JSON)"))
    )
    add_areas(export, t)
    imported = commands.add_parser(
        "import",
        parents=parents,
        help=t(N_("read DHIS2's figures as a tdplan table (CSV)")),
        description=t(N_("Read a DHIS2 dataValueSets export as a table that tdplan report reads.")),
    )
    imported.add_argument("file", metavar=t(N_("FILE")), help=t(N_("a DHIS2 dataValueSets export: JSON or CSV")))
    imported.add_argument("--from", dest="source", required=True, choices=["dhis2"], help=t(N_("the platform")))
    imported.add_argument(
        "--mapping", required=True, metavar=t(N_("FILE")), help=t(N_("the DHIS2 mapping file (.toml or .json)"))
    )
    imported.add_argument(
        "-o", "--output", required=True, metavar="TABLE", help=t(N_("the CSV table to write ('-': standard output)"))
    )


def run_export(plan: Plan, args: argparse.Namespace, lang: Lang, out: TextIO, err: TextIO) -> int:
    """Assess the table, export it, and list what was left out (exit 1 if anything was)."""
    from tdplan.analysis.tables import assess_table

    card = assess_table(plan, args.file, areas=areas_of(args))
    if args.to == "opensdg":
        from tdplan.exchange.opensdg import export_opensdg

        export = export_opensdg(card)
    elif args.to == "sdmx":
        from tdplan.exchange.sdmx import export_sdmx

        export = export_sdmx(card)
    else:
        from tdplan.exchange.dhis2 import export_dhis2, load_mapping

        if not args.mapping:
            raise InputTypeError("--to dhis2 needs --mapping: the file that maps indicators and areas to DHIS2 UIDs")
        export = export_dhis2(card, load_mapping(args.mapping, plan))
    single = next(iter(export.files.values())) if len(export.files) == 1 else None
    if args.output == "-" and single is not None:
        out.write(single)
    elif args.output == "-":
        raise InputTypeError("an export of several files goes to a directory: -o DIRECTORY")
    else:
        try:
            if single is not None and args.output.lower().endswith(".json"):  # dhis2: -o payload.json is the file
                Path(args.output).write_bytes(single.encode("utf-8"))
            else:
                export.write(args.output)
        except OSError as error:
            raise PlanFileError(
                "{path}: cannot write the export: {reason}", path=args.output, reason=os_reason(error)
            ) from None
    for line in problem_lines(card, args.file, lang):
        err.write(line + "\n")
    for line in left_out_lines(export.left_out, args.file, lang):
        err.write(line + "\n")
    return 1 if export.left_out or card.problems else 0


def run_import(plan: Plan, args: argparse.Namespace, lang: Lang, out: TextIO) -> int:
    """DHIS2's figures as a CSV table (indicator, period, area, groups, value)."""
    from tdplan.exchange.dhis2 import load_mapping, read_dhis2

    mapping = load_mapping(args.mapping, plan)
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        raise PlanFileError("{path}: cannot read: {reason}", path=args.file, reason=os_reason(error)) from None
    rows = read_dhis2(data, mapping)
    names = ["indicator", "period", "area", "residence", "age", "value"]
    used = [name for name in names if name in ("indicator", "period", "value") or any(name in row for row in rows)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, used, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    if args.output == "-":
        out.write(buffer.getvalue())
    else:
        Path(args.output).write_text(buffer.getvalue(), "utf-8")
    return 0


def is_mapping(data: str | bytes) -> bool:
    """Whether a file is a DHIS2 mapping file (it has the key ``dhis2_mapping``)."""
    return (b"dhis2_mapping" if isinstance(data, bytes) else "dhis2_mapping") in data  # type: ignore[operator]


def validate_mapping(args: argparse.Namespace, plan: Plan, lang: Lang, out: TextIO) -> int:
    """Every problem of a DHIS2 mapping file, with its line; exit 1 if any."""
    from tdplan.exchange.dhis2 import read_mapping

    path, data, fmt = read_file(args.file, args.format)
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise PlanFileError("{path}: cannot read: {reason}", path=str(path), reason=not_utf8(error)) from None
    mapping, problems = read_mapping(text, plan, fmt)
    for problem in problems:
        where = f"{path}:{problem.line}" if problem.line is not None else str(path)
        out.write(f"{where}: {problem.path}: {problem.text(lang)}\n")
    if mapping is None:
        out.write(Message("{path}: {count} error(s)", path=path, count=len(problems)).text(lang) + "\n")
        return 1
    message = Message(
        "{path}: valid DHIS2 mapping ({elements} data elements, {units} organisation units)",
        path=path,
        elements=len(mapping.elements),
        units=len(mapping.org_units),
    )
    out.write(message.text(lang) + "\n")
    return 0
