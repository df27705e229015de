"""A large table's rows by combination: the assessments its rows share, and its rows counted by indicator.

A table NumPy decided (:class:`~tdplan.analysis.scorecard.DecidedRows`) has a million rows but a few
thousand (indicator, year, unit, group) combinations. :func:`scored_rows` gives every row, equal to the
row the scalar path builds, making one assessment per (combination, status, value) from a row of it the
scalar path built; :func:`assessed_by_indicator` counts the assessed rows of each indicator from the
status codes; :func:`read_value` reads a value cell NumPy decided as the scalar path reads it. The reports
(:mod:`tdplan.reports.combination_rows`) write large tables with them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from tdplan.analysis.cells import given_unit, written_unit
from tdplan.analysis.columns import CodedColumn, TextColumn, cell_list
from tdplan.analysis.reading import GROUPS, find_columns, is_blank, plain_cell, text_cell
from tdplan.analysis.scorecard import DecidedRows, Scorecard, ScoredRow
from tdplan.core.errors import TdplanError
from tdplan.core.units import Unit, parse_unit

if TYPE_CHECKING:
    from tdplan.core.model import Assessment

__all__ = ["CHUNK_ROWS", "assessed_by_indicator", "read_value", "representative", "scored_rows", "shared_columns"]

CHUNK_ROWS = 50_000
"""Rows whose cells :func:`scored_rows` reads at a time."""


def read_value(raw: Any) -> Decimal | None:
    """A value cell NumPy decided, as the exact Decimal the scalar path reads (None: leave its rows to it)."""
    cell = written_unit(plain_cell(raw))[0]  # 95,5%: its unit is the row's (given_unit)
    number: Decimal | None = None
    if isinstance(cell, str):
        try:
            number = Decimal(cell.replace(",", "."))  # a plain cell: digits and at most one decimal sign
        except ArithmeticError:  # a cell NumPy did not decide ("16,5‰"): its row is the scalar path's
            return None
    elif isinstance(cell, float):
        number = Decimal(repr(cell))
    elif isinstance(cell, int) and not isinstance(cell, bool):
        number = Decimal(cell)
    if number is not None and not number.is_finite():
        return None
    if number is not None and number.is_zero():
        number = number.copy_abs()
    return number


def shared_columns(rows: DecidedRows, found: dict[str, str]) -> set[str]:
    """The columns whose cell every row of a combination has, written alike: its indicator, year, unit and groups,
    where each distinct cell is its own combination (text, or whole numbers; not a DataFrame's objects, where 1,
    1.0 and True are one combination and written three ways).

    A large file's year is a combination by its number, read only from four digits: one text a number.
    """
    import numpy as np

    names = [found[name] for name in ("indicator", "year", "unit", *GROUPS) if name in found]
    return {
        name
        for name in names
        if isinstance(rows.columns[name], CodedColumn | TextColumn)
        or (isinstance(rows.columns[name], np.ndarray) and rows.columns[name].dtype.kind in "iu")
    }


def scored_rows(card: Scorecard) -> Iterator[ScoredRow]:
    """Every row of ``card`` (:func:`fast_ready`), equal to ``card.rows[i]``, without the scalar path for most:
    an assessment per (combination, status, value) is made once from a row of it the scalar path built, and
    shared by every row with that value; a row with anything of its own beyond its cells, area and value (a
    note, a converted unit, a problem the scalar path found) is the scalar path's."""
    import numpy as np

    rows = card.rows
    assert isinstance(rows, DecidedRows)
    found = find_columns(card.columns)
    names = [name for name in card.columns if name in rows.columns]
    shortcut = np.asarray(rows.shortcut, dtype=bool)
    candidate = (rows.codes >= 0) | shortcut
    candidate[list(rows.scored)] = False
    kinds = (np.asarray(rows.combination).astype(np.int64) * 5 + np.where(shortcut, 4, rows.codes)).tolist()
    reps: dict[int, tuple[ScoredRow, bool] | None] = {}
    made: dict[tuple[int, Any], Assessment | None] = {}
    areas: dict[tuple[type, Any], str | None] = {}
    values: dict[Any, Decimal | None] = {}
    for start in range(0, len(rows), CHUNK_ROWS):
        stop = min(len(rows), start + CHUNK_ROWS)
        cells = {name: cell_list(rows.columns[name][start:stop]) for name in names}
        value_cells, area_cells = cells[found["value"]], cells[found["area"]] if "area" in found else None
        for index in range(start, stop):
            at, kind = index - start, kinds[index]
            rep = reps.get(kind, ...) if candidate[index] else None
            if rep is ...:
                rep = reps[kind] = representative(rows, index, found)
            if rep is None:
                yield rows[index]
                continue
            area_cell = None if area_cells is None else area_cells[at]
            area = areas.get((type(area_cell), area_cell), ...)
            if area is ...:
                area = areas[(type(area_cell), area_cell)] = text_cell(plain_cell(area_cell))
            given = {name: plain_cell(cells[name][at]) for name in names}
            row, noted = rep
            if row.problem is not None:
                yield ScoredRow(index + 1, given, problem=attrs.evolve(row.problem, row=index + 1), area=area)
                continue
            raw = value_cells[at]
            assessment = made.get((kind, raw), ...)
            if assessment is ...:
                value = values.get(raw, ...)
                if value is ...:
                    value = values[raw] = read_value(raw)
                a = row.assessment
                assessment = None
                if a is not None and value is not None and not (noted and value < 1):  # a note: the scalar path's
                    assessment = attrs.evolve(a, value=value, margin=a.target.margin(value))
                made[(kind, raw)] = assessment
            if assessment is None:
                yield rows[index]
                continue
            yield ScoredRow(index + 1, given, assessment=assessment, area=area)


def representative(rows: DecidedRows, index: int, found: dict[str, str]) -> tuple[ScoredRow, bool] | None:
    """Row ``index`` by the scalar path, if its (combination, status)'s rows can share its assessment (and whether
    a value below 1 of it has a note); else None."""
    from tdplan.analysis.bulk import STATUS_CODES

    row = rows[index]
    if row.problem is not None:
        return (row, False) if rows.shortcut[index] else None
    a = row.assessment
    if a is None or a.status is not STATUS_CODES[int(rows.codes[index])] or not a.exact:
        return None
    if row.period is not None or row.counts is not None:
        return None
    unit_cell = given_unit(row.cells, found)
    try:
        if unit_cell is not None and not is_blank(unit_cell) and parse_unit(unit_cell) is not a.target.unit:
            return None  # the value was converted: its digits are not the cell's
    except (TdplanError, TypeError):
        return None
    return row, a.target.unit is Unit.PERCENT and a.target.threshold >= 90 and is_blank(unit_cell)


def assessed_by_indicator(card: Scorecard) -> tuple[Any, dict[str, list[int]]]:
    """For each row, the position in ``card.plan.indicators`` of the indicator it was assessed against (a NumPy
    array of int16, -1 for a row not assessed); and for each plan indicator, how many rows have each status (by
    status code).

    Counted from the status codes and combinations, without building rows. An indicator's row numbers are
    ``numpy.flatnonzero(positions == its position) + 1``, taken a slice at a time where memory matters.
    """
    import numpy as np

    from tdplan.analysis.bulk import STATUS_CODES

    rows = card.rows
    assert isinstance(rows, DecidedRows)
    plan = card.plan
    ids = [indicator.id for indicator in plan.indicators]
    position = {id: number for number, id in enumerate(ids)}
    found = find_columns(card.columns)
    codes, combination = rows.codes, rows.combination
    indicator = rows.columns[found["indicator"]]
    statuses = len(STATUS_CODES)
    which = np.full(len(rows), -1, dtype=np.int16)
    of_kind = np.zeros(0, dtype=np.int16)  # by combination: the indicator's position, -2 where not yet read
    tallied = np.zeros(len(ids) * statuses, dtype=np.int64)
    scored = np.fromiter(rows.scored, dtype=np.int64, count=len(rows.scored))
    for start in range(0, len(rows), CHUNK_ROWS * 10):  # a slice at a time: no array of the table's length but one
        stop = min(len(rows), start + CHUNK_ROWS * 10)
        decided = codes[start:stop] >= 0
        decided[scored[(scored >= start) & (scored < stop)] - start] = False
        chosen = decided.nonzero()[0]
        if not len(chosen):
            continue
        picked = np.asarray(combination[start:stop])[chosen]
        if int(picked.max()) >= len(of_kind):  # looked up by code: sorting a slice's codes took most of the time
            of_kind = np.concatenate([of_kind, np.full(int(picked.max()) + 1 - len(of_kind), -2, dtype=np.int16)])
        unread = (of_kind[picked] == -2).nonzero()[0]
        kinds, first = np.unique(picked[unread], return_index=True)
        for kind, at in zip(kinds.tolist(), unread[first].tolist(), strict=True):
            cell = indicator[start + int(chosen[at])]
            of_kind[kind] = position.get(str(text_cell(plain_cell(cell))), -1)
        which[start:stop][chosen] = of_kind[picked]
    for index, row in rows.scored.items():
        if row.assessment is not None:
            which[index] = position[row.assessment.indicator.id]
    for start in range(0, len(rows), CHUNK_ROWS * 10):
        mine = which[start : start + CHUNK_ROWS * 10]
        assessed = mine >= 0
        kinds = mine[assessed].astype(np.int64) * statuses + codes[start : start + CHUNK_ROWS * 10][assessed]
        tallied += np.bincount(kinds, minlength=len(ids) * statuses)
    counted: list[int] = tallied.tolist()
    counts = {id: counted[number * statuses : (number + 1) * statuses] for number, id in enumerate(ids)}
    return which, counts
