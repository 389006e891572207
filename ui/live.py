"""The glue that streams a regcore run into a page: submit, poll, collect.

A page keeps its Job under ``f"{prefix}_job"``; a fragment redraws the progress
every ``POLL_S`` seconds while it trains and reruns the page once it has finished.
The finished result moves to ``f"{prefix}_result"`` (a failure's message to
``f"{prefix}_error"``), where it stays until a new run replaces it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

import regcore
from regcore.config import TrainConfig
from ui.runner import Job, get_runner

POLL_S = 0.4  # ≤ 10 redraws per second, progress well within a second of the click


@st.cache_resource(show_spinner=False)
def warm_engine() -> threading.Thread:
    """Once per process, in the background: first torch ops, optimizers, scikit-learn's loaders.

    A fresh process spends ~1.5 s on its first torch step and ~2 s importing scikit-learn's
    data sets; doing it here, off the script thread, keeps the first page view and the
    first Train click quick.
    """
    # pandas and plotly first, on this thread: importing pandas in the warm thread while a
    # redraw imports it through plotly left it "partially initialized" for the redraw.
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    thread = threading.Thread(target=_warm, name="reglab-warm", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    import sklearn.datasets  # noqa: F401  (digits, breast_cancer, diabetes)
    import torch.optim  # noqa: F401

    for name in ("sgd", "adam", "adamw"):
        regcore.fit(TrainConfig().replace(**{"optim.epochs": 1, "optim.name": name}))


def job(prefix: str) -> Job | None:
    """This page's current job in this session (None if it has none)."""
    return st.session_state.get(f"{prefix}_job")


def running(prefix: str) -> bool:
    """True while this page's job is queued or training."""
    j = job(prefix)
    return j is not None and not j.finished


def start(prefix: str, cfg: TrainConfig, label: str = "") -> Job | None:
    """Submit a fit of ``cfg``; refused (None) while this page already has a run going."""
    if running(prefix):
        return None

    def fn(stop: Any, emit: Callable[[Any], None]) -> regcore.RunResult:
        return regcore.fit(cfg, stop=stop, on_epoch=emit)

    new = get_runner().submit(fn, label=label or prefix)
    st.session_state[f"{prefix}_job"] = new
    st.session_state[f"{prefix}_run_cfg"] = cfg
    st.session_state[f"{prefix}_error"] = None
    return new


def stop(prefix: str) -> None:
    """Ask this page's job to stop (it keeps the epochs computed so far)."""
    j = job(prefix)
    if j is not None:
        j.stop()


def collect(prefix: str) -> None:
    """Move a finished job's result (or its error) into the page's state."""
    j = job(prefix)
    if j is None or not j.finished or st.session_state.get(f"{prefix}_collected") is j:
        return
    st.session_state[f"{prefix}_collected"] = j
    if j.status == "failed":
        st.session_state[f"{prefix}_error"] = j.error
    elif j.result is not None:
        st.session_state[f"{prefix}_result"] = j.result


def progress(j: Job, epochs: int) -> tuple[float, str]:
    """(fraction done, a line such as "epoch 40 / 100 · 1.2 s elapsed · about 1.8 s left")."""
    if j.status == "queued":
        place = j.position()
        busy = "all training slots are busy"
        return 0.0, f"queued: {busy}, yours is number {place} in line" if place else "starting…"
    done = len(j.events)
    elapsed = j.elapsed()
    text = f"epoch {done} / {epochs} · {elapsed:.1f} s elapsed"
    if 0 < done < epochs:
        text += f" · about {elapsed / done * (epochs - done):.1f} s left"
    if done == 0:
        text = "starting…"
    return min(done / max(epochs, 1), 1.0), text


def poll(prefix: str, draw: Callable[[Job], None], every: float = POLL_S) -> None:
    """While this page's job runs, redraw ``draw(job)`` every ``every`` s, then rerun the page.

    A heavy redraw (a sweep of hundreds of models) asks for a longer interval: on a
    small server every redraw takes CPU from the training it shows.
    """

    @st.fragment(run_every=every)
    def _live() -> None:
        j = job(prefix)
        if j is None:
            return
        if j.finished:
            collect(prefix)
            st.rerun(scope="app")
        draw(j)

    if running(prefix):
        _live()
