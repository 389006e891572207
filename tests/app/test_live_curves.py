"""The Playground's live redraw (``ui.views.live``) for every series a run can produce.

With early stopping on, a run's events carry a validation loss; the live figure is built
once per run and its data swapped on each redraw, and the swap had no trace for the
validation curve (``KeyError: 'validation'`` on the page from the second redraw on).
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import regcore
from regcore.links import from_query

SHOWN = (0, 1, 3, 6)  # events on screen at each redraw: none yet, then a growing run


def _page(cfg_json: str, penalty: bool) -> None:
    from types import SimpleNamespace

    import streamlit as st

    import regcore
    from ui.playground import views

    cfg = regcore.load_config(cfg_json)
    if "events" not in st.session_state:
        events: list = []
        regcore.fit(cfg, on_epoch=events.append)
        st.session_state["events"] = events
        st.session_state["draw"] = 0
        st.session_state["t_show_penalty"] = penalty
    n = (0, 1, 3, 6)[min(st.session_state["draw"], 3)]
    st.session_state["draw"] += 1
    job = SimpleNamespace(id="job-1", events=st.session_state["events"][:n])
    views.live(job, cfg, "t", (n / 6, f"epoch {n} / 6"))


def _config(task: str, early: bool) -> str:
    q = {"data.name": "moons" if task == "classification" else "linear", "optim.epochs": "6"}
    if early:
        q["optim.early_stopping_patience"] = "6"
    return json.dumps(from_query(q).to_dict())


@pytest.mark.parametrize("penalty", [False, True], ids=["no_penalty", "penalty"])
@pytest.mark.parametrize("early", [False, True], ids=["no_early", "early_stopping"])
@pytest.mark.parametrize("task", ["regression", "classification"])
def test_live_redraw_draws_every_series_of_the_run(task: str, early: bool, penalty: bool) -> None:
    cfg_json = _config(task, early)
    assert (regcore.load_config(cfg_json).optim.early_stopping_patience is not None) == early
    at = AppTest.from_function(_page, kwargs={"cfg_json": cfg_json, "penalty": penalty})
    want = ["train", "test"] + ["penalty λ·Ω(w)"] * penalty + ["validation"] * early
    for n in SHOWN:
        at.run(timeout=30)
        assert not at.exception, at.exception
        (chart,) = at.get("plotly_chart")
        traces = json.loads(chart.proto.spec)["data"]
        if n:  # before the first epoch there is no validation loss to show yet
            assert [t["name"] for t in traces] == want
            assert all(len(t["x"]) == n for t in traces)
