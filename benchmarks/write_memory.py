"""Where the memory of writing a large table's JSON or CSV report goes: the writing's own peak, by phase.

Run from the repository root with tdplan and its test extra installed (Linux: it reads
``/proc/self/status``):

    python benchmarks/write_memory.py                      # 100,000 and 1,000,000 rows, JSON and CSV
    python benchmarks/write_memory.py --rows 5000000 --formats json

For each size it writes the table of ``benchmarks/large_tables.py`` to a temporary folder,
then, for each format, in a fresh interpreter: ``assess_table(path)`` and the checks, then
``write_report(card, "out.json"|"out.csv")`` with a thread sampling the resident memory
every 2 ms and the report's phases marked (the head's row numbers by indicator, the
roll-ups, the rows, the tail). It prints the resident memory before writing, the peak of
each phase above it, and the writing's wall and CPU time; with ``--python``, in a second run, the peak of the
Python objects (and NumPy arrays) ``tracemalloc`` sees while writing. The goal
(docs/performance.md): the whole report's peak at most 2x the file's size + 150 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from large_tables import write_table

_RUN = """
import functools, json, resource, sys, threading, time
PATH, FORMAT, OUT, PYTHON = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"

def rss():
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * resource.getpagesize()

import tdplan
card = tdplan.assess_table(tdplan.load_plan(), PATH)
card.violations, card.jumps, card.completeness
from tdplan.analysis import scorecard
from tdplan.reports import joining, json_format, csv_format
phase = ["head"]
peaks = {}

def mark(name, function):
    @functools.wraps(function)
    def marked(*args, **kwargs):
        before, phase[0] = phase[0], name
        try:
            return function(*args, **kwargs)
        finally:
            phase[0] = "tail" if name == "rows" else before
    return marked

json_format.assessed_by_indicator = mark("row numbers", json_format.assessed_by_indicator)
scorecard.Scorecard.rollup = mark("roll-ups", scorecard.Scorecard.rollup)
json_format.write_chunks = csv_format.write_chunks = mark("rows", joining.write_chunks)
base = rss()
stop = []

def sample():
    while not stop:
        peaks[phase[0]] = max(peaks.get(phase[0], 0), rss())
        time.sleep(0.002)

if PYTHON:
    import tracemalloc
    tracemalloc.start()
else:
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
cpu, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
tdplan.write_report(card, OUT + "." + FORMAT)
seconds, done = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
stop.append(True)
result = {"base": base, "peaks": peaks, "seconds": seconds,
          "cpu": done.ru_utime + done.ru_stime - cpu.ru_utime - cpu.ru_stime}
if PYTHON:
    result["python"] = tracemalloc.get_traced_memory()[1]
print(json.dumps(result))
"""


def run(path: Path, fmt: str, out: Path, python: bool) -> dict[str, Any]:
    """What one fresh interpreter measured while writing ``path``'s report in ``fmt``."""
    command = [sys.executable, "-c", _RUN, str(path), fmt, str(out), "1" if python else "0"]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    for written in out.parent.glob(out.name + ".*"):
        written.unlink()
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000", help="row counts, comma-separated")
    parser.add_argument("--formats", default="json,csv", help="json, csv or both, comma-separated")
    parser.add_argument("--python", action="store_true", help="also the Python objects' peak (tracemalloc, slower)")
    args = parser.parse_args()
    mb = 2**20
    with tempfile.TemporaryDirectory() as folder:
        for rows in (int(count) for count in args.rows.split(",")):
            path = Path(folder) / f"table-{rows}.csv"
            write_table(path, rows)
            for fmt in args.formats.split(","):
                found = run(path, fmt, Path(folder) / "out", False)
                base = found["base"]
                phases = "; ".join(f"{name} +{(peak - base) / mb:.0f}" for name, peak in found["peaks"].items())
                line = (
                    f"{rows:>9,} rows {fmt:<4} before writing {base / mb:4.0f} MB; peak above it by phase (MB): "
                    f"{phases}; "
                    f"{found['seconds']:.2f} s ({found['cpu']:.2f} s CPU)"
                )
                if args.python:
                    python = run(path, fmt, Path(folder) / "out", True)["python"]
                    line += f"; Python objects at most {python / mb:.0f} MB"
                print(line)


if __name__ == "__main__":
    main()
