"""The glue that streams a regcore run into a page: submit, poll, collect.

A page keeps its Job under ``f"{prefix}_job"``; while it waits in line a fragment redraws
only its place and estimated wait (every ``QUEUED_POLL_S``); while it trains the page's
``draw(job)`` runs every ``POLL_S`` seconds; once finished the page reruns. The result
moves to ``f"{prefix}_result"`` (a failure's message to ``f"{prefix}_error"``); a refusal
(busy, rate, budget) is under ``f"{prefix}_refused"`` until the next submit.
"""

from __future__ import annotations

import atexit
import gc
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

import regcore
from regcore.core import TooLargeError, TrainConfig
from regcore.data import Dataset
from regcore.engine import Probe
from regcore.serve import (
    FitSpec,
    budget_message,
    describe_seconds,
    run_work,
    seconds_of,
    too_large_message,
)
from ui.live.runner import Job, Refused, calibration, calibration_box, get_runner
from ui.live.soon import finish_soon, warm_figures

POLL_S = 0.5  # a running job's redraw period: progress well within a second of the click
QUEUED_POLL_S = 1.0  # a queued job redraws one line, once a second
# Streamlit's collection after every script run is off (.streamlit/config.toml: it held the
# GIL for tens of ms per redraw); the warm thread collects closed sessions' cycles this often
GC_EVERY_S = 10.0
SETTLE_S = 0.4  # a run expected to end this soon is awaited in the click's own script run
TICK_WAIT = 0.8  # a fragment waits up to this share of its period for a run about to end
STOP_WHY = {
    "budget": "stopped at the server's limit of {budget:.0f} s per run",
    "owner_gone": "stopped: its browser tab was closed",
    "shutdown": "stopped: the server was restarting",
}


@st.cache_resource(show_spinner=False)
def warm_engine() -> threading.Thread:
    """Once per process, in the background: first torch ops and the three optimizers.

    A fresh process spends ~1.5 s on its first torch step (and torch.optim's first step
    imports torch._dynamo); doing it here, off the script thread, keeps the first page view
    and the first Train click quick. Only what every page needs: pandas (tables:
    ``ui.kit.warm.warm_tables``) and scikit-learn (its data sets) load when a page or a data
    set first needs them, about 140 MB of memory a Playground-only class never uses.

    Then the same thread collects garbage every ``GC_EVERY_S``: with automatic collection
    only, a closed session's reference cycles waited for the heap to grow by a quarter (the
    soak's RSS grew ~1 MB a session). Everything loaded so far is frozen first, out of the
    collector's way: a full collection then takes ~0 ms instead of ~180 ms of CPU.
    """
    warm_figures()  # plotly's validators, on this thread (ui.live.soon)
    box = calibration_box()
    args = (box.measure, box.closing)
    thread = threading.Thread(target=_warm, args=args, name="reglab-warm", daemon=True)
    thread.start()
    atexit.register(_join_warm, thread, box.closing)
    return thread


def _join_warm(thread: threading.Thread, closing: threading.Event) -> None:
    """At exit, let the warm thread finish its current torch op (a daemon thread killed
    inside one aborts the interpreter: "terminate called without an active exception")."""
    closing.set()
    thread.join(10)


def _warm(measure: Callable[[], None], closing: threading.Event) -> None:
    import torch
    import torch.optim  # noqa: F401

    torch.set_num_threads(1)  # this thread's own setting: leave the cores to the trainings
    for name in ("sgd", "adam", "adamw"):
        regcore.fit(TrainConfig().replace(**{"optim.epochs": 1, "optim.name": name}))
    if os.environ.get("REGLAB_CALIBRATE", "1").strip() != "0":  # 0: keep the defaults
        measure()  # the estimate constants of this machine
    gc.collect()
    gc.freeze()  # torch, streamlit, regcore: long-lived, never garbage
    while not closing.wait(GC_EVERY_S):
        gc.collect()


def job(prefix: str) -> Job | None:
    """This page's current job in this session (None if it has none)."""
    return st.session_state.get(f"{prefix}_job")


def running(prefix: str) -> bool:
    """True while this page's job is queued or training, or has finished and its outcome
    is not collected yet (it finished after this run's :func:`collect`): the page then
    draws its busy state and :func:`poll` collects it and reruns, instead of drawing
    neither the job nor its result with nothing left to redraw the page."""
    j = job(prefix)
    return j is not None and st.session_state.get(f"{prefix}_collected") is not j


def estimate(cfg: TrainConfig) -> float:
    """Estimated seconds of one run of ``cfg`` alone here, as the Playground trains it."""
    return seconds(run_work(cfg))


def seconds(work: dict[str, float]) -> float:
    """Estimated seconds alone here of a page's work (its counts, regcore.serve.workloads),
    on this machine's calibrated constants."""
    return seconds_of(work, calibration())


def problem_text(exc: ValueError) -> str:
    """What to say about a config that failed validation: a run over the server's work
    cap says how long it would take here (this machine's calibrated estimate)."""
    return too_large_message(exc, calibration()) if isinstance(exc, TooLargeError) else str(exc)


def estimate_note(alone: float) -> str:
    """What the page says before Train: "estimated time here: about 3 s", and the time
    at the server's current load when that is much longer."""
    text = f"estimated time here: {describe_seconds(alone)}"
    now = alone * get_runner().slowdown()
    if now >= 1.0 and now > 1.3 * alone:
        text += f" alone, {describe_seconds(now)} at the server's current load"
    return text


def budget(preset: bool = False) -> float:
    """Seconds a run may take here (``preset``: a named preset of a published experiment)."""
    lim = get_runner().limits
    return lim.preset_budget_s if preset else lim.budget_s


def over_budget(seconds: float, preset: bool = False) -> str | None:
    """The refusal a run of ``seconds`` would get (what to reduce), or None if it fits."""
    limit = budget(preset)
    return budget_message(seconds, limit) if seconds > limit else None


def submit(
    prefix: str,
    fn: Callable[[Any, Callable[[Any], None]], Any],
    *,
    label: str,
    estimate_s: float,
    gpu: bool = False,
    preset: bool = False,
    progress: Callable[[Any], float | None] | None = None,
) -> Job | None:
    """Queue ``fn(stop, emit)`` (work that is not one training run: a sweep, a comparison)
    as this session's job for this page; None (and a message under ``f"{prefix}_refused"``)
    when the queue refuses it. ``preset``: a named preset of a published experiment,
    allowed the server's preset budget instead of the everyday one. ``progress``: reads the
    share done off one of its events (default: regcore.serve's ``fraction``), so that waits
    behind it follow its measured pace."""
    if _going(prefix):
        return None
    try:
        new = get_runner().submit(
            fn,
            label=label,
            key=prefix,
            estimate_s=estimate_s,
            gpu=gpu,
            budget_s=budget(True) if preset else None,
            progress=progress,
        )
    except Refused as exc:
        st.session_state[f"{prefix}_refused"] = str(exc)
        return None
    return _started(prefix, new)


def in_line(fn: Callable[[], Any], *, label: str, key: str, estimate_s: float | None = None) -> Any:
    """Run ``fn()`` as a job of the queue and wait for its result in this script run.

    For the short computations a page runs in its own script (a lesson's check, a Learn
    demo): through the queue they count against the K training slots like every run, so a
    class pressing Check at once trains K at a time instead of one thread per student.
    Raises :class:`Refused` (the queue's refusal: busy, rate) or ``RuntimeError`` (the job
    failed or was stopped; its message).
    """
    j = get_runner().submit(lambda stop, emit: fn(), label=label, key=key, estimate_s=estimate_s)
    j.wait()
    if j.status != "done" or j.result is None:
        raise RuntimeError(j.error or f"{label}: {stop_note(j) or 'stopped before it ended'}")
    return j.result


def start(
    prefix: str,
    cfg: TrainConfig,
    label: str = "",
    *,
    probe: Probe | None = None,
    data: Dataset | None = None,
) -> Job | None:
    """Queue one training run of ``cfg`` as this page's job: its spec (the config, the
    probe, the page's key) goes to ``JobQueue.submit_fit``, whose job runs ``regcore.fit``.
    None when refused (see :func:`refusal`)."""
    if _going(prefix):
        return None
    spec = FitSpec(config=cfg, key=prefix, label=label or prefix, probe=probe, data=data)
    try:
        new = get_runner().submit_fit(spec, estimate_s=estimate(cfg))
    except Refused as exc:
        st.session_state[f"{prefix}_refused"] = str(exc)
        return None
    st.session_state[f"{prefix}_run_cfg"] = cfg
    return _started(prefix, new)


def main_button(
    where: Any, label: str, prefix: str, *, disabled: bool, key: str | None = None, **kw: Any
) -> None:
    """Draw a page's main button (Train, Sweep, ...) into ``where``. Its press is not read
    from the value it returns but by :func:`pressed` at the top of the next script run,
    before the button is drawn: that run starts the job and draws Train disabled, Stop
    enabled and the job's place in line at once, with no second script run (a rerun cost
    every click about a fifth of its server CPU, which a class pressing Train at once
    shares in one interpreter)."""
    where.button(
        label,
        type="primary",
        disabled=disabled,
        key=key or f"{prefix}_train",
        on_click=_press,
        args=(prefix,),
        **kw,
    )


def _press(prefix: str) -> None:
    st.session_state[f"{prefix}_pressed"] = True


def pressed(prefix: str) -> bool:
    """Whether this page's main button was pressed for this script run (used up: call it
    on every run of the page, before the button is drawn, and ignore it while the button
    is disabled)."""
    return bool(st.session_state.pop(f"{prefix}_pressed", False))


def settle(prefix: str, within: float = SETTLE_S) -> bool:
    """Wait for this page's new job when it should end within ``within`` s (a small run and
    a free slot: its wait in line plus its estimate at the current load), and collect it.

    True: its outcome is in the page's state, so the click's own script run goes on to draw
    the result: no rerun to the live view, no fragment, no poll delay (the Playground
    default trains in about 20 ms; through the live view its result took four script runs
    and 0.5 to 1 s). False: it is still queued or training, and the same script run draws
    the page busy (:func:`main_button`). Meanwhile a line says "starting…" or its place in
    line: the click's first feedback does not wait for the wait. The wait blocks only this
    session's script thread, and only before the page has drawn a Stop button, so Stop's
    latency is unchanged.
    """
    j = job(prefix)
    if j is None:
        return False
    line = st.empty()  # the click's feedback at once, before the wait: "starting…", "queued…"
    if not j.finished:
        line.caption(queued_line(j) if j.status == "queued" else "starting…")
    done = finish_soon(j, within) and collect(prefix)
    line.empty()
    return done


def _going(prefix: str) -> bool:
    """True (and the page's refusal says so) while this page's last job is unfinished."""
    j = job(prefix)
    if j is not None and not j.finished:
        st.session_state[f"{prefix}_refused"] = "a run of this page is already going: stop it first"
        return True
    return False


def _started(prefix: str, new: Job) -> Job:
    st.session_state[f"{prefix}_job"] = new
    st.session_state[f"{prefix}_refused"] = None
    st.session_state[f"{prefix}_error"] = None
    return new


def refusal(prefix: str) -> str | None:
    """Why the last Train on this page was refused (None if it was not)."""
    return st.session_state.get(f"{prefix}_refused")


def stop(prefix: str) -> None:
    """Ask this page's job to stop (it keeps the epochs computed so far)."""
    j = job(prefix)
    if j is not None:
        j.stop()


def collect(prefix: str) -> bool:
    """Move a finished job's result (or its error) into the page's state; True if this
    call moved it (False: no job, not finished yet, or already collected)."""
    j = job(prefix)
    if j is None or not j.finished or st.session_state.get(f"{prefix}_collected") is j:
        return False
    st.session_state[f"{prefix}_collected"] = j
    st.session_state[f"{prefix}_stop_note"] = stop_note(j)
    if j.status == "failed":
        st.session_state[f"{prefix}_error"] = j.error
    elif j.result is not None:
        st.session_state[f"{prefix}_result"] = j.result
    return True


def stop_note(j: Job) -> str | None:
    """Why a job stopped when nobody pressed Stop (its time budget), else None."""
    why = STOP_WHY.get(j.stop_reason or "")
    limit = j.budget_s if getattr(j, "budget_s", None) is not None else budget()
    return why.format(budget=limit) if why else None


def queued_line(j: Job) -> str:
    """ "queued: 2 runs are training; yours is number 3 in line, starts in about 4 s"."""
    place = j.position()
    if not place or (place == 1 and j.wait_s() <= 0.0):
        return "starting…"  # first in line and a slot free: a worker is taking it
    wait = describe_seconds(j.wait_s()).replace("under a second", "in under a second")
    wait = wait if wait.startswith("in ") else f"in {wait}"
    return f"queued: all training slots are busy; yours is number {place} in line, starts {wait}"


def progress(j: Job, epochs: int) -> tuple[float, str]:
    """(fraction done, a line such as "epoch 40 / 100 · 1.2 s elapsed · about 1.8 s left")."""
    if j.status == "queued":
        return 0.0, queued_line(j)
    done = len(j.events)
    elapsed = j.elapsed()
    text = f"epoch {done} / {epochs} · {elapsed:.1f} s elapsed"
    if 0 < done < epochs:
        text += f" · about {elapsed / done * (epochs - done):.1f} s left"
    if done == 0:
        text = "starting…"
    return min(done / max(epochs, 1), 1.0), text


def poll(prefix: str, draw: Callable[[Job], None], every: float = POLL_S) -> None:
    """While this page's job waits, redraw its place in line; while it runs, ``draw(job)``
    every ``every`` s; once it has finished, rerun the page.

    Waiting costs nothing: a queued job's fragment draws one line, once a second, so a
    class in line does not take CPU from the trainings. A heavy redraw (a sweep of
    hundreds of models) asks for a longer ``every``.

    A job that finished after the page's :func:`collect` (it drew Train disabled and
    Stop enabled) and before this call is collected here and the page reruns: no
    fragment is registered for it, so nothing else would ever redraw the page.
    """
    j = job(prefix)
    if j is None:
        return
    if j.finished:
        if collect(prefix):
            st.rerun(scope="app")
        return
    if j.status == "queued":
        _waiting(prefix)
    else:
        _live(prefix, draw, every)


@st.fragment(run_every=QUEUED_POLL_S)
def _waiting(prefix: str) -> None:
    j = job(prefix)
    if j is None:
        return
    # a small run about to start and end: its result is drawn at once, not a tick later
    finish_soon(j, TICK_WAIT * QUEUED_POLL_S)
    if j.status != "queued":
        if j.finished:
            collect(prefix)
        st.rerun(scope="app")  # started (or cancelled): the page draws its live view
    t0 = time.thread_time()
    st.progress(0.0, text=queued_line(j))
    _log_redraw("queued", t0)


def _live(prefix: str, draw: Callable[[Job], None], every: float) -> None:
    @st.fragment(run_every=every)
    def _running() -> None:
        j = job(prefix)
        if j is None:
            return
        # a run that ends before the next tick: its result is drawn at once, not up to a
        # tick later (Stop pressed meanwhile is served when the wait ends, by then the end)
        finish_soon(j, TICK_WAIT * every)
        if j.finished:
            collect(prefix)
            st.rerun(scope="app")
        t0 = time.thread_time()
        draw(j)
        _log_redraw("running", t0)

    _running()


def _log_redraw(kind: str, t0: float) -> None:
    """With ``REGLAB_JOB_LOG`` set, log the CPU seconds a redraw took on the script thread."""
    trace = get_runner().trace
    if trace.path:
        cpu = time.thread_time() - t0
        trace.write({"event": "redraw", "kind": kind, "cpu_s": cpu, "t": time.time()})
