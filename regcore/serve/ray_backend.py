"""The Ray backend: each training runs as a Ray task that streams its per-epoch events back.

    queue = JobQueue(limits, backend=RayBackend("127.0.0.1:6379"))   # REGLAB_RAY_ADDRESS

Several app replicas (behind a sticky-session load balancer) can share one Ray cluster of
CPU and GPU workers; each replica keeps its own ``JobQueue`` (regcore.serve.queue), so the K, Q,
budget, rate and per-session limits hold per replica, and a job's slot is held until its
task has ended. The task is a Ray generator: it runs the job's ``work.run(stop, emit)`` (a
``FitSpec`` or a function's ``FnWork``, pickled with its config) on a thread and
yields ``("event", ev)`` for every ``emit`` and finally ``("result", value)``. Stop is
relayed through a small actor (:class:`_StopBoard`) the task polls every ``STOP_POLL_S``,
so a stopped run ends after its current epoch and keeps what it computed; a task that
does not end within ``HARD_STOP_S`` after that is cancelled by Ray. ``regcore`` itself
travels to the workers as a ``py_modules`` entry of the runtime environment.
"""

from __future__ import annotations

import os
import queue as queue_mod
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from regcore.serve.job import Job

STOP_POLL_S = 0.2  # how often a task asks whether it should stop
# A streaming generator task runs to completion whether or not its caller still reads it
# (Ray's docs), so a stop that the task has not honoured in time is followed by ray.cancel:
CANCEL_AFTER_S = 1.0  # ... interrupting the task (its training thread then stops too)
HARD_STOP_S = 3.0  # ... then killing its worker process
JOIN_S = 1.0  # a cancelled task waits this long for its training thread, then ends its worker
_END = "__reglab_end__"
REGCORE_DIR = Path(__file__).resolve().parents[1]  # regcore/, shipped to the workers


class RemoteStop:
    """The task's stop signal: an Event-like object backed by the stop board (polled)."""

    def __init__(self, board: Any, token: str) -> None:
        self._board, self._token = board, token
        self._set, self._checked = False, 0.0
        self.local = threading.Event()  # set when the task itself ends (cancelled, closed)

    def is_set(self) -> bool:
        """Whether the driver asked this task to stop (asks the board at most every 0.2 s)
        or the task was cancelled."""
        if self.local.is_set():
            return True
        now = time.monotonic()
        if not self._set and now - self._checked >= STOP_POLL_S:
            import ray

            self._checked = now
            self._set = bool(ray.get(self._board.is_set.remote(self._token)))
        return self._set

    __call__ = is_set  # regcore's StopSignal may be a callable

    def wait(self, timeout: float | None = None) -> bool:
        """Block until set or ``timeout`` seconds have passed; returns whether it is set."""
        end = None if timeout is None else time.monotonic() + timeout
        while not self.is_set():
            if end is not None and time.monotonic() >= end:
                return False
            time.sleep(STOP_POLL_S / 2)
        return True


def _task_body(work: Any, threads: int, board: Any, token: str):
    """Run ``work.run`` on a thread of this worker and yield its events, then its result."""
    import torch

    events: queue_mod.Queue = queue_mod.Queue()
    out: dict[str, Any] = {}
    stop = RemoteStop(board, token)

    def target() -> None:
        torch.set_num_threads(threads)
        try:
            out["result"] = work.run(stop, events.put)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the generator below
            out["error"] = exc
        finally:
            events.put(_END)

    thread = threading.Thread(target=target, name="reglab-ray-job", daemon=True)
    thread.start()
    try:
        while True:
            try:  # a short wait, so a cancellation reaches this thread promptly
                item = events.get(timeout=STOP_POLL_S)
            except queue_mod.Empty:
                continue
            if item is _END:
                break
            yield ("event", item)
    finally:  # ended, cancelled or closed: the training thread stops within an epoch
        stop.local.set()
        thread.join(JOIN_S)
        if thread.is_alive():  # it ignores its stop: leave no training behind on this worker
            os._exit(1)
    if "error" in out:
        raise out["error"]
    yield ("result", out.get("result"))


class RayBackend:
    """Runs each job as a Ray generator task on the cluster at ``address``."""

    remote = True  # its trainings do not share this machine's cores (no load slowdown)

    def __init__(self, address: str, **init_kwargs: Any) -> None:
        import ray

        if not ray.is_initialized():
            runtime_env = {"py_modules": [str(REGCORE_DIR)]}
            ray.init(
                address=address,
                runtime_env=runtime_env,
                log_to_driver=False,
                namespace="reglab",
                **init_kwargs,
            )
        self._task = ray.remote(_task_body)
        board = ray.remote(_StopBoard).options(
            name=f"reglab-stops-{uuid.uuid4().hex[:8]}", num_cpus=0
        )
        self._board = board.remote()

    def execute(self, job: Job, threads: int) -> Any:
        """Submit the task, relay its events into ``job``, relay a stop; return the result."""
        import ray
        from ray.exceptions import RayTaskError, TaskCancelledError, WorkerCrashedError

        token = uuid.uuid4().hex
        options = {"num_cpus": threads, "num_gpus": 1 if job.gpu else 0}
        gen = self._task.options(**options).remote(job.work, threads, self._board, token)
        stop_sent: float | None = None
        result, ended, cancelled = None, False, False
        try:
            while True:
                if job.stop_requested and stop_sent is None:
                    self._board.set.remote(token)
                    stop_sent = time.monotonic()
                late = 0.0 if stop_sent is None else time.monotonic() - stop_sent
                if late > HARD_STOP_S:
                    ray.cancel(gen, force=True)
                    ended = True
                    return result
                if late > CANCEL_AFTER_S and not cancelled:
                    ray.cancel(gen)
                    cancelled = True
                ready, _ = ray.wait([gen], timeout=0.1)
                if not ready:
                    continue
                try:
                    kind, value = ray.get(next(gen))
                except StopIteration:
                    ended = True
                    return result
                if kind == "event":
                    job.emit(value)
                else:
                    result = value
        except (TaskCancelledError, WorkerCrashedError):
            if stop_sent is None:
                raise
            ended = True
            return result
        except RayTaskError as exc:
            ended = True
            if stop_sent is not None and isinstance(exc.cause, TaskCancelledError):
                return result  # cancelled after a stop: what was computed is in the events
            raise (exc.cause if isinstance(exc.cause, BaseException) else exc) from None
        finally:
            if not ended:  # this replica gave up on the task: it must not run on unread
                ray.cancel(gen, force=True)
            self._board.clear.remote(token)


class _StopBoard:
    """A Ray actor: the set of job tokens asked to stop."""

    def __init__(self) -> None:
        self._tokens: set[str] = set()

    def set(self, token: str) -> None:
        self._tokens.add(token)

    def is_set(self, token: str) -> bool:
        return token in self._tokens

    def clear(self, token: str) -> None:
        self._tokens.discard(token)
