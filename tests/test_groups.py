"""Disaggregation groups with labels: the plan file's [dimensions], inputs in any spelling, outputs in words."""

from __future__ import annotations

import csv
import io
import json
import pathlib
import subprocess
import sys
import tomllib
from typing import ClassVar

import jsonschema
import pytest

import tdplan
from tdplan import DisaggregationError, Status
from tdplan.core.dimensions import Disaggregation, match_key, option_word
from tdplan.core.vocabulary import Text
from tdplan.reports.render import render

PLAN = tdplan.load_plan()
ROOT = pathlib.Path(__file__).parent.parent
EXAMPLE = (ROOT / "examples" / "plans" / "xa-vi-du-2026-2030.toml").read_text("utf-8")


class TestMatchKey:
    """match_key: how a typed name is compared."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Nông thôn", "nongthon"),
            ("nong  thon", "nongthon"),
            ("NÔNG THÔN", "nongthon"),
            ("Đô thị", "dothi"),
            ("2–3", "2-3"),  # en dash
            ("2 — 3", "2-3"),  # em dash and spaces
            ("2\u22123", "2-3"),  # minus sign
            ("2 - 3 tuổi", "2-3tuoi"),
        ],
    )
    def test_keys(self, text: str, expected: str) -> None:
        """Case, accents (đ too), spaces and dash variants do not count."""
        assert expected == match_key(text)


class TestOptionWord:
    """option_word: a name as the word of a command-line option."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("khu vực", "khu-vuc"),
            ("Nhóm tuổi", "nhom-tuoi"),
            ("Độ tuổi (năm)", "do-tuoi-nam"),
            ("age_group", "age-group"),
            ("2–3", "2-3"),
            ("—", ""),
        ],
    )
    def test_words(self, text: str, expected: str) -> None:
        """No accents (đ is d), lowercase, every run of other characters one dash, none at the ends."""
        assert expected == option_word(text)

    def test_shipped_dimensions(self) -> None:
        """The shipped plan's dimensions take --khu-vuc/--residence and --nhom-tuoi/--age, from its own words."""
        assert [("khu-vuc", "residence"), ("nhom-tuoi", "age")] == [
            (dimension.options.vi, dimension.options.en) for dimension in PLAN.dimensions
        ]


class TestShippedLabels:
    """The Tam Đường plan labels every group its targets name, in the plan's own words."""

    def test_dimensions(self) -> None:
        """Residence (đối với nông thôn / thành thị) and age (nhóm tuổi từ 2-3 tuổi, nhóm từ 3-5 tuổi)."""
        found = {
            dimension.id: [(group.id, group.label.vi, group.label.en) for group in dimension.groups]
            for dimension in PLAN.dimensions
        }
        assert {
            "residence": [("rural", "nông thôn", "rural"), ("urban", "thành thị", "urban")],
            "age": [("2-3", "trẻ 2–3 tuổi", "children aged 2–3"), ("3-5", "trẻ 3–5 tuổi", "children aged 3–5")],
        } == found

    def test_every_target_group_has_a_label(self) -> None:
        """No target of the shipped plan shows a code where words belong."""
        for indicator in PLAN.indicators:
            for target in indicator.targets:
                for name, code in target.disaggregation.items():
                    assert PLAN.get_dimension(name) is not None
                    assert code != target.disaggregation.label("vi")

    def test_dimension_by_name(self) -> None:
        """A dimension is found by its code or its name in either language, with or without accents."""
        assert ["residence", "residence", "age", "age", None] == [
            getattr(PLAN.get_dimension(name), "id", None)
            for name in ("residence", "Khu vuc", "nhóm tuổi", "age group", "sex")
        ]


class TestInputs:
    """Everywhere a group is accepted, its code, labels, aliases and their spellings work."""

    @pytest.mark.parametrize(
        ("group", "expected"),
        [
            # 0,15 %: below the urban < 0,2 % but not the rural < 0,1 % (chỉ tiêu 8, 2025)
            ("urban", Status.MET),
            ("thành thị", Status.MET),
            ("THANH THI", Status.MET),
            ("Thành  thị", Status.MET),
            ("rural", Status.NOT_MET),
            ("nông thôn", Status.NOT_MET),
            ("nong thon", Status.NOT_MET),
            ("Rural", Status.NOT_MET),
        ],
    )
    def test_residence(self, group: str, expected: Status) -> None:
        """Indicator 8 by residence: the group decides the threshold."""
        assert expected is PLAN.assess("8", "0,15%", year=2025, disaggregation={"residence": group}).status

    @pytest.mark.parametrize(
        ("group", "expected"),
        [
            # 36 %: meets the 2-3 group's ≥ 35 %, not the 3-5 group's ≥ 98,6 % (chỉ tiêu 20, 2025)
            ("2-3", Status.MET),
            ("2–3", Status.MET),
            ("2 - 3", Status.MET),
            ("2 - 3 tuổi", Status.MET),
            ("trẻ 2–3 tuổi", Status.MET),
            ("tre 2-3 tuoi", Status.MET),
            ("children aged 2-3", Status.MET),
            ("3-5", Status.NOT_MET),
            ("3 – 5 tuổi", Status.NOT_MET),
        ],
    )
    def test_age(self, group: str, expected: Status) -> None:
        """Indicator 20 by age group: the group decides the threshold."""
        assert expected is PLAN.assess("20", "36%", year=2025, disaggregation={"age": group}).status

    def test_dimension_by_its_name(self) -> None:
        """The dimension too may be named in Vietnamese."""
        found = PLAN.assess("8", "0,15%", year=2025, disaggregation={"khu vực": "thành thị"})
        assert {"residence": "urban"} == found.target.disaggregation

    def test_unknown_group_lists_labels(self) -> None:
        """A group the dimension lacks is a DisaggregationError naming the valid groups in each language."""
        with pytest.raises(DisaggregationError) as caught:
            PLAN.assess("8", "0,15%", year=2025, disaggregation={"residence": "miền núi"})
        assert "disaggregation" == caught.value.code
        assert "there is no group 'miền núi' of residence: use rural, urban" == caught.value.message("en")
        assert "khu vực không có nhóm 'miền núi': hãy ghi một trong các nhóm nông thôn, thành thị" == (
            caught.value.message("vi")
        )

    def test_group_not_text(self) -> None:
        """A group given as a number is a typed error, not a crash."""
        with pytest.raises(tdplan.InputTypeError):
            PLAN.assess("8", "0,15%", year=2025, disaggregation={"residence": 1})

    def test_track(self) -> None:
        """Plan.track resolves the group once and keeps its labels."""
        progress = PLAN.track("8", {2023: "0,3%", 2024: "0,25%"}, disaggregation={"residence": "Thành thị"})
        assert {"residence": "urban"} == progress.disaggregation
        assert "thành thị" == progress.disaggregation.label("vi")

    def test_aggregate(self) -> None:
        """Commune counts for one group: 3 of 2000 is 0,15 %, which meets the urban < 0,2 % only."""
        total = tdplan.aggregate(PLAN, "8", {"Bản Bo": (1, 1000), "Bình Lư": (2, 1000)})
        assert Status.MET is total.assess(2025, disaggregation={"residence": "thanh thi"}).status
        assert Status.NOT_MET is total.assess(2025, disaggregation={"residence": "nông thôn"}).status

    def test_table_columns(self) -> None:
        """A table's residence and age columns (khu vực, nhóm tuổi) take labels."""
        card = PLAN.assess_table(
            [
                {"chỉ tiêu": "8", "giá trị": "0,15%", "năm": 2025, "khu vực": "Thành thị"},
                {"chỉ tiêu": "8", "giá trị": "0,15%", "năm": 2025, "khu vực": "nong thon"},
                {"chỉ tiêu": "20", "giá trị": "36%", "năm": 2025, "nhóm tuổi": "2 - 3 tuổi"},
                {"chỉ tiêu": "20", "giá trị": "36%", "năm": 2025, "nhóm tuổi": "Trẻ 2–3 tuổi"},
                {"chỉ tiêu": "8", "giá trị": "0,15%", "năm": 2025, "khu vực": "Đô thị"},
                {"chỉ tiêu": "8", "giá trị": "0,15%", "năm": 2025, "khu vực": "miền núi"},
            ]
        )
        assert [Status.MET, Status.NOT_MET, Status.MET, Status.MET, Status.MET, None] == [
            row.status for row in card.rows
        ]
        assert "DisaggregationError" == card.problems[0].error

    def test_large_frame(self) -> None:
        """The NumPy path resolves labels as the scalar path does."""
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame(
            {
                "indicator": ["8"] * 3000,
                "year": [2025] * 3000,
                "value": [0.15] * 3000,
                "residence": ["thành thị", "nong thon", "urban"] * 1000,
            }
        )
        card = PLAN.assess_table(frame)
        assert [Status.MET, Status.NOT_MET, Status.MET] == [row.status for row in list(card.rows)[:3]]

    def test_command_line(self) -> None:
        """`tdplan assess --residence "nông thôn"` in a real process, answered in Vietnamese words."""
        done = subprocess.run(
            [sys.executable, "-m", "tdplan", "assess", "8", "0,05%", "--year", "2025", "--residence", "nông thôn"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        assert 0 == done.returncode, done.stderr
        assert "Chỉ tiêu 8 (2025): 0,05% < 0,1% (nông thôn): đạt chỉ tiêu năm 2025\n" in done.stdout


class TestHints:
    """A missing group is asked for in each surface's words: labels in Vietnamese, codes in English and Python."""

    def test_command_line_and_table(self) -> None:
        """The command line names the options with the groups' labels; a table names the cells to write."""
        from tdplan.analysis.reading import TABLE
        from tdplan.cli.arguments import COMMAND_LINE

        with pytest.raises(DisaggregationError) as caught:
            PLAN.assess("8", "0,05%", year=2025)
        error = caught.value
        assert "disaggregation={'residence': 'rural'} or {'residence': 'urban'}" in str(error)
        assert error.message("vi", COMMAND_LINE).endswith('--residence "nông thôn" hoặc --residence "thành thị"')
        assert error.message("en", COMMAND_LINE).endswith("--residence rural or --residence urban")
        assert error.message("vi", TABLE).endswith("nông thôn hoặc thành thị ở cột khu vực")


class TestOutputs:
    """Vietnamese outputs show the groups in words, never ``residence=rural``."""

    ROWS: ClassVar[list[dict[str, object]]] = [
        {"indicator": "8", "value": "0,15%", "year": 2025, "residence": "rural", "area": "Bản Bo"},
        {"indicator": "20", "value": "36%", "year": 2025, "age": "2-3", "area": "Bản Bo"},
    ]

    def test_explain_and_targets(self) -> None:
        """explain() and the targets name the group in the language asked for."""
        a = PLAN.assess("20", "36%", year=2025, disaggregation={"age": "2-3"})
        assert "36% ≥ 35% (trẻ 2–3 tuổi): đạt chỉ tiêu năm 2025" == a.explain("vi")
        assert "36% ≥ 35% (children aged 2–3): meets the 2025 target" == a.explain("en")
        assert "< 0,1% (2025, 2030, nông thôn), < 0,2% (2025, 2030, thành thị)" == (
            PLAN.indicator("8").describe_targets("vi")
        )

    @pytest.mark.parametrize("fmt", ["table", "md", "html", "json", "csv"])
    def test_reports(self, fmt: tdplan.ReportFormat) -> None:
        """Every report format in Vietnamese names the groups in words."""
        text = render(PLAN.assess_table(self.ROWS), fmt, lang="vi")
        assert "nông thôn" in text
        assert "trẻ 2–3 tuổi" in text
        assert "residence=" not in text
        assert "age=" not in text

    def test_csv_group_column(self) -> None:
        """The CSV report's group column (Nhóm) holds the label in the report's language."""
        rows = list(csv.reader(io.StringIO(render(PLAN.assess_table(self.ROWS), "csv", lang="vi").lstrip("\ufeff"))))
        column = rows[0].index("Nhóm")
        assert ["nông thôn", "trẻ 2–3 tuổi"] == [row[column] for row in rows[1:]]

    def test_json_keeps_codes(self) -> None:
        """JSON, for software, keeps the codes."""
        document = json.loads(render(PLAN.assess_table(self.ROWS), "json", lang="vi"))
        assert [{"residence": "rural"}, {"age": "2-3"}] == [row["disaggregation"] for row in document["rows"]]

    def test_dataframe(self) -> None:
        """A DataFrame in Vietnamese names the group in words."""
        pytest.importorskip("pandas")
        frame = PLAN.assess_table(self.ROWS).to_dataframe("vi")
        assert ["nông thôn", "trẻ 2–3 tuổi"] == frame["disaggregation"].tolist()

    def test_codes_for_programmers(self) -> None:
        """describe() still gives the codes, and a Disaggregation without labels shows its code."""
        assert "residence=rural" == PLAN.indicator("8").targets[0].disaggregation.describe()
        assert "rural" == Disaggregation({"residence": "rural"}).label("vi")
        assert "nông thôn" == Disaggregation({"residence": "rural"}, {"residence": Text("nông thôn", "rural")}).label()


class TestPlanFiles:
    """The [dimensions] table in plan files: read, checked, written back, described by the schema."""

    def problems(self, text: str) -> list[tuple[str, str, str]]:
        """The problems of a plan text: (path, code, English message)."""
        _, found = tdplan.read_plan(text)
        return [(problem.path, problem.code, problem.text("en")) for problem in found]

    def test_example_plan(self) -> None:
        """The example commune plan declares its residence groups and loads with them."""
        plan = tdplan.loads_plan(EXAMPLE)
        assert "nông thôn" == plan.indicator("2").targets[0].disaggregation.label("vi")

    def test_label_written_for_code(self) -> None:
        """A target that writes a label where the code belongs gets a did-you-mean with the code."""
        text = EXAMPLE.replace(
            'disaggregation = { residence = "rural" }', 'disaggregation = { residence = "Nông thôn" }'
        )
        assert [
            (
                "$.indicators[1].targets[0].disaggregation.residence",
                "reference",
                "group 'Nông thôn' is not declared under [dimensions.residence.groups] (did you mean 'rural'?)",
            )
        ] == self.problems(text)

    def test_undeclared_dimension(self) -> None:
        """A dimension the plan does not declare, near one it does."""
        text = EXAMPLE.replace("[dimensions.residence]", "[dimensions.residenc]")
        found = self.problems(text)
        assert 2 == len(found)
        assert "dimension 'residence' is not declared under [dimensions] (did you mean 'residenc'?)" == found[0][2]

    def test_one_name_two_groups(self) -> None:
        """Two groups that share a name (without accents) would make inputs ambiguous."""
        text = EXAMPLE.replace(
            'groups.urban = { vi = "thành thị", en = "urban" }', 'groups.urban = { vi = "Nong thon" }'
        )
        assert [
            (
                "$.dimensions.residence.groups.urban",
                "duplicate",
                "'Nong thon' names two groups, 'rural' and 'urban': give each group its own names",
            )
        ] == self.problems(text)

    def test_empty_label_and_wrong_types(self) -> None:
        """An empty Vietnamese label, and a dimension with no name and groups that are not a table."""
        text = EXAMPLE.replace('groups.rural = { vi = "nông thôn", en = "rural" }', 'groups.rural = { vi = " " }')
        assert [("$.dimensions.residence.groups.rural.vi", "missing")] == [p[:2] for p in self.problems(text)]
        text = EXAMPLE.replace("[[goals]]", "[dimensions.x]\ngroups = [1]\n\n[[goals]]", 1)
        assert {("$.dimensions.x.name", "missing"), ("$.dimensions.x.groups", "type")} == {
            p[:2] for p in self.problems(text)
        }

    def test_unknown_group_key(self) -> None:
        """A group's table has vi, en and aliases only, with a did-you-mean."""
        text = EXAMPLE.replace('{ vi = "nông thôn", en = "rural" }', '{ vi = "nông thôn", en = "rural", alias = [] }')
        assert [
            ("$.dimensions.residence.groups.rural.alias", "unknown_key", "unknown key 'alias': did you mean 'aliases'?")
        ] == (self.problems(text))

    def test_without_dimensions(self) -> None:
        """A plan that declares no dimensions still loads; its groups show their codes."""
        start = EXAMPLE.index("[dimensions.residence]")
        text = EXAMPLE[:start] + EXAMPLE[EXAMPLE.index("[[goals]]") :]
        plan = tdplan.loads_plan(text)
        assert "rural" == plan.indicator("2").targets[0].disaggregation.label("vi")
        assert Status.MET is plan.assess("2", "10%", year=2030, disaggregation={"residence": "rural"}).status

    def test_option(self) -> None:
        """`option` gives the Vietnamese option another word than the name's; written back, it is kept."""
        text = EXAMPLE.replace(
            'name = { vi = "khu vực", en = "residence" }',
            'name = { vi = "khu vực", en = "residence" }\noption = "vung"',
        )
        plan = tdplan.loads_plan(text)
        assert ("vung", "residence") == (plan.dimensions[0].options.vi, plan.dimensions[0].options.en)
        assert plan.dimensions == tdplan.loads_plan(tdplan.dumps_plan(plan)).dimensions

    def test_option_spelling(self) -> None:
        """An option that is not lowercase words without accents is refused, with the word it could be."""
        text = EXAMPLE.replace(
            'name = { vi = "khu vực", en = "residence" }',
            'name = { vi = "khu vực", en = "residence" }\noption = "Khu vực"',
        )
        assert [
            (
                "$.dimensions.residence.option",
                "value",
                "'Khu vực' is not the word of a command-line option: write lowercase letters without accents, "
                "digits and dashes, such as 'khu-vuc'",
            )
        ] == self.problems(text)

    def test_options_of_two_dimensions(self) -> None:
        """Two dimensions whose options would be the same (a Vietnamese name without accents) are refused."""
        text = EXAMPLE.replace(
            "[[goals]]", '[dimensions.area]\nname = "Khu vuc"\ngroups.a = { vi = "bản A" }\n\n[[goals]]', 1
        )
        assert [
            (
                "$.dimensions.area",
                "duplicate",
                "dimensions 'residence' and 'area' would both take the command-line option --khu-vuc: "
                'give one of them another (its code, or option = "…")',
            )
        ] == self.problems(text)
        text = text.replace('name = "Khu vuc"', 'name = "Khu vuc"\noption = "ban"')
        assert [] == self.problems(text)

    def test_code_against_another_option(self) -> None:
        """A dimension's code may not be another dimension's Vietnamese option either."""
        text = EXAMPLE.replace(
            "[[goals]]", '[dimensions.khu-vuc]\nname = "vùng"\ngroups.a = { vi = "bản A" }\n\n[[goals]]', 1
        )
        assert [("$.dimensions.khu-vuc", "duplicate")] == [p[:2] for p in self.problems(text)]

    @pytest.mark.parametrize(
        ("dimension", "path", "fix"),
        [
            ('[dimensions.year]\nname = "vùng"', "$.dimensions.year", "give the dimension another code"),
            ('[dimensions.zone]\nname = "plan"', "$.dimensions.zone", 'give it another with option = "…"'),
            (
                '[dimensions.zone]\nname = "vùng"\noption = "lang"',
                "$.dimensions.zone.option",
                'give it another with option = "…"',
            ),
        ],
    )
    def test_options_of_tdplan(self, dimension: str, path: str, fix: str) -> None:
        """A dimension may not take one of tdplan assess's own options (--year, --plan, --lang …)."""
        text = EXAMPLE.replace("[[goals]]", f'{dimension}\ngroups.a = {{ vi = "bản A" }}\n\n[[goals]]', 1)
        found = self.problems(text)
        assert [(path, "duplicate")] == [p[:2] for p in found]
        assert found[0][2].endswith("which is one of tdplan's own: " + fix)
        assert "tùy chọn riêng của tdplan" in tdplan.read_plan(text)[1][0].text("vi")

    def test_round_trip(self) -> None:
        """Written back and read again, the plan keeps its dimensions, labels and aliases."""
        again = tdplan.loads_plan(tdplan.dumps_plan(PLAN))
        assert PLAN.dimensions == again.dimensions
        assert "trẻ 3–5 tuổi" == again.indicator("20").targets[-1].disaggregation.label("vi")

    def test_schema(self) -> None:
        """The JSON Schema accepts the shipped dimensions and refuses a group with no Vietnamese label."""
        schema = json.loads(tdplan.plan_schema())
        data = json.loads(json.dumps(tomllib.loads(EXAMPLE), default=str))
        jsonschema.validate(data, schema)
        data["dimensions"]["residence"]["option"] = "khu-vuc"
        jsonschema.validate(data, schema)
        data["dimensions"]["residence"]["option"] = "Khu vực"
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)
        data["dimensions"]["residence"]["option"] = "khu-vuc"
        data["dimensions"]["residence"]["groups"]["rural"] = {"en": "rural"}
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)
