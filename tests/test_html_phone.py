"""The HTML report in a real browser engine (Debian's Chromium, driven by Playwright) at 390 px and 1280 px."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
assert _spec is not None
assert _spec.loader is not None
screenshots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshots)

pytest.importorskip("playwright", reason="the test extra installs playwright")
pytestmark = pytest.mark.skipif(
    screenshots.chromium_path() is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)"
)

# Every status badge of a row: the 29 example rows and the 2 added (one with a problem, one with a long area).
ROWS = 31
STATUS_WORDS = {"đạt", "đạt trước hạn", "chưa đạt", "không đạt", "lỗi"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    with screenshots.browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report as a file, as an officer would open it."""
    return screenshots.report_page(tmp_path_factory.mktemp("report"))


class TestWidths:
    """At a phone's width and a desktop's, the page fits and every result can be read."""

    @pytest.mark.parametrize("width", [390, 1280])
    def test_no_horizontal_overflow(self, browser: Any, page_file: Path, width: int, tmp_path: Path) -> None:
        """The page is no wider than the window: nothing to scroll sideways (a screenshot is kept in tmp_path)."""
        page = screenshots.open_page(browser, page_file, width)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
        assert width == inner
        assert scroll <= inner

    @pytest.mark.parametrize("width", [390, 1280])
    def test_every_status_visible(self, browser: Any, page_file: Path, width: int) -> None:
        """Each row's status badge is shown, in words, inside the window's width."""
        page = screenshots.open_page(browser, page_file, width)
        badges = page.locator("tr[data-status] .status")
        assert ROWS == badges.count()
        for index in range(badges.count()):
            badge = badges.nth(index)
            assert badge.is_visible()
            box = badge.bounding_box()
            assert box is not None
            assert 0 <= box["x"]
            assert box["x"] + box["width"] <= width
            assert badge.inner_text().lstrip("✓✗▲○! ").strip() in STATUS_WORDS

    def test_phone_shows_cards(self, browser: Any, page_file: Path) -> None:
        """At 390 px a row is a card: its result first, each value under its column's name, the indicator named."""
        page = screenshots.open_page(browser, page_file, 390)
        row = page.locator('tr[data-status="not_met"]').first
        cells = row.locator("td")
        assert "block" == cells.first.evaluate("cell => getComputedStyle(cell).display")
        assert "Giá trị" in row.locator("td.num").nth(1).evaluate("c => getComputedStyle(c, '::before').content")
        result = row.locator("td.res").bounding_box()
        value = row.locator("td.num").nth(1).bounding_box()
        assert result is not None
        assert value is not None
        assert result["y"] < value["y"]
        later = page.locator("tr[data-status] td.again:visible")
        assert later.count() > 0  # rows after an indicator's first name it again
        assert page.locator("thead").first.bounding_box()["height"] <= 1  # type: ignore[index]

    @pytest.mark.parametrize("width", [390, 1280])
    def test_matrix_scrolls_in_its_box(self, browser: Any, page_file: Path, width: int) -> None:
        """The completeness matrix (a column per area and period) scrolls inside its box, its indicator column fixed."""
        page = screenshots.open_page(browser, page_file, width)
        box = page.locator("#completeness_matrix .scroll")
        inside, shown = box.evaluate("box => [box.scrollWidth, box.clientWidth]")
        assert inside > shown
        first = page.locator("#completeness_matrix tbody td").first
        before = first.bounding_box()
        box.evaluate("box => { box.scrollLeft = 400; }")
        after = first.bounding_box()
        assert before is not None
        assert after is not None
        assert before["x"] == after["x"]

    def test_desktop_keeps_the_table(self, browser: Any, page_file: Path) -> None:
        """At 1280 px the rows stay a table, with its headings, and the repeated indicator is hidden."""
        page = screenshots.open_page(browser, page_file, 1280)
        assert "table-row" == page.locator("tr[data-status]").first.evaluate("row => getComputedStyle(row).display")
        assert page.locator("thead th").first.is_visible()
        assert 0 == page.locator("td.again:visible").count()
