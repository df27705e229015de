"""Runs of a large report row's pieces joined once per key (reports/piece_runs.py): the scalar path's bytes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tdplan
from conftest import scalar_card
from tdplan.analysis.arrow import arrow_array
from tdplan.analysis.scorecard import DecidedRows
from tdplan.reports import combination_rows, csv_format, json_format, piece_runs
from tdplan.reports.render import render

PLAN = tdplan.load_plan()

# (indicator, value, year, unit): rows whose runs of pieces could be confused if a key were wrong
DESIGNED = [
    ("3", "16.5", "2025", ""),  # indicator 3: < 18 ‰ in 2025, < 15 ‰ in 2030
    ("3", "16.50", "2025", ""),  # the same number written otherwise: its own text
    ("3", "16.5", "2026", ""),  # another layout with the same value (the 2030 target: pending)
    ("4", "16.5", "2025", ""),  # another indicator, the same value: ≤ 28 ‰
    ("9", "0.5", "2025", ""),  # below 1 for ≥ 97.2 %, no unit given: a note
    ("9", "0.5", "2025", "%"),  # the same with its unit given: no note
    ("9", "0.5", "2026", ""),  # a note naming the 2030 target
    ("10", "0.5", "2025", ""),  # a note naming 93 %
    ("9", "97.2", "2025", ""),
    ("9", "97.20", "2030", ""),
    ("99", "0.5", "2025", ""),  # an unknown indicator: a problem of its combination
    ("3", "16.5", "2035", ""),  # a year outside the plan: likewise
    ("3", "abc", "2025", ""),  # a value the scalar path writes whole
    ("3", "17", "2025", "‰"),
]


def _write(path: Path, rows: int) -> None:
    """``rows`` rows cycling through DESIGNED, areas varying, padded so that the file is read in chunks."""
    lines = ["indicator,value,year,unit,area,ghi chú"]
    for number in range(rows):
        indicator, value, year, unit = DESIGNED[number % len(DESIGNED)]
        lines.append(f"{indicator},{value},{year},{unit},Xã {number % 7},{'ghi chú ' * 8}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> tdplan.Scorecard:
    """14,000 designed rows in a file of more than 1 MiB, decided with NumPy."""
    path = tmp_path_factory.mktemp("piece_runs") / "designed.csv"
    _write(path, 14_000)
    assert path.stat().st_size >= 1 << 20
    found = PLAN.assess_table(str(path))
    assert isinstance(found.rows, DecidedRows)
    return found


def _pieces(card: tdplan.Scorecard, fmt: str) -> list[list[int]]:
    """For each chunk of the report's rows, how many pieces each shape's rows are joined from."""
    if fmt == "json":
        layout = json_format._json_layout("vi")
    else:
        layout = csv_format._csv_layout(card.plan, "vi", ["ghi chú"], {}, {})
    return [[len(pieces) for _, pieces in chunk.parts] for chunk in combination_rows.row_chunks(card, layout, "vi")]


class TestSameBytes:
    """Rows joined from runs of pieces are the rows the scalar path builds, byte for byte."""

    @pytest.mark.parametrize("fmt", ["json", "csv"])
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_render(self, card: tdplan.Scorecard, fmt: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """render() of the file's scorecard equals render() of its rows built one by one, in chunks of 1,001 rows."""
        monkeypatch.setattr(combination_rows, "CHUNK_ROWS", 1001)
        assert render(scalar_card(card), fmt, lang=lang) == render(card, fmt, lang=lang)  # type: ignore[call-overload]

    @pytest.mark.parametrize("room", [0, 3_000, 40_000])
    def test_room_runs_out(self, card: tdplan.Scorecard, room: int, monkeypatch: pytest.MonkeyPatch) -> None:
        """With little room for the runs' texts, the runs that do not fit are written as their pieces: same text."""
        monkeypatch.setattr(combination_rows, "CHUNK_ROWS", 1001)
        monkeypatch.setattr(combination_rows, "RUN_BYTES", room)
        for fmt in ("json", "csv"):
            assert render(scalar_card(card), fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]

    def test_notes_by_layout(self, card: tdplan.Scorecard) -> None:
        """0.5 for indicator 9 without a unit has the note of a fraction (the target 97.2 % of 2025, then 2030's);
        with its unit "%" it has none; for indicator 10, the note names 93 %."""
        rows = json.loads(render(card, "json", lang="en"))["rows"]
        notes = [row["notes"] for row in rows[4:8]]  # DESIGNED's rows 4 to 7
        assert [1, 0, 1, 1] == [len(found) for found in notes]
        assert "97.2" in notes[0][0]
        assert "(2025)" in notes[0][0]
        assert "(2030)" in notes[2][0]
        assert "93" in notes[3][0]
        assert notes == [row["notes"] for row in rows[4 + len(DESIGNED) : 8 + len(DESIGNED)]]  # the next cycle's
        assert ["16.5", "16.50"] == [rows[0]["value"], rows[1]["value"]]
        assert ["met", "pending", "met"] == [rows[0]["status"], rows[2]["status"], rows[3]["status"]]


class TestAlike:
    """A table whose rows are all alike: every piece of a run is one text, joined without pyarrow."""

    @pytest.mark.parametrize("end", ["\n", "\r"])
    def test_one_row_repeated(self, tmp_path: Path, end: str) -> None:
        """20,000 copies of one row (a note with a line break inside its quotes, as the service's upload test has):
        the JSON and CSV reports are the scalar path's."""
        path = tmp_path / "alike.csv"
        lines = ["indicator,value,year,note", *['3,16.5,2025,"a' + end + "b" + "x" * 40 + '"'] * 20_000]
        path.write_bytes((end.join(lines) + end).encode())
        card = PLAN.assess_table(str(path))
        assert isinstance(card.rows, DecidedRows)
        for fmt in ("json", "csv"):
            assert render(scalar_card(card), fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]


class TestPieces:
    """The runs are taken whole: a row is joined from far fewer pieces than its literals and parts."""

    @pytest.mark.parametrize("fmt", ["json", "csv"])
    def test_few_pieces(self, card: tdplan.Scorecard, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """Each chunk's assessed rows are joined from under 60 % of the pieces they take with no room for runs (here
        JSON 9 instead of 17 and CSV 7 instead of 13: the note column's cell cuts the area's run; on the benchmark's
        table 7 and 5)."""
        counts = _pieces(card, fmt)
        monkeypatch.setattr(combination_rows, "RUN_BYTES", 0)
        before = _pieces(card, fmt)
        assert len(before) == len(counts) > 1
        assert all(chunk[0] < 0.6 * old[0] for chunk, old in zip(counts, before, strict=True))


class TestTextTable:
    """A run's texts by key: found again, kept in the room given, looked up by grid or by search."""

    def test_find_and_add(self) -> None:
        """Texts added under keys are found at their positions; unknown keys are -1; the room shrinks by their bytes."""
        room = [100]
        table = piece_runs.TextTable(room)
        keys = np.array([3, 0, 5]), np.array([1, 2, 0])
        assert [-1, -1, -1] == table.find(*keys).tolist()
        assert table.add(*keys, arrow_array(["ba", "", "đạt"]), np.array([True, True, False]))
        assert 100 - (2 + 0 + 2 + 3 + 1) == room[0]  # đ, ạ: 2 and 3 bytes in UTF-8
        assert [2, 0, 1, -1] == table.find(np.array([5, 3, 0, 5]), np.array([0, 1, 2, 1])).tolist()
        assert ["ba", "", "đạt"] == table.array.to_pylist()
        assert [True, True, False] == table.written.tolist()
        assert table.add(np.array([1]), np.array([1]), arrow_array(["x"]), np.array([True]))
        assert ["ba", "", "đạt", "x"] == table.array.to_pylist()
        assert [3, 0] == table.find(np.array([1, 3]), np.array([1, 1])).tolist()

    def test_no_room(self) -> None:
        """Texts beyond the room are refused, whole, and the table says it is full."""
        table = piece_runs.TextTable([5])
        assert not table.add(np.array([0, 1]), np.array([0, 0]), arrow_array(["abc", "def"]), np.array([True, True]))
        assert table.full
        assert [-1, -1] == table.find(np.array([0, 1]), np.array([0, 0])).tolist()

    def test_search_past_the_grid(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Keys beyond the grid's size are kept sorted and found by search, with the keys the grid held."""
        monkeypatch.setattr(piece_runs, "GRID_MOST", 16)
        table = piece_runs.TextTable([1000])
        assert table.add(np.array([1, 2]), np.array([1, 0]), arrow_array(["a", "b"]), np.array([True, True]))
        assert table.add(np.array([40]), np.array([7]), arrow_array(["c"]), np.array([True]))
        assert table.add(np.array([0]), np.array([3]), arrow_array(["d"]), np.array([True]))
        assert [0, 1, 2, 3, -1] == table.find(np.array([1, 2, 40, 0, 40]), np.array([1, 0, 7, 3, 6])).tolist()
