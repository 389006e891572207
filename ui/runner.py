"""One process-wide job runner shared by every session (DESIGN.md: never block a page).

    runner = get_runner()
    job = runner.submit(fn, label="playground")   # fn(stop, emit) -> result
    job.status, job.events, job.result, job.error, job.position(), job.stop()

At most K jobs run at once (env ``REGLAB_MAX_JOBS``, default the CPU count). Each
worker thread sets ``torch.set_num_threads(max(1, cpus // K))`` so K concurrent
runs never oversubscribe the cores. Jobs wait in one FIFO line; a waiting job
knows its place in it. A ``ValueError`` raised by ``fn`` is a user error and its
message is shown as is; any other exception becomes a short generic message
while the traceback goes to the server log.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import streamlit as st

log = logging.getLogger("reglab.runner")

JobFn = Callable[[threading.Event, Callable[[Any], None]], Any]
FINISHED_KEPT = 200  # finished jobs the runner remembers, as small records (no results)
GENERIC_ERROR = "the run failed on the server ({name}); the details are in the server log"


class Job:
    """One unit of work: its status, what it emitted so far and its outcome."""

    def __init__(self, runner: Runner, job_id: int, fn: JobFn, label: str) -> None:
        self.id = job_id
        self.label = label
        self.status = "queued"  # queued | running | done | stopped | failed
        self.events: list[Any] = []
        self.result: Any = None
        self.error: str | None = None
        self.submitted_at = time.monotonic()
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self._fn = fn
        self._runner = runner
        self._stop = threading.Event()
        self._done = threading.Event()

    @property
    def finished(self) -> bool:
        """True once the job is done, stopped or failed."""
        return self.status in ("done", "stopped", "failed")

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def elapsed(self) -> float:
        """Seconds since the job started running (0 while queued)."""
        if self.started_at is None:
            return 0.0
        end = self.finished_at if self.finished_at is not None else time.monotonic()
        return end - self.started_at

    def position(self) -> int:
        """Place in line while queued (1 = next to start, i.e. 0 queued jobs ahead of it);
        0 once running or finished."""
        return self._runner._position(self)

    def stop(self) -> None:
        """Ask the job to end: a queued job never starts; a running one is told via its Event."""
        self._stop.set()
        self._runner._cancel_queued(self)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished (tests and scripts only; pages poll)."""
        return self._done.wait(timeout)

    def record(self) -> dict[str, Any]:
        """A small summary (no events, no result) the runner keeps once the job is over."""
        return {
            "id": self.id,
            "label": self.label,
            "status": self.status,
            "error": self.error,
            "waited_s": (self.started_at or self.finished_at or 0.0) - self.submitted_at,
            "ran_s": self.elapsed(),
        }

    def emit(self, event: Any) -> None:
        self.events.append(event)

    def __repr__(self) -> str:
        return f"Job(id={self.id}, label={self.label!r}, status={self.status!r})"


class Runner:
    """A FIFO line of jobs served by ``max_jobs`` worker threads."""

    def __init__(self, max_jobs: int | None = None, cpu_count: int | None = None) -> None:
        cpus = cpu_count or os.cpu_count() or 1
        self.max_jobs = max(1, int(max_jobs if max_jobs is not None else _env_max_jobs(cpus)))
        self.threads_per_job = max(1, cpus // self.max_jobs)
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._queue: deque[Job] = deque()
        self._running: set[Job] = set()
        self._finished: deque[dict[str, Any]] = deque(maxlen=FINISHED_KEPT)
        self._workers = [
            threading.Thread(target=self._work, name=f"reglab-worker-{i}", daemon=True)
            for i in range(self.max_jobs)
        ]
        for worker in self._workers:
            worker.start()
        atexit.register(self.shutdown)

    def submit(self, fn: JobFn, label: str = "") -> Job:
        """Put ``fn(stop, emit)`` in line and return its :class:`Job` at once."""
        with self._cond:
            job = Job(self, next(self._ids), fn, label)
            self._queue.append(job)
            self._cond.notify()
        return job

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop every queued and running job (at interpreter exit, so no torch op is cut)."""
        with self._cond:
            jobs = [*self._queue, *self._running]
        for job in jobs:
            job.stop()
        end = time.monotonic() + timeout
        for job in jobs:
            job.wait(max(0.0, end - time.monotonic()))

    def history(self) -> list[dict[str, Any]]:
        """Records of the most recently finished jobs, oldest first (at most FINISHED_KEPT)."""
        with self._cond:
            return list(self._finished)

    def stats(self) -> dict[str, int]:
        """Counts of running and queued jobs and the worker limit."""
        with self._cond:
            return {
                "running": len(self._running),
                "queued": len(self._queue),
                "max_jobs": self.max_jobs,
                "threads_per_job": self.threads_per_job,
            }

    def _position(self, job: Job) -> int:
        with self._cond:
            for i, queued in enumerate(self._queue):
                if queued is job:
                    return i + 1
        return 0

    def _cancel_queued(self, job: Job) -> None:
        with self._cond:
            if job not in self._queue:
                return
            self._queue.remove(job)
            job.status = "stopped"
            job.finished_at = time.monotonic()
            self._finished.append(job.record())
        job._done.set()

    def _work(self) -> None:
        import torch

        torch.set_num_threads(self.threads_per_job)
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                job = self._queue.popleft()
                job.status = "running"
                job.started_at = time.monotonic()
                self._running.add(job)
            self._run(job)
            with self._cond:
                self._running.discard(job)
                self._finished.append(job.record())
            job._done.set()

    def _run(self, job: Job) -> None:
        try:
            job.result = job._fn(job._stop, job.emit)
            job.status = "stopped" if job._stop.is_set() else "done"
        except ValueError as exc:
            job.error = str(exc)
            job.status = "failed"
        except Exception as exc:  # noqa: BLE001 - reported to the user without internals
            log.exception("job %s (%s) failed", job.id, job.label)
            job.error = GENERIC_ERROR.format(name=type(exc).__name__)
            job.status = "failed"
        finally:
            job.finished_at = time.monotonic()


def _env_max_jobs(cpus: int) -> int:
    raw = os.environ.get("REGLAB_MAX_JOBS", "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return cpus


@st.cache_resource(show_spinner=False)
def get_runner() -> Runner:
    """The process-wide runner (one per server process, shared by all sessions)."""
    return Runner()
