"""The rows sheet of a large table's Excel report, written by combination.

xlsxwriter writes the workbook as for any table (every other sheet, the styles, the rows
sheet's header, frozen panes, filter and print setup), but on the rows sheet only a few
rows: for each (combination, status) layout its first and last rows, the rows the scalar
path decided or a check names, and the table's last row (so that the sheet's dimension
is xlsxwriter's own). Each layout is then cut out of the XML xlsxwriter wrote for its
first row: the constant cells are one literal (their styles, types and shared strings'
numbers as xlsxwriter wrote them), and the row's own parts (its reference ``r``, its
number, area, value, margin, the explanation's value, the file's other cells) are written once per
distinct value by xlsxwriter's own cell writer, and joined with pyarrow,
:data:`~tdplan.reports.xlsx_layouts.CHUNK_ROWS` rows at a time. A layout is used only if it gives its first and last
rows byte for byte as xlsxwriter wrote them; else its rows are written by xlsxwriter (the
workbook is written again). The rows sheet is deflated into the workbook's zip file in a
thread (zlib releases the GIL) while the next rows are joined, at :data:`COMPRESS_LEVEL`.
Formats are numbered, and texts shared (:mod:`tdplan.reports.xlsx_strings`), in the order
the cell-by-cell path first uses them, so the workbook is the one that path writes, part
for part.
"""

from __future__ import annotations

import importlib
import io
import itertools
import operator
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from tdplan.analysis.columns import written_cells
from tdplan.analysis.combinations import read_value, representative
from tdplan.analysis.reading import COLUMNS, column_key, find_columns, plain_cell, text_cell
from tdplan.analysis.scorecard import DecidedRows, Scorecard, ScoredRow
from tdplan.core.errors import TdplanError
from tdplan.core.notation import Lang, format_value
from tdplan.core.text import clean
from tdplan.core.units import Unit
from tdplan.reports.checks import row_notes
from tdplan.reports.content import margin_text, value_text
from tdplan.reports.xlsx_codes import combine, first_rows, narrow, narrow_type, split_codes, used_codes
from tdplan.reports.xlsx_layouts import layout_of, render, sheet_chunks
from tdplan.reports.xlsx_strings import SHARED_LONGEST, shared_index, shared_sheet_class
from tdplan.reports.zip_parts import rewrite_zip

__all__ = ["COMPRESS_LEVEL", "RowsPlan", "looks_rich", "number_cell", "write_by_combination", "write_text"]

COMPRESS_LEVEL = 1
"""zlib's level for the rows sheet (xlsxwriter's other parts keep its own, 6): measured in docs/performance.md."""

_SHEET = "xl/worksheets/sheet2.xml"  # the rows sheet: the workbook's second
# A text longer than this may be cut by xlsxwriter (32,767 UTF-16 units), and one it would write as XML is written as
# a rich string (xlsx_format.write_text): such a row is xlsxwriter's.
_LONG = SHARED_LONGEST
_ROW_START = re.compile(r'<row r="(\d+)"')

Cell = tuple[int, Any, Any]  # (column, a cleaned text or a number, its format)


def write_text(sheet: Any, row: int, column: int, text: str, fmt: Any) -> None:
    """A text cell, whatever its text.

    xlsxwriter's ``constant_memory`` mode writes a text that starts with ``<r>`` and ends
    with ``</r>`` into the sheet as XML, unescaped (it takes it for a rich string it built):
    the cell would read empty, or the workbook be broken. Such a text is written as a
    rich string of three plain pieces instead (xlsxwriter wants more than two), which
    reads back as the same text, in the default font.
    """
    if looks_rich(text):
        sheet.write_rich_string(row, column, text[:1], text[1:2], text[2:], fmt)
    else:
        sheet.write_string(row, column, text, fmt)


def looks_rich(text: str) -> bool:
    """Whether xlsxwriter's ``constant_memory`` mode would write ``text`` as XML (:func:`write_text`)."""
    return text.startswith("<r>") and text.endswith("</r>")


def number_cell(number: Decimal, unit: Unit, signed: bool, f: Any, text: Callable[[], str]) -> tuple[Any, Any]:
    """A value or margin cell: the number, in a format showing every digit it has and its unit; or its text
    (``text()``), where a spreadsheet's number cannot hold its digits (17,99999999999999999 would show 18)."""
    if Decimal(repr(float(number))) == number:
        return float(number), f.number(number, unit, signed)
    return clean(text()), f.text


def _distinct(cells: Any) -> tuple[Any, list[Any]]:
    """Each cell's code (narrow) and the distinct cells as written (:func:`~tdplan.analysis.columns.written_cells`):
    a coded column's as they are."""
    split = split_codes(cells)
    if split is not None:
        return split
    codes, distinct, _ = written_cells(cells)
    return narrow(codes, len(distinct)), distinct


@attrs.frozen
class _Own:
    """A column whose cell is each row's own: its cells' codes, and each distinct cell's text (None: no cell)."""

    column: int
    codes: Any
    texts: list[str | None]


class RowsPlan:
    """Which rows xlsxwriter writes on the rows sheet, and how the others are joined (see the module)."""

    def __init__(self, card: Scorecard, lang: Lang, columns: dict[str, int], failed: Iterable[int] = ()) -> None:
        import numpy as np

        rows = card.rows
        assert isinstance(rows, DecidedRows)
        self.rows, self.lang, self.columns = rows, lang, columns
        count = self.count = len(rows)
        found = find_columns(card.columns)
        shortcut = np.asarray(rows.shortcut, dtype=bool)
        codes = np.asarray(rows.codes)
        candidate = (codes >= 0) | shortcut
        candidate[list(rows.scored)] = False
        value_codes, raw_values = _distinct(rows.columns[found["value"]])
        self.values = [read_value(raw) for raw in raw_values]
        missing = np.array([value is None for value in self.values], dtype=bool)
        below = np.array([value is not None and value < 1 for value in self.values], dtype=bool)
        candidate &= shortcut | ~missing[value_codes]
        key = combine(np.asarray(rows.combination), 5, np.where(shortcut, np.int8(4), codes))[0]

        self.owns: list[_Own] = []
        extra = list(card.ignored_columns)
        self.width = len(columns) + len(extra)
        sources: list[tuple[int, Any, list[str]]] = []  # (column, each row's code, each code's text)
        for at, name in enumerate([found.get("area"), *extra]):
            if name is None or name not in rows.columns:
                continue
            cell_codes, distinct = _distinct(rows.columns[name])
            texts, bad = [], np.zeros(len(distinct), dtype=bool)
            for number, raw in enumerate(distinct):
                cell = plain_cell(raw)
                try:
                    texts.append((text_cell(cell) or "") if at == 0 else ("" if cell is None else str(cell)))
                except (TdplanError, TypeError, ValueError):
                    texts.append("")
                    bad[number] = True
            candidate &= ~bad[cell_codes]
            sources.append((columns["area"] if at == 0 else len(columns) + at - 1, cell_codes, texts))
        checked = {"": 0}  # the rules a row's figure breaks, its jump (reports/checks.py): a row's own text
        self.row_notes = row_notes(card, lang)  # also the cell-by-cell rows' (xlsx_format)
        at_rows = {n - 1: checked.setdefault("; ".join(notes), len(checked)) for n, notes in self.row_notes.items()}
        at_rows = {at: code for at, code in at_rows.items() if 0 <= at < count}
        check_codes = np.zeros(count, dtype=narrow_type(len(checked)))
        check_codes[list(at_rows)] = list(at_rows.values())
        sources.append((columns["checks"], check_codes, list(checked)))
        sources.append((columns["notes"], *self._notes(key, value_codes, below, candidate & ~shortcut)))
        for column, cell_codes, texts in sources:
            long = np.array([len(text) > _LONG or looks_rich(clean(text)) for text in texts], dtype=bool)
            candidate &= ~long[cell_codes]
            cleaned = [clean(text) if text != "" else None for text in texts]
            present = np.array([text is not None for text in cleaned], dtype=np.int8)
            key = combine(key, 2, present[cell_codes])[0]
            self.owns.append(_Own(column, cell_codes, cleaned))
        for name in card.columns:  # a problem row shows its indicator and year as given: part of its layout
            keys = COLUMNS["indicator"] + COLUMNS["year"] + COLUMNS["period"]
            if column_key(name) in keys and name in rows.columns and name != found.get("value"):
                cell_codes, distinct = _distinct(rows.columns[name])
                key = combine(key, len(distinct) + 1, np.where(shortcut, cell_codes, 0))[0]
        # each kind's template: its first row, one of a value of 1 or more where it has one (a note is the row's own)
        self.failed = failed = set(failed)
        """The layouts a first try found wrong: their rows written by xlsxwriter."""
        self.kinds: dict[int, dict[str, Any]] = {}
        size = int(key.max(initial=0)) + 1
        for preferred in (candidate & (shortcut | ~below[value_codes]), candidate):
            first = first_rows(key, size, preferred)
            for kind in (first < count).nonzero()[0].tolist():
                if kind not in self.kinds:
                    self.kinds[kind] = self._kind(int(first[kind]), found)
        units: list[Unit] = []
        margins: list[tuple[str, str, Unit]] = []
        self.unit_reps: dict[int, Any] = {}
        self.margin_reps: dict[int, Any] = {}
        unit_of = np.full(size, -1, dtype=np.int64)
        margin_of = unit_of.copy()
        good = np.zeros(len(unit_of), dtype=bool)
        noted = np.zeros(len(unit_of), dtype=bool)
        for kind, made in self.kinds.items():
            if made["rep"] is None or kind in failed:
                continue
            good[kind] = True
            a = made["rep"].assessment
            if a is not None:
                noted[kind] = made["noted"]
                unit_of[kind] = _index(units, a.target.unit)
                self.unit_reps.setdefault(int(unit_of[kind]), a)
                margin_of[kind] = _index(margins, (str(a.target.threshold), a.target.comparator.value, a.target.unit))
                self.margin_reps.setdefault(int(margin_of[kind]), a)
        self.units = units
        candidate &= good[key]
        self.key, self.candidate = key, candidate
        # the rows xlsxwriter writes: every row not joined, each layout's first and last rows, the last row
        last = first_rows(key, size, candidate, last=True)
        kinds = (last >= 0).nonzero()[0]
        lasts = last[kinds]
        firsts = np.array([self.kinds[kind]["at"] for kind in kinds.tolist()], dtype=np.int64)
        written = ~candidate
        written[firsts] = written[lasts] = True
        written[count - 1] = True
        self.written_mask = written
        self.written: list[int] = written.nonzero()[0].tolist()
        spans = zip(kinds.tolist(), firsts.tolist(), lasts.tolist(), strict=True)
        self.checked = {kind: (first, last) for kind, first, last in spans}
        # the value's parts: by (unit, value) and (margin's target, value)
        assessed = candidate & ~shortcut
        self.value_parts, self.value_of = _parts(narrow(unit_of, len(units))[key], assessed, value_codes)
        self.margin_parts, self.margin_of = _parts(narrow(margin_of, len(margins))[key], assessed, value_codes)
        self.margin_targets = margins
        self.value_cells: list[tuple[Any, Any]] = []
        self.margin_cells: list[tuple[Any, Any]] = []
        self.own_columns = {own.column for own in self.owns} | {columns["value"], columns["margin"]}

    def _notes(self, key: Any, value_codes: Any, below: Any, assessed: Any) -> tuple[Any, list[str]]:
        """Each row's notes (a value below 1 for a % target of 90 or more, with no unit: tables.py), as a code and
        each code's text: written once per (combination and status, value), from a row of it by the scalar path."""
        import numpy as np

        size = int(key.max(initial=0)) + 1
        first = first_rows(key, size, assessed)
        noted = np.zeros(size, dtype=bool)
        for kind in (first < len(key)).nonzero()[0].tolist():
            a = self.rows[int(first[kind])].assessment  # every row of its kind has its target: the note is the row's
            noted[kind] = a is not None and a.target.unit is Unit.PERCENT and a.target.threshold >= 90
        mine = assessed & noted[key] & below[value_codes]
        codes, uniques = combine(key, int(value_codes.max(initial=0)) + 1, value_codes, mine)
        codes += 1  # 0: no note
        firsts = first_rows(codes, len(uniques) + 1, mine)[1:]
        return codes, ["", *(" ".join(note.text(self.lang) for note in self.rows[at].notes) for at in firsts.tolist())]

    def _kind(self, at: int, found: dict[str, str]) -> dict[str, Any]:
        """Row ``at``, the first of its kind, if its layout can be shared (else ``rep`` is None)."""
        shared = representative(self.rows, at, found)  # the row the report by combination shares, as JSON's and CSV's
        rep, noted = shared if shared is not None else (None, False)
        return {"at": at, "rep": rep, "noted": noted}

    def prepare(self, f: Any, cells_of: Callable[[Any], list[Cell]], header: list[Cell]) -> None:
        """Before xlsxwriter writes the rows: the value and margin cells, the formats numbered and the texts shared
        in the order the cell-by-cell path would first use them (row by row, cell by cell), and each own part's
        cell as xlsxwriter writes it."""
        self.f = f
        self.value_cells, self.margin_cells = [], []
        for unit, code in self.value_parts:
            a, value = self.unit_reps[unit], self.values[code]
            assert value is not None
            text = _shown(value_text, a, value, self.lang)
            self.value_cells.append(number_cell(value, a.target.unit, False, f, text))
        for group, code in self.margin_parts:
            a, value = self.margin_reps[group], self.values[code]
            assert value is not None
            margin = a.target.margin(value)
            text = _shown(margin_text, a, value, self.lang)
            self.margin_cells.append(number_cell(margin, a.target.unit, True, f, text))
        uses = [(0, column, fmt) for column, _, fmt in header]
        templates = {first for first, _ in self.checked.values()}
        self.formats: dict[int, Any] = {}  # the format of each column, as the layouts' first rows have it
        self.built: dict[int, ScoredRow] = {}
        cells: dict[int, list[Cell]] = {}  # the layouts' first rows
        texts: list[tuple[int, int, str, int]] = []  # each text's (row on the sheet, column), and cells joined
        for index in self.written:
            row = self.built[index] = self.rows[index]
            row_cells = cells_of(row)
            uses += [(index + 1, column, fmt) for column, _, fmt in row_cells]
            texts += [(index + 1, column, value, 0) for column, value, _ in row_cells if self._shared(column, value)]
            if index in templates:
                cells[index] = row_cells
                for column, _, fmt in row_cells:
                    self.formats.setdefault(column, fmt)
        self._joined(cells, uses, texts)
        for _, _, fmt in sorted(uses, key=operator.itemgetter(0, 1)):  # by row, then column
            if fmt is not None:
                fmt._get_xf_index()  # xlsxwriter numbers a format when a cell first uses it
        self._share(f.book.str_table, texts)

    def _joined(self, cells: dict[int, list[Cell]], uses: list[Any], texts: list[tuple[int, int, str, int]]) -> None:
        """The joined rows' formats and texts, each at its first row, with the count of its cells."""
        joined = self.candidate & ~self.written_mask

        def found(codes: Any) -> Iterator[tuple[int, int, int]]:
            counted, first = used_codes(codes, int(codes.max(initial=-1)) + 1, joined)
            present = counted.nonzero()[0]
            return zip(present.tolist(), first[present].tolist(), counted[present].tolist(), strict=True)

        for kind, at, count in found(self.key):
            for column, value, fmt in cells[self.kinds[kind]["at"]]:
                if column not in self.own_columns:
                    uses.append((at + 1, column, fmt))
                    if self._shared(column, value):
                        texts.append((at + 1, column, value, count))
        for own in self.owns:
            for code, at, count in found(own.codes):
                text = own.texts[code]
                if text is not None:
                    uses.append((at + 1, own.column, self.formats.get(own.column)))
                    if self._shared(own.column, text):
                        texts.append((at + 1, own.column, text, count))
        for parts, made, column in (
            (self.value_of, self.value_cells, self.columns["value"]),
            (self.margin_of, self.margin_cells, self.columns["margin"]),
        ):
            for part, at, count in found(parts):
                value, fmt = made[part]
                uses.append((at + 1, column, fmt))
                if isinstance(value, str):
                    texts.append((at + 1, column, value, count))

    def _shared(self, column: int, value: Any) -> bool:
        """Whether a cell's text may be shared, as :func:`~tdplan.reports.xlsx_strings.shared_index` then says: not
        the explanation's nor the file's other cells, which the rows sheet writes in their cells (xlsx_format)."""
        return isinstance(value, str) and column != self.columns["explanation"] and column < len(self.columns)

    def _share(self, table: Any, texts: list[tuple[int, int, str, int]]) -> None:
        """Share the rows' texts in the order of their first cells, and count every joined cell of a shared text
        (xlsxwriter counts the cells it writes); then each own part's cell, as xlsxwriter writes it."""
        import numpy as np

        before = table.count
        rows = np.array([text[0] for text in texts], dtype=np.int64)
        columns = np.array([text[1] for text in texts], dtype=np.int64)
        shared = table.string_table
        for at in np.lexsort((columns, rows)).tolist():
            if texts[at][2] not in shared:
                shared_index(table, texts[at][2])
        table.count = before + sum(count for _, _, text, count in texts if count and text in shared)
        self._bodies(shared)

    def written_rows(self) -> Iterator[tuple[int, ScoredRow]]:
        """The rows xlsxwriter writes, in order, with their row on the sheet (each built once)."""
        for index in self.written:
            built = self.built.pop(index, None)
            yield index + 1, self.rows[index] if built is None else built

    # -- after xlsxwriter: the layouts, checked, and the sheet

    def finish(self, book: bytes, target: str | Path | BinaryIO) -> set[int] | None:
        """Write the workbook to ``target`` with every row; or the kinds whose layout failed its check (nothing
        written), or None if xlsxwriter's sheet is not as expected."""
        with zipfile.ZipFile(io.BytesIO(book)) as source:
            xml = source.read(_SHEET).decode("utf-8")
        start, end = xml.find("<sheetData>"), xml.rfind("</sheetData>")
        found = list(_ROW_START.finditer(xml, start, end))
        if start < 0 or [int(m.group(1)) for m in found] != [1, *(index + 2 for index in self.written)]:
            return None
        bounds = [m.start() for m in found] + [end]
        written = {index: xml[bounds[at + 1] : bounds[at + 2]] for at, index in enumerate(self.written)}
        failed: set[int] = set()
        self.layouts: dict[int, tuple[list[str], list[bool]] | None] = {}
        for kind, (first, last) in self.checked.items():
            layout = layout_of(self, kind, written[first], first)
            self.layouts[kind] = layout
            if layout is None or any(render(self, layout, at) != written[at] for at in (first, last)):
                failed.add(kind)
        if failed:
            return failed
        head, tail = xml[: bounds[1]], xml[end:]
        self.written_xml = written
        rows = itertools.chain([[head.encode("utf-8")]], sheet_chunks(self, written), [[tail.encode("utf-8")]])
        rewrite_zip(book, target, _SHEET, rows, COMPRESS_LEVEL, self._large(head, tail))
        return set()

    def _bodies(self, shared: dict[str, int]) -> None:
        """Each distinct own part as xlsxwriter writes it after the cell's row number (``" s="4"><v>16.5</v></c>``,
        ``" s="10" t="s"><v>17</v></c>`` for the text shared as number 17)."""
        worksheet = importlib.import_module("xlsxwriter.worksheet")
        utility = importlib.import_module("xlsxwriter.utility")
        scratch = worksheet.Worksheet()
        made: dict[tuple[int, int], tuple[str, str] | None] = {}

        def write(column: int, cell: Any, inline: bool) -> str:
            scratch.fh = io.StringIO()
            scratch.constant_memory = inline
            scratch._write_cell(0, column, cell)
            return str(scratch.fh.getvalue())[len(f'<c r="{utility.xl_col_to_name(column)}1') :]

        numbers: dict[tuple[int, str, int], str] = {}  # a number's cell, once per its text and format (margins repeat)

        def body(column: int, value: Any, fmt: Any) -> str:
            if not isinstance(value, str):
                key = (column, repr(value), id(fmt))  # repr: -0.0 is not 0.0, 1 not 1.0
                if key not in numbers:
                    numbers[key] = write(column, worksheet.CellNumberTuple(value, fmt), True)
                return numbers[key]
            index = shared.get(value) if self._shared(column, value) else None
            if index is None:  # a text not shared: in its cell
                return write(column, worksheet.CellStringTuple(value, fmt), True)
            if (column, id(fmt)) not in made:  # a shared text's cell: its number between two texts of its format's
                head, sep, tail = write(column, worksheet.CellStringTuple(0, fmt), False).rpartition("<v>0</v>")
                made[column, id(fmt)] = (head + "<v>", "</v>" + tail) if sep else None
            around = made[column, id(fmt)]
            if around is None:
                return write(column, worksheet.CellStringTuple(index, fmt), False)
            return around[0] + str(index) + around[1]

        value, margin = self.columns["value"], self.columns["margin"]
        escape = importlib.import_module("xml.sax.saxutils").escape
        self.explained = [""]  # the explanation's value, as its text starts
        for unit, code in self.value_parts:
            number = self.values[code]
            assert number is not None
            self.explained.append(escape(clean(format_value(number, self.units[unit], self.lang))))
        self.value_bodies = ["", *(body(value, *cell) for cell in self.value_cells)]
        self.margin_bodies = ["", *(body(margin, *cell) for cell in self.margin_cells)]
        self.own_bodies: dict[int, list[str]] = {}
        for own in self.owns:
            fmt = self.formats.get(own.column)
            self.own_bodies[own.column] = ["" if text is None else body(own.column, text, fmt) for text in own.texts]

    def _large(self, head: str, tail: str) -> bool:
        """Whether the rows sheet may pass zip's 2 GiB, needing its 64-bit sizes (from an upper bound of its bytes)."""

        def size(text: str) -> int:
            return len(text.encode("utf-8", "surrogatepass"))

        longest = max((sum(map(size, layout[0])) for layout in self.layouts.values() if layout), default=0)
        own = [self.value_bodies, self.margin_bodies, self.explained, *self.own_bodies.values()]
        per_row = longest + sum(max(map(size, texts), default=0) for texts in own) + (self.width + 2) * 8
        written = sum(map(size, self.written_xml.values()))
        return per_row * self.count + written + size(head) + size(tail) > zipfile.ZIP64_LIMIT


def _parts(groups: Any, where: Any, codes: Any) -> tuple[list[tuple[int, int]], Any]:
    """The distinct (group, code) pairs of the rows ``where`` is true that have a group (0 or more), and each
    row's pair (-1: none)."""
    size = int(codes.max()) + 1 if len(codes) else 1
    ids, uniques = combine(groups, size, codes, where & (groups >= 0))
    return [(unique // size, unique % size) for unique in uniques.tolist()], ids


def _index(found: list[Any], item: Any) -> int:
    if item not in found:
        found.append(item)
    return found.index(item)


def _shown(written: Callable[[Any, Lang], str], a: Any, value: Decimal, lang: Lang) -> Callable[[], str]:
    """The value's or margin's text for ``a``'s target, as the row's own assessment would write it."""
    return lambda: written(attrs.evolve(a, value=value, margin=a.target.margin(value)), lang)


def write_by_combination(
    card: Scorecard,
    target: str | Path | BinaryIO,
    lang: Lang,
    build: Callable[..., None],
    columns: dict[str, int],
) -> RowsPlan | None:
    """Write ``card``'s workbook to ``target`` with its rows sheet by combination, and say how (the plan); None
    (nothing written) where xlsxwriter's sheet is not as expected. ``build(buffer, plan=plan)`` writes the workbook
    with xlsxwriter; ``columns``: the rows sheet's columns by name (``row``, ``area``, ``value`` …)."""
    worksheet = importlib.import_module("xlsxwriter.worksheet")
    if not all(hasattr(worksheet, name) for name in ("CellStringTuple", "CellNumberTuple", "Worksheet")) or not (
        hasattr(worksheet.Worksheet, "_write_cell") and shared_sheet_class() is not None
    ):
        return None  # the own parts are written by xlsxwriter's cell writer, by its private names: else cell by cell
    failed: set[int] = set()
    for _ in range(3):
        plan = RowsPlan(card, lang, columns, failed)
        buffer = io.BytesIO()
        build(buffer, plan=plan)
        found = plan.finish(buffer.getvalue(), target)
        if found is None:
            return None
        if not found:
            return plan
        failed |= found
    return None
