"""AppTest: the Dropout & norm page's link holds its full state. For a link written after
changing each control, ``configs_from_query(link)`` equals the configs the page trains;
a shared link seeds the controls; hostile values are named and dropped, the rest kept."""

from __future__ import annotations

import urllib.parse

from streamlit.testing.v1 import AppTest

import regcore
from regcore.links import configs_from_query
from tests.app.conftest import link_of, wait_for_job

P = "dn"
PAGE = "pages/dropout.py"


def _trained(at: AppTest) -> tuple:
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P, timeout=120)
    assert not at.exception
    res = at.session_state[f"{P}_result"]
    return res.configs


CHANGES = [
    ("text_input", "data.n_train__typed", "24"),
    ("text_input", "data.noise__typed", "0.3"),
    ("text_input", "model.hidden", "16, 8"),
    ("selectbox", "model.activation", "tanh"),
    ("text_input", "optim.batch_size__typed", "8"),
    ("text_input", "patience__typed", "2"),
    ("text_input", "seed__typed", "5"),
    ("toggle", "on2", True),
    ("select_slider", "p1", 0.3),
    ("selectbox", "norm2", "layer"),
    ("selectbox", "reg0", "weight_decay"),
]


def test_dropout_link_after_each_control_decodes_to_what_the_page_trains(open_page):
    at = open_page(PAGE, timeout=90)
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("3").run()
    assert configs_from_query(link_of(at)) == _trained(at)
    for kind, name, value in CHANGES:
        getattr(at, kind)(key=f"{P}_{name}").set_value(value).run()
        assert not at.exception, name
        link = link_of(at)
        assert configs_from_query(link) == _trained(at), name
    assert regcore.from_query(link).model.hidden == (16, 8)
    assert "dropout.reg" in link and "dropout.norm" in link


def test_dropout_link_opens_its_networks_and_names_hostile_values(open_page):
    query = (
        "data.name=xor&optim.epochs=4&model.hidden=12&optim.lr=evil"
        "&dropout.p=0.0,0.25,0.0&dropout.reg=none,none,l2&dropout.lam=0,0,0.0015"
        "&dropout.norm=none,<script>,none"
    )
    at = open_page(PAGE, query, timeout=90)
    warnings = " ".join(w.value for w in at.warning)
    assert "optim.lr = 'evil'" in warnings and "dropout.norm" in warnings
    assert at.selectbox(key=f"{P}_data.name").value == "xor"
    assert at.toggle(key=f"{P}_on2").value and not at.toggle(key=f"{P}_on3").value
    assert at.select_slider(key=f"{P}_p1").value == 0.25
    assert at.select_slider(key=f"{P}_lam2").value == 0.0015
    configs = _trained(at)
    assert [c.model.dropout for c in configs] == [0.0, 0.25, 0.0]
    assert configs[2].reg.kind == "l2" and configs[2].reg.lam == 0.0015
    assert configs[0].optim.epochs == 4 and configs[0].model.hidden == (12,)
    assert configs_from_query(link_of(at)) == configs
    assert "evil" not in urllib.parse.urlencode(link_of(at))


def test_dropout_link_settings_survive_a_page_switch(open_page):
    at = open_page(PAGE, timeout=90)
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("7").run()
    at.toggle(key=f"{P}_on2").set_value(True).run()
    at.select_slider(key=f"{P}_p1").set_value(0.4).run()
    before = link_of(at)
    at.switch_page("pages/playground.py").run()  # the Playground writes its own link
    at.switch_page("pages/dropout.py").run()
    assert not at.exception
    assert at.toggle(key=f"{P}_on2").value and at.select_slider(key=f"{P}_p1").value == 0.4
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "7"
    assert link_of(at) == before


def test_dropout_link_with_config_fields_only_opens_on_a_fresh_visit(open_page):
    at = open_page(PAGE, "optim.epochs=9&seed=2", timeout=90)
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "9"
    assert at.text_input(key=f"{P}_seed__typed").value == "2"
    assert link_of(at)["dropout.p"] == "0.0,0.8"
