"""DataFrames of scorecards and series: the columns promised, the exact values, and a clear error without pandas."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import tdplan
from tdplan import MissingDependencyError, Status
from tdplan.core.errors import InputTypeError
from tdplan.reports.frames import POINT_COLUMNS, SCORECARD_COLUMNS, TRAJECTORY_COLUMNS

PLAN = tdplan.load_plan()
EXAMPLE = Path(__file__).parent.parent / "examples" / "data" / "bang-so-lieu-mau.csv"
ROWS = [
    {"indicator": "3", "year": 2025, "value": "16,5‰", "area": "Bản Bo", "source": "survey"},
    {"indicator": "3", "year": 2025, "value": "18‰", "area": "Khun Há"},
    {"indicator": "3", "year": 2025, "numerator": 5, "denominator": 300, "area": "Tả Lèng"},
    {"indicator": "8", "year": 2025, "value": "0,05%", "residence": "rural"},
    {"indicator": "30", "year": 2025, "value": "1%"},
    {"indicator": "16", "period": "2024-H1", "value": "100%"},
]


class TestScorecardFrame:
    def test_columns(self) -> None:
        """The row number, the table's own columns as given, then tdplan's columns."""
        card = PLAN.assess_table(EXAMPLE)
        frame = card.to_dataframe()
        assert ["row", *card.columns, *SCORECARD_COLUMNS] == list(frame.columns)
        assert len(card.rows) == len(frame)

    def test_inputs_kept_as_given(self) -> None:
        """The table's cells are in the frame unchanged (CSV cells are strings)."""
        card = PLAN.assess_table(EXAMPLE)
        frame = card.to_dataframe()
        assert [row.cells["giá trị"] for row in card.rows] == frame["giá trị"].tolist()
        assert [row.cells["nguồn"] for row in card.rows] == frame["nguồn"].tolist()
        assert [row.row for row in card.rows] == frame["row"].tolist()

    def test_clashing_names(self) -> None:
        """A column of the table with one of tdplan's names gets ``_input`` appended, so both are kept."""
        frame = PLAN.assess_table(ROWS).to_dataframe()
        assert ["row", "indicator_input", "year_input", "value_input", "area_input", "source"] == list(
            frame.columns[:6]
        )
        assert "16,5‰" == frame.loc[0, "value_input"]
        assert Decimal("16.5") == frame.loc[0, "value"]

    def test_values_are_the_assessments(self) -> None:
        """Every verdict column equals the Assessment's value exactly, Decimals as Decimals."""
        card = PLAN.assess_table(EXAMPLE)
        frame = card.to_dataframe()
        assert [] == list(card.problems)
        for index, row in enumerate(card.rows):
            assessment = row.assessment
            assert assessment is not None
            record = frame.iloc[index]
            target = assessment.target
            assert assessment.indicator.id == record["indicator"]
            assert assessment.indicator.goal == record["goal"]
            assert assessment.year == record["year"]
            assert assessment.status.value == record["status"]
            assert assessment.met == record["met"]
            assert assessment.exact == record["exact"]
            assert target.unit.value == record["unit"]
            assert target.comparator.value == record["comparator"]
            assert target.year == (None if pd.isna(record["target_year"]) else record["target_year"])
            assert target.disaggregation.label("vi") == record["disaggregation"]
            assert assessment.explain("vi") == record["explanation"]
            for name in ("value", "threshold", "margin"):
                assert isinstance(record[name], Decimal)
            assert (assessment.value, target.threshold, assessment.margin) == (
                record["value"],
                record["threshold"],
                record["margin"],
            )
            assert str(assessment.value) == str(record["value"])  # the same digits, not only an equal number

    def test_boundary_stays_exact(self) -> None:
        """18‰ against "below 18‰" stays on the threshold: a margin of exactly 0, not met."""
        frame = PLAN.assess_table(ROWS).to_dataframe()
        assert ("not_met", False, Decimal("18"), Decimal("0")) == tuple(
            frame.loc[1, ["status", "met", "value", "margin"]]
        )

    def test_rounded_rate(self) -> None:
        """A rate with no finite decimal (5 of 300) is the assessment's 34-digit value, marked not exact."""
        card = PLAN.assess_table(ROWS)
        frame = card.to_dataframe()
        assert card.rows[2].assessment is not None
        assert card.rows[2].assessment.value == frame.loc[2, "value"]
        assert Decimal("16.66666666666666666666666666666667") == frame.loc[2, "value"]
        assert not frame.loc[2, "exact"]

    def test_groups_areas_periods(self) -> None:
        """The group, the area and the period of each row; empty where the row gives none."""
        frame = PLAN.assess_table(ROWS).to_dataframe()
        assert ["", "", "", "nông thôn"] == frame["disaggregation"].tolist()[:4]
        assert "Bản Bo" == frame.loc[0, "area"]
        assert pd.isna(frame.loc[3, "area"])
        assert "2024-H1" == frame.loc[5, "period"]
        assert 2024 == frame.loc[5, "year"]

    def test_problem_rows(self) -> None:
        """A row that could not be assessed has its error and message (in the frame's language), and no verdict."""
        frame = PLAN.assess_table(ROWS).to_dataframe()
        record = frame.iloc[4]
        assert "UnknownIndicatorError" == record["error"]
        assert "không có chỉ tiêu '30': kế hoạch có 1–15, 15b, 16–25, 25b, 26–29" == record["problem"]
        english = PLAN.assess_table(ROWS).to_dataframe("en").iloc[4]
        assert "no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29" == english["problem"]
        assert pd.isna(record["status"])
        assert pd.isna(record["met"])
        assert pd.isna(record["year"])
        assert record["value"] is None
        assert [True, True, True, True, True] == frame["problem"].drop(index=4).isna().tolist()

    def test_dtypes(self) -> None:
        """Statuses are an ordered category (best first), years nullable integers, values objects."""
        frame = PLAN.assess_table(ROWS).to_dataframe()
        assert ["met", "ahead", "pending", "not_met"] == list(frame["status"].cat.categories)
        assert frame["status"].cat.ordered
        assert "Int64" == str(frame["year"].dtype)
        assert "Int64" == str(frame["goal"].dtype)
        assert "boolean" == str(frame["met"].dtype)
        assert object == frame["value"].dtype

    def test_counts_match(self) -> None:
        """Counting the status column gives the scorecard's counts."""
        card = PLAN.assess_table(EXAMPLE)
        counts = card.to_dataframe()["status"].value_counts()
        assert {status: card.counts[status] for status in Status} == {
            status: int(counts[status.value]) for status in Status
        }

    def test_floats(self) -> None:
        """floats=True gives float64 values, thresholds and margins, the nearest floats to the exact ones."""
        card = PLAN.assess_table(ROWS)
        frame = card.to_dataframe(floats=True)
        for name in ("value", "threshold", "margin"):
            assert "float64" == str(frame[name].dtype)
        assert 16.5 == frame.loc[0, "value"]
        assert pd.isna(frame.loc[4, "value"])

    def test_english(self) -> None:
        """The explanation is in the language asked for."""
        frame = PLAN.assess_table(ROWS).to_dataframe("en")
        assert "16.5‰ < 18‰: meets the 2025 target" == frame.loc[0, "explanation"]

    def test_unknown_language(self) -> None:
        """A language other than vi or en is an InputTypeError."""
        with pytest.raises(InputTypeError, match="unknown language 'fr'"):
            PLAN.assess_table(ROWS).to_dataframe("fr")

    def test_empty(self) -> None:
        """A table with no rows gives a frame with the columns and no rows."""
        frame = PLAN.assess_table(pd.DataFrame({"indicator": [], "value": [], "year": []})).to_dataframe()
        assert ["row", "indicator_input", "value_input", "year_input", *SCORECARD_COLUMNS] == list(frame.columns)
        assert 0 == len(frame)


class TestProgressFrame:
    def test_points(self) -> None:
        """One row per measurement, the baseline without a verdict, values and margins exact."""
        progress = PLAN.track("3", {2020: 25, 2022: "23,958‰", 2024: "19,8‰"})
        frame = progress.to_dataframe()
        assert list(POINT_COLUMNS) == list(frame.columns)
        assert ["2020", "2022", "2024"] == frame["period"].tolist()
        assert [Decimal("25"), Decimal("23.958"), Decimal("19.8")] == frame["value"].tolist()
        assert pd.isna(frame.loc[0, "status"])
        assert ["pending", "pending"] == frame["status"].tolist()[1:]
        assert [a.margin for a in progress.assessments] == frame["margin"].tolist()[1:]
        assert [2025, 2025] == frame["target_year"].tolist()[1:]
        assert "năm 2020: 25‰" == frame.loc[0, "explanation"]

    def test_periods(self) -> None:
        """A reporting period gives its code, first and last day, and year; its verdict is not yet due."""
        progress = PLAN.track("9", {2021: 90, "quý III/2025": 97.5})
        frame = progress.to_dataframe("en")
        record = frame.iloc[1]
        assert ("2025-Q3", 2025, "ahead") == (record["period"], record["year"], record["status"])
        assert (progress.points[1].period.start, progress.points[1].period.end) == (record["start"], record["end"])

    def test_indicator_18(self) -> None:
        """Indicator 18: the counts, each year's fall in percent and its verdict; the first year has none."""
        progress = PLAN.track("18", {2024: 52, 2025: 50, 2026: 49})
        frame = progress.to_dataframe("en")
        assert [Decimal(52), Decimal(50), Decimal(49)] == frame["value"].tolist()
        assert ["count"] * 3 == frame["unit"].tolist()
        assert [None] + [fall.fall for fall in progress.falls] == frame["fall"].tolist()
        assert Decimal("2") == frame.loc[2, "fall"]
        assert ["met", "met"] == frame["status"].tolist()[1:]
        assert "2026: 50 → 49, a fall of 2% (within the 2%–3% band): met" == frame.loc[2, "explanation"]

    def test_trajectories(self) -> None:
        """One row per milestone not yet due, with the trajectory's figures unrounded."""
        progress = PLAN.track("3", {2020: 25, 2022: "23,958‰", 2024: "19,8‰"})
        frame = progress.trajectories_to_dataframe("en")
        assert list(TRAJECTORY_COLUMNS) == list(frame.columns)
        assert [2025, 2030] == frame["milestone"].tolist()
        assert ["moderate", "on_track"] == frame["status"].tolist()
        for index, trajectory in enumerate(progress.trajectories):
            record = frame.iloc[index]
            assert (trajectory.cagr, trajectory.required, trajectory.ratio, trajectory.projected) == (
                record["cagr"],
                record["required"],
                record["ratio"],
                record["projected"],
            )
            assert trajectory.explain("en") == record["explanation"]
        assert "1 year left" == frame.loc[0, "left"]

    def test_trajectories_floats(self) -> None:
        """floats=True gives float trajectory figures."""
        frame = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"}).trajectories_to_dataframe(floats=True)
        assert "float64" == str(frame["ratio"].dtype)

    def test_no_trajectories(self) -> None:
        """Indicator 18 has falls, not trajectories: an empty frame with the columns."""
        frame = PLAN.track("18", {2024: 52, 2025: 50}).trajectories_to_dataframe()
        assert list(TRAJECTORY_COLUMNS) == list(frame.columns)
        assert 0 == len(frame)


class TestWithoutPandas:
    @pytest.fixture(autouse=True)
    def _no_pandas(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Remove pandas: with None in sys.modules, ``import pandas`` raises ImportError."""
        monkeypatch.setitem(sys.modules, "pandas", None)

    def test_scorecard(self) -> None:
        """Scorecard.to_dataframe says to install the pandas extra."""
        card = PLAN.assess_table(ROWS)
        with pytest.raises(MissingDependencyError, match=r"pip install 'tdplan\[pandas\]'"):
            card.to_dataframe()

    def test_progress(self) -> None:
        """Progress.to_dataframe and trajectories_to_dataframe say the same."""
        progress = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"})
        with pytest.raises(MissingDependencyError, match="DataFrames need pandas"):
            progress.to_dataframe()
        with pytest.raises(MissingDependencyError, match="DataFrames need pandas"):
            progress.trajectories_to_dataframe()

    def test_is_an_import_error(self) -> None:
        """The error is an ImportError (code that already catches that keeps working) and a TdplanError."""
        with pytest.raises(ImportError) as caught:
            PLAN.assess_table(ROWS).to_dataframe()
        assert isinstance(caught.value, tdplan.TdplanError)
        assert isinstance(caught.value.__cause__, ImportError)

    def test_rest_works(self) -> None:
        """Without pandas everything else still works: assessing a table, its repr."""
        card = PLAN.assess_table(ROWS)
        assert 1 == len(card.problems)
