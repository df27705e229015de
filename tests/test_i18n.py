"""Messages in both languages: the catalog is complete and current, errors speak Vietnamese, the default is right."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import inspect
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tdplan
from tdplan.core.i18n import C_, Bilingual, Label, Message, default_lang, ntranslate, translate

ROOT = Path(__file__).resolve().parents[1]


def catalog_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("catalog", ROOT / "tools" / "catalog.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalog"] = module
    spec.loader.exec_module(module)
    return module


class TestCatalog:
    def test_complete_and_current(self) -> None:
        """Every message the code marks has a Vietnamese translation, and the catalog matches the code."""
        assert [] == catalog_tool().problems()

    def test_check_sees_a_missing_translation(self) -> None:
        """The check is not vacuous: an untranslated message is reported."""
        tool = catalog_tool()
        template = tool.extract()
        template.add("a message nobody translated")
        assert ["a message nobody translated"] == tool.untranslated(tool.updated("vi", template))

    def test_messages_inside_a_plan_data_error(self) -> None:
        """A problem's message written inside ``raise PlanDataError(source, [...])`` is extracted too."""
        tool = catalog_tool()
        module = tool.PACKAGE / "core" / "zz_data_error_probe.py"
        module.write_text(
            "from tdplan.core.errors import PlanDataError, PlanProblem\n"
            "from tdplan.core.i18n import Message\n"
            'def fail() -> None:\n    raise PlanDataError("x", [PlanProblem.of("$", "syntax", Message("a probe"))])\n',
            encoding="utf-8",
        )
        try:
            template = tool.extract()
        finally:
            module.unlink()
        assert template.get("a probe") is not None

    def test_check_sees_a_skipped_fstring(self) -> None:
        """A message Babel cannot extract (an f-string) fails the check, with its file and line."""
        tool = catalog_tool()
        module = tool.PACKAGE / "core" / "zz_fstring_probe.py"
        module.write_text('from tdplan.core.i18n import Message\nx = 1\nM = Message(f"broken {x}")\n', encoding="utf-8")
        try:
            found = tool.problems()
        finally:
            module.unlink()
        assert any("zz_fstring_probe.py:3: warning: Skipping f-string" in line for line in found)


def message_keywords() -> set[str]:
    """The callables whose first argument is a message template: Message, N_ and every tdplan error."""
    errors = tdplan.core.errors
    names = {"Message", "N_", "C_"}
    names |= {
        name
        for name, value in vars(errors).items()
        if inspect.isclass(value) and issubclass(value, errors.TdplanError) and value is not errors.PlanDataError
    }  # a PlanDataError is built from its problems, not from a template
    return names


def non_literal_templates(root: Path) -> list[str]:
    """Each call under ``root`` that passes something other than a string literal as a message template."""
    found = []
    keywords = message_keywords()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        marked = {  # module constants bound to N_("literal"): extracted where they are defined
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "N_"
            and node.value.args
            and isinstance(node.value.args[0], ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):  # Babel does not look inside f-strings: a marker there is never extracted
            if isinstance(node, ast.JoinedStr):
                hidden = [
                    call
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in keywords
                ]
                found += [
                    f"{path.relative_to(root)}:{call.lineno}: {call.func.id} inside an f-string" for call in hidden
                ]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in keywords):
                continue
            if not node.args:
                continue
            first = node.args[0]
            if node.func.id == "C_":  # a label: its context and its English are both literals
                if not all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args[:2]):
                    found.append(f"{path.relative_to(root)}:{node.lineno}: C_({ast.unparse(node)[3:60]}")
                continue
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            stored = isinstance(first, ast.Attribute) and first.attr == "template"  # a stored template, shown again
            constant = isinstance(first, ast.Name) and first.id in marked
            if not (literal or stored or constant):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.func.id}({ast.unparse(first)[:60]})")
    return sorted(found)


class TestTemplates:
    def test_every_template_is_a_literal(self) -> None:
        """No error or Message in src is given an f-string or a computed string: each can be translated."""
        assert [] == non_literal_templates(ROOT / "src" / "tdplan")

    def test_the_check_sees_computed_templates(self, tmp_path: Path) -> None:
        """The walk is not vacuous: an f-string, a concatenation and a variable are each found."""
        (tmp_path / "bad.py").write_text(
            'raise YearError(f"year {y}")\n'
            'raise UnknownGoalError("no goal " + str(n))\n'
            "M = Message(text)\n"
            'ok = SeriesError("fine {x}", x=1)\n'
            '_MARKED = N_("marked {x}")\n'
            "fine = Message(_MARKED, x=1)\n"
            "hidden = f\"{_(N_('rows'), lang)} 1\"\n",
            encoding="utf-8",
        )
        (tmp_path / "labels.py").write_text(
            'ok = C_("report", "Result")\nname = C_("report", word)\nplace = C_(where, "Result")\n', encoding="utf-8"
        )
        assert [
            "bad.py:1: YearError(f'year {y}')",
            "bad.py:2: UnknownGoalError('no goal ' + str(n))",
            "bad.py:3: Message(text)",
            "bad.py:7: N_ inside an f-string",
            "labels.py:2: C_('report', word)",
            "labels.py:3: C_(where, 'Result')",
        ] == non_literal_templates(tmp_path)


class TestMessages:
    def test_error_in_both_languages(self) -> None:
        """An error keeps its code and parameters; str() is English, message('vi') Vietnamese."""
        with pytest.raises(tdplan.UnknownGoalError) as caught:
            tdplan.load_plan().goal(7)
        error = caught.value
        assert ("unknown_goal", {"number": 7, "valid": "1, 2, 3, 4"}) == (error.code, error.params)
        assert "no goal 7: the plan has goals 1, 2, 3, 4" == str(error) == error.message("en")
        assert "không có mục tiêu 7: kế hoạch có các mục tiêu 1, 2, 3, 4" == error.message("vi")

    def test_plan_data_error_lists_problems_in_vietnamese(self) -> None:
        """Each problem of a plan file is in the message's language, with its line."""
        with pytest.raises(tdplan.PlanDataError) as caught:
            tdplan.loads_plan("tdplan = 1\nid = 3\n", "toml")
        assert caught.value.message("vi").startswith("<string>: 8 lỗi:\n  - dòng 1: $.title: thiếu khóa bắt buộc\n")
        assert str(caught.value).startswith("<string>: 8 problem(s):\n  - line 1: $.title: required key is missing")

    def test_readings_in_the_readers_notation(self) -> None:
        """An ambiguous number's two readings are written in Vietnamese notation for a Vietnamese reader."""
        with pytest.raises(tdplan.AmbiguousValueError) as caught:
            tdplan.core.notation.parse_number("1.000")
        assert caught.value.message("vi").startswith("'1.000' là 1.000 theo cách viết Việt Nam nhưng là 1 theo")
        assert str(caught.value).startswith("'1.000' is 1000 in Vietnamese notation but 1.000 in English")

    def test_hints_in_each_surface(self) -> None:
        """One error, three wordings of its fix: Python's keyword, the command line's option, a table's column."""
        from tdplan.analysis.reading import TABLE
        from tdplan.cli.arguments import COMMAND_LINE

        with pytest.raises(tdplan.DisaggregationError) as caught:
            tdplan.load_plan().assess("20", "36", year=2024)
        error = caught.value
        assert "indicator 20 has targets by group: give disaggregation={'age': '2-3'} or {'age': '3-5'}" == str(error)
        expected = 'indicator 20 has targets by group: give --age "children aged 2–3" or --age "children aged 3–5"'
        assert expected == error.message("en", COMMAND_LINE)
        assert (
            "chỉ tiêu 20 có mức phấn đấu theo nhóm: hãy ghi trẻ 2–3 tuổi hoặc trẻ 3–5 tuổi ở cột nhóm tuổi"
            == error.message("vi", TABLE)
        )

    def test_text_parameters_follow_the_language(self) -> None:
        """A Text parameter shows its own language."""
        message = Message("the {unit} is wrong", unit=tdplan.Text("phần nghìn", "per mille"))
        assert "the per mille is wrong" == message.text("en")

    def test_plural(self) -> None:
        """English has two forms; an untranslated message falls back to English."""
        assert ("1 goal", "2 goals") == (
            ntranslate("{n} goal", "{n} goals", 1, "en").format(n=1),
            ntranslate("{n} goal", "{n} goals", 2, "en").format(n=2),
        )
        assert "no such message" == translate("no such message", "vi")

    def test_a_broken_translation_falls_back_to_english(self) -> None:
        """A translation whose placeholder does not match is never a crash."""
        assert "no goal 5: the plan has goals 1" == Message(
            "no goal {number!r}: the plan has goals {valid}", number=5, valid="1"
        ).text("en")


class TestDefaultLanguage:
    @pytest.mark.parametrize(
        ("environ", "expected"),
        [
            ({"TDPLAN_LANG": "en", "LANG": "vi_VN.UTF-8"}, "en"),
            ({"TDPLAN_LANG": "vi", "LANG": "en_US.UTF-8"}, "vi"),
            ({"LANG": "en_GB.UTF-8"}, "en"),
            ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, "vi"),
            ({"LANG": "C.UTF-8"}, "vi"),
            ({"LANG": "fr_FR.UTF-8"}, "vi"),
            ({"TDPLAN_LANG": "fr"}, "vi"),
            ({}, "vi"),
        ],
    )
    def test_order(self, environ: dict[str, str], expected: str) -> None:
        """TDPLAN_LANG first, then the locale (vi_*, en_*), then Vietnamese."""
        assert expected == default_lang(environ)


class TestMissingExtras:
    """One sentence for every optional library that is absent, in the reader's language."""

    def test_both_languages(self) -> None:
        """What needs it, what to install, and the extra that brings it."""
        from tdplan.core.errors import require_module

        with pytest.raises(tdplan.MissingDependencyError) as caught:
            require_module("no_such_module", package="openpyxl", extra="excel", purpose=Message("Excel workbooks"))
        install = "pip install 'tdplan[excel]'"
        assert f"Excel workbooks need openpyxl, which is not installed: {install} (or pip install openpyxl)" == str(
            caught.value
        )
        assert f"Tệp Excel cần thư viện openpyxl nhưng máy chưa cài: {install} (hoặc pip install openpyxl)" == (
            caught.value.message("vi")
        )


class TestLabels:
    """A label is written in English with a context and shown in the catalog's Vietnamese, like a Text."""

    def test_both_languages(self) -> None:
        """Called with a language it gives that language; str() and the default are Vietnamese, as a Text's are."""
        label = C_("report", "Result")
        assert ("Kết quả", "Result") == (label("vi"), label("en"))
        assert ("Kết quả", "Kết quả") == (label(), str(label))
        assert ("Kết quả", "Result") == (label.vi, label.en)

    def test_any_other_language_is_vietnamese(self) -> None:
        """As for a Text, a language other than "en" (another code, or not a string at all) gives Vietnamese."""
        label = C_("status", "met")
        assert ["đạt", "đạt", "đạt"] == [label("fr"), label(None), label(["en"])]  # type: ignore[arg-type]

    def test_context_keeps_words_apart(self) -> None:
        """One English word, two Vietnamese ones: a report's Period column and the plan's period."""
        assert "Thời gian" == C_("report", "Period")("vi")
        assert "Giai đoạn" == C_("the plan's period", "Period")("vi")
        assert "Kỳ" == C_("CSV column", "Period")("vi")

    def test_untranslated_label_is_english(self) -> None:
        """A label the catalog does not have is shown as written, in both languages."""
        label = C_("no such context", "Nowhere")
        assert ("Nowhere", "Nowhere") == (label("vi"), label("en"))

    def test_a_status_and_a_column(self) -> None:
        """The words reports use come from the catalog: a status, a CSV column, a column named in a message."""
        from tdplan.analysis.reading import COLUMN_LABELS

        assert ("chưa đạt", "pending") == (tdplan.Status.PENDING.label("vi"), tdplan.Status.PENDING.label("en"))
        assert ("nhóm tuổi", "age") == (COLUMN_LABELS["age"]("vi"), COLUMN_LABELS["age"]("en"))

    def test_in_a_message(self) -> None:
        """A label given to a message is shown in the message's language."""
        message = Message("the {column} column", column=C_("column named in a message", "denominator"))
        assert ("the mẫu số column", "the denominator column") == (message.text("vi"), message.text("en"))

    def test_value_object(self) -> None:
        """Labels are equal by context and English, hashable, unchangeable, and survive pickling."""
        label = C_("report", "Result")
        assert label == Label("report", "Result")
        assert label != C_("CSV column", "Result")
        assert 1 == len({label, Label("report", "Result")})
        with pytest.raises(AttributeError):
            label.message = "Other"  # type: ignore[misc]
        assert label == pickle.loads(pickle.dumps(label))
        assert "C_('report', 'Result')" == repr(label)

    def test_a_label_and_a_text_are_both_bilingual(self) -> None:
        """Code that shows words in either language takes a label or a plan's Text alike."""

        def both(words: Bilingual) -> tuple[str, str]:
            return words("vi"), words("en")

        assert ("đạt", "met") == both(C_("status", "met"))
        assert ("nông thôn", "rural") == both(tdplan.Text("nông thôn", "rural"))


class TestCompiledCatalog:
    """tdplan reads the compiled tdplan.mo; the check fails while it is older than the .po."""

    def test_the_package_mo_is_what_gettext_reads(self) -> None:
        """The shipped .mo, read with the standard library alone, translates a message, a label and a plural."""
        path = ROOT / "src" / "tdplan" / "locale" / "vi" / "LC_MESSAGES" / "tdplan.mo"
        with path.open("rb") as file:
            catalog = gettext.GNUTranslations(file)
        assert "hoặc" == catalog.gettext("or")
        assert "Giai đoạn" == catalog.pgettext("the plan's period", "Period")
        assert "{n} mục tiêu" == catalog.ngettext("{n} goal", "{n} goals", 2)

    def test_check_sees_a_stale_mo(self, tmp_path: Path) -> None:
        """A translation changed in the .po and not compiled is reported; compiling makes the .mo current again."""
        tool = catalog_tool()
        po, mo = tmp_path / "tdplan.po", tmp_path / "tdplan.mo"
        shutil.copy(tool.po_path("vi"), po)
        assert tool.compile_catalog(po, mo, "vi")
        assert tool.compiled_current(po, mo, "vi")
        assert not tool.compile_catalog(po, mo, "vi")  # unchanged: not rewritten
        text = po.read_text(encoding="utf-8")
        po.write_text(text.replace('msgstr "Giai đoạn"', 'msgstr "Thời kỳ"', 1), encoding="utf-8")
        assert not tool.compiled_current(po, mo, "vi")
        assert tool.compile_catalog(po, mo, "vi")
        with mo.open("rb") as file:
            assert "Thời kỳ" == gettext.GNUTranslations(file).pgettext("the plan's period", "Period")

    def test_nothing_read_at_import(self) -> None:
        """Import and a check read no catalog; the first Vietnamese words read the .mo, not the .po with Babel."""
        code = (
            "import sys, tdplan\n"
            "assessment = tdplan.load_plan().assess('3', 16, year=2025)\n"
            "print('gettext' in sys.modules)\n"
            "print(assessment.explain('vi'))\n"
            "print('gettext' in sys.modules, 'babel.messages' in sys.modules)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert ["False", "16‰ < 18‰: đạt chỉ tiêu năm 2025", "True False"] == done.stdout.splitlines()

    def test_labels_are_extracted_with_their_context(self) -> None:
        """The catalog tool finds C_ labels, each under its context."""
        template = catalog_tool().extract()
        assert template.get("Period", context="the plan's period") is not None
        assert template.get("Period", context="report") is not None


def labels_in_code(root: Path) -> list[str]:
    """Each ``Text(...)`` under ``root`` given words written in the code (a string literal), not plan data."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name != "Text":
                continue
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            if any(written_words(argument) for argument in arguments):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)[:60]}")
    return found


def written_words(node: ast.AST) -> bool:
    """Whether an argument holds a non-empty string literal of its own (not one inside a call it makes)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value != ""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Call):
        return False  # Text(name.strip(), ...), Text(", ".join(...)): words from data
    return any(written_words(child) for child in ast.iter_child_nodes(node))


class TestLabelsInCode:
    """Words written in the code go through the catalog (C_); Text holds a plan's own bilingual data."""

    def test_no_label_written_as_text(self) -> None:
        """No Text in src is given a string literal: a translator could not see or fix it."""
        assert [] == labels_in_code(ROOT / "src" / "tdplan")

    def test_the_walk_sees_labels(self, tmp_path: Path) -> None:
        """The walk is not vacuous: a pair, a fallback, an f-string and a keyword are found; data is not."""
        (tmp_path / "mod.py").write_text(
            'a = Text("Kết quả", "Result")\n'
            'b = Text(area or "(không ghi địa bàn)", area or "(no area)")\n'
            'c = vocabulary.Text(f"Năm {y}")\n'
            'd = Text(vi=name, en="Name")\n'
            'e = Text(", ".join(names("vi")), ", ".join(names("en")))\n'
            'f = Text(name)\ng = Text("")\nh = Text(translate(_NO_AREA, "vi"), _NO_AREA)\n',
            encoding="utf-8",
        )
        assert [
            "mod.py:1: Text('Kết quả', 'Result')",
            "mod.py:2: Text(area or '(không ghi địa bàn)', area or '(no area)')",
            "mod.py:3: vocabulary.Text(f'Năm {y}')",
            "mod.py:4: Text(vi=name, en='Name')",
        ] == labels_in_code(tmp_path)
