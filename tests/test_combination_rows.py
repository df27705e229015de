"""Large tables' JSON, CSV and xlsx rows written by combination: the same bytes as from the scalar path's rows."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tdplan
from conftest import scalar_card, workbook_parts, write_odd_table
from tdplan.analysis import combinations, scorecard, tables
from tdplan.analysis.scorecard import DecidedRows
from tdplan.reports import combination_rows, joining
from tdplan.reports.render import render, write_report

PLAN = tdplan.load_plan()

# Cells that need escaping in JSON or quoting in CSV, or that a spreadsheet would run, or that read two ways.
ODD = [
    'say "hi"',
    "a,b",
    "line\nbreak",
    "back\\slash",
    "tab\there",
    "bell\x07 esc\x1b[31m",
    "Bản Bo",
    "Ba\u0309n Bo",  # not NFC: JSON writes it normalised
    "=1+1",
    "+84",
    "-3",
    "@sum",
    "  =spaced",
    "emoji 👶",
    "\u2028sep",
    "\ue000private\ue001",
    "",
    " ",
]


@pytest.fixture(scope="module", params=["en", "vi"])
def odd_card(request: Any, tmp_path_factory: pytest.TempPathFactory) -> tdplan.Scorecard:
    """20,000 rows in a file of more than 1 MiB, so that it is read in chunks and decided with NumPy."""
    path = tmp_path_factory.mktemp("combination_rows") / f"odd-{request.param}.csv"
    write_odd_table(path, 20_000, request.param, ODD)
    assert path.stat().st_size >= 1 << 20
    card = PLAN.assess_table(str(path))
    assert isinstance(card.rows, DecidedRows)
    return card


# Cells equal to others (one key to a dict) and of other types, and their neighbours: in an indicator, year, area or
# other column, each is read as its type says (1 is indicator 1, True is refused; 0 and -0.0 are written apart).
TWINS = [
    1, True, 1.0, Decimal("1"), np.int64(1), np.True_, "1", 3, 3.0, Decimal("3.0"), np.float32(3.0), "3", 28,
    2025, 2025.0, Decimal("2025"), np.int64(2025), "2025", np.float32(2030.0), 2030,
    0, False, 0.0, -0.0, Decimal("0"), Decimal("-0"), Decimal("1.50"), Decimal("NaN"), None, float("nan"), "Bản Bo",
]  # fmt: skip


class TestSameBytes:
    """The rows written by combination are the rows the scalar path builds, laid out by the same writers."""

    @pytest.mark.parametrize("fmt", ["json", "csv"])
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_render(self, odd_card: tdplan.Scorecard, fmt: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """render() of the file's scorecard equals render() of its rows built one by one, chunks of 3,001 rows."""
        monkeypatch.setattr(combination_rows, "CHUNK_ROWS", 3001)
        assert render(scalar_card(odd_card), fmt, lang=lang) == render(odd_card, fmt, lang=lang)  # type: ignore[call-overload]

    def test_write_report(self, odd_card: tdplan.Scorecard, tmp_path: Path) -> None:
        """write_report's files, whose rows go to the file's UTF-8 buffer as bytes, equal render()'s text."""
        scalar = scalar_card(odd_card)
        for fmt in ("json", "csv"):
            written = write_report(odd_card, tmp_path / f"r.{fmt}", lang="en")
            assert render(scalar, fmt, lang="en").encode("utf-8") == written.read_bytes()  # type: ignore[call-overload]

    def test_most_rows_by_combination(self, odd_card: tdplan.Scorecard) -> None:
        """At least nine rows in ten are joined by combination, not written whole (the point of the fast path)."""
        chunks = [piece for chunk in combination_rows.row_chunks(odd_card, _json_layout(), "en") for piece in chunk]
        whole = sum(1 for chunk in chunks if isinstance(chunk, str))
        assert whole < len(odd_card.rows) / 10

    def test_json_reads_back(self, odd_card: tdplan.Scorecard) -> None:
        """The JSON report is valid, has every row in order, and keeps each odd cell as the file wrote it."""
        document = json.loads(render(odd_card, "json", lang="en"))
        assert list(range(1, 20_001)) == [row["row"] for row in document["rows"]]
        notes = {row["cells"]["ghi chú"] for row in document["rows"]}
        assert {'say "hi"', "line\nbreak", "back\\slash", "bell\x07 esc\x1b[31m", "\ue000private\ue001"} <= notes
        assert "Bản Bo" in notes  # the NFD cell, normalised as the JSON writer always does


class TestLayout:
    """The JSON report of a large table has a line per row, and threads change no byte."""

    def test_a_row_a_line(self, odd_card: tdplan.Scorecard) -> None:
        """Between "rows": [ and its closing bracket, line n is row n, compact; a cell's line break stays escaped."""
        text = render(odd_card, "json", lang="en")
        body = text.split('\n  "rows": [\n')[1].split("\n  ],\n")[0]
        lines = body.split("\n")  # not splitlines(): U+2028 in a cell is written as it is, inside its string
        assert 20_000 == len(lines)
        rows = [json.loads(line.removeprefix("    ").removesuffix(",")) for line in lines]
        assert list(range(1, 20_001)) == [row["row"] for row in rows]
        assert all(line.startswith('    {"row":') for line in lines)
        compact = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
        assert compact == [line.removeprefix("    ").removesuffix(",") for line in lines]

    def test_without_threads(self, odd_card: tdplan.Scorecard, monkeypatch: pytest.MonkeyPatch) -> None:
        """Joined and written in the caller's thread alone, the JSON and CSV reports are the same text."""
        threaded = [render(odd_card, fmt, lang="vi") for fmt in ("json", "csv")]  # type: ignore[call-overload]
        monkeypatch.setattr(joining, "THREADS", False)
        assert threaded == [render(odd_card, fmt, lang="vi") for fmt in ("json", "csv")]  # type: ignore[call-overload]

    def test_short_runs(self, odd_card: tdplan.Scorecard, monkeypatch: pytest.MonkeyPatch) -> None:
        """Joined in runs of about 300 rows (many a chunk, rows written whole between them), the reports are the
        same text."""
        default = [render(odd_card, fmt, lang="en") for fmt in ("json", "csv")]  # type: ignore[call-overload]
        monkeypatch.setattr(joining, "JOIN_BYTES", 150_000)
        monkeypatch.setattr(combination_rows, "JOIN_ROWS", 311)
        assert default == [render(odd_card, fmt, lang="en") for fmt in ("json", "csv")]  # type: ignore[call-overload]

    @pytest.mark.parametrize("threads", [True, False])
    def test_join_error(self, monkeypatch: pytest.MonkeyPatch, threads: bool) -> None:
        """An error while a chunk is joined (in the joining thread): raised to the caller; what came before it is
        written, nothing after it."""
        monkeypatch.setattr(joining, "THREADS", threads)

        def broken() -> Iterator[str]:
            yield "a"
            raise ValueError("a chunk that cannot be joined")

        out = io.StringIO()
        with pytest.raises(ValueError, match="cannot be joined"):
            joining.write_chunks(out, iter([["x"], broken(), ["never"]]))
        assert "xa" == out.getvalue()

    def test_write_error(self, odd_card: tdplan.Scorecard, tmp_path: Path) -> None:
        """A stream that fails while rows are written in the writing thread: its error is raised to the caller."""

        class Full(io.StringIO):
            def write(self, text: str) -> int:
                if self.tell() > 100_000:
                    raise OSError(28, "No space left on device")
                return super().write(text)

        with pytest.raises(OSError, match="No space left on device"):
            joining.write_chunks(Full(), combination_rows.row_chunks(odd_card, _json_layout(), "en"))


class TestBehind:
    """joining.behind: items consumed in a second thread, in order; the first error raised to the caller."""

    @pytest.mark.parametrize("threads", [True, False])
    def test_order_and_error(self, monkeypatch: pytest.MonkeyPatch, threads: bool) -> None:
        """1,000 items arrive in order; an error at item 500 stops the consuming and is raised here."""
        monkeypatch.setattr(joining, "THREADS", threads)
        seen: list[int] = []
        joining.behind(seen.append, iter(range(1000)), "test")
        assert list(range(1000)) == seen

        def fail(item: int) -> None:
            if item == 500:
                raise OSError(28, "No space left on device")
            seen.append(item)

        seen.clear()
        with pytest.raises(OSError, match="No space"):
            joining.behind(fail, iter(range(1000)), "test")
        assert list(range(500)) == seen


def _json_layout() -> combination_rows.RowLayout:
    from tdplan.reports import json_format

    return json_format._json_layout("en")


class TestFrame:
    """A DataFrame decided with NumPy: numbers and missing cells are written as the scalar path writes them."""

    def test_frame(self) -> None:
        """Floats, ints, NaN, odd text, and 1, 1.0 and True in one column: JSON and CSV equal the scalar path's."""
        pandas = pytest.importorskip("pandas")
        generator = random.Random(3)
        rows = 3000
        frame = pandas.DataFrame(
            {
                "indicator": [generator.choice(["3", "9", "28", "99"]) for _ in range(rows)],
                "value": [
                    generator.choice([16.5, 0.1 + 0.2, 17.0, 95.25, 1e-50, float("nan"), 0.5, 100.0])
                    for _ in range(rows)
                ],
                "year": [generator.choice([2025, 2026, 2040]) for _ in range(rows)],
                "area": [generator.choice([*ODD[:8], None, float("nan")]) for _ in range(rows)],
                "STT": list(range(rows)),
                "ghi chú": [generator.choice([*ODD, None, 3, 2.5, 1, 1.0, True]) for _ in range(rows)],
            }
        )
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        scalar = scalar_card(card)
        for fmt in ("json", "csv"):
            for lang in ("vi", "en"):
                assert render(scalar, fmt, lang=lang) == render(card, fmt, lang=lang)  # type: ignore[call-overload]

    def test_signed_zeros(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """0.0 and -0.0 (equal, and written apart: ``round(-0.04, 1)`` is -0.0) in the value column and another: each
        row's cells as the frame has them, its value 0, and a jump from it reads "0%", never "-0%"."""
        pandas = pytest.importorskip("pandas")
        monkeypatch.setattr(combination_rows, "CHUNK_ROWS", 1000)  # a cell seen in one chunk is looked up in the next
        cycle = [(2026, -0.0, 0.0), (2030, 97.2, -0.0), (2026, 0.0, -0.0)]
        frame = pandas.DataFrame(
            {
                "indicator": ["28"] * 3000,
                "value": [value for _, value, _ in cycle] * 1000,
                "year": [year for year, _, _ in cycle] * 1000,
                "area": ["Bản Bo"] * 3000,
                "hệ số": [factor for _, _, factor in cycle] * 1000,
            }
        )
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        report = json.loads(render(card, "json", lang="vi"))
        assert [("-0.0", "0.0"), ("97.2", "-0.0"), ("0.0", "-0.0")] == [
            (row["cells"]["value"], row["cells"]["hệ số"]) for row in report["rows"][:3]
        ]
        assert ["0.0", "97.2", "0.0"] == [row["value"] for row in report["rows"][:3]]
        assert ("0.0", "97.2") == (report["checks"]["jumps"][0]["before"], report["checks"]["jumps"][0]["after"])
        assert "28, Bản Bo: 0% (năm 2026) → 97,2% (năm 2030)" in render(card, "csv", lang="vi")
        scalar = scalar_card(card)
        for fmt in ("json", "csv"):
            assert render(scalar, fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]

    @pytest.mark.parametrize(
        ("cycle", "written"),
        [
            ([0, 0.0, -0.0, "x"], ["0", "0.0", "-0.0", "x"]),  # an int 0 first: NumPy's cells are objects
            ([False, -0.0, 0.0], ["False", "-0.0", "0.0"]),
            ([Decimal("0"), -0.0, 0.0], ["0", "-0.0", "0.0"]),
            ([Decimal("1.5"), Decimal("1.50"), Decimal("0"), Decimal("-0")], ["1.5", "1.50", "0", "-0"]),
            ([np.float32(0.0), np.float32(-0.0), "x"], ["0.0", "-0.0", "x"]),
        ],
    )
    def test_objects_equal_and_written_apart(self, cycle: list[Any], written: list[str]) -> None:
        """Python objects that are equal (one key to a dict) and written apart, in a column of objects: each row's
        cell as the frame has it, as the scalar path writes it, whichever of them comes first."""
        pandas = pytest.importorskip("pandas")
        rows = 3000
        frame = pandas.DataFrame(
            {
                "indicator": ["28"] * rows,
                "value": [97.2] * rows,
                "year": [2026] * rows,
                "hệ số": pandas.Series([cycle[at % len(cycle)] for at in range(rows)], dtype=object),
            }
        )
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        report = json.loads(render(card, "json", lang="vi"))
        assert written * 2 == [row["cells"]["hệ số"] for row in report["rows"][: 2 * len(cycle)]]
        scalar = scalar_card(card)
        for fmt in ("json", "csv"):
            assert render(scalar, fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]

    @pytest.mark.parametrize(
        ("column", "cycle", "counts", "problems"),
        [
            # 3 and 3.0 name indicator 3 (16.5 < 18 per 1,000: met); Decimal("3") and float32(3) are refused
            ("indicator", [3, 3.0, Decimal("3"), np.float32(3.0)], (1500, 0), 1500),
            # True equals 1 and names no indicator; 28's 2025 target is at least 85 %: 16.5 % is not met
            ("indicator", [3, True, np.True_, 28], (750, 750), 1500),
            # area 0 and 0.0 are read "0"; Decimal("0") and False are refused; Decimal("NaN") is blank, as NaN is
            ("area", [0, Decimal("0"), False, "Bản Bo", Decimal("NaN"), 0.0], (2000, 0), 1000),
        ],
    )
    def test_equal_cells_of_other_types(
        self, column: str, cycle: list[Any], counts: tuple[int, int], problems: int
    ) -> None:
        """Cells equal to one another (one key to a dict) that the scalar path reads apart, in an indicator or area
        column: each row decided as its own cell reads, counted so, and every report written as row by row."""
        pandas = pytest.importorskip("pandas")
        rows = 3000
        columns: dict[str, Any] = {"indicator": ["3"] * rows, "value": [16.5] * rows, "year": [2025] * rows}
        columns["area"] = ["Bản Bo"] * rows
        columns[column] = pandas.Series([cycle[at % len(cycle)] for at in range(rows)], dtype=object)
        card = PLAN.assess_table(pandas.DataFrame(columns))
        assert isinstance(card.rows, DecidedRows)
        met, not_met = counts
        assert (met, not_met, problems) == (
            card.counts[tdplan.Status.MET],
            card.counts[tdplan.Status.NOT_MET],
            len(card.problems),
        )
        scalar = scalar_card(card)
        for fmt in ("json", "csv"):
            assert render(scalar, fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]
        assert workbook_parts(render(scalar, "xlsx")) == workbook_parts(render(card, "xlsx"))

    @settings(max_examples=8, deadline=None)
    @given(
        column=st.sampled_from(["indicator", "year", "area", "hệ số"]),
        pool=st.lists(st.sampled_from(TWINS), min_size=2, max_size=6, unique_by=repr),
        seed=st.integers(0, 2**16),
    )
    def test_twins_as_row_by_row(self, column: str, pool: list[Any], seed: int) -> None:
        """A large frame with cells equal to one another and of other types in one column: the rows, counts and
        reports of the frame read row by row (as a small one is)."""
        pandas = pytest.importorskip("pandas")
        generator = random.Random(seed)
        rows = 3000
        columns: dict[str, Any] = {
            "indicator": [generator.choice(["3", "28", "1"]) for _ in range(rows)],
            "value": [generator.choice([97.2, 16.5, 0.0, 20.0]) for _ in range(rows)],
            "year": [generator.choice([2025, 2026, 2030]) for _ in range(rows)],
            "area": ["Bản Bo"] * rows,
        }
        columns[column] = pandas.Series([generator.choice(pool) for _ in range(rows)], dtype=object)
        frame = pandas.DataFrame(columns)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tables, "BULK_ROWS", rows + 1)
            expected = PLAN.assess_table(frame)
        assert isinstance(expected.rows, tuple)
        card = PLAN.assess_table(frame)

        def verdicts(of: tdplan.Scorecard) -> list[tuple[Any, str | None]]:
            return [(row.status, None if row.problem is None else row.problem.message("en")) for row in of.rows]

        assert verdicts(expected) == verdicts(card)
        assert expected.counts == card.counts
        for fmt in ("json", "csv"):
            assert render(expected, fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]
        assert workbook_parts(render(expected, "xlsx")) == workbook_parts(render(card, "xlsx"))

    def test_indicators_equal_and_written_apart(self) -> None:
        """Indicators 3, 3.0 and "3" are one combination to NumPy and written three ways: each row its own."""
        pandas = pytest.importorskip("pandas")
        generator = random.Random(4)
        rows = 3000
        frame = pandas.DataFrame(
            {
                "indicator": [generator.choice(["3", 3, 3.0, 9, "9"]) for _ in range(rows)],
                "value": [generator.choice([16.5, 17.0, 95.25]) for _ in range(rows)],
                "year": [generator.choice([2025, 2026]) for _ in range(rows)],
            }
        )
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        for fmt in ("json", "csv"):
            assert render(scalar_card(card), fmt, lang="vi") == render(card, fmt, lang="vi")  # type: ignore[call-overload]


class TestExcel:
    """The xlsx report of a large table shares assessments by combination and writes the same workbook."""

    def test_same_workbook(self, odd_card: tdplan.Scorecard) -> None:
        """Every sheet of the workbook equals the one written from the rows the scalar path builds."""
        pytest.importorskip("xlsxwriter")
        assert workbook_parts(render(scalar_card(odd_card), "xlsx", lang="vi")) == workbook_parts(
            render(odd_card, "xlsx", lang="vi")
        )

    def test_scored_rows(self, odd_card: tdplan.Scorecard, monkeypatch: pytest.MonkeyPatch) -> None:
        """scored_rows gives every row equal to the scalar path's, in chunks of 3,001 rows."""
        monkeypatch.setattr(combinations, "CHUNK_ROWS", 3001)
        assert list(odd_card.rows) == list(combinations.scored_rows(odd_card))

    def test_too_long_for_a_sheet(self, tmp_path: Path) -> None:
        """1,048,576 rows do not fit under an Excel sheet's header: an error naming CSV and JSON, and no file."""
        pandas = pytest.importorskip("pandas")
        pytest.importorskip("xlsxwriter")
        rows = 1_048_576
        card = PLAN.assess_table(pandas.DataFrame({"indicator": ["3"] * rows, "value": [16.5] * rows, "year": 2025}))
        with pytest.raises(tdplan.InputTypeError, match="at most 1048575 under its header"):
            write_report(card, tmp_path / "r.xlsx")
        assert [] == list(tmp_path.iterdir())


class TestTally:
    """A large table's roll-ups count by combination and area: the same counts, keys in the same order."""

    def test_tally_is_facts_counted(self, odd_card: tdplan.Scorecard) -> None:
        """DecidedRows.tally() equals Counter(facts()), key for key and in order of first appearance."""
        rows = odd_card.rows
        assert isinstance(rows, DecidedRows)
        counted = Counter(rows.facts())
        assert (counted, list(counted)) == (rows.tally(), list(rows.tally()))

    def test_tally_in_slices(self, odd_card: tdplan.Scorecard, monkeypatch: pytest.MonkeyPatch) -> None:
        """Counted 3,001 rows at a time (seven slices, each numbering its areas anew), the tally is the same."""
        rows = odd_card.rows
        assert isinstance(rows, DecidedRows)
        counted = Counter(rows.facts())
        monkeypatch.setattr(scorecard, "_TALLY_ROWS", 3001)
        assert (counted, list(counted)) == (rows.tally(), list(rows.tally()))


class TestCommand:
    """`tdplan report big.csv --format json|csv` streams to standard output the bytes render() gives."""

    @pytest.mark.parametrize("fmt", ["json", "csv"])
    def test_standard_output(self, tmp_path: Path, fmt: str) -> None:
        """A real process's standard output is render()'s text of the same table, as UTF-8 bytes."""
        path = tmp_path / "big.csv"
        write_odd_table(path, 20_000, "vi", ODD, seed=5)
        done = subprocess.run(
            [sys.executable, "-m", "tdplan", "report", str(path), "--format", fmt],
            capture_output=True,
            check=False,
        )
        card = PLAN.assess_table(str(path))
        expected = render(scalar_card(card), fmt, source=str(path))  # type: ignore[call-overload]
        assert (1, expected.encode("utf-8")) == (done.returncode, done.stdout)
