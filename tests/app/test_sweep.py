"""AppTest: the λ sweep page runs its default sweep through the job runner and draws it."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import chart_specs, link_of

PAGE = "pages/sweep.py"


def _finish(at: AppTest, timeout: float = 60.0) -> AppTest:
    job = at.session_state["sw_job"]
    assert job.wait(timeout), "the sweep did not finish"
    return at.run()  # collects the finished job and draws the result


def test_sweep_page_default_sweep_draws_curves_paths_and_bias_variance(open_page):
    at = open_page(PAGE)
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
    assert any("[bias–variance demo](sweep?" in c.value for c in at.caption)  # not the U here
    best = res.best_index  # chosen on validation, never on the test loss
    vals = [r["val_loss"] for r in res.rows]
    assert best == vals.index(min(vals)) and res.n_val == 4 and res.n_fit == 16
    assert at.select_slider(key="sw_pick").value == best  # the histogram opens at λ*
    lam, test = res.lambdas[best], res.rows[best]["test_loss"]
    note = next(m.value for m in at.markdown if "chosen on validation" in m.value)
    assert f"λ\\* = {lam:.3g}**" in note and f"Its test loss: {test:.3g}**" in note
    loss = chart_specs(at)[0]
    names = [t.get("name") for t in loss["data"]]
    assert set(names[:3]) == {"train", "validation", "test"}
    star = next(t for t in loss["data"] if t.get("name", "").startswith("λ* ="))
    assert star["x"] == [lam] and star["y"] == [pytest.approx(vals[best])]
    assert star["marker"]["symbol"] == "star"
    mark = next(t for t in loss["data"] if t.get("name", "").startswith("its test loss"))
    assert mark["x"] == [lam] and mark["y"] == [pytest.approx(test)]
    at.select_slider(key="sw_pick").set_value(0).run()
    assert not at.exception and at.select_slider(key="sw_pick").value == 0


def test_sweep_page_stop_keeps_what_was_computed(open_page):
    # 2,000 epochs: still going when Stop is pressed (the default 100 can end first)
    at = open_page(PAGE, {"optim.epochs": "2000"})
    at.slider(key="sw_k").set_value(256).run()
    at.text_input(key="sw_r__typed").set_value("4").run()
    at.button(key="sw_go").click().run()
    at.button(key="sw_stop").click().run()
    _finish(at)
    assert not at.exception
    res = at.session_state["sw_result"].sweep
    assert len(res.rows) == 256  # every λ keeps a row, stopped or not
    assert res.stopped and res.rows[0]["epochs_run"] < res.config.optim.epochs


def test_sweep_page_five_fold_cv_draws_its_curve_and_both_choices(open_page):
    at = open_page(PAGE)
    at.radio(key="sw_choose").set_value("5-fold").run()
    at.toggle(key="sw_bv").set_value(False).run()
    assert link_of(at)["sweep.choose"] == "5-fold"  # the link holds the choice
    at.button(key="sw_go").click().run()
    _finish(at, timeout=120)
    assert not at.exception
    cv = at.session_state["sw_result"].cv
    assert cv is not None and cv.folds == 5 and len(cv.cv_loss) == 32
    c = cv.choice()
    note = next(m.value for m in at.markdown if "5-fold cross-validation" in m.value)
    assert f"λ_min = {c['min']['lam']:.3g}" in note and f"{c['1se']['test_loss']:.3g}" in note
    cv_chart = next(s for s in chart_specs(at) if "cross-validation" in str(s["layout"]["title"]))
    assert cv_chart["data"][0]["name"] == "5-fold CV loss ± 1 standard error"


def test_sweep_page_bias_variance_demo_link_draws_the_u_first(open_page):
    from regcore.figures.biasvar import BIAS, TOTAL, VAR_DATA, VAR_INIT, short
    from regcore.links import bias_variance_demo_params

    at = open_page(PAGE, bias_variance_demo_params())
    note = next(c.value for c in at.caption if "16 × 1 models × 200 epochs" in c.value)
    assert "estimated time here" in note  # before the click
    at.button(key="sw_go").click().run()
    _finish(at)
    assert not at.exception
    bv = at.session_state["sw_result"].bv
    assert bv is not None and 0 < bv.best_index() < len(bv.total) - 1
    first = chart_specs(at)[0]  # the bias–variance chart is on top: the main figure
    names = [t.get("name") for t in first["data"]]
    assert names[:3] == [short(BIAS[0]), short(VAR_DATA[0]), short(VAR_INIT[0])]
    assert short(TOTAL[0]) in names and any(n.startswith("lowest total (λ") for n in names)
    assert first["layout"]["height"] <= 400
    lines = next(c.value for c in at.caption if c.value.startswith(BIAS[0]))
    assert VAR_INIT[0] in lines and TOTAL[0] in lines  # one line per term says what it is
    note = next(c.value for c in at.caption if "Lowest total" in c.value)
    assert "bias–variance demo" not in note  # it is the demo
