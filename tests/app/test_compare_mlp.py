"""AppTest: the L1 vs L2 page runs the MLP experiment's presets beside the published figures."""


def test_compare_mlp_digits_preset_shows_the_source_accuracies_beside_ours(open_page):
    at = open_page("pages/compare.py")
    at.radio(key="cmp_mode").set_value("digits_mlp").run()
    assert not at.exception
    assert at.select_slider(key="cmp_lam_digits_mlp_l2").value == 0.01
    assert at.select_slider(key="cmp_lam_digits_mlp_l1").value == 1e-4
    at.text_input(key="cmp_epochs_digits_mlp__typed").set_value("2").run()
    at.button(key="cmp_train").click().run()
    assert at.session_state["cmp_job"].wait(60), "the comparison did not finish"
    at.run()
    assert not at.exception
    res = at.session_state["cmp_result"]
    assert [c.reg.lam for c in res.configs] == [0.0, 0.01, 1e-4]
    table = at.dataframe[0].value
    assert list(table["source's test acc"]) == [0.9188, 0.8514, 0.8947]
    assert "test acc" in table.columns
    assert any("Why ours differ" in c.value for c in at.caption)
