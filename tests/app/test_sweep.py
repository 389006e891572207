"""AppTest: the λ sweep page runs its default sweep through the job runner and draws it."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/sweep.py").run()
    assert not at.exception
    return at


def _finish(at: AppTest, timeout: float = 60.0) -> AppTest:
    job = at.session_state["sw_job"]
    assert job.wait(timeout), "the sweep did not finish"
    return at.run()  # collects the finished job and draws the result


def test_sweep_page_default_sweep_draws_curves_paths_and_bias_variance():
    at = _open()
    assert at.title[0].value == "λ sweep"
    assert at.slider(key="sw_k").value == 32
    at.button(key="sw_go").click().run()
    _finish(at)  # its speed is benchmarks/bench_sweep.py's business, not a test's
    assert not at.exception
    out = at.session_state["sw_result"]
    res = out.sweep
    assert len(res.rows) == 32 and not res.stopped and res.batched
    assert out.exact is not None and out.bv is not None
    charts = at.get("plotly_chart")
    assert len(charts) == 6  # loss, paths, norm, zeros, bias–variance, histogram
    best = min(range(32), key=lambda i: res.rows[i]["test_loss"])
    assert at.select_slider(key="sw_pick").value == best  # the histogram opens at the best λ
    at.select_slider(key="sw_pick").set_value(0).run()
    assert not at.exception and at.select_slider(key="sw_pick").value == 0


def test_sweep_page_stop_keeps_what_was_computed():
    at = _open()
    at.slider(key="sw_k").set_value(256).run()
    at.number_input(key="sw_r").set_value(4).run()
    at.button(key="sw_go").click().run()
    at.button(key="sw_stop").click().run()
    _finish(at)
    assert not at.exception
    res = at.session_state["sw_result"].sweep
    assert len(res.rows) == 256  # every λ keeps a row, stopped or not
    if res.stopped:
        assert res.rows[0]["epochs_run"] < res.config.optim.epochs
