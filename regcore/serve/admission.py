"""Admission by honest wait: where a new run goes in line and how long it would wait there.

A run is admitted when the wait it would face (the running jobs' time left and the
estimates queued ahead of it, spread over the K slots) is at most ``Limits.max_wait_s``;
otherwise it is refused with that wait and when to retry (``JobQueue.submit``). A small run
(estimated at most ``SMALL_S``) goes in line ahead of the big ones, so a class's quick runs
are not refused for the sake of one long run; a big run is passed only until it has waited
what it was promised when it was admitted (it is then due), so it is never starved.

A tiny run (estimated at most ``FAST_S``, such as the Playground's default) may start on the
fast lane: one more worker beside the K slots that takes only tiny runs, so a 20 ms run
does not wait seconds behind long runs holding every slot. Measured by
``benchmarks/bench_fast_lane.py`` through this queue (2 cores, load average 10–12 from
other work, two runs each): 10 tiny runs behind two long ones done in 0.9–1.1 s (p50)
instead of 7.4–10.8 s, the long runs' own time no longer (4.9–7.5 s with the lane,
7.4–10.7 s without: within this machine's noise); 20 tiny runs at once p95 1.2–1.4 s
instead of 1.7–2.4 s (tiny runs are mostly Python, so a third worker still gains).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

SMALL_S = 2.0  # a run estimated at most this goes in line ahead of the big ones
FAST_S = 0.05  # a run estimated at most this may also start on the fast lane
NO_ESTIMATE_S = 1.0  # what a run without an estimate is counted as


class Queued(Protocol):
    """What admission reads of a queued job."""

    estimate_s: float | None
    submitted_at: float
    promised_s: float


def small(estimate_s: float | None) -> bool:
    """Whether a run of ``estimate_s`` seconds may pass big runs in line."""
    return estimate_s is not None and estimate_s <= SMALL_S


def tiny(estimate_s: float | None) -> bool:
    """Whether a run of ``estimate_s`` seconds may start on the fast lane."""
    return estimate_s is not None and estimate_s <= FAST_S


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


def fast_start_in(remaining: float, ahead: Iterable[float | None]) -> float:
    """Seconds until a tiny run starts on the fast lane: the lane's running job has
    ``remaining`` seconds left, then the tiny runs ``ahead`` of it in line run one by one
    (an upper bound: the slots take tiny runs too)."""
    return remaining + sum(e for e in ahead if tiny(e))


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
