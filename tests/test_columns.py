"""A large file's columns without pandas: the column kinds, factorising, pyarrow arrays from buffers."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tdplan.analysis.arrow import arrow_array, arrow_text, numpy_of
from tdplan.analysis.columns import (
    CodedColumn,
    TextColumn,
    cell_list,
    factorize,
    written_apart,
    written_cells,
    written_key,
)

TEXTS = st.lists(st.sampled_from(["a", "b", "Xã", "ô", " ", ",", "\u0300", "1"]), max_size=3).map("".join)


def coded(cells: list[str]) -> CodedColumn:
    """``cells`` as a CodedColumn whose categories are in another order than the cells'."""
    categories = [*sorted(set(cells), reverse=True), "never used"]
    return CodedColumn(np.array([categories.index(cell) for cell in cells], dtype=np.int8), categories)


def text(cells: list[str], cut: int) -> TextColumn:
    """``cells`` as a TextColumn of two chunks, cut at ``cut``."""
    return TextColumn(pa.chunked_array([pa.array(cells[:cut], pa.string()), pa.array(cells[cut:], pa.string())]))


class TestFactorize:
    @given(st.lists(st.integers(-(2**62), 2**62), max_size=40))
    def test_integers_as_pandas(self, values: list[int]) -> None:
        """NumPy integers get pandas' codes and distinct values, in order of first appearance."""
        array = np.array(values, dtype=np.int64)
        expected_codes, expected_uniques = pd.factorize(array)
        codes, uniques = factorize(array)
        assert expected_codes.tolist() == codes.tolist()
        assert expected_uniques.tolist() == uniques

    @given(st.lists(TEXTS, max_size=40), st.integers(0, 40))
    def test_coded_and_text_as_pandas(self, cells: list[str], cut: int) -> None:
        """A CodedColumn and a TextColumn of two chunks factorise as pandas factorises their cells."""
        expected_codes, expected_uniques = pd.factorize(np.array(cells, dtype=object))
        for column in (coded(cells), text(cells, min(cut, len(cells)))):
            codes, uniques = factorize(column)
            assert expected_codes.tolist() == codes.tolist()
            assert list(expected_uniques) == uniques

    def test_missing_values_by_pandas(self) -> None:
        """Floats with NaN (a DataFrame's column) go to pandas: NaN is -1, or a code of its own without ``missing``."""
        values = np.array([2.5, np.nan, 2.5, 1.0])
        assert ([0, -1, 0, 1], [2.5, 1.0]) == (factorize(values)[0].tolist(), factorize(values)[1])
        codes, uniques = factorize(values, missing=False)
        assert [0, 1, 0, 2] == codes.tolist()
        assert 3 == len(uniques)

    def test_empty(self) -> None:
        """An empty column has no codes and no distinct cells."""
        assert ([], []) == (factorize(np.zeros(0, dtype=np.int64))[0].tolist(), factorize(np.zeros(0, dtype=int))[1])
        assert [] == factorize(TextColumn(pa.chunked_array([], pa.string())))[1]


# Cells equal to one another (one key to a dict) and written differently, and their neighbours.
WRITTEN_APART = [
    0, 0.0, -0.0, False, True, 1, 1.0, np.int64(1), np.float64(-0.0), np.float32(0.0), np.float32(-0.0),
    Decimal("0"), Decimal("-0"), Decimal("1.5"), Decimal("1.50"), 1.5, "0", "", None, float("nan"), np.float32("nan"),
]  # fmt: skip


def written(cell: Any) -> tuple[Any, str]:
    """How a report writes a cell, with its type: a missing cell (None, NaN) blank."""
    return (None, "") if cell is None or cell != cell else (type(cell), repr(cell))


class TestWrittenCells:
    @given(st.lists(st.sampled_from(range(len(WRITTEN_APART))), max_size=40))
    def test_one_code_per_way_of_writing(self, picks: list[int]) -> None:
        """Two cells of a column of objects share a code exactly when they are of one type and written alike (a
        missing cell is written blank); the distinct cells are each code's first."""
        cells = [WRITTEN_APART[at] for at in picks]
        ways = list(map(written, cells))
        expected = [list(dict.fromkeys(ways)).index(way) for way in ways]
        column = np.empty(len(cells), dtype=object)
        column[:] = cells
        codes, distinct, typed = written_cells(column)
        assert (expected, True) == (codes.tolist(), typed)
        assert list(dict.fromkeys(ways)) == list(map(written, distinct))

    def test_floats(self) -> None:
        """NumPy floats: 0.0 and -0.0 apart, NaN one code; not Python objects."""
        codes, distinct, typed = written_cells(np.array([0.0, -0.0, np.nan, 0.0, np.nan, -0.0]))
        assert ([0, 1, 2, 0, 2, 1], ["0.0", "-0.0", "nan"], False) == (codes.tolist(), list(map(str, distinct)), typed)

    def test_missing_stays_missing(self) -> None:
        """With factorize's ``missing`` (as the NumPy path decides), a missing cell keeps the code -1 while the
        others are told apart, in floats and in objects."""
        floats = np.array([0.0, np.nan, -0.0, 2025.0, np.nan, 0.0])
        codes, distinct = written_apart(floats, *factorize(floats))
        assert ([0, -1, 1, 2, -1, 0], ["0.0", "-0.0", "2025.0"]) == (codes.tolist(), list(map(str, distinct)))
        objects = np.array([None, 0, -0.0, "x", float("nan"), 0.0, True], dtype=object)
        codes, distinct = written_apart(objects, *factorize(objects))
        assert ([-1, 0, 1, 2, -1, 3, 4], ["0", "-0.0", "x", "0.0", "True"]) == (
            codes.tolist(),
            list(map(str, distinct)),
        )

    @pytest.mark.parametrize(
        ("cell", "key"),
        [
            (16.5, 16.5),
            (-0.0, ("-0.0",)),
            (float("nan"), ("nan",)),
            ("16,5", "16,5"),
            (1, 1),
            (Decimal("1.50"), (Decimal, "1.50")),
            (np.float32(-0.0), (np.float32, "-0.0")),
        ],
    )
    def test_written_key(self, cell: Any, key: Any) -> None:
        """A dict key that finds a cell written alike: -0.0 apart from 0.0, one NaN, a Decimal by its text."""
        assert key == written_key(cell)


class TestColumns:
    def test_coded_reads_like_a_list(self) -> None:
        """A CodedColumn gives a cell by position, slices and picked rows as columns, and its cells."""
        cells = ["Xã 2", "Xã 1", "Xã 2", "Bản Bo"]
        column = coded(cells)
        assert "Bản Bo" == column[3] == column[np.int64(-1)]
        assert ["Xã 1", "Xã 2"] == column[1:3].tolist()
        assert ["Bản Bo", "Xã 2"] == column[np.array([3, 0])].tolist()
        assert ["Xã 2", "Xã 2"] == column[np.array([True, False, True, False])].tolist()
        assert ["Bản Bo", "Xã 1"] == column.take(np.array([3, 1]))
        assert cells == cell_list(column)
        assert 4 == len(column)

    def test_text_reads_like_a_list(self) -> None:
        """A TextColumn of two chunks reads as the CodedColumn does, across the chunks' border."""
        cells = ["16,5", "", "x\ny", "16.5", '"q"']
        column = text(cells, 2)
        assert "x\ny" == column[2]
        assert ["", "x\ny", "16.5"] == column[1:4].tolist()
        assert ["16,5", "x\ny", '"q"'] == column[::2].tolist()
        assert ['"q"', "16,5"] == column[np.array([4, 0])].tolist()
        assert ["", "16.5"] == column[np.array([False, True, False, True, False])].tolist()
        assert ["16.5", ""] == column.take(np.array([3, 1]))
        assert cells == cell_list(column)

    def test_cell_list_of_a_frame_column(self) -> None:
        """Any other column (a DataFrame's) is read by pandas: NumPy numbers as Python ones."""
        assert [1.5, 2.0] == cell_list(np.array([1.5, 2.0]))
        assert all(type(cell) is float for cell in cell_list(np.array([1.5, 2.0])))


class TestArrow:
    @given(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=30), st.integers(0, 5))
    def test_numbers_round_trip(self, values: list[int], step: int) -> None:
        """NumPy numbers (strided too) become an Arrow array of the same values, and come back."""
        array = np.array(values, dtype=np.int32)[:: step + 1]
        made = arrow_array(array)
        assert pa.int32() == made.type
        assert array.tolist() == made.to_pylist() == numpy_of(made).tolist()

    def test_floats_and_sliced_arrays(self) -> None:
        """Floats keep their bits, and a sliced Arrow array is read from its offset."""
        made = arrow_array(np.array([0.1, -0.0, 1e308, 2.5]))
        assert [0.1, -0.0, 1e308, 2.5] == made.to_pylist()
        assert [1e308, 2.5] == numpy_of(made.slice(2)).tolist()
        assert np.signbit(numpy_of(made)[1])

    @given(st.lists(st.booleans(), max_size=40), st.integers(0, 20))
    def test_booleans_round_trip(self, values: list[bool], offset: int) -> None:
        """Booleans are packed for Arrow and unpacked back, from any offset."""
        made = arrow_array(np.array(values, dtype=bool))
        assert values == made.to_pylist()
        assert values[offset:] == numpy_of(made.slice(offset)).tolist()

    @given(st.lists(st.none() | TEXTS, max_size=20))
    def test_texts(self, texts: list[str | None]) -> None:
        """Texts and None become Arrow text as pyarrow.array makes it, None missing."""
        made = arrow_array(texts)
        assert pa.array(texts, pa.string()).equals(made)

    def test_a_text_scalar(self) -> None:
        """One text becomes a string scalar for a compute function."""
        assert "Xã 1" == arrow_text("Xã 1").as_py()

    def test_chunked_numbers(self) -> None:
        """A chunked array's chunks are read one after another."""
        chunked = pa.chunked_array([arrow_array(np.array([1, 2])), arrow_array(np.array([3]))])
        assert [1, 2, 3] == numpy_of(chunked).tolist()

    def test_missing_values_refused(self) -> None:
        """An array with a missing value has no NumPy numbers: an error, not a made-up number."""
        with pytest.raises(ValueError, match="missing values"):
            numpy_of(pa.array([1, None]))
        with pytest.raises(TypeError, match="string"):
            numpy_of(arrow_array(["a"]))


class TestWithoutPandas:
    def test_a_large_file_never_imports_pandas(self, tmp_path: Path) -> None:
        """Assessing a large CSV file, its checks, its reports and the command never import pandas (40 MB)."""
        table = tmp_path / "big.csv"
        rows = ["indicator,value,year,area"]
        rows += [f"{('3', '4', '14')[n % 3]},{n % 97}.5,{2021 + n % 10},Xã {n % 14}" for n in range(60_000)]
        table.write_text("\n".join(rows) + "\n", encoding="utf-8")
        assert table.stat().st_size >= 1 << 20
        code = textwrap.dedent(
            f"""
            import io, sys, tdplan
            from tdplan.cli.main import main
            card = tdplan.assess_table(tdplan.load_plan(), {str(table)!r})
            assert type(card.rows).__name__ == "DecidedRows"
            card.violations, card.jumps, card.completeness, card.rollup("goal")
            for form in ("json", "csv", "xlsx", "html", "md"):
                tdplan.write_report(card, {str(tmp_path)!r} + "/out." + form)
            main(["report", {str(table)!r}, "-o", {str(tmp_path)!r} + "/cli.json"], io.StringIO(), io.StringIO())
            print(sorted(name for name in sys.modules if name.split(".")[0] == "pandas"))
            """
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert "[]" == done.stdout.strip()
        assert 60_000 == json.loads((tmp_path / "cli.json").read_text(encoding="utf-8"))["summary"]["rows"]
