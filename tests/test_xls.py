"""Excel 97-2003 workbooks (.xls), read by xlrd as an .xlsx is read by openpyxl: the same table, cell for cell."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import tdplan
from conftest import titled_sheet
from tdplan.analysis.cells import Measured
from tdplan.analysis.reading import read_table

pytest.importorskip("xlrd")

PLAN = tdplan.load_plan()
SAVED = Path(__file__).parent / "data" / "bang-so-lieu-2003.xls"
"""The workbook :func:`xls_source` makes, saved as .xls by LibreOffice 7.4 (``soffice --headless --convert-to xls``)."""


def xls_source(path: Path) -> Path:
    """An officer's workbook: a cover sheet, a merged title, blank rows, % cells, a date, a time, a tick, text."""
    book, sheet = titled_sheet(["STT", "Xã, thị trấn", "Mã chỉ tiêu", "Năm", "Giá trị", "Ngày báo cáo", "Ghi chú"])
    sheet.append([1, "Bản Bo", "9", 2025, 0.962, dt.date(2025, 12, 31), True])
    sheet["E4"].number_format = "0.0%"
    sheet.append([2, "Bản Bo", "14", "2025", 1, dt.time(10, 30), "đã kiểm tra"])
    sheet["E5"].number_format = "0%"
    sheet["F5"].number_format = "hh:mm"
    sheet.append([])
    sheet.append([3, "Bình Lư", "3", 2025, "16,5‰", None, 2.5])
    sheet.append([4, "Bình Lư", "3", 2026, 17])
    book.save(path)
    return path


class TestRead:
    """The .xls gives the table its .xlsx gives."""

    def test_cells_as_shown(self) -> None:
        """Whole numbers are ints, % cells the percentages they show, a date a date, a time its text, a tick a bool."""
        names, rows, numbers = read_table(SAVED)
        assert ["STT", "Xã, thị trấn", "Mã chỉ tiêu", "Năm", "Giá trị", "Ngày báo cáo", "Ghi chú"] == names
        assert [4, 5, 7, 8] == numbers  # the rows Excel shows: the title, a blank and the header above, a blank row
        first = {
            "STT": 1,
            "Năm": 2025,
            "Giá trị": Measured(Decimal("96.2"), "%"),
            "Ngày báo cáo": dt.date(2025, 12, 31),
        }
        assert first == {name: rows[0][name] for name in first}
        assert rows[0]["Ghi chú"] is True
        assert (Measured(Decimal("100"), "%"), "10:30", "2025") == (
            rows[1]["Giá trị"],
            rows[1]["Ngày báo cáo"],
            rows[1]["Năm"],
        )
        assert ("16,5‰", None, 2.5) == (rows[2]["Giá trị"], rows[2]["Ngày báo cáo"], rows[2]["Ghi chú"])
        assert (2026, 17) == (rows[3]["Năm"], rows[3]["Giá trị"])

    def test_same_as_xlsx(self, tmp_path: Path) -> None:
        """The .xls and the .xlsx it was saved from give one table: names, cells and row numbers."""
        assert read_table(xls_source(tmp_path / "bang.xlsx")) == read_table(SAVED)

    def test_assessed(self) -> None:
        """96,2 % against at least 97,2 % is not met; 100 % against at least 98 % is met; 16,5‰ below 18‰ is met."""
        statuses = [row.status for row in tdplan.assess_table(PLAN, SAVED).rows[:3]]
        assert [tdplan.Status.NOT_MET, tdplan.Status.MET, tdplan.Status.MET] == statuses

    @pytest.mark.parametrize("name", ["bang.xlsx", "bang.XLS"])
    def test_name_does_not_matter(self, tmp_path: Path, name: str) -> None:
        """An .xls renamed .xlsx (Excel would open it) is read by what it is."""
        path = tmp_path / name
        shutil.copyfile(SAVED, path)
        assert read_table(SAVED) == read_table(path)

    def test_xlsx_named_xls(self, tmp_path: Path) -> None:
        """And an .xlsx saved with the name .xls (openpyxl refuses the name) too."""
        path = tmp_path / "bang.xls"
        shutil.copyfile(xls_source(tmp_path / "bang.xlsx"), path)
        assert read_table(SAVED) == read_table(path)

    def test_sheet_named(self) -> None:
        """sheet= names an .xls's sheet as an .xlsx's: the cover's one cell is its header, with no rows under it."""
        assert (["Báo cáo năm 2025"], [], []) == read_table(SAVED, sheet="Bìa")


class TestRefused:
    """An .xls that cannot be read is a PlanFileError saying so, never xlrd's own error."""

    def test_cut_short(self, tmp_path: Path) -> None:
        """An .xls cut in half (a copy that stopped): unreadable_workbook, with what to do."""
        path = tmp_path / "bang.xls"
        data = SAVED.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        with pytest.raises(tdplan.PlanFileError) as caught:
            tdplan.assess_table(PLAN, path)
        assert "unreadable_workbook" == caught.value.code
        assert caught.value.message("vi").endswith(
            "không phải tệp Excel đọc được: hãy lưu lại dưới dạng 'Excel Workbook (.xlsx)'"
        )

    def test_sector_loop(self, tmp_path: Path) -> None:
        """A mini stream whose chain of sectors loops back to its start (one byte damaged): unreadable_workbook, at
        once. xlrd's own reader of the container followed such a loop forever (run apart, so that a loop cannot
        hang the tests)."""
        data = bytearray(SAVED.read_bytes())
        first_minifat = int.from_bytes(data[0x3C:0x40], "little")  # the header's first sector of the mini FAT
        at = 512 + first_minifat * 512 + 7 * 4  # its eighth entry: the mini sector after the seventh
        assert 8 == int.from_bytes(data[at : at + 4], "little")
        data[at : at + 4] = (0).to_bytes(4, "little")  # back to the first
        path = tmp_path / "bang.xls"
        path.write_bytes(data)
        code = (
            "import sys, tdplan\ntry:\n    tdplan.assess_table(tdplan.load_plan(), sys.argv[1])\n"
            "except tdplan.PlanFileError as error:\n    print(error.code)\n"
        )
        result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
        assert ("unreadable_workbook\n", "") == (result.stdout, result.stderr)

    def test_directory_loop(self, tmp_path: Path) -> None:
        """A directory entry that is its own sibling (xlrd recursed until a RecursionError): the workbook's stream is
        whole, so its table is read."""
        data = bytearray(SAVED.read_bytes())
        first_directory = int.from_bytes(data[0x30:0x34], "little")
        entry = 512 + first_directory * 512 + 128  # the first entry after the root's
        data[entry + 0x44 : entry + 0x48] = (1).to_bytes(4, "little")  # its left sibling: itself
        path = tmp_path / "bang.xls"
        path.write_bytes(data)
        assert read_table(SAVED) == read_table(path)

    def test_quiet(self, tmp_path: Path) -> None:
        """xlrd's warnings (a file whose size is not a whole number of sectors) never reach the output: ``tdplan
        report bang.xls --format json`` wrote one above the JSON, which no JSON reader could then read."""
        path = tmp_path / "bang.xls"
        path.write_bytes(SAVED.read_bytes() + bytes(100))
        command = [sys.executable, "-m", "tdplan", "report", str(path), "--format", "json"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
        assert 4 == len(json.loads(result.stdout)["rows"])
        assert "WARNING" not in result.stderr

    def test_named_csv(self, tmp_path: Path) -> None:
        """An .xls named .csv: rename it (read as text, it failed on a byte nobody could find)."""
        path = tmp_path / "bang.csv"
        shutil.copyfile(SAVED, path)
        with pytest.raises(tdplan.PlanFileError) as caught:
            tdplan.assess_table(PLAN, path)
        expected = f"{path}: đây là tệp Excel 97-2003 (.xls) nhưng tên lại có đuôi .csv: hãy đổi tên cho đuôi là .xls"
        assert ("misnamed_workbook", expected) == (caught.value.code, caught.value.message("vi"))

    def test_without_xlrd(self, tmp_path: Path) -> None:
        """Without xlrd, an .xls is a MissingDependencyError naming the extra that installs it."""
        code = (
            "import sys; sys.modules['xlrd'] = None; import tdplan\n"
            "try:\n    tdplan.assess_table(tdplan.load_plan(), sys.argv[1])\n"
            "except tdplan.MissingDependencyError as error:\n    print(error.message('vi'))\n"
        )
        result = subprocess.run([sys.executable, "-c", code, str(SAVED)], capture_output=True, text=True, check=True)
        assert "pip install 'tdplan[excel]'" in result.stdout
        assert "xlrd" in result.stdout
