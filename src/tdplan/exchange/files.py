"""What an export gives: files by their relative path, and the figures it left out, each with the reason.

Every exporter of :mod:`tdplan.exchange` returns an :class:`Export`; nothing is left
out silently: a figure the other platform cannot hold (a half-year for Open SDG, an
area the DHIS2 mapping does not name, a second figure for the same indicator, period,
area and group) is listed in :attr:`Export.left_out` with its row and why.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import attrs

from tdplan.analysis.observations import Observation
from tdplan.core.i18n import N_, Message

__all__ = ["Export", "LeftOut", "decimal_text", "first_figures"]

_REPEATED = N_("a second figure for indicator {indicator} in {period} for the same area and group is not exported")


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


def _by_row(left_out: Iterable[LeftOut]) -> tuple[LeftOut, ...]:
    return tuple(sorted(left_out, key=lambda left: left.row))


@attrs.frozen
class Export:
    """The files of an export (relative path → UTF-8 text) and the figures left out, in the order of their rows."""

    files: dict[str, str]
    left_out: tuple[LeftOut, ...] = attrs.field(default=(), converter=_by_row)

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


def first_figures(found: Iterable[Observation], left_out: list[LeftOut]) -> list[Observation]:
    """The first figure of each indicator, period, area and group; each later one is added to ``left_out``.

    Open SDG, SDMX and DHIS2 each hold one value per key, and a second one would replace the
    first without a word (or be refused by the platform): tdplan exports the first, as the
    checks compare it (docs/checks.md), and names every other.
    """
    seen: set[tuple[str, object, str | None, tuple[tuple[str, str], ...]]] = set()
    kept = []
    for figure in found:
        key = (figure.indicator.id, figure.period, figure.area, figure.group)
        if key in seen:
            reason = Message(_REPEATED, indicator=figure.indicator.id, period=figure.period)
            left_out.append(LeftOut(figure.row, reason))
        else:
            seen.add(key)
            kept.append(figure)
    return kept
