"""The examples run and say what the docs claim."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_assess_one() -> None:
    """examples/assess_one.py prints the verdicts on Lai Châu's published figures."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "assess_one.py")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert [
        "95% < 97.2%: does not meet the 2025 target (needs ≥ 97.2%)",
        "  status NOT_MET, margin -2.2 percentage points",
        "19,93% < 20%: đạt chỉ tiêu năm 2025",
        "18‰ ≥ 18‰: does not meet the 2025 target (needs < 18‰)",
        "error: indicator 8 has targets by group: give disaggregation={'residence': 'rural'} or {'residence': 'urban'}",
    ] == done.stdout.splitlines()
