"""Runs of a report row's pieces joined once per distinct key, for :mod:`tdplan.reports.combination_rows`.

A row laid out by combination is a series of pieces: literals of its layout, and its own
parts (its number, its cells, its value, its margin, the explanation's value, its notes).
Most of a JSON row's text depends only on its layout and its value cell: the literals,
the value, the margin (by the target and the value), the explanation's value (by the
unit and the value), the notes (by the layout and the value). :func:`runs` finds the
runs of consecutive pieces that one key determines (the layout and the value, or one
column's cell, such as the area written twice with a literal between); each such run's
text is joined once per distinct key and kept in a :class:`TextTable`, so that a row
is taken from 7 pieces instead of 17 (JSON) or 5 instead of 13 (CSV): fewer pyarrow calls
and less work a row. The tables together hold at most :data:`RUN_BYTES`
of text; once they are full, a run whose keys are not all in its table is written as
its pieces, as before, so memory stays bounded whatever the table's length.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from tdplan.analysis.arrow import arrow_array
from tdplan.analysis.columns import factorize, written_apart, written_cells
from tdplan.reports.joining import PartTable, join_pieces

__all__ = ["GRID_MOST", "LAYOUT", "RUN_BYTES", "VALUE", "TextTable", "first_places", "runs", "shape_pieces"]

RUN_BYTES = 16 << 20
"""The most text the :class:`TextTable` of one report hold together (16 MiB): the JSON report of a million rows of
``benchmarks/large_tables.py`` keeps 7.4 MB of them (37,000 texts), its CSV report 3.6 MB (27,000)."""

GRID_MOST = 1 << 20
"""The most cells of a :class:`TextTable`'s grid of keys (4 MiB; 1.3 MiB for the 222 signatures by 1,501 values of
the JSON report of a million rows of ``benchmarks/large_tables.py``)."""

LAYOUT, VALUE = "layout", "value"
"""What a piece depends on besides a column's cell: the row's layout, its value cell."""

_KEYED = frozenset((LAYOUT, VALUE))


def runs(depends: list[frozenset[str] | None]) -> list[tuple[int, int, frozenset[str]]]:
    """Runs of consecutive pieces (``start``, ``stop``, what their texts depend on) that one key determines.

    ``depends`` says, for each piece, what its text depends on: nothing (a text every
    row has), :data:`LAYOUT` and/or :data:`VALUE`, a column's cell (its name); None
    (the row's number) is a run of its own. A run depends either on a subset of the
    layout and the value, or on one column's cell. A literal of the layout's before a
    piece of the value's ends its run: joined to the value, the layout's text would be
    kept once per (layout, value) instead of once per layout (a JSON row's indicator,
    status and labels: 28 MB of texts instead of 7 MB at a million rows).

    >>> lit, both, area = frozenset(), frozenset((LAYOUT, VALUE)), frozenset(("cell:area",))
    >>> layout, value = frozenset((LAYOUT,)), frozenset((VALUE,))
    >>> found = runs([lit, None, layout, value, layout, area, lit, area, layout, value, both, lit, layout])
    >>> [(start, stop, sorted(on)) for start, stop, on in found][:5]
    [(0, 1, []), (1, 2, []), (2, 3, ['layout']), (3, 5, ['layout', 'value']), (5, 8, ['cell:area'])]
    >>> [(start, stop, sorted(on)) for start, stop, on in found][5:]
    [(8, 9, ['layout']), (9, 13, ['layout', 'value'])]
    """
    found: list[tuple[int, int, frozenset[str]]] = []
    start, on = 0, frozenset[str]()
    for place, depend in enumerate(depends):
        if place > start and (depend is None or not _together(on | depend) or (on == {LAYOUT} and VALUE in depend)):
            found.append((start, place, on))
            start, on = place, frozenset()
        if depend is None:  # the row's number: a run of its own
            found.append((place, place + 1, on))
            start = place + 1
        else:
            on = on | depend
    if start < len(depends):
        found.append((start, len(depends), on))
    return found


def _together(on: frozenset[str]) -> bool:
    return on <= _KEYED or len(on) == 1


class TextTable:
    """The joined texts of one run, by key (a pair of whole numbers), in one buffer that only grows.

    ``room`` is the bytes left to every table of a report (one item, shared). Texts already
    in the array are never moved, so an array given out stays valid while more are added.
    A key's text is found in a grid of the pairs while it has at most :data:`GRID_MOST`
    cells (one look-up per row, no hashing), else by a binary search of the keys.
    """

    def __init__(self, room: list[int]) -> None:
        import numpy as np

        self.room = room
        self.most = room[0]  # the most this table can ever hold: its buffer's size
        self.count = 0  # texts
        self.full = False  # whether texts were refused for want of room: none are made for it again
        self._grid: Any = np.zeros((0, 0), dtype=np.int32)  # by key: 1 + its text's position, 0 where it has none
        self._keys: Any = None  # without the grid: the keys (first << 32 | second), sorted
        self._at: Any = None  # and each sorted key's text's position
        self._data: Any = None  # the texts' UTF-8, room for them all made at once (untouched pages cost nothing)
        self._offsets: Any = np.zeros(1, dtype=np.int64)
        self.written: Any = np.zeros(0, dtype=bool)  # whether each text is written (its rows are joined)
        self.array: Any = None  # the texts as a pyarrow array

    def find(self, first: Any, second: Any) -> Any:
        """Each key's text's position (a NumPy array of int64), -1 where it has none yet; a key is a pair of whole
        numbers of 0 or more, below 2**31 (``first``, ``second``: NumPy arrays of int64)."""
        import numpy as np

        if self._keys is None:
            rows, columns = self._grid.shape
            if len(first) and first.max() < rows and second.max() < columns:
                return self._grid[first, second].astype(np.int64) - 1
            inside = (first < rows) & (second < columns)
            found = np.full(len(first), -1, dtype=np.int64)
            found[inside] = self._grid[first[inside], second[inside]].astype(np.int64) - 1
            return found
        keys = first << 32 | second
        at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        return np.where(self._keys[at] == keys, self._at[at], -1)

    def add(self, first: Any, second: Any, texts: Any, written: Any) -> bool:
        """Add the texts (a pyarrow string array) of new distinct keys, and whether each is written (NumPy bools);
        False (nothing added) if they do not fit in the room left."""
        import numpy as np

        pa = importlib.import_module("pyarrow")
        offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32)[texts.offset : texts.offset + len(texts) + 1]
        end, size = int(self._offsets[-1]), int(offsets[-1] - offsets[0])
        if size > self.room[0] or end + size >= 2**31:
            self.full = True
            return False
        self.room[0] -= size
        if self._data is None:
            self._data = np.empty(self.most, dtype=np.uint8)
        if size:
            self._data[end : end + size] = np.frombuffer(texts.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
        self._offsets = np.concatenate([self._offsets, offsets[1:] - offsets[0] + end])
        self.written = np.concatenate([self.written, written])
        self._place(first, second, np.arange(self.count, self.count + len(texts)))
        self.count += len(texts)
        self.array = pa.StringArray.from_buffers(
            self.count, pa.py_buffer(self._offsets.astype(np.int32)), pa.py_buffer(self._data[: end + size])
        )
        return True

    def _place(self, first: Any, second: Any, at: Any) -> None:
        """Remember each key's text's position: in the grid, grown (by half again) as needed, while it fits."""
        import numpy as np

        rows, columns = self._grid.shape
        if self._keys is None:
            need = (max(rows, int(first.max()) + 1), max(columns, int(second.max()) + 1))
            if need[0] > rows or need[1] > columns:
                shape = (max(need[0], rows * 3 // 2), max(need[1], columns * 3 // 2))
                if shape[0] * shape[1] <= GRID_MOST:
                    grid = np.zeros(shape, dtype=np.int32)
                    grid[:rows, :columns] = self._grid
                    self._grid = grid
                else:  # too large a grid: the keys sorted instead
                    known, known_second = self._grid.nonzero()
                    self._keys = known.astype(np.int64) << 32 | known_second
                    self._at = self._grid[known, known_second].astype(np.int64) - 1
                    self._grid = np.zeros((0, 0), dtype=np.int32)
        if self._keys is None:
            self._grid[first, second] = at + 1
            return
        every = np.concatenate([self._keys, first << 32 | second])
        order = np.argsort(every, kind="stable")
        self._keys, self._at = every[order], np.concatenate([self._at, at])[order]


def first_places(codes: Any) -> Any:
    """Where each code of :func:`~tdplan.analysis.columns.factorize` first appears (its codes number the values in
    that order)."""
    import numpy as np

    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    running = np.maximum.accumulate(codes)
    return np.flatnonzero(np.concatenate(([True], running[1:] > running[:-1])))


def shape_pieces(writer: Any, chosen: Any, layout_ids: Any, shape: int, start: int, stop: int) -> tuple[Any, Any]:
    """The rows of ``chosen`` (all of one shape) that can be joined, and their texts (each after ``then``), from
    their layouts' literals and their own parts; a row with a part that must be written whole is left out. Runs of
    pieces one key determines are taken whole from their :class:`TextTable`.

    ``writer`` is :mod:`tdplan.reports.combination_rows`'s, which keeps the layouts and the distinct parts (and
    the tables) from chunk to chunk; ``chosen`` are rows ``start`` to ``stop``'s to join, ``layout_ids`` their
    layouts.
    """
    import numpy as np

    columns, found, layouts = writer.rows.columns, writer.found, writer.layouts
    # each column's cells read from the chunk's slice (no copy), then picked for the rows chosen
    value_cells = columns[found["value"]][start:stop]
    value_codes, value_uniques = written_apart(value_cells, *factorize(value_cells, missing=False))
    distinct_cells: dict[str, tuple[Any, Any, bool]] = {}  # by column: written_cells
    writer.typed[found["value"]] = str(getattr(value_cells, "dtype", "")) == "object"
    if not writer.typed[found["value"]]:
        distinct_cells[found["value"]] = (value_codes, value_uniques, False)
    value_codes = value_codes[chosen - start]
    unique_ids = writer.ids_of(value_uniques)
    value_ids = unique_ids[value_codes]
    inner = writer.layout.inner is not None
    notes, margins, explanations = writer.by_layout()
    groups = {
        "margin": margins[layout_ids],
        "explanation": explanations[layout_ids],
        # only a value below 1 of a layout whose such values have a note has notes of its own; the rest share one
        "notes": np.where(notes[layout_ids] & writer.below_one(value_ids), layout_ids, -1),
    }
    everyone = np.arange(len(chosen))
    cells: dict[str, tuple[Any, Any, Any]] = {}  # by part: each row's code, each code's id and its text's position

    def cell_part(key: str) -> tuple[Any, Any, Any]:
        """A cell part's (each row's code, each code's id, each code's position in its table), once a chunk."""
        if key not in cells:
            make: Callable[[int, int], str | None]
            if key == "area" and "area" not in found:
                codes, names = np.zeros(len(chosen), dtype=np.int64), np.zeros(1, dtype=np.int64)
                make = lambda name, place: writer.own("area", None)  # noqa: E731
            elif key == "value":
                codes, names = value_codes, unique_ids
                make = lambda name, place: writer.own("value", writer.raw_values[name])  # noqa: E731
            else:
                column = found["area"] if key == "area" else key[5:]
                if column not in distinct_cells:
                    distinct_cells[column] = written_cells(columns[column][start:stop])
                codes, uniques, typed = distinct_cells[column]
                codes = codes[chosen - start]
                names = writer.ids_of(uniques, key, typed)
                make = functools.partial(lambda key, cells, name, place: writer.own(key, cells[place]), key, uniques)
            table = writer.tables.setdefault(key, PartTable())
            cells[key] = (codes, names, table.positions(names, make))
        return cells[key]

    def source(key: str, rows: Any) -> Any:
        """Part ``key``'s position in its table, for the chosen rows ``rows`` (places in ``chosen``)."""
        if key in ("area", "value") or key.startswith("cell:"):
            codes, _, positions = cell_part(key)
            return positions[codes[rows]]
        mine = groups[key][rows]
        codes, names = factorize(np.where(mine < 0, -1, mine << 32 | value_ids[rows]))
        firsts = first_places(codes)

        def make_pair(name: int, place: int) -> str | None:
            text: str | None
            if name < 0:
                text = writer.layout.encode("notes", ())
                return text
            group, raw = name >> 32, writer.raw_values[name & 0xFFFFFFFF]
            if key == "explanation" and not inner:
                unit, tail = writer.tails[group]
                text = writer.own(key, (unit, raw, tail))
            else:
                text = writer.own(key, (group, raw), int(chosen[rows[firsts[place]]]))
            return text

        return writer.tables.setdefault(key, PartTable()).positions(names, make_pair)[codes]

    def literal(position: int) -> Any:
        known, found = writer.literals.get((shape, position), (-1, None))
        if known != len(layouts):
            texts = [made.literals[position] if made.shape == shape else "" for made in layouts]
            if len({text for text, made in zip(texts, layouts, strict=True) if made.shape == shape}) == 1:
                found = texts[[made.shape for made in layouts].index(shape)]  # the same in every layout: one text
            else:
                found = arrow_array(texts)
            writer.literals[(shape, position)] = (len(layouts), found)
        return found

    def depends(item: tuple[str, Any]) -> frozenset[str] | None:
        kind, what = item
        if kind == "literal":
            return frozenset() if isinstance(literal(what), str) else frozenset((LAYOUT,))
        if what == "row":
            return None
        if what == "area" and "area" not in found:
            return frozenset()
        if what == "value" or (what == f"cell:{found['value']}" and not writer.typed.get(found["value"], True)):
            return frozenset((VALUE,))  # a cell of the value column named as the value is (not told apart by type)
        if what == "area" or what.startswith("cell:"):
            return frozenset((f"cell:{found['area'] if what == 'area' else what[5:]}",))
        return frozenset((LAYOUT, VALUE))

    def signatures(first: int, last: int) -> Any:
        """Each row's layout as far as the run of pieces ``first`` to ``last`` tells (its literals, its margin's and
        explanation's groups, and the layout itself where the row's value has a note of its own), numbered once."""
        known, plain, noted = writer.signatures.get((shape, first, last), (0, None, None))
        if known != len(layouts):
            numbers = writer.signature_ids.setdefault((shape, first, last), {})
            places = [what for kind, what in items[first:last] if kind == "literal"]
            parts = {what for kind, what in items[first:last] if kind == "part"}
            plain, noted = np.zeros(len(layouts), dtype=np.int64), np.zeros(len(layouts), dtype=np.int64)
            for number, made in enumerate(layouts):
                if made.shape == shape:
                    told = (
                        *(made.literals[place] for place in places),
                        int(margins[number]) if "margin" in parts else -1,
                        int(explanations[number]) if "explanation" in parts else -1,
                    )
                    plain[number] = numbers.setdefault(told, len(numbers))
                    # a value below 1 of a layout whose such values have a note: its notes are the layout's own
                    noted[number] = (
                        numbers.setdefault((*told, number), len(numbers)) if notes[number] else plain[number]
                    )
            writer.signatures[(shape, first, last)] = (len(layouts), plain, noted)
        if ("part", "notes") in items[first:last]:
            return np.where(groups["notes"] < 0, plain[layout_ids], noted[layout_ids])
        return plain[layout_ids]

    def key_of(first: int, last: int, on: frozenset[str]) -> tuple[Any, Any]:
        """Each row's key in the run's table: (its layout's signature or 0, its value's id or its cell's id or 0)."""
        if LAYOUT in on:
            return signatures(first, last), value_ids if VALUE in on else 0 * everyone
        if VALUE in on:
            return value_ids, 0 * everyone
        what = next(what for kind, what in items[first:last] if kind == "part" and depends((kind, what)))
        codes, names, _ = cell_part(str(what))
        return names[codes], 0 * everyone

    def pieces_of(items: list[tuple[str, Any]], rows: Any) -> tuple[list[Any], Any]:
        """Each item's piece for rows ``rows`` (a text, or (array, positions)) and whether each row is written."""
        made: list[Any] = []
        written = np.ones(len(rows), dtype=bool)
        for kind, what in items:
            if kind == "literal":
                text = literal(what)
                made.append(text if isinstance(text, str) else (text, layout_ids[rows]))
            elif what == "row":
                made.append((None, chosen[rows] + 1))
            else:
                positions = source(what, rows)
                array, known = writer.tables[what].arrays()
                written &= known[positions]
                made.append(str(writer.tables[what].first) if writer.tables[what].count == 1 else (array, positions))
        return made, written

    keys = writer.shapes[shape]
    items = [item for position, key in enumerate(keys) for item in (("literal", position), ("part", key))]
    items.append(("literal", len(keys)))
    plan = writer.plans.get((shape, len(layouts)))
    if plan is None:  # the runs of pieces, and whether each is taken from a table (two pieces or more vary)
        every = [depends(item) for item in items]
        plan = [
            (first, last, on, bool(on) and sum(map(bool, every[first:last])) > 1) for first, last, on in runs(every)
        ]
        writer.plans[(shape, len(layouts))] = plan
    pieces: list[Any] = [writer.layout.then]
    keep = np.ones(len(chosen), dtype=bool)
    for first, last, on, table_of in plan:
        run = items[first:last]
        made, written = None, None
        if table_of:  # one text a key, from its table
            pair = key_of(first, last, on)
            table = writer.runs.setdefault((shape, first, last, on), TextTable(writer.room))
            at = table.find(*pair)
            absent = at < 0
            if absent.any() and not table.full:
                _, place = np.unique(pair[0][absent] << 32 | pair[1][absent], return_index=True)
                rows = absent.nonzero()[0][place]
                parts, known = pieces_of(run, rows)
                if all(isinstance(part, str) for part in parts):  # pyarrow would join them into one scalar
                    texts = arrow_array(["".join(parts)] * len(rows))
                else:
                    texts = join_pieces([(rows, parts)])[1]
                if table.add(pair[0][rows], pair[1][rows], texts, known):
                    at = table.find(*pair)
            if (at >= 0).all():
                made, written = [(table.array, at)], table.written[at]
        if made is None:
            made, written = pieces_of(run, everyone)
        pieces.extend(made)
        keep &= written
    if not keep.all():
        pieces = [piece if isinstance(piece, str) else (piece[0], piece[1][keep]) for piece in pieces]
        chosen = chosen[keep]
    if not len(chosen):
        return chosen, []
    merged: list[Any] = []  # neighbouring texts as one
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return chosen, merged
