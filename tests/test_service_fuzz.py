"""Schemathesis against the running service's OpenAPI document: no 5xx, every answer as the schema says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Server

pytest.importorskip("schemathesis")
pytest.importorskip("litestar")


CONFIG = Path(__file__).parent / "data" / "schemathesis.toml"


class TestSchemathesis:
    def test_finds_nothing(self, server: Server, tmp_path: Path):
        """Every check passes on a bounded, seeded run over every operation (tests/data/schemathesis.toml)."""
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(CONFIG),
            "run",
            f"{server.url}/openapi.json",
            "--max-examples",
            "25",
            "--seed",
            "12",
            "--workers",
            "1",
            "--no-color",
        ]
        # In tmp_path: Schemathesis keeps a cache in its working folder.
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert 0 == result.returncode, result.stdout[-6000:] + result.stderr[-2000:]
        assert " passed" in result.stdout
