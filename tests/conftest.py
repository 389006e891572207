"""Shared test setup.

- One torch thread (faster for tiny models, and deterministic), and the time estimate's
  built-in constants (``REGLAB_CALIBRATE=0``): page tests then do not spend seconds timing
  this machine, and whether a run fits the budget does not depend on how busy it is.
- Each test carries its tier's marker, from its folder: ``unit``, ``repro``, ``app``, ``e2e``,
  ``load`` (``pytest -m app``). The load tier is a live-server tier too, so it also carries
  ``e2e``: ``pytest -m "not e2e"`` leaves out every test that starts a server.
- The live server (``server``, ``fresh_server``): ``streamlit run app.py`` on 127.0.0.1, used
  by the browser tests (tests/e2e) and the load tests (tests/load).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import pytest
import torch

torch.set_num_threads(1)
os.environ.setdefault("REGLAB_CALIBRATE", "0")
# page tests share one process-wide queue: its line and start rate are not what they test
os.environ.setdefault("REGLAB_MAX_WAITING", "1000")
os.environ.setdefault("REGLAB_MAX_WAIT_S", "100000")
os.environ.setdefault("REGLAB_STARTS_PER_MIN", "100000")

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
# a folder's markers; -m "not e2e" leaves out both live-server tiers
TIERS = {
    "unit": ("unit",),
    "repro": ("repro",),
    "app": ("app",),
    "e2e": ("e2e",),
    "load": ("load", "e2e"),
}


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, the first folder below tests/."""
    for item in items:
        try:
            folder = item.path.relative_to(TESTS).parts[0]
        except ValueError:  # a test collected from outside tests/
            continue
        for marker in TIERS.get(folder, ()):
            item.add_marker(marker)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` on 127.0.0.1 and a free port; stopped by its PID.

    Args:
        log: the file the server's output goes to.
        env: the server's environment (this process's when None).
    """

    def __init__(self, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> Self:
        """Start the server and wait until its health check answers."""
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
        ]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy in {timeout} s")

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server's process group (SIGTERM, then SIGKILL after 10 s)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the group id is its PID
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Server]:
    """A server started for this test only: nothing has visited it yet."""
    with Server(tmp_path / "streamlit.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server shared by the tests of a module (fresh for each module)."""
    with Server(tmp_path_factory.mktemp("server") / "streamlit.log") as srv:
        yield srv
