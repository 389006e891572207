"""The Ray backend: each training runs as a Ray task that streams its per-epoch events back.

    queue = JobQueue(limits, backend=RayBackend("127.0.0.1:6379"))   # REGLAB_RAY_ADDRESS

Several app replicas (behind a sticky-session load balancer) can share one Ray cluster of
CPU and GPU workers; each replica keeps its own :class:`regcore.jobs.JobQueue`, so the K, Q,
budget, rate and per-session limits hold per replica, and a job's slot is held until its
task has ended. The task is a Ray generator: it runs ``fn(stop, emit)`` on a thread and
yields ``("event", ev)`` for every ``emit`` and finally ``("result", value)``. Stop is
relayed through a small actor (:class:`_StopBoard`) the task polls every ``STOP_POLL_S``,
so a stopped run ends after its current epoch and keeps what it computed; a task that
does not end within ``HARD_STOP_S`` after that is cancelled by Ray. ``regcore`` itself
travels to the workers as a ``py_modules`` entry of the runtime environment.
"""

from __future__ import annotations

import queue as queue_mod
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from regcore.serve.job import Job

STOP_POLL_S = 0.2  # how often a task asks whether it should stop
HARD_STOP_S = 5.0  # after a stop request, Ray cancels a task that has not ended
_END = "__reglab_end__"


class RemoteStop:
    """The task's stop signal: an Event-like object backed by the stop board (polled)."""

    def __init__(self, board: Any, token: str) -> None:
        self._board, self._token = board, token
        self._set, self._checked = False, 0.0

    def is_set(self) -> bool:
        """Whether the driver asked this task to stop (asks the board at most every 0.2 s)."""
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


def _task_body(fn: Any, threads: int, board: Any, token: str):
    """Run ``fn`` on a thread of this worker and yield its events, then its result."""
    import torch

    events: queue_mod.Queue = queue_mod.Queue()
    out: dict[str, Any] = {}

    def target() -> None:
        torch.set_num_threads(threads)
        try:
            out["result"] = fn(RemoteStop(board, token), events.put)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the generator below
            out["error"] = exc
        finally:
            events.put(_END)

    thread = threading.Thread(target=target, name="reglab-ray-job", daemon=True)
    thread.start()
    while (item := events.get()) is not _END:
        yield ("event", item)
    thread.join()
    if "error" in out:
        raise out["error"]
    yield ("result", out.get("result"))


class RayBackend:
    """Runs each job as a Ray generator task on the cluster at ``address``."""

    def __init__(self, address: str, **init_kwargs: Any) -> None:
        import ray

        import regcore

        if not ray.is_initialized():
            runtime_env = {"py_modules": [str(Path(regcore.__file__).parent)]}
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
        from ray.exceptions import RayTaskError, TaskCancelledError

        token = uuid.uuid4().hex
        options = {"num_cpus": threads, "num_gpus": 1 if job.gpu else 0}
        gen = self._task.options(**options).remote(job.fn, threads, self._board, token)
        stop_sent: float | None = None
        result = None
        try:
            while True:
                if job.stop_requested and stop_sent is None:
                    self._board.set.remote(token)
                    stop_sent = time.monotonic()
                if stop_sent is not None and time.monotonic() - stop_sent > HARD_STOP_S:
                    ray.cancel(gen, force=True)
                    return result
                ready, _ = ray.wait([gen], timeout=0.1)
                if not ready:
                    continue
                try:
                    kind, value = ray.get(next(gen))
                except StopIteration:
                    return result
                if kind == "event":
                    job.emit(value)
                else:
                    result = value
        except RayTaskError as exc:
            raise (exc.cause if isinstance(exc.cause, BaseException) else exc) from None
        except TaskCancelledError:
            return result
        finally:
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
