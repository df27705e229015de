"""Messages in the reader's language: English in the code, Vietnamese in a gettext catalog.

Every sentence a person can see is written in the code in English, marked for
extraction, and translated in ``tdplan/locale/vi/LC_MESSAGES/tdplan.po``, which
Babel's tooling keeps (``python tools/catalog.py update``, see ``docs/translating.md``):

- :func:`N_` marks a message; :func:`translate` gives it in a language;
- :func:`C_` marks a label (a heading, a column, a status, a unit) with its context,
  giving a :class:`Label`, which is called with a language like a
  :class:`~tdplan.core.vocabulary.Text`: ``C_("report", "Result")("vi")`` is ``Kết quả``.
  The context tells the translator where the label is shown, and keeps apart words that
  are one in English and two in Vietnamese (a report's "Period" column, ``Thời gian``,
  and a plan's "Period", ``Giai đoạn``);
- :func:`ntranslate` gives the singular or plural form for a count (``1 goal``,
  ``2 goals``; Vietnamese has one form);
- :class:`Message` is a message with its parameters, rendered in either language
  later (errors carry one);
- :func:`default_lang` is the language a command line speaks: ``TDPLAN_LANG``, then
  the locale (``vi_*`` → vi, ``en_*`` → en), then Vietnamese;
- :func:`either` joins alternatives with the language's "or".

A parameter that is a :class:`~tdplan.core.vocabulary.Text`, or any object with a
``text(lang)`` method, is shown in the message's language. A :class:`Surface` (the
command line, a table) may spell a parameter in its own words: where Python says
``unit='%'``, the command line says ``--unit %``.

The translations are read from the compiled catalog (``tdplan.mo``, beside the ``.po``)
with the standard library's :mod:`gettext`, once per process, at the first translated
message; nothing is read at import.

>>> translate("unknown language {lang!r}: use 'vi' or 'en'", "vi")
"không rõ ngôn ngữ {lang!r}: dùng 'vi' hoặc 'en'"
>>> C_("status", "not met")("vi"), C_("status", "not met")("en")
('không đạt', 'not met')
>>> ntranslate("{n} goal", "{n} goals", 2, "en").format(n=2)
'2 goals'
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import string
import threading
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol, final

if TYPE_CHECKING:
    import gettext

__all__ = [
    "C_",
    "DOMAIN",
    "LANGS",
    "N_",
    "Bilingual",
    "Label",
    "Lang",
    "Message",
    "Surface",
    "default_lang",
    "either",
    "ntranslate",
    "translate",
]

Lang = Literal["vi", "en"]
"""A language of output: Vietnamese or English."""

LANGS: tuple[Lang, ...] = ("vi", "en")
"""The languages tdplan speaks, Vietnamese first."""

DOMAIN = "tdplan"
"""The gettext domain of tdplan's catalogs."""

_LOCK = threading.Lock()


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for a marker
    """Mark ``message`` for the catalog without translating it (it is translated where it is shown)."""
    return message


def C_(context: str, message: str) -> Label:  # noqa: N802 - gettext's name for a message with a context
    """Mark a label for the catalog: ``message`` in English, ``context`` saying where it is shown.

    >>> C_("report", "Result")("vi")
    'Kết quả'
    """
    return Label(context, message)


@final
class Label:
    """A label written in the code in English and translated in the catalog, under a context.

    It is shown like a :class:`~tdplan.core.vocabulary.Text`: ``label(lang)`` gives it in
    ``lang`` (Vietnamese by default, and for any language but ``"en"``), ``str(label)``
    in Vietnamese, and ``label.vi``, ``label.en`` each language. Make one with
    :func:`C_`, so that the catalog tool finds it. Labels are equal when their context
    and English are.
    """

    __slots__ = ("_vi", "context", "message")

    context: str
    message: str
    _vi: str | None

    def __init__(self, context: str, message: str) -> None:
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "_vi", None)

    def __call__(self, lang: Lang = "vi") -> str:
        """The label in ``lang``: the English as written, or the catalog's Vietnamese (looked up once)."""
        if isinstance(lang, str) and lang == "en":  # anything else is Vietnamese, as for a Text
            return self.message
        vi = self._vi
        if vi is None:
            vi = _translations("vi").pgettext(self.context, self.message)
            object.__setattr__(self, "_vi", vi)
        return vi

    @property
    def vi(self) -> str:
        """The label in Vietnamese."""
        return self("vi")

    @property
    def en(self) -> str:
        """The label in English."""
        return self.message

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Label cannot be changed: {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Label cannot be changed: {name}")

    def __str__(self) -> str:
        return self("vi")

    def __repr__(self) -> str:
        return f"C_({self.context!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Label):
            return NotImplemented
        return (self.context, self.message) == (other.context, other.message)

    def __hash__(self) -> int:
        return hash((self.context, self.message))

    def __reduce__(self) -> tuple[type[Label], tuple[str, str]]:
        return (Label, (self.context, self.message))


class Bilingual(Protocol):
    """Words in either language: a :class:`Label` (written in the code) or a :class:`~tdplan.core.vocabulary.Text`.

    ``words(lang)`` gives them in ``lang``; ``vi`` and ``en`` each language (a plan's
    ``Text`` may have no English: ``en`` is then empty).
    """

    @property
    def vi(self) -> str:
        """The words in Vietnamese."""
        ...  # pragma: no cover

    @property
    def en(self) -> str:
        """The words in English, or empty where there is no English."""
        ...  # pragma: no cover

    def __call__(self, lang: Lang = "vi") -> str:
        """The words in ``lang``."""
        ...  # pragma: no cover


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog for ``lang`` (``locale/<lang>/LC_MESSAGES/tdplan.mo``), read once, under a lock."""
    import gettext

    if lang == "en":
        return gettext.NullTranslations()
    with _LOCK:
        resource = importlib.resources.files("tdplan").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.mo")
        with resource.open("rb") as file:
            return gettext.GNUTranslations(file)


def translate(message: str, lang: str) -> str:
    """``message`` in ``lang``: the catalog's translation, or the message itself in English or where none exists."""
    if lang == "en":
        return message
    return _translations(lang).gettext(message)


def ntranslate(singular: str, plural: str, count: int, lang: str) -> str:
    """The form of a message for ``count``: Vietnamese has one form, English two (``1 goal``, ``2 goals``)."""
    return _translations(lang).ngettext(singular, plural, count)


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The language to speak when none is asked for: ``TDPLAN_LANG``, then the locale, then Vietnamese.

    >>> default_lang({"TDPLAN_LANG": "en"}), default_lang({"LANG": "en_US.UTF-8"}), default_lang({})
    ('en', 'en', 'vi')
    """
    environ = os.environ if environ is None else environ
    chosen = environ.get("TDPLAN_LANG", "").strip().lower()
    if chosen in LANGS:
        return "en" if chosen == "en" else "vi"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip().lower()
        if value.startswith("en"):
            return "en"
        if value.startswith("vi"):
            return "vi"
        if value and value not in ("c", "posix", "c.utf-8"):
            break
    return "vi"


def either(items: list[str], lang: str) -> str:
    """The alternatives joined with the language's "or": ``'a or b'``, ``'a hoặc b'``.

    >>> either(["rural", "urban"], "vi")
    'rural hoặc urban'
    """
    word = translate(N_("or"), lang)
    return f" {word} ".join(items)


class Surface(Protocol):
    """Where a message is shown (the command line, a table), spelling some parameters in its own words.

    ``spell(value, lang)`` gives the words for a parameter (an error's hint of what to
    give: ``--unit %`` on the command line, ``% in the unit column`` in a table), or
    None to leave it as Python would say it.
    """

    def spell(self, value: Any, lang: str) -> str | None:
        """``value`` in this surface's words and ``lang``, or None."""
        ...  # pragma: no cover


class _Shown(string.Formatter):
    """Formats parameters for one language: a Text (or anything with ``text(lang)``) shows that language."""

    def __init__(self, lang: str, surface: Surface | None = None) -> None:
        self.lang = lang
        self.surface = surface

    def format_field(self, value: Any, format_spec: str) -> Any:
        value = _in(value, self.lang, self.surface)
        try:
            return super().format_field(value, format_spec)
        except Exception:  # a caller's object whose __format__ or __str__ fails: the message still reads
            return _UNSHOWN

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        value = _in(value, self.lang, self.surface)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _HUGE:
            return _huge(value)
        try:
            return super().convert_field(value, conversion)
        except Exception:  # a caller's object whose __repr__ or __str__ fails
            return _UNSHOWN


_HUGE = 10**60
_UNSHOWN = "<?>"


def _huge(value: int) -> str:
    """A whole number too long to show in full (past 4,300 digits Python refuses to): ``1.000E+5000``."""
    return format(Decimal(value), ".3E")


def _in(value: Any, lang: str, surface: Surface | None = None) -> Any:
    if surface is not None:
        spelled = surface.spell(value, lang)
        if spelled is not None:
            return spelled
    try:
        spoken = value if isinstance(value, Message) else getattr(value, "spoken", None)
        if isinstance(spoken, Message):  # a message or an error within a message: the same language and surface
            return spoken.text(lang, surface)
        text = getattr(value, "text", None)
    except Exception:  # an object whose attributes raise: shown as unknown
        return _UNSHOWN
    if callable(text) and not isinstance(value, str):
        return text(lang)
    if hasattr(value, "vi") and hasattr(value, "en") and callable(value):
        return value(lang)
    return value


class Message:
    """A message and its parameters, to be shown in either language: ``Message("no goal {number}", number=5)``.

    ``str()`` gives English. ``text(lang)`` gives ``lang``; a message with no
    parameters is shown as written (braces and all).

    >>> m = Message("unknown language {lang!r}: use 'vi' or 'en'", lang="fr")
    >>> m.text("en"), m.text("vi")
    ("unknown language 'fr': use 'vi' or 'en'", "không rõ ngôn ngữ 'fr': dùng 'vi' hoặc 'en'")
    """

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: Any) -> None:
        self.template = template
        self.params = params

    def text(self, lang: str = "en", surface: Surface | None = None) -> str:
        """The message in ``lang``, its parameters filled in for that language (and ``surface``, if given)."""
        template = translate(self.template, lang)
        if not self.params:
            return template
        try:
            return _Shown(lang, surface).vformat(template, (), self.params)
        except (KeyError, IndexError, ValueError, AttributeError):  # a translation that broke a placeholder
            return _Shown("en", surface).vformat(self.template, (), self.params)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Message({self.template!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.template, self.params) == (other.template, other.params)

    def __hash__(self) -> int:
        return hash(self.template)
