"""Consistency rules, completeness and suspicious jumps: computed, and shown in every report format."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tdplan
from tdplan import Importance, JumpBand, RuleOperator, Status, Unit
from tdplan.analysis.completeness import completeness, read_areas
from tdplan.analysis.jumps import find_jumps

PLAN = tdplan.load_plan()

# Bản Bo breaks 3 ≤ 4 (21‰ against 19‰) but not 4 ≤ 5 (19‰ ≤ 30‰); Bình Lư keeps both (10 ≤ 20 ≤ 30).
BROKEN = [
    {"indicator": "3", "value": "21", "year": 2025, "area": "Bản Bo"},
    {"indicator": "4", "value": "19", "year": 2025, "area": "Bản Bo"},
    {"indicator": "5", "value": "30", "year": 2025, "area": "Bản Bo"},
    {"indicator": "3", "value": "10", "year": 2025, "area": "Bình Lư"},
    {"indicator": "4", "value": "20", "year": 2025, "area": "Bình Lư"},
    {"indicator": "5", "value": "30", "year": 2025, "area": "Bình Lư"},
]


class TestShippedRules:
    """The rules the Tam Đường plan declares."""

    def test_declared(self) -> None:
        """Neonatal ≤ infant ≤ under-5 mortality (3 ≤ 4 ≤ 5) and injury deaths ≤ injuries (15b ≤ 15), each high."""
        expected = [("3", "≤", "4"), ("4", "≤", "5"), ("15b", "≤", "15")]
        actual = [(r.left[0].indicator, r.operator.value, r.right[0].indicator) for r in PLAN.rules]
        assert expected == actual
        assert {Importance.HIGH} == {rule.importance for rule in PLAN.rules}

    def test_each_has_its_reason(self) -> None:
        """Every shipped rule has a note in Vietnamese and English and a message saying what is wrong."""
        for rule in PLAN.rules:
            assert rule.note is not None
            assert all((rule.note.vi, rule.note.en, rule.message.vi, rule.message.en))

    def test_indicators_as_the_plan_says(self) -> None:
        """3 is neonatal, 4 under-1 and 5 under-5 mortality, all per 1,000 live births; 15 and 15b per 100,000."""
        assert ["Neonatal mortality rate", "Under-1 (infant) mortality rate", "Under-5 mortality rate"] == [
            PLAN.indicator(id).name("en") for id in ("3", "4", "5")
        ]
        assert {Unit.PER_MILLE} == {PLAN.indicator(id).unit for id in ("3", "4", "5")}
        assert {Unit.PER_100000} == {PLAN.indicator(id).unit for id in ("15", "15b")}


class TestViolations:
    """Scorecard.violations."""

    def test_one_commune_breaks_three_le_four(self) -> None:
        """The one violation: rule 3 ≤ 4, Bản Bo, 2025, 21 against 19, rows 1 and 2."""
        card = PLAN.assess_table(BROKEN)
        expected = [("neonatal-infant", "Bản Bo", "2025", Decimal(21), Decimal(19), (1, 2), "3 ≤ 4")]
        actual = [(v.rule, v.area, v.period.code, v.left, v.right, v.rows, v.expression) for v in card.violations]
        assert expected == actual

    def test_verdicts_unchanged(self) -> None:
        """A violation changes no verdict: 21‰ is not met (< 18‰), 19‰ met (≤ 28‰), 30‰ met (< 41‰)."""
        card = PLAN.assess_table(BROKEN)
        assert [Status.NOT_MET, Status.MET, Status.MET] == [row.status for row in card.rows[:3]]

    def test_units_converted(self) -> None:
        """2,1% is 21‰: a rate given in percent is compared in the indicators' unit."""
        rows = [{"indicator": "3", "value": "2,1%", "year": 2025}, {"indicator": "4", "value": "19‰", "year": 2025}]
        [violation] = PLAN.assess_table(rows).violations
        assert (Decimal(21), Decimal(19), None) == (violation.left, violation.right, violation.area)

    def test_equal_is_not_a_violation(self) -> None:
        """19‰ ≤ 19‰ holds."""
        rows = [{"indicator": "3", "value": 19, "year": 2025}, {"indicator": "4", "value": 19, "year": 2025}]
        assert () == PLAN.assess_table(rows).violations

    def test_different_areas_or_years_not_compared(self) -> None:
        """A rule compares one area in one period: figures of another area or year are not read together."""
        rows = [
            {"indicator": "3", "value": 21, "year": 2025, "area": "Bản Bo"},
            {"indicator": "4", "value": 19, "year": 2025, "area": "Bình Lư"},
            {"indicator": "4", "value": 19, "year": 2024, "area": "Bản Bo"},
        ]
        assert () == PLAN.assess_table(rows).violations

    def test_injuries(self) -> None:
        """15b ≤ 15: 60 deaths from injuries per 100,000 against 45 injuries per 100,000 breaks it."""
        rows = [{"indicator": "15b", "value": 60, "year": 2025}, {"indicator": "15", "value": 45, "year": 2025}]
        [violation] = PLAN.assess_table(rows).violations
        assert ("injury-deaths-injuries", Decimal(60), Decimal(45)) == (violation.rule, violation.left, violation.right)

    def test_numerator_above_denominator(self) -> None:
        """Built in: 12 of 10 is a problem row and a share_above_whole violation with both counts."""
        card = PLAN.assess_table([{"indicator": "9", "numerator": 12, "denominator": 10, "year": 2025}])
        [violation] = card.violations
        expected = ("share_above_whole", Decimal(12), RuleOperator.LE, Decimal(10), (1,))
        assert expected == (violation.rule, violation.left, violation.operator, violation.right, violation.rows)
        assert 1 == len(card.problems)

    def test_count_not_whole(self) -> None:
        """Built in: 4,5 child marriages is not a whole count."""
        card = PLAN.assess_table([{"indicator": "18", "value": "4,5", "year": 2025}])
        [violation] = card.violations
        assert ("count_not_whole", Decimal("4.5"), None) == (violation.rule, violation.left, violation.right)

    def test_sum_and_group(self) -> None:
        """A declared rule whose side is a sum of groups: 8 (rural) + 8 (urban) ≤ 0,25% fails at 0,1 + 0,2."""
        text = tdplan.dumps_plan(PLAN).replace(
            "[[rules]]",
            '[[rules]]\nid = "sum"\nleft = [{ indicator = "8", group = { residence = "rural" } }, '
            '{ indicator = "8", group = { residence = "urban" } }]\noperator = "<="\nright = "9"\n'
            'message = "tổng"\n\n[[rules]]',
            1,
        )
        plan = tdplan.loads_plan(text)
        rows = [
            {"indicator": "8", "value": "0.1", "year": 2025, "residence": "rural"},
            {"indicator": "8", "value": "0.2", "year": 2025, "residence": "urban"},
            {"indicator": "9", "value": "0.25", "year": 2025},
        ]
        [violation] = plan.assess_table(rows).violations
        assert ("sum", Decimal("0.3"), Decimal("0.25"), (1, 2, 3)) == (
            violation.rule,
            violation.left,
            violation.right,
            violation.rows,
        )


class TestCompleteness:
    """Scorecard.completeness: DHIS2's reporting rate."""

    ROWS: ClassVar[list[dict[str, object]]] = [
        {"indicator": "3", "value": 16, "year": 2024, "area": "Bản Bo"},
        {"indicator": "3", "value": 16, "year": 2025, "area": "Bản Bo"},
        {"indicator": "9", "value": 98, "year": 2025, "area": "Bản Bo"},
        {"indicator": "9", "value": 98, "year": 2025, "area": "Khun Há"},
        {"indicator": "30", "value": 1, "year": 2025, "area": "Bình Lư"},
    ]

    def test_rates(self) -> None:
        """Three expected areas × indicators 3 and 9 × 2024 and 2025: 12 cells, 4 present."""
        c = PLAN.assess_table(self.ROWS, areas=["Bản Bo", "Bình Lư", "Khun Há"]).completeness
        assert (("3", "9"), ("2024", "2025")) == (c.indicators, tuple(p.code for p in c.periods))
        assert [("Bản Bo", 3, 4), ("Bình Lư", 0, 4), ("Khun Há", 1, 4)] == [
            (r.key, r.present, r.expected) for r in c.by_area()
        ]
        assert [("3", 2, 6), ("9", 2, 6)] == [(r.key, r.present, r.expected) for r in c.by_indicator()]
        assert Fraction(4, 12) == c.overall().rate
        assert ("9", "Bản Bo", "2024") in [(i, a, p.code) for i, a, p in c.missing()]

    def test_problem_row_is_not_a_figure(self) -> None:
        """Bình Lư's only row has a problem (no indicator 30): it reports nothing."""
        c = PLAN.assess_table(self.ROWS, areas=["Bình Lư"]).completeness
        assert 0 == c.by_area()[0].present

    def test_areas_from_the_table(self) -> None:
        """With no areas given and none in the plan, the expected areas are those the table names, in order."""
        c = PLAN.assess_table(self.ROWS).completeness
        assert ("Bản Bo", "Khun Há") == c.areas  # Bình Lư gave no figure

    def test_unexpected_area(self) -> None:
        """An area the table names but that is not expected is listed (a misspelt commune, say)."""
        c = PLAN.assess_table(self.ROWS, areas=["Bản Bo"]).completeness
        assert ("Khun Há",) == c.unexpected

    def test_plan_areas(self) -> None:
        """A plan file's areas list is the default."""
        plan = tdplan.loads_plan('areas = ["Bản Bo", "Nà Tăm"]\n' + tdplan.dumps_plan(PLAN))
        assert ("Bản Bo", "Nà Tăm") == plan.areas
        assert ("Bản Bo", "Nà Tăm") == plan.assess_table(self.ROWS).completeness.areas

    def test_all_indicators(self) -> None:
        """completeness(..., indicators=…) chooses the indicators: all 31 of the plan."""
        card = PLAN.assess_table(self.ROWS, areas=["Bản Bo"])
        c = completeness(card, areas=["Bản Bo"], indicators=[ind.id for ind in PLAN.indicators])
        assert (3, 31 * 2) == (c.overall().present, c.overall().expected)

    def test_dataframe(self) -> None:
        """One row per expected cell: indicator, area, period, present."""
        frame = PLAN.assess_table(self.ROWS, areas=["Bản Bo"]).completeness.to_dataframe()
        assert ["indicator", "area", "period", "present"] == list(frame.columns)
        assert [("3", "Bản Bo", "2024", True), ("3", "Bản Bo", "2025", True)] == [
            tuple(row) for row in frame.itertuples(index=False)
        ][:2]
        assert 4 == len(frame)

    def test_areas_file(self) -> None:
        """An areas file: a name a line, comments and blank lines passed over, spaces tidied, a BOM dropped."""
        assert ("Bản Bo", "Bình Lư") == read_areas("\ufeff# xã\n  Bản   Bo \n\nBình Lư\nBản Bo\n")

    def test_areas_must_be_a_list(self) -> None:
        """One string is not a list of areas."""
        with pytest.raises(tdplan.InputTypeError):
            PLAN.assess_table(self.ROWS, areas="Bản Bo")


class TestJumps:
    """Scorecard.jumps: 'kiểm tra lại', never a rejection."""

    def rows(self, *values: object, indicator: str = "3") -> list[dict[str, object]]:
        return [
            {"indicator": indicator, "value": value, "year": 2022 + i, "area": "Bản Bo"}
            for i, value in enumerate(values)
        ]

    def test_doubled(self) -> None:
        """12‰ then 30‰ (more than twice 12) is flagged; the rows keep their verdicts (30‰ in 2023 is pending)."""
        card = PLAN.assess_table(self.rows(12, 30))
        [jump] = card.jumps
        assert ("2022", "2023", Decimal(12), Decimal(30), (1, 2)) == (
            jump.previous.code,
            jump.period.code,
            jump.before,
            jump.after,
            jump.rows,
        )
        assert [Status.AHEAD, Status.PENDING] == [row.status for row in card.rows]

    def test_exactly_double_is_inside(self) -> None:
        """12‰ then 24‰, or 24‰ then 12‰: exactly doubled or halved is inside the band."""
        assert () == PLAN.assess_table(self.rows(12, 24, 12)).jumps

    def test_halved(self) -> None:
        """24‰ then 11‰ is less than half: flagged."""
        assert 1 == len(PLAN.assess_table(self.rows(24, 11)).jumps)

    def test_floor(self) -> None:
        """1‰ then 4‰ is four times, but both are below the 5‰ floor: not flagged."""
        assert () == PLAN.assess_table(self.rows(1, 4)).jumps

    def test_from_zero(self) -> None:
        """0‰ then 6‰ is beyond any ratio and above the floor."""
        assert 1 == len(PLAN.assess_table(self.rows(0, 6)).jumps)

    def test_configurable(self) -> None:
        """A band of ×1.5 with no floor flags 12‰ → 20‰ (more than 18‰); other units keep theirs."""
        band = JumpBand(Decimal("1.5"), Decimal(0))
        card = PLAN.assess_table(self.rows(12, 20), jump_bands={Unit.PER_MILLE: band})
        assert 1 == len(card.jumps)
        assert () == find_jumps(card)  # the default band: 20 is less than 24

    def test_bad_band(self) -> None:
        """A ratio of 1 or less would flag everything: refused."""
        with pytest.raises(tdplan.InputTypeError):
            JumpBand(Decimal(1))

    def test_previous_held_period(self) -> None:
        """The previous period is the one the table holds: 2022 then 2024 are compared."""
        rows = [{"indicator": "3", "value": 10, "year": year, "area": "A"} for year in (2022, 2024)]
        rows[1]["value"] = 25
        [jump] = PLAN.assess_table(rows).jumps
        assert ("2022", "2024") == (jump.previous.code, jump.period.code)


def test_large_table_checks() -> None:
    """A table decided with NumPy gives the same checks as the scalar path (rows built from its columns)."""
    pandas = pytest.importorskip("pandas")
    rows = BROKEN * 400  # 2,400 rows: the NumPy path; the same figures again and again
    frame = pandas.DataFrame(
        {
            "indicator": [row["indicator"] for row in rows],
            "value": [int(str(row["value"])) for row in rows],
            "year": [2025] * len(rows),
            "area": [row["area"] for row in rows],
        }
    )
    card = PLAN.assess_table(frame)
    assert not isinstance(card.rows, tuple)
    # Bản Bo's 3 and 4 figures appear 400 times each: the first of each (rows 1 and 2) are compared.
    assert [("Bản Bo", Decimal(21), Decimal(19), (1, 2))] == [
        (v.area, v.left, v.right, v.rows) for v in card.violations
    ]


class TestEveryFormat:
    """A table that breaks 3 ≤ 4 in one commune shows the violation, a jump and completeness in every format."""

    ROWS: ClassVar[list[dict[str, object]]] = [
        *BROKEN,
        {"indicator": "3", "value": "8", "year": 2024, "area": "Bản Bo"},
    ]  # 8‰ → 21‰: a jump

    @pytest.mark.parametrize("lang", ["vi", "en"])
    @pytest.mark.parametrize("format", ["table", "md", "html"])
    def test_text_formats(self, format: tdplan.ReportFormat, lang: tdplan.Lang) -> None:
        """The violation's rule, commune and values; the jump's flag; a completeness heading and rate."""
        text = tdplan.render(PLAN.assess_table(self.ROWS, areas=["Bản Bo", "Bình Lư"]), format, lang=lang)
        words = {
            "vi": ("3 ≤ 4", "Bản Bo", "21‰", "19‰", "kiểm tra lại", "Mức độ đầy đủ theo địa bàn", "67%"),
            "en": ("3 ≤ 4", "Bản Bo", "21‰", "19‰", "check again", "Completeness by area", "67%"),
        }[lang]
        # Completeness: 3 indicators × 2 communes × 2 years; Bản Bo gave 4 of its 6 figures: 67%.
        for word in words:
            assert word in text, word

    def test_json(self) -> None:
        """The JSON report's checks: the violation with exact decimal strings, the jump, the reporting rates."""
        document = json.loads(tdplan.render(PLAN.assess_table(self.ROWS, areas=["Bản Bo", "Bình Lư"]), "json"))
        checks = document["checks"]
        [violation] = checks["violations"]
        assert ("neonatal-infant", "Bản Bo", "2025", "21", "<=", "19", [1, 2]) == tuple(
            violation[key] for key in ("rule", "area", "period", "left", "operator", "right", "rows")
        )
        [jump] = checks["jumps"]
        assert ("8", "21", "kiểm tra lại", [7, 1]) == (jump["before"], jump["after"], jump["flag"], jump["rows"])
        assert [["Bản Bo", 4, 6], ["Bình Lư", 3, 6]] == [
            [r["key"], r["present"], r["expected"]] for r in checks["completeness"]["by_area"]
        ]

    def test_csv(self) -> None:
        """The CSV report: the violation and the jump in the rows' Checks cells; a MISSING row per missing figure."""
        text = tdplan.render(PLAN.assess_table(self.ROWS, areas=["Bản Bo", "Bình Lư"]), "csv", lang="en")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        checks, status = rows[0].index("Checks"), rows[0].index("Status")
        assert ("3 ≤ 4", 1) == (rows[1][checks][:5], rows[1][checks].count("check again: indicator 3, Bản Bo: 8‰"))
        assert "3 ≤ 4" == rows[2][checks][:5]
        assert "" == rows[3][checks]
        missing = [(row[1], row[7], row[6]) for row in rows[1:] if row[status] == "MISSING"]
        # 12 expected, 7 rows each a figure: 5 missing, among them 4 and 5 in 2024 in both communes.
        assert 5 == len(missing)
        assert ("4", "Bình Lư", "2024") in missing

    def test_rates_by_hand(self) -> None:
        """Bản Bo 4 of 6 and Bình Lư 3 of 6, shown as 67% and 50% in the Markdown report."""
        text = tdplan.render(PLAN.assess_table(self.ROWS, areas=["Bản Bo", "Bình Lư"]), "md", lang="en")
        assert "| Bản Bo | 4 | 6 | 67% |" in text
        assert "| Bình Lư | 3 | 6 | 50% |" in text
        assert "| All areas | 7 | 12 | 58% |" in text


class TestProperties:
    """Invariants of the checks, over many values."""

    @settings(max_examples=60, deadline=None)
    @given(
        neonatal=st.decimals(min_value=0, max_value=200, places=2),
        infant=st.decimals(min_value=0, max_value=200, places=2),
    )
    def test_violation_iff_rule_fails(self, neonatal: Decimal, infant: Decimal) -> None:
        """A 3 ≤ 4 violation exists exactly when neonatal > infant, and the verdicts are those of each value alone."""
        rows = [
            {"indicator": "3", "value": str(neonatal), "year": 2025, "area": "X"},
            {"indicator": "4", "value": str(infant), "year": 2025, "area": "X"},
        ]
        card = PLAN.assess_table(rows)
        assert (neonatal > infant) == any(v.rule == "neonatal-infant" for v in card.violations)
        alone = [PLAN.assess(row["indicator"], row["value"], year=2025).status for row in rows]
        assert alone == [row.status for row in card.rows]

    @settings(max_examples=60, deadline=None)
    @given(
        before=st.decimals(min_value=0, max_value=500, places=1),
        after=st.decimals(min_value=0, max_value=500, places=1),
    )
    def test_jump_iff_band(self, before: Decimal, after: Decimal) -> None:
        """A jump is flagged exactly when the default ‰ band says so: beyond ×2 or ÷2, one value at least 5."""
        rows = [{"indicator": "3", "value": str(v), "year": y, "area": "X"} for v, y in ((before, 2024), (after, 2025))]
        expected = max(before, after) >= 5 and (after > 2 * before or 2 * after < before)
        assert expected == bool(PLAN.assess_table(rows).jumps)


class TestJupyterSummary:
    """The compact summary Jupyter shows names the figures that disagree, as the reports do."""

    def test_violation_in_the_summary(self) -> None:
        """Bản Bo's 21‰ against 19‰ breaks 3 ≤ 4: the summary says so, in Vietnamese and in English."""
        from tdplan.reports.html_format import summary_html

        card = PLAN.assess_table(BROKEN)
        vi, en = card._repr_html_(), summary_html(card, "en")
        assert "Số liệu không khớp nhau (quy tắc nhất quán): 3 ≤ 4: 21‰ và 19‰ (Bản Bo, năm 2025; dòng 1, 2)" in vi
        assert "Figures that disagree (consistency rules): 3 ≤ 4: 21‰ and 19‰ (Bản Bo, 2025; rows 1, 2)" in en
        assert "Figures that disagree" not in summary_html(PLAN.assess_table(BROKEN[3:]), "en")
