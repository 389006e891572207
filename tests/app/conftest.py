"""AppTest helpers: start the app, press Train, wait for the threaded runner."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def wait_for_job(at: AppTest, prefix: str, timeout: float = 60.0) -> None:
    """Rerun the app until the page's job has finished and its result is collected."""
    end = time.monotonic() + timeout
    while True:
        job = at.session_state[f"{prefix}_job"] if f"{prefix}_job" in at.session_state else None
        if job is None or job.finished:
            break
        if time.monotonic() > end:
            raise AssertionError(f"job still {job.status} after {timeout} s")
        job.wait(0.2)
        at.run()
    at.run()


def link_of(at: AppTest) -> dict[str, str]:
    """The page's query string as the link it shares: one value per key."""
    out = {}
    for k in at.query_params:
        v = at.query_params[k]
        out[k] = v[-1] if isinstance(v, list) else v
    return out


def chart_specs(at: AppTest) -> list[dict[str, Any]]:
    """The plotly figure JSON of every chart on the page."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.fixture
def playground() -> AppTest:
    """The app opened on the Playground (the default page)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at
