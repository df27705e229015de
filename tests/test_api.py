"""The public API: exported, sorted, documented."""

from __future__ import annotations

import re
from pathlib import Path

import tdplan

API_DOC = (Path(__file__).parent.parent / "docs" / "api.md").read_text(encoding="utf-8")


def test_all_unique_and_present() -> None:
    """Every name in __all__ exists, once (ruff's RUF022 keeps it sorted)."""
    assert len(set(tdplan.__all__)) == len(tdplan.__all__)
    assert [] == [name for name in tdplan.__all__ if not hasattr(tdplan, name)]


def test_every_name_documented() -> None:
    """Every public name appears in docs/api.md."""
    documented = set(re.findall(r"`(\w+)", API_DOC))
    assert [] == [name for name in tdplan.__all__ if name not in documented]


def test_errors_share_a_base() -> None:
    """Every exported error derives from TdplanError and a builtin."""
    errors = [getattr(tdplan, name) for name in tdplan.__all__ if name.endswith("Error")]
    for error in errors:
        assert issubclass(error, tdplan.TdplanError)
        assert error is tdplan.TdplanError or issubclass(
            error, (LookupError, ValueError, TypeError, OSError, ImportError)
        )
