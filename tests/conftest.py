"""Test configuration: a reproducible hypothesis profile for CI; the web service as a subprocess."""

import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import settings

import tdplan

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class Server:
    """A `tdplan serve` subprocess on a free port of 127.0.0.1, with its standard error in a file."""

    def __init__(self, folder: Path, *options: str, env: dict[str, str] | None = None) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "server.log"
        command = [sys.executable, "-m", "tdplan", "serve", "--port", str(self.port), *options]
        environment = {**os.environ, **(env or {})}
        environment.pop("TDPLAN_SERVICE", None)
        self.process = subprocess.Popen(command, stderr=self.log.open("wb"), stdout=subprocess.DEVNULL, env=environment)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text('utf-8')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start in 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def plans_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the example commune plan and a file that is not a plan."""
    folder = tmp_path_factory.mktemp("plans")
    shutil.copy(EXAMPLES / "plans" / "xa-vi-du-2026-2030.toml", folder)
    (folder / "hong.toml").write_text('tdplan = 1\nid = "hong"\n', "utf-8")
    return folder


@pytest.fixture(scope="session")
def server(plans_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service as `tdplan serve --plans DIR` starts it, with no token."""
    pytest.importorskip("litestar")
    running = Server(tmp_path_factory.mktemp("server"), "--plans", str(plans_folder))
    yield running
    running.stop()


def write_odd_table(
    path: Path, rows: int, notation: str, odd: list[str], *, seed: int = 14, numbered: bool = False
) -> None:
    """A large table's CSV file of ``rows`` rows: mostly plain, with ``odd`` cells (a format's hard ones), problems,
    units, groups and notes among them; ``numbered`` adds an ``STT`` column (some cells empty) and, at row 778, a
    note of 25,000 characters. Written with CRLF line ends, as Excel writes CSV."""
    generator = random.Random(seed)

    def odd_cell() -> str:
        return generator.choice(odd) + generator.choice(["", " x", ", y", '"'])

    sign = "," if notation == "vi" else "."
    lines = ["indicator,value,year,area,unit,residence,ghi chú" + (",STT" if numbered else "")]
    for number in range(rows):
        indicator = generator.choice(["3", "3", "9", "10", "14", "28", "8", "99"])
        top = 30 if indicator == "3" else 100
        value = f"{generator.randint(0, top * 10) // 10}{sign}{generator.randint(0, 9)}"
        roll = generator.random()
        unit = ""
        if roll < 0.03:
            value = generator.choice([f"16{sign}5‰", "1.234", "abc", "-1", "1e5", "101", "0" + sign + "5", ""])
        elif roll < 0.05:
            value = f"0{sign}{generator.randint(0, 9)}"  # below 1: a note for a % target of 90 or more
        elif roll < 0.07:
            unit = generator.choice(["%", "‰", "phần trăm"])
        elif roll < 0.08:
            value = generator.choice(["16" + sign + "50", "0" + sign + "00", "7", "17" + sign + "99999999999999999"])
        year = str(generator.choice([2021, 2024, 2025, 2030, 2035] if generator.random() < 0.1 else [2025, 2026]))
        area = odd_cell() if generator.random() < 0.2 else f"Xã {generator.randint(1, 14)}"
        residence = generator.choice(["rural", "urban", "city"]) if indicator == "8" else ""
        note = odd_cell() if generator.random() < 0.5 else "ghi chú " * generator.randint(0, 9)
        cells = [indicator, value, year, area, unit, residence, note]
        if numbered:
            if number == 777:
                cells[-1] = "dài " * 5000  # longer than xlsxwriter writes without a check: the row is xlsxwriter's
            cells.append(str(number + 1) if number % 3 else "")
        lines.append(",".join('"' + cell.replace('"', '""') + '"' for cell in cells))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def scalar_card(card: tdplan.Scorecard) -> tdplan.Scorecard:
    """The same scorecard with every row built by the scalar path, which the writers lay out one by one."""
    return attrs.evolve(card, rows=tuple(card.rows))


def workbook_parts(workbook: bytes | Path) -> dict[str, bytes]:
    """The parts of an xlsx file (its bytes or its path), but its creation time: what two writings of one
    workbook must share."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(workbook) if isinstance(workbook, bytes) else workbook) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def titled_sheet(header: list[str]) -> tuple[Any, Any]:
    """A workbook as officers make one, before its rows: a cover sheet, then a sheet "Số liệu" with a merged title,
    a blank row and ``header`` (row 3). Returns (the openpyxl workbook, that sheet)."""
    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Bìa"
    cover["A1"] = "Báo cáo năm 2025"
    sheet = book.create_sheet("Số liệu")
    sheet.append(["BÁO CÁO SỐ LIỆU TRẺ EM XÃ BẢN BO NĂM 2025"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([])
    sheet.append(header)
    return book, sheet
