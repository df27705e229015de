"""Files that are not the table their name says (an .xls, a workbook with a password, an .ods, a web page saved as
.xls, a renamed workbook, a PDF): each refused with what it is and how to save it, in the officer's language."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

import tdplan
from tdplan.analysis.file_kinds import OLE2, ZIP, file_problem
from tdplan.analysis.reading import read_table

PLAN = tdplan.load_plan()
HEADER = ["Mã chỉ tiêu", "Giá trị", "Năm", "Xã"]


def workbook_bytes() -> bytes:
    """A real .xlsx workbook of one row, as openpyxl writes it."""
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["3", 16.5, 2025, "Bản Bo"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def compound_file(stream: str) -> bytes:
    """The start of a compound file (the container of .xls, .doc and password-protected workbooks) whose directory
    names ``stream``, as the real ones do: an entry of 128 bytes after the 512-byte header, the name in UTF-16 in
    its first 64, then the name's length with its ending NUL, and 2, a stream (the rest of the file is not read)."""
    name = stream.encode("utf-16-le")
    entry = name.ljust(64, b"\x00") + (len(name) + 2).to_bytes(2, "little") + b"\x02"
    return OLE2 + bytes(504) + entry.ljust(128, b"\x00") + bytes(1024)


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refusal(path: Path) -> tdplan.PlanFileError:
    """The error assess_table raises for ``path``."""
    with pytest.raises(tdplan.PlanFileError) as caught:
        tdplan.assess_table(PLAN, path)
    return caught.value


class TestRefused:
    """Each kind of file gets its own code and a Vietnamese sentence saying how to save it as a table."""

    def test_old_workbook_named_csv(self, tmp_path: Path) -> None:
        """An Excel 97-2003 workbook named .csv: rename it .xls (tests/test_xls.py reads it so named)."""
        path = tmp_path / "so-lieu.csv"
        path.write_bytes(compound_file("Workbook"))
        error = refusal(path)
        expected = f"{path}: đây là tệp Excel 97-2003 (.xls) nhưng tên lại có đuôi .csv: hãy đổi tên cho đuôi là .xls"
        assert ("misnamed_workbook", expected) == (error.code, error.message("vi"))

    @pytest.mark.parametrize("name", ["so-lieu.xls", "so-lieu.xlsx"])
    def test_old_workbook_broken(self, tmp_path: Path, name: str) -> None:
        """Named as a workbook, it is read by xlrd; one that is only a compound file's start is unreadable."""
        pytest.importorskip("xlrd")
        path = tmp_path / name
        path.write_bytes(compound_file("Workbook"))
        assert "unreadable_workbook" == refusal(path).code

    @pytest.mark.parametrize("name", ["so-lieu.xlsx", "so-lieu.csv"])
    def test_password(self, tmp_path: Path, name: str) -> None:
        """A workbook encrypted by a password (Excel keeps it in a compound file, named .xlsx): save a copy without."""
        path = tmp_path / name
        path.write_bytes(compound_file("EncryptedPackage"))
        error = refusal(path)
        assert "encrypted_workbook" == error.code
        assert error.message("vi").endswith(
            "tệp Excel được đặt mật khẩu nên tdplan không mở được: hãy lưu một bản không có mật khẩu "
            "(Tệp, Thông tin, Bảo vệ Sổ làm việc, Mã hóa bằng Mật khẩu, rồi xóa mật khẩu)"
        )
        assert "the workbook is protected by a password" in error.message("en")

    def test_ods(self, tmp_path: Path) -> None:
        """An OpenDocument spreadsheet (its zip starts with the part mimetype): save it from LibreOffice Calc."""
        path = tmp_path / "so-lieu.ods"
        mimetype = b"application/vnd.oasis.opendocument.spreadsheet"
        path.write_bytes(zip_of({"mimetype": mimetype, "content.xml": b"<office:document-content/>"}))
        error = refusal(path)
        assert "other_spreadsheet" == error.code
        assert "đây là bảng tính OpenDocument (.ods), tdplan không đọc được" in error.message("vi")

    @pytest.mark.parametrize("name", ["so-lieu.xlsb", "so-lieu.xlsx"])
    def test_binary_workbook(self, tmp_path: Path, name: str) -> None:
        """An Excel binary workbook (its zip holds xl/workbook.bin, not .xml): save it as .xlsx or CSV UTF-8."""
        path = tmp_path / name
        path.write_bytes(zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}))
        error = refusal(path)
        expected = (
            f"{path}: đây là tệp Excel nhị phân (.xlsb), tdplan không đọc được: hãy mở bằng Excel rồi lưu lại dưới "
            "dạng 'Excel Workbook (.xlsx)' hoặc 'CSV UTF-8'"
        )
        assert ("other_spreadsheet", expected) == (error.code, error.message("vi"))

    def test_workbook_named_csv(self, tmp_path: Path) -> None:
        """A real .xlsx workbook renamed .csv: rename it back (read as text, it failed on a byte nobody could find)."""
        path = tmp_path / "so-lieu.csv"
        path.write_bytes(workbook_bytes())
        error = refusal(path)
        expected = f"{path}: đây là tệp Excel (.xlsx) nhưng tên lại có đuôi .csv: hãy đổi tên cho đuôi là .xlsx"
        assert ("misnamed_workbook", expected) == (error.code, error.message("vi"))

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
    def test_csv_named_xlsx(self, tmp_path: Path, encoding: str) -> None:
        """CSV text named .xlsx, in UTF-8 or in UTF-16 with its mark (Excel's "Unicode Text", which tdplan reads):
        rename it .csv (before, only "not an Excel workbook that can be read")."""
        path = tmp_path / "so-lieu.xlsx"
        path.write_text("\t".join(HEADER) + "\n3\t16,5\t2025\tBản Bo\n", encoding=encoding)
        error = refusal(path)
        expected = f"{path}: đây là tệp văn bản (CSV) nhưng tên lại có đuôi .xlsx: hãy đổi tên cho đuôi là .csv"
        assert ("misnamed_table", expected) == (error.code, error.message("vi"))

    @pytest.mark.parametrize(
        ("name", "text", "encoding"),
        [
            ("xuat-tu-phan-mem.xls", "<html><body><table><tr><td>Mã chỉ tiêu</td></tr></table>", "utf-8"),
            ("xuat-tu-phan-mem.xls", "\ufeff  <table><tr><td>Năm</td></tr></table>", "utf-16-le"),
            (
                "bang.xml",
                '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
                "utf-8",
            ),
        ],
    )
    def test_web_page_or_xml(self, tmp_path: Path, name: str, text: str, encoding: str) -> None:
        """An HTML table a web system exports as .xls, or Excel's 2003 XML spreadsheet: save it from Excel."""
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        error = refusal(path)
        assert "markup_table" == error.code
        assert "đây là trang web hoặc tệp XML (bắt đầu bằng '<'), không phải văn bản CSV" in error.message("vi")

    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
            (zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}), "Word"),
            (compound_file("WordDocument"), "Word"),
        ],
    )
    def test_documents(self, tmp_path: Path, data: bytes, kind: str) -> None:
        """A PDF or a Word document sent for the table: not a table, and which files are."""
        path = tmp_path / "bao-cao.csv"
        path.write_bytes(data)
        error = refusal(path)
        expected = (
            f"{path}: đây là văn bản {kind}, không phải bảng số liệu: tdplan đọc bảng từ tệp CSV và tệp Excel (.xlsx)"
        )
        assert ("not_a_table", expected) == (error.code, error.message("vi"))

    def test_zip_of_another_version(self, tmp_path: Path) -> None:
        """A zip file named .csv whose parts need a zip reader of another version (a damaged .xlsx, or a zip from a
        newer tool): a PlanFileError saying the file is not text tdplan reads, not zipfile's NotImplementedError."""
        data = bytearray(zip_of({"xl/workbook.xml": b"<workbook/>"}))
        directory = data.index(b"PK\x01\x02")
        data[directory + 6] = 150  # the version needed to extract: 15.0
        path = tmp_path / "so-lieu.csv"
        path.write_bytes(data)
        assert "neither UTF-8 nor Windows Vietnamese" in refusal(path).message("en")

    @pytest.mark.parametrize("text", ["EncryptedPackage", "WordDocument"])
    def test_stream_name_in_a_cell(self, tmp_path: Path, text: str) -> None:
        """An .xls whose cell says "EncryptedPackage" or "WordDocument" (the names of those files' streams) is read:
        only the directory's entries say what the file holds."""
        pytest.importorskip("xlrd")
        data = (Path(__file__).parent / "data" / "bang-so-lieu-2003.xls").read_bytes()
        title = "Báo cáo năm 2025".encode("utf-16-le")  # the cover's one cell, of 16 characters
        assert 1 == data.count(title)
        path = tmp_path / "bang.xls"
        path.write_bytes(data.replace(title, text.ljust(16).encode("utf-16-le")))
        assert ([text], [], []) == read_table(path, sheet="Bìa")


class TestRead:
    """Tables still read as before: nothing here refuses a CSV file or a workbook."""

    @pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"])
    def test_csv(self, tmp_path: Path, mark: bytes) -> None:
        """CSV text, with or without a byte order mark, reads: 16,5‰ against below 18‰ is met."""
        path = tmp_path / "so-lieu.csv"
        path.write_bytes(mark + (",".join(HEADER) + '\n3,"16,5",2025,Bản Bo\n').encode("utf-8"))
        assert [tdplan.Status.MET] == [row.status for row in tdplan.assess_table(PLAN, path).rows]

    def test_workbook(self, tmp_path: Path) -> None:
        """A workbook named .xlsx reads."""
        path = tmp_path / "so-lieu.xlsx"
        path.write_bytes(workbook_bytes())
        assert [tdplan.Status.MET] == [row.status for row in tdplan.assess_table(PLAN, path).rows]

    def test_unknown_kinds_are_left_alone(self) -> None:
        """A zip file of other parts, and text, are not named (the readers say what they find)."""
        assert file_problem(Path("a.csv"), zip_of({"a.txt": b"1"}), workbook=False) is None
        assert file_problem(Path("a.csv"), b"chi tieu,gia tri\n", workbook=False) is None
        assert file_problem(Path("a.xlsx"), ZIP + b"\x00broken", workbook=True) is None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI does not install it)")
def test_ods_libreoffice_saves(tmp_path: Path) -> None:
    """A real .ods, saved by LibreOffice from a workbook: refused as an OpenDocument spreadsheet."""
    source = tmp_path / "so-lieu.xlsx"
    source.write_bytes(workbook_bytes())
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "ods"]
    subprocess.run([*command, "--outdir", str(tmp_path / "out"), str(source)], check=True, capture_output=True)
    assert "other_spreadsheet" == refusal(tmp_path / "out" / "so-lieu.ods").code
