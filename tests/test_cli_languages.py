"""The real ``tdplan`` command speaks one language: every subcommand, help and error, in Vietnamese or English.

Each case runs the installed entry point in a process, and checks that its output is
the catalog's sentence in the language asked for, that no English sentence of the
catalog leaks into Vietnamese output, and that no Python syntax reaches an officer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tdplan.core.i18n import translate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_TABLE = ROOT / "examples" / "data" / "bang-so-lieu-mau.csv"
TEMPLATE_PLAN = ROOT / "examples" / "plans" / "template.toml"
PYTHON_SYNTAX = [
    r"\b[a-z_]+=[\[{'\"\w]",  # a keyword argument: disaggregation={...}, unit='%', format=
    r"\{'",  # a dict literal
    r"=\[",  # a list given to a keyword
    r"\b(?:None|True|False)\b",
    r"\b(?:int|float|str)\b",  # a Python type: "invalid int value"
    r"\w+Error\b",  # an exception's class: ValueError, TdplanError
    r"\bPlan\.\w",
    r"\bdatetime\.",
    r"Traceback",
]
OS_REASONS = [os.strerror(number) for number in (errno.ENOENT, errno.EACCES, errno.EISDIR, errno.ENOTDIR, errno.EEXIST)]
"""The system's English words for why a file could not be read or written (tdplan says them in the language)."""
PLACEHOLDER = r"\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]"


def tdplan_command() -> str:
    """The installed ``tdplan`` script next to this Python (the entry point a user runs)."""
    script = Path(sys.executable).with_name("tdplan.exe" if os.name == "nt" else "tdplan")
    assert script.exists(), f"install tdplan first: pip install -e . ({script} is missing)"
    return str(script)


def tdplan(*argv: str, lang: str | None = None, cwd: Path = ROOT) -> tuple[int, str, str]:
    """Run ``tdplan`` in a process with a neutral locale (and ``TDPLAN_LANG=lang`` if given)."""
    env = {key: value for key, value in os.environ.items() if key not in ("TDPLAN_LANG", "LC_ALL", "LC_MESSAGES")}
    env |= {"LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    if lang is not None:
        env["TDPLAN_LANG"] = lang
    done = subprocess.run([tdplan_command(), *argv], capture_output=True, env=env, cwd=cwd, check=False, timeout=120)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def pattern(msgid: str, lang: str) -> re.Pattern[str]:
    """The catalog's sentence for ``msgid`` in ``lang`` as a pattern: each placeholder matches any text."""
    text = translate(msgid, lang)
    parts = re.split(r"\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]", text)
    return re.compile(".+?".join(re.escape(part) for part in parts))


@cache
def english_fragments() -> frozenset[str]:
    """Stretches of the catalog's English sentences (three words or more) that no Vietnamese translation uses."""
    from babel.messages.pofile import read_po

    with (ROOT / "src" / "tdplan" / "locale" / "vi" / "LC_MESSAGES" / "tdplan.po").open("rb") as file:
        catalog = read_po(file, locale="vi")
    messages = [message for message in catalog if message.id and isinstance(message.id, str)]
    ids = [message.id for message in messages]  # labels too, each under its context (C_("report", "Result"))
    vietnamese = " ".join(message.string or message.id for message in messages)
    fragments = set()
    for msgid in ids:
        for part in re.split(r"\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]|[():;]", msgid):
            part = part.strip(" ,.'")
            if len(part.split()) >= 3 and part not in vietnamese:
                fragments.add(part)
    return frozenset(fragments)


def catalog_pairs(catalog: Iterable[Any]) -> list[tuple[str, str]]:
    """Each English message of the catalog with its own Vietnamese (labels, under their contexts, included)."""
    pairs = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)
        strings += strings[-1:] * (len(ids) - len(strings))  # Vietnamese has one form for both English ones
        pairs += [(msgid, text or msgid) for msgid, text in zip(ids, strings, strict=False) if msgid]
    return pairs


@cache
def english_sentences() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every English sentence of the catalog (three words or more) as a pattern, each placeholder any text.

    Leaves out a sentence that its own or another Vietnamese translation contains (a unit's spelling, say).
    """
    from babel.messages.pofile import read_po

    with (ROOT / "src" / "tdplan" / "locale" / "vi" / "LC_MESSAGES" / "tdplan.po").open("rb") as file:
        catalog = read_po(file, locale="vi")
    ids = [msgid for message in catalog for msgid in (message.id if isinstance(message.id, tuple) else (message.id,))]
    pairs = catalog_pairs(catalog)
    vietnamese = "\n".join(text for _, text in pairs)
    untranslated = {msgid for msgid, text in pairs if text == msgid}
    found = []
    for msgid in ids:
        if not msgid or len(msgid.split()) < 3 or msgid in untranslated:
            continue
        parts = re.split(PLACEHOLDER, msgid)
        while parts and not parts[0].strip():
            parts.pop(0)
        while parts and not parts[-1].strip():
            parts.pop()
        if not re.search("[A-Za-z]{2,}", "".join(parts)):
            continue  # only placeholders and punctuation: "{label}: {text}"
        body = "[^\n]+?".join(re.escape(part) for part in parts)
        sentence = re.compile(rf"\b{body}" if parts[0][0].isalnum() else body)
        if sentence.search(vietnamese) is None:
            found.append((msgid, sentence))
    return tuple(found)


@cache
def english_words() -> frozenset[str]:
    """Words of four letters or more in the catalog's English that no Vietnamese translation uses, nor the command.

    A lone one in Vietnamese output is an English parameter in a Vietnamese sentence (``numerator``, ``rate``).
    """
    import argparse

    from babel.messages.pofile import read_po

    from tdplan import load_plan
    from tdplan.cli.arguments import build_parser
    from tdplan.core.vocabulary import Status
    from tdplan.planfiles.format import plan_schema

    with (ROOT / "src" / "tdplan" / "locale" / "vi" / "LC_MESSAGES" / "tdplan.po").open("rb") as file:
        catalog = read_po(file, locale="vi")
    ids = [msgid for message in catalog for msgid in (message.id if isinstance(message.id, tuple) else (message.id,))]
    english = {
        word.lower() for msgid in ids if msgid for word in re.findall("[A-Za-z]{4,}", re.sub(PLACEHOLDER, " ", msgid))
    }
    used = {word.lower() for _, text in catalog_pairs(catalog) for word in re.findall("[A-Za-z]{4,}", text)}
    keys = re.findall('"([a-z_]+)": [{[]', plan_schema())  # a plan file's keys, which messages name
    used.update(keys, (word for key in keys for word in re.findall("[a-z]{4,}", key)))
    used.update(status.value for status in Status)  # a verdict's code, shown beside its words
    plan = load_plan()  # the plan's own codes, which --ids shows: labour, health
    used.update(word for agency in plan.agencies for word in re.findall("[a-z]{4,}", agency.id))
    parser = build_parser("vi")
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():  # the command's own words: its subcommands and options
        used.add(name)
        used.update(word for flag in command._option_string_actions for word in re.findall("[a-z]{4,}", flag))
    return frozenset(english - used)


def assert_speaks(lang: str, text: str) -> None:
    """No Python syntax; in Vietnamese, no English sentence of the catalog and no English reason of the system."""
    for syntax in PYTHON_SYNTAX:
        assert re.search(syntax, text) is None, f"Python syntax {syntax!r} in: {text}"
    if lang == "vi":
        python_type = re.search(r"\b(?:bool|time|date|datetime|Decimal|NoneType)\b", text)  # English words too
        assert python_type is None, f"a Python type in: {text}"
        leaked = sorted(fragment for fragment in english_fragments() if fragment in text)
        leaked += [msgid for msgid, sentence in english_sentences() if sentence.search(text)]
        leaked += [reason for reason in OS_REASONS if reason in text]
        # not in a path or a file's name, a plan file's $.path, a code (start_year), a value as written ('short')
        words = re.sub(r"\S*[/\\_]\S*|\$\.\S*|\S*\.(?:csv|xlsx|toml|json|md|html|txt)\b|'[^'\n]*'", " ", text)
        leaked += sorted({word for word in re.findall("[A-Za-z]{4,}", words) if word.lower() in english_words()})
        assert [] == leaked, text


class TestTheChecks:
    """The checks of these tests can fail."""

    @pytest.mark.parametrize(
        ("lang", "text"),
        [
            ("vi", "tdplan: lỗi: no indicator '30': the plan has 1–29"),
            ("vi", "tdplan: lỗi: thiếu các tham số bắt buộc: --year (the following arguments are required)"),
            ("en", "tdplan: error: give disaggregation={'residence': 'rural'}"),
            ("en", "tdplan: error: it is assessed with Plan.track"),
            ("vi", "tdplan: lỗi: bang.csv: cannot read: không có tệp hoặc thư mục này"),
            ("vi", "tdplan: lỗi: bang.csv: không đọc được bảng: " + os.strerror(errno.ENOENT)),
            ("vi", "hoặc chỉ rõ dấu thập phân (decimal=',' hoặc '.')"),
            ("vi", "dòng 2: ValueError: x"),
            ("en", "row 2: got None"),
            ("vi", "tham số --workers: giá trị int không hợp lệ: 'hai'"),
            ("vi", "dòng 3: numerator 'abc' không phải là số đếm (số nguyên)"),
        ],
    )
    def test_leaks_are_seen(self, lang: str, text: str) -> None:
        """English in Vietnamese output, or Python syntax in either, fails the check."""
        with pytest.raises(AssertionError):
            assert_speaks(lang, text)


@pytest.fixture(scope="module")
def bad_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A table whose rows each have a problem a column would fix, and one good row."""
    path = tmp_path_factory.mktemp("tables") / "bang-loi.csv"
    path.write_text(
        'chỉ tiêu,giá trị,năm,khu vực\n3,"16,5‰",2025,\n8,"0,05%",2025,\n30,1%,2025,\n3,abc,2025,\n3,16,2040,\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def bad_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan file with problems."""
    path = tmp_path_factory.mktemp("plans") / "ke-hoach-loi.toml"
    path.write_text("tdplan = 1\nid = 3\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def no_indicator_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tables") / "khong-co-cot.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    return path


ERRORS = [
    (["assess", "30", "5", "--year", "2025"], "no indicator {id!r}: the plan has {valid}"),
    (
        ["assess", "3", "abc", "--year", "2025"],
        "{text!r} is not a value: write a number and a unit, such as '16,5‰', '97,2 %' or '50/100.000'",
    ),
    (
        ["assess", "3", "1.000", "--year", "2025"],
        "{text!r} is {vi} in Vietnamese notation but {en} in English; write it without a thousands separator "
        "(or write the unit as /100.000 or per 100,000, which names the notation)",
    ),
    (["assess", "3", "16", "--year", "2035"], "year {year} is outside the plan's period {start_year}–{end_year}"),
    (["assess", "3", "16", "--year", "soon"], "{value!r} is not a year: write it as 2025"),
    (["assess", "8", "0,05%", "--year", "2025"], "indicator {indicator} has targets by group: give {valid}"),
    (
        ["assess", "8", "0,05%", "--year", "2025", "--residence", "city"],
        "there is no group {name!r} of {dimension}: use {valid}",
    ),
    (
        ["assess", "20", "36%", "--year", "2025", "--nhom-tuoi", "ba tuổi"],
        "there is no group {name!r} of {dimension}: use {valid}",
    ),
    (
        ["assess", "8", "0,05%", "--year", "2025", "--residence", "rural", "--khu-vuc", "urban"],
        "give one group: {first!r} and {second!r} were both given",
    ),
    (
        ["assess", "3", "16", "--year", "2025", "--residence", "rural"],
        "indicator {indicator} has no disaggregation; got {given}",
    ),
    (
        ["assess", "18", "12", "--year", "2026"],
        "indicator {indicator} is a rate-of-change target ({target}): "
        "it is assessed from a series of yearly counts {how}, not from one value",
    ),
    (["assess", "3", "16%", "--unit", "‰", "--year", "2025"], "{value!r} is in {written} but {given} was given"),
    (["assess", "3", "16", "--year", "2025", "--unit", "furlong"], "unknown unit {text!r}: tdplan reads {valid}"),
    (["assess", "3", "16"], "the following arguments are required: %s"),
    (["assess", "3", "16", "--year", "2025", "--frobnicate"], "unrecognized arguments: %s"),
    (["frobnicate"], "invalid choice: %(value)r (choose from %(choices)s)"),
    ([], "the following arguments are required: %s"),
    (["report", "missing.csv"], "{path}: cannot read the table: {reason}"),
    (
        ["report", str(EXAMPLE_TABLE), "--sheet", "Số liệu"],
        "--sheet only applies to Excel workbooks (.xlsx, .xlsm, .xls); {file} is read as CSV: leave --sheet out",
    ),
    (
        ["serve", "--host", "192.0.2.1", "--port", "8765"],
        "cannot listen on {address}: this machine has no such address; give {fix}",
    ),
    (["report", str(EXAMPLE_TABLE), "--format", "pdf"], "invalid choice: %(value)r (choose from %(choices)s)"),
    (["validate", "missing.toml"], "{file}: cannot read the plan file: {reason}"),
    (
        ["validate", "README.md"],
        "{path}: cannot tell the format from the name: use a .toml or .json file, or give {fix}",
    ),
    (
        ["show", "3", "--plan", "nowhere"],
        "no shipped plan {source!r} and no such file: tdplan ships {valid}; other plans are .toml or .json files",
    ),
    (["assess", "3", "16", "--year", "2025", "--lang", "fr"], "invalid choice: %(value)r (choose from %(choices)s)"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
class TestErrors:
    """Each error a test can reach: one line, exit 2, the catalog's sentence in the language asked for."""

    @pytest.mark.parametrize(("argv", "msgid"), ERRORS, ids=[" ".join(argv) or "nothing" for argv, _ in ERRORS])
    def test_error(self, lang: str, argv: list[str], msgid: str) -> None:
        """The error is the catalog's sentence, after 'tdplan: lỗi:' or 'tdplan: error:'."""
        args = [*argv, "--lang", lang] if "--lang" not in argv else ["--lang", lang, *argv]
        status, out, err = tdplan(*args)
        assert (2, "", 1) == (status, out, err.count("\n")), err
        prefix = translate("tdplan: error: {message}", lang).replace("{message}", "")
        assert err.startswith(prefix), err
        assert pattern(msgid, lang).search(err), err
        assert_speaks(lang, err)

    def test_bad_plan_file(self, lang: str, bad_plan: Path) -> None:
        """A plan file with problems, as --plan: every problem in the language, with its line."""
        status, _, err = tdplan("show", "3", "--plan", str(bad_plan), "--lang", lang)
        err = err.replace("\\n", "\n")  # one line on the terminal: its line breaks are written \n
        assert 2 == status
        assert pattern("{source}: {count} problem(s):\n{listing}", lang).search(err), err
        assert (
            "dòng 1: $.title: thiếu khóa bắt buộc" if lang == "vi" else "line 1: $.title: required key is missing"
        ) in err
        assert_speaks(lang, err)

    def test_bad_table(self, lang: str, no_indicator_table: Path) -> None:
        """A table tdplan cannot read at all."""
        status, _, err = tdplan("report", str(no_indicator_table), "--lang", lang)
        assert 2 == status
        no_column = (
            "the table has no indicator column: name one 'Mã chỉ tiêu', 'Chỉ tiêu' or 'indicator' "
            "(columns: {columns}; see docs/tables.md)"
        )
        assert pattern(no_column, lang).search(err)
        assert_speaks(lang, err)


@pytest.mark.parametrize("lang", ["vi", "en"])
class TestSubcommands:
    """Each subcommand's output in the language asked for."""

    def test_indicators(self, lang: str) -> None:
        """The headings are the catalog's."""
        status, out, err = tdplan("indicators", "--lang", lang)
        assert (0, "") == (status, err)
        heading = re.split(r"\s{2,}", out.splitlines()[0])
        assert [translate("ID", lang), translate("Goal", lang)] == heading[:2]

    def test_show(self, lang: str) -> None:
        """Every label of `show` is the catalog's."""
        status, out, _ = tdplan("show", "3", "--lang", lang)
        assert 0 == status
        for msgid in ("Indicator {id}", "Goal {number}", "Targets", "Lead"):
            assert pattern(msgid, lang).search(out), msgid
        assert_speaks(lang, out)

    def test_assess(self, lang: str) -> None:
        """The verdict's lines are the catalog's."""
        status, out, _ = tdplan("assess", "3", "16,5‰", "--year", "2025", "--lang", lang)
        assert 0 == status
        assert pattern("Indicator {id} ({year}): {explanation}", lang).search(out)
        assert pattern("Result: {status} ({code}); margin: {margin}", lang).search(out)
        assert_speaks(lang, out)

    def test_validate(self, lang: str) -> None:
        """The summary counts with the plural forms of the language: 1 mục tiêu, 1 goal."""
        status, out, _ = tdplan("validate", str(TEMPLATE_PLAN), "--lang", lang)
        assert 0 == status
        counts = "(1 mục tiêu, 1 chỉ tiêu, 1 cơ quan)" if lang == "vi" else "(1 goal, 1 indicator, 1 agency)"
        assert out.rstrip().endswith(f"'xa-ten-xa-2026-2030' {counts}"), out

    def test_validate_problems(self, lang: str, bad_plan: Path) -> None:
        """Every problem of a plan file, and the count, in the language; exit 1."""
        status, out, _ = tdplan("validate", str(bad_plan), "--lang", lang)
        assert 1 == status
        assert out.rstrip().endswith("8 lỗi" if lang == "vi" else "8 errors"), out
        assert_speaks(lang, out)

    def test_report_rows(self, lang: str, bad_table: Path) -> None:
        """Row problems on stderr and in the report, in the language, naming the column to fill."""
        status, out, err = tdplan("report", str(bad_table), "--format", "md", "--lang", lang)
        assert 1 == status
        lines = err.splitlines()
        assert 4 == len(lines)
        row = translate("{file}: row {row}: {message}", lang).format(file=bad_table, row=2, message="")
        column = "nông thôn hoặc thành thị ở cột khu vực" if lang == "vi" else "rural or urban in the residence column"
        assert lines[0].startswith(row), lines[0]
        assert lines[0].endswith(column), lines[0]
        assert pattern("no indicator {id!r}: the plan has {valid}", lang).search(lines[1])
        assert_speaks(lang, err)
        assert column in out

    def test_report_json(self, lang: str, bad_table: Path) -> None:
        """JSON keeps the stable code, and the message in the report's language."""
        import json

        status, out, _ = tdplan("report", str(bad_table), "--format", "json", "--lang", lang)
        problem = json.loads(out)["problems"][0]
        assert (1, 2, "disaggregation_required") == (status, problem["row"], problem["code"])
        assert pattern("indicator {indicator} has targets by group: give {valid}", lang).search(problem["message"])

    def test_warning(self, lang: str, tmp_path: Path) -> None:
        """A plan file mended while loading (decomposed accents): the warning in the language, on stderr."""
        import unicodedata

        plan = tmp_path / "nfd.toml"
        plan.write_text(unicodedata.normalize("NFD", TEMPLATE_PLAN.read_text(encoding="utf-8")), encoding="utf-8")
        status, out, err = tdplan("show", "1", "--plan", str(plan), "--lang", lang)
        assert (0, True) == (status, bool(out))
        warning = translate("tdplan: warning: {message}", lang).replace("{message}", "")
        lines = err.splitlines()
        assert lines, err
        assert all(line.startswith(warning) for line in lines), err
        assert ("chưa chuẩn hóa NFC" if lang == "vi" else "not NFC-normalised") in err
        assert_speaks(lang, err)

    def test_schema(self, lang: str) -> None:
        """The schema is the same JSON Schema in either language, its titles and descriptions in the language."""
        import json

        status, out, _ = tdplan("schema", "--lang", lang)
        schema = json.loads(out)
        shipped = json.loads((ROOT / "src" / "tdplan" / "data" / "plan.schema.json").read_text("utf-8"))
        title = "tệp kế hoạch của tdplan, định dạng phiên bản 1" if lang == "vi" else shipped["title"]
        assert (0, title) == (status, schema["title"])
        assert without_words(shipped) == without_words(schema)
        assert_speaks(lang, said(out, "schema.json") if lang == "vi" else "")

    @pytest.mark.parametrize("command", ["", "indicators", "show", "validate", "schema", "assess", "report"])
    def test_help(self, lang: str, command: str) -> None:
        """--help: argparse's words and every help text in the language."""
        status, out, _ = tdplan(*([command] if command else []), "--help", "--lang", lang)
        assert 0 == status
        for msgid in ("usage: ", "options", "show this help message and exit"):
            assert translate(msgid, lang) in out
        assert_speaks(lang, out)


def without_words(value: object) -> object:
    """A schema without its titles and descriptions: what software reads of it."""
    if isinstance(value, dict):
        return {key: without_words(item) for key, item in value.items() if key not in ("title", "description")}
    return [without_words(item) for item in value] if isinstance(value, list) else value


class TestChoosingTheLanguage:
    """--lang anywhere; TDPLAN_LANG; Vietnamese by default."""

    def test_lang_anywhere(self) -> None:
        """Before the subcommand, after it, between its arguments: the same output."""
        outputs = {
            tdplan(*argv)[1]
            for argv in (
                ["--lang", "en", "assess", "3", "16", "--year", "2025"],
                ["assess", "--lang", "en", "3", "16", "--year", "2025"],
                ["assess", "3", "16", "--year", "2025", "--lang=en"],
            )
        }
        assert 1 == len(outputs)
        assert pattern("Result: {status} ({code}); margin: {margin}", "en").search(outputs.pop())

    def test_environment(self) -> None:
        """TDPLAN_LANG=en without --lang speaks English; --lang wins over it."""
        assert tdplan("assess", "30", "5", "--year", "2025", lang="en")[2].startswith("tdplan: error: no indicator")
        assert tdplan("assess", "30", "5", "--year", "2025", "--lang", "vi", lang="en")[2].startswith("tdplan: lỗi:")

    def test_vietnamese_by_default(self) -> None:
        """No --lang, no TDPLAN_LANG, a C locale: Vietnamese."""
        status, _, err = tdplan("assess", "3", "16")
        assert (2, "tdplan: lỗi: thiếu các tham số bắt buộc: --year\n") == (status, err)


class TestServePort:
    """A port outside 1–65535 is refused in the user's language, before anything listens."""

    @pytest.mark.parametrize("port", ["0", "99999", "tám"])
    def test_refused(self, port: str) -> None:
        """Exit 2 and one line in Vietnamese."""
        status, out, err = tdplan("serve", "--port", port, lang="vi")
        expected = f"tdplan: lỗi: tham số --port: '{port}' không phải là cổng: hãy ghi một số nguyên từ 1 đến 65535\n"
        assert (2, "", expected) == (status, out, err)


# The audit: every subcommand, and the errors and row problems a test can reach, through tdplan's entry point
# (main(argv), in this process) under --lang vi, with real files. "@name" is a file of the `audit_files` fixture.
MAPPING = ROOT / "examples" / "exchange" / "dhis2-mapping.toml"
AUDIT_ROWS = (
    "chỉ tiêu,giá trị,tử số,mẫu số,đơn vị tính,năm,kỳ,địa bàn,khu vực,nhóm tuổi\n"
    '3,"16,5‰",,,,2025,,Bản Bo,,\n'  # assessed
    '8,"0,05%",,,,2025,,Bản Bo,,\n'  # a group is needed
    '8,"0,05%",,,,2025,,Bản Bo,miền núi,\n'  # no such group
    "3,16,,,,2025,,Bản Bo,nông thôn,\n"  # a group where there are none
    '20,"50%",,,,2025,,Bản Bo,,ba tuổi\n'
    "30,1%,,,,2025,,Bản Bo,,\n"  # no such indicator
    "3,abc,,,,2025,,Bản Bo,,\n"
    "3,16,,,,2040,,Bản Bo,,\n"  # outside the plan's period
    "3,16,,,,,,Bản Bo,,\n"  # no year
    "3,16,,,,,quý 5 năm 2025,Bản Bo,,\n"
    "18,12,,,,2026,,Bản Bo,,\n"  # a rate of change: a series
    "3,16%,,,‰,2025,,Bản Bo,,\n"  # the cell's unit is not the unit column's
    "3,16,,,furlong,2025,,Bản Bo,,\n"
    "3,,20,10,,2025,,Bản Bo,,\n"  # more than the whole
    "3,,abc,10,,2025,,Bản Bo,,\n"
    "3,,-1,10,,2025,,Bản Bo,,\n"
    "3,,1,0,,2025,,Bản Bo,,\n"
    "3,,,,,2025,,Bản Bo,,\n"  # no value
    "3,-5,,,,2025,,Bản Bo,,\n"
    "3,16,,,,2025,,Bản Bo,,,thừa\n"  # more cells than the header
    ",16,,,,2025,,Bản Bo,,\n"  # no indicator
    '9,"0,962",,,,2025,,Bản Bo,,\n'  # a likely fraction
    '3,"16,5",20,1000,,2025,,Bản Bo,,\n'  # a value and counts
    "3,16,,,,abc,,Bản Bo,,\n"
    "3,1e400,,,,2025,,Bản Bo,,\n"
    '3,"21‰",,,,2025,,Bình Lư,,\n4,"19‰",,,,2025,,Bình Lư,,\n'  # a consistency rule: 3 ≤ 4
    '3,"5‰",,,,2024,,Bình Lư,,\n'  # a jump
)
AUDIT = [
    ["indicators"],
    ["indicators", "--wide", "--ids"],
    ["show", "8", "--ids"],
    ["show", "18"],
    ["show", "99"],
    ["assess", "8", "0,05%", "--year", "2025", "--khu-vuc", "nông thôn"],
    ["assess", "20", "36%", "--year", "2024", "--nhom-tuoi", "2-3"],
    ["assess", "3", "16,5‰", "--year", "2030"],
    ["assess", "8", "0,05%", "--year", "2025"],
    ["assess", "20", "36%", "--year", "2025", "--nhom-tuoi", "ba tuổi"],
    ["assess", "3", "16", "--year", "2025", "--khu-vuc", "nông thôn"],
    ["assess", "18", "12", "--year", "2026"],
    ["assess", "3", "-5", "--year", "2025"],
    ["assess", "3", "16%", "--unit", "‰", "--year", "2025"],
    ["assess", "3", "1.000", "--year", "2025"],
    ["assess", "3", "16", "--year", "2025", "--plan", "@missing"],
    ["assess", "3", "16", "--year", "2025", "--plan"],
    ["assess", "3"],
    ["report", "@rows"],
    ["report", "@rows", "--format", "md", "--by", "area", "--areas", "Bản Bo,Bình Lư,Tả Lèng"],
    ["report", "@rows", "--format", "md", "--by", "year"],
    ["report", "@rows", "--format", "html", "--by", "agency"],
    ["report", "@rows", "--format", "json"],
    ["report", "@rows", "--format", "csv"],
    ["report", "@rows", "-o", "@out/bao-cao.xlsx"],
    ["report", "@rows", "-o", "@out/bao-cao.md"],
    ["report", "@mixed"],
    ["report", "@xlsx", "--format", "md"],
    ["report", "@xlsx", "--sheet", "X"],
    ["report", "@cells", "--format", "md"],
    ["report", "@xlsx", "--sheet", "Trống"],
    ["report", "@empty"],
    ["report", "@longcell"],
    ["report", "@nocolumn"],
    ["report", "@notxlsx"],
    ["report", "@missing"],
    ["report", "@rows", "--format", "xlsx"],
    ["report", "@rows", "-o", "@rows"],
    ["report", "@rows", "-o", "@out/bao-cao.pdf"],
    ["report", "@rows", "-o", "@rows/bao-cao.html"],
    ["report", "@rows", "--areas", "Bản Bo", "--areas-file", "@missing"],
    ["report", "@rows", "--areas-file", "@missing"],
    ["report", "@rows", "--areas-file", "@binary"],
    ["report", "@rows", "--decimal", ";"],
    ["template", "-o", "@out/mau.xlsx", "--year", "2026", "--areas", "Bản Bo,Bình Lư"],
    ["template", "-o", "@out/mau.csv"],
    ["template", "-o", "@rows/mau.xlsx"],
    ["export", "@rows", "--to", "opensdg", "-o", "@out/opensdg"],
    ["export", "@rows", "--to", "dhis2", "--mapping", str(MAPPING), "-o", "@out/dhis2.json"],
    ["export", "@rows", "--to", "dhis2", "-o", "-"],
    ["export", "@rows", "--to", "sdmx", "-o", "-"],
    ["export", "@rows", "--to", "sdmx", "-o", "@rows/sdmx"],
    ["export", "@rows", "--to", "sdmx", "-o", "@rows"],
    ["import", "@payload", "--from", "dhis2", "--mapping", str(MAPPING), "-o", "-"],
    ["import", "@rows", "--from", "dhis2", "--mapping", str(MAPPING), "-o", "-"],
    ["import", "@missing", "--from", "dhis2", "--mapping", str(MAPPING), "-o", "-"],
    ["import", "@binary", "--from", "dhis2", "--mapping", str(MAPPING), "-o", "-"],
    ["import", "@payload", "--from", "dhis2", "--mapping", "@missing", "-o", "-"],
    ["export", "@rows", "--to", "dhis2", "--mapping", "@binary", "-o", "-"],
    ["validate", "@binmapping"],
    ["validate", str(TEMPLATE_PLAN)],
    ["validate", "@badplan"],
    ["validate", "@nfcplan"],
    ["validate", str(MAPPING)],
    ["validate", "@badmapping"],
    ["validate", "@tomlplan"],
    ["validate", "@jsonplan"],
    ["validate", "@intplan"],  # indicators that are no list, and rules naming them: problems, no traceback
    ["validate", "@tomlmapping"],
    ["show", "3", "--plan", "@tomlplan"],
    ["export", "@rows", "--to", "dhis2", "--mapping", "@tomlmapping", "-o", "-"],
    ["validate", "@missing"],
    ["schema"],
    ["serve", "--port", "tám"],
    ["serve", "--workers", "hai"],
    ["serve", "--timeout", "lâu"],
    ["serve", "--workers", "²"],
    ["serve", "--workers", "0"],
    ["serve", "--max-jobs", "0"],
    ["serve", "--max-jobs", "bốn"],
    ["serve", "--port", "²"],
    ["template", "-o", "@out/mau.xlsx", "--year", "sang năm"],
    ["--version"],
    ["frobnicate"],
    [],
]
BAD_PLAN = """tdplan = 1
id = "Xa Ten"
title = { vi = "Kế hoạch", en = "Plan" }
issuer = "UBND xã"
start_year = 2026
end_year = 2025
foo = 1
areas = ["Bản A", "Bản A"]

[dimensions.residence]
name = { vi = "khu vực", en = "residence" }
groups.rural = { vi = "nông thôn" }
groups.urban = { vi = "Nong thon" }

[dimensions.year]
name = "năm"
groups.a = { vi = "a" }

[dimensions.zone]
name = "khu vực"
option = "Vùng"
groups.a = { vi = "a" }

[dimensions.area]
name = "khu vực"
groups.a = { vi = "a" }

[[goals]]
number = 1
title = "Mục tiêu"

[[agencies]]
id = "Health"
name = "Trạm y tế"

[[indicators]]
id = "1"
goal = 2
lead = ["nobody"]
unit = "furlong"
name = "Chỉ tiêu"

[[indicators.targets]]
year = 2040
comparator = "<<"
threshold = -5

[[indicators]]
id = "1"
goal = 1
lead = []
unit = "percent"
name = "x"

[[indicators.targets]]
comparator = "<"
threshold = 150
disaggregation = { residence = "Nông thôn" }

[[indicators.targets]]
comparator = "<"
threshold = 15

[[rules]]
left = "1"
operator = "<>"
right = "9"
"""


@pytest.fixture(scope="module")
def audit_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The files the audit's commands read and write: tables, plans and mappings with problems, a DHIS2 payload."""
    import datetime as dt
    import unicodedata

    import openpyxl

    from tdplan import load_plan
    from tdplan.exchange.dhis2 import export_dhis2, load_mapping

    folder = tmp_path_factory.mktemp("audit")
    files = {"out": folder / "out", "missing": folder / "khong-co"}
    files["out"].mkdir()
    texts = {
        "rows": ("bang.csv", AUDIT_ROWS),
        "mixed": ("hai-kieu.csv", "chỉ tiêu;giá trị;năm\n3;16,5;2025\n3;16.5;2025\n"),
        "nocolumn": ("khong-cot.csv", "a,b\n1,2\n"),
        "empty": ("trong.csv", ""),
        "longcell": ("o-dai.csv", 'chỉ tiêu,giá trị,năm\n3,"16' + " " * 200_000 + '",2025\n'),  # a quote left open
        "notxlsx": ("hong.xlsx", "không phải Excel"),
        "badplan": ("ke-hoach-loi.toml", BAD_PLAN),
        "nfcplan": ("nfd.toml", unicodedata.normalize("NFD", TEMPLATE_PLAN.read_text("utf-8"))),
        "tomlplan": ("cu-phap.toml", 'tdplan = 1\nid "x"\n[a]\n[a]\n'),
        "jsonplan": ("cu-phap.json", '{"tdplan": 1,}'),
        "intplan": ("so.toml", 'tdplan = 1\nindicators = 3\n[[rules]]\nleft = "1"\noperator = "<"\nright = "2"\n'),
        "tomlmapping": ("anh-xa-cu-phap.toml", "dhis2_mapping = 1\norg_units = \n"),
        "badmapping": (
            "anh-xa.toml",
            'dhis2_mapping = 1\norg_units = { "Bản Bo" = "short" }\nfoo = 1\n\n[[data_elements]]\n'
            'indicator = "30"\ndata_element = "fbfJHSPpUQD"\n',
        ),
    }
    for key, (name, text) in texts.items():
        files[key] = folder / name
        files[key].write_text(text, "utf-8")
    files["binary"] = folder / "nhi-phan.txt"
    files["binary"].write_bytes(b"ab\xff\xfe\x00cd")
    files["binmapping"] = folder / "anh-xa-hong.toml"
    files["binmapping"].write_bytes(b"dhis2_mapping = 1\n\xff\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    for row in (
        ["BÁO CÁO CHỈ TIÊU TRẺ EM NĂM 2025"],  # a title row above the header
        [],
        ["Mã chỉ tiêu", "Tỷ lệ (%)", "Năm báo cáo", "Xã, thị trấn"],
        ["9", 0.962, 2025, "Bản Bo"],  # a likely fraction
        ["30", 5, 2025, "Bản Bo"],
        ["8", 0.05, 2025, "Bản Bo"],
        ["3", "abc", 2025, "Bản Bo"],
    ):
        sheet.append(row)
    book.create_sheet("Trống")
    files["xlsx"] = folder / "bang.xlsx"
    book.save(files["xlsx"])
    book = openpyxl.Workbook()  # cells Python would name in its own words: True, a date, a time of day
    for row in (
        ["Mã chỉ tiêu", "Giá trị", "Năm", "Kỳ", "Xã"],
        ["3", True, 2025, None, "Bản Bo"],
        ["3", 16, None, dt.time(10, 30), "Bản Bo"],
        ["3", 16, dt.datetime(2025, 1, 1), None, "Bản Bo"],
        ["3", dt.time(1, 2), 2025, None, "Bản Bo"],
        ["3", 16, 2025, None, True],
        ["3", 16, True, None, "Bản Bo"],
    ):
        book.active.append(row)
    files["cells"] = folder / "o-la.xlsx"
    book.save(files["cells"])
    plan = load_plan()
    card = plan.assess_table(EXAMPLE_TABLE)
    files["payload"] = folder / "dhis2.json"
    files["payload"].write_text(export_dhis2(card, load_mapping(MAPPING, plan)).files["dataValueSets.json"], "utf-8")
    return files


def said(text: str, name: str) -> str:
    """What a person reads of an output: an HTML page's text; of a JSON document its sentences (keys and codes
    are for software)."""
    import html
    import json

    if name.endswith(".html") or text.lstrip().startswith("<!DOCTYPE"):
        text = re.sub(r"(?is)<(style|script)\b.*?</\1>", "", text)
        return html.unescape(re.sub(r"<[^>]+>", "\n", text))
    if text.lstrip().startswith("{"):
        with contextlib.suppress(ValueError):
            return "\n".join(_sentences(json.loads(text)))
    return text


def _sentences(value: object) -> list[str]:
    """The strings of a JSON document that have a space in them."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in _sentences(item)]
    if isinstance(value, list):
        return [text for item in value for text in _sentences(item)]
    return [value] if isinstance(value, str) and " " in value else []


def workbook_text(path: Path) -> str:
    """Every text of a workbook a person reads: cells, and the prompts and errors of its checks."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    texts = [str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    for sheet in book:
        for check in sheet.data_validations.dataValidation:
            texts += [text for text in (check.prompt, check.promptTitle, check.error, check.errorTitle) if text]
    return "\n".join(texts)


class TestAudit:
    """Every subcommand and each error and row problem a test can reach: Vietnamese, without English or Python."""

    @pytest.mark.parametrize("lang", ["vi", "en"])
    @pytest.mark.parametrize("argv", AUDIT, ids=[" ".join(argv) or "nothing" for argv in AUDIT])
    def test_speaks(
        self, lang: str, argv: list[str], audit_files: dict[str, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Standard output, standard error and every file written: in Vietnamese no English; in either no Python."""
        import io

        from tdplan.cli.main import main

        def path(word: str) -> str:
            if not word.startswith("@"):
                return word
            key, _, rest = word[1:].partition("/")
            return str(audit_files[key] / rest) if rest else str(audit_files[key])

        words = [path(word) for word in argv]
        out, err = io.StringIO(), io.StringIO()
        try:
            status = main([*words, "--lang", lang], out, err)
        except SystemExit as done:  # --version: argparse prints and exits
            status = done.code
        printed = capsys.readouterr()
        assert status in (0, 1, 2)
        if words[:1] != ["--version"]:
            assert (out.getvalue() + printed.out + err.getvalue() + printed.err).strip(), "nothing said"
        if words[:1] == ["schema"] and lang == "en":  # as shipped, for software: its words are Python's (float)
            out = io.StringIO()
        text = said(out.getvalue() + printed.out, " ".join(words)) + err.getvalue() + printed.err
        assert_speaks(lang, text)
        written = Path(words[words.index("-o") + 1]) if "-o" in words and status != 2 else None
        if written is not None and written.suffix == ".xlsx":
            assert_speaks(lang, workbook_text(written))
        elif written is not None and written.suffix in (".md", ".html"):
            assert_speaks(lang, said(written.read_text("utf-8"), written.name))

    def test_every_subcommand(self) -> None:
        """The audit runs every subcommand of the parser."""
        import argparse

        from tdplan.cli.arguments import build_parser

        commands = next(a for a in build_parser("vi")._actions if isinstance(a, argparse._SubParsersAction))
        assert set(commands.choices) <= {argv[0] for argv in AUDIT if argv}

    @pytest.mark.parametrize(
        "command",
        ["", "indicators", "show", "validate", "schema", "assess", "report", "template", "export", "import", "serve"],
    )
    def test_help(self, command: str, capsys: pytest.CaptureFixture[str]) -> None:
        """Each --help in Vietnamese, whole lines ending in a line break."""
        from tdplan.cli.main import main

        with pytest.raises(SystemExit) as done:
            main([*([command] if command else []), "--help", "--lang", "vi"])
        out = capsys.readouterr().out
        assert (0, True) == (done.value.code, out.endswith("\n"))
        assert_speaks("vi", out)

    def test_progress(self) -> None:
        """The progress line a terminal shows while a long table is assessed and written, in Vietnamese."""
        import io

        from tdplan.cli.main import _Progress

        stream = io.StringIO()
        progress = _Progress(stream, "vi", delay=0)
        progress.shown = -1.0  # shown at once
        progress(1000, 2500)
        progress.say("tdplan: writing the report…")
        text = stream.getvalue()
        assert text.startswith("\rtdplan: đánh giá 1.000/2.500 dòng (40%)"), text
        assert_speaks("vi", text)
