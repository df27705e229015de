"""Test configuration: a reproducible hypothesis profile for CI; the web service as a subprocess."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class Server:
    """A `tdplan serve` subprocess on a free port of 127.0.0.1, with its standard error in a file."""

    def __init__(self, folder: Path, *options: str, env: dict[str, str] | None = None) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "server.log"
        command = [sys.executable, "-m", "tdplan", "serve", "--port", str(self.port), *options]
        environment = {**os.environ, **(env or {})}
        environment.pop("TDPLAN_SERVICE", None)
        self.process = subprocess.Popen(command, stderr=self.log.open("wb"), stdout=subprocess.DEVNULL, env=environment)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log.read_text('utf-8')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start in 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def plans_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the example commune plan and a file that is not a plan."""
    folder = tmp_path_factory.mktemp("plans")
    shutil.copy(EXAMPLES / "plans" / "xa-vi-du-2026-2030.toml", folder)
    (folder / "hong.toml").write_text('tdplan = 1\nid = "hong"\n', "utf-8")
    return folder


@pytest.fixture(scope="session")
def server(plans_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service as `tdplan serve --plans DIR` starts it, with no token."""
    pytest.importorskip("litestar")
    running = Server(tmp_path_factory.mktemp("server"), "--plans", str(plans_folder))
    yield running
    running.stop()
