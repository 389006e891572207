"""The job queue: K running, Q waiting, owners, rate and budget limits, stop, errors, OOM."""

from __future__ import annotations

import threading
import time

import pytest

from regcore.serve.job import OOM_ERROR, Limits
from regcore.serve.queue import FINISHED_KEPT, JobQueue, Refused


def Runner(max_jobs: int = 1, cpu_count: int = 2, load: float = 0.0, **kw) -> JobQueue:  # noqa: N802
    """A queue on an otherwise idle machine (``load``: its other runnable threads)."""
    kw.setdefault("max_wait_s", 1e9)  # tests of waits and refusals set their own
    limits = Limits(max_jobs=max_jobs, cpus=cpu_count, max_waiting=kw.pop("q", 500), **kw)
    return JobQueue(limits, load=lambda: load)


def _wait(cond, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.005)


def _count_until_stopped(pause: float):
    """A job that emits 0, 1, 2, … every ``pause`` seconds until stopped; returns the count."""

    def fn(stop, emit):
        n = 0
        while not stop.is_set():
            emit(n)
            n += 1
            time.sleep(pause)
        return n

    return fn


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
    stats = runner.stats()
    assert (stats["running"], stats["queued"], stats["threads_per_job"]) == (2, 3, 2)
    assert [j.status for j in jobs].count("running") == 2
    release.set()
    for job in jobs:
        assert job.wait(5)
    assert peak[0] == 2 and runner.stats()["peak_running"] == 2
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
    job = runner.submit(_count_until_stopped(0.001))
    _wait(lambda: len(job.events) > 3)
    job.stop()
    assert job.wait(5)
    assert job.status == "stopped"
    assert job.result == len(job.events)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ValueError("reg.lam = -1 is out of range: allowed from 0 to 100"), "reg.lam = -1"),
        (RuntimeError("cuBLAS failed at 0xdeadbeef"), "the run failed on the server"),
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


def test_limits_read_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REGLAB_MAX_WAITING", "REGLAB_MAX_WAIT_S"):  # tests/conftest.py sets them
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGLAB_MAX_JOBS", "3")
    monkeypatch.setenv("REGLAB_JOB_BUDGET_S", "12.5")
    lim = Limits.from_env(cpus=6)
    assert lim.max_jobs == 3 and lim.threads_per_job == 2 and lim.max_waiting == 300
    assert lim.max_wait_s == 30.0
    assert lim.budget_s == 12.5
    monkeypatch.setenv("REGLAB_MAX_JOBS", "zero")
    assert Limits.from_env(cpus=2).max_jobs == 2


def test_progress_reports_place_in_line_then_epochs_and_time_left() -> None:
    from ui.live.stream import progress

    runner = Runner(max_jobs=1)
    gate = threading.Event()
    first = runner.submit(lambda stop, emit: gate.wait(5))
    _wait(lambda: first.status == "running")
    second = runner.submit(lambda stop, emit: None)
    fraction, text = progress(second, 10)
    assert "starts in" in text
    assert fraction == 0.0 and "number 1 in line" in text
    first.events.extend(range(4))
    fraction, text = progress(first, 10)
    assert fraction == 0.4 and text.startswith("epoch 4 / 10") and "left" in text
    gate.set()
    assert second.wait(5)


def test_progress_first_in_line_with_a_slot_free_says_starting_not_busy() -> None:
    from ui.live.stream import queued_line

    class Line:  # the moment between submit and a worker taking the job
        def position(self, job) -> int:
            return 1

        def wait_s(self, job) -> float:
            return 0.0

    runner = Runner(max_jobs=2)
    job = runner.submit(lambda stop, emit: None)
    assert job.wait(5)
    job._line = Line()
    assert queued_line(job) == "starting…"


def _blocker(gate: threading.Event):
    return lambda stop, emit: gate.wait(10)


def test_jobs_queue_refuses_beyond_max_waiting_with_a_busy_message() -> None:
    runner = Runner(max_jobs=1, q=2)  # the memory guard: the wait limit is far off here
    gate = threading.Event()
    first = runner.submit(_blocker(gate))
    _wait(lambda: first.status == "running")
    queued = [runner.submit(_blocker(gate)) for _ in range(2)]
    with pytest.raises(Refused) as info:
        runner.submit(_blocker(gate))
    assert info.value.reason == "busy" and "the server is busy" in str(info.value)
    assert "1 training, 2 waiting" in str(info.value)
    gate.set()
    assert all(j.wait(5) for j in (first, *queued))
    assert runner.submit(lambda stop, emit: 1).wait(5)  # room again once the line moved


def test_admission_refuses_a_run_only_for_its_own_wait_saying_how_long_and_when() -> None:
    runner = Runner(max_jobs=2, max_wait_s=30.0)
    gate = threading.Event()
    running = [runner.submit(_blocker(gate), estimate_s=20.0) for _ in range(2)]
    _wait(lambda: all(j.status == "running" for j in running))
    # two 20 s runs hold the slots: a 20 s run waits ~20 s, admitted; then one more 20 s
    # run puts the next big one ~40 s away: refused with its wait and a retry time
    admitted = [runner.submit(_blocker(gate), estimate_s=20.0) for _ in range(2)]
    assert 19 < admitted[1].wait_s() <= 20
    with pytest.raises(Refused) as info:
        runner.submit(_blocker(gate), estimate_s=20.0)
    assert info.value.reason == "busy" and 10 < info.value.retry_s <= 12
    msg = str(info.value)
    assert "would wait about 40 s" in msg and "over the 30 s" in msg, msg
    assert "try again in about 11 s" in msg, msg
    # hundreds of quick runs are admitted as long as their own wait fits
    quick = [runner.submit(_blocker(gate), estimate_s=0.02) for _ in range(200)]
    assert quick[-1].wait_s() <= 30
    gate.set()
    assert all(j.wait(10) for j in (*running, *admitted, *quick))


def test_admission_a_small_run_goes_ahead_of_big_ones_and_is_never_refused_for_them() -> None:
    runner = Runner(max_jobs=1, max_wait_s=30.0)
    gate = threading.Event()
    first = runner.submit(_blocker(gate), estimate_s=5.0)
    _wait(lambda: first.status == "running")
    big = [runner.submit(_blocker(gate), estimate_s=13.0) for _ in range(2)]  # waits 5, 18 s
    with pytest.raises(Refused):
        runner.submit(_blocker(gate), estimate_s=13.0)  # would wait 31 s > 30 s
    small = [runner.submit(_blocker(gate), estimate_s=0.5, owner=f"s{i}") for i in range(3)]
    assert [j.position() for j in small] == [1, 2, 3]  # ahead of the big ones, in order
    assert [j.position() for j in big] == [4, 5]
    assert small[-1].wait_s() == pytest.approx(5.0 + 1.0, abs=0.2)
    gate.set()
    assert all(j.wait(5) for j in (first, *big, *small))


def test_admission_a_big_run_is_passed_only_until_it_has_waited_its_promise() -> None:
    from regcore.serve.admission import place, start_in

    class Q:
        def __init__(self, estimate_s, submitted_at, promised_s):
            self.estimate_s, self.submitted_at, self.promised_s = (
                estimate_s,
                submitted_at,
                promised_s,
            )

    line = [Q(10.0, 0.0, 4.0), Q(0.1, 1.0, 0.0), Q(10.0, 2.0, 14.0)]
    assert place(line, 0.1, now=3.0) == 2  # passes the big run that is not due yet
    assert place(line, 0.1, now=5.0) == 2  # the first big run is due: stays ahead
    assert place(line, 0.1, now=16.0) == 3  # the second is due too: none passed
    assert place(line, 20.0, now=3.0) == 3 and place(line, None, now=3.0) == 3
    # K = 2 slots with 3 s and 1 s left; 2 s and 4 s queued ahead: slots free at 1, 3
    assert start_in([3.0, 1.0], [2.0, 4.0], 2) == pytest.approx(3.0)
    assert start_in([], [None], 2) == 0.0 and start_in([], [None, None], 2) == 1.0


def test_jobs_one_job_per_owner_and_key() -> None:
    runner = Runner(max_jobs=1)
    gate = threading.Event()
    first = runner.submit(_blocker(gate), owner="s1", key="pg")
    with pytest.raises(Refused) as info:
        runner.submit(_blocker(gate), owner="s1", key="pg")
    assert info.value.reason == "duplicate"
    other_page = runner.submit(_blocker(gate), owner="s1", key="sw")
    other_session = runner.submit(_blocker(gate), owner="s2", key="pg")
    gate.set()
    assert all(j.wait(5) for j in (first, other_page, other_session))
    assert runner.submit(lambda stop, emit: 1, owner="s1", key="pg").wait(5)  # after it ended


def test_jobs_rate_limit_says_when_the_next_start_is_allowed() -> None:
    runner = Runner(max_jobs=1, starts_per_minute=2)
    for _ in range(2):
        assert runner.submit(lambda stop, emit: 1, owner="s1").wait(5)
    with pytest.raises(Refused) as info:
        runner.submit(lambda stop, emit: 1, owner="s1")
    assert info.value.reason == "rate" and 55 < info.value.retry_s <= 60
    assert "at most 2 runs a minute" in str(info.value) and "allowed in 60 s" in str(info.value)
    assert runner.submit(lambda stop, emit: 1, owner="s2").wait(5)  # others are not limited


def test_jobs_budget_refuses_up_front_and_stops_a_run_past_it() -> None:
    runner = Runner(max_jobs=1, budget_s=0.3)
    with pytest.raises(Refused) as info:
        runner.submit(lambda stop, emit: 1, estimate_s=45.0)
    msg = str(info.value)
    assert info.value.reason == "budget" and "about 45 s here" in msg and "reduce" in msg
    assert "over the 0.3 s a run may take" in msg and "150× less work" in msg

    job = runner.submit(_count_until_stopped(0.005), estimate_s=0.1)
    assert job.wait(5)
    assert job.status == "stopped" and job.stop_reason == "budget"
    assert job.result == len(job.events) > 0  # the partial result is kept
    assert 0.3 <= job.elapsed() < 0.3 + 1.0


def test_jobs_preset_allowance_admits_and_bounds_a_named_preset() -> None:
    """A published experiment at its source's size gets its own (larger) allowance: it is
    admitted where the everyday budget refuses it, and still stopped past its own."""
    runner = Runner(max_jobs=1, budget_s=0.05)
    with pytest.raises(Refused):
        runner.submit(lambda stop, emit: 1, estimate_s=0.4)
    assert runner.submit(lambda stop, emit: "ok", estimate_s=0.4, budget_s=0.5).wait(5)
    with pytest.raises(Refused) as info:
        runner.submit(lambda stop, emit: 1, estimate_s=0.9, budget_s=0.5)
    assert "over the 0.5 s a run may take" in str(info.value)
    job = runner.submit(lambda stop, emit: stop.wait(10), estimate_s=0.1, budget_s=0.4)
    assert job.wait(5) and job.stop_reason == "budget"
    assert 0.4 <= job.elapsed() < 0.4 + 1.0  # its own allowance, not the everyday 0.05 s
    assert Limits.from_env().preset_budget_s >= Limits.from_env().budget_s


def test_jobs_owner_gone_cancels_queued_and_running_jobs() -> None:
    alive = {"s1": True, "s2": True}
    runner = JobQueue(Limits(max_jobs=1, cpus=1, grace_s=0.2), owner_alive=lambda o: alive[o])
    running = runner.submit(lambda stop, emit: stop.wait(10) and "partial", owner="s1", key="a")
    _wait(lambda: running.status == "running")
    queued = runner.submit(lambda stop, emit: 1, owner="s1", key="b")
    other = runner.submit(lambda stop, emit: 2, owner="s2", key="a")
    alive["s1"] = False
    t0 = time.monotonic()
    assert running.wait(3) and queued.wait(3)
    assert time.monotonic() - t0 < 1.5
    assert running.stop_reason == "owner_gone" and queued.status == "stopped"
    assert queued.started_at is None
    assert other.wait(3) and other.status == "done" and other.result == 2


def test_jobs_default_owner_comes_from_the_caller() -> None:
    runner = JobQueue(Limits(max_jobs=1, cpus=1), default_owner=lambda: "session-7")
    job = runner.submit(lambda stop, emit: 1)
    assert job.owner == "session-7" and job.wait(5)


def test_jobs_gpu_has_its_own_limit() -> None:
    runner = Runner(max_jobs=3, cpu_count=3, gpu_jobs=1)
    gate = threading.Event()
    gpu1 = runner.submit(_blocker(gate), gpu=True)
    gpu2 = runner.submit(_blocker(gate), gpu=True)
    cpu = runner.submit(_blocker(gate))
    _wait(lambda: cpu.status == "running")
    time.sleep(0.05)
    assert gpu1.status == "running" and gpu2.status == "queued"  # the CPU job went ahead
    gate.set()
    assert all(j.wait(5) for j in (gpu1, gpu2, cpu))


def test_jobs_cuda_oom_frees_memory_and_the_next_job_runs(monkeypatch) -> None:
    import torch

    import regcore.serve.job as jobs

    freed = []
    monkeypatch.setattr(jobs, "free_gpu_memory", lambda: freed.append(1))
    runner = Runner(max_jobs=1)

    def oom(stop, emit):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    failed = runner.submit(oom, gpu=True)
    after = runner.submit(lambda stop, emit: "ok", gpu=True)
    assert failed.wait(5) and after.wait(5)
    assert failed.status == "failed" and failed.error == OOM_ERROR and freed == [1]
    assert after.status == "done" and after.result == "ok"


def test_jobs_wait_estimate_spreads_the_line_over_the_slots() -> None:
    runner = Runner(max_jobs=2, cpu_count=2)
    gate = threading.Event()
    a = runner.submit(_blocker(gate), estimate_s=10.0)
    b = runner.submit(_blocker(gate), estimate_s=4.0)
    _wait(lambda: b.status == "running")
    c = runner.submit(_blocker(gate), estimate_s=3.0)
    d = runner.submit(_blocker(gate), estimate_s=3.0)
    assert 3.0 < c.wait_s() <= 4.0  # b's slot frees first
    assert 6.0 < d.wait_s() <= 7.0  # then c's run on that slot
    gate.set()
    assert all(j.wait(5) for j in (a, b, c, d))


def test_jobs_wait_follows_a_running_jobs_measured_pace() -> None:
    """Behind a job estimated at 50 s that is halfway after 2 s, the wait is about 2 s."""
    runner = Runner(max_jobs=1)
    gate = threading.Event()

    def half(stop, emit):
        emit({"runs_done": 5, "runs_total": 10})
        gate.wait(10)

    a = runner.submit(half, estimate_s=50.0)
    _wait(lambda: a.status == "running" and a.events)
    a.started_at -= 2.0  # it has run 2 s
    b = runner.submit(_blocker(gate), estimate_s=1.0)
    assert a.fraction_done() == 0.5
    assert 1.5 < b.wait_s() < 2.5
    gate.set()
    assert a.wait(5) and b.wait(5)


def test_jobs_wait_without_progress_is_never_under_a_quarter_of_the_estimate() -> None:
    runner = Runner(max_jobs=1)
    gate = threading.Event()
    a = runner.submit(_blocker(gate), estimate_s=8.0)
    _wait(lambda: a.status == "running")
    a.started_at -= 30.0  # far past its estimate, and nothing says how far it is
    b = runner.submit(_blocker(gate), estimate_s=1.0)
    assert b.wait_s() >= 2.0
    gate.set()
    assert a.wait(5) and b.wait(5)


def test_jobs_wait_is_stretched_by_the_machines_load() -> None:
    waits = []
    for load in (0.0, 6.0):  # 6 other runnable threads on 2 cores: 3.5× as long
        runner = Runner(max_jobs=1, load=load)
        gate = threading.Event()
        a = runner.submit(_blocker(gate), estimate_s=10.0)
        _wait(lambda a=a: a.status == "running")
        b = runner.submit(_blocker(gate), estimate_s=1.0)
        waits.append(b.wait_s())
        gate.set()
        assert a.wait(5) and b.wait(5)
    assert waits[1] > 3 * waits[0]


def test_jobs_load_is_measured_on_the_trainings_themselves() -> None:
    """A job that waited on the machine (here: slept) half its wall time ran stretched ×2
    or more: queued estimates are stretched by that, not by the load average (0 here)."""
    runner = Runner(max_jobs=2, cpu_count=2, load=0.0)  # one torch thread per job

    def stretched(stop, emit):
        t0 = time.thread_time()
        while time.thread_time() - t0 < 0.25:  # CPU work ...
            pass
        time.sleep(0.5)  # ... and as long again without the CPU

    job = runner.submit(stretched)
    assert job.wait(10) and job.cpu.seconds() >= 0.25
    assert job.stretch() > 2.0 and runner.slowdown() > 2.0


def test_jobs_slowdown_falls_back_to_the_load_average() -> None:
    from regcore.serve.pace import slowdown_now

    assert slowdown_now([1.5, 3.0, 2.5], 1, busy=0, cores=2, load=9.0) == 2.5
    assert slowdown_now([], 1, busy=0, cores=2, load=5.0) == pytest.approx(3.0)
    # several torch threads per job: one thread's CPU clock is not the job's
    assert slowdown_now([4.0], 2, busy=0, cores=2, load=0.0) == 1.0


def test_jobs_fraction_reads_the_engines_progress_events() -> None:
    from regcore.serve import fraction

    class Ev:
        epoch, epochs = 3, 12

    assert fraction(Ev()) == 0.25
    assert fraction({"runs_done": 1, "runs_total": 4}) == 0.25
    assert fraction((1, Ev()), parts=2) == pytest.approx(0.625)  # run 2 of 2, a quarter in
    assert fraction("a note") is None


def test_jobs_shutdown_leaves_no_thread_behind() -> None:
    runner = Runner(max_jobs=2, cpu_count=2)
    job = runner.submit(lambda stop, emit: stop.wait(10))
    _wait(lambda: job.status == "running")
    runner.shutdown(timeout=3)
    assert job.status == "stopped" and runner.threads_alive() == 0
    with pytest.raises(Refused):
        runner.submit(lambda stop, emit: 1)


def test_jobs_submit_fit_runs_the_spec_like_fit_in_its_page_slot() -> None:
    import regcore
    from regcore.serve import FitSpec

    runner = Runner(max_jobs=1)
    cfg = regcore.load_config({"optim": {"epochs": 3}})
    seen: list[tuple[int, bool]] = []
    spec = FitSpec(
        config=cfg, key="pg", probe=lambda model, epoch, final: seen.append((epoch, final))
    )
    job = runner.submit_fit(spec, owner="s1", estimate_s=0.5)
    assert (job.work, job.key, job.label, job.gpu) == (spec, "pg", "pg", False)
    with pytest.raises(Refused, match="already going"):  # the spec's key is the page's slot
        runner.submit_fit(FitSpec(config=cfg, key="pg"), owner="s1")
    assert job.wait(10) and job.status == "done", job.error
    solo = regcore.fit(cfg)
    assert [e.epoch for e in job.events] == [1, 2, 3]
    assert job.result.history["test_loss"] == solo.history["test_loss"]
    assert seen == [(1, False), (2, False), (3, False), (3, True)]


def test_jobs_a_job_asks_its_line_through_the_line_protocol() -> None:
    from regcore.serve.job import FnWork, Job

    class Line:  # any object with position, wait_s and cancel_queued will do
        def __init__(self) -> None:
            self.cancelled: list[Job] = []

        def position(self, job: Job) -> int:
            return 4

        def wait_s(self, job: Job) -> float:
            return 2.5

        def cancel_queued(self, job: Job) -> None:
            self.cancelled.append(job)

    line = Line()
    job = Job(1, FnWork(lambda stop, emit: None), "t", None, None, None, False, line)
    assert (job.position(), job.wait_s()) == (4, 2.5)
    job.stop()
    assert line.cancelled == [job] and job.stop_requested and job.stop_reason == "user"


def test_fast_lane_a_tiny_run_starts_while_long_runs_hold_every_slot() -> None:
    runner = Runner(max_jobs=2, max_wait_s=30.0)
    gate = threading.Event()
    long = [runner.submit(_blocker(gate), estimate_s=40.0) for _ in range(2)]
    _wait(lambda: all(j.status == "running" for j in long))
    with pytest.raises(Refused):  # not tiny: it would wait 40 s for a slot
        runner.submit(_blocker(gate), estimate_s=1.0)
    tiny = runner.submit(lambda stop, emit: "quick", estimate_s=0.02)
    assert tiny.wait(5) and tiny.result == "quick" and tiny.fast  # beside the K slots
    assert runner.stats()["peak_running"] == 2  # the K slots never held more
    # a tiny run waits only for the tiny runs ahead of it on the lane, never 40 s
    gate_tiny = threading.Event()
    first = runner.submit(_blocker(gate_tiny), estimate_s=0.03)
    _wait(lambda: first.status == "running")
    second = runner.submit(lambda stop, emit: 1, estimate_s=0.03)
    assert second.wait_s() <= 0.3
    gate_tiny.set()
    assert second.wait(5) and second.fast
    cuda = runner.submit(lambda stop, emit: 1, estimate_s=0.02, gpu=True)
    time.sleep(0.3)
    assert cuda.status == "queued"  # a CUDA run takes a GPU slot, never the fast lane
    gate.set()
    assert all(j.wait(5) for j in (*long, cuda))
