"""One cell as officers write it: a year, a group, the decimal notation of a value column, a formatted number.

:func:`year_cell` reads ``2025`` and ``Năm 2025``; :func:`group_cell` reads groups in
Vietnamese (``nông thôn``, ``2–3 tuổi``) as well as their codes; :func:`column_notation`
decides a value column's decimal notation from its unambiguous cells (``16,5`` is
Vietnamese, ``16.5`` English: a thousands group has exactly three digits), so that a cell
that alone would be ambiguous (``41.213``) is read in its column's notation; a
:class:`Measured` is a number with the unit its spreadsheet format shows (a percentage).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from tdplan.analysis.reading import column_key, count_cell, is_blank, text_cell
from tdplan.core.errors import Hint, InputTypeError
from tdplan.core.i18n import Lang

__all__ = [
    "CELL_UNITS",
    "DECIMAL_SIGNS",
    "Measured",
    "cell_notation",
    "check_decimal",
    "column_notation",
    "given_unit",
    "group_cell",
    "written_unit",
    "year_cell",
]

CELL_UNITS = ("", "%", "‰")
"""The units a large table's value cell may be written with after its number (``95,5%``, ``16,5 ‰``), read with
NumPy as the scalar path reads them (:mod:`tdplan.analysis.chunked`); ``""``: none."""

_WRITTEN_UNIT = re.compile(r"^(.*?)[ \u00a0]?([%‰])$")


@attrs.frozen
class Measured:
    """A number with the unit its cell's format shows: 0,962 formatted as a percentage is ``Measured(96.2, "%")``."""

    number: Decimal
    unit: str

    def __str__(self) -> str:
        return f"{self.number}{self.unit}"


_YEAR_WORDS = re.compile(r"^\s*(?:năm|nam|year)\s+", re.IGNORECASE)


def year_cell(value: Any) -> int:
    """A year: ``2025``, ``2025.0`` from a spreadsheet, or ``Năm 2025``.

    >>> year_cell("Năm 2025"), year_cell(2025.0)
    (2025, 2025)
    """
    written = _YEAR_WORDS.sub("", value.strip()) if isinstance(value, str) else value
    try:
        return count_cell(written, "year")
    except InputTypeError:  # not a whole number; a negative one says so (as the NumPy path does)
        raise InputTypeError("{value!r} is not a year: write it as 2025", value=value) from None


_RESIDENCE = {"nong_thon": "rural", "thanh_thi": "urban", "do_thi": "urban", "rural": "rural", "urban": "urban"}
_AGE_WORDS = re.compile(r"\s*(?:tuổi|years?(?:\s+old)?|yrs?)\s*$", re.IGNORECASE)
_AGE_DASH = re.compile(r"\s*(?:[-‐‑‒–—−]|đến|to)\s*", re.IGNORECASE)


def group_cell(column: str, value: Any) -> str | None:
    """A disaggregation group as written, as the plan's code: ``nông thôn`` → ``rural``, ``3 - 5 tuổi`` → ``3-5``.

    >>> group_cell("residence", "Nông thôn"), group_cell("age", "2–3 tuổi"), group_cell("age", "3 - 5")
    ('rural', '2-3', '3-5')
    """
    text = text_cell(value)
    if text is None:
        return None
    if column == "residence":
        return _RESIDENCE.get(column_key(text), text)
    if column == "age":
        return _AGE_DASH.sub("-", _AGE_WORDS.sub("", text))
    return text


DECIMAL_SIGNS: dict[str, Lang] = {",": "vi", ".": "en", "vi": "vi", "en": "en"}
"""The decimal signs (or notations) ``decimal=`` and ``--decimal`` accept, and the notation each means."""

_NUMBER = re.compile(r"\s*[+-]?\s*(?P<digits>[0-9][0-9.,\s\u00a0]*[0-9]|[0-9])")


def check_decimal(decimal: str | None) -> Lang | None:
    """The notation a ``decimal=`` option names (``","`` Vietnamese, ``"."`` English), or None (inferred)."""
    if decimal is None:
        return None
    if decimal not in DECIMAL_SIGNS:
        raise InputTypeError("unknown decimal sign {decimal!r}: use ',' (Vietnamese) or '.' (English)", decimal=decimal)
    return DECIMAL_SIGNS[decimal]


def cell_notation(text: str) -> Lang | None:
    """The notation a number in a cell is written in, if only one reading is possible; None if either is.

    >>> cell_notation("16,5‰"), cell_notation("16.5"), cell_notation("41.213"), cell_notation("1.234,5")
    ('vi', 'en', None, 'vi')
    """
    match = _NUMBER.match(text)
    if match is None:
        return None
    digits = match["digits"].replace(" ", "").replace("\u00a0", "")
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        return "vi" if digits.rfind(",") > digits.rfind(".") else "en"
    if not (dots or commas):
        return None
    sign, count = (".", dots) if dots else (",", commas)
    if count > 1:  # 1.000.000: only thousands groups repeat
        return "vi" if sign == "." else "en"
    whole, fraction = digits.split(sign)
    if len(fraction) != 3 or whole in ("0", "") or len(whole) > 3:
        return "en" if sign == "." else "vi"  # not a thousands group, so a decimal sign
    return None


def column_notation(cells: Iterable[tuple[int, Any]]) -> Lang | None:
    """The notation of a value column, from its cells' unambiguous numbers (``(row number, cell)`` pairs).

    None where no cell decides; a column with cells of both notations is an error naming rows of each.
    """
    seen: dict[Lang, list[int]] = {"vi": [], "en": []}
    for number, cell in cells:
        if isinstance(cell, str) and not is_blank(cell):
            notation = cell_notation(cell)
            if notation is not None:
                seen[notation].append(number)
    if seen["vi"] and seen["en"]:
        raise InputTypeError(
            "the value column mixes notations: rows {vi} write a decimal comma (16,5) and rows {en} "
            "a decimal point (16.5): write every value one way, or give the notation ({decimal})",
            vi=_rows(seen["vi"]),
            en=_rows(seen["en"]),
            decimal=Hint("decimal", (",", ".")),
        )
    return "vi" if seen["vi"] else "en" if seen["en"] else None


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:5])
    return shown + (", …" if len(numbers) > 5 else "")


def written_unit(cell: Any) -> tuple[Any, str | None]:
    """A value cell NumPy decided, as its number and the unit written after it: ``("95,5", "%")`` for ``"95,5%"``,
    ``(cell, None)`` for any other cell."""
    if isinstance(cell, str) and (match := _WRITTEN_UNIT.match(cell)) is not None:
        return match.group(1), match.group(2)
    return cell, None


def given_unit(cells: Any, found: Any) -> Any:
    """The unit a row NumPy decided gives: its unit column's cell, or without one, the unit written after its value
    (``95,5%``); None where it gives none."""
    if "unit" in found:
        return cells.get(found["unit"])
    return written_unit(cells.get(found["value"]))[1] if "value" in found else None
