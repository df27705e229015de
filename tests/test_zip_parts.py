"""A zip file written again with one part streamed from pieces (the xlsx report's rows sheet)."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from tdplan.reports import zip_parts


def _book() -> bytes:
    """A zip file of three parts, the middle one to be replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", "<a/>" * 100)
        archive.writestr("sheet.xml", "<old/>")
        archive.writestr("c.xml", "<c>ô</c>")
    return buffer.getvalue()


def _pieces() -> tuple[list[list[object]], bytes]:
    """Pieces of several kinds (bytes, memoryview, bytearray; some empty), and the bytes they make."""
    generator = random.Random(4)
    rows = (f'<row r="{at}"><c t="s"><v>{generator.randint(0, 99)}</v></c>ô</row>' for at in range(10_000))
    text = "".join(rows).encode("utf-8")
    pieces: list[list[object]] = [[text[:10], memoryview(text)[10:1000]], [], [bytearray(text[1000:]), b""]]
    return pieces, text


class TestRewriteZip:
    """The streamed part reads back as its pieces, with a valid CRC; every other part as it was, in its place."""

    @pytest.mark.parametrize("fast", [True, False])
    def test_part_from_pieces(self, tmp_path: Path, fast: bool) -> None:
        """With ISA-L's deflate and CRC where installed (or zipfile's own), the part is the pieces' bytes."""
        if fast:
            pytest.importorskip("isal")
        patch = pytest.MonkeyPatch()
        if not fast:
            patch.setattr(zip_parts, "_faster", lambda entry: None)
        pieces, expected = _pieces()
        try:
            zip_parts.rewrite_zip(_book(), tmp_path / "out.xlsx", "sheet.xml", pieces, 1, False)
        finally:
            patch.undo()
        with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
            assert ["a.xml", "sheet.xml", "c.xml"] == archive.namelist()
            assert archive.testzip() is None  # every part's CRC checked against its bytes
            assert expected == archive.read("sheet.xml")
            assert "<a/>" * 100 == archive.read("a.xml").decode()
            assert "<c>ô</c>" == archive.read("c.xml").decode("utf-8")
            info = archive.getinfo("sheet.xml")
            assert (len(expected), zipfile.ZIP_DEFLATED) == (info.file_size, info.compress_type)
            assert info.compress_size < len(expected) / 2

    def test_large_part(self, tmp_path: Path) -> None:
        """A part that may pass 2 GiB is written with zip's 64-bit sizes, and reads back alike."""
        pieces, expected = _pieces()
        target = io.BytesIO()
        zip_parts.rewrite_zip(_book(), target, "sheet.xml", pieces, 1, True)
        with zipfile.ZipFile(target) as archive:
            assert archive.testzip() is None
            assert expected == archive.read("sheet.xml")
            assert b"\x01\x00" in archive.fp.getvalue()  # type: ignore[union-attr]  # the zip64 extra field's id
