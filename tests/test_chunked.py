"""Large CSV files read in chunks and decided with NumPy give exactly the scorecard of the standard reader."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

import tdplan
from tdplan.analysis import chunked, tables
from tdplan.analysis.scorecard import DecidedRows

pytest.importorskip("pandas")

VALUES = ["16,5", "17", "18", "16,500", "16,5‰", "abc", "", "97,2", "99,99", "0", "1.000", "-1", "18,0001", "Năm"]


@pytest.fixture(scope="module")
def plan() -> tdplan.Plan:
    return tdplan.load_plan()


def write(path: Path, rows: int, seed: int = 14) -> None:
    """A table past BULK_BYTES with every kind of cell the NumPy path must leave to the scalar path."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("chỉ tiêu,giá trị,năm,địa bàn,khu vực,ghi chú\n")
        for number in range(rows):
            indicator = rng.choice(["3", "9", "15", "8", "30", "18", "1"])
            year = rng.choice(["2025", "2024", "2031", "20x5", "2030", "²⁰²⁵"])
            area = rng.choice(["Bản Bo", "Khun Há", ""])
            residence = rng.choice(["rural", "urban", ""])
            file.write(f'{indicator},"{rng.choice(VALUES)}",{year},{area},{residence},ghi chú {number}\n')


class TestChunkedCsv:
    """assess_table on a large CSV file's path."""

    def test_same_as_the_standard_reader(self, plan: tdplan.Plan, tmp_path: Path) -> None:
        """Every row's status, every problem and every roll-up equal the scalar path's on the same rows."""
        path = tmp_path / "large.csv"
        write(path, 40_000)
        assert path.stat().st_size >= tables.BULK_BYTES
        fast = tdplan.assess_table(plan, path)
        _, rows, _ = tables.read_table(path)
        slow = tdplan.assess_table(plan, rows)
        assert isinstance(fast.rows, DecidedRows)
        assert slow.counts == fast.counts
        assert slow.problems == fast.problems
        assert [row.status for row in slow.rows] == [row.status for row in fast.rows]
        assert slow.by_area() == fast.by_area()

    def test_row_cells_as_given(self, plan: tdplan.Plan, tmp_path: Path) -> None:
        """A row keeps its cells as the file wrote them (``16,5`` stays text), and its number."""
        path = tmp_path / "large.csv"
        write(path, 40_000)
        _, rows, _ = tables.read_table(path)
        card = tdplan.assess_table(plan, path)
        assert (rows[123], 124) == (dict(card.rows[123].cells), card.rows[123].row)

    @pytest.mark.parametrize(
        ("extra", "why"),
        [
            ("\n", "a blank line"),
            ("3,16.5,2025,,,,extra\n", "a row longer than the header"),
            (",,,,,\n", "empty cells"),
        ],
    )
    def test_falls_back(self, tmp_path: Path, extra: str, why: str) -> None:
        """Where the standard reader could read the file differently, the chunked reader declines."""
        path = tmp_path / "odd.csv"
        write(path, 100)
        with path.open("a", encoding="utf-8") as file:
            file.write(extra)
            file.write("3,16.5,2025,Bản Bo,,last\n")
        assert chunked.read_csv_columns(path) is None, why

    def test_duplicate_names_fall_back(self, tmp_path: Path) -> None:
        """Two columns with one name: the standard reader's error, not pandas' renaming."""
        path = tmp_path / "twice.csv"
        path.write_text("indicator,value,year,value\n" + "3,16,2025,17\n" * 70_000, encoding="utf-8")
        assert chunked.read_csv_columns(path) is None
        with pytest.raises(tdplan.InputTypeError, match="two columns"):
            tdplan.assess_table(tdplan.load_plan(), path)

    def test_numbers_by_column(self, tmp_path: Path) -> None:
        """Values and years are read from their own columns, whatever their order; other cells are left (NaN, -1)."""
        path = tmp_path / "order.csv"
        path.write_text("Năm;Giá trị;Mã chỉ tiêu\n2025;16,5;3\n2024;17;3\n²⁰²⁵;16,500;3\n", "utf-8")
        read = chunked.read_csv_columns(path)
        assert read is not None
        assert [2025, 2024, -1] == read.years.tolist()
        assert [16.5, 17.0] == read.values[:2].tolist()
        assert math.isnan(read.values[2])

    def test_plain_numbers(self) -> None:
        """Only text the scalar path reads as the same float becomes a number; the rest is left to it."""
        values, plain = chunked.plain_numbers(["16.5", "16,5", "16,500", "1.000", "16,5‰", "", "007", "0", "18.0001"])
        assert [True, True, False, False, False, False, False, True, True] == plain.tolist()
        assert [16.5, 16.5, 0.0, 18.0001] == values[plain].tolist()


class TestReviewFindings:
    """A large file reads as a small one: decimal commas in every check, and Excel's quoting."""

    def test_decimal_commas_in_the_checks(self, tmp_path: Path) -> None:
        """60,000 rows of 16,5‰ for indicator 3 in Bản Bo: all met, and the checks run (one figure per period)."""
        path = tmp_path / "vn.csv"
        path.write_text("Mã chỉ tiêu;Năm;Giá trị;Xã\n" + "3;2025;16,5;Bản Bo\n" * 60_000, "utf-8")
        card = tdplan.load_plan().assess_table(path)
        assert 60_000 == card.counts[tdplan.Status.MET]
        assert ([], []) == (list(card.violations), list(card.jumps))
        assert "16,5‰" in tdplan.render(card, "md")

    def test_apostrophes_are_not_quotes(self, tmp_path: Path) -> None:
        """A note with apostrophes ('sổ A', 'bắt đầu … kết thúc') swallows no rows: every row is counted."""
        lines = ["Mã chỉ tiêu;Năm;Giá trị;Ghi chú"]
        notes = {4: "'sổ A'", 11: "'bắt đầu", 21: "kết thúc'"}
        lines += [f"3;2025;16;{notes.get(number, '')}" for number in range(1, 100_001)]
        path = tmp_path / "q.csv"
        path.write_text("\n".join(lines) + "\n", "utf-8")
        card = tdplan.load_plan().assess_table(path)
        assert 100_000 == len(card.rows)
        assert "'bắt đầu" == card.rows[10].cells["Ghi chú"]
