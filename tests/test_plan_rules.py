"""Consistency rules and areas in plan files: read, checked with paths and lines, in the JSON Schema, written back."""

from __future__ import annotations

import json

import jsonschema
import pytest

import tdplan
from tdplan import Importance, RuleOperator, RuleTerm

BASE = tdplan.dumps_plan(tdplan.load_plan()).split("\n[[rules]]")[0]


def with_rules(rules: str) -> str:
    return BASE + "\n" + rules


def problems(text: str) -> list[tuple[str, str]]:
    plan, found = tdplan.read_plan(text)
    assert plan is None
    return [(problem.path, problem.code) for problem in found]


class TestReading:
    """Rules as a plan file writes them."""

    def test_sides_and_defaults(self) -> None:
        """A side is an id, a table with a group, or a list (a sum); importance defaults to medium; ≤ is <=."""
        plan = tdplan.loads_plan(
            with_rules(
                '[[rules]]\nid = "r"\nleft = ["6", { indicator = "8", group = { residence = "rural" } }]\n'
                'operator = "≤"\nright = "9"\nmessage = "m"\n'
            )
        )
        [rule] = plan.rules
        assert (RuleTerm("6"), RuleTerm("8", (("residence", "rural"),))) == rule.left
        assert (RuleOperator.LE, (RuleTerm("9"),), Importance.MEDIUM) == (rule.operator, rule.right, rule.importance)

    def test_round_trip(self) -> None:
        """The shipped plan, its rules included, is written and read back the same, in TOML and JSON."""
        plan = tdplan.load_plan()
        for format in ("toml", "json"):
            assert plan == tdplan.loads_plan(tdplan.dumps_plan(plan, format), format)
            assert plan.rules == tdplan.loads_plan(tdplan.dumps_plan(plan, format), format).rules


class TestProblems:
    """Every problem in the rules, at once, with its path and line."""

    def test_unknown_indicator_operator_importance(self) -> None:
        """An unknown indicator, operator, importance and scope are each a problem at their path."""
        text = with_rules(
            '[[rules]]\nid = "r"\nleft = "30"\noperator = "=<"\nright = "4"\nimportance = "urgent"\n'
            'scope = "district"\nmessage = "m"\n'
        )
        assert {
            ("$.rules[0].left", "reference"),
            ("$.rules[0].operator", "value"),
            ("$.rules[0].importance", "value"),
            ("$.rules[0].scope", "value"),
        } <= set(problems(text))

    def test_units_must_agree(self) -> None:
        """3 (‰) against 9 (%) cannot be compared: one problem at the rule."""
        text = with_rules('[[rules]]\nid = "r"\nleft = "3"\noperator = "<"\nright = "9"\nmessage = "m"\n')
        assert [("$.rules[0]", "value")] == problems(text)

    def test_unknown_group(self) -> None:
        """Indicator 3 has no group residence = rural."""
        text = with_rules(
            '[[rules]]\nid = "r"\nleft = { indicator = "3", group = { residence = "rural" } }\noperator = "<"\n'
            'right = "4"\nmessage = "m"\n'
        )
        assert [("$.rules[0].left", "disaggregation")] == problems(text)

    def test_duplicate_id_and_missing_message(self) -> None:
        """Two rules with one id; a rule with no message."""
        rule = '[[rules]]\nid = "r"\nleft = "3"\noperator = "<"\nright = "4"\n'
        found = problems(with_rules(rule + 'message = "m"\n\n' + rule))
        assert ("$.rules[1].message", "missing") in found
        assert ("$.rules[1].id", "duplicate") in found

    def test_line(self) -> None:
        """A problem in a rule has the line of its key."""
        text = with_rules('[[rules]]\nid = "r"\nleft = "3"\noperator = "<"\nright = "99"\nmessage = "m"\n')
        _, found = tdplan.read_plan(text)
        [problem] = found
        assert text.splitlines()[problem.line - 1] == 'right = "99"'

    def test_duplicate_area(self) -> None:
        """An area listed twice."""
        assert [("$.areas[1]", "duplicate")] == problems('areas = ["Bản Bo", "Bản Bo"]\n' + BASE)


class TestSchema:
    """The JSON Schema knows rules and areas."""

    SCHEMA = json.loads(tdplan.plan_schema())

    def test_shipped_plan_valid(self) -> None:
        """The shipped plan, rules included, as JSON is valid against the schema."""
        jsonschema.validate(json.loads(tdplan.dumps_plan(tdplan.load_plan(), "json")), self.SCHEMA)

    @pytest.mark.parametrize("bad", [{"operator": "=<"}, {"importance": "urgent"}, {"extra": 1}, {"left": []}])
    def test_bad_rule_invalid(self, bad: dict[str, object]) -> None:
        """A wrong operator or importance, an unknown key, an empty side: invalid."""
        data = json.loads(tdplan.dumps_plan(tdplan.load_plan(), "json"))
        data["rules"][0] |= bad
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, self.SCHEMA)


class TestMalformedPlans:
    """A plan whose other parts are malformed still gets its rules checked without an exception."""

    def test_targets_not_a_list(self) -> None:
        """Indicator 3's targets as a number: a type problem for the targets, and the rule naming 3 checks quietly."""
        data = json.loads(tdplan.dumps_plan(tdplan.load_plan(), "json"))
        data["indicators"][2]["targets"] = 5
        plan, problems = tdplan.read_plan(json.dumps(data), "json")
        assert plan is None
        assert ["$.indicators[2].targets"] == [problem.path for problem in problems]
