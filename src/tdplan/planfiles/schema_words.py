"""The JSON Schema of plan files in a reader's language: its titles and descriptions through the catalog.

:func:`~tdplan.planfiles.format.plan_schema` is the schema as shipped, in English, for
software. :func:`plan_schema_in` gives the same schema with each ``title`` and
``description`` in Vietnamese or English, for a person writing a plan file in an editor
that shows them (``tdplan schema``). The keys, types and patterns do not change; a text
not marked in :data:`SCHEMA_TEXTS` stays English.
"""

from __future__ import annotations

import json
from typing import Any

from tdplan.core.i18n import N_, translate
from tdplan.planfiles.format import plan_schema

__all__ = ["SCHEMA_TEXTS", "plan_schema_in"]

SCHEMA_TEXTS = (
    N_("tdplan plan file, format version 1"),
    N_(
        "A plan with goals, indicators, targets and the agencies that lead them, as read by tdplan "
        "(docs/plan-format.md). TOML files hold the same data; their dates are TOML dates, written here as "
        "ISO strings."
    ),
    N_("The version of the file format."),
    N_("The plan's id, lowercase ASCII with hyphens."),
    N_(
        "What targets are split by (residence, age), by code: each dimension's name and its groups, with their "
        "labels. Where a plan declares dimensions, every group a target names must be declared here."
    ),
    N_("The areas (communes) that should report: the rows of the completeness matrix."),
    N_("Consistency rules (DHIS2 validation rules): left operator right, in the same area and period."),
    N_("A text: the Vietnamese alone, or a table with the Vietnamese (vi) and an English translation (en)."),
    N_(
        "The word of the dimension's Vietnamese command-line option (khu-vuc for tdplan assess --khu-vuc); by "
        "default its Vietnamese name without accents, words joined by dashes. The English option is its code. No "
        "two dimensions may share an option, nor take one of tdplan's own (help, lang, plan, year, unit, version)."
    ),
    N_("The groups by code (rural, 2-3), as targets' disaggregation names them."),
    N_(
        "A group's label in Vietnamese (vi) and English (en), and other names inputs may use for it (aliases). "
        "Inputs are compared without case, accents, spaces or dash variants."
    ),
    N_("An exact decimal number; read as a decimal, never as a binary float."),
    N_("An indicator (optionally one group of it), or a list of them: their sum."),
    N_('An indicator id, such as "3".'),
    N_('One group of the indicator, such as { residence = "rural" }.'),
)
"""The schema's titles and descriptions, marked for the catalog."""


def plan_schema_in(lang: str) -> str:
    """The JSON Schema of plan files with its titles and descriptions in ``lang`` (English: as shipped).

    >>> json.loads(plan_schema_in("vi"))["title"]
    'tệp kế hoạch của tdplan, định dạng phiên bản 1'
    """
    text = plan_schema()
    if lang == "en":
        return text
    return json.dumps(_words(json.loads(text), lang), ensure_ascii=False, indent=2) + "\n"


def _words(value: Any, lang: str, key: str = "") -> Any:
    """``value`` with every ``title`` and ``description`` translated (a property named so is left alone)."""
    if isinstance(value, dict):
        return {
            name: _words(item, lang, "" if key == "properties" else name)  # under properties, a name is a key
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [_words(item, lang) for item in value]
    if key in ("title", "description") and isinstance(value, str):
        return translate(value, lang)
    return value
