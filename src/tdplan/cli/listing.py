"""``tdplan indicators``: every indicator, its targets and its lead offices by name, fitted to the terminal.

The table fits the terminal's width (``COLUMNS``, else the terminal's, else 100
columns): the indicator's name, its targets and its lead offices are wrapped in their
columns, nothing cut. ``wide`` puts each indicator on one line, however long;
``ids`` adds each lead office's code after its name.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from tdplan.core.i18n import N_, translate
from tdplan.core.model import Indicator, Plan
from tdplan.core.notation import Lang
from tdplan.core.text import clean, display_width, wrap

__all__ = ["DEFAULT_WIDTH", "indicator_table", "lead_names", "terminal_width"]

DEFAULT_WIDTH = 100
"""The width of the table when the terminal's is not known (output to a file or a pipe)."""

_HEADINGS = (N_("ID"), N_("Goal"), N_("Indicator"), N_("Targets"), N_("Lead"))
_GAP = "  "
_SHARES = (36, 38, 26)  # how the name, targets and leads columns share the room left
_NARROWEST = 10


def terminal_width() -> int:
    """``COLUMNS``, else the terminal's width, else :data:`DEFAULT_WIDTH`."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def lead_names(plan: Plan, indicator: Indicator, lang: Lang, ids: bool = False) -> list[str]:
    """The indicator's lead offices by name (``Phòng Y tế, Trung tâm y tế``), with the code after it if ``ids``."""
    names = []
    for code in indicator.lead_agencies:
        agency = plan.get_agency(code)
        name = agency.name(lang) if agency is not None else code
        names.append(f"{name} ({code})" if ids and agency is not None else name)
    return names


def _widths(natural: Sequence[int], room: int) -> list[int]:
    """Column widths for the wrapped columns: their natural widths if they fit, else shares of ``room``."""
    if sum(natural) <= room:
        return list(natural)
    widths = [0] * len(natural)
    open_ = set(range(len(natural)))
    left = room
    while open_:
        total = sum(_SHARES[i] for i in open_)
        capped = [i for i in open_ if natural[i] <= left * _SHARES[i] // total]
        if not capped:
            for i in sorted(open_):
                widths[i] = max(_NARROWEST, left * _SHARES[i] // total)
            break
        for i in capped:
            widths[i] = natural[i]
            left -= natural[i]
            open_.discard(i)
    return widths


def indicator_table(plan: Plan, lang: Lang, width: int | None = None, *, wide: bool = False, ids: bool = False) -> str:
    """The table of ``tdplan indicators``: id, goal, name, targets, lead offices by name.

    >>> import tdplan
    >>> table = indicator_table(tdplan.load_plan(), "vi", 100)
    >>> max(display_width(line) for line in table.splitlines()) <= 100
    True
    """
    rows = [
        [
            [indicator.id],
            [str(indicator.goal)],
            [clean(indicator.name(lang))],
            [clean(text) for text in indicator.target_texts(lang)],
            [clean(name) for name in lead_names(plan, indicator, lang, ids)],
        ]
        for indicator in plan.indicators
    ]
    headings = [[translate(heading, lang)] for heading in _HEADINGS]
    measured = [[display_width(", ".join(cell)) for cell in row] for row in [headings, *rows]]
    fixed = [max(row[i] for row in measured) for i in range(2)]
    natural = [max(row[i] for row in measured) for i in range(2, 5)]
    if wide:
        widths = fixed + natural
    else:
        room = (width or terminal_width()) - sum(fixed) - len(_GAP) * 4
        widths = fixed + _widths(natural, room)
    lines = _lines(headings, widths)
    lines.append(_GAP.join("─" * width for width in widths))
    for row in rows:
        lines += _lines(row, widths, wrapped=not wide)
    return "\n".join(lines) + "\n"


def _wrap_items(items: Sequence[str], width: int) -> list[str]:
    """Items joined with ``, `` in lines of ``width``, broken between items where possible."""
    lines: list[str] = []
    for number, item in enumerate(items):
        text = item + ("," if number < len(items) - 1 else "")
        if lines and display_width(lines[-1]) + 1 + display_width(text) <= width:
            lines[-1] += " " + text
        else:
            lines += wrap(text, width)
    return lines or [""]


def _lines(cells: Sequence[Sequence[str]], widths: Sequence[int], wrapped: bool = True) -> list[str]:
    """One row as lines: each cell wrapped in its column, the columns side by side."""
    columns = [
        _wrap_items(cell, width) if wrapped else [", ".join(cell)] for cell, width in zip(cells, widths, strict=True)
    ]
    lines = []
    for number in range(max(len(column) for column in columns)):
        parts = []
        for column, width in zip(columns, widths, strict=True):
            text = column[number] if number < len(column) else ""
            parts.append(text + " " * (width - display_width(text)))
        lines.append(_GAP.join(parts).rstrip())
    return lines
