"""The rows of a large table's report, written by combination straight from its columns.

A table NumPy decided (:class:`~tdplan.analysis.scorecard.DecidedRows`) has a million rows
but a few thousand (indicator, year, unit, group) combinations. Everything in a report
row that depends only on its combination and status (the indicator's name and offices,
the target, the status's words, the explanation after the value; or the problem a
combination has) is laid out once per (combination, status) by the format's own row
writer, on one row of it built by the scalar path, with marks in place of the row's own
parts. The row's own parts (its number, its cells as the table gives them, its area, its
value, its margin, the explanation's value, its notes) are written once per distinct
cell or (target, value) pair, by the same functions the format uses for a whole row, and
the rows are joined with pyarrow, :data:`CHUNK_ROWS` at a time. Each layout is checked
once on its own row: the joined row must be that row's text, byte for byte, or the
combination's rows are written whole.

Rows the scalar path decided (values NumPy left to it, a converted unit, a problem of the
row's own), rows a format asks for whole (a CSV row a check names) and parts no UTF-8
array holds (a lone surrogate) are written by the format's writer, row by row, in their
place. :func:`fast_ready` says whether a scorecard can be written so (pyarrow installed).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from tdplan.analysis.cells import given_unit
from tdplan.analysis.columns import factorize, written_key
from tdplan.analysis.combinations import read_value, shared_columns
from tdplan.analysis.reading import find_columns, is_blank, plain_cell, text_cell
from tdplan.analysis.scorecard import DecidedRows, Scorecard, ScoredRow
from tdplan.core.errors import TdplanError
from tdplan.core.notation import Lang, format_value
from tdplan.core.units import Unit, parse_unit
from tdplan.reports.content import plain_decimal
from tdplan.reports.joining import JOIN_ROWS, PartTable, RowChunk
from tdplan.reports.piece_runs import RUN_BYTES, TextTable, first_places, shape_pieces

if TYPE_CHECKING:
    from tdplan.core.model import Target

__all__ = [
    "CHUNK_ROWS",
    "RowLayout",
    "fast_ready",
    "row_chunks",
]

CHUNK_ROWS = 10_000
"""Rows joined at a time: the most report text held in memory at once is about this many rows'."""

_MARK = "\ue000{}\ue001"  # private-use characters: no format escapes them, no table's text is taken for them
_OWN = ("row", "area", "value", "margin", "explanation", "notes")


@attrs.frozen
class RowLayout:
    """How a format writes one row of a report, for :func:`row_chunks`.

    ``row_text(row, marks)``: the row's text as the format writes it (no separator);
    with ``marks`` (a string per part: ``row``, ``area``, ``value``, ``margin``,
    ``explanation``, ``cell:<column>``), each of those parts replaced by its string,
    written as the format writes that string there. ``encode(kind, value)``: one part as
    written in place: ``kind`` is ``"mark"`` (a mark), ``"cell"`` (a cell as
    :func:`~tdplan.analysis.reading.plain_cell` gives it), ``"area"`` (the row's area or
    None), or ``"value"``, ``"margin"``, ``"explanation"`` (their text). ``first`` and
    ``then`` go before the first row and before each later one. ``inner``, where the
    format writes a text as the concatenation of its parts' writings (JSON's escapes),
    writes the explanation's value so, inside its string; else each (target, value)'s
    explanation is written whole.
    """

    row_text: Callable[[ScoredRow, dict[str, str] | None], str]
    encode: Callable[[str, Any], str]
    first: str = ""
    then: str = ""
    inner: Callable[[str], str] | None = None


@attrs.frozen
class _Layout:
    """One (combination, status)'s row with its own parts left out: literal texts around the parts, in order."""

    literals: list[str]
    shape: int  # an index into _Writer.shapes: which parts the row has, in order
    tail: str = ""  # the explanation after its value
    unit: int = 0  # an index into _Writer.units
    margin: int = 0  # an index into _Writer.margins: (threshold, direction)


def fast_ready(card: Scorecard) -> bool:
    """Whether ``card``'s rows can be written by combination: a table NumPy decided, with pyarrow installed."""
    if not isinstance(card.rows, DecidedRows):
        return False
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        return False
    return True


class _Writer:
    """Builds the layouts and the distinct parts of one report, remembering each across chunks."""

    def __init__(self, card: Scorecard, layout: RowLayout, lang: Lang) -> None:
        import numpy as np

        self.card, self.layout, self.lang = card, layout, lang
        rows = card.rows
        assert isinstance(rows, DecidedRows)
        self.rows = rows
        self.found = find_columns(card.columns)
        self.names = [name for name in card.columns if name in rows.columns]
        shared = shared_columns(rows, self.found)  # the same in every row of a layout: written in its literals
        keys = [*_OWN, *(f"cell:{name}" for name in self.names if name not in shared)]
        self.marks = {key: _MARK.format(number) for number, key in enumerate(keys)}
        encoded = {layout.encode("mark", mark): key for key, mark in self.marks.items()}
        if layout.inner is not None:  # the explanation's value, inside the explanation's string
            encoded = {text: key for text, key in encoded.items() if key != "explanation"}
            encoded[self.marks["explanation"]] = "explanation"
        self.encoded_marks = encoded
        self.split = re.compile("(" + "|".join(re.escape(text) for text in encoded) + ")")
        self.shapes: list[list[str]] = []  # the parts' orders: one for assessed rows, one for problems
        self.layouts: list[_Layout] = []
        self.layout_of: dict[int, int] = {}
        self.units: list[tuple[Unit, bool]] = []  # the target's unit, and whether a value below 1 has a note
        self.margins: list[tuple[str, bool]] = []  # (threshold's digits, whether above it is the good side)
        self.margin_targets: dict[int, Target] = {}
        self.layout_arrays: tuple[int, Any, Any, Any] = (-1, None, None, None)  # by_layout(), for so many layouts
        self.tails: list[tuple[int, str]] = []  # (unit, the explanation after its value), for a whole explanation
        self.values: dict[Any, Decimal | None] = {}
        self.parts: dict[tuple[str, type, Any], str | None] = {}
        self.written: dict[tuple[Unit, Any], str] = {}  # a value with its unit, as the explanation writes it
        self.ids: dict[str, dict[Any, int]] = {}
        self.raw_values: list[Any] = []
        self.below: Any = np.zeros(0, dtype=bool)  # by value id: below 1, or unread
        self.tables: dict[str, PartTable] = {}
        self.literals: dict[tuple[int, int], tuple[int, Any]] = {}  # (shape, position): (layouts, their literals)
        self.runs: dict[tuple[int, int, int, frozenset[str]], TextTable] = {}  # (shape, pieces, key): joined texts
        self.room = [RUN_BYTES]  # what the runs' texts may still take
        self.plans: dict[tuple[int, int], list[tuple[int, int, frozenset[str], bool]]] = {}  # (shape, layouts): runs
        self.signatures: dict[tuple[int, int, int], tuple[int, Any, Any]] = {}  # (shape, run): (layouts, numbers)
        self.signature_ids: dict[tuple[int, int, int], dict[tuple[Any, ...], int]] = {}
        self.typed: dict[str, bool] = {}  # by column: whether its cells are told apart by type (_distinct)

    # -- one (combination, status): its layout, from a row the scalar path builds

    def layout_for(self, key: int, index: int) -> int:
        """The layout of (combination, status) ``key``, made from row ``index`` the first time; -1 if it has none."""
        found = self.layout_of.get(key)
        if found is None:
            made = self._make_layout(index)
            found = self.layout_of[key] = -1 if made is None else len(self.layouts)
            if made is not None:
                self.layouts.append(made)
        return found

    def _make_layout(self, index: int) -> _Layout | None:
        from tdplan.analysis.bulk import STATUS_CODES

        scored = self.rows[index]
        row = attrs.evolve(scored, notes=())  # a note is the row's own part (of a value below 1)
        a = row.assessment
        if a is None:  # a problem its combination has (an unknown indicator, a year outside the plan)
            if not self.rows.shortcut[index] or row.problem is None:
                return None
            marks = {key: mark for key, mark in self.marks.items() if key in ("row", "area") or key.startswith("cell:")}
            made = self._split(row, marks, "")
        else:
            if (
                a.status is not STATUS_CODES[int(self.rows.codes[index])]
                or not a.exact
                or row.period is not None
                or row.counts is not None
            ):
                return None
            unit_cell = given_unit(row.cells, self.found)
            try:
                if unit_cell is not None and not is_blank(unit_cell) and parse_unit(unit_cell) is not a.target.unit:
                    return None  # the value was converted: its digits are not the cell's
            except (TdplanError, TypeError):
                return None
            written = format_value(a.value, a.target.unit, self.lang)
            explained = a.explain(self.lang)
            if not explained.startswith(written):
                return None
            tail = explained[len(written) :]
            marks = dict(self.marks)
            if self.layout.inner is not None:
                marks["explanation"] += tail
            made = self._split(row, marks, tail)
            # A value below 1 for a target of 90 % or more, with no unit given, has a note (tables.py).
            noted = a.target.unit is Unit.PERCENT and a.target.threshold >= 90 and is_blank(unit_cell)
            margin = _index(self.margins, (str(a.target.threshold), a.target.comparator.value in "≥>"))
            self.margin_targets.setdefault(margin, a.target)
            made = attrs.evolve(made, unit=_index(self.units, (a.target.unit, noted)), margin=margin)
        # The layout must give this row's own text, byte for byte.
        parts = [self.part(key, index, made) for key in self.shapes[made.shape]]
        if None in parts:
            return None
        joined = "".join(literal + str(part) for literal, part in zip(made.literals, [*parts, ""], strict=True))
        return made if joined == self.layout.row_text(scored, None) else None

    def _split(self, row: ScoredRow, marks: dict[str, str], tail: str) -> _Layout:
        """The row's text with its marks, cut at them: the literals, and the parts' order (its shape)."""
        pieces = self.split.split(self.layout.row_text(row, marks))
        order = [self.encoded_marks[piece] for piece in pieces[1::2]]
        return _Layout(pieces[0::2], _index(self.shapes, order), tail)

    # -- the distinct parts

    def value_id(self, raw: Any, kind: str = "value") -> int:
        """A whole number naming a distinct cell of a column (``kind``: ``value``, ``area``, ``cell:<name>``)."""
        ids, key = self.ids.setdefault(kind, {}), written_key(raw)  # -0.0 is not 0.0's
        found = ids.get(key)
        if found is None:
            found = ids[key] = len(ids)
            if kind == "value":
                self.raw_values.append(raw)
        return found

    def ids_of(self, uniques: Any, kind: str = "value", typed: bool = False) -> Any:
        """:meth:`value_id` of each of ``uniques`` (distinct cells, as :func:`~tdplan.analysis.columns.factorize`
        gives them), as a NumPy array.

        ``typed``: name each cell with its type (1, 1.0 and True are one key to a dict, and written differently).
        """
        import numpy as np

        if typed:
            return np.array([self.value_id((type(raw), written_key(raw)), kind) for raw in uniques], dtype=np.int64)
        # an Arrow array's cells as Python objects at once (iterating it makes one scalar at a time)
        raws = uniques.tolist() if hasattr(uniques, "tolist") and not isinstance(uniques, np.ndarray) else list(uniques)
        ids = self.ids.setdefault(kind, {})
        found = list(map(ids.get, map(written_key, raws)))
        if None in found:
            found = [self.value_id(raw, kind) if at is None else at for raw, at in zip(raws, found, strict=True)]
        return np.array(found, dtype=np.int64)

    def by_layout(self) -> tuple[Any, Any, Any]:
        """For each layout, as NumPy arrays made again only when layouts were added: whether a value below 1 has a
        note; its margin's group; its explanation's (by unit where its value is inside it, else with its tail)."""
        import numpy as np

        if self.layout_arrays[0] != len(self.layouts):
            inner = self.layout.inner is not None
            self.layout_arrays = (
                len(self.layouts),
                np.array([bool(self.units) and self.units[made.unit][1] for made in self.layouts], dtype=bool),
                np.array([made.margin for made in self.layouts], dtype=np.int64),
                np.array(
                    [made.unit if inner else _index(self.tails, (made.unit, made.tail)) for made in self.layouts],
                    dtype=np.int64,
                ),
            )
        return self.layout_arrays[1:]

    def below_one(self, ids: Any) -> Any:
        """Whether each value (by :meth:`value_id`) is below 1 or unread (a NumPy array of bools)."""
        import numpy as np

        if len(self.below) < len(self.raw_values):
            more = [(value := self.value(raw)) is None or value < 1 for raw in self.raw_values[len(self.below) :]]
            self.below = np.concatenate([self.below, np.array(more, dtype=bool)])
        return self.below[ids]

    def value(self, raw: Any) -> Decimal | None:
        """A value cell NumPy decided, as :func:`read_value` reads it, remembered."""
        found = self.values.get(raw, ...)
        if found is ...:
            found = self.values[raw] = read_value(raw)
        return found

    def part(self, key: str, index: int, made: _Layout) -> str | None:
        """Row ``index``'s part ``key`` under layout ``made`` (what :func:`_joined` joins, for one row)."""
        if key == "row":
            return str(index + 1)
        if key == "area":
            return self.own(key, self.rows.columns[self.found["area"]][index] if "area" in self.found else None)
        if key.startswith("cell:"):
            return self.own(key, self.rows.columns[key[5:]][index])
        raw = self.rows.columns[self.found["value"]][index]
        if key == "value":
            return self.own(key, raw)
        if key == "margin":
            return self.own(key, (made.margin, raw))
        if key == "notes":
            return self.own(key, (self.layouts.index(made) if made in self.layouts else -1, raw), index, made)
        if self.layout.inner is not None:
            return self.own(key, (made.unit, raw))
        return self.own(key, (made.unit, raw, made.tail))

    def own(self, key: str, raw: Any, index: int = -1, made: _Layout | None = None) -> str | None:
        """One distinct part, written once: a cell, an area, a value, a margin, an explanation (or its value), notes.

        ``index`` is a row with that part (and ``made`` its layout), for notes.
        """
        if key in ("margin", "explanation", "notes"):  # one per (group, value): made once by its PartTable
            return self._own(key, raw, index, made)
        part = (key, type(raw), written_key(raw))  # 1 and 1.0 (and 0.0 and -0.0) are equal, and written differently
        found = self.parts.get(part, ...)
        if found is ...:
            found = self.parts[part] = self._own(key, raw, index, made)
        return found

    def _own(self, key: str, raw: Any, index: int, made: _Layout | None) -> str | None:
        encode = self.layout.encode
        if key == "area":
            try:
                return encode("area", text_cell(plain_cell(raw)))
            except TdplanError:  # 2.5, a date: the problem of each row it is in, which are written whole
                return None
        if key.startswith("cell:"):
            return encode("cell", plain_cell(raw))
        value = self.value(raw[1] if isinstance(raw, tuple) else raw)
        if value is None:
            return None
        if key == "value":
            return encode("value", plain_decimal(value))
        if key == "margin":
            return encode("margin", plain_decimal(self.margin_targets[raw[0]].margin(value)))
        if key == "notes":
            made = made if made is not None else self.layouts[raw[0]]
            if not (self.units[made.unit][1] and value < 1):
                return encode("notes", ())
            # A value below 1 for a target of 90 % or more, with no unit given, has a note (tables.py): the row's own.
            return encode("notes", self.rows[index].notes)
        unit = self.units[raw[0]][0]
        written = self.written.get((unit, raw[1]))
        if written is None:
            written = self.written[(unit, raw[1])] = format_value(value, unit, self.lang)
        if self.layout.inner is not None:
            return self.layout.inner(written)
        return encode("explanation", written + raw[2])


def _index(found: list[Any], item: Any) -> int:
    if item not in found:
        found.append(item)
    return found.index(item)


def row_chunks(
    card: Scorecard, layout: RowLayout, lang: Lang, whole: Collection[int] = ()
) -> Iterator[Iterable[memoryview | str]]:
    """The text of every row of ``card``, in order, with the layout's separators: a chunk of :data:`CHUNK_ROWS`
    rows at a time, laid out here and joined when iterated (:func:`~tdplan.reports.joining.write_chunks` does it in
    a thread of its own), giving UTF-8 bytes for runs of rows joined by combination and str for rows written whole
    (``whole``: row indices a format wants written whole).

    ``card`` must be :func:`fast_ready`.
    """
    import numpy as np

    writer = _Writer(card, layout, lang)
    rows = writer.rows
    count = len(rows)
    shortcut, combination = rows.shortcut, rows.combination
    apart = np.unique(np.array([*rows.scored, *whole], dtype=np.int64))  # rows written whole
    then = len(layout.then.encode("utf-8"))
    pace = [JOIN_ROWS]  # the rows of the next run of joined text (joining.RowChunk)
    for start in range(0, count, CHUNK_ROWS):
        stop = min(count, start + CHUNK_ROWS)
        shortcuts = np.asarray(shortcut[start:stop], dtype=bool)
        candidate = (rows.codes[start:stop] >= 0) | shortcuts
        candidate[apart[np.searchsorted(apart, start) : np.searchsorted(apart, stop)] - start] = False
        local = candidate.nonzero()[0]
        chosen = local + start
        # (combination, status) names a layout; a problem its combination has is a fifth status
        kinds = np.asarray(combination[start:stop])[local].astype(np.int64) * 5 + np.where(
            shortcuts[local], 4, rows.codes[start:stop][local]
        )
        key_codes, key_uniques = factorize(kinds)
        firsts = first_places(key_codes)  # each layout made from the first row of it met
        made = [writer.layout_for(int(key), int(chosen[at])) for key, at in zip(key_uniques, firsts, strict=True)]
        layout_ids = np.array(made, dtype=np.int64)[key_codes]
        shape_of = np.array([made.shape for made in writer.layouts], dtype=np.int64)
        # no layout yet: every row of the chunk so far has its own (a converted unit), and is written whole
        shapes = shape_of[np.maximum(layout_ids, 0)] if len(shape_of) else np.full(len(layout_ids), -1)
        parts = []
        for shape in range(len(writer.shapes)):
            mine = (layout_ids >= 0) & (shapes == shape)
            if mine.any():
                parts.append(shape_pieces(writer, chosen[mine], layout_ids[mine], shape, start, stop))
        parts = [(done, pieces) for done, pieces in parts if len(done)]
        joined = np.concatenate([done for done, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
        alone = np.setdiff1d(np.arange(start, stop), joined, assume_unique=True).tolist()
        texts = [(layout.first if index == 0 else layout.then) + layout.row_text(rows[index], None) for index in alone]
        yield RowChunk(start, stop, parts, dict(zip(alone, texts, strict=True)), layout.first, then, pace)
