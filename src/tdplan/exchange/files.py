"""What an export gives: files by their relative path, and the figures it left out, each with the reason.

Every exporter of :mod:`tdplan.exchange` returns an :class:`Export`; nothing is left
out silently: a figure the other platform cannot hold (a half-year for Open SDG, an
area the DHIS2 mapping does not name) is listed in :attr:`Export.left_out` with its row
and why.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import attrs

from tdplan.core.i18n import Message

__all__ = ["Export", "LeftOut", "decimal_text"]


def decimal_text(value: Decimal) -> str:
    """A decimal as exchanges write it: plain notation, every digit kept (``16.5``, ``0.050``, never ``1E+1``)."""
    return format(value.copy_abs() if value.is_zero() else value, "f")


@attrs.frozen
class LeftOut:
    """A figure an export could not hold: its row in the table, and why (a message in either language)."""

    row: int
    reason: Message

    def text(self, lang: str = "en") -> str:
        """``row 5: …`` in ``lang``."""
        return Message("row {row}: {reason}", row=self.row, reason=self.reason).text(lang)


@attrs.frozen
class Export:
    """The files of an export (relative path → UTF-8 text) and the figures left out."""

    files: dict[str, str]
    left_out: tuple[LeftOut, ...] = ()

    def write(self, directory: str | os.PathLike[str]) -> list[Path]:
        """Write every file under ``directory`` (made if missing), as UTF-8; the paths written."""
        root = Path(directory)
        written = []
        for name, text in self.files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            written.append(path)
        return written
