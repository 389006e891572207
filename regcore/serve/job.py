"""The parts of the job queue every backend shares: limits, a job, the in-process backend
(no threads here).

Limits come from the environment so a deployment sets them in one place:

| variable | meaning | default |
|---|---|---|
| ``REGLAB_MAX_JOBS`` | K, trainings at once | the CPU count |
| ``REGLAB_MAX_WAIT_S`` | seconds a run may be expected to wait; a longer wait is refused | 30 |
| ``REGLAB_MAX_WAITING`` | queued jobs at most (a memory guard: the wait binds first) | 100·K |
| ``REGLAB_JOB_BUDGET_S`` | seconds a run may take (refused above, stopped past) | 60 |
| ``REGLAB_STARTS_PER_MIN`` | runs a session may start per minute | 20 |
| ``REGLAB_GPU_JOBS`` | CUDA trainings at once | 1 |
| ``REGLAB_GRACE_S`` | seconds a session may be gone before its jobs are cancelled | 1 |
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from regcore.serve.pace import Progress, ThreadClock, fraction, share_done, stretch_of, time_left

JobFn = Callable[[threading.Event, Callable[[Any], None]], Any]
GENERIC_ERROR = "the run failed on the server ({name}); the details are in the server log"
OOM_ERROR = (
    "the GPU ran out of memory for this run; its memory was freed and the next run goes on: "
    "reduce the training samples, the batch size or the model's widths, or use device = cpu"
)
STOP_REASONS = ("user", "owner_gone", "budget", "shutdown")
log = logging.getLogger("reglab.jobs")


def _env_number(name: str, default: float, cast: type = int) -> Any:
    raw = os.environ.get(name, "").strip()
    try:
        value = cast(raw)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True, kw_only=True)
class Limits:
    """What one server allows (see the module's table for the environment variables)."""

    max_jobs: int = 2  # K: trainings at once
    max_wait_s: float = 30.0  # seconds a run may be expected to wait before it starts
    max_waiting: int = 200  # queued jobs at most: a memory guard, the wait limit binds first
    budget_s: float = 60.0  # seconds a run may take, estimated up front and enforced
    # seconds a named preset of a published experiment may take (the MNIST-size MLP: its
    # source's size is the point, so it is not cut to the everyday budget)
    preset_budget_s: float = 600.0
    starts_per_minute: int = 20  # per owner (session)
    gpu_jobs: int = 1  # CUDA trainings at once
    grace_s: float = 1.0  # seconds an owner may be gone before its jobs are cancelled
    cpus: int = 2  # cores shared by the K trainings

    @property
    def threads_per_job(self) -> int:
        """torch intra-op threads per training: K of them never oversubscribe the cores."""
        return max(1, self.cpus // self.max_jobs)

    @classmethod
    def from_env(cls, cpus: int | None = None) -> Limits:
        """Limits from ``REGLAB_*`` variables, defaults from the CPU count."""
        cpus = cpus or os.cpu_count() or 1
        k = _env_number("REGLAB_MAX_JOBS", cpus)
        return cls(
            max_jobs=k,
            max_wait_s=_env_number("REGLAB_MAX_WAIT_S", 30.0, float),
            max_waiting=_env_number("REGLAB_MAX_WAITING", 100 * k),
            budget_s=_env_number("REGLAB_JOB_BUDGET_S", 60.0, float),
            preset_budget_s=_env_number("REGLAB_PRESET_BUDGET_S", 600.0, float),
            starts_per_minute=_env_number("REGLAB_STARTS_PER_MIN", 20),
            gpu_jobs=_env_number("REGLAB_GPU_JOBS", 1),
            grace_s=_env_number("REGLAB_GRACE_S", 1.0, float),
            cpus=cpus,
        )


class Work(Protocol):
    """What a job runs: ``run(stop, emit)`` returns the result; ``stop`` is an Event (or a
    callable) to poll, ``emit(event)`` streams progress. One training run is a
    ``FitSpec`` (regcore.serve.spec); other work is a function in a :class:`FnWork`."""

    def run(self, stop: Any, emit: Callable[[Any], None]) -> Any: ...


@dataclass(frozen=True)
class FnWork:
    """Work given as a function ``fn(stop, emit)`` (a sweep, a comparison, a test's)."""

    fn: JobFn

    def run(self, stop: Any, emit: Callable[[Any], None]) -> Any:
        """``fn(stop, emit)``."""
        return self.fn(stop, emit)


class Backend(Protocol):
    """Runs one job's work to its end on the calling thread and returns its result."""

    def execute(self, job: Job, threads: int) -> Any: ...


class InProcessBackend:
    """Runs ``job.work.run(stop, emit)`` on the queue's worker thread, with ``threads`` torch
    threads."""

    def execute(self, job: Job, threads: int) -> Any:
        import torch

        torch.set_num_threads(threads)  # OpenMP's setting is per calling thread
        return job.work.run(job.stop_event, job.emit)


class Line(Protocol):
    """What a job asks of the line it waits in (``JobQueue``): its place, its wait, and
    leaving the line when it is stopped before it starts."""

    def position(self, job: Job) -> int: ...

    def wait_s(self, job: Job) -> float: ...

    def cancel_queued(self, job: Job) -> None: ...


class Job:
    """One unit of work: its status, what it emitted so far and its outcome."""

    def __init__(
        self,
        job_id: int,
        work: Work,
        label: str,
        owner: str | None,
        key: str | None,
        estimate_s: float | None,
        gpu: bool,
        line: Line,
        progress: Progress | None = None,
    ) -> None:
        self.id, self.work, self.label = job_id, work, label
        self.owner, self.key, self.estimate_s, self.gpu = owner, key, estimate_s, gpu
        self.progress = progress or fraction  # reads the share done off an event
        self.cpu = ThreadClock()  # its worker thread's CPU time on it (the load's stretch)
        self.budget_s: float | None = None  # its own allowance (a named preset), else the queue's
        self.promised_s = 0.0  # the wait it was admitted with (small runs pass it until due)
        self.fast = False  # whether it runs on the fast lane (beside the K slots)
        self.status = "queued"  # queued | running | done | stopped | failed
        self.stop_reason: str | None = None  # one of STOP_REASONS once stop() was called
        self.events: list[Any] = []
        self.result: Any = None
        self.error: str | None = None
        self.submitted_at = time.monotonic()
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.stop_event = threading.Event()
        self.done_event = threading.Event()
        self._line = line  # the queue it waits in

    @property
    def finished(self) -> bool:
        """True once the job is done, stopped or failed."""
        return self.status in ("done", "stopped", "failed")

    @property
    def stop_requested(self) -> bool:
        """True once someone asked the job to stop."""
        return self.stop_event.is_set()

    def elapsed(self) -> float:
        """Seconds since the job started running (0 while queued)."""
        if self.started_at is None:
            return 0.0
        end = self.finished_at if self.finished_at is not None else time.monotonic()
        return end - self.started_at

    def fraction_done(self) -> float | None:
        """The share of the job done, read off its latest events (None: nothing says)."""
        return share_done(self.events, self.progress)

    def remaining_s(self, slow: float = 1.0) -> float:
        """Estimated seconds left of a running job: its measured pace, blended with its
        estimate × ``slow`` (the machine's current load) early on (regcore.serve.pace)."""
        est = (self.estimate_s or 1.0) * slow
        return time_left(est, self.elapsed(), self.fraction_done())

    def position(self) -> int:
        """Place in line while queued (1 = next to start); 0 once running or finished."""
        return self._line.position(self)

    def wait_s(self) -> float:
        """Estimated seconds until this queued job starts (0 once it runs)."""
        return self._line.wait_s(self)

    def stop(self, reason: str = "user") -> None:
        """Ask the job to end: a queued job never starts; a running one sees its Event."""
        if self.stop_reason is None:
            self.stop_reason = reason
        self.stop_event.set()
        self._line.cancel_queued(self)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished (tests and scripts only; pages poll)."""
        return self.done_event.wait(timeout)

    def run_on(self, backend: Backend, threads: int, fault: bool = False) -> None:
        """Run to the end through ``backend`` (on the calling worker thread) and record the
        outcome: ``result`` and ``done``/``stopped``, or ``failed`` with ``error``, a message
        for the user (a ``ValueError``'s own text; others name only their type and are
        logged). ``fault``: raise instead (load tests: a failing job must not block the line).
        """
        self.cpu.start()
        try:
            if fault:
                raise RuntimeError("fault injected by REGLAB_FAULT_JOB")
            self.result = backend.execute(self, threads)
            self.status = "stopped" if self.stop_requested else "done"
        except ValueError as exc:
            self.error, self.status = str(exc), "failed"
        except Exception as exc:  # noqa: BLE001 - reported to the user without internals
            if is_oom(exc):
                free_gpu_memory()
                self.error = OOM_ERROR
            else:
                log.exception("job %s (%s) failed", self.id, self.label)
                self.error = GENERIC_ERROR.format(name=type(exc).__name__)
            self.status = "failed"
        finally:
            self.cpu.stop()
            self.finished_at = time.monotonic()

    def stretch(self) -> float | None:
        """Wall seconds per CPU second of its thread so far: how much the machine's other
        load stretches it (None before 0.2 s of CPU: too little to tell)."""
        return stretch_of(self.elapsed(), self.cpu.seconds())

    def emit(self, event: Any) -> None:
        """Append one progress event (called by the backend, from the training)."""
        self.events.append(event)

    def record(self) -> dict[str, Any]:
        """A small summary (no events, no result) kept once the job is over."""
        return {
            "id": self.id,
            "label": self.label,
            "status": self.status,
            "stop_reason": self.stop_reason,
            "error": self.error,
            "waited_s": (self.started_at or self.finished_at or 0.0) - self.submitted_at,
            "ran_s": self.elapsed(),
        }

    def __repr__(self) -> str:
        return f"Job(id={self.id}, label={self.label!r}, status={self.status!r})"


@dataclass
class Trace:
    """Instrumentation: peak concurrency, and a JSON-lines log when ``REGLAB_JOB_LOG`` is set."""

    peak_running: int = 0
    path: str | None = None

    def write(self, record: dict[str, Any]) -> None:
        """Append ``record`` as one JSON line (only when a path is set)."""
        if self.path:
            import json

            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, default=str) + "\n")


def is_oom(exc: BaseException) -> bool:
    """Whether ``exc`` is a CUDA (or other device) out-of-memory error."""
    import torch

    oom = getattr(torch, "OutOfMemoryError", None) or torch.cuda.OutOfMemoryError
    return isinstance(exc, oom) or "out of memory" in str(exc).lower()


def free_gpu_memory() -> None:
    """Release what a failed CUDA run left: its tensors (garbage) and the allocator's cache."""
    gc.collect()
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()
