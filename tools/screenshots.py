"""The HTML report in a real browser engine (Chromium, driven by Playwright) at a phone's and a desktop's width.

``python tools/screenshots.py`` writes ``docs/images/report-390.png`` and
``docs/images/report-1280.png``; ``tests/test_html_phone.py`` uses the same page and
browser to check that nothing overflows and every status is visible. Chromium is
Debian's package (``apt-get install chromium``): Playwright's own browser download is
not needed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tdplan
from tdplan.reports.render import render

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WIDTHS = (390, 1280)
"""A phone (390 px, as an iPhone 12–15) and a desktop."""


def chromium_path() -> str | None:
    """Debian's Chromium, or another on the PATH; None if there is none."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def report_page(directory: Path) -> Path:
    """The example table's HTML report, with a row that has a problem and a very long area name, as a file."""
    rows = list(tdplan.read_rows(ROOT / "examples" / "data" / "bang-so-lieu-mau.csv")[1])
    rows.append({"chỉ tiêu": "30", "năm": "2025", "địa bàn": "Tả Lèng", "giá trị": "1%"})
    long_area = "Thôn-Nà-Khuổi-Bản-Giang-Nà-Tăm-Sơn-Bình-Bản-Hon-Hồ-Thầu" * 2
    rows.append({"chỉ tiêu": "8", "năm": "2025", "địa bàn": long_area, "giá trị": "0,21%", "khu vực": "thành thị"})
    card = tdplan.load_plan().assess_table(rows)
    path = directory / "bao-cao.html"
    path.write_text(render(card, "html", lang="vi", by=None), encoding="utf-8")
    return path


@contextmanager
def browser() -> Iterator[Any]:
    """Chromium, headless, with nothing fetched from the network."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("Chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def open_page(launched: Any, path: Path, width: int) -> Any:
    """The page at ``width`` CSS pixels, loaded."""
    page = launched.new_page(viewport={"width": width, "height": 844 if width < 600 else 900})
    page.goto(path.as_uri())
    return page


def main() -> None:
    """Write the screenshots of the report's first screen at each width into docs/images/."""
    images = ROOT / "docs" / "images"
    images.mkdir(parents=True, exist_ok=True)
    with browser() as launched, tempfile.TemporaryDirectory() as directory:
        path = report_page(Path(directory))
        for width in WIDTHS:
            page = open_page(launched, path, width)
            page.evaluate("document.getElementById('goal-1').scrollIntoView(); window.scrollBy(0, -8)")
            page.screenshot(path=str(images / f"report-{width}.png"))
            page.close()


if __name__ == "__main__":
    main()
