"""AppTest helpers: open a page (with a link), press Train, wait for the threaded runner."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Mapping
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


def _open_page(
    path: str | None = None, query: str | Mapping[str, str] | None = None, timeout: float = 60
) -> AppTest:
    """The app opened as a link opens it in a fresh session; asserts it raised nothing.

    Args:
        path: the page's file (``"pages/sweep.py"``): the page's own address, visited first;
            None: the app's root address, which opens the Playground.
        query: the link's query string (``"a=1&b=2"``) or its keys and values.
        timeout: seconds each ``run()`` of this AppTest may take.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    if path is not None:
        at.switch_page(path)  # before the first run: the url path is the file's stem
    pairs = urllib.parse.parse_qsl(query) if isinstance(query, str) else (query or {}).items()
    for k, v in pairs:
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


@pytest.fixture(scope="session")
def open_page() -> Callable[..., AppTest]:
    """``open_page(path, query=None, timeout=60)``: a page opened from its link (above)."""
    return _open_page


@pytest.fixture
def playground() -> AppTest:
    """The app opened at its root address: the Playground (the default page)."""
    return _open_page()
