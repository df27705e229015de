"""Loading plans from files and text: every problem at once, with path, code and line."""

from __future__ import annotations

import importlib.resources
import json
import threading
import tomllib
import unicodedata
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

import tdplan
from tdplan.planfiles.format import to_data

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "plans" / "xa-vi-du-2026-2030.toml"
TEMPLATE = ROOT / "examples" / "plans" / "template.toml"
SHIPPED_TEXT = importlib.resources.files("tdplan").joinpath("data", "tam-duong-2021-2030.toml").read_text("utf-8")

BAD = """\
tdplan = 1
id = "bad"
title = "Kế hoạch thử"
issuer = { vi = "UBND xã", en = "Commune" }
start_year = 2026
end_year = 2030

[[goals]]
number = 1
title = "Mục tiêu 1"

[[agencies]]
id = "health"
name = "Trạm y tế"

[[indicators]]
id = "1"
goal = 2
lead = ["helth"]
unit = "percnt"
name = "Tỷ lệ"

[[indicators.targets]]
year = 2035
comparator = "<"
treshold = 5

[[indicators.targets]]
year = 2030
comparator = "=>"
threshold = 5
disaggregation = { residence = "rural" }

[[indicators]]
id = "1"
goal = 1
lead = []
unit = "percent"
name = { vi = "Tỷ lệ khác", fr = "x" }
targets = "none"
"""


def problems_of(text: str, format: tdplan.Format = "toml") -> list[tuple[int | None, str, str]]:
    plan, problems = tdplan.read_plan(text, format)
    assert plan is None
    return [(problem.line, problem.path, problem.code) for problem in problems]


class TestSources:
    """Shipped plans by id, files by path, text in TOML or JSON."""

    def test_shipped(self) -> None:
        """The shipped plan is found by id, cached, and listed."""
        assert ("tam-duong-2021-2030",) == tdplan.available_plans()
        assert tdplan.load_plan("tam-duong-2021-2030") is tdplan.load_plan()

    def test_file_toml_and_json(self, tmp_path: Path) -> None:
        """A TOML file and its JSON export load to equal plans."""
        plan = tdplan.load_plan(EXAMPLE)
        exported = tmp_path / "plan.json"
        exported.write_text(tdplan.dumps_plan(plan, "json"), encoding="utf-8")
        assert plan == tdplan.load_plan(exported)
        assert plan == tdplan.load_plan(str(exported))
        assert "xa-vi-du-2026-2030" == plan.id
        assert Decimal("96.5") == plan.indicator("1").targets[0].threshold

    def test_unknown_id_or_missing_file(self, tmp_path: Path) -> None:
        """An unknown id is an UnknownPlanError; a missing or odd file a PlanFileError."""
        with pytest.raises(tdplan.UnknownPlanError, match="tdplan ships tam-duong-2021-2030"):
            tdplan.load_plan("lai-chau-2021-2030")
        with pytest.raises(tdplan.PlanFileError, match="cannot read"):
            tdplan.load_plan(tmp_path / "missing.toml")
        odd = tmp_path / "plan.yaml"
        odd.write_text("tdplan: 1", encoding="utf-8")
        with pytest.raises(tdplan.PlanFileError, match=r"\.toml or \.json"):
            tdplan.load_plan(odd)
        with pytest.raises(tdplan.PlanFileError, match="not a file"):
            tdplan.load_plan(tmp_path, format="toml")

    def test_loads(self) -> None:
        """loads_plan reads text and bytes, with a BOM too."""
        plan = tdplan.loads_plan(EXAMPLE.read_text("utf-8"))
        assert plan == tdplan.loads_plan(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
        assert plan == tdplan.loads_plan(tdplan.dumps_plan(plan, "json"), "json")

    def test_template_is_valid(self) -> None:
        """The template an officer copies is itself a valid plan."""
        assert 1 == len(tdplan.load_plan(TEMPLATE).indicators)

    def test_optional_english(self) -> None:
        """A text may be Vietnamese only; it then stands in for English too."""
        goal = tdplan.load_plan(EXAMPLE).goal(2)
        assert ("Về bảo vệ trẻ em", "Về bảo vệ trẻ em") == (goal.title("vi"), goal.title("en"))


class TestProblems:
    """Every problem at once, each with its path, code and line."""

    def test_all_at_once(self) -> None:
        """Misspellings, types, references, years, duplicates and missing leads are all reported."""
        assert [
            (16, "$.indicators[0].targets", "disaggregation"),
            (17, "$.indicators[0].id", "duplicate"),
            (18, "$.indicators[0].goal", "reference"),
            (19, "$.indicators[0].lead[0]", "reference"),
            (20, "$.indicators[0].unit", "value"),
            (23, "$.indicators[0].targets[0].threshold", "missing"),
            (24, "$.indicators[0].targets[0].year", "year"),
            (26, "$.indicators[0].targets[0].treshold", "unknown_key"),
            (30, "$.indicators[0].targets[1].comparator", "value"),
            (35, "$.indicators[1].id", "duplicate"),
            (37, "$.indicators[1].lead", "no_lead"),
            (39, "$.indicators[1].name.fr", "unknown_key"),
            (40, "$.indicators[1].targets", "type"),
        ] == problems_of(BAD)

    def test_messages_say_what_is_valid(self) -> None:
        """Messages suggest the likely key or value, in English and Vietnamese."""
        _, problems = tdplan.read_plan(BAD)
        by_path = {problem.path: problem for problem in problems}
        assert (
            "unknown key 'treshold': did you mean 'threshold'?"
            == by_path["$.indicators[0].targets[0].treshold"].message
        )
        assert "khóa 'treshold' không hợp lệ: có phải là 'threshold'?" == by_path[
            "$.indicators[0].targets[0].treshold"
        ].text("vi")
        assert "(did you mean 'health'?)" in by_path["$.indicators[0].lead[0]"].message
        assert "did you mean 'percent'?" in by_path["$.indicators[0].unit"].message
        assert "'<', '<=', '>=' or '>'" in by_path["$.indicators[0].targets[1].comparator"].message

    def test_error_lists_problems(self) -> None:
        """loads_plan raises one PlanDataError whose errors are the structured problems."""
        with pytest.raises(tdplan.PlanDataError) as info:
            tdplan.loads_plan(BAD, source="bad.toml")
        assert 13 == len(info.value.errors)
        assert all(isinstance(problem, tdplan.PlanProblem) for problem in info.value.errors)
        assert str(info.value).startswith("bad.toml: 13 problem(s):\n  - line 16: $.indicators[0].targets:")

    @pytest.mark.parametrize(
        ("change", "path", "code"),
        [
            (lambda d: d.__setitem__("tdplan", 2), "$.tdplan", "version"),
            (lambda d: d.__setitem__("id", "Tam Đường"), "$.id", "value"),
            (lambda d: d.__setitem__("end_year", 2020), "$.end_year", "year"),
            (lambda d: d["goals"][1].__setitem__("number", 1), "$.goals[1].number", "duplicate"),
            (lambda d: d["goals"][0].__setitem__("number", 0), "$.goals[0].number", "value"),
            (lambda d: d["agencies"][1].__setitem__("id", "labour"), "$.agencies[1].id", "duplicate"),
            (lambda d: d["agencies"][0].__setitem__("id", "Lao động"), "$.agencies[0].id", "value"),
            (lambda d: d["indicators"][0].__setitem__("id", "1 a"), "$.indicators[0].id", "value"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("threshold", 101), "threshold", "bound"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("threshold", -1), "threshold", "bound"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("upper", 3), "upper", "value"),
            (lambda d: d["indicators"][0]["targets"][1].__setitem__("year", 2025), "targets[1]", "duplicate"),
            (lambda d: d["indicators"][0].__setitem__("targets", []), "$.indicators[0].targets", "missing"),
            (lambda d: d.__setitem__("indicators", []), "$.indicators", "missing"),
            (lambda d: d["indicators"][18]["targets"][0].pop("from_year"), "$.indicators[18].targets[0]", "missing"),
            (lambda d: d["indicators"][18]["targets"][0].__setitem__("from_year", 2030 + 0), "", ""),
            (lambda d: d["indicators"][18]["targets"][0].__setitem__("upper", 1), "upper", "bound"),
            (lambda d: d["indicators"][18]["targets"][0].__setitem__("unit", "permille"), "unit", "value"),
            (lambda d: d["indicators"][0].__setitem__("goal", "1"), "$.indicators[0].goal", "type"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("threshold", True), "threshold", "type"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("threshold", "97,2"), "threshold", "type"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("kind", "trend"), "kind", "value"),
            (
                lambda d: d["indicators"][0]["targets"][0].__setitem__("disaggregation", "rural"),
                "disaggregation",
                "type",
            ),
            (lambda d: d.__setitem__("goals", {"number": 1}), "$.goals", "type"),
            (lambda d: d["tasks"][0].__setitem__("items", ""), "$.tasks[0].items", "type"),  # found by the fuzz test
            (lambda d: d.pop("title"), "$.title", "missing"),
            (lambda d: d["legal_basis"].__setitem__("date", "06/04/2020"), "$.legal_basis.date", "type"),
        ],
    )
    def test_each_problem(self, change: Any, path: str, code: str) -> None:
        """Each kind of mistake in the shipped plan's data is reported with its code at its path."""
        data = tomllib.loads(SHIPPED_TEXT, parse_float=Decimal)
        change(data)
        plan, problems = tdplan.read_plan(tomli_w.dumps(data))
        if not code:  # from_year == year is a valid one-year fall
            assert plan is not None
            return
        assert plan is None
        assert any(problem.code == code and path in problem.path for problem in problems), problems

    def test_json_lines(self) -> None:
        """Problems in a JSON file carry their line too."""
        text = json.dumps(json.loads(tdplan.dumps_plan(tdplan.load_plan(EXAMPLE), "json")), indent=2)
        lines = text.splitlines()
        target = next(i for i, line in enumerate(lines, start=1) if '"threshold": 96.5' in line)
        broken = text.replace('"threshold": 96.5', '"threshold": "96,5"')
        assert [(target, "$.indicators[0].targets[0].threshold", "type")] == problems_of(broken, "json")


class TestHostileFiles:
    """Bad and hostile files get problems, never another exception."""

    @pytest.mark.parametrize(
        ("data", "format", "code", "line"),
        [
            ("tdplan = 1\nid = =\n", "toml", "syntax", 2),
            ('{"tdplan": 1,\n "id": }', "json", "syntax", 2),
            ('{"tdplan": NaN}', "json", "syntax", None),
            ('{"tdplan": 1, "tdplan": 1}', "json", "duplicate", None),
            ("[" * 100_000, "json", "syntax", None),
            ("a = " + "[" * 100_000, "toml", "syntax", None),
            (b"tdplan = 1\nid = '\xff'", "toml", "encoding", None),
            ("[1, 2]", "json", "type", 1),
            ("", "toml", "missing", 1),
            ('tdplan = 1\n"a[b" = 1\n', "toml", "missing", 1),  # a key with '[' once hung the line finder
        ],
    )
    def test_problem_not_crash(self, data: str | bytes, format: tdplan.Format, code: str, line: int | None) -> None:
        """Syntax, encoding, nesting, NaN and duplicate keys are problems of the file."""
        plan, problems = tdplan.read_plan(data, format)
        assert plan is None
        assert (code, line) == (problems[0].code, problems[0].line)

    def test_size_limit(self, tmp_path: Path) -> None:
        """A file over the limit is refused before it is parsed."""
        text = "# " + "x" * tdplan.MAX_FILE_BYTES
        assert [(None, "$", "size")] == problems_of(text)
        big = tmp_path / "big.toml"
        big.write_text(text, encoding="utf-8")
        with pytest.raises(tdplan.PlanFileError, match="at most 5242880 bytes"):
            tdplan.load_plan(big)

    def test_unknown_format(self) -> None:
        """Only TOML and JSON are read and written."""
        with pytest.raises(tdplan.PlanFileError, match="'toml' or 'json'"):
            tdplan.read_plan("", "yaml")  # type: ignore[arg-type]
        with pytest.raises(tdplan.PlanFileError, match="'toml' or 'json'"):
            tdplan.dumps_plan(tdplan.load_plan(), "xml")  # type: ignore[arg-type]


class TestNormalisation:
    """Text that is not NFC is normalised, with a warning."""

    def test_nfd_warns_and_normalises(self) -> None:
        """Decomposed Vietnamese loads as NFC and warns with the path."""
        data = tomllib.loads(EXAMPLE.read_text("utf-8"), parse_float=Decimal)
        data["indicators"][2]["name"]["vi"] = unicodedata.normalize("NFD", "Tỷ suất tử vong trẻ em dưới 5 tuổi")
        with pytest.warns(tdplan.PlanDataWarning, match=r"\$\.indicators\[2\]\.name\.vi: text is not NFC"):
            plan = tdplan.loads_plan(tomli_w.dumps(data))
        assert "Tỷ suất tử vong trẻ em dưới 5 tuổi" == plan.indicator("3").name.vi
        _, problems = tdplan.read_plan(tomli_w.dumps(data))
        assert ["warning"] == [problem.severity for problem in problems]

    def test_shipped_plan_is_clean(self) -> None:
        """The shipped plan loads with no problem and no warning."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            plan, problems = tdplan.read_plan(SHIPPED_TEXT)
        assert (plan, ()) == (tdplan.load_plan(), problems)


class TestRoundTrip:
    """load, dump, load gives an equal plan."""

    @pytest.mark.parametrize("format", ["toml", "json"])
    @pytest.mark.parametrize("source", ["tam-duong-2021-2030", str(EXAMPLE), str(TEMPLATE)])
    def test_round_trip(self, source: str, format: tdplan.Format) -> None:
        """Every shipped and example plan survives a round trip in both formats."""
        plan = tdplan.load_plan(source)
        assert plan == tdplan.loads_plan(tdplan.dumps_plan(plan, format), format)

    def test_exact_numbers_in_json(self) -> None:
        """JSON export writes thresholds as exact numbers, never through a float."""
        text = tdplan.dumps_plan(tdplan.load_plan(), "json")
        assert '"threshold": 97.2' in text
        assert '"threshold": 0.1' in text
        assert json.loads(text, parse_float=Decimal)["indicators"][8]["targets"][0]["threshold"] == Decimal("97.2")

    def test_data_layout(self) -> None:
        """The dumped data leaves out what is empty and keeps the plan's order."""
        data = to_data(tdplan.load_plan(EXAMPLE))
        assert ["1", "2", "3", "4", "5"] == [ind["id"] for ind in data["indicators"]]
        assert "legal_basis" not in data
        assert {"vi": "Về bảo vệ trẻ em"} == data["goals"][1]["title"]


class TestCache:
    """The shipped plan is read once and shared."""

    def test_concurrent_first_load(self) -> None:
        """Threads loading at the same time get the same object."""
        plans: list[tdplan.Plan] = []
        threads = [threading.Thread(target=lambda: plans.append(tdplan.load_plan())) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert 1 == len({id(plan) for plan in plans})


class TestReviewFindings:
    """Inputs a review found to crash or mislead, each now a typed error or a problem."""

    @pytest.mark.parametrize("data", [None, 5, ["tdplan = 1"]])
    def test_data_type(self, data: Any) -> None:
        """Plan data is text or bytes."""
        with pytest.raises(tdplan.InputTypeError, match="str or bytes"):
            tdplan.read_plan(data)
        with pytest.raises(tdplan.InputTypeError):
            tdplan.loads_plan(data)

    @pytest.mark.parametrize("source", [None, 123, b"plan.toml"])
    def test_source_type(self, source: Any) -> None:
        """A plan source is an id or a path."""
        with pytest.raises(tdplan.InputTypeError, match="id or a file's path"):
            tdplan.load_plan(source)

    def test_bytearray(self) -> None:
        """A bytearray is read like bytes."""
        assert tdplan.load_plan(TEMPLATE) == tdplan.loads_plan(bytearray(TEMPLATE.read_bytes()))

    def test_lone_surrogate(self) -> None:
        """A lone surrogate (possible in JSON) is an encoding problem, not a crash later when printed."""
        text = TEMPLATE.read_text("utf-8")
        data = tomllib.loads(text, parse_float=Decimal)
        data["title"] = "Kế hoạch \ud800"
        plan, problems = tdplan.read_plan(json.dumps(as_json_dates(data)), "json")
        assert plan is None
        assert [("$.title", "encoding")] == [(p.path, p.code) for p in problems]
        assert tdplan.read_plan('id = "\ud800"')[0] is None

    @pytest.mark.parametrize(
        ("change", "path", "code"),
        [
            (lambda d: d.__setitem__("end_year", 10000), "$.end_year", "year"),
            (
                lambda d: d["indicators"][0]["targets"][0].__setitem__("threshold", Decimal("1e-99999")),
                "threshold",
                "bound",
            ),
            (lambda d: d["indicators"][0]["targets"].append({"comparator": ">=", "threshold": 90}), "targets", "value"),
            (
                lambda d: d["indicators"][0]["targets"].append(
                    {
                        "kind": "annual_fall",
                        "from_year": 2027,
                        "year": 2028,
                        "comparator": ">=",
                        "threshold": 2,
                        "unit": "percent",
                    }
                ),
                "targets",
                "value",
            ),
            (
                lambda d: d["indicators"][0].__setitem__(
                    "targets",
                    [
                        {
                            "kind": "annual_fall",
                            "from_year": 2027,
                            "year": 2028,
                            "comparator": ">=",
                            "threshold": 2,
                            "unit": "percent",
                        }
                    ],
                ),
                "$.indicators[0].unit",
                "value",
            ),
        ],
    )
    def test_combinations_and_bounds(self, change: Any, path: str, code: str) -> None:
        """Years past 9998, absurd thresholds, mixed target kinds, continuous beside milestones, falls on shares."""
        data = tomllib.loads(TEMPLATE.read_text("utf-8"), parse_float=Decimal)
        change(data)
        plan, problems = tdplan.read_plan(tomli_w.dumps(data))
        assert plan is None
        assert any(problem.code == code and path in problem.path for problem in problems), problems

    def test_toml_integer_too_long(self) -> None:
        """A TOML integer past Python's digit limit is a TOML syntax problem, not 'not valid JSON'."""
        _, problems = tdplan.read_plan("tdplan = " + "9" * 5000)
        assert ("syntax", True) == (problems[0].code, problems[0].message.startswith("not valid TOML"))


def as_json_dates(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: as_json_dates(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_json_dates(item) for item in data]
    return data.isoformat() if hasattr(data, "isoformat") else str(data) if isinstance(data, Decimal) else data


class TestEmptyText:
    """An empty Vietnamese text is a problem: it could not be written back and read again."""

    @pytest.mark.parametrize("note", ["", "   ", {"vi": ""}])
    def test_refused(self, note: object) -> None:
        """``translation_note = ""`` is a `missing` problem at its path, not a plan that cannot round-trip."""
        data = json.loads(tdplan.dumps_plan(tdplan.load_plan(), "json"))
        data["translation_note"] = note
        plan, problems = tdplan.read_plan(json.dumps(data), "json")
        assert plan is None
        assert [("$.translation_note", "missing")] == [(p.path, p.code) for p in problems]

    def test_empty_task_items_refused(self) -> None:
        """A task with no items is a `missing` problem: the file format would leave the empty list out."""
        data = json.loads(tdplan.dumps_plan(tdplan.load_plan(), "json"))
        data["tasks"][1]["items"] = []
        plan, problems = tdplan.read_plan(json.dumps(data), "json")
        assert plan is None
        assert [("$.tasks[1].items", "missing")] == [(p.path, p.code) for p in problems]

    def test_empty_task_number_refused(self) -> None:
        """A task whose number is empty is a `missing` problem: written back, the task would have no number."""
        data = json.loads(tdplan.dumps_plan(tdplan.load_plan(), "json"))
        data["tasks"][0]["number"] = ""
        plan, problems = tdplan.read_plan(json.dumps(data), "json")
        assert plan is None
        assert [("$.tasks[0].number", "missing")] == [(p.path, p.code) for p in problems]


class TestSyntaxReasons:
    """A file the parser refuses: the parser's complaint in the reader's words, with its line and column."""

    @pytest.mark.parametrize(
        ("text", "fmt", "vi", "line"),
        [
            ("tdplan = \n", "toml", "không phải TOML hợp lệ: giá trị tdplan không đọc được", 1),
            ('tdplan = 1\nid "x"\n', "toml", "không phải TOML hợp lệ: thiếu dấu '=' sau tên khóa (dòng 2, cột 4)", 2),
            ("[a]\n[a]\n", "toml", "không phải TOML hợp lệ: bảng [a] được khai báo hai lần (dòng 2, cột 3)", 2),
            ("a = [1, 2\n", "toml", "không phải TOML hợp lệ: danh sách [ … ] chưa được đóng (ở cuối tệp)", None),
            ('{"tdplan": 1,}', "json", "không phải JSON hợp lệ: thiếu tên khóa trong ngoặc kép", 1),
            ('{\n"a": 1\n"b": 2}', "json", "không phải JSON hợp lệ: thiếu dấu phẩy ',' giữa hai phần tử (dòng 3", 3),
        ],
    )
    def test_reason(self, text: str, fmt: str, vi: str, line: int | None) -> None:
        """The problem names the fault in Vietnamese, and its line where the parser knows it."""
        _, problems = tdplan.read_plan(text, fmt)
        assert ("syntax", line, True) == (problems[0].code, problems[0].line, problems[0].text("vi").startswith(vi))

    def test_keys_as_written(self) -> None:
        """A key is named as the file writes it, never as Python's tuple."""
        _, problems = tdplan.read_plan("[dimensions.residence]\n[dimensions.residence]\n", "toml")
        assert "the table [dimensions.residence] is declared twice (line 2, column 22)" in problems[0].text("en")

    def test_unknown_sentence_kept(self) -> None:
        """A sentence tdplan does not know (a later Python's) is kept as the parser wrote it, with its line."""
        from tdplan.planfiles.syntax import syntax_reason

        error = tomllib.TOMLDecodeError("Something new (at line 2, column 1)")
        assert ("Something new (at line 2, column 1)", 2) == syntax_reason(error)


class TestSchemaWords:
    """The JSON Schema's titles and descriptions in the reader's language."""

    def test_marked_texts_are_the_schemas(self) -> None:
        """Each text marked for the catalog is a title or description of the shipped schema (none mistyped)."""
        from tdplan.planfiles.schema_words import SCHEMA_TEXTS

        texts: list[str] = []

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                texts.extend(value[key] for key in ("title", "description") if isinstance(value.get(key), str))
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(json.loads(tdplan.plan_schema()))
        assert [] == [text for text in SCHEMA_TEXTS if text not in texts]

    def test_vietnamese(self) -> None:
        """In Vietnamese the option's description is Vietnamese; the option's pattern is the same."""
        from tdplan.planfiles.schema_words import plan_schema_in

        option = json.loads(plan_schema_in("vi"))["$defs"]["dimension"]["properties"]["option"]
        assert option["description"].startswith("Tên tùy chọn dòng lệnh tiếng Việt của cách chia nhóm (khu-vuc")
        assert "^[a-z0-9]+(-[a-z0-9]+)*$" == option["pattern"]
