"""AppTest: the Learn page's ISLR presets open on the λ sweep, whose paths carry the columns'
names and whose lasso says its order of entry; Khan's sweep draws the genes it keeps."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from regcore.experiments import sweep_preset
from regcore.links import SweepSettings, link_params
from tests.app.conftest import chart_specs


def _sweep(open_page, name: str, **changes) -> AppTest:
    cfg, s = sweep_preset(name)
    cfg = cfg.replace(**changes)  # fewer epochs: the figures, not the convergence
    query = link_params(cfg, SweepSettings(**{**s, "k": 8}).to_params())
    at = open_page("pages/sweep.py", query)  # the sweep page opened by the preset's link
    assert not at.error, [e.value for e in at.error]
    at.button(key="sw_go").click().run()
    assert at.session_state["sw_job"].wait(120), "the sweep did not finish"
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_sweep_islr_credit_lasso_names_its_paths_and_says_the_order(open_page):
    at = _sweep(open_page, "credit_lasso", **{"optim.epochs": 60})
    assert at.session_state["sw_result"].sweep.lambdas[-1] == 10.0  # the preset's λ range
    paths = next(s for s in chart_specs(at) if "standardized coefficient" in str(s))
    labels = [a["text"] for a in paths["layout"]["annotations"]]
    assert {"<b>Limit</b>", "<b>Rating</b>", "<b>Student_Yes</b>", "<b>Income</b>"} == set(labels)
    order = next(m.value for m in at.markdown if "Coming from large λ" in m.value)
    assert order.index("**Limit**") < order.index("**Rating**") < order.index("**Income**")
    assert any("Done to this table" in e.label for e in at.expander)


def test_sweep_islr_khan_draws_the_genes_kept_and_test_accuracy(open_page):
    at = _sweep(open_page, "khan_lasso", **{"optim.epochs": 20})
    kept = next(s for s in chart_specs(at) if "genes kept" in str(s))
    assert [t["name"] for t in kept["data"]] == ["genes kept", "test accuracy"]


def test_sweep_islr_learn_page_opens_a_preset_on_the_sweep_page(open_page):
    at = open_page("pages/learn.py")
    at.button(key="learn_sweep_credit_ridge").click().run()
    assert not at.exception
    assert at.selectbox(key="sw_data.name").value == "credit"
    assert at.text_input(key="sw_data.n_train__typed").value == "360"


def test_sweep_islr_hitters_lasso_cross_validates_and_says_what_it_keeps(open_page):
    at = _sweep(open_page, "hitters_lasso", **{"optim.epochs": 60})
    assert at.session_state["sw_result"].cv is not None  # the preset chooses by 10-fold CV
    kept = next(m.value for m in at.markdown if "after 10-fold cross-validation" in m.value)
    assert "keeps at λ_min = " in kept and "; at λ_1se = " in kept and " of 19 (" in kept
