"""AppTest: a cross-validated λ sweep streams its CV phase (fold, λ, time left) and stops
in it; its export reopens in the saved-sweep viewer with the same CV chart and numbers."""

from __future__ import annotations

import dataclasses
import time

from streamlit.testing.v1 import AppTest

from regcore.links import export, load_sweep_export
from tests.app.conftest import chart_specs

PAGE = "pages/sweep.py"


def _cv_sweep(open_page, epochs: int) -> AppTest:
    at = open_page(PAGE, {"optim.epochs": str(epochs)})
    at.radio(key="sw_choose").set_value("5-fold").run()
    at.toggle(key="sw_bv").set_value(False).run()
    at.slider(key="sw_k").set_value(8).run()
    return at


def _cv_chart(at: AppTest) -> dict:
    return next(s for s in chart_specs(at) if "cross-validation" in str(s["layout"]["title"]))


def test_sweep_cv_streams_progress_and_reopens_from_its_json(open_page):
    from ui.sweep import saved, view
    from ui.sweep.cv import CV_PHASE, cv_progress

    at = _cv_sweep(open_page, 30)
    at.button(key="sw_go").click().run()
    job = at.session_state["sw_job"]
    assert job.wait(120), "the sweep did not finish"
    at.run()
    assert not at.exception
    out = at.session_state["sw_result"]
    cv_events = [e[1] for e in job.events if isinstance(e, tuple) and e[0] == CV_PHASE]
    assert len(cv_events) == 2 * 30  # 20 rows, 5 folds of 4: one group, then the refit
    assert cv_events[0].stage == "folds 1–5 of 5, 8 λ at once"
    share, line = cv_progress(cv_events[10])
    assert line.startswith("cross-validation: folds 1–5 of 5, 8 λ at once, epoch 11 / 30")
    assert "s elapsed · about " in line and " s left" in line and 0 < share < 1
    read = view.job_progress(out.sweep.config, at.session_state["sw_plan"])
    shares = [read(e) for e in job.events]
    assert shares == sorted(shares) and shares[-1] == 1.0  # one bar over both phases
    # the page's sweep.json, opened again: the same CV numbers and chart, no training
    text = export.sweep_json(out.sweep, out.settings, cv=out.cv)
    res, settings, cv = load_sweep_export(text)
    assert dataclasses.asdict(cv) == dataclasses.asdict(out.cv)
    before = _cv_chart(at)
    again = _cv_sweep(open_page, 30)
    again.session_state["sw_result"] = saved.opened_job(res, settings, "sweep.json", cv)
    again.run()
    assert not again.exception
    assert _cv_chart(again) == before
    assert any("5-fold cross-validation" in m.value for m in again.markdown)


def test_sweep_cv_live_line_and_stop_during_cv(open_page):
    from ui.sweep.cv import CV_PHASE

    at = _cv_sweep(open_page, 2000)
    at.button(key="sw_go").click().run()
    job = at.session_state["sw_job"]
    end = time.monotonic() + 60
    while not any(isinstance(e, tuple) and e[0] == CV_PHASE for e in list(job.events)):
        assert time.monotonic() < end and not job.finished, "no cross-validation progress"
        time.sleep(0.05)
    at.run()  # the live view during the CV phase
    bar = at.get("progress")
    assert bar and "cross-validation: folds 1–5 of 5, 8 λ at once, epoch" in bar[0].proto.text
    at.button(key="sw_stop").click().run()
    assert job.wait(30), "Stop did not end the cross-validation"
    at.run()
    assert not at.exception
    out = at.session_state["sw_result"]
    assert out.cv is None and out.cv_stopped and not out.sweep.stopped
    assert any("stopped during cross-validation" in m.value for m in at.info)
