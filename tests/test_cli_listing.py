"""`tdplan indicators` and `tdplan show` in real processes: lead offices by name, a 100-column terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import tdplan
from tdplan.core.text import display_width, wrap

PLAN = tdplan.load_plan()


def tdplan_run(*argv: str, columns: int = 100) -> str:
    """Run ``python -m tdplan`` with ``COLUMNS`` set, as a terminal would; return its output."""
    done = subprocess.run(
        [sys.executable, "-m", "tdplan", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "COLUMNS": str(columns)},
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    return done.stdout


class TestIndicators:
    """The listing fits the terminal and names the offices."""

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_fits_100_columns(self, lang: str) -> None:
        """No line is wider than 100 columns (measured as a terminal shows Vietnamese)."""
        lines = tdplan_run("indicators", "--lang", lang).splitlines()
        assert max(display_width(line) for line in lines) <= 100

    def test_narrower(self) -> None:
        """At 80 columns too."""
        assert max(display_width(line) for line in tdplan_run("indicators", columns=80).splitlines()) <= 80

    def test_nothing_cut(self) -> None:
        """Every indicator starts a line with its id, and every word of its name and of its offices is there."""
        out = tdplan_run("indicators")
        words = out.split()
        starts = [line.split()[0] for line in out.splitlines()[2:] if line[:1].strip()]
        assert [indicator.id for indicator in PLAN.indicators] == starts
        assert "…" not in out
        for indicator in PLAN.indicators:
            for word in indicator.name.vi.split():
                assert word in words
        for agency in PLAN.agencies:
            if agency.indicators:
                assert all(word in words for word in agency.name.vi.split())

    def test_offices_by_name_not_code(self) -> None:
        """Vietnamese output names the offices; their codes only with --ids."""
        out = tdplan_run("indicators")
        assert "Phòng Y tế, Trung tâm" in out
        assert not {agency.id for agency in PLAN.agencies} & set(out.replace(",", " ").split())
        with_ids = tdplan_run("indicators", "--ids")
        assert "(health)" in with_ids

    def test_wide(self) -> None:
        """--wide: a heading, a rule and one line per indicator with everything, however long."""
        lines = tdplan_run("indicators", "--wide").splitlines()
        assert 2 + len(PLAN.indicators) == len(lines)
        row = next(line for line in lines if line.startswith("20 "))
        assert "≥ 35% (2025, trẻ 2–3 tuổi), ≥ 40% (2030, trẻ 2–3 tuổi)" in row
        assert row.endswith("Phòng Giáo dục và Đào tạo")
        assert max(display_width(line) for line in lines) > 100

    def test_targets_break_between_targets(self) -> None:
        """A cell of several targets breaks between them, never inside one."""
        out = tdplan_run("indicators")
        assert "< 0,1% (2025, 2030, nông thôn)," in out
        assert "< 0,2% (2025, 2030, thành thị)" in out


class TestShow:
    """`tdplan show` names the offices, with codes only where asked."""

    def test_names(self) -> None:
        """Indicator 16 has two lead offices."""
        out = tdplan_run("show", "16")
        assert "Cơ quan chủ trì: Phòng Lao động - Thương binh và Xã hội, Công an huyện\n" in out
        assert "(police)" not in out
        assert "Công an huyện (police)" in tdplan_run("show", "16", "--ids")


class TestWrap:
    """tdplan.core.text.wrap: lines of a width, broken at spaces, nothing cut."""

    @pytest.mark.parametrize(
        ("text", "width", "expected"),
        [
            ("Phòng Y tế, Trung tâm y tế", 12, ["Phòng Y tế,", "Trung tâm y", "tế"]),
            ("Tả Lèng", 7, ["Tả Lèng"]),
            ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
            ("", 5, [""]),
        ],
    )
    def test_wrap(self, text: str, width: int, expected: list[str]) -> None:
        """Greedy lines; a word longer than the width is broken; the words survive in order."""
        assert expected == wrap(text, width)


class TestLeadsByName:
    """An indicator knows its lead offices' names (Jupyter shows them), in the plan's order."""

    def test_leads(self) -> None:
        """Indicator 16 is led by the labour office and the district police (section IV)."""
        indicator = PLAN.indicator("16")
        assert ["Phòng Lao động - Thương binh và Xã hội", "Công an huyện"] == indicator.leads("vi")
        assert ["labour", "police"] == list(indicator.lead_agencies)

    def test_unknown_name_is_its_code(self) -> None:
        """An indicator built by hand, without names, shows its codes."""
        import attrs

        assert ["health"] == attrs.evolve(PLAN.indicator("3"), lead_names=()).leads("vi")
