"""AppTest: every tab of the Dropout & norm page is linkable. Selecting a tab and setting
its settings puts both in the address bar; opening that link in a fresh session opens the
tab (the tab bar shows it) with those settings in its widgets, and the tab has its own
"Copy link"."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from regcore.links import TABS
from tests.app.conftest import link_of

P = "dn"
# tab -> its label, its prefix and the widget changes tried (kind, name, value, link text);
# "typed": a whole-number box typed as text (its value under the field's own key)
CASES = {
    "sweep": [
        ("multiselect", "rates", [0.0, 0.5], "0.0,0.5"),
        ("typed", "repeats", 5, "5"),
        ("typed", "epochs", 40, "40"),
    ],
    "small": [
        ("typed", "epochs", 30, "30"),
        ("radio", "metric", "test_acc", "test_acc"),
    ],
    "biasvar": [
        ("multiselect", "rates", [0.1, 0.9], "0.1,0.9"),
        ("typed", "repeats", 6, "6"),
    ],
}
SUFFIX = {"sweep": "s", "small": "b", "biasvar": "v"}


PAGE = "pages/dropout.py"


def _open_index(at: AppTest) -> int:
    (bar,) = at.get("tab_container")
    return bar.proto.tab_container.default_tab_index


def test_dropout_tabs_side_by_side_is_the_default_and_not_in_the_link(open_page):
    at = open_page(PAGE)
    assert "dropout.tab" not in link_of(at) and _open_index(at) == 0


@pytest.mark.parametrize("name", list(CASES))
def test_dropout_tabs_a_tab_and_its_settings_travel_in_the_link(open_page, name):
    label = TABS[name][0]
    at = open_page(PAGE, timeout=90)
    at.session_state[f"{P}_tab"] = label  # what a click on the tab sets
    at.run()
    assert link_of(at)["dropout.tab"] == name
    prefix = f"{P}{SUFFIX[name]}"
    for kind, field, value, text in CASES[name]:
        if kind == "typed":
            at.text_input(key=f"{prefix}_{field}__typed").set_value(text).run()
            assert not at.exception, field
            assert link_of(at)[f"dropout.tab_{field}"] == text, field
            continue
        widget = getattr(at, kind)(key=f"{prefix}_{field}")
        if kind == "multiselect":  # set_value is additive there: clear first
            for v in list(widget.value):
                widget.unselect(v)
            for v in value:
                widget.select(v)
            widget.run()
        else:
            widget.set_value(value).run()
        assert not at.exception, field
        assert link_of(at)[f"dropout.tab_{field}"] == text, field
    labels = [p.proto.popover.label for p in at.get("popover")]
    assert labels.count("Copy link") >= 2  # its own, and Side by side's

    again = open_page(PAGE, link_of(at), timeout=90)
    assert again.session_state[f"{P}_tab"] == label
    assert _open_index(again) == list(TABS).index(name)  # the tab bar opens on it
    for kind, field, value, _ in CASES[name]:
        held = (
            again.session_state[f"{prefix}_{field}"]
            if kind == "typed"
            else getattr(again, kind)(key=f"{prefix}_{field}").value
        )
        assert held == value, field
    assert link_of(again) == link_of(at)  # and writes the same link back
    assert not again.warning


def test_dropout_tabs_a_bad_tab_setting_is_named_and_the_tab_still_opens(open_page):
    query = {"dropout.p": "0.0,0.8", "dropout.tab": "small", "dropout.tab_epochs": "900"}
    at = open_page(PAGE, query)
    assert any("dropout.tab_epochs" in w.value for w in at.warning)
    assert at.session_state[f"{P}_tab"] == "Small batches"
    assert at.session_state[f"{P}b_epochs"] == TABS["small"][1].epochs


def test_dropout_tabs_bias_variance_trains_its_runs_at_once(open_page):
    from tests.app.conftest import wait_for_job

    at = open_page(PAGE, {"dropout.tab": "biasvar", "dropout.tab_repeats": "2"}, timeout=90)
    note = next(c.value for c in at.caption if "= 12 runs of 200 epochs" in c.value)
    assert "all at once" in note and "estimated time here" in note  # before Measure
    at.button(key=f"{P}v_train").click().run()
    wait_for_job(at, f"{P}v")
    assert not at.exception
    res = at.session_state[f"{P}v_result"]
    assert not res.stopped and res.rates == [0.0, 0.3, 0.6] and len(res.total) == 3
    assert at.get("plotly_chart")
