"""Large CSV files whose rows mostly fail, from file to report: time and peak memory against the baseline.

Run from the repository root with tdplan and its test extra installed:

    python benchmarks/failing_tables.py                 # 300,000 and 1,000,000 rows
    python benchmarks/failing_tables.py --rows 100000

A table written for another plan fails in most rows for a few reasons: here each row is,
at random, indicator 30 or 31 (which the plan does not have) or indicator 3, and the year
2025 or 2035 (outside the plan), so about five rows in six fail. For each size it runs, each
in a fresh interpreter (as ``large_tables.py`` does, whose cases it shares), the baseline
(``pandas.read_csv`` and the NumPy path) and ``tdplan report FILE -o out.<format>`` for
every format, and prints each one's wall time, its ratio to the baseline and its peak
memory against the goal of ``docs/performance.md`` (2 × the file + 150 MB). It exits 0 either way.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from large_tables import CASES, run_case

FORMATS = ("json", "csv", "xlsx", "html", "md")


def write_failing(path: Path, rows: int) -> None:
    """``rows`` rows, about five in six of which fail: an unknown indicator, or a year outside the plan."""
    random.seed(14)
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("indicator,value,year,area\n")
        for _ in range(rows):
            indicator = random.choice(["30", "31", "3"])
            year = random.choice([2025, 2035])
            file.write(f"{indicator},{random.uniform(0, 30):.1f},{year},Xã {random.randint(1, 14)}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="300000,1000000", help="row counts, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for rows in (int(count) for count in args.rows.split(",")):
            path = Path(folder) / f"failing-{rows}.csv"
            write_failing(path, rows)
            size = path.stat().st_size
            budget = 2 * size + 150 * 2**20
            baseline, peak, _ = run_case(CASES["baseline"], path, Path(folder) / "out")
            head = f"{rows:>9,} rows ({size / 2**20:5.1f} MB)"
            print(f"{head}  baseline      {baseline:6.2f} s  peak {peak / 2**20:4.0f} MB")
            for fmt in FORMATS:
                code = f"from tdplan.cli.main import main\nmain(['report', PATH, '-o', OUT + '.{fmt}'])\n"
                seconds, peak, _ = run_case(code, path, Path(folder) / "out")
                for written in Path(folder).glob("out.*"):
                    written.unlink()
                verdict = "met" if peak <= budget else "NOT met"
                print(
                    f"{head}  report -o .{fmt:<5}{seconds:6.2f} s  "
                    f"{seconds / baseline:5.2f}x baseline  peak {peak / 2**20:4.0f} MB "
                    f"(goal <= {budget / 2**20:.0f} MB: {verdict})"
                )


if __name__ == "__main__":
    main()
