"""The Ray backend: a local Ray head on 127.0.0.1, started and stopped (by PID) in this test.

It trains through Ray with the same numbers as in-process, streams one event per epoch,
stops a long run within about a second keeping its epochs, and surfaces a user error.
Skipped when ``ray`` is not installed (it is in requirements-dev.txt, not requirements.txt).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# marked e2e (tests/conftest.py): a Ray head takes ~1 min: CI runs it, landing runs skip it
ray = pytest.importorskip("ray")

import regcore  # noqa: E402
from regcore.serve import FitSpec  # noqa: E402
from regcore.serve.job import Limits  # noqa: E402
from regcore.serve.queue import JobQueue  # noqa: E402
from regcore.serve.ray_backend import RayBackend  # noqa: E402
from tests.conftest import free_port  # noqa: E402


@pytest.fixture(scope="module")
def ray_queue(tmp_path_factory):
    port = free_port()
    temp = Path(f"/tmp/reglab_ray_{port}")  # short: Ray's socket paths have a length limit
    cli = Path(sys.executable).parent / "ray"
    cmd = [
        str(cli), "start", "--head", "--block", "--node-ip-address=127.0.0.1",
        f"--port={port}", "--num-cpus=2", "--num-gpus=0", "--include-dashboard=false",
        "--disable-usage-stats", f"--temp-dir={temp}",
    ]  # fmt: skip
    log = tmp_path_factory.mktemp("ray") / "head.log"
    with open(log, "wb") as fh:
        head = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        backend = _connect(f"127.0.0.1:{port}", head, log)
        queue = JobQueue(Limits(max_jobs=2, cpus=2), backend=backend)
        yield queue
        queue.shutdown(timeout=10)
    finally:
        ray.shutdown()
        os.killpg(head.pid, signal.SIGTERM)  # the head and the processes in its group
        try:
            head.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
            head.wait(10)
        _kill_started_under(temp)  # Ray workers run in process groups of their own
    assert head.poll() is not None
    assert not _started_under(temp), "a Ray process outlived the test"


def _started_under(temp: Path) -> list[int]:
    """PIDs of the processes whose command line names this test's Ray temp folder."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if str(temp).encode() in cmd:
            pids.append(int(proc.name))
    return pids


def _kill_started_under(temp: Path, seconds: float = 10.0) -> None:
    """Kill them until none is left (a dying raylet may have started one more)."""
    end = time.monotonic() + seconds
    while (pids := _started_under(temp)) and time.monotonic() < end:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)


def _connect(address: str, head: subprocess.Popen, log: Path) -> RayBackend:
    end = time.monotonic() + 90
    while True:
        if head.poll() is not None:
            pytest.fail(f"the Ray head exited: {log.read_text()[-2000:]}")
        try:
            return RayBackend(address)
        except Exception:
            ray.shutdown()
            if time.monotonic() > end:
                raise
            time.sleep(1.0)


def test_jobs_ray_trains_with_the_same_numbers_and_streams_epochs(ray_queue) -> None:
    cfg = regcore.load_config({"optim": {"epochs": 12}})
    job = ray_queue.submit_fit(FitSpec(config=cfg, key="pg"), estimate_s=1.0)  # as a page does
    assert job.wait(120), job.status
    assert job.status == "done", job.error
    solo = regcore.fit(cfg)
    assert [e.epoch for e in job.events] == list(range(1, 13))
    assert job.result.history["test_loss"] == solo.history["test_loss"]
    assert job.result.metrics["weight_l2"] == solo.metrics["weight_l2"]


def test_jobs_ray_stop_ends_a_long_run_and_keeps_its_epochs(ray_queue) -> None:
    cfg = regcore.load_config({"optim": {"epochs": 2000}})

    def fn(stop, emit):
        return regcore.fit(cfg, stop=stop, on_epoch=emit)

    job = ray_queue.submit(fn, label="ray-stop", estimate_s=10.0)
    end = time.monotonic() + 120
    while len(job.events) < 5:
        assert time.monotonic() < end and not job.finished, job.error
        time.sleep(0.05)
    t0 = time.monotonic()
    job.stop()
    assert job.wait(30)
    took = time.monotonic() - t0
    assert job.status == "stopped" and job.result.stopped
    assert 5 <= job.result.metrics["epochs_run"] < 2000
    assert took < 3.0, f"stop took {took:.1f} s"


def test_jobs_ray_user_error_surfaces_as_its_message(ray_queue) -> None:
    def fn(stop, emit):
        regcore.load_config({"reg": {"lam": -1}})

    job = ray_queue.submit(fn, label="ray-error")
    assert job.wait(120)
    assert job.status == "failed" and job.error.startswith("reg.lam")
    assert ray_queue.submit(lambda stop, emit: 7).wait(120)  # the slot is free again


def _beats(path: Path):
    """An on-epoch callback that also records each epoch in ``path`` (the worker's pulse)."""

    def beat(emit, event=None):
        path.write_text(str(time.monotonic_ns()))
        if event is not None:
            emit(event)

    return beat


def _last_beat_after(path: Path, since: float, quiet_s: float = 1.5, limit_s: float = 20.0):
    """Seconds from ``since`` to the worker's last beat, once it has been quiet ``quiet_s``."""
    last, seen, end = time.monotonic(), path.read_text(), time.monotonic() + limit_s
    while time.monotonic() - last < quiet_s and time.monotonic() < end:
        time.sleep(0.02)
        if (now := path.read_text()) != seen:
            seen, last = now, time.monotonic()
    assert time.monotonic() < end, "the worker never went quiet"
    return last - since


def test_jobs_ray_closed_tab_stops_the_worker_within_a_second(ray_queue, tmp_path) -> None:
    """A closed tab (cancel_owner) reaches the task: its training ends within a second."""
    cfg = regcore.load_config({"optim": {"epochs": 2000}})
    pulse = tmp_path / "pulse"
    pulse.write_text("")
    beat = _beats(pulse)

    def fn(stop, emit):
        return regcore.fit(cfg, stop=stop, on_epoch=lambda e: beat(emit, e))

    job = ray_queue.submit(fn, label="ray-tab", estimate_s=10.0, owner="tab-1")
    end = time.monotonic() + 120
    while len(job.events) < 5:
        assert time.monotonic() < end and not job.finished, job.error
        time.sleep(0.05)
    t0 = time.monotonic()
    assert ray_queue.cancel_owner("tab-1") == 1
    took = _last_beat_after(pulse, t0)
    print(f"closed tab -> worker quiet after {took:.2f} s")
    assert took < 1.0
    assert job.wait(30) and job.status == "stopped"


def test_jobs_ray_cancels_a_task_that_does_not_stop(ray_queue, tmp_path) -> None:
    """A task that never looks at its stop signal is cancelled by Ray, then its worker is
    killed: nothing runs on once its caller stopped reading."""
    from regcore.serve.ray_backend import CANCEL_AFTER_S, JOIN_S

    pulse = tmp_path / "pulse"
    pulse.write_text("")
    beat = _beats(pulse)

    def fn(stop, emit):
        for i in range(2000):  # never asks ``stop``
            beat(emit, i)
            time.sleep(0.02)

    job = ray_queue.submit(fn, label="ray-stubborn", estimate_s=10.0)
    end = time.monotonic() + 120
    while len(job.events) < 5:
        assert time.monotonic() < end and not job.finished, job.error
        time.sleep(0.05)
    t0 = time.monotonic()
    job.stop()
    took = _last_beat_after(pulse, t0)
    print(f"stop ignored -> worker ended after {took:.2f} s")
    assert took < CANCEL_AFTER_S + JOIN_S + 1.0
    assert job.wait(30)
    assert ray_queue.submit(lambda stop, emit: 7).wait(120)  # the slot is free again
