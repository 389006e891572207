"""SOAK: 60 sessions in a row each open the Playground, train, draw the result and close.

The server's resident memory levels off (under 15 % growth from session 20 to session 60),
its thread count comes back to where it was, and no job is left in the queue.
Figures go to artifacts/load/soak.json.
"""

from __future__ import annotations

import time

import pytest

from tests.load.conftest import run_clients, write_report
from tests.load.stclient import Session

pytestmark = pytest.mark.timeout(900)  # marked load and e2e by tests/conftest.py
SESSIONS = 60
RESULT = "trained on"


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
    assert growth < 0.15, f"RSS grew {growth:.1%} after the first 20 sessions"
    assert final["threads"] <= threads[19] + 2, (threads[19], final["threads"])
    write_report(
        "soak",
        {
            "sessions": SESSIONS,
            "rss_mb_after_1_20_40_60": [round(rss[i] / 1024, 1) for i in (0, 19, 39, 59)],
            "peak_rss_mb": round(max(rss) / 1024, 1),
            "rss_growth_after_20": round(growth, 4),
            "threads_after_1_20_60_final": [threads[0], threads[19], threads[59], final["threads"]],
            "median_click_to_result_s": round(sorted(took)[len(took) // 2], 3),
        },
    )
