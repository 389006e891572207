"""LOAD: 20 sessions press Train within one second, then 60 at once, against a server with K = 2.

Each session is a websocket client speaking Streamlit's protocol (``stclient``), the way a
browser tab does. Admission is by honest wait (``REGLAB_MAX_WAIT_S``), and 20 Playground
default runs are about half a second of training, so every one of the 20 sessions must get
its result: none refused. Checked: never more than K running (the queue's own log); every
job's numbers equal the same server's solo run; p95 click → result within 2.5 s and every
first feedback within 1 s (issue 20's targets, times ``SLACK`` for a shared 2-core CI
machine); a job that raises (injected: a 21st session's, submitted just before the 20
clicks) fails with a message and the line goes on. Then 60 sessions (the 20 and 40 more)
press Train at the same moment: every one gets its result, p95 within 6 s (times
``SLACK``), the last within admission's 30 s.
Closing the tabs cancels their jobs and frees every slot within seconds. Figures go to
artifacts/load/load.json.
"""

from __future__ import annotations

import asyncio
import math
import os
import time

import pytest

import regcore
from tests.load.conftest import run_clients, write_report
from tests.load.stclient import Session

pytestmark = pytest.mark.timeout(600)  # marked load and e2e by tests/conftest.py
K, N, CLASS = 2, 20, 60
# issue 20's targets (Chromium, a warm server) and the slack this test allows them on a
# shared 2-core CI machine; REGLAB_LOAD_SLACK raises it on a machine busy with other work
FEEDBACK_S, P95_S, P95_CLASS_S = 1.0, 2.5, 6.0
SLACK = float(os.environ.get("REGLAB_LOAD_SLACK", "2"))
CLASS_GUARD_S = 30.0  # the 60 at once: no result later than admission's longest promise
FAULT_JOB = 3  # jobs 1 and 2 are the solo runs; 3 is the faulty session's, then the load's
RESULT = "trained on"  # the finished run's caption (ui.views.metrics_row)
BUSY = "the server is busy"  # a refusal (a queued line says "slots are busy")
FEEDBACK = ("starting", "epoch", "queued", BUSY, "failed", RESULT)
LONG_RUN = "optim.epochs=2000"
KEYS = ("train_loss", "test_loss", "weight_l2", "weight_l1", "zero_fraction")
ENV = {
    "REGLAB_MAX_JOBS": str(K),
    "REGLAB_FAULT_JOB": str(FAULT_JOB),
}


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[max(0, math.ceil(0.95 * len(xs)) - 1)]


def _after(pairs: list[tuple[Session, float]], needles: tuple[str, ...]) -> list[float]:
    """Seconds from each click to the first element holding one of ``needles`` (or inf)."""
    seen = [tab.first(c, *needles) for tab, c in pairs]
    return [s.t - c if s else math.inf for s, (_, c) in zip(seen, pairs, strict=True)]


async def _settle(pairs: list[tuple[Session, float]]) -> None:
    """Wait until every tab shows its click's result, refusal or failure."""

    def settled(tab: Session, c: float) -> bool:
        return tab.first(c, RESULT, BUSY, "failed") is not None

    await asyncio.gather(*(t.wait_for(lambda t=t, c=c: settled(t, c), 240) for t, c in pairs))


async def _scenario(server) -> dict:
    url = server.url
    tabs = [await Session(url, "playground").open() for _ in range(N)]
    faulty = await Session(url, "playground").open()
    # the solo run: one tab alone, through the same server (the second: the first warms up)
    for _ in range(2):
        t = await tabs[0].click("Train")
        assert await tabs[0].wait_for(lambda t=t: tabs[0].first(t, RESULT) is not None, 60)
    solo_s = tabs[0].first(t, RESULT).t - t
    await asyncio.sleep(1.0)

    # the faulty session's job (3) is in line just before the class's clicks
    fault_click = await faulty.click("Train")
    assert await faulty.wait_for(lambda: len(server.records("submit")) >= FAULT_JOB, 10)
    cpu0, wall0, out_t0 = server.proc_status()["cpu_s"], time.monotonic(), time.time()
    clicks = []
    for tab in tabs:  # 20 clicks within one second
        clicks.append(await tab.click("Train"))
        await asyncio.sleep(0.03)  # 0.6 s of sleeps: room for a busy client within 1 s
    assert clicks[-1] - clicks[0] < 1.0
    pairs = list(zip(tabs, clicks, strict=True))
    await _settle(pairs)
    assert await faulty.wait_for(lambda: faulty.first(fault_click, "failed") is not None, 30)
    cpu1, wall1 = server.proc_status()["cpu_s"], time.monotonic()

    out = {"solo_s": solo_s, "clicks_span_s": clicks[-1] - clicks[0], "t0": out_t0}
    out["t1"] = time.time()
    out["feedback_s"] = _after(pairs, FEEDBACK)
    out["result_s"] = [x for x in _after(pairs, (RESULT,)) if x < math.inf]
    out["busy_feedback_s"] = [x for x in _after(pairs, (BUSY,)) if x < math.inf]
    out["busy"] = len(out["busy_feedback_s"])
    out["failed"] = sum(x < math.inf for x in _after(pairs, ("failed",)))
    out["fault_failed"] = faulty.first(fault_click, "failed") is not None
    out["cpu_per_wall"] = (cpu1 - cpu0) / (wall1 - wall0)
    out["load_wall_s"] = wall1 - wall0

    # a class: 60 sessions (the 20 and 40 more) press Train at the same moment
    more = [await Session(url, "playground").open() for _ in range(CLASS - N)]
    await asyncio.sleep(1.0)
    out["class_t0"] = time.time()
    crowd = [*tabs, *more]
    cpu0, wall0 = server.proc_status()["cpu_s"], time.monotonic()
    at_once = await asyncio.gather(*(tab.click("Train") for tab in crowd))
    class_pairs = list(zip(crowd, at_once, strict=True))
    await _settle(class_pairs)
    cpu1, wall1 = server.proc_status()["cpu_s"], time.monotonic()
    out["class_t1"] = time.time()
    out["class_feedback_s"] = _after(class_pairs, FEEDBACK)
    out["class_result_s"] = [x for x in _after(class_pairs, (RESULT,)) if x < math.inf]
    out["class_refused"] = sum(x < math.inf for x in _after(class_pairs, (BUSY,)))
    out["class_cpu_per_wall"] = (cpu1 - cpu0) / (wall1 - wall0)
    out["class_wall_s"] = wall1 - wall0

    # closing the tabs: ten tabs start long runs (seconds each, so they are still running or
    # waiting when closed, however fast the machine), then every tab closes
    long = [await Session(url, "playground", query=LONG_RUN).open() for _ in range(10)]
    again = [await tab.click("Train") for tab in long]
    await asyncio.sleep(0.5)
    n_before = len(server.records("submit"))
    closed_at = time.time()
    await asyncio.gather(*(tab.close() for tab in [*crowd, faulty, *long]))
    out["closed_at"] = closed_at
    out["again_clicks"] = len(again)
    out["submitted_before_close"] = n_before
    return out


def _ids(submits: list[dict], t0: float, t1: float) -> list[int]:
    return [r["id"] for r in submits if t0 <= r["t"] <= t1]


@pytest.mark.parametrize("load_server", [ENV], indirect=True)
def test_load_twenty_sessions_then_sixty_press_train(load_server) -> None:
    out = run_clients(_scenario(load_server))
    end = time.monotonic() + 15
    while time.monotonic() < end:  # every job of the closed tabs ends: slots freed
        ends = {r["id"] for r in load_server.records("end")}
        if {r["id"] for r in load_server.records("submit")} <= ends:
            break
        time.sleep(0.1)
    submits, ends = load_server.records("submit"), load_server.records("end")
    starts = load_server.records("start")
    by_id = {r["id"]: r for r in ends}
    assert {r["id"] for r in submits} == set(by_id), "a job was left behind"

    # never more than K running
    peak = max(r["running"] for r in starts)
    assert peak <= K

    # accepted jobs of both load phases: numbers identical to the server's solo run
    solo = by_id[2]["metrics"]
    local = regcore.fit(regcore.load_config({})).metrics
    assert all(solo[k] == pytest.approx(local[k], rel=1e-9, abs=1e-12) for k in KEYS)
    load_ids = _ids(submits, out["t0"], out["t1"])
    class_ids = _ids(submits, out["class_t0"], out["class_t1"])
    accepted = [by_id[i] for i in load_ids]
    done = [r for r in accepted if r["status"] == "done"]
    class_done = [by_id[i] for i in class_ids if by_id[i]["status"] == "done"]
    assert all(r["metrics"][k] == solo[k] for r in [*done, *class_done] for k in KEYS)
    assert by_id[FAULT_JOB]["status"] == "failed" and out["fault_failed"]

    # 20 sessions: every one got its result, none refused, feedback and p95 within the targets
    assert out["busy"] == 0 and out["failed"] == 0, out
    assert len(out["result_s"]) == N and len(done) == len(accepted) == N
    p95 = _p95(out["result_s"])
    figures = _figures(out, load_server, starts, load_ids, accepted, done, p95)
    write_report("load", figures)
    # the first feedback ("starting…", its place in line, or the result) comes from the
    # click's own script run: every one within the 1 s target times the slack
    assert max(out["feedback_s"]) <= FEEDBACK_S * SLACK, figures
    assert p95 <= P95_S * SLACK, figures

    # 60 sessions at once: every one got its result, p95 within the 6 s target times the
    # slack (every session's script runs share one interpreter: about 85-140 ms of its CPU
    # a click under this load), and none later than admission's longest promise (30 s)
    assert len(out["class_result_s"]) == CLASS == len(class_done), figures
    assert _p95(out["class_result_s"]) <= P95_CLASS_S * SLACK, figures
    assert max(out["class_result_s"]) <= CLASS_GUARD_S, figures

    # cores never oversubscribed; closed tabs freed their slots
    cores = os.cpu_count() or 1
    assert out["cpu_per_wall"] <= cores + 0.25
    assert out["class_cpu_per_wall"] <= cores + 0.25
    closed = [r for r in ends if r["id"] > max(class_ids)]
    freed = [r["t"] - out["closed_at"] for r in closed if r["t"] >= out["closed_at"]]
    assert closed and all(r["status"] in ("stopped", "done") for r in closed)
    assert max(freed, default=0.0) <= 5.0, freed
    gone = [r for r in closed if r["stop_reason"] == "owner_gone"]
    assert gone, "closing the tabs cancelled nothing"


def _figures(out, server, starts, load_ids, accepted, done, p95) -> dict:
    """The measured figures of both phases (artifacts/load/load.json)."""
    redraws = [r for r in server.records("redraw") if out["t0"] <= r["t"] <= out["t1"]]
    span, results = out["load_wall_s"], sorted(out["result_s"])
    crowd = sorted(out["class_result_s"])
    return {
        "K": K,
        "sessions": N,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "slack": SLACK,
        "solo_click_to_result_s": round(out["solo_s"], 3),
        "results": len(results),
        "refused": out["busy"],
        "jobs_per_minute": round(len(done) / span * 60, 1),
        "p50_click_to_result_s": round(results[len(results) // 2], 2),
        "p95_click_to_result_s": round(p95, 2),
        "target_p95_s": P95_S,
        "p95_wait_s": round(_p95([r["waited_s"] for r in accepted]), 2),
        "fast_lane_runs": sum(bool(r.get("fast")) for r in starts if r["id"] in load_ids),
        "p50_first_feedback_s": round(sorted(out["feedback_s"])[N // 2], 3),
        "max_first_feedback_s": round(max(out["feedback_s"]), 3),
        "target_first_feedback_s": FEEDBACK_S,
        "cpu_per_wall": round(out["cpu_per_wall"], 2),
        "server_cpu_per_click_ms": round(1000 * out["cpu_per_wall"] * span / (N + 1)),
        "cores": os.cpu_count() or 1,
        "redraws": {
            kind: {
                "count": len(xs),
                "mean_cpu_ms": round(1000 * sum(xs) / len(xs), 2),
                "share_of_a_core": round(sum(xs) / span, 3),
            }
            for kind in ("queued", "running")
            if (xs := [r["cpu_s"] for r in redraws if r["kind"] == kind])
        },
        "class": {
            "sessions": CLASS,
            "results": len(crowd),
            "refused": out["class_refused"],
            "p50_click_to_result_s": round(crowd[len(crowd) // 2], 2) if crowd else None,
            "p95_click_to_result_s": round(_p95(crowd), 2) if crowd else None,
            "max_click_to_result_s": round(crowd[-1], 2) if crowd else None,
            "target_p95_s": P95_CLASS_S,
            "max_first_feedback_s": round(max(out["class_feedback_s"]), 3),
            "wall_s": round(out["class_wall_s"], 2),
            "cpu_per_wall": round(out["class_cpu_per_wall"], 2),
            "server_cpu_per_click_ms": round(
                1000 * out["class_cpu_per_wall"] * out["class_wall_s"] / CLASS
            ),
        },
    }
