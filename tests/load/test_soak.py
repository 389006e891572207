"""SOAK: 60 sessions in a row each open the Playground, train, draw the result and close.

The server's resident memory levels off (at most 5 % growth from session 20 to session 60,
and the ≤ 600 MB target after 60 sessions reported beside it), its thread count comes back
to where it was, and no job is left in the queue. RSS is the streamlit process's VmRSS
(/proc), read after start (no session yet), after the first session, and after sessions
20, 40 and 60. Figures go to artifacts/load/soak.json.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.load.conftest import run_clients, write_report
from tests.load.stclient import Session

pytestmark = pytest.mark.timeout(900)  # marked load and e2e by tests/conftest.py
SESSIONS = 60
RESULT = "trained on"
RSS_TARGET_MB = 600.0  # issue 20: after 60 sessions, on a free hosting tier
MAX_GROWTH = 0.05  # from session 20 to the highest reading after it


async def _one(url: str) -> float:
    tab = await Session(url, "playground").open()
    try:
        t = await tab.click("Train")
        assert await tab.wait_for(lambda: tab.first(t, RESULT) is not None, 60)
        return tab.first(t, RESULT).t - t
    finally:
        await tab.close()


@pytest.mark.parametrize("load_server", [{"REGLAB_MAX_JOBS": "2"}], indirect=True)
def test_soak_sixty_sessions_in_a_row_leave_nothing_behind(load_server) -> None:
    started = load_server.proc_status()["rss_kb"]
    rss, threads, took = [], [], []
    for _ in range(SESSIONS):
        took.append(run_clients(_one(load_server.url)))
        time.sleep(0.3)  # let the closed session's disconnect reach the server
        status = load_server.proc_status()
        rss.append(status["rss_kb"])
        threads.append(status["threads"])
    time.sleep(2.0)
    final = load_server.proc_status()
    submits, ends = load_server.records("submit"), load_server.records("end")
    assert len(submits) == SESSIONS and {r["id"] for r in ends} == {r["id"] for r in submits}
    assert all(r["status"] == "done" for r in ends)
    growth = (max(rss[20:]) - rss[19]) / rss[19]
    mb = [round(x / 1024, 1) for x in (started, rss[0], rss[19], rss[39], rss[59])]
    figures = {
        "sessions": SESSIONS,
        "rss_mb_start_1_20_40_60": mb,
        "peak_rss_mb": round(max(rss) / 1024, 1),
        "rss_target_mb": RSS_TARGET_MB,
        "rss_within_target_after_60": mb[-1] <= RSS_TARGET_MB,
        "rss_growth_after_20": round(growth, 4),
        "threads_after_1_20_60_final": [threads[0], threads[19], threads[59], final["threads"]],
        "median_click_to_result_s": round(sorted(took)[len(took) // 2], 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    write_report("soak", figures)
    assert growth <= MAX_GROWTH, f"RSS grew {growth:.1%} after the first 20 sessions: {figures}"
    assert final["threads"] <= threads[19] + 2, (threads[19], final["threads"])
