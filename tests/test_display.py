"""HTML for Jupyter: every repr parses, says what matters in words, escapes what it shows, and runs nothing."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

import tdplan
from tdplan import Status
from tdplan.core.errors import InputTypeError
from tdplan.reports.colours import STATUS_COLOURS
from tdplan.reports.jupyter import assessment_html, indicator_html, plan_html, progress_html, status_badge

PLAN = tdplan.load_plan()
TEMPLATE = Path(__file__).parent.parent / "examples" / "plans" / "template.toml"
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col"}


class Page(HTMLParser):
    """An HTML fragment read back: its tags, attributes and text, and any element closed out of order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.texts: list[str] = []
        self.open: list[str] = []
        self.misnested: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.misnested.append(tag)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


def parse(html: str) -> Page:
    """Parse ``html``, checking that it is well nested and has nothing that could run."""
    page = Page()
    page.feed(html)
    page.close()
    assert [] == page.misnested
    assert [] == page.open
    assert "script" not in page.tags
    assert [] == [name for name, _ in page.attributes if name.startswith("on")]
    assert [] == [value for _, value in page.attributes if value and "javascript:" in value.lower()]
    assert {"class", "id"}.isdisjoint(name for name, _ in page.attributes)  # inline styles only
    return page


def hostile_plan() -> tdplan.Plan:
    """The template plan, with markup in its title and an indicator's name and sentence."""
    text = TEMPLATE.read_text(encoding="utf-8")
    title = "<script>alert('title')</script> & co"
    name = '<img src=x onerror="alert(1)"> tỷ lệ'
    text = text.replace(
        'title = "Kế hoạch thực hiện Chương trình hành động vì trẻ em xã … giai đoạn 2026-2030"',
        f"title = {json.dumps(title)}",
    )
    text = text.replace('name = "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ"', f"name = {json.dumps(name)}")
    text = text.replace('source = "Chỉ tiêu 1: …"', 'source = "</td></tr></table><script>x()</script>"')
    plan = tdplan.loads_plan(text)
    assert title == plan.title.vi
    return plan


class TestPlanHtml:
    def test_repr_is_plan_html(self) -> None:
        """Plan._repr_html_ is plan_html with both languages."""
        assert plan_html(PLAN) == PLAN._repr_html_()

    def test_key_text(self) -> None:
        """The title, issuer, legal basis, period, every goal, and every indicator with its targets are shown."""
        text = parse(PLAN._repr_html_()).text
        for expected in (
            PLAN.title.vi,
            PLAN.title.en,
            "UBND huyện Tam Đường",
            "377/QĐ-UBND (06/04/2020)",
            "2021–2030",
            "4 mục tiêu",
            "31 chỉ tiêu",
            "10 cơ quan",
            "< 18‰ (2025), < 15‰ (2030)",
            "Phòng Lao động - Thương binh và Xã hội",
        ):
            assert expected in text
        for goal in PLAN.goals:
            assert goal.title.vi in text
        for indicator in PLAN.indicators:
            assert indicator.name.vi in text

    def test_long_lists_are_folded(self) -> None:
        """The indicators and agencies are in <details>, so the repr stays short until opened."""
        page = parse(PLAN._repr_html_())
        assert 2 == page.tags.count("details")
        assert 2 == page.tags.count("summary")

    def test_english(self) -> None:
        """In English only, the English title and labels replace the Vietnamese ones."""
        text = parse(plan_html(PLAN, "en")).text
        assert PLAN.title.en in text
        assert "4 goals · 31 indicators · 10 agencies" in text
        assert PLAN.title.vi not in text
        assert "Mục tiêu" not in text

    def test_escaped(self) -> None:
        """Markup in a plan's texts is shown as text, never run: no script or image element, no handler."""
        plan = hostile_plan()
        html = plan._repr_html_()
        page = parse(html)
        assert "img" not in page.tags
        assert "<script>alert('title')</script> & co" in page.text
        assert "&lt;script&gt;" in html
        assert '<img src=x onerror="alert(1)"> tỷ lệ' in page.text


class TestIndicatorHtml:
    def test_repr_is_indicator_html(self) -> None:
        """Indicator._repr_html_ is indicator_html with both languages."""
        indicator = PLAN.indicator("3")
        assert indicator_html(indicator) == indicator._repr_html_()

    def test_key_text(self) -> None:
        """Indicator 3: its id, goal, name in both languages, each target, the lead office and the plan's sentence."""
        indicator = PLAN.indicator("3")
        text = parse(indicator._repr_html_()).text
        for expected in (
            "Chỉ tiêu / Indicator 3",
            "Mục tiêu / Goal 1",
            "Tỷ suất tử vong trẻ sơ sinh",
            "Neonatal mortality rate",
            "2025 < 18‰",
            "2030 < 15‰",
            "Phòng Y tế, Trung tâm y tế / Office of Health and the Health Centre",
            indicator.source,
        ):
            assert expected in text

    def test_groups(self) -> None:
        """Indicator 20's targets are shown with their age group; indicator 3's have no group column."""
        assert "2030 trẻ 3–5 tuổi / children aged 3–5 > 98,6%" in parse(PLAN.indicator("20")._repr_html_()).text
        assert "Nhóm" not in parse(PLAN.indicator("3")._repr_html_()).text

    def test_annual_fall(self) -> None:
        """Indicator 18's target is described as a yearly fall over its period."""
        text = parse(indicator_html(PLAN.indicator("18"), "en")).text
        assert "2025–2030 fall ≥ 2%/year (band 2%–3%, 2025–2030)" in text

    def test_continuous(self) -> None:
        """A continuous target (indicator 16) says so instead of a year."""
        assert "continuous ≥ 100%" in parse(indicator_html(PLAN.indicator("16"), "en")).text

    def test_escaped(self) -> None:
        """An indicator's name and sentence with markup are escaped."""
        indicator = hostile_plan().indicator("1")
        page = parse(indicator._repr_html_())
        assert {"img", "script"}.isdisjoint(page.tags)
        assert "</td></tr></table><script>x()</script>" in page.text


class TestAssessmentHtml:
    def test_repr_is_assessment_html(self) -> None:
        """Assessment._repr_html_ is assessment_html with both languages."""
        assessment = PLAN.assess("3", "16,5‰", year=2025)
        assert assessment_html(assessment) == assessment._repr_html_()

    def test_met(self) -> None:
        """A met value: the status in both languages and its colour, the sentence, value, target and margin."""
        html = PLAN.assess("3", "16,5‰", year=2025)._repr_html_()
        text = parse(html).text
        for expected in (
            "✓ đạt / met",
            "Chỉ tiêu / Indicator 3 (2025)",
            "16,5‰ < 18‰: đạt chỉ tiêu năm 2025",
            "16.5‰ < 18‰: meets the 2025 target",
            "Giá trị / Value 16,5‰",
            "< 18‰ (2025)",
            "Chênh lệch / Margin 1,5‰",
        ):
            assert expected in text
        assert STATUS_COLOURS[Status.MET] in html

    def test_every_status_in_words(self) -> None:
        """Each status is written out, not only coloured."""
        cases = {
            Status.MET: PLAN.assess("3", 17, year=2025),
            Status.NOT_MET: PLAN.assess("3", 18, year=2025),
            Status.AHEAD: PLAN.assess("3", 17, year=2023),
            Status.PENDING: PLAN.assess("3", 19, year=2023),
        }
        for status, assessment in cases.items():
            assert status == assessment.status
            text = parse(assessment_html(assessment, "en")).text
            assert status.label("en") in text
            assert status.label("vi") in parse(assessment_html(assessment, "vi")).text

    def test_boundary(self) -> None:
        """Exactly on a strict threshold: not met, with a margin of 0."""
        text = parse(assessment_html(PLAN.assess("3", "1,8%", year=2025), "en")).text
        assert "✗ not met" in text
        assert "Margin 0‰" in text

    def test_group(self) -> None:
        """The group of a disaggregated target is named."""
        assessment = PLAN.assess("8", "0,05%", year=2025, disaggregation={"residence": "rural"})
        assert "< 0.1% (2025, rural)" in parse(assessment_html(assessment, "en")).text

    def test_rounded_value_is_marked(self) -> None:
        """A rate with no finite decimal (5 of 300) is shown rounded and marked ≈."""
        card = PLAN.assess_table([{"indicator": "3", "numerator": 5, "denominator": 300, "year": 2025}])
        assessment = card.assessments[0]
        assert not assessment.exact
        assert "≈ 16,67‰" in parse(assessment._repr_html_()).text


class TestProgressHtml:
    def test_repr_is_progress_html(self) -> None:
        """Progress._repr_html_ is progress_html with both languages."""
        progress = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"})
        assert progress_html(progress) == progress._repr_html_()

    def test_series(self) -> None:
        """Each measurement with its verdict, the baseline, the gaps, and each trajectory with R and projection."""
        progress = PLAN.track("3", {2020: 25, 2022: "23,958‰", 2024: "19,8‰"})
        text = parse(progress_html(progress, "en")).text
        for expected in (
            "Indicator 3",
            "Indicator 3: 3 values (2020–2024), latest 19.8‰ (2024)",
            "2020 25‰ baseline",
            "2022 23.958‰ … pending",
            "Missing: 2021, 2023",
            "2025 < 18‰ progress made, acceleration needed 0.89 18.68‰ 1 year left",
            "2030 < 15‰ on track 1.13 13.96‰ 6 years left",
        ):
            assert expected in text

    def test_tooltips(self) -> None:
        """A verdict's badge carries its full explanation as a tooltip, escaped."""
        progress = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"})
        page = parse(progress_html(progress, "en"))
        titles = [value for name, value in page.attributes if name == "title"]
        assert "23.958‰ ≥ 18‰: not yet at the 2025 target (needs < 18‰; not yet due)" in titles

    def test_indicator_18(self) -> None:
        """Indicator 18: each year's count, its fall on the year before, and the verdict."""
        progress = PLAN.track("18", {2024: 52, 2025: 50, 2026: 49, 2027: 49})
        text = parse(progress._repr_html_()).text
        for expected in (
            "2024 52 — thiếu năm trước / no year before",
            "2025 50 3,85% ✓ đạt / met",
            "2026 49 2% ✓ đạt / met",
            "2027 49 0% ✗ không đạt / not met",
        ):
            assert expected in text

    def test_group(self) -> None:
        """A series of one group names it."""
        progress = PLAN.track("20", {2024: "97%"}, disaggregation={"age": "3-5"})
        assert "Indicator 20 · children aged 3–5" in parse(progress_html(progress, "en")).text


def test_status_badge_escapes_its_tooltip() -> None:
    """A tooltip with quotes and markup stays inside its attribute."""
    page = parse(status_badge(Status.MET, "en", title='"><script>x()</script>'))
    assert [("title", '"><script>x()</script>')] == [item for item in page.attributes if item[0] == "title"]


def test_unknown_language() -> None:
    """A language other than vi, en or None (both) is an InputTypeError, as for reports."""
    with pytest.raises(InputTypeError, match="unknown language 'fr': use 'vi' or 'en'"):
        plan_html(PLAN, "fr")  # type: ignore[arg-type]
