"""AppTest: the L1 vs L2 page trains its comparison through the job runner and draws it."""

import json
import time

from streamlit.testing.v1 import AppTest

import regcore

PAGE = "pages/compare.py"


def _train(at: AppTest) -> AppTest:
    at.button(key="cmp_train").click().run()
    job = at.session_state["cmp_job"]
    assert job.wait(60), "the comparison did not finish"
    return at.run()  # collects the finished job and draws the result


def _charts(at: AppTest) -> list:
    """The comparison's charts (not the geometry section's, whose layout meta holds ρ)."""
    return [
        c
        for c in at.get("plotly_chart")
        if "rho" not in (json.loads(c.proto.spec)["layout"].get("meta") or {})
    ]


def test_compare_page_default_trains_none_l1_l2(open_page):
    at = open_page(PAGE)
    assert at.title[0].value == "L1 vs L2"
    assert at.multiselect(key="cmp_kinds").value == ["none", "l1", "l2"]
    _train(at)
    assert not at.exception
    res = at.session_state["cmp_result"]
    assert res.labels == ("none", "L1 λ=0.1", "L2 λ=0.1") and len(res.runs) == 3
    table = at.dataframe[0].value
    assert list(table["exact zeros"]) == ["0 / 200", "195 / 200", "0 / 200"]
    assert len(_charts(at)) == 4  # histograms, curves, sorted |w|, estimated vs true


def test_compare_page_optimizer_mode_shows_the_difference(open_page):
    at = open_page(PAGE)
    at.radio(key="cmp_mode").set_value("sgd_weight_decay").run()
    at.text_input(key="cmp_epochs_sgd_weight_decay__typed").set_value("50").run()
    _train(at)
    assert not at.exception
    assert float(at.metric[0].value) < 1e-6  # SGD + L2 ≡ SGD weight decay
    assert len(_charts(at)) == 3


def test_compare_page_digits_draws_weight_images(open_page):
    at = open_page(PAGE)
    at.radio(key="cmp_mode").set_value("digits").run()
    at.text_input(key="cmp_epochs_digits__typed").set_value("3").run()
    _train(at)
    assert not at.exception
    assert len(_charts(at)) == 3  # histograms, accuracy curves, L1 and L2 weight images


def test_compare_page_stop_ends_the_run(open_page):
    at = open_page(PAGE)
    at.text_input(key="cmp_epochs_regularizers__typed").set_value("2000").run()
    at.button(key="cmp_train").click().run()
    job = at.session_state["cmp_job"]
    deadline = time.monotonic() + 30
    while not job.events and time.monotonic() < deadline:  # stop once it has trained
        time.sleep(0.05)
    assert job.events, "the run never started"
    at.button(key="cmp_stop").click().run()
    assert job.wait(20) and job.status == "stopped"
    at.run()
    assert not at.exception
    assert job.result is not None and job.result.stopped  # what was computed stays
    assert len(job.result.runs) == 1
    assert any("stopped at epoch" in w.value for w in at.warning)


def test_compare_page_all_regularizers_each_with_its_own_lambda(open_page):
    at = open_page(PAGE)
    at.multiselect(key="cmp_kinds").set_value(["none", "l1", "l2", "elastic_net", "weight_decay"])
    at.toggle(key="cmp_shared").set_value(False)
    at.text_input(key="cmp_epochs_regularizers__typed").set_value("20").run()
    at.select_slider(key="cmp_lam_regularizers_l2").set_value(1.0).run()
    _train(at)
    assert not at.exception
    res = at.session_state["cmp_result"]
    assert [c.reg.lam for c in res.configs] == [0.0, 0.1, 1.0, 0.1, 0.1]
    assert res.keys == ("none", "l1", "l2", "elastic_net", "weight_decay")
    assert len(at.dataframe[0].value) == 5


def test_compare_page_says_a_link_without_a_comparison_sets_no_runs(open_page) -> None:
    at = open_page(PAGE, "reg.kind=xyz")
    assert any("holds no comparison" in i.value for i in at.info)


def test_compare_page_link_holds_its_comparison_and_settings(open_page) -> None:
    """A link sets mode, runs, solver, per-run λ and epochs; the page writes it back."""
    from regcore.experiments.compare_presets import COMPARISONS
    from regcore.links import CompareSettings

    query = (
        "compare.mode=regularizers&compare.runs=l1,l2&compare.solver=subgradient"
        "&compare.shared=false&compare.lams=0.3,0.01&optim.epochs=7&compare.k=oops"
    )
    at = open_page(PAGE, query)
    assert any("compare.k" in w.value for w in at.warning)  # the bad field is named
    assert at.multiselect(key="cmp_kinds").value == ["l1", "l2"]
    assert at.radio(key="cmp_solver").value == "subgradient"
    assert at.select_slider(key="cmp_lam_regularizers_l1").value == 0.3
    assert at.select_slider(key="cmp_lam_regularizers_l2").value == 0.01
    link = {k: at.query_params[k] for k in at.query_params}
    link = {k: v[-1] if isinstance(v, list) else v for k, v in link.items()}
    assert regcore.from_query(link) == COMPARISONS["regularizers"].config().replace(
        **{"optim.epochs": 7}
    )
    settings, problems = CompareSettings.from_params(link)
    assert problems == [] and settings.lams == (0.3, 0.01) and settings.runs == ("l1", "l2")
    _train(at)
    assert not at.exception
    res = at.session_state["cmp_result"]
    assert [c.reg.lam for c in res.configs] == [0.3, 0.01]
    assert res.configs[0].reg.l1_solver == "subgradient"
    assert len(res.runs[0].history["epoch"]) == 7


def test_compare_page_asks_for_a_regularizer_when_none_is_picked(open_page) -> None:
    at = open_page(PAGE)
    at.multiselect(key="cmp_kinds").set_value([]).run()
    assert not at.exception
    assert any("Pick at least one regularizer" in i.value for i in at.info)
    assert not any("Press **Train all**" in i.value for i in at.info)
    assert at.button(key="cmp_train").disabled


def test_compare_page_geometry_puts_l1_on_an_axis_as_lambda_grows(open_page):
    at = open_page(PAGE)
    at.slider(key="geo_lam").set_value(0.5).run()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    geo = [s for s in specs if "rho" in (s["layout"].get("meta") or {})]
    assert len(geo) == 1 and geo[0]["layout"]["meta"]["lam"] == 0.5
    text = " ".join(m.value for m in at.markdown)
    assert "off the axes" in text
    at.slider(key="geo_lam").set_value(3.0).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "**L1** at λ = 3: (" in text and "0 exactly" in text and "on an axis from" in text
    l2_line = next(line for line in text.split("- ") if line.startswith("**L2**"))
    assert "0 exactly" not in l2_line


def test_compare_page_sklearn_sparsity_states_source_and_ours(open_page) -> None:
    """scikit-learn's example: nine runs at λ mapped from C, no λ control, our % of exact
    zeros beside the published one; its link holds no λ (they are the source's)."""
    from regcore.experiments.compare_presets import COMPARISONS

    at = open_page(PAGE, {"compare.mode": "sklearn_sparsity", "optim.epochs": "5"})
    assert at.radio(key="cmp_mode").value == "sklearn_sparsity"
    assert not [s for s in at.select_slider if s.key.startswith("cmp_lam_sklearn")]
    assert "λ = 1/(n·C) for L1" in " ".join(c.value for c in at.caption)
    assert "compare.lams" not in at.query_params
    _train(at)
    assert not at.exception
    res = at.session_state["cmp_result"]
    assert len(res.runs) == 9 and len(res.runs[0].history["epoch"]) == 5
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["run", "% exact zeros", "source's % exact zeros"]
    assert list(table["source's % exact zeros"]) == list(COMPARISONS["sklearn_sparsity"].reference)
    assert list(table["% exact zeros"])[2] == 100 * 3 / 64  # L2: the 3 constant pixels
    assert len(_charts(at)) == 2  # zero shares beside the source's, coefficient images
    assert any("exactly our shares" in c.value for c in at.caption)
