"""Would a fast lane help? Tiny runs (the Playground default) with and without a lane of
their own beside the K slots, through the real queue and engine, in this process.

    python benchmarks/bench_fast_lane.py

Two cases, each run with K = 2 slots alone (the tiny runs submitted without an estimate)
and with the queue's fast lane (the tiny runs estimated at 20 ms: they start on a free slot
or on the one fast-lane worker beside the slots):

- ``class``: 20 tiny runs submitted at once (a class pressing Train): latency submit → done
  (p50, p95) and the time until the last is done.
- ``behind_big``: two long runs hold the slots, then 10 tiny runs arrive: the tiny runs'
  latency, and how much longer the long runs take because of the lane.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("REGLAB_CALIBRATE", "0")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from regcore.core import TrainConfig  # noqa: E402
from regcore.serve import FitSpec, JobQueue, Limits  # noqa: E402

TINY = TrainConfig()
BIG = TINY.replace(**{"optim.epochs": 2000, "data.n_train": 200})


def _queue() -> JobQueue:
    return JobQueue(Limits(max_jobs=2, cpus=2, max_wait_s=1e9, max_waiting=10_000))


def _tiny(queue: JobQueue, i: int, fast: bool):
    spec = FitSpec(config=TINY, key=f"t{i}")
    return queue.submit_fit(spec, estimate_s=0.02 if fast else None)


def _p(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def _tiny_latencies(jobs) -> list[float]:
    for j in jobs:
        j.wait(120)
    return [j.finished_at - j.submitted_at for j in jobs]


def case_class(fast: bool) -> dict[str, float]:
    queue = _queue()
    t0 = time.monotonic()
    jobs = [_tiny(queue, i, fast) for i in range(20)]
    lat = _tiny_latencies(jobs)
    out = {"p50": _p(lat, 0.5), "p95": _p(lat, 0.95), "last": max(lat), "t": time.monotonic() - t0}
    queue.shutdown()
    return out


def case_behind_big(fast: bool) -> dict[str, float]:
    queue = _queue()
    big = [queue.submit_fit(FitSpec(config=BIG, key=f"b{i}")) for i in range(2)]
    time.sleep(0.3)
    tiny = [_tiny(queue, i, fast) for i in range(10)]
    lat = _tiny_latencies(tiny)
    for j in big:
        j.wait(300)
    out = {"tiny_p50": _p(lat, 0.5), "tiny_p95": _p(lat, 0.95)}
    out["big_s"] = statistics.mean(j.elapsed() for j in big)
    queue.shutdown()
    return out


def main() -> None:
    import regcore

    regcore.fit(TINY.replace(**{"optim.epochs": 1}))  # first torch ops out of the timing
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, case in (("class", case_class), ("behind_big", case_behind_big)):
        for fast in (False, True):
            r = case(fast)
            figures = ", ".join(f"{k} {v:.2f} s" for k, v in r.items())
            print(f"{name:10s} {'fast lane' if fast else 'K slots  '}: {figures}")


if __name__ == "__main__":
    main()
