"""How far a job is and how long it has left: its progress events, its thread's CPU clock.

A running job's time left comes from its measured pace (:func:`time_left`: the share done
read off its latest progress events by :func:`fraction`, or a page's own reader), not
from its estimate alone; how much the machine's other load stretches the trainings is
measured on the trainings themselves (:func:`stretch_of`: wall seconds per CPU second
of the worker thread, :class:`ThreadClock`), where the load average would count every
runnable thread alike whatever its priority.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from regcore.serve.estimate import slowdown

Progress = Callable[[Any], "float | None"]  # a progress event -> the share of the job done
EARLY = 0.2  # below this share done the pace is blended with the estimate
MIN_CPU_S = 0.2  # CPU seconds before a job's stretch is read


def fraction(event: Any, parts: int = 1) -> float | None:
    """The share of a job done that one of its progress events shows, or None.

    Reads the events the engines stream: a single run's or a sweep's (``epoch`` of
    ``epochs``), a run of several (``{"runs_done", "runs_total"}``), and run i of a
    comparison of ``parts`` runs as ``(i, event)``.
    """
    if isinstance(event, tuple) and len(event) == 2 and isinstance(event[0], int):
        inner = fraction(event[1])
        if inner is None:
            return None
        return (event[0] + inner) / max(parts, event[0] + 1)
    if isinstance(event, dict) and "runs_total" in event:
        return event.get("runs_done", 0) / max(event["runs_total"], 1)
    epoch, epochs = getattr(event, "epoch", None), getattr(event, "epochs", None)
    if isinstance(epoch, int) and isinstance(epochs, int) and epochs > 0:
        return epoch / epochs
    return None


def share_done(events: Sequence[Any], progress: Progress) -> float | None:
    """The share done that the latest of ``events`` says, in [0, 1] (None: none says)."""
    for event in reversed(events[-8:]):  # a surface or a note may come last
        try:
            f = progress(event)
        except Exception:  # noqa: BLE001 - a progress reader must never break a wait
            f = None
        if f is not None:
            return min(max(float(f), 0.0), 1.0)
    return None


def time_left(estimate_s: float, elapsed_s: float, share: float | None) -> float:
    """Seconds left of a job estimated at ``estimate_s`` that has run ``elapsed_s``.

    From its measured pace once it has made progress: elapsed · (1 − f) / f with f the
    share done, blended with the estimate less the time run until a fifth is done (the
    first epoch pays the set-up). Without progress, the estimate less the time run, and
    never less than a quarter of the estimate: a job past its estimate has not said it
    is nearly done.
    """
    by_estimate = max(estimate_s - elapsed_s, 0.25 * estimate_s)
    if not share:
        return by_estimate
    by_pace = elapsed_s * (1.0 - share) / share
    w = min(1.0, share / EARLY)
    return max(w * by_pace + (1.0 - w) * by_estimate, 0.0)


def stretch_of(elapsed_s: float, cpu_s: float | None) -> float | None:
    """Wall seconds per CPU second (None before MIN_CPU_S of CPU or without a clock)."""
    return None if cpu_s is None or cpu_s < MIN_CPU_S else elapsed_s / cpu_s


def slowdown_now(
    stretches: Sequence[float], threads_per_job: int, busy: int, cores: int, load: float
) -> float:
    """How much longer than alone a run takes now: the median of the trainings' measured
    ``stretches``; with none (or several torch threads per job, whose work is not all on
    the timed thread), the load average's guess (regcore.serve.estimate.slowdown)."""
    if threads_per_job == 1 and stretches:
        return max(1.0, statistics.median(stretches))
    return slowdown(busy, threads_per_job, cores=cores, load=load)


class ThreadClock:
    """The CPU time one thread spends from :meth:`start` (on it) to :meth:`stop`,
    readable from any thread while it runs (POSIX thread CPU clocks; None elsewhere)."""

    def __init__(self) -> None:
        self._clock: int | None = None
        self._t0 = 0.0
        self._spent: float | None = None

    def start(self) -> None:
        """Start counting this (the calling) thread's CPU time."""
        try:
            self._clock = time.pthread_getcpuclockid(threading.get_ident())
            self._t0 = time.clock_gettime(self._clock)
        except (AttributeError, OSError):
            self._clock = None

    def seconds(self) -> float | None:
        """CPU seconds counted so far (all of them once stopped)."""
        if self._spent is not None:
            return self._spent
        clock = self._clock
        try:
            return None if clock is None else time.clock_gettime(clock) - self._t0
        except OSError:
            return None

    def stop(self) -> None:
        """Stop counting (called on the same thread, when the job is over)."""
        self._spent, self._clock = self.seconds(), None
