"""AppTest: max-norm, a kind added as one module, is selectable on the Playground, the λ
sweep and L1 vs L2 pages (their widgets read the regularizer table)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import link_of, wait_for_job


def test_playground_trains_max_norm_with_its_own_strength_widget(playground: AppTest) -> None:
    at = playground
    at.selectbox(key="pg_reg.kind").set_value("max_norm").run()
    slider = at.select_slider(key="pg_reg.lam")
    assert slider.label == "max norm c (log scale)" and 0.0 not in slider.options
    assert "weaker" in slider.help
    assert "pg_reg.penalize_bias" not in [t.key for t in at.toggle]  # biases: not constrained
    slider.set_value(0.03)
    at.text_input(key="pg_optim.epochs__typed").set_value("20")
    at.run()
    at.button(key="pg_train").click().run()
    wait_for_job(at, "pg")
    assert not at.exception and not at.error
    result = at.session_state["pg_result"]
    assert result.config.reg.kind == "max_norm" and result.config.reg.lam == 0.03
    assert result.metrics["weight_l2"] <= 0.03 * (1 + 1e-6)  # one unit: its norm is ≤ c
    assert link_of(at)["reg.kind"] == "max_norm"


def test_sweep_page_sweeps_the_max_norm_radius(open_page) -> None:
    at = open_page("pages/sweep.py")
    at.selectbox(key="sw_reg.kind").set_value("max_norm").run()
    at.slider(key="sw_k").set_value(8).run()
    at.button(key="sw_go").click().run()
    job = at.session_state["sw_job"]
    assert job.wait(60), "the sweep did not finish"
    at.run()
    assert not at.exception
    out = at.session_state["sw_result"]
    assert out.sweep.config.reg.kind == "max_norm" and out.sweep.batched
    assert len(out.sweep.rows) == 8 and out.exact is None  # no exact path for a constraint


def test_compare_page_trains_max_norm_beside_l2(open_page) -> None:
    at = open_page("pages/compare.py")
    at.multiselect(key="cmp_kinds").set_value(["l2", "max_norm"])
    at.toggle(key="cmp_shared").set_value(False)
    at.text_input(key="cmp_epochs_regularizers__typed").set_value("20").run()
    slider = at.select_slider(key="cmp_lam_regularizers_max_norm")
    assert 0.0 not in slider.options
    slider.set_value(0.03).run()
    at.button(key="cmp_train").click().run()
    assert at.session_state["cmp_job"].wait(60), "the comparison did not finish"
    at.run()
    assert not at.exception
    res = at.session_state["cmp_result"]
    assert res.keys == ("l2", "max_norm") and res.configs[1].reg.lam == 0.03
    assert "max-norm λ=0.03" in res.labels[1]
