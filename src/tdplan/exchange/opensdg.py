"""Open SDG: a scorecard's figures as sdg-build's input files, so that a province can publish them on an Open SDG site.

sdg-build (``sdg.inputs.InputCsvData`` and ``InputYamlMeta``) reads one data file
per indicator, ``data/indicator_<id>.csv``, and one metadata file,
``meta/<id>.yml``, with translations in ``meta/<language>/<id>.yml``. The indicator id is
``<goal>-<indicator>``: indicator 3 of goal 1 is ``1-3``, indicator 15b of goal 2 is
``2-15b``.

A data file has sdg-build's columns, column for column: ``Year`` first; then the
disaggregation columns (``Địa bàn`` for the area, ``Khu vực`` and ``Nhóm tuổi`` for the
groups), only those that have a value somewhere (sdg-build drops empty columns); then
``Units``; ``Value`` last. A headline row (a figure for the whole district) has every
disaggregation empty. Values are exact decimals in plain notation. Open SDG's series are
yearly: a figure for a half-year, a quarter or a day is left out, and listed.

The metadata holds the name (Vietnamese, and English in ``meta/en/``), the unit, and the
target as Open SDG's progress calculation understands it (``auto_progress_calculation``,
``progress_calculation_options``: ``direction``, ``target``, ``target_year``,
``base_year``): the plan's last target for each group, ``negative`` where lower is better.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from tdplan.analysis.observations import observations
from tdplan.analysis.scorecard import Scorecard
from tdplan.core.i18n import C_, N_, Message
from tdplan.core.model import Indicator, Plan, Target
from tdplan.core.notation import Lang
from tdplan.core.periods import PeriodKind
from tdplan.core.units import Unit, convert
from tdplan.core.vocabulary import TargetKind
from tdplan.exchange.files import Export, LeftOut, decimal_text, first_figures

__all__ = ["DISAGGREGATION_COLUMNS", "UNITS", "export_opensdg", "opensdg_id"]

DISAGGREGATION_COLUMNS = {"area": "Địa bàn", "residence": "Khu vực", "age": "Nhóm tuổi"}
"""The data files' disaggregation columns, by tdplan's column: the area, then each group."""

UNITS = {
    Unit.PERCENT: C_("Open SDG unit", "%"),
    Unit.PER_MILLE: C_("Open SDG unit", "‰"),
    Unit.PER_100000: C_("Open SDG unit", "per 100,000"),
    Unit.COUNT: C_("Open SDG unit", "number"),
}
"""The ``Units`` cell of each unit (Vietnamese in data files, both in metadata)."""

_NOT_YEARLY = N_("Open SDG's series are yearly: a figure for {period} is not exported")


def opensdg_id(indicator: Indicator) -> str:
    """The Open SDG id of an indicator: ``<goal>-<indicator>`` (``1-3``, ``2-15b``)."""
    return f"{indicator.goal}-{indicator.id}"


def export_opensdg(card: Scorecard) -> Export:
    """sdg-build's input files for ``card``'s plan: a data file per indicator with figures, metadata for all.

    >>> import tdplan
    >>> card = tdplan.load_plan().assess_table([
    ...     {"indicator": "3", "value": "16,5‰", "year": 2025},
    ...     {"indicator": "3", "value": 17, "year": 2025, "area": "Bản Bo"},
    ... ])
    >>> print(export_opensdg(card).files["data/indicator_1-3.csv"], end="")
    Year,Địa bàn,Units,Value
    2025,,‰,16.5
    2025,Bản Bo,‰,17
    """
    plan = card.plan
    rows: dict[str, list[tuple[int, dict[str, str], str]]] = {}
    left_out: list[LeftOut] = []
    yearly = []
    for observation in observations(card):
        if observation.period.kind is PeriodKind.YEAR:
            yearly.append(observation)
        else:
            left_out.append(LeftOut(observation.row, Message(_NOT_YEARLY, period=observation.period)))
    for observation in first_figures(yearly, left_out):
        cells = {"area": observation.area or ""} | dict(observation.group)
        year = observation.period.year
        rows.setdefault(observation.indicator.id, []).append((year, cells, decimal_text(observation.value)))
    files: dict[str, str] = {}
    for indicator in plan.indicators:
        inid = opensdg_id(indicator)
        if indicator.id in rows:
            files[f"data/indicator_{inid}.csv"] = _data(indicator, rows[indicator.id])
        files[f"meta/{inid}.yml"] = _yaml(_meta(plan, indicator, "vi", indicator.id in rows))
        files[f"meta/en/{inid}.yml"] = _yaml(_meta(plan, indicator, "en", indicator.id in rows))
    return Export(files, tuple(left_out))


def _data(indicator: Indicator, rows: list[tuple[int, dict[str, str], str]]) -> str:
    used = [key for key in DISAGGREGATION_COLUMNS if any(cells.get(key) for _, cells, _ in rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Year", *(DISAGGREGATION_COLUMNS[key] for key in used), "Units", "Value"])
    headline_first = sorted(rows, key=lambda row: (any(row[1].get(key) for key in used), row[0]))
    unit = UNITS[indicator.unit]("vi")
    for year, cells, value in headline_first:
        writer.writerow([str(year), *(cells.get(key, "") for key in used), unit, value])
    return buffer.getvalue()


def _progress(indicator: Indicator, plan: Plan) -> list[dict[str, Any]]:
    """Open SDG's progress options: per group, the plan's last target (its value, year and direction)."""
    last: dict[tuple[tuple[str, str], ...], Target] = {}
    for target in indicator.targets:
        group = tuple(sorted(target.disaggregation.items()))
        if group not in last or (target.year or 0) >= (last[group].year or 0):
            last[group] = target
    options = []
    for group, target in last.items():
        option: dict[str, Any] = {}
        if group:
            option["disaggregation"] = [{"field": DISAGGREGATION_COLUMNS.get(k, k), "value": v} for k, v in group]
        higher = target.comparator.higher_is_better and target.kind is TargetKind.LEVEL
        option["direction"] = "positive" if higher else "negative"
        if target.kind is TargetKind.LEVEL:  # in the data's unit, as the Value column (Open SDG reads 0 as 0.001)
            same = target.unit is indicator.unit or not (target.unit.is_ratio and indicator.unit.is_ratio)
            option["target"] = target.threshold if same else convert(target.threshold, target.unit, indicator.unit)
        option["base_year"] = plan.start_year
        option["target_year"] = target.year or plan.end_year
        options.append(option)
    return options


def _meta(plan: Plan, indicator: Indicator, lang: str, reported: bool) -> dict[str, Any]:
    chosen: Lang = "en" if lang == "en" else "vi"
    name = indicator.name(chosen)
    return {
        "indicator_number": opensdg_id(indicator).replace("-", "."),
        "indicator_name": name,
        "graph_title": name,
        "sdg_goal": str(indicator.goal),
        "reporting_status": "complete" if reported else "notstarted",
        "published": True,
        "data_non_statistical": False,
        "graph_type": "line",
        "computation_units": UNITS[indicator.unit](chosen),
        "national_target": indicator.describe_targets(chosen),
        "source_organisation_1": plan.issuer(chosen),
        "auto_progress_calculation": True,
        "progress_calculation_options": _progress(indicator, plan),
    }


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int):
        return decimal_text(Decimal(value))
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _yaml(data: dict[str, Any], indent: int = 0) -> str:
    """YAML in block style: mappings, lists of scalars or mappings, scalars quoted as JSON strings."""
    pad = " " * indent
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.append(_yaml(value, indent + 2).rstrip("\n"))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:" + ("" if value else " []"))
            lines += _items(value, indent)
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _items(values: Iterable[Any], indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for item in values:
        if isinstance(item, dict):
            block = _yaml(item, indent + 2).rstrip("\n").split("\n")
            lines.append(f"{pad}- {block[0].lstrip()}")
            lines += block[1:]
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines
