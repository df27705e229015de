"""A zip file written again with one part streamed: how an xlsx report's large sheet goes into its workbook."""

from __future__ import annotations

import importlib
import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from tdplan.reports.joining import behind

__all__ = ["ISAL_LEVEL", "rewrite_zip"]

ISAL_LEVEL = 1
"""ISA-L's level (0 to 3) for the streamed part where the ``isal`` package is installed (``tdplan[excel]``): its
deflate is about five times zlib's at level 1 here, and packs as tight (docs/performance.md)."""


def rewrite_zip(
    book: bytes, target: str | Path | BinaryIO, name: str, pieces: Iterable[list[Any]], level: int, large: bool
) -> None:
    """Write the zip file ``book`` to ``target``, its part ``name`` made of ``pieces`` (lists of bytes-like
    objects), deflated at zlib's ``level`` in a thread (zlib releases the GIL) while the next pieces are made;
    ``large``: the part may pass 2 GiB (zip's 64-bit sizes). Where ``isal`` is installed, that part is deflated by
    ISA-L at :data:`ISAL_LEVEL` instead (the same deflate format, read by every zip reader). Every other part is
    copied as it is, in its place, with its date and zlib's default level (xlsxwriter's)."""
    with (
        zipfile.ZipFile(io.BytesIO(book)) as source,
        zipfile.ZipFile(
            target if not isinstance(target, str | Path) else str(target), "w", zipfile.ZIP_DEFLATED, allowZip64=True
        ) as out,
    ):
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
            if info.filename != name:
                out.writestr(copy, source.read(info))
                continue
            setattr(copy, "compress_level" if hasattr(copy, "compress_level") else "_compresslevel", level)  # 3.13 on
            with out.open(copy, "w", force_zip64=large) as entry:
                _deflate(entry, pieces, _faster(entry))


def _faster(entry: Any) -> Callable[[Any], None] | None:
    """A write to ``entry`` (a zip part open for writing, nothing written yet) deflated by ISA-L and its CRC by
    ISA-L's (zlib's takes a quarter of the time of a fast deflate), by zipfile's names (Python 3.11 to 3.14); None
    where ``isal`` is not installed or zipfile has not those names (zipfile's own write then)."""
    try:
        isal_zlib = importlib.import_module("isal.isal_zlib")
    except ImportError:
        return None
    names = ("_compressor", "_file_size", "_compress_size", "_crc", "_fileobj")
    if not all(hasattr(entry, name) for name in names) or entry._compressor is None or entry._file_size:
        return None
    compressor = entry._compressor = isal_zlib.compressobj(ISAL_LEVEL, isal_zlib.DEFLATED, -15)
    crc32 = isal_zlib.crc32

    def write(data: Any) -> None:  # as zipfile's _ZipWriteFile.write
        view = memoryview(data)
        entry._file_size += view.nbytes
        entry._crc = crc32(view, entry._crc)
        packed = compressor.compress(view)
        entry._compress_size += len(packed)
        entry._fileobj.write(packed)

    return write


def _deflate(entry: Any, pieces: Iterable[list[Any]], faster: Callable[[Any], None] | None) -> None:
    """Write each list of pieces to ``entry`` in a thread, while the next is made."""
    write = entry.write if faster is None else faster

    def chunk(pieces: list[Any]) -> None:
        for piece in pieces:
            write(piece)

    behind(chunk, pieces, "tdplan-zip-deflate")
