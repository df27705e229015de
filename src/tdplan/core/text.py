"""Text shown to people: the language check, and text made safe and measured for a terminal or a page.

Plan files and tables are other people's text: :func:`clean` makes it one line with no
control character (an ESC could drive the terminal) and no bidi override (U+202E could
reorder what a reader sees). :func:`display_width` measures it in terminal columns, and
:func:`fit` cuts it to a width. :func:`cell_words` writes a spreadsheet's true/false, date
or time as the sheet shows it, not as Python does.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from tdplan.core.errors import InputTypeError
from tdplan.core.notation import Lang

__all__ = ["cell_words", "check_lang", "clean", "display_width", "fit", "shown", "wrap"]

UNSHOWN = "\ufffd"

_BREAKS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]+")


def check_lang(lang: object) -> Lang:
    """``lang`` if it is ``"vi"`` or ``"en"``; :class:`~tdplan.InputTypeError` otherwise.

    >>> check_lang("vi")
    'vi'
    """
    if lang == "vi":
        return "vi"
    if lang == "en":
        return "en"
    raise InputTypeError("unknown language {lang!r}: use 'vi' or 'en'", lang=lang)


def clean(text: str) -> str:
    """``text`` for one cell or line: NFC, line breaks as spaces; controls, bidi overrides, lone surrogates as U+FFFD.

    Zero-width joiners and non-joiners stay: some scripts need them.

    >>> clean("Bản\\nBo\\x1b[31m"), clean("a\\u202eb")
    ('Bản Bo\\ufffd[31m', 'a\\ufffdb')
    """
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():  # no control, format, separator or surrogate: nothing to replace (a report's most text)
        return text
    text = _BREAKS.sub(" ", text)
    return "".join("\ufffd" if _hidden(char) else char for char in text)


def shown(value: object) -> str:
    """A caller's cell as text for a report: ``str(value)``, or U+FFFD if its ``__str__`` fails."""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:
        return UNSHOWN


def cell_words(value: object, lang: str = "vi") -> str | None:
    """A cell's true/false, date or time as a spreadsheet shows it (``TRUE``, ``31/12/2025``, ``10:30``), not as
    Python does (``True``, ``datetime.date(2025, 12, 31)``); dates day first, in English ISO; None for anything else.

    >>> cell_words(True), cell_words(dt.date(2025, 12, 31)), cell_words(dt.date(2025, 12, 31), "en")
    ('TRUE', '31/12/2025', '2025-12-31')
    >>> cell_words(dt.datetime(2025, 12, 31, 10, 30)), cell_words(dt.time(7, 5, 9)), cell_words("2025")
    ('31/12/2025 10:30', '07:05:09', None)
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        day = value.date()
        if type(day) is not dt.date:  # pandas' NaT is a datetime whose date is NaT: no date to show
            return None
        return f"{cell_words(day, lang)} {cell_words(value.time(), lang)}"
    if isinstance(value, dt.date):
        return f"{value.day:02}/{value.month:02}/{value.year}" if lang == "vi" else value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat("seconds" if value.second or value.microsecond else "minutes")
    if isinstance(value, dt.timedelta):
        return str(value)
    return None


def _hidden(char: str) -> bool:
    """A control character, an invisible format character that could reorder text (U+202E), or a lone surrogate
    (a file name's undecodable byte, which no UTF-8 file can hold); ZWJ/ZWNJ stay."""
    category = unicodedata.category(char)
    return category in ("Cc", "Cs") or (category == "Cf" and char not in "\u200c\u200d")


def display_width(text: str) -> int:
    """The columns ``text`` takes at a terminal, after NFC normalisation.

    Combining marks, format characters and controls take none, East Asian wide and
    full-width characters two, everything else one; so ``"Tả Lèng"`` takes 7 columns
    whether its accents are precomposed or combining.

    >>> display_width("Tả Lèng"), display_width(unicodedata.normalize("NFD", "Tả Lèng")), display_width("越南")
    (7, 7, 4)
    """
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_char_width(char) for char in unicodedata.normalize("NFC", text))


@functools.lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, with ``…`` where it was cut.

    >>> fit("Tỷ suất tử vong trẻ em dưới 1 tuổi", 12)
    'Tỷ suất tử…'
    """
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        size = display_width(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + "…"


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces; nothing is cut.

    A word wider than ``width`` is broken where it must be.

    >>> wrap("Phòng Lao động – Thương binh và Xã hội", 16)
    ['Phòng Lao động –', 'Thương binh và', 'Xã hội']
    """
    width = max(width, 1)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = display_width(word)
        while size > width:  # a word longer than a line: break it
            if line:
                lines.append(line)
                line, used = "", 0
            head = fit(word, width + 1)[:-1] if display_width(word[:1]) <= width else word[:1]
            lines.append(head)
            word = word[len(head) :]
            size = display_width(word)
        if line and used + 1 + size > width:
            lines.append(line)
            line, used = "", 0
        line, used = (f"{line} {word}", used + 1 + size) if line else (word, size)
    if line or not lines:
        lines.append(line)
    return lines
