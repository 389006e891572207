"""ui.live when the job finishes while the page's script is drawing it.

A page collects at its top, asks ``running`` and draws Train/Stop, then calls ``poll``.
A job that finishes after the collect must still end with its result on screen: no
fragment is registered for a finished job, so unless ``running`` still counts it and
``poll`` collects it and reruns the page, nothing ever redraws the page (the first Train
on a fresh server hung this way about one time in four: Stop enabled and no progress, or
"Press Train" and no result).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _page(finish: str) -> None:
    """A page like the Playground whose job finishes right after the page looked at it
    (``finish``: before its ``running`` check, or between that check and its poll)."""
    from types import SimpleNamespace

    import streamlit as st

    from ui.live import stream as live

    def _finish() -> None:
        if "t_job" not in st.session_state:
            st.session_state["t_job"] = SimpleNamespace(
                finished=True, status="done", result="R", error=None, stop_reason=None, budget_s=1.0
            )

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    live.collect("t")
    if finish == "before_running":
        _finish()
    busy = live.running("t") or "t_job" not in st.session_state  # the first run: training
    st.button("Stop", key="t_stop", disabled=not busy)
    if busy:
        _finish()  # no-op when it already finished before the running check
        live.poll("t", lambda j: st.write("live view"))
    st.write(f"result={st.session_state.get('t_result')}")


@pytest.mark.parametrize("finish", ["before_running", "before_poll"])
def test_a_job_that_finishes_mid_run_is_collected_and_the_page_reruns(finish: str) -> None:
    at = AppTest.from_function(_page, kwargs={"finish": finish}, default_timeout=30)
    at.run()
    assert not at.exception
    assert at.session_state["t_result"] == "R"
    assert at.session_state["runs"] == 2  # the page reran once to draw the result...
    assert at.button(key="t_stop").disabled  # ...with Stop disabled again
    assert [m.value for m in at.markdown] == ["result=R"]
    at.run()
    assert at.session_state["runs"] == 3  # and nothing loops once it is collected
    assert at.session_state["t_result"] == "R"
