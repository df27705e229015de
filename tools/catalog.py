"""Keep tdplan's message catalog in step with the code, with Babel's tooling.

    python tools/catalog.py extract   # write src/tdplan/locale/tdplan.pot from the code
    python tools/catalog.py update    # extract, merge new messages into every language's .po, compile
    python tools/catalog.py compile   # write each language's .mo (what tdplan reads) from its .po
    python tools/catalog.py check     # exit 1 if the catalog is out of date, a message is untranslated,
                                      # a .mo is older than its .po, or Babel skipped a message
                                      # (an f-string passed as a message)

Messages are found where the code marks them: ``N_("…")``, ``Message("…", …)``,
``ntranslate("…", "…", n, lang)``, the first argument of every tdplan error
(``UnknownGoalError("no goal {number!r} …", number=5)``), and labels with their context,
``C_("report", "Result")`` (a ``msgctxt`` in the catalog). The tests run ``check``.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "tdplan"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "tdplan.pot"
LANGUAGES = ("vi",)
HEADER = {
    "project": "tdplan",
    "domain": "tdplan",
    "copyright_holder": "tdplan maintainers",
    "header_comment": "# tdplan's messages: English in the code, translated here (docs/translating.md).\n#",
    "last_translator": "tdplan maintainers",
    "language_team": "Vietnamese",
}


def keywords() -> dict[str, Any]:
    """The calls whose string arguments are messages: the markers and every TdplanError subclass.

    ``C_(context, message)`` is a label: its first argument is the context (``msgctxt``).
    """
    sys.path.insert(0, str(ROOT / "src"))
    from tdplan.core import errors

    found: dict[str, Any] = {"N_": None, "Message": None, "ntranslate": (1, 2), "C_": ((1, "c"), 2)}
    for name, value in vars(errors).items():
        if inspect.isclass(value) and issubclass(value, errors.TdplanError) and value is not errors.PlanDataError:
            found[name] = None  # a PlanDataError is built from its problems: as a keyword, Babel lost their messages
    return found


def extract() -> Catalog:
    """Every marked message in the package, with where it is used."""
    return _extract()[0]


def skipped() -> list[str]:
    """Babel's warnings while extracting: a message it could not take (an f-string passed as a message)."""
    return _extract()[1]


def _extract() -> tuple[Catalog, list[str]]:
    catalog = Catalog(**HEADER, fuzzy=False)
    method_map = [("**.py", "python")]
    said = io.StringIO()
    with contextlib.redirect_stderr(said):  # Babel writes "warning: Skipping f-string …" to stderr
        for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map, keywords=keywords(), comment_tags=("Translators:",), strip_comment_tags=True
        ):
            catalog.add(message, None, [(f"src/tdplan/{filename}", lineno)], auto_comments=comments, context=context)
    warnings = [line for line in said.getvalue().splitlines() if "warning" in line]
    return catalog, warnings


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "tdplan.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return buffer.getvalue()


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=lang)


def updated(lang: str, template: Catalog) -> Catalog:
    """The language's catalog with the template's messages: new ones empty, gone ones dropped, no fuzzy guesses."""
    path = po_path(lang)
    catalog = read(path, lang) if path.exists() else Catalog(locale=lang, **HEADER, fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def untranslated(catalog: Catalog) -> list[str]:
    """The messages without a translation, a label as ``context | message``."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(f"{message.context} | {message.id}" if message.context else str(message.id))
    return missing


def compiled(catalog: Catalog) -> bytes:
    """The catalog as a GNU .mo file (fuzzy and untranslated messages left out: they show in English)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def translations(catalog: Catalog) -> dict[tuple[str | None, Any], Any]:
    """What a catalog translates, by (context, message), without its header: what a .mo must hold."""
    found = {}
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.id and not message.fuzzy and any(strings):
            key = tuple(message.id) if isinstance(message.id, tuple | list) else message.id
            found[message.context, key] = tuple(strings) if isinstance(message.string, tuple | list) else message.string
    return found


def compiled_current(po: Path, mo: Path, lang: str) -> bool:
    """Whether ``mo`` holds exactly the translations of ``po``."""
    if not mo.exists():
        return False
    with mo.open("rb") as file:
        held = read_mo(file)
    return translations(held) == translations(read(po, lang))


def compile_catalog(po: Path, mo: Path, lang: str) -> bool:
    """Write ``mo`` from ``po`` unless it already holds the same translations; whether it was written.

    An unchanged .mo is left as it is, so that a new date in the .po's header does not
    change a binary file in git.
    """
    if compiled_current(po, mo, lang):
        return False
    mo.write_bytes(compiled(read(po, lang)))
    return True


def problems() -> list[str]:
    """What ``check`` reports: a stale template or catalog, and every message without a translation."""
    template, warnings = _extract()
    found = [line.replace(str(ROOT) + "/", "") for line in warnings]
    if not TEMPLATE.exists() or _body(TEMPLATE.read_bytes()) != _body(render(template)):
        found.append(f"{TEMPLATE.relative_to(ROOT)} is out of date: run python tools/catalog.py update")
    for lang in LANGUAGES:
        path = po_path(lang)
        if not path.exists() or _body(path.read_bytes()) != _body(render(updated(lang, template))):
            found.append(f"{path.relative_to(ROOT)} is out of date: run python tools/catalog.py update")
        found += [f"{lang}: no translation for {message!r}" for message in untranslated(updated(lang, template))]
        mo = mo_path(lang)
        if path.exists() and not compiled_current(path, mo, lang):
            found.append(f"{mo.relative_to(ROOT)} is out of date with its .po: run python tools/catalog.py compile")
    return found


def _body(text: bytes) -> list[bytes]:
    """A catalog without the header lines that change on every run (dates)."""
    return [line for line in text.splitlines() if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["extract", "update", "compile", "check"])
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "check":
        found = problems()
        print("\n".join(found) or "the catalog is up to date and complete")
        return 1 if found else 0
    if args.command == "compile":
        compile_all()
        return 0
    template, warnings = _extract()
    for warning in warnings:
        print(warning, file=sys.stderr)
    LOCALE.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(render(template))
    if args.command == "update":
        for lang in LANGUAGES:
            path = po_path(lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(render(updated(lang, template)))
            missing = untranslated(read(path, lang))
            print(f"{path.relative_to(ROOT)}: {len(missing)} message(s) to translate")
        compile_all()
    return 0


def compile_all() -> None:
    for lang in LANGUAGES:
        po, mo = po_path(lang), mo_path(lang)
        written = compile_catalog(po, mo, lang)
        print(f"{mo.relative_to(ROOT)}: {'written' if written else 'already up to date'}")


if __name__ == "__main__":
    sys.exit(main())
