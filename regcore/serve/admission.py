"""Admission by honest wait: where a new run goes in line and how long it would wait there.

A run is admitted when the wait it would face (the running jobs' time left and the
estimates queued ahead of it, spread over the K slots) is at most ``Limits.max_wait_s``;
otherwise it is refused with that wait and when to retry (``JobQueue.submit``). A small run
(estimated at most ``SMALL_S``) goes in line ahead of the big ones, so a class's quick runs
are not refused for the sake of one long run; a big run is passed only until it has waited
what it was promised when it was admitted (it is then due), so it is never starved.

Pure functions of the line (no lock, no clock): the queue calls them under its lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

SMALL_S = 2.0  # a run estimated at most this goes in line ahead of the big ones
NO_ESTIMATE_S = 1.0  # what a run without an estimate is counted as


class Queued(Protocol):
    """What admission reads of a queued job."""

    estimate_s: float | None
    submitted_at: float
    promised_s: float


def small(estimate_s: float | None) -> bool:
    """Whether a run of ``estimate_s`` seconds may pass big runs in line."""
    return estimate_s is not None and estimate_s <= SMALL_S


def start_in(remaining: Iterable[float], ahead: Iterable[float | None], slots: int) -> float:
    """Seconds until a run starts behind the estimates ``ahead`` (in line order), when the
    running jobs have ``remaining`` seconds left and ``slots`` (K) train at once: each slot
    frees when its job's time is over and then takes the next job in line."""
    free = sorted(remaining)
    free += [0.0] * (slots - len(free))
    for estimate in ahead:
        free[0] += NO_ESTIMATE_S if estimate is None else estimate
        free.sort()
    return free[0]


def place(line: Sequence[Queued], estimate_s: float | None, now: float) -> int:
    """Where a new run of ``estimate_s`` goes in ``line`` (0 = next to start): a big one
    (or one without an estimate) at the end; a small one after the last small run and the
    last big run that is due (it has waited what it was promised), so ahead of the big
    runs that are not."""
    if not small(estimate_s):
        return len(line)
    at = 0
    for i, job in enumerate(line):
        if small(job.estimate_s) or now - job.submitted_at >= job.promised_s:
            at = i + 1
    return at


def retry_after(wait_s: float, max_wait_s: float) -> float:
    """Seconds after which the same run would wait no more than ``max_wait_s`` (if no one
    else joins the line meanwhile), with a second to spare."""
    return max(wait_s - max_wait_s, 0.0) + 1.0
