"""When Dask pays: a national table as many files, assessed in one process and with Dask, and in bounded memory.

Run from the repository root with tdplan and its test extra installed (Dask's
``LocalCluster`` cases also need ``pip install distributed``; they are skipped without it):

    python benchmarks/dask_run.py                           # 40 files, 4,000,000 rows in all
    python benchmarks/dask_run.py --files 8 --rows 400000   # a quick look

It writes a national table as many files, one per group of communes, each as CSV
(values written ``16.5``) and as Parquet, to a temporary folder: every level indicator
without groups, years 2021–2031 (2031 is outside the plan: about one row in
eleven is a problem with its message), 3,300 communes. Then it runs each case in its own
interpreter, which reports the time of the work (imports excluded; a cluster's start-up,
with its workers' imports, printed apart; the processes scheduler starts its worker
processes within the work, as a user meets it), the CPU time it took in all (its own, its
worker processes' and a cluster's workers': on a machine busy with other work the wall
time runs well past the CPU time, which shows the work and Dask's own cost regardless),
its own peak resident memory (``ru_maxrss``: worker processes are not counted in it) and
the count of each status:

- one process, file after file: ``assess_table(path)`` on each CSV file; ``pandas.read_csv``
  or ``pandas.read_parquet`` and ``assess_frame`` on each file;
- no Dask: two forked processes (``multiprocessing``) sharing the files, the most two
  processes can gain on this machine;
- Dask: ``dd.read_csv`` or ``dd.read_parquet`` over all the files, ``map_partitions(assess_frame)``,
  the statuses counted, on the threads scheduler, the processes scheduler (2 workers) and a
  ``LocalCluster`` of 2 single-threaded worker processes;
- memory: the whole table read into one DataFrame and assessed at once, against Dask's
  synchronous scheduler assessing one file's partition at a time (all files, and a quarter
  of them: the peak does not grow with the table);
- work that is all CPU: a tenth of the files again with values as officers write them
  (``"16,5"``, which ``assess_frame`` reads row by row), in one process and on 2 workers.

Every case must count the same statuses (the script says so if not). It prints; it exits 0
either way. The figures and what they mean are in docs/performance.md ("Past one machine").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ONE_PROCESS_PATH = """
import collections, tdplan
plan = tdplan.load_plan()
start()
counts = collections.Counter()
for path in CSV:
    card = plan.assess_table(path)
    counts.update({status.value: number for status, number in card.counts.items()})
    counts["problem"] += len(card.problems)
done(counts)
"""

ONE_PROCESS_FRAMES = """
import collections, pandas, tdplan
plan = tdplan.load_plan()
start()
counts = collections.Counter()
for path in {files}:
    frame = pandas.{reader}(path)
    counts.update(tdplan.assess_frame(plan, frame)["status"].fillna("problem").value_counts().to_dict())
done(counts)
"""

POOL = """
import collections, multiprocessing, pandas, tdplan
plan = tdplan.load_plan()
def count(path):
    frame = pandas.{reader}(path)
    return tdplan.assess_frame(plan, frame)["status"].fillna("problem").value_counts().to_dict()
start()
counts = collections.Counter()
with multiprocessing.get_context("fork").Pool(2) as pool:  # forked: the imports and the plan are inherited
    for part in pool.imap_unordered(count, {files}):
        counts.update(part)
done(counts)
"""

WHOLE_TABLE = """
import pandas, tdplan
plan = tdplan.load_plan()
start()
frame = pandas.read_parquet(FOLDER / "parquet")
done(tdplan.assess_frame(plan, frame)["status"].fillna("problem").value_counts().to_dict())
"""

DASK = """
import dask, dask.dataframe as dd, tdplan
plan = tdplan.load_plan()
{setup}
start()
table = dd.{reader}({files}{options})
meta = tdplan.assess_frame(plan, table._meta)
scored = table.map_partitions(lambda part: tdplan.assess_frame(plan, part), meta=meta)
# split_out=1: one result partition; the default shuffles the statuses between the workers first
done(scored["status"].fillna("problem").value_counts(split_out=1).compute({compute}).to_dict())
"""

CLUSTER = """
from distributed import Client, LocalCluster
import time
began = time.perf_counter()
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
client = Client(cluster)
def warm():  # a cluster's workers live on: imports and the plan are ready before the work arrives
    import pandas, pyarrow.parquet, tdplan
    tdplan.load_plan().assess("3", 16, year=2025)
client.run(warm)
STARTUP = time.perf_counter() - began
WORKERS = client
"""


def dask_case(reader: str, files: str, setup: str = "", compute: str = "", options: str = "") -> str:
    return DASK.format(reader=reader, files=files, setup=setup, compute=compute, options=options)


THREADS = 'scheduler="threads", num_workers=2'
PROCESSES = 'scheduler="processes", num_workers=2'
SYNCHRONOUS = 'scheduler="synchronous"'
WHOLE_FILES = ", blocksize=None"  # a partition per file, as read_parquet makes

# Each case: (the files it reads: cases that read the same must count the same statuses; its code)
CASES = {
    "one process: assess_table(path), CSV file after file": ("all", ONE_PROCESS_PATH),
    "one process: read_csv + assess_frame, file after file": (
        "all",
        ONE_PROCESS_FRAMES.format(files="CSV", reader="read_csv"),
    ),
    "one process: read_parquet + assess_frame, file after file": (
        "all",
        ONE_PROCESS_FRAMES.format(files="PARQUET", reader="read_parquet"),
    ),
    "Dask threads (2): read_csv": ("all", dask_case("read_csv", "CSV", compute=THREADS, options=WHOLE_FILES)),
    "Dask processes (2): read_csv": ("all", dask_case("read_csv", "CSV", compute=PROCESSES, options=WHOLE_FILES)),
    "Dask LocalCluster (2 x 1): read_csv": ("all", dask_case("read_csv", "CSV", setup=CLUSTER, options=WHOLE_FILES)),
    "no Dask, 2 forked processes: read_csv": ("all", POOL.format(files="CSV", reader="read_csv")),
    "Dask threads (2): read_parquet": ("all", dask_case("read_parquet", "PARQUET", compute=THREADS)),
    "Dask processes (2): read_parquet": ("all", dask_case("read_parquet", "PARQUET", compute=PROCESSES)),
    "Dask LocalCluster (2 x 1): read_parquet": ("all", dask_case("read_parquet", "PARQUET", setup=CLUSTER)),
    "memory: whole table in one DataFrame": ("all", WHOLE_TABLE),
    "memory: Dask synchronous, a file at a time": ("all", dask_case("read_parquet", "PARQUET", compute=SYNCHRONOUS)),
    "memory: the same, a quarter of the files": (
        "quarter",
        dask_case("read_parquet", "PARQUET[: len(PARQUET) // 4]", compute=SYNCHRONOUS),
    ),
    "values written 16,5: one process, read_csv + assess_frame": (
        "16,5",
        ONE_PROCESS_FRAMES.format(files="CSV_VI", reader="read_csv"),
    ),
    "values written 16,5: no Dask, 2 forked processes": ("16,5", POOL.format(files="CSV_VI", reader="read_csv")),
    "values written 16,5: Dask LocalCluster (2 x 1)": (
        "16,5",
        dask_case("read_csv", "CSV_VI", setup=CLUSTER, options=WHOLE_FILES),
    ),
}

_RUN = """
import json, resource, sys, time
from pathlib import Path
FOLDER = Path(sys.argv[1])
CSV = sorted(str(path) for path in (FOLDER / "csv").glob("*.csv"))
PARQUET = sorted(str(path) for path in (FOLDER / "parquet").glob("*.parquet"))
CSV_VI = sorted(str(path) for path in (FOLDER / "csv-vi").glob("*.csv"))
STARTUP = 0.0
WORKERS = None  # a case's distributed Client
def cpu_time():  # this process, its children that ended (process pools), and a cluster's workers
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = sum(WORKERS.run(time.process_time).values()) if WORKERS is not None else 0.0
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + workers
def start():
    global began, cpu
    began, cpu = time.perf_counter(), cpu_time()
def done(counts):
    elapsed, used = time.perf_counter() - began, cpu_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    counts = {{str(key): int(value) for key, value in dict(counts).items()}}
    print(json.dumps({{"seconds": elapsed, "cpu": used, "startup": STARTUP, "peak": peak, "counts": counts}}))
{code}
"""


def write_tables(folder: Path, rows: int, files: int) -> int:
    """The national table as ``files`` CSV and Parquet files of about ``rows / files`` rows; the bytes of CSV."""
    import numpy as np
    import pandas as pd

    import tdplan

    plan = tdplan.load_plan()
    level = [
        indicator
        for indicator in plan.indicators
        if indicator.targets[0].kind is tdplan.TargetKind.LEVEL and not indicator.disaggregations[0]
    ]
    ids = np.array([indicator.id for indicator in level], dtype=object)
    tops = np.array([float(indicator.targets[0].threshold) * 2 for indicator in level])
    tops = np.minimum(tops, [float(indicator.targets[0].unit.whole or 100) for indicator in level])
    communes = np.array([f"Xã {number:04d}" for number in range(1, 3301)], dtype=object)
    rng = np.random.default_rng(14)
    for kind in ("csv", "parquet", "csv-vi"):
        (folder / kind).mkdir()
    size = 0
    for number, group in enumerate(np.array_split(communes, files)):
        count = rows // files
        which = rng.integers(0, len(ids), count)
        frame = pd.DataFrame(
            {
                "area": group[rng.integers(0, len(group), count)],
                "indicator": ids[which],
                "year": rng.integers(2021, 2032, count),
                "value": np.round(rng.uniform(0, tops[which]), 1),
            }
        )
        csv = folder / "csv" / f"part-{number:03d}.csv"
        frame.to_csv(csv, index=False)
        frame.to_parquet(folder / "parquet" / f"part-{number:03d}.parquet", index=False)
        if number < max(2, files // 10):  # a tenth of the files again, as officers write values: "16,5"
            frame.to_csv(folder / "csv-vi" / f"part-{number:03d}.csv", index=False, decimal=",")
        size += csv.stat().st_size
    return size


def run_case(code: str, folder: Path) -> dict[str, object]:
    """The case's report (seconds, startup, peak bytes, counts) from a fresh interpreter."""
    result = subprocess.run([sys.executable, "-c", _RUN.format(code=code), str(folder)], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the case failed:\n{result.stderr}")
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4_000_000, help="rows in all (default 4,000,000)")
    parser.add_argument("--files", type=int, default=40, help="files (default 40)")
    parser.add_argument("--cases", default="", help="cases to run, separated by semicolons (default: all)")
    args = parser.parse_args()
    try:
        import distributed  # noqa: F401 - only whether it is there
    except ImportError:
        cluster = False
    else:
        cluster = True
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    names = [name.strip() for name in args.cases.split(";")] if args.cases else list(CASES)
    results = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        size = write_tables(folder, args.rows, args.files)
        print(f"{args.rows:,} rows in {args.files} files: {size / 2**20:.0f} MB of CSV")
        expected: dict[str, object] = {}
        for case in names:
            if "LocalCluster" in case and not cluster:
                print(f"{case:<58} skipped: pip install distributed")
                continue
            table, code = CASES[case]
            report = run_case(code, folder)
            counts = report["counts"]
            same = expected.setdefault(table, counts) == counts
            startup = f" (+ {report['startup']:.1f} s start-up)" if report["startup"] else ""
            print(
                f"{case:<58} {report['seconds']:6.2f} s{startup:<22} CPU {report['cpu']:6.2f} s"
                f"   peak {int(report['peak']) / 2**20:5.0f} MB"
                f"{'' if same else '   COUNTS DIFFER: ' + json.dumps(counts)}"
            )
            results.append({"case": case, **report})
        print(f"statuses, by the files read: {json.dumps(expected, ensure_ascii=False)}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
