"""AppTest: the Playground trains through the runner and draws semilog curves."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import chart_specs, wait_for_job

P = "pg"


def _curves(at: AppTest) -> dict:
    spec = next(s for s in chart_specs(at) if s["layout"]["yaxis"].get("type") == "log")
    return {trace["name"]: trace for trace in spec["data"]} | {"_layout": spec["layout"]}


def test_playground_default_trains_and_draws_semilog_curves(playground: AppTest) -> None:
    at = playground
    assert at.title[0].value == "Playground"
    at.button(key=f"{P}_train").click().run()
    assert not at.exception
    wait_for_job(at, P)
    assert not at.exception
    assert not at.error
    curves = _curves(at)
    assert curves["_layout"]["yaxis"]["type"] == "log"
    assert len(curves["train"]["x"]) == len(curves["test"]["x"]) == 100
    labels = {m.label for m in at.metric}
    assert {"train loss", "test loss", "‖w‖₂", "‖w‖₁", "exact zeros", "|w| < 1e-3"} <= labels
    assert any("trained on cpu" in c.value for c in at.caption)
    assert at.query_params == {} or "reg.kind" not in at.query_params  # defaults: short link


def test_playground_widgets_set_the_config(playground: AppTest) -> None:
    at = playground
    at.selectbox(key=f"{P}_reg.kind").set_value("l1").run()  # the switch sets L1's λ (1) ...
    at.select_slider(key=f"{P}_reg.lam").set_value(0.1)  # ... which the slider then moves
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("30")
    at.run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not at.exception
    result = at.session_state[f"{P}_result"]
    assert result.config.reg.kind == "l1" and result.config.reg.lam == 0.1
    curves = _curves(at)
    assert len(curves["train"]["x"]) == 30
    assert at.query_params["reg.kind"] == ["l1"] or at.query_params["reg.kind"] == "l1"


def test_playground_digits_defaults_fit_the_data_set(playground: AppTest) -> None:
    at = playground
    at.selectbox(key=f"{P}_data.name").set_value("digits").run()
    assert not at.exception
    n_train = int(at.text_input(key=f"{P}_data.n_train__typed").value)
    n_test = int(at.text_input(key=f"{P}_data.n_test__typed").value)
    assert n_train + n_test <= 1797
    assert int(at.text_input(key=f"{P}_optim.batch_size__typed").value) <= n_train
    assert at.selectbox(key=f"{P}_model.kind").value == "mlp"
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("2")
    at.text_input(key=f"{P}_data.n_train__typed").set_value("300")
    at.run()
    assert not at.error
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not at.exception and not at.error
    assert at.session_state[f"{P}_result"].task == "classification"
    assert "test accuracy" in {m.label for m in at.metric}


def test_playground_batch_size_is_clamped_to_n_train_and_kept(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_data.n_train__typed").set_value("3").run()
    assert not at.exception and not at.error
    assert at.text_input(key=f"{P}_optim.batch_size__typed").value == "5"  # as the user entered it
    assert any("full batches of 3" in c.value for c in at.caption)
    assert at.query_params["optim.batch_size"] in ("3", ["3"])  # what training uses
    at.text_input(key=f"{P}_data.n_train__typed").set_value("20").run()
    assert "optim.batch_size" not in at.query_params  # back to the default 5
    assert not any("full batches" in c.value for c in at.caption)


def test_playground_cleared_number_keeps_its_value(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("40").run()
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("").run()
    assert not at.exception
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "40"


def test_playground_invalid_config_shows_message_and_keeps_result(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("5")
    at.run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    before = len(chart_specs(at))
    at.selectbox(key=f"{P}_model.kind").set_value("mlp").run()
    at.text_input(key=f"{P}_model.hidden").set_value("64, abc").run()
    assert not at.exception
    assert any("model.hidden" in e.value for e in at.error)
    assert at.button(key=f"{P}_train").disabled
    assert len(chart_specs(at)) == before  # the last result stays on screen


def test_playground_stop_keeps_the_epochs_computed(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("2000")
    at.text_input(key=f"{P}_data.n_train__typed").set_value(
        "500"
    )  # seconds, not 0.4 s: still going
    at.run()
    at.button(key=f"{P}_train").click().run()
    job = at.session_state[f"{P}_job"]
    while len(job.events) < 3:
        job.wait(0.05)
    at.run()
    assert at.button(key=f"{P}_train").disabled  # no second run while one trains
    assert not at.button(key=f"{P}_stop").disabled
    at.text_input(key=f"{P}_seed__typed").set_value(
        "1"
    ).run()  # touching a widget: same run goes on
    assert at.session_state[f"{P}_job"] is job and not job.finished
    assert any("epoch" in p.proto.text for p in at.get("progress"))
    at.button(key=f"{P}_stop").click().run()
    wait_for_job(at, P)
    result = at.session_state[f"{P}_result"]
    assert result.stopped and 3 <= result.metrics["epochs_run"] < 2000
    assert any("stopped at epoch" in i.value for i in at.info)
    assert len(_curves(at)["train"]["x"]) == result.metrics["epochs_run"]


def test_playground_divergence_is_explained(playground: AppTest) -> None:
    at = playground
    at.select_slider(key=f"{P}_optim.lr").set_value(10.0)
    at.selectbox(key=f"{P}_reg.kind").set_value("none")
    at.run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not at.exception
    assert any("lower the learning rate" in e.value for e in at.error)


def test_playground_reads_a_shared_link(open_page) -> None:
    at = open_page(None, {"reg.kind": "l1", "reg.lam": "0.05", "optim.epochs": "7"})
    assert at.selectbox(key=f"{P}_reg.kind").value == "l1"
    assert at.select_slider(key=f"{P}_reg.lam").value == 0.05
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "7"


def test_playground_link_keeps_its_valid_fields_when_one_is_bad(open_page) -> None:
    at = open_page(None, {"reg.kind": "l1", "reg.lam": "-5", "optim.epochs": "50"})
    assert any("reg.lam = -5.0 is out of range" in w.value for w in at.warning)
    assert at.selectbox(key=f"{P}_reg.kind").value == "l1"
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "50"


def test_playground_refuses_a_file_path_in_a_link(open_page) -> None:
    at = open_page(None, {"data.path": "/etc/passwd"})
    assert any("data.path" in w.value for w in at.warning)
    assert at.selectbox(key=f"{P}_data.name").value == "linear"


def test_playground_result_survives_a_page_switch(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("4")
    at.run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    at.switch_page("pages/learn.py").run()
    at.switch_page("pages/playground.py").run()
    assert not at.exception
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "4"
    assert len(_curves(at)["train"]["x"]) == 4


def test_playground_too_large_run_is_refused_and_last_result_kept(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("3")
    at.run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    at.selectbox(key=f"{P}_model.kind").set_value("mlp").run()
    at.text_input(key=f"{P}_model.hidden").set_value("1024, 1024, 1024").run()
    at.text_input(key=f"{P}_data.n_features__typed").set_value("1000")
    at.text_input(key=f"{P}_data.n_train__typed").set_value("20000")
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("2000")
    at.run()
    assert not at.exception  # refused before Train, with the reason on screen
    assert any("too large for the server" in e.value for e in at.error)
    assert at.button(key=f"{P}_train").disabled
    assert at.session_state[f"{P}_result"].config.optim.epochs == 3  # the last result stays
    assert len(_curves(at)["train"]["x"]) == 3


def test_playground_sparse_link_keeps_five_true_weights(open_page) -> None:
    at = open_page(None, {"data.name": "sparse_linear", "reg.kind": "l1"})
    assert not at.exception and not at.error
    assert at.text_input(key=f"{P}_data.n_informative__typed").value == "5"


def test_playground_takes_a_learn_preset_after_an_earlier_visit(playground: AppTest) -> None:
    at = playground  # the Playground has been seen with the defaults
    at.switch_page("pages/learn.py").run()
    at.button(key="learn_open_sparse_lasso").click().run()
    assert not at.exception
    assert at.title[0].value == "Playground"
    assert at.selectbox(key=f"{P}_data.name").value == "sparse_linear"
    assert at.selectbox(key=f"{P}_reg.kind").value == "l1"
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "200"


def test_playground_shows_its_place_in_line_when_the_runner_is_full(playground: AppTest) -> None:
    import threading

    from ui.live.runner import get_runner

    at = playground
    runner = get_runner()  # the same process-wide runner the page uses
    gate = threading.Event()
    blockers = [runner.submit(lambda stop, emit: gate.wait(30)) for _ in range(runner.max_jobs)]
    # a run too big for the fast lane (the default, ~30 ms, would start there at once)
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("1000").run()
    try:
        at.button(key=f"{P}_train").click().run()
        job = at.session_state[f"{P}_job"]
        assert job.status == "queued" and job.position() == 1
        texts = [p.proto.text for p in at.get("progress")]
        assert any("number 1 in line" in t for t in texts), texts
    finally:
        gate.set()
        for b in blockers:
            b.wait(10)
    wait_for_job(at, P)
    assert at.session_state[f"{P}_result"] is not None


def test_playground_link_follows_the_settings_across_page_switches(playground: AppTest) -> None:
    at = playground
    at.selectbox(key=f"{P}_reg.kind").set_value("l1").run()
    assert at.query_params["reg.kind"] in ("l1", ["l1"])
    at.switch_page("pages/learn.py").run()
    at.switch_page("pages/playground.py").run()
    assert not at.exception
    assert at.query_params["reg.kind"] in ("l1", ["l1"])


def test_playground_hand_written_link_gets_the_data_sets_defaults(open_page) -> None:
    at = open_page(None, {"data.name": "polynomial"})
    assert not at.exception and not at.error
    assert at.text_input(key=f"{P}_data.n_features__typed").value == "12"  # degree, not 200


def test_playground_choosing_mlp_starts_with_hidden_widths(playground: AppTest) -> None:
    at = playground
    at.selectbox(key=f"{P}_model.kind").set_value("mlp").run()
    assert not at.exception and not at.error
    assert at.text_input(key=f"{P}_model.hidden").value == "64, 64"
    assert not at.button(key=f"{P}_train").disabled


def test_playground_data_sets_show_their_friendly_labels(playground: AppTest) -> None:
    box = playground.selectbox(key=f"{P}_data.name")
    assert box.options[0].startswith("linear (200 features")
    assert "your CSV file (upload)" in box.options


def test_playground_says_when_results_are_from_earlier_settings(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("5").run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not any("earlier settings" in i.value for i in at.info)
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("6").run()
    assert any("earlier settings" in i.value for i in at.info)
    assert chart_specs(at)  # the old result is still drawn


def test_playground_two_d_set_draws_a_decision_surface_and_early_stopping(
    playground: AppTest,
) -> None:
    at = playground
    at.selectbox(key=f"{P}_data.name").set_value("moons").run()
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("40").run()
    at.text_input(key=f"{P}_optim.early_stopping_patience__typed").set_value("3").run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not at.exception
    result = at.session_state[f"{P}_result"]
    assert result.config.optim.early_stopping_patience == 3 and result.best_epoch is not None
    specs = chart_specs(at)
    heat = [s for s in specs if any(t["type"] == "heatmap" for t in s["data"])]
    assert len(heat) == 1
    surfaces = at.session_state[f"{P}_surfaces"]["list"]
    assert surfaces[-1].final and surfaces[-1].epoch == result.best_epoch
    note = f"◆ and the dotted line: epoch {result.best_epoch}"
    assert any(
        note in c.value and f"of the {result.config.data.n_train} training" in c.value
        for c in at.caption
    )
    curves = _curves(at)
    assert "validation" in curves


def test_playground_mnist_is_offered_with_its_catalog_defaults_and_trains(
    playground: AppTest,
) -> None:
    at = playground
    at.selectbox(key=f"{P}_data.name").set_value("mnist").run()
    assert not at.exception
    assert at.text_input(key=f"{P}_data.n_train__typed").value == "4000"
    assert at.text_input(key=f"{P}_data.n_test__typed").value == "1000"
    assert at.selectbox(key=f"{P}_model.kind").value == "mlp"
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("1")
    at.text_input(key=f"{P}_data.n_train__typed").set_value("300")
    at.run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not at.exception and not at.error
    res = at.session_state[f"{P}_result"]
    assert res.config.data.name == "mnist" and res.task == "classification"


def test_playground_l2_to_l1_sets_a_lambda_that_zeroes_some_not_all(playground: AppTest) -> None:
    """L2's λ = 3 would zero all 200 weights under L1: the switch sets λ = 1 (said under the
    slider, written to the link) and the trained run has some, not all, weights exactly 0."""
    at = playground
    assert at.session_state[f"{P}_reg.lam"] == 3.0
    at.selectbox(key=f"{P}_reg.kind").set_value("l1").run()
    assert at.session_state[f"{P}_reg.lam"] == 1.0
    assert any("λ set to 1 for L1 (lasso)" in c.value for c in at.caption)
    assert float(at.query_params["reg.lam"]) == 1.0  # the link holds the λ the page set
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    result = at.session_state[f"{P}_result"]
    assert result.config.reg.kind == "l1" and result.config.reg.lam == 1.0
    assert 0.2 < result.metrics["zero_fraction"] < 0.9
    assert not [w for w in at.warning if "every weight exactly 0" in w.value]


def test_playground_a_typed_lambda_that_zeroes_everything_is_said_with_a_way_back(
    playground: AppTest,
) -> None:
    at = playground
    at.selectbox(key=f"{P}_reg.kind").set_value("l1").run()
    at.text_input(key=f"{P}_reg.lam__typed").input("3").run()
    assert at.session_state[f"{P}_reg.lam"] == 3.0
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert at.session_state[f"{P}_result"].metrics["zero_fraction"] == 1.0
    assert any("every weight exactly 0" in w.value and "try 1." in w.value for w in at.warning)
    at.button(key=f"{P}_use_lam").click().run()
    assert at.session_state[f"{P}_reg.lam"] == 1.0
    assert any("press Train" in c.value for c in at.caption)
