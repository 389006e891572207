"""The job queue every front end shares: K running, Q waiting, runs that die with their owner.

    queue = JobQueue(Limits.from_env())
    job = queue.submit_fit(FitSpec(config=cfg, key="pg"), owner=session_id, estimate_s=1.2)
    job = queue.submit(fn, owner=session_id, key="sw", estimate_s=3.0)  # fn(stop, emit) -> result
    job.status, job.events, job.result, job.error, job.position(), job.wait_s(), job.stop()

Admission (``submit`` raises :class:`Refused` with a message for the user): by honest wait
(``regcore.serve.admission``: admitted when its estimated wait is at most ``max_wait_s``;
small runs ahead of big ones; tiny ones also on a fast lane, one worker beside the K
slots); one unfinished job per (owner, key); at most ``starts_per_minute`` starts per
owner; a run estimated above ``budget_s`` is refused up front; ``max_waiting`` queued jobs
at most (a memory guard). A wait counts the running jobs' time left from their measured
pace and the queued jobs' estimates stretched by the machine's load
(:meth:`JobQueue.slowdown`).
A watchdog stops a running job past ``budget_s`` (its partial result is kept,
``stop_reason = "budget"``) and cancels every job of an owner that ``owner_alive`` reports
gone for ``grace_s`` (a closed tab). Jobs run through a :class:`Backend`: in this process
(:class:`InProcessBackend`, torch threads per job = cores // K) or on Ray
(``regcore.serve.ray_backend``). CUDA jobs also take one of ``gpu_jobs`` GPU slots; a CUDA
out-of-memory error frees the cached memory and fails only that job.
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

from regcore.serve.admission import fast_start_in, place, retry_after, start_in, tiny
from regcore.serve.estimate import load_average
from regcore.serve.job import (
    Backend,
    FnWork,
    InProcessBackend,
    Job,
    JobFn,
    Limits,
    Trace,
    Work,
)
from regcore.serve.pace import Progress, slowdown_now
from regcore.serve.refusals import (
    Refused,
    budget_message,
    busy_message,
    rate_message,
    wait_message,
)
from regcore.serve.spec import FitSpec

log = logging.getLogger("reglab.jobs")
FINISHED_KEPT = 200  # finished jobs remembered, as small records (no events, no result)
WATCH_S = 0.25  # watchdog period: owner checks and wall-clock budgets
STRETCH_KEPT_S = 60.0  # a finished job's measured stretch speaks for the load this long


class JobQueue:
    """One FIFO line of jobs served by ``limits.max_jobs`` worker threads."""

    def __init__(
        self,
        limits: Limits | None = None,
        backend: Backend | None = None,
        owner_alive: Callable[[str], bool] | None = None,
        default_owner: Callable[[], str | None] | None = None,
        load: Callable[[], float] = load_average,
    ) -> None:
        self.limits = limits or Limits.from_env()
        self.backend = backend or InProcessBackend()
        self.owner_alive = owner_alive  # owner -> still there? (a session's tab is open)
        self.default_owner = default_owner  # the submitter's owner when submit names none
        self.load = load  # the machine's runnable threads (its 1-minute load average)
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._queue: deque[Job] = deque()
        self._running: set[Job] = set()
        self._finished: deque[dict[str, Any]] = deque(maxlen=FINISHED_KEPT)
        self._stretches: deque[tuple[float, float]] = deque(maxlen=32)  # (ended, wall ÷ CPU)
        self._starts: dict[str, deque[float]] = {}
        self._gone_since: dict[str, float] = {}
        self._closed = threading.Event()
        self.trace = Trace(path=os.environ.get("REGLAB_JOB_LOG") or None)
        # load tests only: the job with this id raises (a job that fails must not block the line)
        self._fault_id = int(os.environ.get("REGLAB_FAULT_JOB", "0") or 0)
        self._threads = [
            threading.Thread(target=self._work, name=f"reglab-worker-{i}", daemon=True)
            for i in range(self.limits.max_jobs)
        ]
        # the fast lane: one more worker, for tiny runs only (regcore.serve.admission)
        self._threads.append(
            threading.Thread(target=self._work, args=(True,), name="reglab-fast", daemon=True)
        )
        self._threads.append(threading.Thread(target=self._watch, name="reglab-watch", daemon=True))
        for t in self._threads:
            t.start()
        atexit.register(self.shutdown)

    # -- admission ---------------------------------------------------------------------
    def submit(
        self,
        fn: JobFn | Work,
        label: str = "",
        *,
        owner: str | None = None,
        key: str | None = None,
        estimate_s: float | None = None,
        gpu: bool = False,
        budget_s: float | None = None,
        progress: Progress | None = None,
    ) -> Job:
        """Put ``fn(stop, emit)`` in line and return its :class:`Job`, or raise :class:`Refused`.

        Args:
            fn: the work: a function (``stop`` is a ``threading.Event``, ``emit(event)``
                streams progress) or a :class:`Work` (``run(stop, emit)``, e.g. a FitSpec).
            label: a name for logs. owner: the session it belongs to (None: the
                queue's ``default_owner()``, e.g. the calling script's session).
            key: the owner's slot (a page): one unfinished job per (owner, key).
            estimate_s: the run's estimated seconds alone on this machine (budget, waits).
            gpu: whether it trains on CUDA (takes one of ``limits.gpu_jobs`` slots).
            budget_s: this job's own allowance (``limits.preset_budget_s`` for a named
                preset), else ``limits.budget_s``; refused above it, stopped past it.
            progress: reads the share done off one of its events (default
                :func:`regcore.serve.job.fraction`): a running job's time left then
                follows its measured pace.
        """
        lim, now = self.limits, time.monotonic()
        budget = lim.budget_s if budget_s is None else budget_s
        if owner is None and self.default_owner is not None:
            owner = self.default_owner()
        if estimate_s is not None and estimate_s > budget:
            raise Refused("budget", budget_message(estimate_s, budget))
        with self._cond:
            if self._closed.is_set():
                raise Refused("busy", "the server is shutting down; try again in a moment")
            if owner is not None and key is not None:
                for other in (*self._queue, *self._running):
                    if other.owner == owner and other.key == key:
                        raise Refused("duplicate", "a run of this page is already going")
            if owner is not None:
                starts = self._starts.setdefault(owner, deque())
                while starts and now - starts[0] >= 60.0:
                    starts.popleft()
                if len(starts) >= lim.starts_per_minute:
                    retry = starts[0] + 60.0 - now
                    raise Refused("rate", rate_message(lim.starts_per_minute, retry), retry)
            at = place(self._queue, estimate_s, now)
            wait = self._start_in(at, estimate_s)
            if wait > lim.max_wait_s:
                retry = retry_after(wait, lim.max_wait_s)
                raise Refused("busy", wait_message(wait, lim.max_wait_s, retry), retry)
            if len(self._queue) >= lim.max_waiting:
                retry = self._free_in()
                raise Refused("busy", busy_message(len(self._running), len(self._queue), retry))
            work = fn if hasattr(fn, "run") else FnWork(fn)
            job = Job(next(self._ids), work, label, owner, key, estimate_s, gpu, self, progress)
            job.budget_s, job.promised_s = budget_s, wait
            if owner is not None:
                self._starts[owner].append(now)
            self._queue.insert(at, job)
            self._cond.notify_all()
        self.trace.write({"event": "submit", "id": job.id, "label": label, "t": time.time()})
        return job

    def submit_fit(
        self,
        spec: FitSpec,
        *,
        owner: str | None = None,
        estimate_s: float | None = None,
        budget_s: float | None = None,
    ) -> Job:
        """Put one training run in line: the job's work is ``spec`` (it runs
        ``spec.run(stop, emit)``, the fit of ``spec.config``), in the slot ``spec.key`` (on a
        GPU slot when it trains on CUDA); the arguments and refusals are :meth:`submit`'s."""
        return self.submit(
            spec,
            spec.label or spec.key or "",
            owner=owner,
            key=spec.key,
            estimate_s=estimate_s,
            gpu=spec.gpu,
            budget_s=budget_s,
        )

    # -- queries -----------------------------------------------------------------------
    @property
    def max_jobs(self) -> int:
        """K, the trainings at once."""
        return self.limits.max_jobs

    @property
    def threads_per_job(self) -> int:
        """torch threads each training uses."""
        return self.limits.threads_per_job

    def stats(self) -> dict[str, int]:
        """Counts of running and queued jobs, the limits, and the peak number running."""
        with self._cond:
            return {
                "running": len(self._running),
                "queued": len(self._queue),
                "max_jobs": self.limits.max_jobs,
                "max_waiting": self.limits.max_waiting,
                "threads_per_job": self.limits.threads_per_job,
                "peak_running": self.trace.peak_running,
            }

    def history(self) -> list[dict[str, Any]]:
        """Records of the most recently finished jobs, oldest first (at most FINISHED_KEPT)."""
        with self._cond:
            return list(self._finished)

    def jobs_of(self, owner: str) -> list[Job]:
        """The unfinished jobs of ``owner``."""
        with self._cond:
            return [j for j in (*self._queue, *self._running) if j.owner == owner]

    def position(self, job: Job) -> int:
        """Place in line while queued (1 = next to start); 0 once running or finished."""
        with self._cond:
            for i, queued in enumerate(self._queue):
                if queued is job:
                    return i + 1
        return 0

    def wait_s(self, job: Job) -> float:
        """Estimated seconds until ``job`` starts: the running jobs' time left (from their
        measured pace) and the estimates of the queued jobs ahead, stretched by the
        machine's current load (:meth:`slowdown`), spread over the K slots (0 once it runs)."""
        with self._cond:
            for i, queued in enumerate(self._queue):
                if queued is job:
                    return self._start_in(i, queued.estimate_s)
        return 0.0

    def _start_in(self, at: int, estimate_s: float | None) -> float:
        """Seconds until a run of ``estimate_s`` at place ``at`` in line (0 = next) starts
        (under the lock; it is re-entrant): on a slot, or for a tiny run on the fast lane if
        that is sooner; the estimates ahead and the time left stretched by the load."""
        slow = self.slowdown()
        queued = itertools.islice(self._queue, at)
        ahead = [None if j.estimate_s is None else j.estimate_s * slow for j in queued]
        remaining = [j.remaining_s(slow) for j in self._running if not j.fast]
        wait = start_in(remaining, ahead, self.limits.max_jobs)
        if not tiny(estimate_s):
            return wait
        lane = [j.remaining_s(slow) for j in self._running if j.fast]
        return min(wait, fast_start_in(lane[0] if lane else 0.0, ahead))

    def slowdown(self) -> float:
        """How much longer than its estimate alone a run takes here now: the stretch
        measured on the running jobs and those that ended in the last minute, else the
        load average's (regcore.serve.pace.slowdown_now); 1 on a remote backend."""
        if getattr(self.backend, "remote", False):
            return 1.0
        lim, now = self.limits, time.monotonic()
        with self._cond:
            running = list(self._running)
            seen = [s for t, s in self._stretches if now - t < STRETCH_KEPT_S]
        seen += [s for s in (j.stretch() for j in running) if s is not None]
        busy = len(running) * lim.threads_per_job
        return slowdown_now(seen, lim.threads_per_job, busy, lim.cpus, self.load())

    def _free_in(self) -> float:
        """Seconds until the first slot is expected to free (for the busy message)."""
        slow = self.slowdown()
        rem = [j.remaining_s(slow) for j in self._running if not j.fast]
        queued = sum((j.estimate_s or 1.0) * slow for j in self._queue)
        return min(rem) + queued / len(rem) if rem else 1.0

    # -- cancellation ------------------------------------------------------------------
    def cancel_owner(self, owner: str, reason: str = "owner_gone") -> int:
        """Stop every unfinished job of ``owner`` (a closed tab); returns how many."""
        jobs = self.jobs_of(owner)
        for job in jobs:
            job.stop(reason)
        with self._cond:
            self._starts.pop(owner, None)
        return len(jobs)

    def cancel_queued(self, job: Job) -> None:
        """Take a queued job out of line; it finishes as stopped and never starts."""
        with self._cond:
            if job not in self._queue:
                return
            self._queue.remove(job)
            job.status = "stopped"
            job.finished_at = time.monotonic()
            self._finished.append(job.record())
            self._cond.notify_all()
        self.trace.write({"event": "end", **job.record(), "metrics": None, "t": time.time()})
        job.done_event.set()

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop every job and the workers (at interpreter exit, so no torch op is cut)."""
        self._closed.set()
        with self._cond:
            jobs = [*self._queue, *self._running]
            self._cond.notify_all()
        for job in jobs:
            job.stop("shutdown")
        end = time.monotonic() + timeout
        for job in jobs:
            job.wait(max(0.0, end - time.monotonic()))
        for t in self._threads:
            t.join(max(0.0, end - time.monotonic()))

    def threads_alive(self) -> int:
        """How many of the queue's own threads are alive (a soak test checks none leak)."""
        return sum(t.is_alive() for t in self._threads)

    # -- workers -----------------------------------------------------------------------
    def _next(self, fast: bool) -> Job | None:
        """The first queued job that may start now on a slot (a CUDA job waits for a GPU
        slot) or, for the fast lane, the first tiny CPU run."""
        if fast:
            return next((j for j in self._queue if tiny(j.estimate_s) and not j.gpu), None)
        gpus = sum(j.gpu for j in self._running)
        for job in self._queue:
            if not job.gpu or gpus < self.limits.gpu_jobs:
                return job
        return None

    def _work(self, fast: bool = False) -> None:
        threads = 1 if fast else self.limits.threads_per_job
        while True:
            with self._cond:
                while not self._closed.is_set() and (job := self._next(fast)) is None:
                    self._cond.wait()
                if self._closed.is_set():
                    return
                self._queue.remove(job)
                job.status, job.started_at, job.fast = "running", time.monotonic(), fast
                self._running.add(job)
                running = sum(not j.fast for j in self._running)  # in the K slots
                self.trace.peak_running = max(self.trace.peak_running, running)
            start = {"event": "start", "id": job.id, "running": running, "fast": fast}
            self.trace.write({**start, "t": time.time()})
            job.run_on(self.backend, threads, fault=job.id == self._fault_id)
            stretch = job.stretch()
            with self._cond:
                if stretch is not None:
                    self._stretches.append((time.monotonic(), stretch))
                self._running.discard(job)
                self._finished.append(job.record())
                self._cond.notify_all()
            metrics = getattr(job.result, "metrics", None)
            self.trace.write({"event": "end", **job.record(), "metrics": metrics, "t": time.time()})
            job.done_event.set()

    def _watch(self) -> None:
        """Every WATCH_S: stop jobs past the budget and jobs whose owner has gone."""
        while not self._closed.wait(WATCH_S):
            with self._cond:
                running = list(self._running)
                owners = {j.owner for j in (*self._queue, *running) if j.owner is not None}
            for job in running:
                limit = self.limits.budget_s if job.budget_s is None else job.budget_s
                if job.elapsed() > limit and not job.stop_requested:
                    job.stop("budget")
            if self.owner_alive is not None:
                self._reap(owners)

    def _reap(self, owners: set[str]) -> None:
        now = time.monotonic()
        for owner in owners:
            try:
                alive = self.owner_alive(owner)
            except Exception:  # noqa: BLE001 - a failing check must never kill the watchdog
                log.exception("owner check failed")
                alive = True
            if alive:
                self._gone_since.pop(owner, None)
            elif now - self._gone_since.setdefault(owner, now) >= self.limits.grace_s:
                n = self.cancel_owner(owner)
                self._gone_since.pop(owner, None)
                self.trace.write({"event": "owner_gone", "jobs": n, "t": time.time()})
        for owner in set(self._gone_since) - owners:
            self._gone_since.pop(owner, None)
