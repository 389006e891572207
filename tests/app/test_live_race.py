"""ui.live.poll when the job finishes between the page's ``running`` check and its poll.

The page has already drawn Train disabled and Stop enabled; no fragment is registered for
a finished job, so unless ``poll`` collects it and reruns the page, nothing ever redraws it
(the first Train on a fresh server hung this way about one time in four).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    """A page like the Playground, whose job finishes right after it looked."""
    from types import SimpleNamespace

    import streamlit as st

    from ui import live

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    live.collect("t")
    if st.session_state.get("t_job") is None:  # "running": the page draws Stop enabled...
        st.button("Stop", key="t_stop")
        # ...and the job finishes before the page reaches its poll
        st.session_state["t_job"] = SimpleNamespace(
            finished=True, status="done", result="R", error=None, stop_reason=None, budget_s=1.0
        )
        live.poll("t", lambda j: st.write("live view"))
    st.write(f"result={st.session_state.get('t_result')}")


def test_poll_collects_and_reruns_a_job_that_finished_before_it() -> None:
    at = AppTest.from_function(_page, default_timeout=30)
    at.run()
    assert not at.exception
    assert at.session_state["t_result"] == "R"
    assert at.session_state["runs"] == 2  # the page reran once to draw the result...
    assert not at.button  # ...without the stale Stop
    assert [m.value for m in at.markdown] == ["result=R"]
    at.run()
    assert at.session_state["runs"] == 3  # and poll does not loop once it is collected
