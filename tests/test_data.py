"""The shipped data against the plan's text: verbatim Vietnamese, structure, and section IV."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import tdplan

SEED = Path(__file__).parent / "seed" / "ke-hoach-tam-duong-2021-2030.txt"
PLAN_TEXT = " ".join(SEED.read_text(encoding="utf-8").split())
PLAN = tdplan.load_plan()


def verbatim_texts() -> list[tuple[str, str]]:
    """Every text tdplan says is the plan's own wording, with where it is."""
    texts = [
        ("purpose", PLAN.purpose.vi),
        ("requirements", PLAN.requirements.vi),
        ("general_objective", PLAN.general_objective.vi),
        ("funding", PLAN.funding.vi),
        ("signatory", PLAN.signatory.name),
        ("legal basis", PLAN.legal_basis.title.vi),
    ]
    texts += [(f"recipient {i}", text.vi) for i, text in enumerate(PLAN.recipients)]
    for task in PLAN.tasks:
        texts.append((f"task {task.number}", task.title.vi))
        texts += [(f"task {task.number} item {i}", item.vi) for i, item in enumerate(task.items)]
    texts += [(f"goal {goal.number}", goal.title.vi) for goal in PLAN.goals]
    for agency in PLAN.agencies:
        texts.append((f"agency {agency.id}", agency.name.vi))
        texts += [(f"agency {agency.id} duty {i}", duty.vi) for i, duty in enumerate(agency.duties)]
    texts += [(f"indicator {ind.id} source", ind.source) for ind in PLAN.indicators]
    return texts


class TestVerbatim:
    """The plan's own words are kept exactly."""

    @pytest.mark.parametrize(("where", "text"), verbatim_texts())
    def test_in_plan(self, where: str, text: str) -> None:
        """The text stands in the plan, word for word (layout line breaks joined)."""
        assert text in PLAN_TEXT, where

    @pytest.mark.parametrize(("where", "text"), verbatim_texts())
    def test_nfc(self, where: str, text: str) -> None:
        """The text is NFC-normalised and has no stray spaces."""
        assert unicodedata.is_normalized("NFC", text), where
        assert text == " ".join(text.split()), where

    def test_every_text_translated(self) -> None:
        """Every Text has a non-empty English rendering, and the plan says it is a translation."""
        assert PLAN.translation_note is not None
        assert "translation" in PLAN.translation_note.en
        texts = [PLAN.title, PLAN.purpose, PLAN.funding, *PLAN.recipients]
        texts += [ind.name for ind in PLAN.indicators] + [a.name for a in PLAN.agencies]
        assert all(text.en.strip() and text.vi.strip() for text in texts)


class TestSources:
    """Each indicator's source sentence is the one that states it."""

    @pytest.mark.parametrize("indicator", PLAN.indicators, ids=lambda ind: ind.id)
    def test_source_names_indicator(self, indicator: tdplan.Indicator) -> None:
        """Numbered indicators quote their own "Chỉ tiêu N:" sentence; 15b quotes 15's, 25b its own line."""
        number = indicator.id.removesuffix("b")
        if indicator.id == "25b":
            assert indicator.source.startswith("Tỷ lệ trẻ em khuyết tật")
        else:
            assert indicator.source.startswith(f"Chỉ tiêu {number}:")

    @pytest.mark.parametrize("indicator", PLAN.indicators, ids=lambda ind: ind.id)
    def test_thresholds_in_source(self, indicator: tdplan.Indicator) -> None:
        """Every threshold is written in the indicator's sentence, in Vietnamese notation."""
        for target in indicator.targets:
            written = tdplan.format_number(target.threshold, "vi")
            assert re.search(rf"(?<![\d,]){re.escape(written)}(?![\d,])", indicator.source), written


class TestSectionIV:
    """Section IV's own lists of indicators match who leads what."""

    @pytest.mark.parametrize("agency", [a for a in PLAN.agencies if a.indicators], ids=lambda a: a.id)
    def test_duties_name_the_indicators(self, agency: tdplan.Agency) -> None:
        """The agency's duties list exactly the numbered indicators it leads (15b and 25b go with 15 and 25)."""
        duties = " ".join(duty.vi for duty in agency.duties)
        lists = re.findall(r"chỉ tiêu (?:số )?([\d, ]+\d)", duties)
        named = {number for found in lists for number in re.split(r"[, ]+", found)}
        led = {ind.id.removesuffix("b") for ind in agency.indicators}
        assert named == led

    def test_plan_metadata(self) -> None:
        """The legal basis, issuer, signatory and period are the plan's."""
        assert ("377/QĐ-UBND", "2020-04-06") == (PLAN.legal_basis.document, PLAN.legal_basis.date.isoformat())
        assert "UBND tỉnh Lai Châu" == PLAN.legal_basis.issuer.vi
        assert "Vũ Xuân Thịnh" == PLAN.signatory.name
        assert (2021, 2030) == (PLAN.start_year, PLAN.end_year)
        assert ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"] == [task.number for task in PLAN.tasks]
