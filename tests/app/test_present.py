"""AppTest: presentation mode (sidebar toggle, ?present=1) and settings kept across pages."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import wait_for_job


def test_present_link_turns_it_on_and_stays_in_the_link(open_page) -> None:
    at = open_page(None, {"present": "1", "reg.kind": "l1"})
    assert not at.exception and not at.warning  # "present" is not a config field
    assert at.toggle(key="present_toggle").value is True
    assert at.query_params["present"] in ("1", ["1"])
    assert at.selectbox(key="pg_reg.kind").value == "l1"
    expanders = {e.label: e.proto.expanded for e in at.expander}
    assert expanders["Regularizer"] and not expanders["Data set"]  # controls collapsed


def test_present_mode_draws_larger_figures(open_page) -> None:
    import json

    from regcore.figures.style import FONT_SIZE

    at = open_page(None, {"present": "1", "optim.epochs": "3"})
    at.button(key="pg_train").click().run()
    wait_for_job(at, "pg")
    assert not at.exception
    sizes = [json.loads(c.proto.spec)["layout"]["font"]["size"] for c in at.get("plotly_chart")]
    assert sizes and all(s > FONT_SIZE for s in sizes)


def test_present_toggle_turns_it_on(playground: AppTest) -> None:
    at = playground
    at.toggle(key="present_toggle").set_value(True).run()
    assert not at.exception
    assert at.session_state["present_mode"] is True  # the browser test checks the address bar


def test_present_regularizer_is_the_first_sidebar_control(playground: AppTest) -> None:
    labels = [e.label for e in playground.sidebar.expander]
    assert labels[0] == "Regularizer"


def test_present_sweep_and_compare_settings_survive_a_page_switch(playground: AppTest) -> None:
    at = playground
    at.switch_page("pages/sweep.py").run()
    at.slider(key="sw_k").set_value(64).run()
    at.switch_page("pages/compare.py").run()
    at.multiselect(key="cmp_kinds").set_value(["l1", "l2"]).run()
    at.switch_page("pages/learn.py").run()
    at.switch_page("pages/sweep.py").run()
    assert at.slider(key="sw_k").value == 64
    at.switch_page("pages/compare.py").run()
    assert at.multiselect(key="cmp_kinds").value == ["l1", "l2"]
    assert not at.exception
