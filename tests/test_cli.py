"""The tdplan command: indicators, show, assess, and one-line errors."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from tdplan.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command in-process; return its status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


class TestAssess:
    """`tdplan assess ID VALUE --year Y`."""

    def test_vietnamese(self) -> None:
        """The default output is Vietnamese: the explanation, status and margin."""
        assert (
            0,
            "Chỉ tiêu 3 (2025): 16,5‰ < 18‰: đạt chỉ tiêu năm 2025\nKết quả: đạt (MET); chênh lệch: 1,5‰\n",
            "",
        ) == run("assess", "3", "16,5‰", "--year", "2025")

    def test_english_with_unit(self) -> None:
        """--lang en and --unit for a bare number."""
        status, out, _ = run("assess", "3", "1.8", "--unit", "%", "--year", "2025", "--lang", "en")
        assert 0 == status
        assert "Indicator 3 (2025): 18‰ ≥ 18‰: does not meet the 2025 target (needs < 18‰)\n" in out
        assert "Result: not met (NOT_MET); margin: 0‰\n" in out

    def test_disaggregations(self) -> None:
        """--residence and --age choose a group."""
        status, out, _ = run("assess", "8", "0,05%", "--year", "2025", "--residence", "rural")
        assert (0, True) == (status, "đạt chỉ tiêu năm 2025" in out)
        status, out, _ = run("assess", "20", "36", "--year", "2024", "--age", "2-3", "--lang", "en")
        assert (0, True) == (status, "already meets the 2025 target" in out)

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["assess", "30", "5", "--year", "2025"], "no indicator '30'"),
            (["assess", "3", "abc", "--year", "2025"], "'abc' is not a value"),
            (["assess", "3", "16", "--year", "2035"], "outside the plan's period"),
            (["assess", "8", "0,05", "--year", "2025"], "give disaggregation="),
            (["assess", "18", "12", "--year", "2026"], "series of yearly counts"),
            (["assess", "3", "16", "--year", "soon"], "invalid int value"),
            (["assess", "3", "16"], "the following arguments are required: --year"),
            (["frobnicate"], "invalid choice"),
            ([], "the following arguments are required: command"),
        ],
    )
    def test_errors(self, argv: list[str], message: str) -> None:
        """Errors are one line on stderr, exit status 2, nothing on stdout."""
        status, out, err = run(*argv)
        assert (2, "") == (status, out)
        assert err.startswith("tdplan: error: ")
        assert message in err
        assert 1 == err.count("\n")


class TestListings:
    """`tdplan indicators` and `tdplan show ID`."""

    def test_indicators(self) -> None:
        """One row per indicator, after a heading, with targets and leads."""
        status, out, _ = run("indicators", "--lang", "en")
        lines = out.splitlines()
        assert 0 == status
        assert 32 == len(lines)
        assert lines[0].split()[:3] == ["ID", "Goal", "Indicator"]
        row = next(line for line in lines if line.startswith("15b "))
        assert "≤ 5 per 100,000 (2030)" in row
        assert row.endswith("health")

    def test_show(self) -> None:
        """An indicator in full: goal, targets with notes, leads and the source sentence."""
        status, out, _ = run("show", "10")
        assert 0 == status
        assert "Chỉ tiêu 10: Tỷ lệ trẻ em dưới 5 tuổi được tiêm chủng đầy đủ các loại vắc xin" in out
        assert "≥ 93% (2025) — 12 loại vắc xin" in out
        assert "Phòng Y tế, Trung tâm y tế (health)" in out
        assert "Nguyên văn: Chỉ tiêu 10:" in out


class TestEntryPoints:
    """`python -m tdplan` runs the same command in a real process."""

    def test_module(self) -> None:
        """A real process prints UTF-8 Vietnamese and exits with the status."""
        done = subprocess.run(
            [sys.executable, "-m", "tdplan", "assess", "3", "16,5‰", "--year", "2025"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        assert (0, "") == (done.returncode, done.stderr)
        assert "đạt chỉ tiêu năm 2025" in done.stdout
        failed = subprocess.run(
            [sys.executable, "-m", "tdplan", "show", "99"], capture_output=True, text=True, check=False
        )
        assert 2 == failed.returncode
        assert "Traceback" not in failed.stderr
