"""A zip file written again with one part streamed: how an xlsx report's large sheet goes into its workbook."""

from __future__ import annotations

import importlib
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from tdplan.reports.joining import behind

__all__ = ["ISAL_LEVEL", "rewrite_zip"]

ISAL_LEVEL = 2
"""ISA-L's level (0 to 3) for the streamed part where the ``isal`` package is installed (``tdplan[excel]``): its
deflate is three to four times zlib's at level 1 here, and packs as tight (docs/performance.md)."""


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
                _faster(entry)
                _deflate(entry, pieces)


def _faster(entry: Any) -> None:
    """Deflate ``entry`` (a zip part open for writing) with ISA-L, if installed and nothing is written yet."""
    try:
        isal_zlib = importlib.import_module("isal.isal_zlib")
    except ImportError:
        return
    if getattr(entry, "_compressor", None) is not None and entry._file_size == 0:  # zipfile's: Python 3.11 to 3.14
        entry._compressor = isal_zlib.compressobj(ISAL_LEVEL, isal_zlib.DEFLATED, -15)


def _deflate(entry: Any, pieces: Iterable[list[Any]]) -> None:
    """Write each list of pieces to ``entry`` in a thread, while the next is made."""

    def write(chunk: list[Any]) -> None:
        for piece in chunk:
            entry.write(piece)

    behind(write, pieces, "tdplan-zip-deflate")
