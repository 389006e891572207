"""AppTest: the Dropout & norm page trains its networks side by side and its other tabs."""

from streamlit.testing.v1 import AppTest

PAGE = "pages/dropout.py"


def _train(at: AppTest, prefix: str) -> AppTest:
    at.button(key=f"{prefix}_train").click().run()
    assert at.session_state[f"{prefix}_job"].wait(120), "the job did not finish"
    return at.run()


def test_dropout_page_side_by_side_draws_surfaces_curves_table_and_probe(open_page):
    at = open_page(PAGE, timeout=90)
    assert at.title[0].value == "Dropout & norm"
    assert at.selectbox(key="dn_data.name").value == "xor"
    at.text_input(key="dn_optim.epochs__typed").set_value("20").run()
    _train(at, "dn")
    assert not at.exception
    res = at.session_state["dn_result"]
    assert res.labels == ("no dropout", "dropout 0.8") and len(res.surfaces) == 2
    charts = at.get("plotly_chart")
    assert len(charts) == 3  # decision surfaces, loss curves, accuracy curves
    table = at.dataframe[0].value
    assert list(table["configuration"]) == ["no dropout", "dropout 0.8"]
    assert "loss gap (test − train)" in table.columns
    probe = at.dataframe[1].value  # the train/eval expander's table of the first config
    assert any("Linear" in name for name in probe["layer"])


def test_dropout_page_four_configs_with_batch_norm_and_early_stopping(open_page):
    at = open_page(PAGE, timeout=90)
    at.text_input(key="dn_optim.epochs__typed").set_value("30").run()
    at.text_input(key="dn_patience__typed").set_value("3").run()
    at.toggle(key="dn_on2").set_value(True).run()
    at.toggle(key="dn_on3").set_value(True).run()
    _train(at, "dn")
    assert not at.exception
    res = at.session_state["dn_result"]
    assert len(res.runs) == 4 and all(r.best_epoch is not None for r in res.runs)
    assert "kept epoch" in at.dataframe[0].value.columns
    at.selectbox(key="dn_probe_pick").set_value(2).run()
    notes = " ".join(at.dataframe[1].value["what the mode changes"])
    assert "running mean" in notes


def test_dropout_page_small_batches_and_sweep_tabs_train(open_page):
    at = open_page(PAGE, timeout=90)
    at.text_input(key="dnb_epochs__typed").set_value("2").run()
    _train(at, "dnb")
    assert not at.exception
    assert set(at.session_state["dnb_result"].final) >= {"batch@2", "group@2", "layer@32"}
    at.multiselect(key="dns_rates").set_value([0.0, 0.5]).run()
    at.text_input(key="dns_repeats__typed").set_value("1").run()
    at.text_input(key="dns_epochs__typed").set_value("3").run()
    _train(at, "dns")
    assert not at.exception
    assert at.session_state["dns_result"].best_rate in (0.0, 0.5)
    assert any("Best p by validation loss" in s.value for s in at.success)


def test_dropout_page_bad_widths_get_a_message_not_a_crash(open_page):
    at = open_page(PAGE, timeout=90)
    at.text_input(key="dn_model.hidden").set_value("64, -3").run()
    assert not at.exception
    assert any("model.hidden" in e.value for e in at.error)
    assert at.button(key="dn_train").disabled


def test_dropout_page_digits_with_the_small_cnn_trains_without_surfaces(open_page):
    at = open_page(PAGE, timeout=90)
    at.selectbox(key="dn_data.name").set_value("digits").run()
    assert not at.exception
    at.selectbox(key="dn_model.kind").set_value("cnn").run()
    at.text_input(key="dn_optim.epochs__typed").set_value("2").run()
    _train(at, "dn")
    assert not at.exception
    res = at.session_state["dn_result"]
    assert res.grid is None and res.configs[0].model.kind == "cnn"
    assert len(at.get("plotly_chart")) == 2  # loss and accuracy curves


def test_dropout_page_opens_the_mnist_size_preset_on_the_compare_page(open_page):
    at = open_page(PAGE, timeout=90)
    at.button(key="dn_mnist").click().run()
    assert not at.exception
    assert at.title[0].value == "L1 vs L2"
    assert at.radio(key="cmp_mode").value == "mnist_mlp"


def test_dropout_page_offers_real_mnist_and_trains_it(open_page):
    at = open_page(PAGE, timeout=90)
    at.selectbox(key="dn_data.name").set_value("mnist").run()
    assert not at.exception
    assert at.selectbox(key="dn_model.kind").options == ["mlp"]  # no CNN for 28 × 28 here
    at.text_input(key="dn_optim.epochs__typed").set_value("1").run()
    _train(at, "dn")
    assert not at.exception
    res = at.session_state["dn_result"]
    assert res.grid is None and res.configs[0].data.name == "mnist"
