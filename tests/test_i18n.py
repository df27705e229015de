"""Messages in both languages: the catalog is complete and current, errors speak Vietnamese, the default is right."""

from __future__ import annotations

import importlib.util
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
