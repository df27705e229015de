"""DHIS2: a scorecard's figures as a ``dataValueSets`` payload, and DHIS2's exports read back as a tdplan table.

A mapping file (TOML or JSON, checked by ``tdplan validate``) says which DHIS2 data
element (and category option combo) holds each tdplan indicator (and group), and which
organisation unit each area is::

    dhis2_mapping = 1
    category_option_combo = "HllvX50cXC0"      # DHIS2's "default"; used where an entry names none
    org_units = { "Bản Bo" = "Rp268JB6Ne4", "Bình Lư" = "cDw53Ej8rju" }

    [[data_elements]]
    indicator = "3"
    data_element = "fbfJHSPpUQD"

    [[data_elements]]
    indicator = "8"
    group = { residence = "rural" }
    data_element = "cYeuwXTCPkU"
    category_option_combo = "Prlt0C1RF0s"

:func:`export_dhis2` writes ``{"dataValues": [...]}``, each value with DHIS2's fields
``dataElement``, ``period`` (``2025``, ``2025S1``, ``2025Q3``, ``20250315``), ``orgUnit``,
``categoryOptionCombo`` (and ``attributeOptionCombo`` if the mapping gives one) and
``value``, an exact decimal string, as DHIS2's own payloads do. A figure the mapping
cannot place is left out and listed. :func:`read_dhis2` reads a ``dataValueSets`` JSON
export, or its CSV export, through the same mapping, as rows ``assess_table`` reads.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from tdplan.analysis.observations import observations
from tdplan.analysis.scorecard import Scorecard
from tdplan.core.errors import ExchangeError, PlanDataError, PlanFileError, PlanProblem, not_utf8, os_reason
from tdplan.core.i18n import N_, Message
from tdplan.core.model import Plan
from tdplan.core.periods import Period, PeriodKind
from tdplan.exchange.files import Export, LeftOut, decimal_text, first_figures
from tdplan.planfiles.syntax import syntax_reason
from tdplan.planfiles.validation import locate

__all__ = ["MAPPING_KEY", "Dhis2Mapping", "check_mapping", "dhis2_period", "export_dhis2", "load_mapping", "read_dhis2"]

MAPPING_KEY = "dhis2_mapping"
"""The key that makes a file a DHIS2 mapping file (its value is the format version, 1)."""

_UID = re.compile(r"[A-Za-z][A-Za-z0-9]{10}")
_NO_ELEMENT = N_("the mapping names no data element for indicator {indicator}{group}")
_NO_ORG_UNIT = N_("the mapping names no organisation unit for the area {area!r}")
_SAME_VALUE = N_("the mapping sends this figure to the same DHIS2 data value as row {row}'s: not exported")
_NO_DISTRICT = N_('a figure with no area needs the whole district\'s organisation unit: map it under "" in org_units')


@attrs.frozen
class Dhis2Mapping:
    """tdplan indicator (and group) → (data element, category option combo); area → organisation unit."""

    elements: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[str, str]]
    org_units: dict[str, str]
    attribute_option_combo: str | None = None

    def element(self, indicator: str, group: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
        """The data element and category option combo of an indicator's group, if mapped."""
        return self.elements.get((indicator, group))


def _problem(path: str, message: Message, code: str = "value") -> PlanProblem:
    return PlanProblem.of(path, code, message)


def _uid(path: str, value: Any) -> Iterator[PlanProblem]:
    if not isinstance(value, str) or not _UID.fullmatch(value):
        yield _problem(
            path,
            Message(
                "{value!r} is not a DHIS2 UID: 11 letters and digits, the first a letter, such as 'fbfJHSPpUQD'",
                value=value,
            ),
        )


def check_mapping(data: Any, plan: Plan) -> list[PlanProblem]:
    """Every problem of parsed mapping data, with its path: unknown keys, UIDs, indicators and groups ``plan`` lacks."""
    if not isinstance(data, dict):
        return [_problem("$", Message("a mapping file is a table"), "type")]
    problems: list[PlanProblem] = []
    for key in sorted(
        set(data) - {MAPPING_KEY, "category_option_combo", "attribute_option_combo", "org_units", "data_elements"}
    ):
        problems.append(_problem(f"$.{key}", Message("unknown key '{key}'", key=key), "unknown_key"))
    if data.get(MAPPING_KEY) != 1:
        problems.append(
            _problem(f"$.{MAPPING_KEY}", Message("write dhis2_mapping = 1 (the format version)"), "version")
        )
    for key in ("category_option_combo", "attribute_option_combo"):
        if key in data:
            problems += _uid(f"$.{key}", data[key])
    units = data.get("org_units", {})
    if not isinstance(units, dict):
        problems.append(_problem("$.org_units", Message("org_units is a table: area = UID"), "type"))
        units = {}
    for area, uid in units.items():
        problems += _uid(f"$.org_units.{area}", uid)
    elements = data.get("data_elements", [])
    if not isinstance(elements, list) or not elements:
        problems.append(_problem("$.data_elements", Message("list at least one [[data_elements]]"), "missing"))
        elements = []
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for i, entry in enumerate(elements):
        problems += _check_element(f"$.data_elements[{i}]", entry, plan, "category_option_combo" in data, seen)
    return problems


def _check_element(path: str, entry: Any, plan: Plan, has_default: bool, seen: set[Any]) -> Iterator[PlanProblem]:
    if not isinstance(entry, dict):
        yield _problem(path, Message("expected a table"), "type")
        return
    for key in sorted(set(entry) - {"indicator", "group", "data_element", "category_option_combo"}):
        yield _problem(f"{path}.{key}", Message("unknown key '{key}'", key=key), "unknown_key")
    indicator = entry.get("indicator")
    if not isinstance(indicator, str) or plan.get_indicator(indicator) is None:
        yield _problem(
            f"{path}.indicator", Message("the plan has no indicator {indicator!r}", indicator=indicator), "reference"
        )
    group = entry.get("group", {})
    if not isinstance(group, dict) or not all(isinstance(v, str) for v in group.values()):
        yield _problem(f"{path}.group", Message('a group is a table such as { residence = "rural" }'), "type")
        group = {}
    key = (indicator, tuple(sorted(group.items())))
    if key in seen:
        yield _problem(path, Message("this indicator and group are mapped twice"), "duplicate")
    seen.add(key)
    yield from _uid(f"{path}.data_element", entry.get("data_element"))
    if "category_option_combo" in entry:
        yield from _uid(f"{path}.category_option_combo", entry["category_option_combo"])
    elif not has_default:
        yield _problem(
            f"{path}.category_option_combo",
            Message("no category option combo: give one here or a default at the top (category_option_combo = ...)"),
            "missing",
        )


def _parse(text: str, format: str) -> tuple[Any, list[PlanProblem]]:
    """The mapping's data, or None and the parser's complaint in the reader's words, with its line."""
    try:
        return (tomllib.loads(text) if format == "toml" else json.loads(text, parse_float=Decimal)), []
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        reason, line = syntax_reason(error)
        message = Message("not valid {name}: {error}", name=format.upper(), error=reason)
        return None, [PlanProblem.of("$", "syntax", message, line)]


def read_mapping(text: str, plan: Plan, format: str = "toml") -> tuple[Dhis2Mapping | None, list[PlanProblem]]:
    """A mapping from TOML or JSON text, or None and every problem (with its line where known)."""
    data, broken = _parse(text, format)
    if broken:
        return None, broken
    problems = locate(check_mapping(data, plan), text, format)
    if problems:
        return None, problems
    default = data.get("category_option_combo")
    elements = {
        (entry["indicator"], tuple(sorted(entry.get("group", {}).items()))): (
            entry["data_element"],
            entry.get("category_option_combo", default),
        )
        for entry in data["data_elements"]
    }
    units = {" ".join(area.split()): uid for area, uid in data.get("org_units", {}).items()}
    return Dhis2Mapping(elements, units, data.get("attribute_option_combo")), []


def load_mapping(path: str | os.PathLike[str], plan: Plan) -> Dhis2Mapping:
    """A mapping file (``.toml`` or ``.json``); :class:`~tdplan.PlanDataError` lists every problem."""
    file = Path(path)
    format = "json" if file.suffix.lower() == ".json" else "toml"
    try:
        text = file.read_text("utf-8-sig")
    except OSError as error:
        raise PlanFileError("{path}: cannot read: {reason}", path=str(file), reason=os_reason(error)) from None
    except UnicodeDecodeError as error:
        raise PlanFileError("{path}: cannot read: {reason}", path=str(file), reason=not_utf8(error)) from None
    mapping, problems = read_mapping(text, plan, format)
    if mapping is None:
        raise PlanDataError(str(file), problems)
    return mapping


def dhis2_period(period: Period) -> str:
    """A period in DHIS2's format: ``2025``, ``2025S1``, ``2025Q3``, ``20250315``."""
    if period.kind is PeriodKind.HALF_YEAR:
        return f"{period.year}S{period.number}"
    if period.kind is PeriodKind.QUARTER:
        return f"{period.year}Q{period.number}"
    if period.kind is PeriodKind.DAY:
        return period.start.strftime("%Y%m%d")
    return str(period.year)


def export_dhis2(card: Scorecard, mapping: Dhis2Mapping) -> Export:
    """``dataValueSets.json``: every figure of ``card`` the mapping places, one per data value, in DHIS2's import
    format."""
    values = []
    left_out: list[LeftOut] = []
    first: dict[tuple[str, ...], int] = {}  # a data value's key: the row that gave it
    for o in first_figures(observations(card), left_out):
        element = mapping.element(o.indicator.id, o.group)
        unit = mapping.org_units.get(o.area or "")
        if element is None:
            group = f" ({', '.join(f'{k}={v}' for k, v in o.group)})" if o.group else ""
            left_out.append(LeftOut(o.row, Message(_NO_ELEMENT, indicator=o.indicator.id, group=group)))
            continue
        if unit is None:
            reason = Message(_NO_ORG_UNIT, area=o.area) if o.area else Message(_NO_DISTRICT)
            left_out.append(LeftOut(o.row, reason))
            continue
        value = {"dataElement": element[0], "period": dhis2_period(o.period), "orgUnit": unit}
        value["categoryOptionCombo"] = element[1]
        key = tuple(value.values())
        if key in first:  # two areas mapped to one organisation unit, or two groups to one element and combo
            left_out.append(LeftOut(o.row, Message(_SAME_VALUE, row=first[key])))
            continue
        first[key] = o.row
        if mapping.attribute_option_combo is not None:
            value["attributeOptionCombo"] = mapping.attribute_option_combo
        value["value"] = decimal_text(o.value)
        values.append(value)
    text = json.dumps({"dataValues": values}, ensure_ascii=False, indent=2) + "\n"
    return Export({"dataValueSets.json": text}, tuple(left_out))


_DHIS2_PERIOD = re.compile(r"(\d{4})(?:(S|Q)(\d)|(\d{2})(\d{2}))?")


def _period(text: str) -> str:
    match = _DHIS2_PERIOD.fullmatch(text.strip())
    if match is None:
        raise ExchangeError(
            "DHIS2 period {period!r} is not one tdplan reads: 2025, 2025S1, 2025Q3 or 20250315", period=text
        )
    year, kind, number, month, day = match.groups()
    if kind == "S":
        return f"{year}-H{number}"
    if kind == "Q":
        return f"{year}-Q{number}"
    if month is not None:
        return f"{year}-{month}-{day}"
    return year


def _values(data: str | bytes) -> list[dict[str, Any]]:
    """The data values of a dataValueSets JSON export or of DHIS2's CSV export (its columns in either spelling)."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise ExchangeError("the file is not UTF-8 text (byte {error}): save it as UTF-8", error=error.start) from None
    if text.lstrip().startswith(("{", "[")) or text.strip() in ("", "null", "true", "false"):
        try:
            document = json.loads(text, parse_float=Decimal, parse_int=Decimal)
        except ValueError:
            document = None
        values = document.get("dataValues") if isinstance(document, dict) else None
        if not isinstance(values, list):
            raise ExchangeError("a dataValueSets JSON document has a list under 'dataValues'")
        return [value for value in values if isinstance(value, dict)]
    names = {
        "dataelement": "dataElement",
        "period": "period",
        "orgunit": "orgUnit",
        "categoryoptioncombo": "categoryOptionCombo",
        "catoptcombo": "categoryOptionCombo",
        "value": "value",
    }
    rows = list(csv.reader(io.StringIO(text)))
    header = [names.get(name.strip().lower().replace("_", ""), name) for name in rows[0]] if rows else []
    if not {"dataElement", "period", "orgUnit", "value"} <= set(header):
        raise ExchangeError(
            "a DHIS2 CSV export has the columns dataelement, period, orgunit and value; this file has {columns}",
            columns=", ".join(repr(name) for name in header[:10]) or "none",
        )
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(cell.strip() for cell in row)]


def read_dhis2(data: str | bytes, mapping: Dhis2Mapping) -> list[dict[str, Any]]:
    """DHIS2's figures as rows of a tdplan table (indicator, period, area, groups, value), through ``mapping``.

    An export in JSON (``{"dataValues": [...]}``) or CSV (``dataelement,period,orgunit,
    catoptcombo,...,value``); pass the rows to ``plan.assess_table``. A data element or
    organisation unit the mapping does not name is an :class:`~tdplan.ExchangeError`.
    """
    indicators = {element: key for key, element in mapping.elements.items()}
    areas = {uid: area for area, uid in mapping.org_units.items()}
    rows = []
    for number, value in enumerate(_values(data), start=1):
        key = (str(value.get("dataElement", "")), str(value.get("categoryOptionCombo") or ""))
        found = indicators.get(key) or next((k for (e, _), k in indicators.items() if e == key[0] and not key[1]), None)
        if found is None:
            raise ExchangeError(
                "value {number}: the mapping names no indicator for data element {element!r}",
                number=number,
                element="/".join(key),
            )
        area = areas.get(str(value.get("orgUnit", "")))
        if area is None:
            raise ExchangeError(
                "value {number}: the mapping names no area for organisation unit {unit!r}",
                number=number,
                unit=value.get("orgUnit"),
            )
        row: dict[str, Any] = {"indicator": found[0], "period": _period(str(value.get("period", ""))), "area": area}
        row |= dict(found[1])
        raw = value.get("value")
        row["value"] = decimal_text(raw) if isinstance(raw, Decimal) else raw
        rows.append(row)
    return rows
