"""The NumPy path gives exactly the scalar path's verdicts: 100,000 random rows, boundaries included."""

from __future__ import annotations

import threading
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import tdplan
import tdplan.analysis.scorecard
from tdplan import Status, TargetKind, Unit
from tdplan.analysis.bulk import STATUS_CODES, UNDECIDED, decide

PLAN = tdplan.load_plan()
LEVEL = [ind for ind in PLAN.indicators if ind.targets[0].kind is TargetKind.LEVEL]
UNIT_TEXT = {Unit.PERCENT: "%", Unit.PER_MILLE: "‰", Unit.PER_100000: "/100.000"}


def random_table(rows: int, seed: int) -> pd.DataFrame:
    """Random rows: every level indicator and some unknown ones, years 2019–2032, units, groups, and
    values on the thresholds (written in every unit), next to them, and out of range."""
    rng = np.random.default_rng(seed)
    ids = np.array([ind.id for ind in LEVEL] + ["18", "99", " 3"], dtype=object)
    indicator = ids[rng.integers(0, len(ids), rows)]
    boundary_values, boundary_units = [], []
    for ind in LEVEL:
        for target in ind.targets:
            for unit, text in UNIT_TEXT.items():
                boundary_values.append(float(tdplan.convert(target.threshold, target.unit, unit)))
                boundary_units.append(text)
    pick = rng.integers(0, len(boundary_values), rows)
    on_threshold = rng.random(rows) < 0.4
    nudge = rng.choice([0.0, 0.0, 1e-9, -1e-9, 0.001, -0.001], rows)
    value = np.where(on_threshold, np.array(boundary_values)[pick] + nudge, rng.uniform(-5, 120, rows).round(4))
    special = rng.random(rows)
    value = np.where(special < 0.01, np.nan, value)
    value = np.where((special >= 0.01) & (special < 0.015), 1e-300, value)
    value = np.where((special >= 0.015) & (special < 0.02), np.inf, value)
    units = np.array([None, "%", "‰", "/100.000", "kg", ""], dtype=object)
    unit = np.where(on_threshold, np.array(boundary_units, dtype=object)[pick], units[rng.integers(0, 6, rows)])
    residence = np.array(["rural", "urban", "city", None], dtype=object)[rng.integers(0, 4, rows)]
    age = np.array(["2-3", "3-5", None], dtype=object)[rng.integers(0, 3, rows)]
    return pd.DataFrame(
        {
            "indicator": indicator,
            "year": rng.integers(2019, 2033, rows),
            "value": value,
            "unit": unit,
            "residence": np.where(indicator == "8", residence, None),
            "age": np.where(indicator == "20", age, np.where(rng.random(rows) < 0.01, "2-3", None)),
            "area": np.array(["Bản Bo", "Bình Lư", "Tả Lèng", "Khun Há"], dtype=object)[rng.integers(0, 4, rows)],
        }
    )


def outcome(row: tdplan.ScoredRow) -> tuple[str | None, str | None]:
    return (row.status.name if row.status else None, row.problem.error if row.problem else None)


class TestSameAsScalar:
    """The bulk path, row by row, against the scalar path on the same rows."""

    FRAME = random_table(100_000, seed=20251129)

    def test_fast_path_is_used(self) -> None:
        """A large numeric DataFrame takes the NumPy path, and NumPy decides most rows."""
        codes = decide(
            PLAN,
            self.FRAME["indicator"],
            self.FRAME["year"],
            self.FRAME["value"],
            self.FRAME["unit"],
            {"residence": self.FRAME["residence"], "age": self.FRAME["age"]},
        ).codes
        assert 0.25 < float(np.mean(codes != UNDECIDED))
        assert type(PLAN.assess_table(self.FRAME).rows).__name__ == "DecidedRows"

    def test_every_row(self) -> None:
        """Every row's status (or error) is the scalar path's, and so are the counts and roll-ups."""
        bulk = PLAN.assess_table(self.FRAME)
        scalar = PLAN.assess_table(records_of(self.FRAME))  # mappings: the scalar path
        assert type(scalar.rows) is tuple
        # The NumPy codes themselves, not rows rebuilt on demand (which the scalar path builds).
        codes = [STATUS_CODES[code].name if code >= 0 else None for code in bulk.rows.codes.tolist()]  # type: ignore[attr-defined]
        assert [outcome(row)[0] for row in scalar.rows] == codes
        frame = tdplan.assess_frame(PLAN, self.FRAME)
        assert [row.status.value if row.status else None for row in scalar.rows] == list(
            frame["status"].astype(object).where(frame["status"].notna(), None)
        )
        assert [outcome(row) for row in scalar.rows] == [outcome(row) for row in bulk.rows]
        assert scalar.counts == bulk.counts
        assert scalar.problems == bulk.problems
        for by in ("goal", "agency", "area", "year"):
            assert scalar.rollup(by) == bulk.rollup(by)

    def test_rows_built_on_demand_are_exact(self) -> None:
        """A row of the bulk path, asked for, carries the scalar path's exact assessment or problem."""
        bulk = PLAN.assess_table(self.FRAME)
        records = records_of(self.FRAME)
        for index in range(0, 100_000, 997):
            row, expected = bulk.rows[index], PLAN.assess_table([records[index]]).rows[0]
            assert expected.assessment == row.assessment
            assert describe(expected.problem) == describe(row.problem)


def records_of(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows as mappings, with a DataFrame's missing cells (NaN) as None, as a DataFrame means them."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")  # type: ignore[no-any-return]


def describe(problem: tdplan.RowProblem | None) -> tuple[str, str] | None:
    return None if problem is None else (problem.error, problem.message())


class TestBoundaries:
    """Hand-picked boundary values decided by NumPy exactly as the plan's text says."""

    @pytest.mark.parametrize(
        ("indicator", "value", "unit", "status"),
        [
            ("3", 18.0, None, Status.NOT_MET),  # "dưới 18‰": 18‰ is not below
            ("3", 1.8, "%", Status.NOT_MET),  # 1,8 % is exactly 18‰
            ("3", 1800.0, "/100.000", Status.NOT_MET),
            ("3", 17.999999999999996, None, Status.MET),  # the float just below 18
            ("4", 28.0, None, Status.MET),  # "xuống 28‰": at most 28‰
            ("22", 998.0, "‰", Status.MET),  # 998‰ is 99,8 %: at least 99,8 %
            ("21", 99.9, None, Status.NOT_MET),  # "trên 99,9%": 99,9 % is not above
            ("8", 0.1, None, Status.NOT_MET),  # 0.1 is read as 0.1, not 0.1000000000000000055
            ("15", 50.0, None, Status.MET),
        ],
    )
    def test_threshold(self, indicator: str, value: float, unit: str | None, status: Status) -> None:
        """The boundary in any unit, in a table large enough for the NumPy path."""
        frame = pd.DataFrame(
            {
                "indicator": [indicator] * 2500,
                "year": [2025] * 2500,
                "value": [value] * 2500,
                "unit": [unit] * 2500,
                "residence": ["rural" if indicator == "8" else None] * 2500,
            }
        )
        card = PLAN.assess_table(frame)
        assert type(card.rows).__name__ == "DecidedRows"
        assert {status: 2500} == {s: n for s, n in card.counts.items() if n}
        single = PLAN.assess(
            indicator, value, unit, year=2025, disaggregation={"residence": "rural"} if indicator == "8" else None
        )
        assert status is single.status
        assert Decimal(repr(value)) == card.rows[0].assessment.value or unit is not None  # type: ignore[union-attr]


def test_indicator_of_5000_digits() -> None:
    """An indicator written as a whole number of 5,000 digits (Python writes none past 4,300): that row's problem,
    as the scalar path says it, and every other row decided (a raw ValueError escaped)."""
    rows = 2000
    frame = pd.DataFrame({"indicator": ["9"] * (rows - 1) + [10**5000], "value": [95.5] * rows, "year": [2025] * rows})
    card = PLAN.assess_table(frame)
    assert isinstance(card.rows, tdplan.analysis.scorecard.DecidedRows)
    assert [(rows, "1.000E+5000 is not a name or an id")] == [(p.row, p.message("en")) for p in card.problems]
    assert rows - 1 == card.counts[Status.NOT_MET]  # 95.5 % below at least 97.2 %


def test_status_codes_cover_statuses() -> None:
    """The codes name every status once."""
    assert set(Status) == set(STATUS_CODES)


def test_threads() -> None:
    """Eight threads assessing tables at once get exactly the serial results."""
    frame = random_table(20_000, seed=8)
    serial = PLAN.assess_table(frame).rows.codes.tolist()  # type: ignore[attr-defined]
    results: list[list[int]] = [[] for _ in range(8)]

    def work(slot: int) -> None:
        results[slot] = tdplan.load_plan().assess_table(frame).rows.codes.tolist()  # type: ignore[attr-defined]

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [serial] * 8 == results
