"""Excel in and out: workbooks read as officers make them, the workbook report, the data-entry template."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import tdplan
from conftest import titled_sheet
from tdplan.analysis.cells import Measured
from tdplan.analysis.excel import cell_value
from tdplan.cli.main import main
from tdplan.reports.render import format_for, render, write_report
from tdplan.reports.template import template_rows, write_template

PLAN = tdplan.load_plan()


def officer_workbook(path: Path) -> Path:
    """A workbook as an officer makes one: a cover sheet, a merged title, blank rows, a % cell, numbers as text."""
    book, sheet = titled_sheet(["STT", "Xã, thị trấn", "Mã chỉ tiêu", "Chỉ tiêu", "Năm", "Tỷ lệ (%)", "Ghi chú"])
    sheet.append([1, "Bản Bo", "9", "Tiêm chủng đầy đủ", 2025, 0.962])  # row 4, shown as 96,2 %
    sheet["F4"].number_format = "0.0%"
    sheet.append([2, "Bản Bo", "9", "Tiêm chủng đầy đủ", "Năm 2025", "97,5"])  # row 5: a number stored as text
    sheet.append([])  # row 6: empty
    sheet.append([3, "Bình Lư", 3, "Tử vong sơ sinh", 2025, "abc", "ghi chú"])  # row 7: a problem
    book.save(path)
    return path


class TestCells:
    """A cell as the officer sees it."""

    def test_percent_cell(self) -> None:
        """0,962 formatted as a percentage is 96,2 %."""
        assert Measured(Decimal("96.2"), "%") == cell_value(0.962, "0.0%")

    def test_whole_percent(self) -> None:
        """1 formatted as 0% is 100 %, not 1E+2."""
        assert "100%" == str(cell_value(1, "0%"))

    def test_quoted_percent_sign_is_text(self) -> None:
        """A % in quotes is a literal sign: the number is not scaled."""
        assert 96.2 == cell_value(96.2, '0.0" %"')

    def test_date(self) -> None:
        """A date cell is a date."""
        assert dt.date(2025, 6, 30) == cell_value(dt.datetime(2025, 6, 30))

    def test_time_of_day(self) -> None:
        """A time of day or a duration is text, as the sheet shows it, so that its problem quotes it so."""
        assert ("10:30", "1 day, 2:00:00") == (cell_value(dt.time(10, 30)), cell_value(dt.timedelta(days=1, hours=2)))

    def test_problems_quote_cells_as_shown(self, tmp_path: Path) -> None:
        """A row problem quotes TRUE and a date as the sheet shows them, never Python's True or datetime.date."""
        book = openpyxl.Workbook()
        book.active.append(["Mã chỉ tiêu", "Giá trị", "Năm"])
        book.active.append(["3", True, 2025])
        book.active.append(["3", 16, dt.datetime(2025, 1, 31)])
        book.save(tmp_path / "o.xlsx")
        problems = PLAN.assess_table(tmp_path / "o.xlsx").problems
        assert [
            "'TRUE' không phải là giá trị đo được: hãy ghi một số",
            "'31/01/2025' không phải là năm: hãy viết như 2025",
        ] == [problem.message("vi") for problem in problems]


class TestReading:
    """`.xlsx` wherever a CSV is accepted."""

    def test_officer_workbook(self, tmp_path: Path) -> None:
        """The sheet with the columns is found; rows keep Excel's numbers; 96,2 % < 97,2 %: not met."""
        card = PLAN.assess_table(officer_workbook(tmp_path / "bang.xlsx"))
        assert [4, 5, 7] == [row.row for row in card.rows]
        assert ["NOT_MET", "MET", None] == [row.status.name if row.status else None for row in card.rows]
        assert Decimal("96.2") == card.rows[0].assessment.value  # type: ignore[union-attr]
        assert ("STT", "Chỉ tiêu", "Ghi chú") == card.ignored_columns

    def test_sheet_option(self, tmp_path: Path) -> None:
        """sheet= names the sheet; an unknown one is an error listing the sheets."""
        path = officer_workbook(tmp_path / "bang.xlsx")
        assert 3 == len(PLAN.assess_table(path, sheet="Số liệu").rows)
        with pytest.raises(tdplan.InputTypeError, match="'Bìa', 'Số liệu'"):
            PLAN.assess_table(path, sheet="Trang 3")

    def test_likely_fraction(self, tmp_path: Path) -> None:
        """A plain 0,962 for a 97,2 % target is assessed as given, with a note that it looks like a fraction."""
        book = openpyxl.Workbook()
        book.active.append(["Chỉ tiêu", "Năm", "Giá trị"])
        book.active.append(["9", 2025, 0.962])
        book.save(tmp_path / "b.xlsx")
        row = PLAN.assess_table(tmp_path / "b.xlsx").rows[0]
        assert (Decimal("0.962"), 1) == (row.assessment.value, len(row.notes))  # type: ignore[union-attr]
        assert "0,962" in row.notes[0].text("vi")

    def test_not_a_workbook(self, tmp_path: Path) -> None:
        """A file named .xlsx that is not one, nor any kind tdplan names (tests/test_file_kinds.py), is refused with
        what to do."""
        path = tmp_path / "bang.xlsx"
        path.write_bytes(b"\x00\x01 not a zip file")
        with pytest.raises(tdplan.PlanFileError, match="Excel Workbook"):
            PLAN.assess_table(path)


def cells(data: bytes, sheet: int) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


class TestReport:
    """The workbook report: summary, every row, problems."""

    CARD = PLAN.assess_table(
        [
            {"Chỉ tiêu": "3", "Năm": 2025, "Xã": "Bản Bo", "Giá trị": "16,5"},
            {"Chỉ tiêu": "3", "Năm": 2025, "Xã": "Khun Há", "Tử số": 18, "Mẫu số": 1000},
            {"Chỉ tiêu": "9", "Năm": 2025, "Xã": '=HYPERLINK("http://x")', "Giá trị": "abc"},
        ]
    )

    def test_sheets(self) -> None:
        """Four sheets, named in the report's language."""
        book = openpyxl.load_workbook(io.BytesIO(render(self.CARD, "xlsx")))
        assert ["Tổng hợp", "Từng dòng", "Dòng có lỗi", "Kiểm tra số liệu"] == book.sheetnames

    def test_rows_are_numbers(self) -> None:
        """Values, margins and counts are numbers; the status is worded."""
        rows = cells(render(self.CARD, "xlsx", lang="en"), 1)
        heading = rows[0]
        first = dict(zip(heading, rows[1], strict=False))
        second = dict(zip(heading, rows[2], strict=False))
        assert (16.5, 1.5, "✓ met") == (first["Value"], first["Margin"], first["Result"])
        assert (18, 1000, 18) == (second["Numerator"], second["Denominator"], second["Value"])

    def test_no_formulas(self) -> None:
        """A cell that starts with = is text, never a formula."""
        book = openpyxl.load_workbook(io.BytesIO(render(self.CARD, "xlsx")))
        found = [
            cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
        ]
        assert [] == found

    def test_layout(self) -> None:
        """Frozen header, filter, landscape, header repeated when printed."""
        sheet = openpyxl.load_workbook(io.BytesIO(render(self.CARD, "xlsx"))).worksheets[1]
        assert ("A2", "A1:Q4", "landscape", "1:1") == (
            sheet.freeze_panes,
            sheet.auto_filter.ref,
            sheet.page_setup.orientation,
            sheet.print_title_rows.replace("$", ""),
        )

    def test_write_report_atomically(self, tmp_path: Path) -> None:
        """write_report writes the file its suffix names and leaves no temporary file."""
        path = write_report(self.CARD, tmp_path / "bao-cao.xlsx")
        assert (["bao-cao.xlsx"], b"PK") == (sorted(p.name for p in tmp_path.iterdir()), path.read_bytes()[:2])

    def test_unknown_suffix(self) -> None:
        """A suffix that names no format is an error listing them."""
        with pytest.raises(tdplan.InputTypeError, match=r"\.xlsx"):
            format_for("bao-cao.xls")


class TestCommand:
    """`tdplan report … -o bao-cao.xlsx` and `tdplan template`."""

    def run(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), out, err), out.getvalue(), err.getvalue()

    def test_report_xlsx(self, tmp_path: Path) -> None:
        """The report is written, and one line says so."""
        table = officer_workbook(tmp_path / "bang.xlsx")
        out = tmp_path / "bao-cao.xlsx"
        status, _, err = self.run("report", str(table), "-o", str(out))
        assert 1 == status  # row 7 has a problem
        assert err.startswith(f"Đã ghi báo cáo: {out} (3 dòng)\n")
        assert out.read_bytes()[:2] == b"PK"

    def test_unknown_suffix_exit_2(self, tmp_path: Path) -> None:
        """`-o bao-cao.xls` is an error with exit status 2, and nothing is written."""
        table = officer_workbook(tmp_path / "bang.xlsx")
        status, _, err = self.run("report", str(table), "-o", str(tmp_path / "bao-cao.xls"))
        assert (2, False) == (status, (tmp_path / "bao-cao.xls").exists())
        assert ".xlsx" in err

    def test_template_round_trip(self, tmp_path: Path) -> None:
        """Template → filled with openpyxl → report: every filled value is assessed, nothing else is a row."""
        path = tmp_path / "mau.xlsx"
        status, _, err = self.run("template", "-o", str(path), "--year", "2026", "--areas", "Bản Bo,Bình Lư")
        # 28 indicators with one target group (18 left out: a series), 8 and 20 with two: 32 rows per area.
        assert (0, "Đã ghi mẫu nhập liệu: " + str(path) + " (64 dòng)\n") == (status, err)
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        heading = [cell.value for cell in sheet[3]]
        column = {name: index + 1 for index, name in enumerate(heading)}
        filled = 0
        for at in range(4, sheet.max_row + 1):
            indicator = sheet.cell(at, column["Mã chỉ tiêu"]).value
            if indicator == "3":
                sheet.cell(at, column["Giá trị"]).value = 14.5  # < 15‰ (2030): ahead of the milestone
                filled += 1
            elif indicator == "9":
                sheet.cell(at, column["Tử số"]).value = 98
                sheet.cell(at, column["Mẫu số"]).value = 100
                filled += 1
            elif indicator == "8" and sheet.cell(at, column["Khu vực"]).value == "nông thôn":
                sheet.cell(at, column["Giá trị"]).value = 0.05
                filled += 1
        book.save(path)
        card = PLAN.assess_table(path)
        assert (6, filled, 0) == (len(card.rows), len(card.assessments), len(card.problems))
        by_indicator = {(a.indicator.id, row.area): a.status.name for row in card.rows if (a := row.assessment)}
        assert "AHEAD" == by_indicator[("3", "Bản Bo")]
        assert "AHEAD" == by_indicator[("8", "Bình Lư")]  # 0,05 % is already below the plan's 0,1 % for 2030

    def test_template_validation_and_protection(self, tmp_path: Path) -> None:
        """Values are checked by Excel (0–100 for %), and the sheet is protected."""
        write_template(PLAN, tmp_path / "mau.xlsx", year=2025, areas=["Bản Bo"])
        sheet = openpyxl.load_workbook(tmp_path / "mau.xlsx").worksheets[0]
        kinds = {(check.type, check.formula1, check.formula2) for check in sheet.data_validations.dataValidation}
        assert ("decimal", "0", "100") in kinds
        assert ("whole", "0", None) in kinds
        assert sheet.protection.sheet

    def test_template_validation_messages_in_its_language(self, tmp_path: Path) -> None:
        """Excel's message for a wrong figure is in the template's language, Vietnamese or English."""
        said = {}
        for lang in ("vi", "en"):
            write_template(PLAN, tmp_path / f"{lang}.xlsx", year=2025, lang=lang)
            sheet = openpyxl.load_workbook(tmp_path / f"{lang}.xlsx").worksheets[0]
            said[lang] = {(check.errorTitle, check.error) for check in sheet.data_validations.dataValidation}
        assert ("Số liệu không hợp lệ", "Nhập số nguyên ≥ 0.") in said["vi"]
        assert ("Invalid figure", "Enter a whole number ≥ 0.") in said["en"]

    def test_xlsx_needs_a_file(self, tmp_path: Path) -> None:
        """An Excel report is not written to the terminal: exit 2 and what to do."""
        status, _, err = self.run("report", str(officer_workbook(tmp_path / "bang.xlsx")), "--format", "xlsx")
        assert 2 == status
        assert "-o" in err

    def test_sheet_and_decimal_options(self, tmp_path: Path) -> None:
        """--sheet names the sheet; --decimal , reads a comma file's quoted 16,5 as 16.5."""
        table = officer_workbook(tmp_path / "bang.xlsx")
        status, out, _ = self.run("report", str(table), "--sheet", "Số liệu", "--format", "json")
        assert (1, 3) == (status, len(json.loads(out)["rows"]))
        csv = tmp_path / "bang.csv"
        csv.write_text('chỉ tiêu,năm,giá trị\n3,2025,"16,5"\n', encoding="utf-8")
        status, out, _ = self.run("report", str(csv), "--decimal", ",", "--format", "json")
        assert (0, "16.5") == (status, json.loads(out)["rows"][0]["value"])

    def test_template_year_outside_the_plan(self, tmp_path: Path) -> None:
        """A year the plan does not cover is an error, exit 2."""
        status, _, err = self.run("template", "-o", str(tmp_path / "mau.xlsx"), "--year", "2035")
        assert (2, False) == (status, (tmp_path / "mau.xlsx").exists())
        assert "2035" in err

    def test_template_rows(self) -> None:
        """Without areas, one row per indicator and group: 28 + 2 + 2 (18, a series, is left out)."""
        assert 32 == len(template_rows(PLAN, 2026, []))


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui): docs/report-xlsx.md's check",
)
def test_libreoffice_opens_the_report(tmp_path: Path) -> None:
    """LibreOffice converts the workbook report to PDF headless: it opens."""
    card = PLAN.assess_table(Path(__file__).parent.parent / "examples" / "data" / "bang-so-lieu-mau.csv")
    source = write_report(card, tmp_path / "bao-cao.xlsx")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert (tmp_path / "bao-cao.pdf").read_bytes().startswith(b"%PDF")


class TestReviewFindings:
    """Broken workbooks are typed errors; a template never holds a formula."""

    def test_broken_workbooks(self, tmp_path: Path) -> None:
        """Not a zip, XML that does not parse, a sheet cut in half: each an 'unreadable_workbook' PlanFileError."""
        import zipfile

        not_zip = tmp_path / "a.xlsx"
        not_zip.write_text("not a zip", "utf-8")
        bad_xml = tmp_path / "b.xlsx"
        with zipfile.ZipFile(bad_xml, "w") as archive:
            archive.writestr("[Content_Types].xml", "<<<garbage")
        good = tmp_path / "good.xlsx"
        book = openpyxl.Workbook()
        book.active.append(["Mã chỉ tiêu", "Năm", "Giá trị"])
        for _ in range(200):
            book.active.append(["3", 2025, 16.5])
        book.save(good)
        cut = tmp_path / "c.xlsx"
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(cut, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                target.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
        for path in (not_zip, bad_xml, cut):
            with pytest.raises(tdplan.PlanFileError) as caught:
                tdplan.load_plan().assess_table(path)
            assert "unreadable_workbook" == caught.value.code
            assert caught.value.message("vi").endswith(
                "không phải tệp Excel đọc được: hãy lưu lại dưới dạng 'Excel Workbook (.xlsx)'"
            )

    def test_template_holds_no_formula(self, tmp_path: Path) -> None:
        """An area named like a formula is text in the template."""
        target = tmp_path / "mau.xlsx"
        write_template(tdplan.load_plan(), target, year=2025, areas=["=cmd|' /C calc'!A0"])
        book = openpyxl.load_workbook(target)
        kinds = {cell.data_type for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
        assert "f" not in kinds

    def test_more_digits_than_a_spreadsheet_number(self, tmp_path: Path) -> None:
        """17,99999999999999999‰ (met: below 18) is written as its text, never as the number 18."""
        card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "17,99999999999999999", "year": 2025}])
        target = tmp_path / "r.xlsx"
        write_report(card, target)
        sheet = openpyxl.load_workbook(target).worksheets[1]
        values = [cell.value for row in sheet.iter_rows(min_row=2, max_row=2) for cell in row]
        assert "17,99999999999999999‰" in values
        assert 18 not in values

    def test_template_needs_an_xlsx_name(self, tmp_path: Path) -> None:
        """A template asked for under a .csv name is refused, and nothing is written."""
        with pytest.raises(tdplan.InputTypeError, match=r"name it with \.xlsx"):
            write_template(tdplan.load_plan(), tmp_path / "mau.csv", year=2025)
        assert [] == list(tmp_path.iterdir())

    def test_template_groups_in_the_plans_words(self, tmp_path: Path) -> None:
        """The group cells hold the plan's own labels (trẻ 2–3 tuổi, nông thôn), which the reader reads back."""
        target = tmp_path / "mau.xlsx"
        write_template(tdplan.load_plan(), target, year=2025, areas=["Bản Bo"])
        sheet = openpyxl.load_workbook(target).worksheets[0]
        texts = {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
        assert {"trẻ 2–3 tuổi", "trẻ 3–5 tuổi", "nông thôn", "thành thị"} <= texts
