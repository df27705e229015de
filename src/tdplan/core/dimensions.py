"""Disaggregations and their labels: a plan's :class:`Dimension`\\ s, each with its labelled :class:`Group`\\ s.

A target split by group (indicator 8 by residence, 20 by age) holds a
:class:`Disaggregation` of codes (``{"residence": "rural"}``); the plan's dimensions
give each code its words (``nông thôn`` / ``rural``). Inputs name a group by its code,
its label in either language or an alias the plan lists, compared by :func:`match_key`:
without case, accents or spaces, every dash alike (``Nông thôn``, ``nong thon``,
``2 – 3 tuổi``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

import attrs

from tdplan.core.errors import DisaggregationError, InputTypeError
from tdplan.core.notation import Lang
from tdplan.core.vocabulary import Text

__all__ = ["Dimension", "Disaggregation", "Group", "group_words", "match_key", "option_word"]

_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_NOT_WORD = re.compile("[^a-z0-9]+")


def match_key(text: str) -> str:
    """``text`` as inputs are compared: no case, accents or spaces, every dash a hyphen.

    >>> match_key("Nông thôn"), match_key("nong  thon"), match_key("2 – 3 Tuổi")
    ('nongthon', 'nongthon', '2-3tuoi')
    """
    text = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    text = _DASHES.sub("-", "".join(char for char in text if not unicodedata.combining(char)))
    return "".join(text.split())


def option_word(text: str) -> str:
    """``text`` as a command-line option's word: lowercase ASCII, no accents, words joined by dashes.

    >>> option_word("khu vực"), option_word("Nhóm tuổi"), option_word("age_group"), option_word("–")
    ('khu-vuc', 'nhom-tuoi', 'age-group', '')
    """
    text = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORD.sub("-", text).strip("-")


@attrs.frozen
class Group:
    """One group of a dimension: its code (``rural``), its label (``nông thôn`` / ``rural``), other accepted names."""

    id: str
    label: Text
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        """Every name of the group, as :func:`match_key` gives it: code, labels and aliases."""
        names = (self.id, self.label.vi, self.label.en, *self.aliases)
        return frozenset(match_key(name) for name in names if name)


@attrs.frozen
class Dimension:
    """What targets are split by (``residence``, ``age``), its name and its groups, in the plan's order.

    ``option`` is the word of its command-line option in Vietnamese (``khu-vuc`` for
    ``--khu-vuc``): the plan file's ``option``, else :func:`option_word` of its
    Vietnamese name; the English option is :func:`option_word` of its code (``--residence``).
    """

    id: str
    name: Text
    groups: tuple[Group, ...]
    option: str = ""

    @property
    def options(self) -> Text:
        """Its command-line options' words, Vietnamese and English: ``khu-vuc`` / ``residence``."""
        return Text(self.option or option_word(self.name.vi), option_word(self.id))

    @property
    def keys(self) -> frozenset[str]:
        """The dimension's code and names, as :func:`match_key` gives them."""
        return frozenset(match_key(name) for name in (self.id, self.name.vi, self.name.en) if name)

    def get_group(self, name: str) -> Group | None:
        """The group with this code, label or alias (see :func:`match_key`), or None."""
        key = match_key(name)
        return next((group for group in self.groups if key in group.keys), None)

    def group(self, name: object) -> Group:
        """The group with this code, label or alias; :class:`~tdplan.DisaggregationError` lists the valid ones."""
        if not isinstance(name, str):
            raise InputTypeError(
                "a group is named by text, such as {example!r}, not {name!r}",
                example=self.groups[0].label.vi,
                name=name,
            )
        found = self.get_group(name)
        if found is None:
            raise DisaggregationError(
                "there is no group {name!r} of {dimension}: use {valid}",
                name=name,
                dimension=self.name,
                valid=self.labels(),
            )
        return found

    def labels(self) -> Text:
        """The groups' labels, for a message: ``nông thôn, thành thị`` / ``rural, urban``."""
        return Text(
            ", ".join(group.label.vi for group in self.groups),
            ", ".join(group.label("en") for group in self.groups),
        )


class Disaggregation(Mapping[str, str]):
    """An immutable, hashable mapping of dimensions to group codes: ``{"residence": "rural"}``.

    ``labels`` gives a group's words by dimension (a plan's own targets carry them);
    equality and hashing look at the codes only.
    """

    __slots__ = ("_items", "_labels")
    _items: tuple[tuple[str, str], ...]
    _labels: tuple[tuple[str, Text], ...]

    def __init__(self, items: Mapping[str, str] | None = None, labels: Mapping[str, Text] | None = None) -> None:
        pairs = tuple((items or {}).items())
        for name, group in pairs:
            if type(name) is not str or type(group) is not str:
                raise InputTypeError(
                    "a disaggregation maps names to groups, both text, such as {{'residence': 'rural'}}, "
                    "not {name!r}: {group!r}",
                    name=name,
                    group=group,
                )
        object.__setattr__(self, "_items", tuple(sorted(pairs)))
        object.__setattr__(self, "_labels", tuple(sorted((labels or {}).items())))

    def __getitem__(self, key: str) -> str:
        for name, group in self._items:
            if name == key:
                return group
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Disaggregation):
            return self._items == other._items
        return isinstance(other, Mapping) and dict(self._items) == dict(other)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Disaggregation cannot be changed")

    def __reduce__(self) -> tuple[type[Disaggregation], tuple[dict[str, str], dict[str, Text]]]:
        """Pickle by value (for Dask and multiprocessing workers): rebuilt through __init__."""
        return (Disaggregation, (dict(self._items), dict(self._labels)))

    def __repr__(self) -> str:
        return repr(dict(self._items))

    def describe(self) -> str:
        """The codes, for programmers: ``residence=rural``, or an empty string."""
        return ", ".join(f"{name}={group}" for name, group in self._items)

    def label(self, lang: Lang = "vi") -> str:
        """The groups in words: ``nông thôn`` / ``rural`` (a group with no label shows its code), or ``""``.

        >>> Disaggregation({"residence": "rural"}, {"residence": Text("nông thôn", "rural")}).label("vi")
        'nông thôn'
        """
        labels = dict(self._labels)
        return ", ".join(labels[name](lang) if name in labels else group for name, group in self._items)

    def group_label(self, name: str, lang: Lang = "vi") -> str:
        """The words for the group of one dimension (``nông thôn``), or its code where it has none.

        >>> Disaggregation({"residence": "rural"}, {"residence": Text("nông thôn", "rural")}).group_label("residence")
        'nông thôn'
        """
        labels = dict(self._labels)
        return labels[name](lang) if name in labels else self[name]

    def group_text(self, name: str) -> Text | None:
        """The label of the group of one dimension in both languages, or None where it has none.

        >>> Disaggregation({"age": "2-3"}, {"age": Text("trẻ 2–3 tuổi", "children aged 2–3")}).group_text("age")
        Text(vi='trẻ 2–3 tuổi', en='children aged 2–3')
        """
        return dict(self._labels).get(name)

    def labelled(self, dimensions: Mapping[str, Dimension]) -> Disaggregation:
        """The same codes, with the labels the ``dimensions`` give them."""
        labels = {}
        for name, code in self._items:
            group = next((group for group in getattr(dimensions.get(name), "groups", ()) if group.id == code), None)
            if group is not None:
                labels[name] = group.label
        return Disaggregation(dict(self._items), labels)


def group_words(groups: Mapping[str, str], name: str, lang: str) -> str:
    """One dimension's group as a person would write it: its label in ``lang`` where the plan gives one
    (``nông thôn``, ``children aged 2–3``), else its code. For the command line's and a table's hints.

    >>> age = Disaggregation({"age": "2-3"}, {"age": Text("trẻ 2–3 tuổi", "children aged 2–3")})
    >>> group_words(age, "age", "vi"), group_words(age, "age", "en"), group_words({"age": "2-3"}, "age", "vi")
    ('trẻ 2–3 tuổi', 'children aged 2–3', '2-3')
    """
    text = groups.group_text(name) if isinstance(groups, Disaggregation) else None
    if text is None:
        return groups[name]
    return text.vi if lang == "vi" else text.en or groups[name]
