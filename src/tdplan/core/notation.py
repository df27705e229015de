"""Numbers as people write them, in Vietnamese and in English notation.

Vietnamese writes a decimal comma and a dot for thousands (``99,8%``,
``50/100.000``); English the other way round. Babel's ``vi`` and ``en`` locales
read each strictly. A string that reads as two different numbers (``"1.000"``: one
thousand in Vietnamese, one in English) is ambiguous and refused, never guessed.
"""

from __future__ import annotations

import decimal
import functools
import re
from decimal import Decimal

from tdplan.core.errors import AmbiguousValueError, InputTypeError, InvalidValueError, ValueParseError
from tdplan.core.i18n import C_, Lang, Message
from tdplan.core.units import PRECISION, Unit, parse_unit, tidy

__all__ = [
    "Lang",
    "babel_format_number",
    "floored",
    "format_number",
    "format_value",
    "parse_number",
    "parse_value",
    "percent",
    "readable",
    "rounded",
]


_LANGS = ("vi", "en")
FORMATTING = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
"""A decimal context that never rounds: Babel quantizes in the current context, and display rounding uses this."""
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
_NUMBER = re.compile(r"\s*(?P<number>[+-]?\s*[0-9][0-9.,]*)\s*(?P<unit>.*?)\s*", re.DOTALL)


def _check_lang(lang: str) -> Lang:
    if not isinstance(lang, str):
        raise ValueParseError("unknown notation {lang!r}: use 'vi' or 'en'", lang=lang)
    if lang == "vi":
        return "vi"
    if lang == "en":
        return "en"
    raise ValueParseError("unknown notation {lang!r}: use 'vi' or 'en'", lang=lang)


MAX_LENGTH = 100
"""The longest string read as a value: longer ones are not measurements (and would be slow to read)."""

MAX_DIGITS = 50
"""The most significant digits a value may have; no measurement has more."""


def _check_text(text: object, what: Message) -> str:
    if not isinstance(text, str):
        raise InputTypeError("{what} is read from a string, not {type}", what=what, type=type(text).__name__)
    if len(text) > MAX_LENGTH:
        raise ValueParseError(
            "{text!r}… is {length} characters long: a value has at most {limit}",
            text=text[:20],
            length=len(text),
            limit=MAX_LENGTH,
        )
    return str.__str__(text)  # a plain str: a subclass's own hash or equality must not reach the caches


MAX_WRITTEN = 1000
"""The most digits :func:`format_number` writes: a value of 1E+999999999 would take a gigabyte."""


def check_digits(value: Decimal, shown: str) -> Decimal:
    """``value``, if it has at most ``MAX_DIGITS`` significant digits and is not absurdly small or large."""
    if len(value.as_tuple().digits) > MAX_DIGITS or not -MAX_DIGITS <= value.adjusted() <= MAX_DIGITS:
        raise InvalidValueError(
            "{shown} has too many digits for a measurement (at most {limit} are read)",
            shown=shown,
            limit=MAX_DIGITS,
        )
    return value


def parse_number(text: str, notation: Lang | None = None) -> Decimal:
    """Read a number written in Vietnamese or English notation, exactly.

    With ``notation`` left as None, the string must read the same way in both, or in
    only one of them.

    >>> parse_number("99,8")
    Decimal('99.8')
    >>> parse_number("16.5")
    Decimal('16.5')
    >>> parse_number("100.000", "vi")
    Decimal('100000')
    >>> parse_number("1.000")
    Traceback (most recent call last):
    ...
    tdplan.core.errors.AmbiguousValueError: '1.000' is 1000 in Vietnamese notation but 1.000 in English; ...
    """
    return _parse_number(_check_text(text, Message("a number")), None if notation is None else _check_lang(notation))


@functools.lru_cache(maxsize=4096)
def _parse_number(text: str, notation: Lang | None) -> Decimal:
    cleaned = text.translate(_SPACES).strip()
    plain = _PLAIN.fullmatch(cleaned)
    if plain is not None:  # digits, and at most one mark not followed by exactly three digits
        mark = plain["mark"]
        if mark is None or notation in (None, "vi" if mark == "," else "en"):
            # Babel reads these the same way (a test checks it): a comma is only a Vietnamese decimal
            # mark here, and a dot only an English one, since a group would need three digits.
            digits = plain["whole"] if mark is None else f"{plain['whole']}.{plain['fraction']}"
            return check_digits(Decimal(digits), repr(text))
    return _parse_with_babel(text, cleaned, notation)


_PLAIN = re.compile(r"(?P<whole>[0-9]+)(?:(?P<mark>[.,])(?P<fraction>[0-9]{1,2}|[0-9]{4,}))?")


def _parse_with_babel(text: str, cleaned: str, notation: Lang | None) -> Decimal:
    from babel.numbers import NumberFormatError, parse_decimal

    langs = _LANGS if notation is None else (notation,)
    readings: dict[str, Decimal] = {}
    for lang in langs:
        try:
            with decimal.localcontext(FORMATTING):  # strict mode formats the number back: never round
                readings[lang] = parse_decimal(cleaned, locale=lang, strict=True)
        except NumberFormatError:
            continue
    if not readings:
        if notation == "vi":
            raise ValueParseError("{text!r} is not a number in Vietnamese notation: write it as 16,5", text=text)
        if notation == "en":
            raise ValueParseError("{text!r} is not a number in English notation: write it as 16.5", text=text)
        raise ValueParseError("{text!r} is not a number: write it as 16,5 or 16.5", text=text)
    vi, en = readings.get("vi"), readings.get("en")
    if vi is not None and en is not None and vi != en:
        raise AmbiguousValueError(
            "{text!r} is {vi} in Vietnamese notation but {en} in English; write it without "
            "a thousands separator (or write the unit as /100.000 or per 100,000, which names the notation)",
            readings,
            text=text,
            vi=_Reading(vi),
            en=_Reading(en),
        )
    value = next(iter(readings.values()))
    if not value.is_finite():
        raise ValueParseError("{text!r} is not a finite number", text=text)
    return check_digits(value, repr(text))


class _Reading:
    """A reading of an ambiguous number in a message: as Python writes it in English, else in Vietnamese notation."""

    def __init__(self, value: Decimal) -> None:
        self.value = value

    def text(self, lang: str) -> str:
        return str(self.value) if lang == "en" else format_number(self.value.normalize(), "vi")


def parse_value(text: str, notation: Lang | None = None) -> tuple[Decimal, Unit | None]:
    """Read a value with an optional unit: ``"16,5‰"``, ``"97,2 %"``, ``"5 per 100,000"``.

    A unit written with a thousands separator names the notation: ``"1.000/100.000"``
    is Vietnamese (one thousand), ``"1,000 per 100,000"`` English.

    >>> parse_value("50/100.000")
    (Decimal('50'), Unit.PER_100000)
    >>> parse_value("16.5 ‰")
    (Decimal('16.5'), Unit.PER_MILLE)
    >>> parse_value("1.000/100.000")
    (Decimal('1000'), Unit.PER_100000)
    >>> parse_value("12")
    (Decimal('12'), None)
    """
    return _parse_value(_check_text(text, Message("a value")), None if notation is None else _check_lang(notation))


@functools.lru_cache(maxsize=4096)
def _parse_value(text: str, notation: Lang | None) -> tuple[Decimal, Unit | None]:
    match = _NUMBER.fullmatch(text.translate(_SPACES))
    if match is None:
        raise ValueParseError(
            "{text!r} is not a value: write a number and a unit, such as '16,5‰', '97,2 %' or '50/100.000'", text=text
        )
    unit_text = match["unit"]
    unit = parse_unit(unit_text) if unit_text else None
    grouped = _GROUPED.search(unit_text) if notation is None else None
    if grouped is not None:  # "/100.000" is Vietnamese, "per 100,000" English: read the number the same way
        notation = "vi" if grouped[1] == "." else "en"
    try:
        number = _parse_number(match["number"].replace(" ", ""), notation)
    except AmbiguousValueError as error:
        error.unit = unit  # the unit written after the number, which the number alone did not know
        raise error from None
    return number, unit


_GROUPED = re.compile(r"[0-9]([.,])[0-9]{3}")


def format_number(value: Decimal, lang: Lang = "vi") -> str:
    """Write a number in Vietnamese or English notation, with every digit it has.

    >>> format_number(Decimal("16.5"))
    '16,5'
    >>> format_number(Decimal("100000"), "en")
    '100,000'
    """
    lang = _check_lang(lang)
    plain = _plain_format(value, lang)
    if plain is not None:
        return plain
    return babel_format_number(value, lang)


def babel_format_number(value: Decimal, lang: Lang) -> str:
    """:func:`format_number` by Babel itself: what the plain path must agree with (a hypothesis test checks)."""
    from babel.numbers import format_decimal

    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InputTypeError("a number to write is a Decimal or an int, not {kind}", kind=type(value).__name__)
    if isinstance(value, int):
        value = Decimal(value)
    if not value.is_finite() or abs(value.adjusted()) > MAX_WRITTEN:
        raise InvalidValueError(
            "{value} is not a number tdplan writes (at most {digits} digits)", value=value, digits=MAX_WRITTEN
        )
    with decimal.localcontext(FORMATTING):
        return format_decimal(value, locale=lang, decimal_quantization=False)


_SEPARATORS = {"vi": (".", ","), "en": (",", ".")}


def _plain_format(value: Decimal, lang: Lang) -> str | None:
    """A number of ordinary size written as Babel writes it (groups of three, no trailing zeros), without Babel.

    Babel takes about 50 µs a number; this takes about 2, which a web service that
    explains every verdict needs. Other numbers (huge, tiny, not finite) go to Babel.
    """
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or not -30 <= exponent <= 30 or value.adjusted() > 30:
        return None
    text = format(value, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    group, point = _SEPARATORS[lang]
    grouped = f"{int(whole):,}"
    if group != ",":
        grouped = grouped.replace(",", group)
    fraction = fraction.rstrip("0")
    return f"{sign}{grouped}{point}{fraction}" if fraction else f"{sign}{grouped}"


def format_value(value: Decimal, unit: Unit, lang: Lang = "vi") -> str:
    """Write a value with its unit, as the plan does: ``16,5‰``, ``97,2%``, ``50/100.000``.

    >>> format_value(Decimal("50"), Unit.PER_100000)
    '50/100.000'
    >>> format_value(Decimal("50"), Unit.PER_100000, "en")
    '50 per 100,000'
    """
    number = format_number(value, lang)
    if unit is Unit.PERCENT:
        return f"{number}%"
    if unit is Unit.PER_MILLE:
        return f"{number}‰"
    if unit is Unit.PER_100000:
        return _PER_100000(lang).format(number=number)
    return number


_PER_100000 = C_("a value", "{number} per 100,000")


# ---------------------------------------------------------------- numbers rounded for reading (never for verdicts)

_ROUND = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def rounded(value: Decimal, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals for reading, without trailing zeros.

    >>> rounded(Decimal("0.09090909")), rounded(Decimal("16.500"))
    (Decimal('0.09'), Decimal('16.5'))
    """
    return tidy(_ROUND.quantize(value, Decimal(1).scaleb(-places)).normalize(_ROUND))


def floored(value: Decimal) -> Decimal:
    """``value`` rounded down to 2 places, so it never shows across a threshold (0.9496 is 0.94, not 0.95).

    >>> floored(Decimal("0.9496"))
    Decimal('0.94')
    """
    return tidy(value.quantize(Decimal("0.01"), rounding=decimal.ROUND_FLOOR, context=_ROUND).normalize(_ROUND))


def percent(rate: Decimal, lang: Lang, scale: int = 2) -> str:
    """A rate (0.0909…, or 9.09… with ``scale=0``) as a percent for reading.

    >>> percent(Decimal("0.090909"), "vi"), percent(Decimal("9.0909"), "en", scale=0)
    ('9,09%', '9.09%')
    """
    return format_value(rounded(_ROUND.scaleb(rate, scale)), Unit.PERCENT, lang)


def readable(value: Decimal, threshold: Decimal) -> Decimal:
    """A rounded value with 2 decimals, or as many more as it takes not to look equal to ``threshold``.

    >>> readable(Decimal("17.99999"), Decimal("18")), readable(Decimal("16.666666"), Decimal("18"))
    (Decimal('17.99999'), Decimal('16.67'))
    """
    for places in range(2, 35):
        shown = value.quantize(Decimal(1).scaleb(-places), context=FORMATTING)
        if shown != threshold:
            return shown
    return value
