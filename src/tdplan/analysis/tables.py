"""Whole tables of figures assessed at once: rows in, a :class:`~tdplan.analysis.scorecard.Scorecard` out.

A table has a row per measurement: which indicator, the value (or its numerator and
denominator), its unit, the year (or a date or reporting period), the place (``area``)
and the group (``residence``, ``age``). Column names may be English or Vietnamese
(``chỉ tiêu``, ``giá trị``, ``năm``, ``địa bàn`` …, with or without accents); other
columns are kept with their row. Rows may come from a CSV file, a list of mappings, or a
pandas DataFrame, and give the same scorecard.

A bad row does not stop the table: it is kept, with its row number and the reason, and
counted; nothing is skipped silently. Row 1 is the first record under the header; blank
lines of a CSV file are passed over but counted, so a row's number is its place in the
file (in a workbook, the number Excel shows). A CSV row with cells past the header's last
column is a row problem (a value split by the separator, most likely), never a cut row; a
row shorter than its header is a row problem where it lacks a cell it needs
(:func:`missing_cells`), its other missing cells read as empty; two columns with one name
are an error. Columns tdplan does not read are named in
:attr:`Scorecard.ignored_columns`. See ``docs/tables.md``.
"""

from __future__ import annotations

import importlib
import io
import os
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from tdplan.analysis.assessment import assess_rate
from tdplan.analysis.cells import Measured, check_decimal, column_notation, group_cell, year_cell
from tdplan.analysis.columns import hashable
from tdplan.analysis.progress import for_period
from tdplan.analysis.reading import (
    EXTRA_CELLS,
    GROUPS,
    TableLike,
    cell_of,
    check_table_file,
    count_cell,
    find_columns,
    frame_columns,
    header_unit,
    ignored_columns,
    is_blank,
    is_frame,
    plain_cell,
    read_table,
    text_cell,
)
from tdplan.analysis.scorecard import DecidedRows, RowProblem, Scorecard, ScoredRow
from tdplan.core.errors import InputTypeError, InvalidValueError, TdplanError, UnitError
from tdplan.core.i18n import Lang, Message
from tdplan.core.model import Assessment
from tdplan.core.notation import format_number, parse_value
from tdplan.core.periods import Period
from tdplan.core.text import check_lang
from tdplan.core.units import Unit, parse_unit
from tdplan.core.vocabulary import Text

if TYPE_CHECKING:
    from tdplan.analysis.jumps import JumpBand
    from tdplan.core.model import Plan
    from tdplan.core.units import Unit

__all__ = ["BULK_ROWS", "Progress", "Reading", "assess_frame", "assess_table", "missing_cells", "score_row"]


def _year_and_period(cells: dict[str, Any], found: dict[str, str]) -> tuple[int, Period | None]:
    year_cell_ = cell_of(cells, found, "year")
    period_cell = cell_of(cells, found, "period")
    period = None
    if period_cell is not None and not is_blank(period_cell):
        period = Period.parse(period_cell.strip() if isinstance(period_cell, str) else period_cell)
    if is_blank(year_cell_):
        if period is None:
            raise InputTypeError("the row has no year: fill in the year (năm) or the period (kỳ)")
        return period.year, period
    year = year_cell(year_cell_)
    if period is not None and period.year != year:
        raise InputTypeError("the year {year} and the period {period} disagree", year=year, period=period.code)
    return year, period


@attrs.frozen
class Reading:
    """How a table's cells are read: which column is which, the value column's notation and unit."""

    found: dict[str, str]
    notation: Lang | None = None
    unit: str | None = None


def _split_value(cells: dict[str, Any]) -> None:
    extra = cells[EXTRA_CELLS]
    raise InputTypeError(
        "the row has {count} more cell(s) than the header ({cells}): a number such as 16,5 was probably split "
        "by the separator; put it in quotes (\"16,5\"), or save the table with ';' as the separator",
        count=len(extra),
        cells=", ".join(repr(cell) for cell in extra),
    )


def missing_cells(cells: Mapping[str, Any], found: Mapping[str, str]) -> None:
    """Refuse a row without a cell it needs (a CSV row shorter than its header); its other missing cells are empty.

    A cell a row lacks (not an empty one: none at all) is a row problem naming the columns
    when the row needs it: the indicator, the value (unless both counts are given), the
    counts (unless the value is), the year (unless the period is) and the period (unless
    the year is). Any other missing cell (an area, a unit, a group, a column tdplan does not
    read) is read as empty: Excel leaves a row's last empty cells out of a CSV file.
    """
    absent = [column for column, name in found.items() if name not in cells]
    if not absent:
        return

    def given(column: str) -> bool:
        return column in found and not is_blank(cells.get(found[column]))

    needs = {
        "indicator": True,
        "value": not (given("numerator") and given("denominator")),
        "numerator": not given("value"),
        "denominator": not given("value"),
        "year": not given("period"),
        "period": not given("year"),
    }
    needed = [found[column] for column in absent if needs.get(column, False)]
    if needed:
        raise InputTypeError(
            "the row has no cell in the column(s) {columns}: it has fewer cells than the table has columns, "
            "and tdplan does not take a missing cell for an empty one; fill them in",
            columns=", ".join(repr(name) for name in needed),
            code="missing_cells",
        )


def _assess_row(
    plan: Plan, cells: dict[str, Any], reading: Reading
) -> tuple[Assessment, Period | None, tuple[int, int] | None]:
    found = reading.found
    if EXTRA_CELLS in cells:
        _split_value(cells)
    missing_cells(cells, found)
    indicator = text_cell(cells.get(found["indicator"]))
    if indicator is None:
        raise InputTypeError("the row has no indicator: fill in the indicator id (chỉ tiêu)")
    year, period = _year_and_period(cells, found)
    # A plan that labels its groups finds them by any of their names (groups_for); others by group_cell's words.
    read_group = group_cell if not plan.dimensions else (lambda _, cell: text_cell(cell))
    groups = {name: read_group(name, cells.get(found[name])) for name in GROUPS if name in found}
    disaggregation = {name: group for name, group in groups.items() if group is not None} or None
    value = cell_of(cells, found, "value")
    numerator, denominator = (cell_of(cells, found, name) for name in ("numerator", "denominator"))
    unit_cell = cell_of(cells, found, "unit")
    unit = reading.unit if is_blank(unit_cell) else unit_cell
    counts = None
    if not is_blank(value):
        if not (is_blank(numerator) and is_blank(denominator)):
            raise InputTypeError("the row gives both a value and counts: give one or the other")
        if isinstance(value, Measured):
            shown: Measured = value
            if unit is not None and parse_unit(unit) is not parse_unit(shown.unit):
                raise UnitError("the cell shows {value} but the unit given is {unit}", value=str(shown), unit=unit)
            value, unit = shown.number, shown.unit
        elif isinstance(value, str) and reading.notation is not None:
            number, written = parse_value(value, reading.notation)
            if written is not None and unit is not None and parse_unit(unit) is not written:
                raise UnitError(
                    "{value!r} is in {written} but the unit given is {unit}",
                    value=value,
                    written=written.label,
                    unit=unit,
                )
            value, unit = number, written or unit
        assessment = plan.assess(indicator, value, unit, year=year, disaggregation=disaggregation)
    elif not (is_blank(numerator) or is_blank(denominator)):
        counts = (count_cell(numerator, "numerator"), count_cell(denominator, "denominator"))
        assessment = _assess_counts(plan, indicator, *counts, year, disaggregation)
    else:
        raise InputTypeError("the row has no value: fill in the value (giá trị), or the numerator and denominator")
    if period is not None:
        assessment = for_period(assessment, period) or assessment
    return assessment, period, counts


def _notes(assessment: Assessment, cells: dict[str, Any], reading: Reading) -> tuple[Message, ...]:
    """A plain number below 1 for a % target of 90 % or more: assessed as given, but likely a fraction."""
    target = assessment.target
    value = cell_of(cells, reading.found, "value")
    plain = (isinstance(value, int | float | Decimal) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.strip()[-1:].isdigit()
    )
    given_unit = reading.unit is not None or not is_blank(cell_of(cells, reading.found, "unit"))
    if plain and not given_unit and target.unit is Unit.PERCENT and target.threshold >= 90 and assessment.value < 1:
        return (
            Message(
                "{value} is below 1 where the target is {target}: if it is a fraction (0,962 for 96,2 %), "
                "write it as a percentage",
                value=Text(format_number(assessment.value, "vi"), format_number(assessment.value, "en")),
                target=Text(target.describe("vi"), target.describe("en")),
            ),
        )
    return ()


def _assess_counts(
    plan: Plan, indicator: str, num: int, den: int, year: int, disaggregation: dict[str, str] | None
) -> Assessment:
    if den == 0:
        raise InvalidValueError("{num} out of 0 is not a rate: the denominator must be more than 0", num=num)
    unit = plan.indicator(indicator).unit
    whole = unit.whole
    if whole is None:
        raise InputTypeError(
            "indicator {indicator} is a count: give its value, not a numerator and denominator", indicator=indicator
        )
    if num > den:
        raise InvalidValueError("{num} out of {den} is more than the whole population", num=num, den=den)
    return assess_rate(
        plan, indicator, Fraction(num, den) * Fraction(whole), unit, year=year, disaggregation=disaggregation
    )


def score_row(plan: Plan, number: int, cells: dict[str, Any], found: dict[str, str] | Reading) -> ScoredRow:
    """One row by the scalar path: its assessment (and any notes), or its problem."""
    reading = found if isinstance(found, Reading) else Reading(found)
    area = None
    try:
        area = text_cell(cell_of(cells, reading.found, "area"))
        assessment, period, counts = _assess_row(plan, cells, reading)
    except TdplanError as error:
        return ScoredRow(
            number,
            cells,
            problem=RowProblem.of(number, error, _indicator_of(plan, cells, reading)),
            area=area,
        )
    notes = _notes(assessment, cells, reading) if assessment.target.unit is Unit.PERCENT else ()
    return ScoredRow(number, cells, assessment=assessment, area=area, period=period, notes=notes, counts=counts)


def _indicator_of(plan: Plan, cells: dict[str, Any], reading: Reading) -> str | None:
    """The plan indicator a row names, if it names one (a problem row is counted against it)."""
    try:
        indicator = text_cell(cells.get(reading.found["indicator"]))
    except TdplanError:
        return None
    return indicator if indicator is not None and plan.get_indicator(indicator) is not None else None


Progress: TypeAlias = "Callable[[int, int], object]"
"""Called as ``progress(rows done, rows in all)`` while a long table is assessed."""

BULK_ROWS = 2000
"""Tables of at least this many rows, given as DataFrames with numeric values, are decided with NumPy."""


def assess_table(
    plan: Plan,
    data: TableLike,
    *,
    progress: Progress | None = None,
    areas: Iterable[str] | None = None,
    jump_bands: Mapping[Unit, JumpBand] | None = None,
    sheet: str | None = None,
    decimal: str | None = None,
) -> Scorecard:
    """Assess every row of a table against ``plan``; see the module's description.

    ``sheet`` names the sheet of an Excel workbook (default: the first with tdplan's
    columns). ``decimal`` is the value column's decimal sign, ``","`` (Vietnamese) or
    ``"."`` (English); by default it is inferred from the column's unambiguous cells,
    so that ``41.213`` in a column that also has ``16.5`` is 41.213. See ``docs/tables.md``.

    A large DataFrame is decided with NumPy (:mod:`tdplan.analysis.bulk`), its values and
    years numbers or text (``"16,5"``, read as a large CSV file's are), giving exactly the
    verdicts of the scalar path, which still decides (and explains) every row NumPy cannot.
    ``progress`` is called now and then with the rows done and the rows in all. ``areas`` are
    the areas that should report (for :attr:`Scorecard.completeness`; default: the plan's
    ``areas``, else the table's);
    ``jump_bands`` change the plausibility band of :attr:`Scorecard.jumps` per unit.
    The checks (:attr:`Scorecard.violations`, ``completeness``, ``jumps``) run when first asked for.

    >>> import tdplan
    >>> plan = tdplan.load_plan()
    >>> card = assess_table(plan, [
    ...     {"chỉ tiêu": "3", "giá trị": "16,5‰", "năm": 2025, "địa bàn": "Bản Bo"},
    ...     {"chỉ tiêu": "9", "giá trị": "95%", "năm": 2025, "địa bàn": "Bản Bo"},
    ...     {"chỉ tiêu": "30", "giá trị": "1%", "năm": 2025},
    ... ])
    >>> card
    <Scorecard tam-duong-2021-2030: 3 rows; MET 1, NOT_MET 1, 1 problem(s)>
    >>> card.problems[0].message("vi")
    "không có chỉ tiêu '30': kế hoạch có 1–15, 15b, 16–25, 25b, 26–29"
    """
    checks = (_expected(areas), jump_bands)
    notation = check_decimal(decimal)
    if is_frame(data):
        if sheet is not None:
            raise InputTypeError("sheet= is for an Excel workbook (.xlsx, .xlsm, .xls), not for a DataFrame")
        names, columns, count = frame_columns(data)
        found = find_columns(names)
        ignored = ignored_columns(names, found)
        bulk = count >= BULK_ROWS and hashable(columns)  # a list in a cell: each row read as it is
        if bulk and _bulk_ready(columns, found):
            return Scorecard(plan, tuple(names), _decide(plan, names, columns, found, progress), *checks, ignored)
        from tdplan.analysis.chunked import frame_numbers

        text = frame_numbers(columns, found) if bulk and notation is None else None
        if text is not None:  # values or years written as text ("16,5", "2025"): read as a large CSV file's are
            reading = Reading(found, text[1])
            decided = _decide(plan, names, columns, found, progress, text[0], reading)
            return Scorecard(plan, tuple(names), decided, *checks, ignored)
        rows = [{name: plain_cell(columns[name][index]) for name in names} for index in range(count)]
        numbers = list(range(1, count + 1))
    else:
        if isinstance(data, str | os.PathLike) and sheet is None and notation is None:
            card = _assess_csv(plan, data, progress, checks)
            if card is not None:
                return attrs.evolve(card, table_path=Path(data).absolute())
        names, rows, numbers = read_table(data, sheet=sheet)
        found = find_columns(names)
        ignored = ignored_columns(names, found)
    if notation is None and "value" in found:
        notation = column_notation(
            (number, cells.get(found["value"])) for number, cells in zip(numbers, rows, strict=True)
        )
    reading = Reading(found, notation, header_unit(found["value"]) if "value" in found else None)
    scored = []
    for done, (number, cells) in enumerate(zip(numbers, rows, strict=True), start=1):
        scored.append(score_row(plan, number, cells, reading))
        if progress is not None and done % 1000 == 0:
            progress(done, len(rows))
    if progress is not None:
        progress(len(rows), len(rows))
    path = Path(data).absolute() if isinstance(data, str | os.PathLike) else None  # os.chdir later: still it
    return Scorecard(plan, tuple(names), tuple(scored), *checks, ignored, table_path=path)


def _expected(areas: Iterable[str] | None) -> tuple[str, ...] | None:
    """The areas that should report, checked now (a wrong one is an error before the table is read)."""
    if areas is None:
        return None
    if isinstance(areas, str) or not all(isinstance(area, str) and area.strip() for area in areas):
        raise InputTypeError("areas are a list of names, such as ['Bản Bo', 'Bình Lư'], not {areas!r}", areas=areas)
    return tuple(dict.fromkeys(" ".join(area.split()) for area in areas))


def _assess_csv(
    plan: Plan, path: str | os.PathLike[str], progress: Progress | None, checks: tuple[Any, ...]
) -> Scorecard | None:
    """A large CSV file read by pyarrow (:mod:`tdplan.analysis.chunked`) and decided with NumPy; None if it cannot be.

    It declines (and the standard reader reads the file) wherever the two could read it differently:
    a header the standard reader finds elsewhere (title rows), a unit in the value's header, a value
    column whose notation its cells do not settle one way.
    """
    from tdplan.analysis.chunked import read_csv_columns, value_notations

    try:
        check_table_file(Path(path))  # a device or a pipe is refused before anything reads it
        if Path(path).stat().st_size < BULK_BYTES:
            return None
    except (OSError, ValueError) as error:  # missing, a NUL in the name: the standard reader says so
        if isinstance(error, TdplanError):
            raise
        return None
    if Path(path).suffix.lower() not in (".csv", ".txt", ".tsv"):
        return None
    table = read_csv_columns(path)
    if table is None:
        return None
    with Path(path).open(encoding="utf-8-sig", newline="") as file:
        head = "".join(file.readline() for _ in range(64))
    if read_table(io.StringIO(head))[0] != table.names:
        return None
    found = find_columns(table.names)
    notations = value_notations(table.columns[found["value"]])
    if header_unit(found["value"]) is not None or len(notations) > 1:
        return None
    numbers = {"value": table.values, "year": table.years}
    if table.units is not None:  # 95,5%: the unit written after the value, as a unit column would give it
        numbers["unit"] = table.units
    reading = Reading(found, "vi" if "vi" in notations else "en" if notations else None)
    decided = _decide(plan, table.names, table.columns, found, progress, numbers, reading)
    return Scorecard(plan, tuple(table.names), decided, checks[0], checks[1], ignored_columns(table.names, found))


BULK_BYTES = 1 << 20
"""CSV files of at least this many bytes (about 30,000 rows) are read by pyarrow and decided with NumPy."""


def _bulk_ready(columns: dict[str, Any], found: dict[str, str]) -> bool:
    """Whether NumPy can decide this table: numeric values, whole-number years, no counts or periods."""
    if {"numerator", "denominator", "period"} & found.keys() or "value" not in found or "year" not in found:
        return False
    value, year = columns[found["value"]], columns[found["year"]]
    numeric = getattr(value, "dtype", None) is not None and (value.dtype.kind in "iu" or value.dtype == "float64")
    return numeric and getattr(year, "dtype", None) is not None and year.dtype.kind in "iu"


def _decide(
    plan: Plan,
    names: list[str],
    columns: dict[str, Any],
    found: dict[str, str],
    progress: Progress | None,
    numbers: dict[str, Any] | None = None,
    reading: Reading | None = None,
) -> DecidedRows:
    """Decide with NumPy; ``numbers`` gives the value and year as numbers where ``columns`` holds them as text,
    and ``reading`` how the scalar path reads the rest (the value column's notation)."""
    from tdplan.analysis.bulk import STATUS_CODES, UNDECIDED, decide

    def score(plan: Plan, number: int, cells: dict[str, Any], found: dict[str, str] | Reading) -> ScoredRow:
        return score_row(plan, number, cells, reading or found)

    def column(name: str) -> Any:
        if numbers is not None and name in numbers:
            return numbers[name]
        return columns[found[name]] if name in found else None

    groups = {name: column(name) for name in GROUPS if name in found}
    decision = decide(plan, column("indicator"), column("year"), column("value"), column("unit"), groups)
    codes = decision.codes
    # A row whose combination fails before its value is read (an unknown indicator, a year outside the
    # plan) fails with that combination's error, so long as its value is there and its area readable.
    # An area the scalar path refuses (a bool, 1.5) leaves its rows to the scalar path.
    refused = _bad_areas(column("area"), len(codes))
    codes[refused] = UNDECIDED
    readable = ~_isnan(column("value")) & (column("year") >= 0) & ~refused  # a negative year is refused first
    known = [index for index, error in enumerate(decision.errors) if error is not None]
    shortcut = (codes == UNDECIDED) & readable & _isin(decision.combination, known)
    scored: dict[int, ScoredRow] = {}
    undecided = ((codes == UNDECIDED) & ~shortcut).nonzero()[0]
    for done, index in enumerate(undecided.tolist(), start=1):
        cells = {name: plain_cell(columns[name][index]) for name in names}
        row = scored[index] = score(plan, index + 1, cells, found)
        codes[index] = UNDECIDED if row.status is None else STATUS_CODES.index(row.status)
        if progress is not None and done % 1000 == 0:
            progress(len(codes) - len(undecided) + done, len(codes))
    if progress is not None:
        progress(len(codes), len(codes))
    return DecidedRows(plan, names, columns, found, codes, scored, decision, shortcut, score)


def _bad_areas(area: Any, rows: int) -> Any:
    """Which rows have an area the scalar path refuses, decided once per distinct area (none without areas)."""
    import numpy as np

    if area is None:
        return np.zeros(rows, dtype=bool)
    from tdplan.analysis.bulk import factorize

    codes, uniques = factorize(area)
    refused = []
    for index, cell in enumerate(uniques):
        try:
            text_cell(plain_cell(cell))
        except TdplanError:
            refused.append(index)
    return _isin(codes, refused)


def _isnan(values: Any) -> Any:
    import numpy as np

    return np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), dtype=bool)


def _isin(values: Any, wanted: list[int]) -> Any:
    import numpy as np

    return np.isin(values, np.array(wanted, dtype=values.dtype))


def assess_frame(plan: Plan, frame: Any, *, lang: str = "en") -> Any:
    """A DataFrame with two columns added: each row's ``status`` and ``problem``.

    ``status`` is ``"met"``, ``"not_met"``, ``"ahead"`` or ``"pending"`` (the
    :class:`~tdplan.Status` values), missing for a row with a problem; ``problem`` is
    the reason (in ``lang``, ``"en"`` or ``"vi"``), missing for a row that was assessed. The rows, their index and their
    columns are kept (a column already named ``status`` or ``problem`` becomes
    ``status_input`` or ``problem_input``). It is a pure function of the rows, so a table too large for one
    machine is assessed partition by partition, with Dask's ``map_partitions``
    (``docs/performance.md``).

    >>> import pandas as pd, tdplan
    >>> frame = pd.DataFrame({"indicator": ["3", "3", "30"], "year": [2025] * 3, "value": [16.5, 18, 1]})
    >>> result = assess_frame(tdplan.load_plan(), frame)
    >>> list(result["status"].fillna("-"))
    ['met', 'not_met', '-']
    >>> result["problem"].iloc[2]
    "no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29"
    >>> assess_frame(tdplan.load_plan(), frame, lang="vi")["problem"].iloc[2]
    "không có chỉ tiêu '30': kế hoạch có 1–15, 15b, 16–25, 25b, 26–29"
    """
    lang = check_lang(lang)
    card = assess_table(plan, frame)
    clashing = {name: f"{name}_input" for name in ("status", "problem") if name in frame.columns}
    statuses: Any
    problems: Any
    if isinstance(card.rows, DecidedRows):
        import numpy as np

        from tdplan.analysis.bulk import STATUS_CODES

        # Arrays, not lists of a million; a code of -1 picks the last name, None. Messages once per combination.
        names = np.array([status.value for status in STATUS_CODES] + [None], dtype=object)
        statuses, problems = names[card.rows.codes], card.rows.problem_messages(lang)
    else:
        statuses = [row.status.value if row.status is not None else None for row in card.rows]
        problems = [None] * len(card.rows)
        for problem in card.problems:
            problems[problem.row - 1] = problem.message(lang)
    pandas = importlib.import_module("pandas")
    # Object columns, as given: inferring a string dtype for a million cells would cost as much as the assessment.
    return frame.rename(columns=clashing).assign(
        status=pandas.Series(statuses, index=frame.index, dtype=object),
        problem=pandas.Series(problems, index=frame.index, dtype=object),
    )
