"""The process-wide job queue shared by every session (the queue itself is regcore.serve).

    job = get_runner().submit_fit(FitSpec(config=cfg, key="pg"))   # one training run
    job = get_runner().submit(fn, label="sweep")   # other work: fn(stop, emit) -> result
    job.status, job.events, job.result, job.error, job.position(), job.wait_s(), job.stop()

A job submitted from a page belongs to that page's browser session: the queue's watchdog
cancels it within about a second of the tab closing or reloading (``ui.live.session_watch``).
Limits (K, Q, budget, rate) come from ``REGLAB_*`` variables (``regcore.serve.job``);
``REGLAB_RAY_ADDRESS`` sends the trainings to a Ray cluster instead of this process.
"""

from __future__ import annotations

import os
import threading

import streamlit as st

from regcore.serve import (
    Calibration,
    Interrupted,
    Job,
    JobQueue,
    Limits,
    RayBackend,
    Refused,
    calibrate,
)
from ui.live.session_watch import current_session, session_alive

__all__ = [
    "Job",
    "JobQueue",
    "Refused",
    "calibration",
    "calibration_box",
    "get_runner",
    "make_backend",
]


def make_backend() -> RayBackend | None:
    """The in-process backend, or Ray when ``REGLAB_RAY_ADDRESS`` names a cluster."""
    address = os.environ.get("REGLAB_RAY_ADDRESS", "").strip()
    if not address:
        return None  # JobQueue's default: InProcessBackend
    return RayBackend(address)


@st.cache_resource(show_spinner=False)
def get_runner() -> JobQueue:
    """The process-wide queue (one per server process, shared by all sessions)."""
    return JobQueue(
        Limits.from_env(),
        backend=make_backend(),
        owner_alive=session_alive,
        default_owner=current_session,
    )


class _CalibrationBox:
    """This machine's estimate constants: defaults until the warm thread has measured them."""

    def __init__(self) -> None:
        self.value = Calibration()
        self.closing = threading.Event()  # set at exit: no torch op may be cut mid-way
        self._lock = threading.Lock()

    def measure(self) -> None:
        """Measure once (a few seconds); an exiting process keeps the defaults."""
        with self._lock:
            if not self.value.measured:
                try:
                    self.value = calibrate(stop=self.closing.is_set)
                except Interrupted:
                    pass


@st.cache_resource(show_spinner=False)
def calibration_box() -> _CalibrationBox:
    """The process-wide holder of the estimate constants (the warm thread measures them)."""
    return _CalibrationBox()


def calibration() -> Calibration:
    """The estimate constants of this machine (measured once per process, in the background)."""
    return calibration_box().value
