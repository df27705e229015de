"""DataFrames whose values or years are text ("16,5", "2025": pandas.read_csv of a Vietnamese file, or dtype=str)
are decided with NumPy as a large CSV file is, row for row and byte for byte what the scalar path gives."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

import tdplan
from conftest import workbook_parts
from tdplan.analysis import tables
from tdplan.analysis.figures import decided_figures
from tdplan.analysis.observations import observations
from tdplan.analysis.scorecard import DecidedRows
from tdplan.reports.render import render

pandas = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

PLAN = tdplan.load_plan()
ROWS = 3000


def scalar(frame: Any, monkeypatch: pytest.MonkeyPatch, **options: Any) -> tdplan.Scorecard:
    """The frame assessed by the scalar path, one row at a time."""
    with monkeypatch.context() as patch:
        patch.setattr(tables, "BULK_ROWS", 10**9)
        card = PLAN.assess_table(frame, **options)
    assert not isinstance(card.rows, DecidedRows)
    return card


def hostile(seed: int, values: list[Any], years: list[Any]) -> Any:
    """A frame of text cells of every kind: plain, odd, blank, missing, with a unit, another plan's indicator."""
    generator = random.Random(seed)
    return pandas.DataFrame(
        {
            "chỉ tiêu": [generator.choice(["3", "9", "14", "28", "99", " 3"]) for _ in range(ROWS)],
            "giá trị": [generator.choice(values) for _ in range(ROWS)],
            "năm": [generator.choice(years) for _ in range(ROWS)],
            "xã": [generator.choice(["Bản Bo", "Bình Lư", None, ""]) for _ in range(ROWS)],
            "ghi chú": [generator.choice(["", "ước tính", None]) for _ in range(ROWS)],
        }
    )


VIETNAMESE = ["16,5", "17", "95,25", "0,5", "100", "", None, "16,500", "abc", "95,5%", " 16,5", "0", "-1", "1e3"]
ENGLISH = ["16.5", "17", "95.25", "0.5", "100", "", None, "16.500", "n/a", "16.5‰", "99.99999999", "1,234"]
YEARS = ["2025", "2026", "2040", "năm 2025", "", None, "02025"]


class TestDecided:
    """Text frames take the NumPy path."""

    def test_plain_text(self) -> None:
        """3,000 rows of "16,5" for indicator 3 in 2025: every one met (below 18 per 1,000), by 1,5, with NumPy."""
        frame = pandas.DataFrame({"chỉ tiêu": ["3"] * ROWS, "giá trị": ["16,5"] * ROWS, "năm": ["2025"] * ROWS})
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        assert 0 == len(card.rows.scored)  # no row left to the scalar path
        assert {tdplan.Status.MET: ROWS} == {status: count for status, count in card.counts.items() if count}
        first = card.rows[0].assessment
        assert first is not None
        assert (Decimal("16.5"), Decimal("1.5")) == (first.value, first.margin)

    @pytest.mark.parametrize("dtype", [object, "string"])
    def test_text_dtypes(self, dtype: Any) -> None:
        """Python objects or pandas' string dtype: both are text."""
        frame = pandas.DataFrame({"chỉ tiêu": ["9"] * ROWS, "giá trị": ["97,2"] * ROWS, "năm": [2025] * ROWS})
        frame["giá trị"] = frame["giá trị"].astype(dtype)
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        assert ROWS == card.counts[tdplan.Status.MET]  # 97,2 % against at least 97,2 %

    def test_numbers_and_text_years(self) -> None:
        """Numbers with years written as text: the years are read, the numbers used as they are."""
        frame = pandas.DataFrame({"chỉ tiêu": ["3"] * ROWS, "giá trị": [18.0] * ROWS, "năm": ["2025"] * ROWS})
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        assert ROWS == card.counts[tdplan.Status.NOT_MET]  # 18 is not below 18


class TestSameAsScalar:
    """Every row, count, check and report equals the scalar path's."""

    @pytest.mark.parametrize(("seed", "values"), [(1, VIETNAMESE), (2, ENGLISH), (3, [*VIETNAMESE[:5], None])])
    def test_hostile(self, monkeypatch: pytest.MonkeyPatch, seed: int, values: list[Any]) -> None:
        """Odd cells of every kind, in either notation: the same rows, and the same JSON, CSV, Markdown and xlsx."""
        frame = hostile(seed, values, YEARS)
        card, expected = PLAN.assess_table(frame), scalar(frame, monkeypatch)
        assert isinstance(card.rows, DecidedRows)
        assert [(r.row, r.cells, r.status, r.assessment, r.problem, r.notes) for r in expected.rows] == [
            (r.row, r.cells, r.status, r.assessment, r.problem, r.notes) for r in card.rows
        ]
        for fmt in ("json", "csv", "md"):
            assert render(expected, fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]

    def test_xlsx(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The workbook too, sheet for sheet (its creation time aside)."""
        frame = hostile(4, VIETNAMESE, YEARS)
        card, expected = PLAN.assess_table(frame), scalar(frame, monkeypatch)
        assert workbook_parts(render(expected, "xlsx", lang="vi")) == workbook_parts(render(card, "xlsx", lang="vi"))


class TestFloatYears:
    """Years as floats (2025.0, NaN: what pandas gives a year column with a blank cell) are decided by NumPy too."""

    def test_decided(self) -> None:
        """2025.0 is 2025: every row met with NumPy, and its figure dated 2025 (the observations and the checks)."""
        frame = pandas.DataFrame({"chỉ tiêu": ["3"] * ROWS, "giá trị": [16.5] * ROWS, "năm": [2025.0] * ROWS})
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        assert 0 == len(card.rows.scored)
        assert ROWS == card.counts[tdplan.Status.MET]  # 16.5 below 18 per 1,000 in 2025
        assert {2025} == {figure.period.year for figure in observations(card)}
        figures = decided_figures(card)
        assert figures is not None
        assert {"2025"} == {str(period) for period in figures.periods}

    def test_odd_years_as_scalar(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """NaN, 2025.5, 1e9, -0.0 and years outside the plan among whole years: the scalar path's rows, problems,
        checks, figures and reports, byte for byte."""
        generator = random.Random(5)
        years = [2025.0, 2026.0, 2030.0, 2040.0, 1999.0, float("nan"), 2025.5, 1e9, -0.0, 999.0, 10000.0]
        frame = hostile(5, ["16,5", "17", "95,25", "0,5"], ["2025"])
        frame["năm"] = [generator.choice(years) for _ in range(ROWS)]
        frame["giá trị"] = [generator.choice([16.5, 17.0, 95.25, 0.5, float("nan"), 18]) for _ in range(ROWS)]
        card, expected = PLAN.assess_table(frame), scalar(frame, monkeypatch)
        assert isinstance(card.rows, DecidedRows)
        assert "float64" == str(frame["năm"].dtype)
        assert [(r.row, r.cells, r.status, r.assessment, r.problem, r.notes) for r in expected.rows] == [
            (r.row, r.cells, r.status, r.assessment, r.problem, r.notes) for r in card.rows
        ]
        assert (expected.violations, expected.jumps) == (card.violations, card.jumps)
        assert observations(expected) == observations(card)
        for fmt in ("json", "csv", "md"):
            assert render(expected, fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]
        assert workbook_parts(render(expected, "xlsx", lang="vi")) == workbook_parts(render(card, "xlsx", lang="vi"))


class TestLeftToTheScalarPath:
    """Frames NumPy cannot read exactly are read one row at a time, as before."""

    @pytest.mark.parametrize(
        "values",
        [
            ["16,5", 17, "95,25"],  # text and numbers in one column: each read as it is
            ["16,5", b"17"],  # bytes
        ],
    )
    def test_mixed(self, values: list[Any]) -> None:
        """Text with numbers, or with bytes: each cell read as it is, one row at a time."""
        frame = pandas.DataFrame({"chỉ tiêu": ["3"] * ROWS, "giá trị": (values * ROWS)[:ROWS], "năm": [2025] * ROWS})
        assert not isinstance(PLAN.assess_table(frame).rows, DecidedRows)

    @pytest.mark.parametrize("column", ["giá trị", "năm"])
    def test_lone_surrogate(self, monkeypatch: pytest.MonkeyPatch, column: str) -> None:
        """A cell with a lone surrogate (text decoded with surrogateescape), which pyarrow cannot hold: the frame is
        read row by row, that row's problem as the scalar path says it, never a UnicodeEncodeError."""
        columns = {"chỉ tiêu": ["9"] * ROWS, "giá trị": ["95,5"] * ROWS, "năm": ["2025"] * ROWS}
        columns[column][-1] = "9\udcff5" if column == "giá trị" else "2\udcff25"
        frame = pandas.DataFrame(columns, dtype=object)  # pandas' own string dtype refuses such text
        card, expected = PLAN.assess_table(frame), scalar(frame, monkeypatch)
        assert not isinstance(card.rows, DecidedRows)
        assert ROWS - 1 == card.counts[tdplan.Status.NOT_MET]  # 95,5 % below at least 97,2 %
        assert [problem.row for problem in card.problems] == [ROWS]
        assert [p.message("vi") for p in expected.problems] == [p.message("vi") for p in card.problems]

    @pytest.mark.parametrize("column", ["giá trị", "năm"])
    def test_float32_missing(self, monkeypatch: pytest.MonkeyPatch, column: str) -> None:
        """A missing cell written as NumPy's float32 NaN among text (pyarrow takes only None and float NaN for
        missing): row by row, that row's problem as the scalar path says it ("the row has no value"), never
        pyarrow's ArrowTypeError."""
        import numpy as np

        columns: dict[str, list[Any]] = {"chỉ tiêu": ["9"] * ROWS, "giá trị": ["95,5"] * ROWS, "năm": ["2025"] * ROWS}
        columns[column][-1] = np.float32("nan")
        frame = pandas.DataFrame(columns, dtype=object)
        card, expected = PLAN.assess_table(frame), scalar(frame, monkeypatch)
        assert ROWS - 1 == card.counts[tdplan.Status.NOT_MET]
        assert [problem.row for problem in card.problems] == [ROWS]
        assert [p.message("vi") for p in expected.problems] == [p.message("vi") for p in card.problems]

    @pytest.mark.parametrize("column", ["chỉ tiêu", "xã", "ghi chú"])
    def test_generic_timedelta(self, column: str) -> None:
        """NumPy's generic timedelta64(16), which cannot be hashed (a ValueError, not a TypeError): row by row."""
        import numpy as np

        columns: dict[str, list[Any]] = {"chỉ tiêu": ["9"] * ROWS, "giá trị": [95.5] * ROWS, "năm": [2025] * ROWS}
        columns |= {"xã": ["Bản Bo"] * ROWS, "ghi chú": [""] * ROWS}
        columns[column][-1] = np.timedelta64(16)
        card = PLAN.assess_table(pandas.DataFrame(columns))
        assert not isinstance(card.rows, DecidedRows)
        assert ROWS == len(card.rows)

    @pytest.mark.parametrize("column", ["chỉ tiêu", "xã", "ghi chú"])
    def test_unhashable_cell(self, column: str) -> None:
        """A list in a cell (no dict takes it as a key, and the NumPy path numbers each column's distinct cells):
        the frame is read row by row, the list in an indicator or area that row's problem, never pandas'
        "unhashable type" TypeError."""
        columns: dict[str, list[Any]] = {
            "chỉ tiêu": ["9"] * ROWS,
            "giá trị": [95.5] * ROWS,
            "năm": [2025] * ROWS,
            "xã": ["Bản Bo"] * ROWS,
            "ghi chú": [""] * ROWS,
        }
        columns[column][-1] = ["Bản Bo"]
        card = PLAN.assess_table(pandas.DataFrame(columns))
        assert not isinstance(card.rows, DecidedRows)
        problems = [(p.row, p.message("en")) for p in card.problems]
        assert ([] if column == "ghi chú" else [(ROWS, "['Bản Bo'] is not a name or an id")]) == problems
        assert ROWS - len(problems) == card.counts[tdplan.Status.NOT_MET]  # 95.5 % below at least 97.2 %

    def test_two_notations(self) -> None:
        """Cells that settle two notations (16,5 and 16.5): the scalar path's error, saying which rows write which."""
        frame = pandas.DataFrame(
            {"chỉ tiêu": ["3"] * ROWS, "giá trị": ["16.5", "16,5"] * (ROWS // 2), "năm": [2025] * ROWS}
        )
        with pytest.raises(
            tdplan.InputTypeError, match="mixes notations: rows 2, 4, 6, 8, 10, … write a decimal comma"
        ):
            PLAN.assess_table(frame)

    def test_decimal_given(self) -> None:
        """decimal= given: the scalar path, which reads the notation it is told."""
        frame = pandas.DataFrame({"chỉ tiêu": ["3"] * ROWS, "giá trị": ["16,5"] * ROWS, "năm": [2025] * ROWS})
        card = PLAN.assess_table(frame, decimal=",")
        assert not isinstance(card.rows, DecidedRows)
        assert ROWS == card.counts[tdplan.Status.MET]

    def test_unit_in_header(self) -> None:
        """A unit in the value's header ("Tỷ lệ (%)"): the scalar path, as for a CSV file."""
        frame = pandas.DataFrame({"chỉ tiêu": ["9"] * ROWS, "Tỷ lệ (%)": ["97,2"] * ROWS, "năm": [2025] * ROWS})
        assert not isinstance(PLAN.assess_table(frame).rows, DecidedRows)
