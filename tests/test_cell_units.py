"""Values written with their unit in the cell ("95,5%", "16,5 ‰", as Excel writes a percent cell to CSV) in a large
table are decided with NumPy, converted where the unit is not the indicator's, exactly as the scalar path does."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest

import tdplan
from conftest import workbook_parts
from tdplan.analysis import tables
from tdplan.analysis.observations import observations
from tdplan.analysis.scorecard import DecidedRows
from tdplan.reports.render import render

pytest.importorskip("pyarrow")

PLAN = tdplan.load_plan()
MET, NOT_MET = tdplan.Status.MET, tdplan.Status.NOT_MET
# (indicator, value as written, its status in 2025, by the plan's targets): 3 is below 18 per 1,000 live births,
# 9 at least 97,2 %, 14 at least 98 %
CYCLE = [
    ("3", "16,5‰", MET),
    ("3", "1,65%", MET),  # 16,5 per 1,000
    ("3", "1,8 %", NOT_MET),  # 18 per 1,000 is not below 18
    ("9", "97,2%", MET),
    ("9", "97,1\u00a0%", NOT_MET),
    ("9", "972‰", MET),  # 97,2 %
    ("14", "98 %", MET),
]
LARGE = 60_000  # rows: a file over 1 MiB, read by pyarrow


def write(path: Path, rows: list[tuple[str, str]], unit_column: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8") as file:
        file.write("chỉ tiêu;giá trị;năm;xã" + (";đơn vị tính" if unit_column else "") + "\n")
        for at, (indicator, value) in enumerate(rows):
            unit = f";{unit_column[at % len(unit_column)]}" if unit_column else ""
            file.write(f"{indicator};{value};2025;{'Bản Bo' if at % 2 else 'Bình Lư'}{unit}\n")
    assert path.stat().st_size >= tables.BULK_BYTES
    return path


def scalar(path: Path, monkeypatch: pytest.MonkeyPatch) -> tdplan.Scorecard:
    """The file assessed by the scalar path, a row at a time."""
    with monkeypatch.context() as patch:
        patch.setattr(tables, "BULK_BYTES", 1 << 40)
        card = PLAN.assess_table(path)
    assert not isinstance(card.rows, DecidedRows)
    return card


class TestDecided:
    """The cells are read by NumPy: no row is left to the scalar path."""

    def test_verdicts(self, tmp_path: Path) -> None:
        """Each cycle of seven rows: five met, two not met, by the arithmetic in CYCLE, with no row scored alone."""
        rows = [(indicator, value) for indicator, value, _ in CYCLE] * (LARGE // len(CYCLE))
        card = PLAN.assess_table(write(tmp_path / "t.csv", rows))
        assert isinstance(card.rows, DecidedRows)
        assert {} == card.rows.scored
        cycles = LARGE // len(CYCLE)
        assert (5 * cycles, 2 * cycles) == (card.counts[MET], card.counts[NOT_MET])
        assert [status for _, _, status in CYCLE] == [card.rows[at].status for at in range(len(CYCLE))]

    def test_converted_value(self, tmp_path: Path) -> None:
        """1,65% for indicator 3 is 16,5 per 1,000, exactly: the figure the checks and exports read."""
        card = PLAN.assess_table(write(tmp_path / "t.csv", [("3", "1,65%")] * LARGE))
        figures = observations(card)
        assert LARGE == len(figures)
        assert {("3", Decimal("16.5"))} == {(figure.indicator.id, figure.value) for figure in figures}


class TestSameAsScalar:
    """Rows, checks, figures and every report equal the scalar path's."""

    VALUES: ClassVar[list[str]] = [
        *(value for _, value, _ in CYCLE),
        "17", "16,5", "0,955", "0,5%", "100%", "0%", "99,8%", "180‰", "abc%", "95,5%%", "%", "18‰", " 16,5%", "16,5% ",
    ]  # fmt: skip

    def test_hostile(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Units of every kind and cells that are not values, for indicators with % and per-1,000 targets."""
        generator = random.Random(7)
        indicators = ["3", "9", "14", "28", "4", "99"]
        rows = [(generator.choice(indicators), generator.choice(self.VALUES)) for _ in range(LARGE)]
        path = write(tmp_path / "t.csv", rows)
        card, expected = PLAN.assess_table(path), scalar(path, monkeypatch)
        assert isinstance(card.rows, DecidedRows)
        assert [(r.row, r.status, r.assessment, r.problem, r.notes) for r in expected.rows] == [
            (r.row, r.status, r.assessment, r.problem, r.notes) for r in card.rows
        ]
        assert (expected.violations, expected.jumps) == (card.violations, card.jumps)
        assert observations(expected) == observations(card)
        for fmt in ("json", "csv", "md"):
            assert render(expected, fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]
        assert workbook_parts(render(expected, "xlsx", lang="vi")) == workbook_parts(render(card, "xlsx", lang="vi"))

    def test_with_a_unit_column(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """With a unit column too, a cell with its own unit is the scalar path's (which says where the two
        disagree): the same rows and problems."""
        rows = [("3", "16,5‰"), ("3", "16,5"), ("9", "97,2%")] * (LARGE // 3)
        path = write(tmp_path / "t.csv", rows, unit_column=["‰", "%", ""])
        card, expected = PLAN.assess_table(path), scalar(path, monkeypatch)
        assert isinstance(card.rows, DecidedRows)
        assert [(r.status, r.problem) for r in expected.rows] == [(r.status, r.problem) for r in card.rows]
        assert render(expected, "json", lang="vi") == render(card, "json", lang="vi")


def test_frame_of_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A DataFrame of such text (pandas.read_csv of the same file) is decided by NumPy too, with the same rows."""
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {"chỉ tiêu": [i for i, _, _ in CYCLE] * 500, "giá trị": [v for _, v, _ in CYCLE] * 500, "năm": [2025] * 3500}
    )
    card = PLAN.assess_table(frame)
    assert isinstance(card.rows, DecidedRows)
    assert {} == card.rows.scored
    assert [status for _, _, status in CYCLE] * 500 == [row.status for row in card.rows]
