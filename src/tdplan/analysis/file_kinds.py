"""What a table file is, by its first bytes, where it is not what tdplan reads: so that an officer is told what to do.

An office keeps its figures in many kinds of files, and a file's name does not always say
which: a workbook protected by a password (which Excel keeps in the container of an old
``.xls``, whatever its name), a LibreOffice spreadsheet (``.ods``), an Excel binary
workbook (``.xlsb``), a web page or XML file that a web system exported as ``.xls``, a
workbook renamed ``.csv`` (or a CSV file renamed ``.xlsx``), a PDF or a Word document sent
in its place. Read as CSV text, such a file fails on a byte nobody can find, or worse,
reads as rows of nonsense. :func:`file_problem` names the kind of file and what to do.
An Excel 97-2003 workbook is read (:mod:`tdplan.analysis.xls`) wherever it is named as a
workbook.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

from tdplan.core.errors import PlanFileError
from tdplan.core.text import clean

__all__ = ["OLE2", "ZIP", "check_file_kind", "file_problem"]

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of Microsoft's compound file: ``.xls``, ``.doc``, and any workbook encrypted by a password."""

ZIP = b"PK\x03\x04"
"""The first bytes of a zip file: ``.xlsx``, ``.ods``, ``.docx``."""

_PDF = b"%PDF-"

# The names of a compound file's streams, as its directory writes them (UTF-16): what the file holds.
_ENCRYPTED = "EncryptedPackage"
_WORD = "WordDocument"
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


def check_file_kind(path: Path, raw: bytes, *, workbook: bool) -> None:
    """Raise :func:`file_problem`'s error, if there is one."""
    problem = file_problem(path, raw, workbook=workbook)
    if problem is not None:
        raise problem


def file_problem(path: Path, raw: bytes, *, workbook: bool) -> PlanFileError | None:
    """Why ``raw`` (the file's bytes, or at least its first few kilobytes and, for a compound file, all of them)
    cannot be read as the table it is named for; None where nothing says it cannot. ``workbook``: the file is named
    as an Excel workbook (``.xlsx``), else it is read as CSV text."""
    name = clean(str(path))
    if raw.startswith(OLE2):
        if _has_stream(raw, _ENCRYPTED):
            return PlanFileError(
                "{path}: the workbook is protected by a password, which tdplan cannot open: save a copy without "
                "it (File, Info, Protect Workbook, Encrypt with Password, and clear the password)",
                path=name,
                code="encrypted_workbook",
            )
        if _has_stream(raw, _WORD):
            return _not_a_table(name, "Word")
        if workbook:
            return None  # an Excel 97-2003 workbook: read as one (tdplan.analysis.xls)
        return PlanFileError(
            "{path}: an Excel 97-2003 workbook (.xls) whose name ends in {suffix}: rename it to end in .xls",
            path=name,
            suffix=clean(path.suffix) or "''",
            code="misnamed_workbook",
        )
    if raw.startswith(_PDF):
        return _not_a_table(name, "PDF")
    if _markup(raw):
        return PlanFileError(
            "{path}: a web page or XML file (it starts with '<'), not CSV text: open it in Excel and save it as "
            "'Excel Workbook (.xlsx)' or 'CSV UTF-8'",
            path=name,
            code="markup_table",
        )
    if not raw.startswith(ZIP):
        if workbook and _csv_text(raw):
            return PlanFileError(
                "{path}: a text (CSV) file whose name ends in {suffix}: rename it to end in .csv",
                path=name,
                suffix=clean(path.suffix),
                code="misnamed_table",
            )
        return None
    parts = _zip_names(raw)
    if "mimetype" in parts and _ODS in raw[:200]:
        return PlanFileError(
            "{path}: an OpenDocument spreadsheet (.ods), which tdplan does not read: open it in LibreOffice Calc "
            "and save it as 'Excel 2007-365 (.xlsx)' or as 'Text CSV' in UTF-8",
            path=name,
            code="other_spreadsheet",
        )
    if "xl/workbook.bin" in parts:
        return PlanFileError(
            "{path}: an Excel binary workbook (.xlsb), which tdplan does not read: open it in Excel and save it "
            "as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'",
            path=name,
            code="other_spreadsheet",
        )
    if "word/document.xml" in parts:
        return _not_a_table(name, "Word")
    if "xl/workbook.xml" in parts and not workbook:
        return PlanFileError(
            "{path}: an Excel workbook (.xlsx) whose name ends in {suffix}: rename it to end in .xlsx",
            path=name,
            suffix=clean(path.suffix) or "''",
            code="misnamed_workbook",
        )
    return None


def _markup(raw: bytes) -> bool:
    """Whether the file is HTML or XML: what web systems export as ``.xls`` (an HTML table), or Excel's 2003 XML
    spreadsheet. Its first character, after a byte order mark and blanks, is ``<``; CSV text's never is."""
    head = raw[:1024]
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(mark)
    return head.replace(b"\x00", b"").lstrip().startswith(b"<")


def _has_stream(raw: bytes, name: str) -> bool:
    """Whether a compound file's directory has a stream called ``name``: an entry of 128 bytes, from a sector's
    start (the sectors follow a 512-byte header and are 512 bytes or more), that starts with the name in UTF-16,
    then gives its length with the ending NUL and the type of a stream (2). The same text in a cell is not one."""
    written = name.encode("utf-16-le")
    trailer = (len(written) + 2).to_bytes(2, "little") + b"\x02"
    at = raw.find(written)
    while at >= 0:
        if (at - 512) % 128 == 0 and raw[at + 0x40 : at + 0x43] == trailer:
            return True
        at = raw.find(written, at + 1)
    return False


def _csv_text(raw: bytes) -> bool:
    """Whether the file looks like CSV text: no NUL in its first 4 kB, and a separator in its first line; or UTF-16
    text with its byte order mark (Excel's "Unicode Text"), which tdplan reads too (reading.decode_text)."""
    head = raw[:4096]
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, "ignore").encode()  # "ignore": a unit cut at 4 kB
            break
    return b"\x00" not in head and any(separator in head.split(b"\n", 1)[0] for separator in (b",", b";", b"\t"))


def _not_a_table(name: str, kind: str) -> PlanFileError:
    return PlanFileError(
        "{path}: a {kind} document, not a table: tdplan reads tables from CSV files and Excel workbooks (.xlsx)",
        path=name,
        kind=kind,
        code="not_a_table",
    )


def _zip_names(raw: bytes) -> set[str]:
    """The names of a zip file's parts (none where it is not a whole zip file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError):
        return set()  # NotImplementedError: a zip of a version or compression zipfile does not read
