"""Load and soak fixtures: a Streamlit server with instrumented limits, and its job log."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Server

REPORT = ROOT / "artifacts" / "load"


class LoadServer(Server):
    """``streamlit run app.py`` with ``REGLAB_*`` limits and a JSON-lines job log."""

    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.job_log = tmp / "jobs.jsonl"
        env = {
            **os.environ,
            "REGLAB_JOB_LOG": str(self.job_log),
            "REGLAB_CALIBRATE": "0",  # the estimate's defaults: no seconds of timing at start
            **env,
        }
        super().__init__(tmp / "streamlit.log", env)

    def records(self, event: str | None = None) -> list[dict]:
        """The job log's records (of one ``event`` kind)."""
        if not self.job_log.exists():
            return []
        rows = [json.loads(line) for line in self.job_log.read_text().splitlines() if line]
        return [r for r in rows if event is None or r.get("event") == event]

    def proc_status(self) -> dict[str, int]:
        """VmRSS (kB), thread count and CPU seconds of the server process, from /proc."""
        pid = self.proc.pid
        fields = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        )
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return {
            "rss_kb": int(fields["VmRSS"].split()[0]),
            "threads": int(fields["Threads"]),
            "cpu_s": (int(stat[11]) + int(stat[12])) / ticks,  # utime + stime
        }


@pytest.fixture
def load_server(tmp_path: Path, request) -> Iterator[LoadServer]:
    env = getattr(request, "param", {})
    with LoadServer(tmp_path, env) as server:
        yield server


def write_report(name: str, figures: dict) -> None:
    """Keep a test's measured figures under artifacts/load/ (git-ignored) and print them."""
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / f"{name}.json").write_text(json.dumps(figures, indent=2))
    print(f"\n{name}: {json.dumps(figures)}")


def run_clients(coro: Coroutine[Any, Any, Any]) -> Any:
    """``asyncio.run(coro)`` on a thread of its own.

    The browser tests' sync Playwright keeps an event loop running on the main thread for
    the whole session, and ``asyncio.run`` refuses to start inside a running loop.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the test's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="load-clients")
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
