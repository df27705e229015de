"""tdplan's performance goals, measured: start-up, one check, a million rows.

Run from the repository root with tdplan and its test extra installed:

    python benchmarks/run.py            # every figure (about a minute)
    python benchmarks/run.py --quick    # fewer repetitions, 200,000 rows

Each figure is printed with the goal it is measured against (docs/performance.md).
Ratios are taken within one run, on the same machine, so they do not depend on how
fast the machine is. The script prints; it changes nothing and exits 0 either way.
"""

from __future__ import annotations

import argparse
import gc
import operator
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


def median_command(code: str, runs: int) -> float:
    """The median wall time of ``python -c code`` over ``runs`` runs (after one warm-up)."""
    command = [sys.executable, "-c", code]
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_call(function: Any, number: int, repeat: int) -> float:
    """The median time of one call, in seconds, over ``repeat`` timings of ``number`` calls."""
    return statistics.median(timeit.repeat(function, number=number, repeat=repeat)) / number


def median_pair(ours: Any, base: Any, number: int, repeat: int) -> tuple[float, float]:
    """The median times of one call of ``ours`` and of ``base``, timed in turns so that a load on the machine
    falls on both alike."""
    first, second = [], []
    for _ in range(repeat):
        first.append(timeit.timeit(ours, number=number) / number)
        second.append(timeit.timeit(base, number=number) / number)
    return statistics.median(first), statistics.median(second)


def report(name: str, value: str, goal: str, met: bool) -> None:
    print(f"{name:<46} {value:>18}   goal: {goal:<34} {'met' if met else 'NOT MET'}")


def startup(runs: int) -> None:
    tdplan = median_command("import tdplan; tdplan.load_plan().assess('3', 16, year=2025)", runs)
    pint = median_command("import pint; pint.UnitRegistry()", runs)
    report("start-up: import, load, one check", f"{tdplan * 1000:.0f} ms", "", True)
    report("start-up: import pint; UnitRegistry()", f"{pint * 1000:.0f} ms", "", True)
    report("start-up ratio tdplan / pint", f"{tdplan / pint:.2f}", "≤ 0.5", tdplan / pint <= 0.5)
    # The same, and the verdict's sentence in Vietnamese: the message catalog (tdplan.mo) read once.
    spoken = median_command("import tdplan; tdplan.load_plan().assess('3', 16, year=2025).explain('vi')", runs)
    report("start-up, with explain('vi')", f"{spoken * 1000:.0f} ms", "", True)
    report("start-up ratio, with explain('vi') / pint", f"{spoken / pint:.2f}", "≤ 0.5", spoken / pint <= 0.5)


@dataclass(frozen=True, slots=True)
class Result:
    """The hand-written baseline's small frozen result."""

    indicator: str
    year: int
    value: Decimal
    met: bool


TARGETS = {("3", 2025): (operator.lt, Decimal(18))}


def baseline(indicator: str, value: float | int, year: int) -> Result:
    """The same work without tdplan: look the target up, make a Decimal, compare, build a result."""
    compare, threshold = TARGETS[indicator, year]
    number = Decimal(value) if type(value) is int else Decimal(repr(value))
    return Result(indicator, year, number, compare(number, threshold))


def converted_baseline(indicator: str, value: float, year: int) -> Result:
    """The baseline with a unit to convert: % to ‰ is a shift of the decimal point."""
    compare, threshold = TARGETS[indicator, year]
    number = Decimal(repr(value)).scaleb(1)
    return Result(indicator, year, number, compare(number, threshold))


def one_check(repeat: int) -> None:
    import tdplan

    plan = tdplan.load_plan()
    number = 50_000
    for label, value in (("an int", 16), ("a float", 16.5)):
        ours, base = median_pair(
            lambda value=value: plan.assess("3", value, year=2025),
            lambda value=value: baseline("3", value, 2025),
            number,
            repeat,
        )
        report(f"one check on {label}: plan.assess", f"{ours * 1e6:.2f} µs", "≤ 5 µs", ours <= 5e-6)
        report(f"one check on {label}: hand-written baseline", f"{base * 1e6:.2f} µs", "", True)
        report(f"one check on {label}: ratio", f"{ours / base:.2f}", "≤ 3", ours / base <= 3)
    # A unit to convert: 1.65 % against indicator 3's ‰ target; the baseline shifts the decimal point by hand.
    ours, base = median_pair(
        lambda: plan.assess("3", 1.65, "%", year=2025), lambda: converted_baseline("3", 1.65, 2025), number, repeat
    )
    report("one check with a unit to convert: plan.assess", f"{ours * 1e6:.2f} µs", "", True)
    report("one check with a unit to convert: ratio", f"{ours / base:.2f}", "≤ 3", ours / base <= 3)
    # A pint Quantity: against pint's own build-and-compare of the same quantity with the threshold.
    import pint

    registry = pint.UnitRegistry()
    quantity = registry.Quantity(16.5, "permille")
    threshold = registry.Quantity(18, "permille")
    ours, base = median_pair(
        lambda: plan.assess("3", quantity, year=2025),
        lambda: registry.Quantity(16.5, "permille") < threshold,
        number // 10,
        3 * repeat,
    )
    report("one check on a pint Quantity: plan.assess", f"{ours * 1e6:.2f} µs", "", True)
    report("one check on a pint Quantity: pint's own build and compare", f"{base * 1e6:.2f} µs", "", True)
    report("one check on a pint Quantity: ratio", f"{ours / base:.2f}", "≤ 1/3", ours / base <= 1 / 3)
    warm = median_call(lambda: plan.assess("3", "16,5‰", year=2025), number, repeat)
    report('one check on "16,5‰" (seen before: cached)', f"{warm * 1e6:.2f} µs", "≤ 20 µs", warm <= 20e-6)
    strings = [f"{index // 10000},{index % 10000:04d}‰" for index in range(number)]
    start = time.perf_counter()
    for text in strings:  # each string new: parsed with Babel
        plan.assess("3", text, year=2025)
    cold = (time.perf_counter() - start) / len(strings)
    report("one check on a string never seen before", f"{cold * 1e6:.2f} µs", "≤ 20 µs", cold <= 20e-6)


def table(rows: int, seed: int = 7) -> Any:
    """A table of ``rows`` random rows: every level indicator, years 2020–2031, four units, groups, boundaries."""
    import numpy as np
    import pandas as pd

    import tdplan

    plan = tdplan.load_plan()
    rng = np.random.default_rng(seed)
    level = [ind for ind in plan.indicators if ind.targets[0].kind is tdplan.TargetKind.LEVEL]
    ids = np.array([ind.id for ind in level], dtype=object)
    indicator = ids[rng.integers(0, len(ids), rows)]
    thresholds = np.array([float(t.threshold) for ind in level for t in ind.targets])
    value = np.where(
        rng.random(rows) < 0.25, thresholds[rng.integers(0, len(thresholds), rows)], rng.uniform(0, 100, rows)
    )
    units = np.array([None, "%", "‰", "/100.000"], dtype=object)
    return pd.DataFrame(
        {
            "indicator": indicator,
            "year": rng.integers(2020, 2032, rows),
            "value": value.round(3),
            "unit": units[rng.integers(0, 4, rows)],
            "residence": np.where(
                indicator == "8", np.array(["rural", "urban"], dtype=object)[rng.integers(0, 2, rows)], None
            ),
            "age": np.where(indicator == "20", np.array(["2-3", "3-5"], dtype=object)[rng.integers(0, 2, rows)], None),
        }
    )


def numpy_baseline(plan: Any, frame: Any) -> Any:
    """The same comparison by hand in NumPy: a threshold per (indicator, year) looked up, then compared.

    It checks nothing (units, groups, ranges, exactness at the boundary): it is the floor.
    """
    import numpy as np
    import pandas as pd

    indicators, indicator_ids = pd.factorize(frame["indicator"])
    years, year_values = pd.factorize(frame["year"])
    thresholds = np.zeros((len(indicator_ids), len(year_values)))
    for i, indicator_id in enumerate(indicator_ids):
        targets = plan.indicator(indicator_id).targets
        for j, year in enumerate(year_values):
            later = [target for target in targets if target.year is None or target.year >= year] or targets
            thresholds[i, j] = float(later[0].threshold)
    return frame["value"].to_numpy() < thresholds[indicators, years]


def bulk(rows: int, repeat: int) -> None:
    import numpy as np

    import tdplan

    plan = tdplan.load_plan()
    frame = table(rows)
    size = int(frame.memory_usage(deep=True).sum())
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        card = plan.assess_table(frame)
        times.append(time.perf_counter() - start)
    ours = statistics.median(times)
    base = statistics.median(timeit.repeat(lambda: numpy_baseline(plan, frame), number=1, repeat=repeat))
    gc.collect()
    tracemalloc.start()
    card = plan.assess_table(frame)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    per_second = rows / ours
    report(f"bulk: {rows:,} rows, assess_table", f"{ours:.2f} s", "≤ 1 s for 1,000,000", ours * 1_000_000 / rows <= 1)
    report("bulk: rows per second", f"{per_second:,.0f}", "≥ 1,000,000", per_second >= 1_000_000)
    report("bulk: hand-written NumPy comparison", f"{base:.3f} s", "", True)
    report("bulk: ratio", f"{ours / base:.1f}", "≤ 10", ours / base <= 10)
    report("bulk: peak memory / input table", f"{peak / size:.2f}", "≤ 4", peak / size <= 4)
    # assess_frame (the Dask partition function) against assess_table on the same frame, with its counts.
    frame_times, table_times = [], []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        tdplan.assess_frame(plan, frame)
        frame_times.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        plan.assess_table(frame).counts  # noqa: B018 - the counts are what the table is asked for
        table_times.append(time.perf_counter() - start)
    framed, tabled = statistics.median(frame_times), statistics.median(table_times)
    report("bulk: assess_frame", f"{framed:.2f} s", "", True)
    report("bulk: assess_table(frame).counts", f"{tabled:.2f} s", "", True)
    report("bulk: ratio assess_frame / assess_table", f"{framed / tabled:.2f}", "≤ 1.5", framed / tabled <= 1.5)
    counts = card.counts
    print(
        f"   statuses: {', '.join(f'{status.name} {count:,}' for status, count in counts.items())}; "
        f"problems: {len(card.problems):,}; input table {size / 1e6:.0f} MB, peak {peak / 1e6:.0f} MB"
    )
    del np


def checks(rows: int, repeat: int) -> None:
    """The checks of the figures (rules, completeness, jumps) on the bulk table, against pandas doing the least of it.

    The baseline finds each (indicator, year) figure's first row with ``drop_duplicates``, sorts
    by indicator and year and takes each figure's previous one with ``shift``: the bookkeeping
    the checks need, with no exact values, units, groups, rules or reports. The checks are
    timed alone, each time on a scorecard just assessed (they run once per scorecard), and
    their peak memory is tracemalloc's while they run.
    """
    import tdplan

    plan = tdplan.load_plan()
    frame = table(rows)

    def run_checks(card: Any) -> None:
        card.violations, card.completeness, card.jumps  # noqa: B018 - computed on first access

    times, whole, first = [], [], []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        card = plan.assess_table(frame)
        assessed = time.perf_counter()
        card.violations  # noqa: B018 - the first check reads the figures, which the others share
        first.append(time.perf_counter() - assessed)
        run_checks(card)
        times.append(time.perf_counter() - assessed)
        whole.append(time.perf_counter() - start)
    mine, total, violations = statistics.median(times), statistics.median(whole), statistics.median(first)
    card = plan.assess_table(frame)
    gc.collect()
    tracemalloc.start()
    run_checks(card)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    def pandas_floor() -> None:
        first = frame.drop_duplicates(["indicator", "year"]).sort_values(["indicator", "year"])
        first["value"] / first.groupby("indicator")["value"].shift()

    base = statistics.median(timeit.repeat(pandas_floor, number=1, repeat=repeat))
    goal = 0.5 * rows / 1_000_000
    report(f"checks: {rows:,} rows, card.violations", f"{violations:.3f} s", f"< {goal:.2f} s", violations < goal)
    report("checks: the three checks", f"{mine:.3f} s", "", True)
    report("checks: assess + the three checks", f"{total:.2f} s", "", True)
    report("checks: their peak memory (tracemalloc)", f"{peak / 1e6:.0f} MB", "", True)
    report("checks: pandas floor (first figures, previous)", f"{base:.3f} s", "", True)
    report("checks: ratio to the pandas floor", f"{mine / base:.1f}", "(measured)", True)
    counts = f"{len(card.violations):,} violations, {len(card.jumps):,} jumps"
    print(f"   {counts}, completeness {card.completeness.overall().present:,} figures")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and 200,000 rows")
    parser.add_argument("--only-check", action="store_true", help="only the single-value checks")
    parser.add_argument("--only-figures", action="store_true", help="only the checks of the figures (rules, jumps…)")
    args = parser.parse_args()
    print(
        f"tdplan benchmarks · Python {platform.python_version()} · {platform.machine()} · "
        f"{os.cpu_count()} cores · {platform.processor() or platform.platform()}"
    )
    if args.only_figures:
        checks(200_000 if args.quick else 1_000_000, 3)
        return
    if not args.only_check:
        startup(7 if args.quick else 21)
    one_check(3 if args.quick else 7)
    if not args.only_check:
        bulk(200_000 if args.quick else 1_000_000, 3 if args.quick else 5)
        checks(200_000 if args.quick else 1_000_000, 3)


if __name__ == "__main__":
    main()
