"""Each row's codes for a large table's rows sheet (reports/xlsx_codes.py), against plain Python over the same rows."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tdplan.analysis.columns import CodedColumn
from tdplan.reports.xlsx_codes import BLOCK_ROWS, DENSE, combine, first_rows, narrow_type, split_codes, used_codes

np = pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

ROWS = st.integers(min_value=0, max_value=60)


def _naive_first(codes: list[int], size: int, where: list[bool], last: bool) -> list[int]:
    """Each code's first (last) row among the chosen, by a loop."""
    found = [-1 if last else len(codes)] * size
    for row, (code, chosen) in enumerate(zip(codes, where, strict=True)):
        if chosen and code >= 0 and (last or found[code] == len(codes)):
            found[code] = row
    return found


def _check_combined(first: Any, size: int, then: Any, where: Any) -> None:
    """combine's numbers name each chosen row's pair, the same pair the same number, and fit their type."""
    numbers, uniques = combine(first, size, then, where)
    chosen = np.ones(len(first), dtype=bool) if where is None else where
    expected = {int(a) * size + int(b) for a, b, c in zip(first, then, chosen, strict=True) if c}
    assert sorted(expected) == sorted(uniques.tolist())
    assert len(uniques) == len(set(uniques.tolist()))
    for row in range(len(first)):
        if chosen[row]:
            assert int(first[row]) * size + int(then[row]) == int(uniques[numbers[row]])
        else:
            assert -1 == numbers[row]
    assert np.dtype(narrow_type(len(uniques))).itemsize >= numbers.dtype.itemsize


class TestNarrowType:
    def test_bounds(self) -> None:
        """-1 to 127 fit a byte, 128 needs two, 32,768 four."""
        assert (np.int8, np.int16, np.int16, np.int32) == tuple(narrow_type(most) for most in (127, 128, 32767, 32768))


class TestCombine:
    @settings(max_examples=150, deadline=None)
    @given(st.data(), ROWS, st.integers(1, 40), st.booleans())
    def test_small_pairs(self, data: Any, rows: int, size: int, masked: bool) -> None:
        """Pairs few enough for the table of every possible pair: each row's number names its pair."""
        first = np.array(data.draw(st.lists(st.integers(0, 300), min_size=rows, max_size=rows)), dtype=np.int16)
        then = np.array(data.draw(st.lists(st.integers(0, size - 1), min_size=rows, max_size=rows)), dtype=np.int8)
        where = np.array(data.draw(st.lists(st.booleans(), min_size=rows, max_size=rows)), dtype=bool)
        _check_combined(first, size, then, where if masked else None)

    @settings(max_examples=50, deadline=None)
    @given(st.data(), ROWS)
    def test_many_possible_pairs(self, data: Any, rows: int) -> None:
        """Pairs that could take more than DENSE values are found by a hash: each row's number names its pair."""
        size = 5_000
        first = np.array(data.draw(st.lists(st.integers(0, 10_000), min_size=rows, max_size=rows)), dtype=np.int32)
        then = np.array(data.draw(st.lists(st.integers(0, size - 1), min_size=rows, max_size=rows)), dtype=np.int16)
        where = np.array(data.draw(st.lists(st.booleans(), min_size=rows, max_size=rows)), dtype=bool)
        assert 10_001 * size > DENSE
        _check_combined(np.append(first, 10_000), size, np.append(then, 0), np.append(where, False))

    def test_blocks(self) -> None:
        """Over several blocks of rows, the numbers are those of the pairs, in 1 byte where 127 pairs or fewer."""
        generator = np.random.default_rng(14)
        count = 2 * BLOCK_ROWS + 17
        first = generator.integers(0, 12, count).astype(np.int8)
        then = generator.integers(0, 10, count).astype(np.int8)
        where = generator.random(count) < 0.7
        numbers, uniques = combine(first, 10, then, where)
        pairs = first.astype(np.int64) * 10 + then
        assert (pairs[where] == uniques[numbers[where]]).all()
        assert (numbers[~where] == -1).all()
        assert np.int8 == numbers.dtype


class TestFirstRows:
    @settings(max_examples=150, deadline=None)
    @given(st.data(), ROWS, st.integers(1, 9), st.booleans(), st.booleans())
    def test_as_a_loop(self, data: Any, rows: int, size: int, masked: bool, last: bool) -> None:
        """Each code's first (or last) chosen row is the one a loop over the rows finds; -1 codes are none."""
        codes = data.draw(st.lists(st.integers(-1, size - 1), min_size=rows, max_size=rows))
        where = data.draw(st.lists(st.booleans(), min_size=rows, max_size=rows)) if masked else [True] * rows
        found = first_rows(np.array(codes, dtype=np.int8), size, np.array(where) if masked else None, last)
        assert _naive_first(codes, size, where, last) == found.tolist()

    @pytest.mark.parametrize("last", [False, True])
    def test_blocks(self, last: bool) -> None:
        """A code seen in one block and again in the next has its first row in the first, its last in the second."""
        count = 3 * BLOCK_ROWS
        codes = np.full(count, 1, dtype=np.int8)
        codes[[5, BLOCK_ROWS + 3, 2 * BLOCK_ROWS + 9]] = 0
        where = np.ones(count, dtype=bool)
        where[2 * BLOCK_ROWS + 9] = False
        expected = [BLOCK_ROWS + 3, count - 1] if last else [5, 0]
        assert expected == first_rows(codes, 2, where, last).tolist()
        assert ([2 * BLOCK_ROWS + 9, count - 1] if last else [5, 0]) == first_rows(codes, 2, None, last).tolist()


class TestUsedCodes:
    @settings(max_examples=100, deadline=None)
    @given(st.data(), ROWS, st.integers(1, 9))
    def test_as_a_loop(self, data: Any, rows: int, size: int) -> None:
        """How many chosen rows have each code, and the first of them, as a loop counts them."""
        codes = data.draw(st.lists(st.integers(-1, size - 1), min_size=rows, max_size=rows))
        where = data.draw(st.lists(st.booleans(), min_size=rows, max_size=rows))
        counted, first = used_codes(np.array(codes, dtype=np.int16), size, np.array(where, dtype=bool))
        expected = [
            sum(1 for code, chosen in zip(codes, where, strict=True) if chosen and code == c) for c in range(size)
        ]
        assert expected == counted.tolist()
        assert _naive_first(codes, size, where, False) == first.tolist()


class TestSplitCodes:
    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.integers(0, 200), max_size=80), st.integers(201, 260))
    def test_first_appearance(self, codes: list[int], categories: int) -> None:
        """A coded column's cells numbered as they first appear, each number naming its row's cell."""
        names = [f"ô {number}" for number in range(categories)]
        column = CodedColumn(np.array(codes, dtype=np.int16), names)
        split = split_codes(column)
        assert split is not None
        numbers, distinct = split
        assert list(dict.fromkeys(names[code] for code in codes)) == distinct
        assert [names[code] for code in codes] == [distinct[number] for number in numbers.tolist()]
        assert np.dtype(narrow_type(len(distinct))) == numbers.dtype

    def test_repeated_categories(self) -> None:
        """A column whose categories repeat a text is left to factorize (None)."""
        assert split_codes(CodedColumn(np.array([0, 1], dtype=np.int8), ["a", "a"])) is None
