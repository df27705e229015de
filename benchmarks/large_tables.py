"""Large CSV files from file to report: time and peak memory against pandas.read_csv plus the NumPy path.

Run from the repository root with tdplan and its test extra installed:

    python benchmarks/large_tables.py                   # 100,000 and 1,000,000 rows
    python benchmarks/large_tables.py --rows 5000000    # any sizes, comma-separated
    python benchmarks/large_tables.py --units           # values written with their unit: 16.5‰, 95.5%

For each size it writes a CSV file of realistic rows (an indicator, a value written
``16.5``, a year, a commune) to a temporary folder, then runs each case in its own
subprocess, which reports its wall time (imports included) and its peak resident memory
(``ru_maxrss``):

- ``baseline``: ``pandas.read_csv`` and ``assess_table`` on the DataFrame (the NumPy path);
- ``file``: ``assess_table`` on the file's path (read block by block by pyarrow, decided with NumPy);
- ``file + checks``: the same, then the checks every report includes (``violations``,
  ``jumps``, ``completeness``): what a report costs before its first row;
- ``file + json`` / ``file + csv`` / ``file + xlsx``: ``assess_table``, then the report
  written to a file with ``write_report`` (checks included);
- ``xlsx bare``: xlsxwriter alone, ``constant_memory``, writing as many rows of 16 cells
  (8 texts, 8 numbers): the floor of any xlsx report;
- ``cli json`` / ``cli csv``: ``tdplan report FILE -o out.json|csv``, end to end;
  ``cli stdout``: ``tdplan report FILE --format json`` to standard output (a file here).

The goals (docs/performance.md): the file and the reports at most 3x ``baseline``;
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

_REPORT = (
    "import tdplan\ncard = tdplan.assess_table(tdplan.load_plan(), PATH)\nmark('assess')\n"
    "card.violations, card.jumps, card.completeness\nmark('checks')\n"
    "tdplan.write_report(card, OUT + {!r})\nmark('write')\n"
)
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
        "card.violations, card.jumps, card.completeness\n"
    ),
    "file + json": _REPORT.format(".json"),
    "file + csv": _REPORT.format(".csv"),
    "file + xlsx": _REPORT.format(".xlsx"),
    "xlsx bare": (
        "import xlsxwriter\nrows = sum(1 for _ in open(PATH, encoding='utf-8')) - 1\n"
        "book = xlsxwriter.Workbook(OUT + '.xlsx', {'constant_memory': True})\nsheet = book.add_worksheet()\n"
        "for row in range(rows):\n"
        "    for column in range(16):\n"
        "        if column % 2:\n"
        "            sheet.write_number(row, column, row * 0.5)\n"
        "        else:\n"
        "            sheet.write_string(row, column, f'ô {row}')\n"
        "book.close()\n"
    ),
    "cli json": "from tdplan.cli.main import main\nmain(['report', PATH, '-o', OUT + '.json'])\n",
    "cli csv": "from tdplan.cli.main import main\nmain(['report', PATH, '-o', OUT + '.csv'])\n",
    "cli stdout": (
        "import io\nfrom tdplan.cli.main import main\n"
        "with open(OUT + '.json', 'w', encoding='utf-8') as out:\n"
        "    main(['report', PATH, '--format', 'json'], out, io.StringIO())\n"
    ),
}

_RUN = """
import json, resource, sys, time
PATH, OUT = sys.argv[1], sys.argv[2]
start = time.perf_counter()
marks = {{}}
def mark(name, last=[start]):
    now = time.perf_counter()
    marks[name], last[0] = now - last[0], now
{code}
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, json.dumps(marks))
"""


def write_table(path: Path, rows: int, units: bool = False) -> None:
    """``rows`` rows of level indicators with plausible values, years and communes; with ``units``, each value
    written with its indicator's unit after it (``16.5‰``, ``95.5%``), as Excel writes a percent cell to CSV."""
    random.seed(14)
    indicators = [("3", 30), ("4", 40), ("9", 100), ("10", 100), ("14", 100), ("22", 100), ("26", 100), ("28", 100)]
    communes = [f"Xã {number}" for number in range(1, 15)]
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("indicator,value,year,area\n")
        for _ in range(rows):
            indicator, top = random.choice(indicators)
            value = round(random.uniform(0, top), 1)
            unit = ("‰" if top < 100 else "%") if units else ""
            file.write(f"{indicator},{value}{unit},{random.randint(2021, 2030)},{random.choice(communes)}\n")


def run_case(code: str, path: Path, out: Path) -> tuple[float, int, dict[str, float]]:
    """(seconds, peak bytes, seconds of each marked part) of ``code`` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", _RUN.format(code=code), str(path), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak, marks = result.stdout.strip().split(" ", 2)
    return float(seconds), int(peak), json.loads(marks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000", help="row counts, comma-separated")
    default = "baseline,file,file + checks,file + json,file + csv,cli json,cli csv,cli stdout"
    parser.add_argument("--cases", default=default, help=f"cases to run, comma-separated, of: {', '.join(CASES)}")
    parser.add_argument("--units", action="store_true", help="values written with their unit: 16.5‰, 95.5%%")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for rows in (int(count) for count in args.rows.split(",")):
            path = Path(folder) / f"table-{rows}.csv"
            write_table(path, rows, args.units)
            size = path.stat().st_size
            baseline = None
            for name in args.cases.split(","):
                seconds, peak, parts = run_case(CASES[name], path, Path(folder) / "out")
                for written in Path(folder).glob("out.*"):
                    written.unlink()
                baseline = seconds if name == "baseline" else baseline
                ratio = f"{seconds / baseline:.2f}x baseline" if baseline else ""
                budget = 2 * size + 150 * 2**20
                verdict = "met" if peak <= budget else "NOT met"
                print(
                    f"{rows:>9,} rows ({size / 2**20:6.1f} MB)  {name:<14} {seconds:7.2f} s  {ratio:<17}"
                    f"peak {peak / 2**20:7.0f} MB (goal <= {budget / 2**20:.0f} MB: {verdict})"
                    + "".join(f"; {part} {taken:.2f} s" for part, taken in parts.items())
                )
                result = {"rows": rows, "bytes": size, "case": name, "seconds": seconds, "peak": peak}
                results.append(result | {"parts": parts})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
