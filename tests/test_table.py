"""Bulk assessment: tables in every form, bad rows reported and counted, roll-ups."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tdplan
from tdplan import Status

PLAN = tdplan.load_plan()
EXAMPLE = Path(__file__).parent.parent / "examples" / "data" / "bang-so-lieu-mau.csv"

CSV = """\
indicator,year,area,value,numerator,denominator,unit,residence,source
3,2025,Bản Bo,"16,5‰",,,,,survey A
3,2025,Khun Há,,18,1000,,,register
9,2025,Bản Bo,95,,,%,,
30,2025,Bản Bo,1%,,,,,
8,2025,Bình Lư,"0,05%",,,,,
8,2025,Bình Lư,"0,05%",,,,rural,
12,2027,Tả Lèng,abc,,,,,
18,2026,Tả Lèng,12,,,,,
22,2035,Tả Lèng,99%,,,,,
15,2024,Bình Lư,"1.000",,,,,
"""


def dict_rows() -> list[dict[str, Any]]:
    return [
        {"indicator": "3", "year": 2025, "area": "Bản Bo", "value": "16,5‰", "source": "survey A"},
        {"indicator": "3", "year": 2025, "area": "Khun Há", "numerator": 18, "denominator": 1000, "source": "register"},
        {"indicator": "9", "year": 2025, "area": "Bản Bo", "value": 95, "unit": "%"},
        {"indicator": "30", "year": 2025, "area": "Bản Bo", "value": "1%"},
        {"indicator": "8", "year": 2025, "area": "Bình Lư", "value": "0,05%"},
        {"indicator": "8", "year": 2025, "area": "Bình Lư", "value": "0,05%", "residence": "rural"},
        {"indicator": "12", "year": 2027, "area": "Tả Lèng", "value": "abc"},
        {"indicator": "18", "year": 2026, "area": "Tả Lèng", "value": 12},
        {"indicator": "22", "year": 2035, "area": "Tả Lèng", "value": "99%"},
        {"indicator": "15", "year": 2024, "area": "Bình Lư", "value": "1.000"},
    ]


def summary(card: tdplan.Scorecard) -> list[tuple[int, str | None, str | None, str | None]]:
    """Each row as (number, status, value in the target's unit, error) for comparing scorecards."""
    return [
        (
            row.row,
            row.status.name if row.status else None,
            str(row.assessment.value) if row.assessment else None,
            row.problem.error if row.problem else None,
        )
        for row in card.rows
    ]


EXPECTED = [
    (1, "MET", "16.5", None),
    (2, "NOT_MET", "18", None),  # 18 deaths per 1,000 live births is 18‰: not below 18‰
    (3, "NOT_MET", "95", None),
    (4, None, None, "UnknownIndicatorError"),
    (5, None, None, "DisaggregationError"),
    (6, "MET", "0.05", None),
    (7, None, None, "ValueParseError"),
    (8, None, None, "SeriesRequiredError"),
    (9, None, None, "YearError"),
    (10, "PENDING", "1000", None),  # "1.000" alone is ambiguous; the column writes 16,5 and 0,05: Vietnamese
]


class TestForms:
    """The same table as CSV, dicts and a DataFrame gives the same scorecard."""

    def test_csv_text(self) -> None:
        """A CSV file object is read with its header."""
        assert EXPECTED == summary(PLAN.assess_table(io.StringIO(CSV)))

    def test_dicts(self) -> None:
        """A list of mappings gives the same verdicts."""
        assert EXPECTED == summary(PLAN.assess_table(dict_rows()))

    def test_dataframe(self) -> None:
        """A DataFrame, with NaN for empty cells and NumPy numbers, gives the same verdicts."""
        frame = pd.DataFrame(dict_rows())
        assert EXPECTED == summary(PLAN.assess_table(frame))
        assert EXPECTED == summary(PLAN.assess_table(pd.read_csv(io.StringIO(CSV), dtype={"indicator": str})))

    def test_csv_file_bom_semicolons(self, tmp_path: Path) -> None:
        """A CSV saved by Excel (BOM, semicolons, Vietnamese headers) reads the same."""
        path = tmp_path / "bang.csv"
        text = CSV.replace(",", ";").replace(
            "indicator;year;area;value;numerator;denominator;unit;residence",
            "Chỉ tiêu;Năm;Địa bàn;Giá trị;Tử số;Mẫu số;Đơn vị tính;Khu vực",
        )
        text = text.replace('"16;5‰"', '"16,5‰"').replace('"0;05%"', '"0,05%"').replace('"1.000"', '"1.000"')
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        assert EXPECTED == summary(PLAN.assess_table(path))
        assert EXPECTED == summary(PLAN.assess_table(str(path)))


class TestRows:
    """Rows keep their cells and order; bad rows are reported with their number and reason."""

    def test_problems(self) -> None:
        """Every bad row is reported, counted, and the rest assessed."""
        card = PLAN.assess_table(dict_rows())
        assert [4, 5, 7, 8, 9] == [problem.row for problem in card.problems]
        assert "row 4: no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29" == str(card.problems[0])
        assert 5 == len(card.assessments)
        assert {Status.MET: 2, Status.NOT_MET: 2, Status.AHEAD: 0, Status.PENDING: 1} == card.counts

    def test_unknown_columns_kept(self) -> None:
        """Columns tdplan does not read stay with their row."""
        card = PLAN.assess_table(io.StringIO(CSV))
        assert "source" in card.columns
        assert "register" == card.rows[1].cells["source"]
        assert ("Bản Bo", "Khun Há") == (card.rows[0].area, card.rows[1].area)

    def test_period_column(self) -> None:
        """A period before the end of a milestone year is not yet due; the year may come from it."""
        card = PLAN.assess_table(
            [
                {"chi tieu": "19", "ky": "6 tháng đầu năm 2030", "gia tri": "99,5%"},
                {"chi tieu": "19", "ky": "2030", "gia tri": "99,5%"},
                {"chi tieu": "19", "nam": 2029, "ky": "2030-H1", "gia tri": "99,5%"},
            ]
        )
        assert [Status.PENDING, Status.NOT_MET, None] == [row.status for row in card.rows]
        assert "disagree" in card.rows[2].problem.message()  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("row", "error"),
        [
            ({"indicator": "3", "year": 2025}, "InputTypeError"),
            ({"indicator": "3", "year": 2025, "value": "16", "numerator": 1, "denominator": 100}, "InputTypeError"),
            ({"indicator": "3", "year": 2025, "numerator": 1, "denominator": 0}, "InvalidValueError"),
            ({"indicator": "3", "year": 2025, "numerator": 5, "denominator": 4}, "InvalidValueError"),
            ({"indicator": "3", "year": 2025, "numerator": -1, "denominator": 4}, "InvalidValueError"),
            ({"indicator": "3", "year": 2025, "numerator": "1,5", "denominator": 4}, "InputTypeError"),
            ({"indicator": "", "year": 2025, "value": 1}, "InputTypeError"),
            ({"indicator": "3", "year": "", "value": 1}, "InputTypeError"),
            ({"indicator": "3", "year": "2025.5", "value": 1}, "InputTypeError"),
            ({"indicator": "3", "year": 2025, "value": 1, "unit": "kg"}, "UnitError"),
            ({"indicator": "3", "period": "31/02/2025", "value": 1}, "PeriodError"),
            ({"indicator": True, "year": 2025, "value": 1}, "InputTypeError"),
        ],
    )
    def test_row_errors(self, row: dict[str, Any], error: str) -> None:
        """Each kind of bad row is a problem of that row, never an exception for the table."""
        card = PLAN.assess_table([{"indicator": "9", "year": 2025, "value": 99}, row])
        assert card.rows[0].status is Status.MET
        assert error == card.rows[1].problem.error  # type: ignore[union-attr]

    def test_counts_exact(self) -> None:
        """Counts give the exact rate; a non-terminating one is marked inexact but judged exactly."""
        card = PLAN.assess_table([{"indicator": "3", "year": 2025, "numerator": 1, "denominator": 300}])
        assessment = card.assessments[0]
        assert (Status.MET, False) == (assessment.status, assessment.exact)
        assert assessment.explain("en").startswith("≈ 3.33‰ < 18‰: meets")
        assert Decimal("3.333333333333333333333333333333333") == assessment.value


class TestTableErrors:
    """A table tdplan cannot read at all is one typed error."""

    @pytest.mark.parametrize(
        ("data", "error", "match"),
        [
            ([{"value": 1, "year": 2025}], tdplan.InputTypeError, "no indicator column"),
            ([{"indicator": "3", "year": 2025}], tdplan.InputTypeError, "no value column"),
            ([{"indicator": "3", "value": 1}], tdplan.InputTypeError, "no year column"),
            ([{"indicator": "3", "chỉ tiêu": "3", "value": 1, "year": 2025}], tdplan.InputTypeError, "both give"),
            ({"indicator": "3"}, tdplan.InputTypeError, "a list of mappings"),
            (42, tdplan.InputTypeError, "not int"),
            ([[3, 2025, 1]], tdplan.InputTypeError, "row 1 is a list"),
            ("missing.csv", tdplan.PlanFileError, "cannot read the table"),
        ],
    )
    def test_unusable(self, data: Any, error: type[Exception], match: str) -> None:
        """Missing columns, duplicate columns, wrong types and missing files."""
        with pytest.raises(error, match=match):
            PLAN.assess_table(data)

    def test_not_text(self, tmp_path: Path) -> None:
        """Bytes that are neither UTF-8 nor Windows Vietnamese are refused with a hint."""
        path = tmp_path / "bang.csv"
        path.write_bytes(b"chi tieu,nam,gia tri\n3,2025,\x81\x8a\n")
        with pytest.raises(tdplan.PlanFileError, match="CSV UTF-8"):
            PLAN.assess_table(path)


class TestRollups:
    """Counts per goal, agency, area and year, against hand counts of the example table."""

    CARD = PLAN.assess_table(EXAMPLE)

    def test_example_table(self) -> None:
        """The shipped example table assesses every row."""
        assert (29, ()) == (len(self.CARD.rows), self.CARD.problems)

    def test_by_goal(self) -> None:
        """Counted by hand from the example table: goal 1 has 14 rows, goal 2 has 5, goal 3 has 7, goal 4 has 3."""
        goals = {rollup.key: rollup for rollup in self.CARD.by_goal()}
        assert ["1", "2", "3", "4"] == list(goals)
        assert (14, 5, 7, 3) == tuple(goals[key].total for key in "1234")
        assert {Status.MET: 4, Status.NOT_MET: 4, Status.AHEAD: 3, Status.PENDING: 3} == dict(goals["1"].counts)
        assert {Status.MET: 3, Status.NOT_MET: 4, Status.AHEAD: 0, Status.PENDING: 0} == dict(goals["3"].counts)

    def test_by_agency(self) -> None:
        """Indicator 16's row counts for both labour and police; agencies leading nothing are left out."""
        agencies = {rollup.key: rollup for rollup in self.CARD.by_agency()}
        assert ["labour", "justice", "police", "education", "health", "culture"] == list(agencies)
        assert 1 == agencies["police"].total
        assert ("16",) == agencies["police"].indicators
        assert (6, 1, 7, 14, 1) == tuple(
            agencies[key].total for key in ("labour", "justice", "education", "health", "culture")
        )

    def test_by_area_and_year(self) -> None:
        """Areas in order of appearance; years in order."""
        areas = {rollup.key: rollup.total for rollup in self.CARD.by_area()}
        assert {"Lai Châu (toàn tỉnh)": 5, "Bản Bo": 7, "Bình Lư": 7, "Tả Lèng": 5, "Khun Há": 5} == areas
        assert [("2023", 1), ("2024", 8), ("2025", 20)] == [(r.key, r.total) for r in self.CARD.by_year()]

    def test_shares(self) -> None:
        """Shares are exact fractions of the group's rows."""
        year = self.CARD.by_year()[0]
        assert 1 == year.share(Status.MET)
        only_goal_1 = PLAN.assess_table([{"indicator": "3", "year": 2025, "value": "16"}])
        assert 0 == only_goal_1.by_goal()[3].share(Status.MET)

    def test_rollup_by_name(self) -> None:
        """rollup(by) dispatches, and refuses unknown groupings."""
        assert self.CARD.by_goal() == self.CARD.rollup("goal")
        with pytest.raises(tdplan.InputTypeError, match="goal, agency, area or year"):
            self.CARD.rollup("office")


class TestSecondReview:
    """Tables a review found to be misread, each now read as the scalar path reads it."""

    def big(self, **columns: Any) -> pd.DataFrame:
        """A DataFrame large enough for the NumPy path."""
        return pd.DataFrame({name: [value] * 2500 for name, value in columns.items()})

    def test_unnamed_column_is_not_a_period(self) -> None:
        """A column with an empty name (pandas' index in to_csv) is kept, not read as the period or area."""
        card = PLAN.assess_table(io.StringIO(",indicator,value,year\n0,9,98,2025\n1,9,97,2025\n"))
        assert [Status.MET, Status.NOT_MET] == [row.status for row in card.rows]
        bulk = PLAN.assess_table(self.big(**{"": "Bản Bo", "indicator": "9", "value": 98.0, "year": 2025}))
        assert {"": 0} != {r.key: r.total for r in bulk.by_area()}
        assert [("", 2500)] == [(r.key, r.total) for r in bulk.by_area()]

    def test_bad_area_in_bulk(self) -> None:
        """An area the scalar path refuses makes the row a problem on the NumPy path too."""
        card = PLAN.assess_table(self.big(indicator="9", value=98.0, year=2025, area=1.5))
        assert dict.fromkeys(Status, 0) == dict(card.counts)
        assert 2500 == len(card.problems)
        assert "not a name or an id" in card.problems[0].message()
        assert ["goal"] == [r.by for r in card.by_goal()][:1]

    def test_float32_read_at_its_precision(self) -> None:
        """A float32 97.2 is 97.2 (≥ 97.2 %: met), as Plan.assess reads it, on both paths; float32 NaN is missing."""
        frame = self.big(indicator="9", value=np.float32(97.2), year=2025)
        frame["value"] = frame["value"].astype("float32")
        assert {Status.MET: 2500} == {s: n for s, n in PLAN.assess_table(frame).counts.items() if n}
        assert Status.MET is PLAN.assess_table(frame.head(3)).rows[0].status
        frame.loc[0, "value"] = np.float32("nan")
        assert "no value" in PLAN.assess_table(frame.head(3)).problems[0].message()

    def test_negative_year(self) -> None:
        """A negative year is refused as negative on both paths."""
        frame = self.big(indicator="99", value=1.0, year=-5)
        assert "negative" in PLAN.assess_table(frame).problems[0].message()
        assert "negative" in PLAN.assess_table(frame.head(3)).problems[0].message()

    def test_csv_row_numbers_count_blank_lines(self) -> None:
        """Blank lines are skipped but counted, so a row's number is its place under the header."""
        card = PLAN.assess_table(io.StringIO("indicator,value,year\n9,98,2025\n\n9,x,2025\n"))
        assert [1, 3] == [row.row for row in card.rows]
        assert 3 == card.problems[0].row

    def test_cells_past_the_header_are_a_problem(self) -> None:
        """A row with a cell past the header's last column is a row problem, never a cut row."""
        card = PLAN.assess_table(io.StringIO("indicator,value,year\n9,98,2025,EXTRA\n"))
        assert [1] == [problem.row for problem in card.problems]
        assert "'EXTRA'" in card.problems[0].message("en")

    @pytest.mark.parametrize(
        ("data", "match"),
        [
            (io.StringIO("indicator,value,year,note,note\n9,98,2025,a,b\n"), "two columns named 'note'"),
            ([{"indicator": "9", "value": 98, "year": 2025, 1: "a", "1": "b"}], "two columns with the same name"),
        ],
    )
    def test_duplicate_names(self, data: Any, match: str) -> None:
        """Two columns with one name are an error, not one silently dropped."""
        with pytest.raises(tdplan.InputTypeError, match=match):
            PLAN.assess_table(data)

    def test_unreadable_csv_and_path(self) -> None:
        """A CSV field past the csv module's limit, and a path with a NUL, are PlanFileErrors."""
        with pytest.raises(tdplan.PlanFileError, match="not CSV"):
            PLAN.assess_table(io.StringIO("indicator,value,year\n9,98," + "x" * 200_000 + "\n"))
        with pytest.raises(tdplan.PlanFileError, match="cannot read"):
            PLAN.assess_table("bad\x00path.csv")

    def test_assess_frame_keeps_own_status_column(self) -> None:
        """An input column named status is kept as status_input."""
        frame = pd.DataFrame({"indicator": ["9"], "value": [98.0], "year": [2025], "status": ["approved"]})
        result = tdplan.assess_frame(PLAN, frame)
        assert (["approved"], ["met"]) == (list(result["status_input"]), list(result["status"]))

    def test_dataframe_with_tdplan_column_names(self) -> None:
        """Input columns named like tdplan's own (milestone, ratio) do not break to_dataframe."""
        card = PLAN.assess_table([{"indicator": "9", "value": 98, "year": 2025, "milestone": "x", "ratio": "1:2"}])
        frame = card.to_dataframe(floats=True)
        assert ["x"] == list(frame["milestone_input"])
