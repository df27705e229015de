"""The data-entry template: an Excel workbook an officer fills in, and ``tdplan report`` reads back unchanged.

One row per indicator, disaggregation group and area, with the indicator's code, name and
unit and the target that applies in the year; empty cells for the value, or the
numerator and denominator. Excel checks what is typed (decimals of at least 0, at most
100 for a percentage, whole numbers for counts, lists for areas and groups); the label
columns are protected, and a sheet says how to fill it in. A row left without a figure
is not a row of data: the report shows its indicator as having no figures.
``tdplan template`` is the command; openpyxl is an optional extra (``tdplan[excel]``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tdplan.analysis.assessment import applicable_target
from tdplan.analysis.excel import TEMPLATE_KEYWORD, require_openpyxl
from tdplan.core.errors import InputTypeError, PlanFileError, SeriesRequiredError, os_reason
from tdplan.core.i18n import C_
from tdplan.core.model import Indicator, Plan, Target
from tdplan.core.notation import Lang
from tdplan.core.units import Unit

__all__ = ["TEMPLATE_COLUMNS", "template_rows", "write_template"]

TEMPLATE_COLUMNS = (
    ("number", C_("template column", "No."), False),
    ("indicator", C_("template column", "Indicator code"), False),
    ("name", C_("template column", "Indicator name"), False),
    ("unit", C_("template column", "Unit"), False),
    ("target", C_("template column", "Target"), False),
    ("year", C_("template column", "Year"), False),
    ("area", C_("template column", "Area"), True),
    ("residence", C_("template column", "Residence"), True),
    ("age", C_("template column", "Age group"), True),
    ("value", C_("template column", "Value"), True),
    ("numerator", C_("template column", "Numerator"), True),
    ("denominator", C_("template column", "Denominator"), True),
    ("note", C_("template column", "Note"), True),
)
"""The template's columns: key, heading, and whether the officer fills it in (the others are protected)."""

_UNITS = {Unit.PERCENT: "%", Unit.PER_MILLE: "‰", Unit.PER_100000: "/100.000", Unit.COUNT: ""}
_WORDS = {
    "sheet": C_("template", "Figures"),
    "help": C_("template", "How to fill in"),
    "lists": C_("template", "Lists"),
    "title": C_("template", "Data-entry template for {year}: {plan}"),
    "invalid": C_("template", "Invalid figure"),
    "number": C_("template", "The number must be 0 or more (and not more than the whole population)."),
    "count": C_("template", "Enter a whole number ≥ 0."),
}
_HELP = (
    C_("template help", "How to fill in the template"),
    C_("template help", "1. Each row is one indicator for one area (and one group, where the indicator has groups)."),
    C_(
        "template help",
        "2. Fill in the Value in the row's unit (96.5 for 96.5 %), or the Numerator and the Denominator, "
        "from which tdplan computes the rate. Not both.",
    ),
    C_("template help", "3. Leave a row without figures empty: tdplan shows its indicator as having no figures."),
    C_("template help", "4. The code, name, unit, target and year columns are locked; do not rename the columns."),
    C_("template help", "5. Save the file (.xlsx), then run: tdplan report <file>.xlsx -o report.xlsx"),
    C_(
        "template help",
        "Indicators assessed from a series of years (such as 18) are not in the template: use tdplan track.",
    ),
)


def template_rows(plan: Plan, year: int, areas: Sequence[str]) -> list[tuple[Indicator, Target, str]]:
    """(indicator, target that applies in ``year``, area) for every row of the template, in plan order."""
    rows = []
    for indicator in plan.indicators:
        for group in indicator.disaggregations:
            try:
                _, target, _ = applicable_target(plan, indicator.id, year, dict(group) or None)
            except SeriesRequiredError:
                continue  # a target assessed from a series of years (indicator 18)
            rows += [(indicator, target, area) for area in (areas or [""])]
    return rows


def _validations(openpyxl: Any, lists: Any, areas: Sequence[str], rows: int, lang: Lang) -> dict[str | Unit, Any]:
    validation = openpyxl.worksheet.datavalidation.DataValidation
    made: dict[str | Unit, Any] = {
        "count": validation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
        "value": validation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
        Unit.PERCENT: validation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True),
        Unit.PER_MILLE: validation(type="decimal", operator="between", formula1="0", formula2="1000", allow_blank=True),
        Unit.PER_100000: validation(
            type="decimal", operator="between", formula1="0", formula2="100000", allow_blank=True
        ),
    }
    for key, check in made.items():
        check.error = _WORDS["count" if key == "count" else "number"](lang)
        check.errorTitle = _WORDS["invalid"](lang)
        check.showErrorMessage = True
    if areas:
        for at, area in enumerate(areas, start=1):
            _put(lists, at, 1, area)
        made["area"] = validation(type="list", formula1=f"'{lists.title}'!$A$1:$A${len(areas)}", allow_blank=True)
    made["residence"] = validation(type="list", formula1='"nông thôn,thành thị,rural,urban"', allow_blank=True)
    made["age"] = validation(type="list", formula1='"2-3 tuổi,3-5 tuổi,2-3,3-5"', allow_blank=True)
    return made


def write_template(
    plan: Plan, path: str | os.PathLike[str], *, year: int, areas: Sequence[str] = (), lang: Lang = "vi"
) -> int:
    """Write the template for ``year`` (one row per indicator, group and area) to ``path``; the number of rows.

    ``path`` ends in ``.xlsx``: the template is a workbook, and under another name no one could open it.
    """
    if os.fspath(path).lower().rsplit(".", 1)[-1] not in ("xlsx", "xlsm"):
        raise InputTypeError("{path}: the template is an Excel workbook: name it with .xlsx", path=os.fspath(path))
    openpyxl = require_openpyxl()
    styles = openpyxl.styles
    rows = template_rows(plan, year, areas)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _WORDS["sheet"](lang)
    help_sheet = book.create_sheet(_WORDS["help"](lang))
    lists = book.create_sheet(_WORDS["lists"](lang))
    lists.sheet_state = "hidden"
    book.properties.keywords = TEMPLATE_KEYWORD
    book.properties.title = _WORDS["title"](lang).format(year=year, plan=plan.title(lang))
    _put(sheet, 1, 1, book.properties.title).font = styles.Font(bold=True, size=13)
    header = 3
    bold, grey = styles.Font(bold=True), styles.PatternFill("solid", fgColor="E8E8E8")
    fill_in = styles.PatternFill("solid", fgColor="FFF8DC")
    for column, (_, heading, _) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = _put(sheet, header, column, heading(lang))
        cell.font, cell.fill = bold, grey
        cell.alignment = styles.Alignment(wrap_text=True, vertical="top")
    checks = _validations(openpyxl, lists, areas, len(rows), lang)
    keys = [key for key, _, _ in TEMPLATE_COLUMNS]
    for number, (indicator, target, area) in enumerate(rows, start=1):
        at = header + number
        groups = dict(target.disaggregation)
        values = {
            "number": number,
            "indicator": indicator.id,
            "name": indicator.name(lang),
            "unit": _UNITS[indicator.unit],
            "target": target.describe(lang),
            "year": year,
            "area": area or None,
            # the plan's own words for the group (the table reader reads them back), its code where it has none
            "residence": target.disaggregation.group_label("residence", lang) if "residence" in groups else None,
            "age": target.disaggregation.group_label("age", lang) if "age" in groups else None,
        }
        for column, (key, _, editable) in enumerate(TEMPLATE_COLUMNS, start=1):
            cell = _put(sheet, at, column, values.get(key))
            cell.alignment = styles.Alignment(vertical="top", wrap_text=key in ("name", "target"))
            if editable:
                cell.protection = styles.Protection(locked=False)
                if key in ("value", "numerator", "denominator", "note"):
                    cell.fill = fill_in
        coordinate = sheet.cell(row=at, column=keys.index("value") + 1).coordinate
        checks[indicator.unit if indicator.unit in checks else "value"].add(coordinate)
        for key in ("numerator", "denominator"):
            checks["count"].add(sheet.cell(row=at, column=keys.index(key) + 1).coordinate)
        for key in ("area", "residence", "age"):
            if key in checks and (key != "area" or areas):
                checks[key].add(sheet.cell(row=at, column=keys.index(key) + 1).coordinate)
    for check in checks.values():
        if check.sqref:
            sheet.add_data_validation(check)
    widths = {"number": 5, "indicator": 8, "name": 50, "unit": 9, "target": 28, "year": 7, "area": 18}
    for column, key in enumerate(keys, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = widths.get(key, 12)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1).coordinate
    sheet.auto_filter.ref = f"A{header}:{openpyxl.utils.get_column_letter(len(keys))}{header + len(rows)}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True
    sheet.protection.autoFilter = sheet.protection.sort = sheet.protection.formatColumns = False
    help_sheet.column_dimensions["A"].width = 110
    for at, line in enumerate(_HELP, start=1):
        cell = _put(help_sheet, at, 1, line(lang))
        cell.alignment = styles.Alignment(wrap_text=True)
        if at == 1:
            cell.font = styles.Font(bold=True, size=13)
    _save(book, Path(path))
    return len(rows)


def _save(book: Any, target: Path) -> None:
    """Save atomically: a temporary file in the same folder, renamed once complete."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        book.save(temporary)
        os.replace(temporary, target)
    except OSError as error:
        reason = os_reason(error)
        raise PlanFileError("{path}: cannot write the template: {reason}", path=str(target), reason=reason) from None
    finally:
        if temporary.exists():
            temporary.unlink()


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """A cell holding ``value``: a text stays text even where it starts with ``=`` (never a formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
