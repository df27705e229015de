"""Charts: each renders to a PNG, says what it shows in Vietnamese or English, and never touches pyplot."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import tdplan
from tdplan import MissingDependencyError, Status
from tdplan.core.errors import InputTypeError
from tdplan.core.vocabulary import STATUS_ORDER
from tdplan.reports.colours import STATUS_COLOURS

PLAN = tdplan.load_plan()
EXAMPLE = Path(__file__).parent.parent / "examples" / "data" / "bang-so-lieu-mau.csv"
SERIES = {2020: 25, 2021: "24,1‰", 2022: "23,958‰", 2023: "21,5‰", 2024: "19,8‰"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png(ax: Axes) -> tuple[bytes, int, int]:
    """The chart's figure as PNG bytes, its width and height; a missing glyph (a warning) fails the test."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk, right after the signature
    return data, width, height


def texts(ax: Axes) -> list[str]:
    """Every text the chart shows: title, axis labels, legend, annotations and tick labels."""
    ax.figure.canvas.draw()
    found = [ax.get_title("left"), ax.get_xlabel(), ax.get_ylabel()]
    legend = ax.get_legend()
    if legend is not None:
        found += [text.get_text() for text in legend.get_texts()]
    found += [child.get_text() for child in ax.texts]
    found += [label.get_text() for label in (*ax.get_xticklabels(), *ax.get_yticklabels())]
    return found


class TestProgressChart:
    def test_png(self) -> None:
        """A series renders to a PNG of the default size, 900 × 480 pixels, with some content."""
        data, width, height = png(PLAN.track("3", SERIES).plot())
        assert PNG_SIGNATURE == data[:8]
        assert (900, 480) == (width, height)
        assert len(data) > 20_000

    def test_vietnamese(self) -> None:
        """Title, axes, legend, targets and values in Vietnamese, numbers with a decimal comma."""
        shown = texts(PLAN.track("3", SERIES).plot())
        for expected in (
            "Chỉ tiêu 3: Tỷ suất tử vong trẻ sơ sinh",
            "Năm",
            "Tỷ suất (‰)",
            "số liệu",
            "mức phấn đấu",
            "chưa đạt",
            "số liệu gốc (trước kỳ kế hoạch)",
            "dự báo 2025: có tiến bộ nhưng cần đẩy nhanh",
            "dự báo 2030: đúng tiến độ",
            "< 18‰ (mốc 2025)",
            "< 15‰ (mốc 2030)",
            "23,958‰",
            "18,68‰",
            "2025",
        ):
            assert expected in shown

    def test_english(self) -> None:
        """The same chart in English, numbers with a decimal point."""
        shown = texts(PLAN.track("3", SERIES).plot(lang="en"))
        for expected in ("Indicator 3: Neonatal mortality rate", "Year", "Rate (‰)", "pending", "< 18‰ (by 2025)"):
            assert expected in shown
        assert "23.958‰" in shown

    def test_statuses_coloured(self) -> None:
        """Each status in the series is one group of markers in its colour, named in the legend."""
        ax = PLAN.track("3", {2023: 17, 2024: 19, 2025: 17.5, 2026: 16}).plot(lang="en")
        legend = ax.get_legend()
        handles = dict(zip([text.get_text() for text in legend.get_texts()], legend.legend_handles, strict=True))
        for status in (Status.AHEAD, Status.PENDING, Status.MET):
            colour = handles[status.label("en")].get_facecolor()[0]  # type: ignore[union-attr]
            assert STATUS_COLOURS[status].lower() == to_hex(colour)

    def test_reporting_periods(self) -> None:
        """A quarter is drawn at its end and labelled with its period; the x label says where points are."""
        ax = PLAN.track("9", {2021: 90, "quý III/2024": 95}).plot()
        shown = texts(ax)
        assert "95% (quý III/2024)" in shown
        assert "Năm (mỗi điểm đặt ở cuối kỳ số liệu)" in shown
        png(ax)

    def test_continuous_target(self) -> None:
        """A continuous target is one line across the chart, said to be continuous."""
        ax = PLAN.track("16", {2021: 100, 2022: 98, 2023: 100}).plot(lang="en")
        assert "≥ 100% (continuous)" in texts(ax)
        png(ax)

    def test_group(self) -> None:
        """A disaggregated series uses its group's targets and names the group in the title."""
        ax = PLAN.track("8", {2023: "0,12%", 2024: "0,09%"}, disaggregation={"residence": "rural"}).plot()
        shown = texts(ax)
        assert "< 0,1% (mốc 2025)" in shown
        assert "< 0,2% (mốc 2025)" not in shown
        assert ax.get_title("left").endswith("(nông thôn)")

    def test_indicator_18(self) -> None:
        """Indicator 18: counts, each year's fall, the band a 2–3 % fall gives, and the verdicts."""
        ax = PLAN.track("18", {2024: 52, 2025: 50, 2026: 49, 2027: 49}).plot(lang="en")
        shown = texts(ax)
        for expected in (
            "Indicator 18: Number of child marriages",
            "Count",
            "needed (a fall of 2%–3%)",
            "met",
            "not met",
            "not assessed (no year before)",
            "50 (−3.85%)",
            "49 (−2%)",
            "49 (0%)",
        ):
            assert expected in shown
        data, _, _ = png(ax)
        assert PNG_SIGNATURE == data[:8]

    def test_on_given_axes(self) -> None:
        """Given an Axes, the chart is drawn there and that Axes is returned."""
        figure = Figure(figsize=(12, 4))
        left, right = figure.subplots(1, 2)
        assert right is PLAN.track("3", SERIES).plot(ax=right)
        assert 0 == len(left.lines)
        assert right.lines

    def test_unknown_language(self) -> None:
        """A language other than vi or en is an InputTypeError."""
        with pytest.raises(InputTypeError, match="unknown language 'fr'"):
            PLAN.track("3", SERIES).plot(lang="fr")  # type: ignore[arg-type]


class TestScorecardChart:
    def test_png_by_goal(self) -> None:
        """The scorecard by goal renders to a PNG."""
        data, width, height = png(PLAN.assess_table(EXAMPLE).plot())
        assert PNG_SIGNATURE == data[:8]
        assert 900 == width
        assert height >= 300
        assert len(data) > 15_000

    def test_png_by_agency(self) -> None:
        """The scorecard by lead office renders to a PNG."""
        data, width, _ = png(PLAN.assess_table(EXAMPLE).plot(by="agency", lang="en"))
        assert PNG_SIGNATURE == data[:8]
        assert 900 == width

    def test_bars_are_the_rollup(self) -> None:
        """Each bar's segments are the roll-up's counts, best status first; each bar's length its total."""
        card = PLAN.assess_table(EXAMPLE)
        for by in ("goal", "agency", "area", "year"):
            ax = card.plot(by=by)
            rollups = card.rollup(by)
            segments = [[round(bar.get_width()) for bar in container] for container in ax.containers]
            expected = [[rollup.counts[status] for rollup in rollups] for status in STATUS_ORDER]
            assert expected == segments
            assert len(rollups) == len(ax.get_yticks())

    def test_labels(self) -> None:
        """Goals are named by number and title; statuses in the legend, in words."""
        ax = PLAN.assess_table(EXAMPLE).plot()
        shown = texts(ax)
        assert "Kết quả theo mục tiêu" in shown
        assert "Số dòng đã đánh giá" in shown
        assert ["đạt", "đạt trước hạn", "chưa đạt", "không đạt"] == [t.get_text() for t in ax.get_legend().get_texts()]
        assert any(label.startswith("Mục tiêu 2: Về bảo vệ trẻ em") for label in shown)

    def test_agency_note(self) -> None:
        """By office, the chart says that an indicator with two lead offices counts for both."""
        shown = texts(PLAN.assess_table(EXAMPLE).plot(by="agency", lang="en"))
        assert "Results by lead office" in shown
        assert "an indicator with two lead offices counts for both" in shown

    def test_problems_and_empty_groups(self) -> None:
        """Rows with problems are not counted and the chart says how many; a goal with no rows says so."""
        card = PLAN.assess_table(
            [{"indicator": "3", "value": "16,5‰", "year": 2025}, {"indicator": "30", "value": "1%", "year": 2025}]
        )
        shown = texts(card.plot(lang="en"))
        assert "1 row(s) with problems not counted: see problems" in shown
        assert 3 == shown.count("no figures")

    def test_unknown_grouping(self) -> None:
        """A grouping other than goal, agency, area or year is an InputTypeError, as for rollup."""
        with pytest.raises(InputTypeError, match="cannot roll up by 'office'"):
            PLAN.assess_table(EXAMPLE).plot(by="office")


def test_threads() -> None:
    """Charts drawn in several threads at once all render: no shared pyplot state."""

    def draw(index: int) -> bytes:
        ax = PLAN.track("3", SERIES).plot() if index % 2 else PLAN.assess_table(EXAMPLE).plot(by="agency")
        return png(ax)[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        images = list(pool.map(draw, range(8)))
    assert [PNG_SIGNATURE] * 8 == [image[:8] for image in images]


def test_never_pyplot() -> None:
    """Drawing and saving both charts never imports matplotlib.pyplot (checked in a fresh interpreter)."""
    code = (
        "import io, sys, tdplan\n"
        "plan = tdplan.load_plan()\n"
        "plan.track('3', {2022: 24, 2024: 20}).plot().figure.savefig(io.BytesIO())\n"
        "plan.assess_table([{'indicator': '3', 'value': 17, 'year': 2025}]).plot().figure.savefig(io.BytesIO())\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "False" == done.stdout.strip()


class TestWithoutMatplotlib:
    @pytest.fixture(autouse=True)
    def _no_matplotlib(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Remove matplotlib: with None in sys.modules, importing it raises ImportError."""
        monkeypatch.setitem(sys.modules, "matplotlib", None)

    def test_progress(self) -> None:
        """Progress.plot says to install the charts extra."""
        with pytest.raises(MissingDependencyError, match=r"pip install 'tdplan\[charts\]'"):
            PLAN.track("3", SERIES).plot()

    def test_scorecard(self) -> None:
        """Scorecard.plot says the same, and is an ImportError."""
        with pytest.raises(ImportError, match="charts need matplotlib"):
            PLAN.assess_table(EXAMPLE).plot()


def test_dollar_in_an_area_name() -> None:
    """An area named with '$' is drawn as text, not parsed as math (which used to fail to save)."""
    import tdplan

    card = tdplan.load_plan().assess_table([{"indicator": "9", "value": 98, "year": 2025, "area": "Xã $x^$"}])
    buffer = io.BytesIO()
    card.plot("area").figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")
