"""The checks of a table NumPy decided, read from its columns, are the scalar path's, violation by violation."""

from __future__ import annotations

import decimal
import itertools
import random
import unicodedata
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tdplan
from tdplan import JumpBand, Unit
from tdplan.analysis import columnar, tables
from tdplan.analysis.figures import Gathered, decided_figures, first_positions
from tdplan.analysis.observations import observations
from tdplan.analysis.scorecard import DecidedRows

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

# The shipped plan with rules of every operator, sums and groups added (the shipped rules are all ≤).
_EXTRA_RULES = """[[rules]]
id = "sum"
left = [{ indicator = "8", group = { residence = "rural" } }, { indicator = "8", group = { residence = "urban" } }]
operator = "<="
right = "9"
message = "tổng"

[[rules]]
id = "ages"
left = [{ indicator = "20", group = { age = "2-3" } }]
operator = "<"
right = [{ indicator = "20", group = { age = "3-5" } }]
message = "nhóm tuổi"

[[rules]]
id = "equal"
left = "3"
operator = "="
right = "4"
message = "bằng"

[[rules]]
id = "above"
left = ["5", "4"]
operator = ">"
right = "3"
message = "lớn hơn"

[[rules]]
id = "at-least"
left = "15"
operator = ">="
right = "15b"
message = "không nhỏ hơn"

"""
PLAN = tdplan.loads_plan(tdplan.dumps_plan(tdplan.load_plan()).replace("[[rules]]", _EXTRA_RULES + "[[rules]]", 1))

# Values that land on one another, on floors, on thresholds and on double or half of each other, in every unit.
GRID = [0, 0.05, 0.1, 0.2, 0.25, 0.5, 0.7, 1.8, 2.5, 2.8, 5, 7.5, 10, 15, 18, 20, 28, 30, 35, 40, 41, 97.2, 98.6, 100]
IDS = ["3", "4", "5", "15", "15b", "8", "20", "9", "1", "18", "99", " 3", 3]
AREAS = ["Bản Bo", "Bình Lư", " Bản  Bo ", unicodedata.normalize("NFD", "Khun Há"), "Khun Há", None, " "]
UNITS = [None, None, "%", "‰", "/100.000", "‰ "]


EXPONENTS = {"%": -2, "‰": -3, "‰ ": -3, "/100.000": -5}


def written_in(value: float, indicator: object, unit: str | None) -> float:
    """``value`` (in the indicator's unit) as a float written in ``unit``: 7‰ is 0.7 (%), whose float is not 7/10."""
    known = PLAN.get_indicator(str(indicator).strip())
    if unit is None or known is None or known.unit.exponent is None:
        return value
    return float(Decimal(repr(value)).scaleb(known.unit.exponent - EXPONENTS[unit]))


def random_rows(rows: int, seed: int) -> list[dict[str, Any]]:
    """Random rows with duplicates, missing years, values on the grid (exact boundaries), problems and odd cells.

    Most rows follow their area: a base value times 1/2, 1, 2 or 4 in each year, written
    in any unit, so that figures are often exactly double or half the previous one (the band's limit)
    and the two sides of a rule often equal.
    """
    rng = random.Random(seed)
    years = list(range(2019, 2032))
    held: dict[object, list[int]] = {}  # each area skips some years
    bases: dict[tuple[object, ...], float] = {}
    factors: dict[tuple[object, ...], float] = {}
    found = []
    for _ in range(rows):
        indicator, area, unit = rng.choice(IDS), rng.choice(AREAS), rng.choice(UNITS)
        residence = rng.choice(["rural", "urban"]) if indicator == "8" else None
        age = rng.choice(["2-3", "3-5"]) if indicator == "20" else rng.choice([None] * 30 + ["2-3"])
        series = (str(indicator), area, residence, age)
        year = rng.choice(held.setdefault(area, rng.sample(years, rng.randint(3, 9))))
        kind = rng.random()
        if kind < 0.6:
            place = series[1:]  # shared by the indicators of an area: rules' sides often equal
            base = bases.setdefault(place, rng.choice(GRID[1:14]))
            value = written_in(base * factors.setdefault((*place, year), rng.choice([0.5, 1, 2, 4])), indicator, unit)
        elif kind < 0.8:
            value = rng.choice(GRID)
        elif kind < 0.92:
            value = round(rng.uniform(0, 100), rng.randint(0, 3))
        else:
            value = rng.choice([float("nan"), -1.0, 1e-50, 150.0, 2000.0, 0.1 + 0.2])
        found.append(
            {
                "indicator": indicator,
                "year": year,
                "value": value,
                "unit": unit,
                "residence": residence,
                "age": age,
                "area": area,
            }
        )
    return found


def frame_of(rows: list[dict[str, Any]]) -> Any:
    """The rows as a DataFrame: object columns, values as float64 (NaN for a missing one), years as int64."""
    frame = pd.DataFrame(rows)
    for name in {"indicator", "unit", "residence", "age", "area"} & set(frame.columns):
        frame[name] = frame[name].astype(object)
    return frame


def records_of(frame: Any) -> list[dict[str, object]]:
    """The rows as mappings, with a DataFrame's missing cells (NaN) as None, as a DataFrame means them."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")  # type: ignore[no-any-return]


def checks(card: tdplan.Scorecard) -> tuple[list[str], Any]:
    """Every violation and jump as its full repr (so that Decimal('21') ≠ Decimal('21.0')), and the completeness."""
    return [repr(v) for v in card.violations] + [repr(j) for j in card.jumps], card.completeness


def boundaries(card: tdplan.Scorecard) -> tuple[int, int]:
    """(figures in a series exactly double or half the previous one, places where 3 and 4 are equal), by hand."""
    series: dict[tuple[object, ...], dict[int, Decimal]] = defaultdict(dict)
    places: dict[tuple[object, ...], Decimal] = {}
    equal = 0
    for o in observations(card):
        series[o.indicator.id, o.area, o.group].setdefault(o.period.start.year, o.value)
        if o.indicator.id in ("3", "4"):
            other = places.get((o.area, o.when, "4" if o.indicator.id == "3" else "3"))
            if (o.area, o.when, o.indicator.id) not in places:
                places[o.area, o.when, o.indicator.id] = o.value
                equal += other is not None and other == o.value
    exact = 0
    for figures in series.values():
        ordered = [figures[year] for year in sorted(figures)]
        exact += sum(after in (2 * before, before / 2) and after != 0 for before, after in itertools.pairwise(ordered))
    return exact, equal


class TestColumnarChecks:
    """Scorecard.violations, .jumps and .completeness on the NumPy path, against the scalar path."""

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_frame_same_as_scalar(self, seed: int) -> None:
        """12,000 random rows as a DataFrame: every check equal to the scalar path's on the same rows as mappings."""
        frame = frame_of(random_rows(12_000, seed))
        fast = PLAN.assess_table(frame)
        slow = PLAN.assess_table(records_of(frame))
        assert isinstance(fast.rows, DecidedRows)
        assert decided_figures(fast) is not None
        assert type(slow.rows) is tuple
        assert checks(slow) == checks(fast)
        doubled, equal = boundaries(slow)
        assert doubled >= 10  # the table puts figures exactly on the jump band's limit
        assert equal >= 5  # and rules' two sides exactly equal
        assert {"sum", "ages", "equal", "above", "at-least", "neonatal-infant"} <= {v.rule for v in slow.violations}

    def test_many_areas(self) -> None:
        """Areas from 60,000 names (too many combinations for a flag each: they are hashed): the same checks."""
        rng = random.Random(8)
        rows = random_rows(12_000, 8)
        for row in rows:
            row["area"] = f"Xã {rng.randrange(60_000)}" if rng.random() < 0.7 else row["area"]
        frame = frame_of(rows)
        fast = PLAN.assess_table(frame)
        slow = PLAN.assess_table(records_of(frame))
        assert isinstance(fast.rows, DecidedRows)
        assert checks(slow) == checks(fast)
        assert len(slow.completeness.areas) > 4_000

    def test_bands_and_floors(self) -> None:
        """Other bands (a ratio of 1,5 with no floor, 2,5 with a floor of 7,5): the same jumps on both paths."""
        frame = frame_of(random_rows(12_000, 4))
        bands = {
            Unit.PER_MILLE: JumpBand(Decimal("1.5"), Decimal(0)),
            Unit.PERCENT: JumpBand(Decimal("2.5"), Decimal("7.5")),
        }
        fast = PLAN.assess_table(frame, jump_bands=bands)
        slow = PLAN.assess_table(records_of(frame), jump_bands=bands)
        assert isinstance(fast.rows, DecidedRows)
        assert [repr(j) for j in slow.jumps] == [repr(j) for j in fast.jumps]
        assert len(slow.jumps) > 100

    def test_whole_number_values(self) -> None:
        """Values in an int64 column (read as integers, not floats): the same checks."""
        frame = frame_of(random_rows(12_000, 5))
        frame["value"] = frame["value"].fillna(-1).round().astype("int64")
        fast = PLAN.assess_table(frame, areas=["Bản Bo", "Tả Lèng"])
        slow = PLAN.assess_table(records_of(frame), areas=["Bản Bo", "Tả Lèng"])
        assert isinstance(fast.rows, DecidedRows)
        assert checks(slow) == checks(fast)
        assert fast.violations

    def test_large_csv_file(self, tmp_path: Path) -> None:
        """A CSV file past BULK_BYTES (read in chunks; 3-decimal values left to the scalar path): the same checks."""
        rng = random.Random(6)
        path = tmp_path / "large.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            file.write("chỉ tiêu,giá trị,đơn vị tính,năm,địa bàn,khu vực,ghi chú\n")
            for number, row in enumerate(random_rows(30_000, 6)):
                value = "" if row["value"] != row["value"] else f"{row['value']:g}".replace(".", ",")
                cells = [str(row["indicator"]), value, row["unit"] or "", str(row["year"]), (row["area"] or "")]
                cells += [row["residence"] or rng.choice(["", "rural"]), f"ghi chú {number}"]
                file.write(",".join(f'"{cell}"' if "," in cell else cell for cell in cells) + "\n")
        assert path.stat().st_size >= tables.BULK_BYTES
        fast = tdplan.assess_table(PLAN, path)
        _, rows, _ = tables.read_table(path)
        slow = tdplan.assess_table(PLAN, rows)
        assert isinstance(fast.rows, DecidedRows)
        assert decided_figures(fast) is not None
        assert checks(slow) == checks(fast)
        assert len(fast.violations) > 10

    def test_every_row_decided_in_chunks(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Only rows NumPy decides (codes read through combinations), read 1,000 at a time: the scalar path's checks."""
        monkeypatch.setattr(columnar, "CHUNK", 1000)
        frame = frame_of(random_rows(12_000, 9))
        first = PLAN.assess_table(frame)
        assert isinstance(first.rows, DecidedRows)
        keep = (first.rows.codes >= 0) & ~np.isin(np.arange(len(frame)), list(first.rows.scored))
        frame = frame[keep].reset_index(drop=True)
        fast = PLAN.assess_table(frame)
        slow = PLAN.assess_table(records_of(frame))
        figures = decided_figures(fast)
        assert figures is not None
        assert isinstance(figures.indicator, Gathered)
        assert checks(slow) == checks(fast)
        assert {"sum", "ages", "equal"} <= {v.rule for v in slow.violations}

    def test_a_float_that_rounds_onto_the_limit(self) -> None:
        """0,41000000000000003‰ is 41,000000000000003 per 100.000, whose float is 41: yet above 2 × 20,5 and 41."""
        plan = tdplan.load_plan()
        rows = []
        for number in range(1_000):
            area = f"Xã {number}"
            rows += [
                {"indicator": "15", "value": 20.5, "unit": None, "year": 2024, "area": area},
                {"indicator": "15", "value": 0.41000000000000003, "unit": "‰", "year": 2025, "area": area},
                {"indicator": "15b", "value": 0.41000000000000003, "unit": "‰", "year": 2026, "area": area},
                {"indicator": "15", "value": 41.0, "unit": None, "year": 2026, "area": area},
            ]
        card = plan.assess_table(frame_of(rows))
        assert isinstance(card.rows, DecidedRows)
        above = Decimal("41.000000000000003")
        assert [(Decimal("20.5"), above, (4 * n + 1, 4 * n + 2)) for n in range(1_000)] == [
            (j.before, j.after, j.rows) for j in card.jumps
        ]
        assert [("injury-deaths-injuries", above, Decimal(41), (4 * n + 3, 4 * n + 4)) for n in range(1_000)] == [
            (v.rule, v.left, v.right, v.rows) for v in card.violations
        ]

    def test_unusual_context_reads_observations(self) -> None:
        """Under a context that traps rounding, the checks read each observation, as the scalar code always did."""
        frame = frame_of(random_rows(3_000, 7))
        card = PLAN.assess_table(frame)
        assert isinstance(card.rows, DecidedRows)
        with decimal.localcontext() as context:
            context.traps[decimal.Inexact] = True
            assert decided_figures(card) is None
        assert decided_figures(card) is not None


class TestFirstPositions:
    """first_positions: the first figure of each combination of codes, read in chunks or hashed."""

    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40)), min_size=1, max_size=300),
        st.integers(1, 50),
        st.booleans(),
        st.sampled_from([41, 10_000_000]),
    )
    def test_first_of_each(self, pairs: list[tuple[int, int]], chunk: int, subset: bool, size: int) -> None:
        """Against a dictionary by hand: chunked (a flag per combination) or hashed (too many combinations)."""
        among = np.arange(0, len(pairs), 2) if subset else None
        positions = list(range(0, len(pairs), 2)) if subset else list(range(len(pairs)))
        expected: dict[tuple[int, int], int] = {}
        for position in positions:
            expected.setdefault(pairs[position], position)
        first, second = (np.array(column, dtype=np.int32) for column in zip(*pairs, strict=True))
        found = first_positions([(first, 4), (second, size)], among, chunk=chunk)
        assert sorted(expected.values()) == found.tolist()

    def test_wide_codes_in_chunks(self) -> None:
        """80,000 possible combinations (past 16 bits) among 20,000 figures in chunks of 3,000: against a dictionary."""
        rng = np.random.default_rng(9)
        first, second = rng.integers(0, 4, 20_000), rng.integers(0, 20_000, 20_000)
        expected: dict[tuple[int, int], int] = {}
        for position, pair in enumerate(zip(first.tolist(), second.tolist(), strict=True)):
            expected.setdefault(pair, position)
        found = first_positions([(first, 4), (second, 20_000)], chunk=3_000)
        assert sorted(expected.values()) == found.tolist()
