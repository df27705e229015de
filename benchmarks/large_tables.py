"""Large CSV files from file to verdicts: time and peak memory against pandas.read_csv plus the NumPy path.

Run from the repository root with tdplan and its test extra installed:

    python benchmarks/large_tables.py                   # 100,000 and 1,000,000 rows
    python benchmarks/large_tables.py --rows 5000000    # any sizes, comma-separated

For each size it writes a CSV file of realistic rows (an indicator, a value written
``16.5``, a year, a commune) to a temporary folder, then runs each case in its own
subprocess, which reports its wall time and its peak resident memory (``ru_maxrss``):

- ``baseline``: ``pandas.read_csv`` and ``assess_table`` on the DataFrame (the NumPy path);
- ``file``: ``assess_table`` on the file's path (read in chunks, decided with NumPy);
- ``file + checks``: the same, then the checks of the figures every report includes
  (``card.violations``, ``completeness``, ``jumps``);
- ``file + json`` / ``file + csv`` / ``file + xlsx``: the same, then the report written
  to a file with ``write_report`` (streamed row by row); ``xlsx`` only when asked
  (``--cases baseline,file + xlsx``), since it needs ``tdplan[excel]``.

The goals (docs/performance.md): ``file`` and the reports at most 3x ``baseline``;
peak memory at most 2x the file's size + 150 MB. The script prints; it exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = {
    "baseline": (
        "import pandas, tdplan\n"
        "frame = pandas.read_csv(PATH)\n"
        "card = tdplan.assess_table(tdplan.load_plan(), frame)\n"
        "card.counts\n"
    ),
    "file": "import tdplan\ncard = tdplan.assess_table(tdplan.load_plan(), PATH)\ncard.counts\n",
    "file + checks": (
        "import tdplan\ncard = tdplan.assess_table(tdplan.load_plan(), PATH)\n"
        "card.violations, card.completeness, card.jumps\n"
    ),
    "file + json": (
        "import tdplan\ncard = tdplan.assess_table(tdplan.load_plan(), PATH)\n"
        "tdplan.write_report(card, OUT + '.json')\n"
    ),
    "file + csv": (
        "import tdplan\ncard = tdplan.assess_table(tdplan.load_plan(), PATH)\ntdplan.write_report(card, OUT + '.csv')\n"
    ),
    "file + xlsx": (
        "import tdplan\ncard = tdplan.assess_table(tdplan.load_plan(), PATH)\n"
        "tdplan.write_report(card, OUT + '.xlsx')\n"
    ),
}

_RUN = """
import resource, sys, time
PATH, OUT = sys.argv[1], sys.argv[2]
start = time.perf_counter()
{code}
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def write_table(path: Path, rows: int) -> None:
    """``rows`` rows of level indicators with plausible values, years and communes."""
    random.seed(14)
    indicators = [("3", 30), ("4", 40), ("9", 100), ("10", 100), ("14", 100), ("22", 100), ("26", 100), ("28", 100)]
    communes = [f"Xã {number}" for number in range(1, 15)]
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("indicator,value,year,area\n")
        for _ in range(rows):
            indicator, top = random.choice(indicators)
            value = round(random.uniform(0, top), 1)
            file.write(f"{indicator},{value},{random.randint(2021, 2030)},{random.choice(communes)}\n")


def run_case(code: str, path: Path, out: Path) -> tuple[float, int]:
    """(seconds, peak bytes) of ``code`` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", _RUN.format(code=code), str(path), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak = result.stdout.split()
    return float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000", help="row counts, comma-separated")
    default = "baseline,file,file + checks,file + json,file + csv"
    parser.add_argument("--cases", default=default, help=f"cases to run, comma-separated, of: {', '.join(CASES)}")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for rows in (int(count) for count in args.rows.split(",")):
            path = Path(folder) / f"table-{rows}.csv"
            write_table(path, rows)
            size = path.stat().st_size
            baseline = None
            for name in args.cases.split(","):
                seconds, peak = run_case(CASES[name], path, Path(folder) / "out")
                for written in Path(folder).glob("out.*"):
                    written.unlink()
                baseline = seconds if name == "baseline" else baseline
                ratio = f"{seconds / baseline:.2f}x baseline" if baseline else ""
                budget = 2 * size + 150 * 2**20
                verdict = "met" if peak <= budget else "NOT met"
                print(
                    f"{rows:>9,} rows ({size / 2**20:6.1f} MB)  {name:<12} {seconds:7.2f} s  {ratio:<17}"
                    f"peak {peak / 2**20:7.0f} MB (goal <= {budget / 2**20:.0f} MB: {verdict})"
                )
                results.append({"rows": rows, "bytes": size, "case": name, "seconds": seconds, "peak": peak})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
