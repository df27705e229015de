"""The rows of a large table's rows sheet (:mod:`tdplan.reports.xlsx_rows`): each layout cut out of a row xlsxwriter
wrote, a row rendered from its layout and own parts (for the check), and the rows joined with pyarrow."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tdplan.analysis.arrow import arrow_array

if TYPE_CHECKING:
    from tdplan.reports.xlsx_rows import RowsPlan

__all__ = ["CHUNK_ROWS", "layout_of", "render", "sheet_chunks", "slots"]

CHUNK_ROWS = 2_500
"""Rows joined at a time (a chunk and the few waiting to be deflated). At a million rows the writing's peak was
170-181 MB at 2,500 rows, 183-194 MB at 5,000 (what the C allocator keeps of freed chunks grows with them), in
about the same time (docs/performance.md)."""


def slots(plan: RowsPlan) -> list[tuple[str, int]]:
    """The pieces of every row, in order: literals (one per layout), references, the row's own parts."""
    slots = [("lit", -1), ("ref", -1)]
    for column in range(plan.width):
        slots += [("lit", column), ("ref", column)]
        if column == plan.columns["row"]:
            slots += [("lit", column), ("num", column)]
        elif column == plan.columns["explanation"]:
            slots += [("lit", column), ("ew", column)]
        elif column in plan.own_columns:
            slots.append(("own", column))
    return [*slots, ("lit", -2)]


def layout_of(plan: RowsPlan, kind: int, text: str, first: int) -> tuple[list[str], list[bool]] | None:
    """The literals of kind ``kind``'s rows, cut from its first row as xlsxwriter wrote it, and which cells the
    rows have; None if that row is not as expected."""
    utility = importlib.import_module("xlsxwriter.utility")
    ref = str(first + 2)
    head = f'<row r="{ref}"'
    if not text.startswith(head) or not text.endswith("</row>"):
        return None
    starts = list(re.finditer('<c r="([A-Z]{1,3})' + ref + '(?=")', text))
    cells: dict[int, tuple[str, str]] = {}
    for at, match in enumerate(starts):
        stop = starts[at + 1].start() if at + 1 < len(starts) else len(text) - len("</row>")
        column = int(utility.xl_cell_to_rowcol(match.group(1) + "1")[1])
        if column in cells or column >= plan.width or (cells and column < max(cells)):
            return None
        cells[column] = (match.group(1), text[match.end() : stop])
    pending = text[len(head) - 1 : starts[0].start() if starts else len(text) - len("</row>")]
    assessed = plan.kinds[kind]["rep"].assessment is not None
    lits, present = ['<row r="'], []
    for column in range(plan.width):
        cell = cells.get(column)
        present.append(cell is not None)
        if cell is None:
            if column == plan.columns["row"]:
                return None
            lits += [""] * (2 if column == plan.columns["explanation"] else 1)
            continue
        letters, rest = cell
        lits.append(pending + '<c r="' + letters)
        pending = ""
        if column == plan.columns["row"]:
            number = f"<v>{first + 1}</v></c>"
            if not rest.endswith(number):
                return None
            lits.append(rest[: -len(number)] + "<v>")
            pending = "</v></c>"
        elif column == plan.columns["explanation"] and assessed:  # in its cell (xlsx_strings): its value's text
            written = plan.explained[int(plan.value_of[first]) + 1]
            at = rest.find(">", rest.find("<t")) + 1 if "<t" in rest else 0
            if at <= 0 or not rest.startswith(written, at):
                return None
            lits.append(rest[:at])
            pending = rest[at + len(written) :]
        elif column == plan.columns["explanation"]:
            lits.append("")
            pending = rest
        elif column not in plan.own_columns:
            pending = rest
    lits.append(pending + "</row>")
    return lits, present


def own_part(plan: RowsPlan, column: int, index: int) -> str:
    if column == plan.columns["value"]:
        return plan.value_bodies[int(plan.value_of[index]) + 1]
    if column == plan.columns["margin"]:
        return plan.margin_bodies[int(plan.margin_of[index]) + 1]
    own = next(own for own in plan.owns if own.column == column)
    return plan.own_bodies[column][int(own.codes[index])]


def render(plan: RowsPlan, layout: tuple[list[str], list[bool]], index: int) -> str:
    """Row ``index`` from its layout and its own parts, as :meth:`_write` joins it (for the check)."""
    lits, present = layout
    parts, at = [], 0
    for kind, column in slots(plan):
        if kind == "lit":
            parts.append(lits[at])
            at += 1
        elif kind == "ref" and (column < 0 or present[column]):
            parts.append(str(index + 2))
        elif kind == "num":
            parts.append(str(index + 1))
        elif kind == "ew":
            parts.append(plan.explained[int(plan.value_of[index]) + 1])
        elif kind == "own":
            parts.append(own_part(plan, column, index))
    return "".join(parts)


def sheet_chunks(plan: RowsPlan, written: dict[int, str]) -> Iterator[list[Any]]:
    """The rows after the header, in order, a list of bytes-like pieces per :data:`CHUNK_ROWS` rows."""
    import numpy as np

    pa, pc = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    kinds = sorted(kind for kind, layout in plan.layouts.items() if layout is not None)
    position = np.zeros(int(plan.key.max()) + 1 if len(plan.key) else 1, dtype=np.int64)
    position[kinds] = np.arange(len(kinds))
    layouts = [layout for layout in (plan.layouts[kind] for kind in kinds) if layout is not None]
    order = slots(plan)
    literals = [[layout[0][at] for layout in layouts] for at in range(len(layouts[0][0]) if layouts else 0)]
    present = np.array([layout[1] for layout in layouts], dtype=bool).reshape(len(layouts), plan.width)
    strings, pool = pa.string(), pa.system_memory_pool()  # pyarrow's default allocator keeps what is freed
    bodies = {own.column: plan.own_bodies[own.column] for own in plan.owns}
    bodies[plan.columns["value"]], bodies[plan.columns["margin"]] = plan.value_bodies, plan.margin_bodies
    # what is joined: the literals between two parts that vary, each layout's joined into one (a cell no layout has
    # is neither a reference nor a part), as one text where every layout has the same; each piece a place in one
    # array of every literal and part (then the chunk's references and numbers), taken once and joined by row
    table: list[list[str]] = [[""]]
    program: list[tuple[str, int, int]] = []  # (kind, column, where its texts start)
    pending: list[str] = []

    def literal() -> None:
        if any(pending):
            program.append(("lit", -1 if len(set(pending)) > 1 else -2, sum(map(len, table))))
            table.append(pending if len(set(pending)) > 1 else pending[:1])

    at = 0
    for kind, column in order:
        if kind == "lit":
            pending = literals[at] if not pending else [a + b for a, b in zip(pending, literals[at], strict=True)]
            at += 1
            continue
        if (kind == "ref" and column >= 0 and not present[:, column].any()) or (
            kind == "own" and not any(bodies[column])
        ):
            continue
        literal()
        pending = []
        if kind in ("own", "ew"):
            program.append((kind, column, sum(map(len, table))))
            table.append(bodies[column] if kind == "own" else plan.explained)
        else:
            program.append((kind, column, 0))
    literal()
    fixed = arrow_array([text for part in table for text in part])
    # every chunk's texts: the fixed ones, then each of the chunk's rows' reference and number (row r's at 2r and
    # 2r + 1 after them), in one array made once (not a copy a chunk)
    size = int(np.frombuffer(fixed.buffers()[1], dtype=np.int32)[len(fixed)])
    offsets_room = np.empty(len(fixed) + 2 * CHUNK_ROWS + 1, dtype=np.int32)
    offsets_room[: len(fixed) + 1] = np.frombuffer(fixed.buffers()[1], dtype=np.int32)[: len(fixed) + 1]
    data_room = np.empty(size + 2 * CHUNK_ROWS * len(str(plan.count + 2)), dtype=np.uint8)
    data_room[:size] = np.frombuffer(fixed.buffers()[2], dtype=np.uint8)[:size]
    # a row's places: its layout's (the literals, where the references and the number start), plus the row's place
    # in the chunk where it has a reference or its number, plus its own parts' codes
    base = np.zeros((len(layouts), len(program)), dtype=np.int32)
    step = np.zeros((len(layouts), len(program)), dtype=np.int32)
    owns: list[tuple[int, Any]] = []  # (piece, each row's code)
    value = plan.columns["value"]
    for number, (kind, column, first) in enumerate(program):
        if kind == "lit":
            base[:, number] = first + (np.arange(len(layouts)) if column == -1 else 0)
        elif kind in ("ref", "num"):
            has = np.ones(len(layouts), dtype=bool) if kind == "num" or column < 0 else present[:, column]
            base[has, number] = len(fixed) + (kind == "num")  # a row's reference and number: 2r and 2r + 1 after
            step[has, number] = 2  # the fixed texts; else 0, the empty text
        elif kind == "ew":  # the explanation's value: by the row's value part, as the value's cell
            base[:, number] = first + 1
            owns.append((number, plan.value_of))
        else:
            own = next((own.codes for own in plan.owns if own.column == column), None)
            base[:, number] = first + (own is None)  # a value's or margin's parts start at 1 (-1: none)
            owns.append((number, own if own is not None else plan.value_of if column == value else plan.margin_of))

    def chunk(start: int, stop: int) -> list[Any]:  # its arrays freed as it returns, but the text's buffer
        chosen = np.arange(start, stop)[~plan.written_mask[start:stop]]
        pieces: list[Any] = []
        if len(chosen):
            used = position[plan.key[chosen]]
            places = base[used]
            places += step[used] * np.arange(len(chosen), dtype=np.int32)[:, None]
            for number, codes in owns:  # codes in narrow integers (xlsx_codes): added to in 32 bits
                places[:, number] += codes[chosen]
            interleaved = np.stack([chosen + 2, chosen + 1], axis=1).ravel()  # each row's reference, its number
            numbers = pc.cast(arrow_array(interleaved), strings, memory_pool=pool)
            ends = np.frombuffer(numbers.buffers()[1], dtype=np.int32)[numbers.offset :][: len(numbers) + 1]
            offsets_room[len(fixed) + 1 :][: len(numbers)] = ends[1:] - ends[0] + size
            data_room[size:][: ends[-1] - ends[0]] = np.frombuffer(numbers.buffers()[2], np.uint8)[ends[0] : ends[-1]]
            rooms = map(pa.py_buffer, (offsets_room, data_room))
            every = pa.StringArray.from_buffers(len(fixed) + len(numbers), *rooms)
            # taken in the rows' order, the pieces' text is the rows' text: each row ends where its last piece does
            texts = pc.take(every, arrow_array(places.ravel()), memory_pool=pool)
            offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32)
            offsets = offsets[texts.offset : texts.offset + len(texts) + 1 : len(program)]
            data = memoryview(texts.buffers()[2])
        done = 0
        for index in [index for index in plan.written if start <= index < stop]:
            before = int(np.searchsorted(chosen, index))
            if before > done:
                pieces.append(data[offsets[done] : offsets[before]])
                done = before
            pieces.append(written[index].encode("utf-8"))
        if done < len(chosen):
            pieces.append(data[offsets[done] : offsets[len(chosen)]])
        return pieces

    for start in range(0, plan.count, CHUNK_ROWS):
        yield chunk(start, min(plan.count, start + CHUNK_ROWS))
