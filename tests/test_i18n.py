"""Messages in both languages: the catalog is complete and current, errors speak Vietnamese, the default is right."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import sys
from pathlib import Path

import pytest

import tdplan
from tdplan.core.i18n import Message, default_lang, ntranslate, translate

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
    names = {"Message", "N_"}
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
        assert [
            "bad.py:1: YearError(f'year {y}')",
            "bad.py:2: UnknownGoalError('no goal ' + str(n))",
            "bad.py:3: Message(text)",
            "bad.py:7: N_ inside an f-string",
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
