"""Excel in and out, measured: reading and writing 100,000-row workbooks, against openpyxl and xlsxwriter alone.

Run from the repository root with tdplan's test extra installed:

    python benchmarks/excel.py                 # 100,000 rows (about a minute)
    python benchmarks/excel.py --rows 20000    # quicker

Each figure is a ratio taken in one run, on one machine, against the library tdplan
uses doing the bare job on the same data (docs/performance.md#excel):

- reading: ``tdplan.analysis.excel.read_workbook`` (header found, cells read as shown,
  rows as dicts) against openpyxl's read-only mode collecting the same rows' values;
- writing: the ``xlsx`` report of the assessed table against xlsxwriter's
  ``constant_memory`` mode writing the same number of cells;
- bounded memory: the writer's peak at the full size against its peak at a tenth of it.

Peak memory is measured with tracemalloc (Python allocations), in a pass of its own.
The script prints; it changes nothing but a temporary folder, and exits 0 either way.
"""

from __future__ import annotations

import argparse
import gc
import platform
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter

import tdplan
from tdplan.analysis.excel import read_workbook
from tdplan.reports.render import write_report

INDICATORS = [("3", "16,5"), ("9", 97.5), ("21", 99.95), ("8", 0.05), ("15", 45)]
AREAS = ["Bản Bo", "Bình Lư", "Khun Há", "Tả Lèng", "Nà Tăm"]


def make_workbook(path: Path, rows: int) -> None:
    """An officer's table of ``rows`` rows: title row, Vietnamese headers, numbers and text values."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Số liệu")
    sheet.append(["BÁO CÁO SỐ LIỆU TRẺ EM"])
    sheet.append(["STT", "Xã, thị trấn", "Mã chỉ tiêu", "Năm", "Giá trị", "Khu vực"])
    for number in range(rows):
        indicator, value = INDICATORS[number % len(INDICATORS)]
        residence = "nông thôn" if indicator == "8" else None
        sheet.append([number + 1, AREAS[number % len(AREAS)], indicator, 2025, value, residence])
    book.save(path)


def bare_read(path: Path) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return rows


def bare_write(path: Path, rows: int, columns: int) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    for row in range(rows):
        for column in range(columns):
            if column % 2:
                sheet.write_number(row, column, row * 0.5)
            else:
                sheet.write_string(row, column, f"ô {row}")
    book.close()


def timed(function: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def peak(function: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    function()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def line(name: str, value: str) -> None:
    print(f"{name:<58} {value:>14}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    print(
        f"python {platform.python_version()}, {platform.machine()}, openpyxl {openpyxl.__version__}, "
        f"xlsxwriter {xlsxwriter.__version__}; {rows:,} rows"
    )
    plan = tdplan.load_plan()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bang.xlsx"
        make_workbook(source, rows)
        ours, theirs = timed(lambda: read_workbook(source)), timed(lambda: bare_read(source))
        line("read: tdplan read_workbook", f"{ours:.2f} s")
        line("read: openpyxl read-only, values collected", f"{theirs:.2f} s")
        line("read time ratio tdplan / openpyxl", f"{ours / theirs:.2f}")
        ours_peak, theirs_peak = peak(lambda: read_workbook(source)), peak(lambda: bare_read(source))
        line("read peak memory: tdplan / openpyxl", f"{ours_peak / 2**20:.0f} / {theirs_peak / 2**20:.0f} MiB")
        line("read memory ratio tdplan / openpyxl", f"{ours_peak / theirs_peak:.2f}")

        card = plan.assess_table(source)
        tenth_source = Path(folder) / "tenth.xlsx"
        make_workbook(tenth_source, rows // 10)
        small = plan.assess_table(tenth_source)
        assert not card.problems, card.problems[:3]
        report = Path(folder) / "bao-cao.xlsx"
        cells = Path(folder) / "bare.xlsx"
        width = 16 + len(card.ignored_columns)
        ours = timed(lambda: write_report(card, report))
        theirs = timed(lambda: bare_write(cells, rows, width))
        line("write: tdplan xlsx report", f"{ours:.2f} s")
        line(f"write: xlsxwriter constant_memory, {width} cells a row", f"{theirs:.2f} s")
        line("write time ratio tdplan / xlsxwriter", f"{ours / theirs:.2f}")
        ours_peak, theirs_peak = peak(lambda: write_report(card, report)), peak(lambda: bare_write(cells, rows, width))
        line("write peak memory: tdplan / xlsxwriter", f"{ours_peak / 2**20:.1f} / {theirs_peak / 2**20:.1f} MiB")
        line("write memory ratio tdplan / xlsxwriter", f"{ours_peak / theirs_peak:.2f}")
        tenth = peak(lambda: write_report(small, Path(folder) / "small.xlsx"))
        line(f"write peak memory at {rows // 10:,} rows", f"{tenth / 2**20:.1f} MiB")
        line("write memory ratio full size / a tenth (1: bounded)", f"{ours_peak / tenth:.2f}")


if __name__ == "__main__":
    main()
