"""SDMX: a scorecard's figures as SDMX-CSV 2.0 data, and the SDMX-ML 3.0 structure message they refer to.

:func:`export_sdmx` gives two files. ``structure.xml`` is an SDMX-ML 3.0 structure
message: codelists of the plan's indicators (``CL_INDICATOR``), the areas
(``CL_AREA``, ``_T`` for the whole district), the groups (``CL_RESIDENCE``, ``CL_AGE``, ``_T``
for everyone), units (``CL_UNIT``) and verdicts (``CL_TARGET_STATUS``); a concept scheme; the
data structure definition ``DSD_TDPLAN`` (dimensions ``INDICATOR``, ``AREA``,
``RESIDENCE``, ``AGE`` and ``TIME_PERIOD``, the measure ``OBS_VALUE``, the attributes
``UNIT_MEASURE`` and ``TARGET_STATUS``); and a dataflow for the plan. ``data.csv`` is
SDMX-CSV 2.0: ``STRUCTURE``, ``STRUCTURE_ID``, ``ACTION``, the dimensions, ``OBS_VALUE``,
the attributes; one row per assessed figure (the first of a key: a second is left out),
values as exact decimals.

An area's code is its name in ASCII capitals (``Bản Bo`` → ``BAN_BO``); its name stays
Vietnamese. SDMX periods are ``2025``, ``2025-S1``, ``2025-Q3``, ``2025-03-15``. The
message is written with the standard library (``sdmx1`` writes SDMX-ML 2.1 only); the
tests read it back with ``sdmx1`` (the ``exchange`` extra), which also reads the data
file against it.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from tdplan.analysis.observations import Observation, observations
from tdplan.analysis.scorecard import Scorecard
from tdplan.core.errors import MissingDependencyError
from tdplan.core.i18n import C_, Label
from tdplan.core.model import Plan
from tdplan.core.periods import Period, PeriodKind
from tdplan.core.units import Unit
from tdplan.core.vocabulary import Status
from tdplan.exchange.files import Export, LeftOut, decimal_text, first_figures

__all__ = [
    "AGENCY",
    "DSD_ID",
    "area_code",
    "export_sdmx",
    "read_with_sdmx1",
    "sdmx_period",
    "sdmx_structure",
    "structure_21",
]

AGENCY = "TDPLAN"
"""The maintenance agency of the structures (change it with ``agency=``)."""

DSD_ID = "DSD_TDPLAN"
"""The id of the data structure definition."""

VERSION = "1.0"
TOTAL = "_T"
_NS = {
    "mes": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message",
    "str": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure",
    "com": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common",
}
_XML = "{http://www.w3.org/XML/1998/namespace}lang"
_UNIT_CODES = {
    Unit.PERCENT: ("PT", C_("SDMX name", "Percent")),
    Unit.PER_MILLE: ("PER_1000", C_("SDMX name", "Per thousand")),
    Unit.PER_100000: ("PER_100000", C_("SDMX name", "Per 100,000")),
    Unit.COUNT: ("NUMBER", C_("SDMX name", "Number")),
}
_CONCEPTS = {
    "INDICATOR": C_("SDMX name", "Indicator"),
    "AREA": C_("SDMX name", "Area"),
    "RESIDENCE": C_("SDMX name", "Residence"),
    "AGE": C_("SDMX name", "Age group"),
    "TIME_PERIOD": C_("SDMX name", "Time period"),
    "OBS_VALUE": C_("SDMX name", "Observation value"),
    "UNIT_MEASURE": C_("SDMX name", "Unit of measure"),
    "TARGET_STATUS": C_("SDMX name", "Result against the target"),
}
_DIMENSIONS = ("INDICATOR", "AREA", "RESIDENCE", "AGE")


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def area_code(name: str) -> str:
    """An area's SDMX code: its name in ASCII capitals, other characters as ``_`` (``Bản Bo`` → ``BAN_BO``)."""
    text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    code = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").upper()
    return code or "AREA"


def _codes(names: Iterable[str], total: tuple[str, str]) -> dict[str, tuple[str, str]]:
    """Codes for names, made unique with a number where two names give one code; ``_T`` first."""
    codes: dict[str, tuple[str, str]] = {TOTAL: total}
    for name in names:
        code = base = area_code(name)
        number = 2
        while code in codes and codes[code][0] != name:
            code, number = f"{base}_{number}", number + 1
        codes[code] = (name, name)
    return codes


def sdmx_period(period: Period) -> str:
    """A period as SDMX writes it: ``2025``, ``2025-S1``, ``2025-Q3``, ``2025-03-15``."""
    if period.kind is PeriodKind.HALF_YEAR:
        return f"{period.year}-S{period.number}"
    return period.code


def _both(label: Label) -> tuple[str, str]:
    """A name in Vietnamese and English, as an SDMX structure names each thing."""
    return label("vi"), label("en")


def _name(parent: ET.Element, vi: str, en: str) -> None:
    for lang, text in (("vi", vi), ("en", en or vi)):
        element = ET.SubElement(parent, _q("com", "Name"))
        element.set(_XML, lang)
        element.text = text


def _urn(kind: str, agency: str, id: str) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.{kind}={agency}:{id}({VERSION})"


def _codelist(
    parent: ET.Element, agency: str, id: str, name: tuple[str, str], codes: dict[str, tuple[str, str]]
) -> None:
    element = ET.SubElement(parent, _q("str", "Codelist"), id=id, agencyID=agency, version=VERSION)
    _name(element, *name)
    for code, (vi, en) in codes.items():
        _name(ET.SubElement(element, _q("str", "Code"), id=code), vi, en)


def _component(
    parent: ET.Element, tag: str, id: str, agency: str, codelist: str | None, **attributes: str
) -> ET.Element:
    element = ET.SubElement(parent, _q("str", tag), {"id": id, **attributes})
    identity = ET.SubElement(element, _q("str", "ConceptIdentity"))
    identity.text = f"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={agency}:CS_TDPLAN({VERSION}).{id}"
    representation = ET.SubElement(element, _q("str", "LocalRepresentation"))
    if codelist is None:
        text_type = "ObservationalTimePeriod" if id == "TIME_PERIOD" else "Decimal"
        ET.SubElement(representation, _q("str", "TextFormat"), textType=text_type)
    else:
        ET.SubElement(representation, _q("str", "Enumeration")).text = _urn("codelist.Codelist", agency, codelist)
    return element


def _group_codes(plan: Plan, found: Iterable[Observation], name: str) -> list[str]:
    groups = [
        target.disaggregation[name]
        for ind in plan.indicators
        for target in ind.targets
        if name in target.disaggregation
    ]
    groups += [value for o in found for key, value in o.group if key == name]
    return list(dict.fromkeys(groups))


def sdmx_structure(
    plan: Plan, areas: Iterable[str] = (), *, agency: str = AGENCY, figures: Iterable[Observation] = ()
) -> str:
    """The SDMX-ML 3.0 structure message for ``plan``: codelists, concepts, the DSD and the dataflow (XML text)."""
    for prefix, uri in _NS.items():
        ET.register_namespace(prefix, uri)
    found = list(figures)
    root = ET.Element(_q("mes", "Structure"))
    header = ET.SubElement(root, _q("mes", "Header"))
    ET.SubElement(header, _q("mes", "ID")).text = f"TDPLAN_{area_code(plan.id)}"
    ET.SubElement(header, _q("mes", "Test")).text = "false"
    ET.SubElement(header, _q("mes", "Prepared")).text = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    ET.SubElement(header, _q("mes", "Sender"), id=agency)
    structures = ET.SubElement(root, _q("mes", "Structures"))
    codelists = ET.SubElement(structures, _q("str", "Codelists"))
    indicators = {ind.id: (ind.name("vi"), ind.name("en")) for ind in plan.indicators}
    _codelist(codelists, agency, "CL_INDICATOR", _both(C_("SDMX name", "Indicators")), indicators)
    area_names = list(dict.fromkeys([*plan.areas, *areas, *(o.area for o in found if o.area)]))
    whole = _both(C_("SDMX name", "Whole district"))
    _codelist(codelists, agency, "CL_AREA", _both(C_("SDMX name", "Areas")), _codes(area_names, whole))
    for id, name in (("RESIDENCE", C_("SDMX name", "Residence")), ("AGE", C_("SDMX name", "Age groups"))):
        groups = _codes(_group_codes(plan, found, id.lower()), _both(C_("SDMX name", "Total")))
        _codelist(codelists, agency, f"CL_{id}", _both(name), groups)
    units = {code: _both(name) for code, name in _UNIT_CODES.values()}
    _codelist(codelists, agency, "CL_UNIT", _both(C_("SDMX name", "Units")), units)
    statuses = {status.name: (status.label("vi"), status.label("en")) for status in Status}
    _codelist(codelists, agency, "CL_TARGET_STATUS", _both(C_("SDMX name", "Results")), statuses)
    concepts = ET.SubElement(ET.SubElement(structures, _q("str", "Concepts")), _q("str", "ConceptScheme"))
    concepts.attrib.update(id="CS_TDPLAN", agencyID=agency, version=VERSION)
    _name(concepts, *_both(C_("SDMX name", "tdplan's concepts")))
    for id, concept in _CONCEPTS.items():
        _name(ET.SubElement(concepts, _q("str", "Concept"), id=id), *_both(concept))
    dsd = ET.SubElement(ET.SubElement(structures, _q("str", "DataStructures")), _q("str", "DataStructure"))
    dsd.attrib.update(id=DSD_ID, agencyID=agency, version=VERSION)
    _name(dsd, plan.title("vi"), plan.title("en"))
    components = ET.SubElement(dsd, _q("str", "DataStructureComponents"))
    dimensions = ET.SubElement(components, _q("str", "DimensionList"), id="DimensionDescriptor")
    for position, id in enumerate(_DIMENSIONS, start=1):
        _component(dimensions, "Dimension", id, agency, f"CL_{id}", position=str(position))
    _component(dimensions, "TimeDimension", "TIME_PERIOD", agency, None, position=str(len(_DIMENSIONS) + 1))
    attributes = ET.SubElement(components, _q("str", "AttributeList"), id="AttributeDescriptor")
    for id, codelist in (("UNIT_MEASURE", "CL_UNIT"), ("TARGET_STATUS", "CL_TARGET_STATUS")):
        attribute = _component(attributes, "Attribute", id, agency, codelist, usage="optional")
        relationship = ET.SubElement(attribute, _q("str", "AttributeRelationship"))
        ET.SubElement(relationship, _q("str", "Observation"))
    measures = ET.SubElement(components, _q("str", "MeasureList"), id="MeasureDescriptor")
    _component(measures, "Measure", "OBS_VALUE", agency, None)
    flows = ET.SubElement(structures, _q("str", "Dataflows"))
    flow = ET.SubElement(flows, _q("str", "Dataflow"), id=_flow_id(plan), agencyID=agency, version=VERSION)
    _name(flow, plan.title("vi"), plan.title("en"))
    ET.SubElement(flow, _q("str", "Structure")).text = _urn("datastructure.DataStructure", agency, DSD_ID)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _flow_id(plan: Plan) -> str:
    return f"DF_{area_code(plan.id)}"


def export_sdmx(card: Scorecard, *, agency: str = AGENCY) -> Export:
    """``data.csv`` (SDMX-CSV 2.0) and ``structure.xml`` (SDMX-ML 3.0) for ``card``'s figures.

    >>> import tdplan
    >>> card = tdplan.load_plan().assess_table([{"indicator": "3", "value": "16,5‰", "year": 2025, "area": "Bản Bo"}])
    >>> print(export_sdmx(card).files["data.csv"], end="")
    STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,AREA,RESIDENCE,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,TARGET_STATUS
    dataflow,TDPLAN:DF_TAM_DUONG_2021_2030(1.0),I,3,BAN_BO,_T,_T,2025,16.5,PER_1000,MET
    """
    left_out: list[LeftOut] = []
    found = first_figures(observations(card), left_out)
    structure = sdmx_structure(card.plan, card.expected_areas or (), agency=agency, figures=found)
    area_names = list(
        dict.fromkeys([*card.plan.areas, *(card.expected_areas or ()), *(o.area for o in found if o.area)])
    )
    area_codes = {name: code for code, (name, _) in _codes(area_names, ("", "")).items() if code != TOTAL}
    group_codes = {
        key: {name: code for code, (name, _) in _codes(_group_codes(card.plan, found, key), ("", "")).items()}
        for key in ("residence", "age")
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "STRUCTURE",
            "STRUCTURE_ID",
            "ACTION",
            *_DIMENSIONS,
            "TIME_PERIOD",
            "OBS_VALUE",
            "UNIT_MEASURE",
            "TARGET_STATUS",
        ]
    )
    flow = f"{agency}:{_flow_id(card.plan)}({VERSION})"
    for o in found:
        groups = dict(o.group)
        writer.writerow(
            [
                "dataflow",
                flow,
                "I",
                o.indicator.id,
                area_codes[o.area] if o.area else TOTAL,
                group_codes["residence"].get(groups.get("residence", ""), TOTAL),
                group_codes["age"].get(groups.get("age", ""), TOTAL),
                sdmx_period(o.period),
                decimal_text(o.value),
                _UNIT_CODES[o.indicator.unit][0],
                o.status.name,
            ]
        )
    return Export({"data.csv": buffer.getvalue(), "structure.xml": structure}, tuple(left_out))


def read_with_sdmx1(export: Export) -> tuple[Any, Any]:
    """An SDMX export as ``sdmx1`` objects: the structure message, and the data message read against its dataflow.

    ``sdmx1`` is the optional extra ``tdplan[exchange]``; :class:`~tdplan.MissingDependencyError`
    if it is missing. This is also how the tests check that the files are valid SDMX.
    """
    try:
        sdmx = importlib.import_module("sdmx")
    except ImportError:
        raise MissingDependencyError(
            "reading SDMX needs sdmx1, which is not installed: pip install 'tdplan[exchange]' (or pip install sdmx1)"
        ) from None
    structure = sdmx.read_sdmx(io.BytesIO(export.files["structure.xml"].encode("utf-8")), format="XML")
    flow = next(iter(structure.dataflow.values()))
    data = sdmx.read_sdmx(io.BytesIO(export.files["data.csv"].encode("utf-8")), format="CSV", structure=flow)
    return structure, data


def structure_21(export: Export) -> str:
    """The same structures as an SDMX-ML 2.1 message, written by ``sdmx1`` (for software that reads only 2.1).

    ``sdmx1`` reads ``structure.xml`` (3.0) and writes its codelists, concepts, DSD and
    dataflow as 2.1; it is the optional extra ``tdplan[exchange]``.
    """
    structure, _ = read_with_sdmx1(export)
    sdmx = importlib.import_module("sdmx")
    common = importlib.import_module("sdmx.model.common")
    v21 = importlib.import_module("sdmx.model.v21")
    message = importlib.import_module("sdmx.message").StructureMessage(header=structure.header)
    codelists: dict[str, Any] = {}
    agency = None
    for codelist in structure.codelist.values():
        agency = codelist.maintainer
        new = common.Codelist(id=codelist.id, maintainer=agency, version=VERSION, name=codelist.name, is_final=True)
        for code in codelist:
            new.append(common.Code(id=code.id, name=code.name))
        message.add(new)
        codelists[codelist.id] = new
    scheme = next(iter(structure.concept_scheme.values()))
    concepts = common.ConceptScheme(id=scheme.id, maintainer=agency, version=VERSION, name=scheme.name, is_final=True)
    for concept in scheme:
        concepts.append(common.Concept(id=concept.id, name=concept.name))
    message.add(concepts)
    old = structure.structure[DSD_ID]
    dsd = v21.DataStructureDefinition(id=old.id, maintainer=agency, version=VERSION, name=old.name, is_final=True)
    dsd.dimensions.id, dsd.attributes.id, dsd.measures.id = (
        "DimensionDescriptor",
        "AttributeDescriptor",
        "MeasureDescriptor",
    )

    def representation(component: Any) -> Any:
        local = component.local_representation
        if local is None or local.enumerated is None:
            return None
        return common.Representation(enumerated=codelists[local.enumerated.id])

    for order, dimension in enumerate(old.dimensions):
        kind = common.TimeDimension if dimension.id == "TIME_PERIOD" else common.Dimension
        dsd.dimensions.append(
            kind(
                id=dimension.id,
                order=order,
                concept_identity=concepts[dimension.id],
                local_representation=representation(dimension),
            )
        )
    for attribute in old.attributes:
        dsd.attributes.append(
            v21.DataAttribute(
                id=attribute.id,
                concept_identity=concepts[attribute.id],
                local_representation=representation(attribute),
                related_to=v21.PrimaryMeasureRelationship(),
                usage_status=v21.UsageStatus.conditional,
            )
        )
    dsd.measures.append(v21.PrimaryMeasure(id="OBS_VALUE", concept_identity=concepts["OBS_VALUE"]))
    message.add(dsd)
    flow = next(iter(structure.dataflow.values()))
    message.add(
        v21.DataflowDefinition(
            id=flow.id, maintainer=agency, version=VERSION, name=flow.name, structure=dsd, is_final=True
        )
    )
    return str(sdmx.to_xml(message, pretty_print=True).decode("utf-8"))
