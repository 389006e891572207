"""The process-wide job runner: jobs run, the K limit holds, stop works, errors surface."""

from __future__ import annotations

import threading
import time

import pytest

from ui.runner import FINISHED_KEPT, Runner


def _wait(cond, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.005)


def test_runner_job_runs_and_collects_events() -> None:
    runner = Runner(max_jobs=1)

    def fn(stop, emit):
        for i in range(3):
            emit(i)
        return "ok"

    job = runner.submit(fn, label="t")
    assert job.wait(5)
    assert job.status == "done"
    assert job.events == [0, 1, 2]
    assert job.result == "ok"
    assert job.error is None
    assert job.position() == 0
    assert job.elapsed() >= 0


def test_runner_respects_max_jobs() -> None:
    runner = Runner(max_jobs=2, cpu_count=4)
    assert runner.threads_per_job == 2
    lock = threading.Lock()
    active, peak = [0], [0]
    release = threading.Event()

    def fn(stop, emit):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        release.wait(5)
        with lock:
            active[0] -= 1

    jobs = [runner.submit(fn) for _ in range(5)]
    _wait(lambda: runner.stats()["running"] == 2)
    time.sleep(0.05)
    assert runner.stats() == {"running": 2, "queued": 3, "max_jobs": 2, "threads_per_job": 2}
    assert [j.status for j in jobs].count("running") == 2
    release.set()
    for job in jobs:
        assert job.wait(5)
    assert peak[0] == 2
    assert all(j.status == "done" for j in jobs)


def test_runner_worker_sets_torch_threads() -> None:
    runner = Runner(max_jobs=2, cpu_count=2)

    def fn(stop, emit):
        import torch

        return torch.get_num_threads()

    job = runner.submit(fn)
    assert job.wait(5)
    assert job.result == 1


def test_runner_positions_count_jobs_ahead() -> None:
    runner = Runner(max_jobs=1)
    gate = threading.Event()
    first = runner.submit(lambda stop, emit: gate.wait(5))
    _wait(lambda: first.status == "running")
    second = runner.submit(lambda stop, emit: None)
    third = runner.submit(lambda stop, emit: None)
    assert first.position() == 0
    assert second.position() == 1
    assert third.position() == 2
    second.stop()  # a queued job leaves the line and never starts
    assert second.status == "stopped"
    assert third.position() == 1
    gate.set()
    assert third.wait(5)
    assert third.status == "done" and third.position() == 0
    assert second.result is None and second.started_at is None


def test_runner_stop_ends_a_running_job_and_keeps_its_result() -> None:
    runner = Runner(max_jobs=1)

    def fn(stop, emit):
        n = 0
        while not stop.is_set():
            emit(n)
            n += 1
            time.sleep(0.001)
        return n

    job = runner.submit(fn)
    _wait(lambda: len(job.events) > 3)
    job.stop()
    assert job.wait(5)
    assert job.status == "stopped"
    assert job.result == len(job.events)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ValueError("reg.lam = -1 is out of range: allowed from 0 to 100"), "reg.lam = -1"),
        (RuntimeError("CUDA out of memory at 0xdeadbeef"), "the run failed on the server"),
    ],
)
def test_runner_errors_surface_as_messages(exc: Exception, expected: str) -> None:
    runner = Runner(max_jobs=1)

    def fn(stop, emit):
        raise exc

    job = runner.submit(fn)
    assert job.wait(5)
    assert job.status == "failed"
    assert job.error is not None and job.error.startswith(expected)
    if not isinstance(exc, ValueError):
        assert "0xdeadbeef" not in job.error  # internals stay in the server log
    # the worker survives a failing job
    after = runner.submit(lambda stop, emit: 1)
    assert after.wait(5) and after.result == 1


def test_runner_keeps_finished_jobs_bounded() -> None:
    runner = Runner(max_jobs=1)
    jobs = [runner.submit(lambda stop, emit: None) for _ in range(FINISHED_KEPT + 20)]
    assert jobs[-1].wait(10)
    _wait(lambda: len(runner.history()) == FINISHED_KEPT)
    last = runner.history()[-1]
    assert last["id"] == jobs[-1].id and last["status"] == "done" and "result" not in last


def test_runner_reads_max_jobs_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGLAB_MAX_JOBS", "3")
    runner = Runner(cpu_count=6)
    assert runner.max_jobs == 3 and runner.threads_per_job == 2
    monkeypatch.setenv("REGLAB_MAX_JOBS", "zero")
    assert Runner(cpu_count=2).max_jobs == 2


def test_progress_reports_place_in_line_then_epochs_and_time_left() -> None:
    from ui.live import progress

    runner = Runner(max_jobs=1)
    gate = threading.Event()
    first = runner.submit(lambda stop, emit: gate.wait(5))
    _wait(lambda: first.status == "running")
    second = runner.submit(lambda stop, emit: None)
    fraction, text = progress(second, 10)
    assert fraction == 0.0 and "number 1 in line" in text
    first.events.extend(range(4))
    fraction, text = progress(first, 10)
    assert fraction == 0.4 and text.startswith("epoch 4 / 10") and "left" in text
    gate.set()
    assert second.wait(5)
