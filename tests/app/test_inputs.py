"""AppTest: typed numbers are read as typed or refused with the bound; links say what changed."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import wait_for_job

P = "pg"


def _texts(at: AppTest) -> list[str]:
    return [e.value for kind in ("error", "warning", "info") for e in getattr(at, kind)]


def test_inputs_1e3_in_a_whole_number_field_is_1000(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("2")  # well inside any time budget
    at.text_input(key=f"{P}_data.n_train__typed").set_value("1e3").run()  # what "1e3" types
    assert not at.exception
    assert not any("training samples" in e.value for e in at.error)
    assert at.session_state[f"{P}_cfg"].data.n_train == 1000
    assert at.session_state[f"{P}_cfg"].optim.batch_size == 5  # not dropped to 1


def test_inputs_fraction_in_a_whole_number_field_is_refused(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("2.5").run()
    assert not at.exception
    assert any("epochs: 2.5 is not a whole number" in e.value for e in at.error)
    assert at.button(key=f"{P}_train").disabled
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "2.5"  # kept as typed, not 2


def test_inputs_out_of_range_names_the_bound_and_never_trains_the_old_value(
    playground: AppTest,
) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("3").run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("5000").run()
    assert any("epochs: 5000 is out of range: allowed 1 to 2,000" in e.value for e in at.error)
    assert at.button(key=f"{P}_train").disabled
    assert (
        at.text_input(key=f"{P}_optim.epochs__typed").value == "5000"
    )  # not clamped behind one's back
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("4").run()
    assert not at.error and not at.button(key=f"{P}_train").disabled


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("1,5", "training samples: '1,5' is not a whole number: type digits (no comma or point)"),
        ("1,000", "training samples: '1,000' has a comma that could be a thousands separator"),
        ("1.5", "training samples: 1.5 is not a whole number: allowed 1 to 20,000"),
    ],
)
def test_inputs_whole_number_with_a_comma_is_refused_never_another_number(
    playground: AppTest, text: str, refusal: str
) -> None:
    """Chromium's number field turned a typed 1,5 training samples into 15: 15 trained."""
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("7").run()  # entered before
    box = f"{P}_data.n_train__typed"
    at.text_input(key=box).set_value(text).run()
    assert not at.exception
    said = [e.value for e in at.sidebar.error if e.value.startswith("training samples")]
    assert len(said) == 1 and said[0].startswith(refusal), said
    assert said[0].endswith("allowed 1 to 20,000"), said  # names the range
    assert at.button(key=f"{P}_train").disabled
    assert at.text_input(key=box).value == text  # kept as typed
    assert at.session_state[f"{P}_data.n_train"] == 20  # the held value: not 15, 1 or 1000
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "7"  # the rest is kept
    at.text_input(key=box).set_value("1000").run()
    assert not at.error and not at.button(key=f"{P}_train").disabled
    cfg = at.session_state[f"{P}_cfg"]
    assert (cfg.data.n_train, cfg.optim.epochs) == (1000, 7)


def test_inputs_digits_size_over_the_set_names_the_reason(playground: AppTest) -> None:
    at = playground
    at.selectbox(key=f"{P}_data.name").set_value("digits").run()
    at.text_input(key=f"{P}_data.n_train__typed").set_value("1797").run()
    assert any("digits has 1,797 rows" in e.value for e in at.error)
    assert at.button(key=f"{P}_train").disabled


def test_inputs_link_with_markdown_is_shown_literally_on_every_page(open_page) -> None:
    evil = "[log in again](https://evil.example/login)"
    for page in (None, "pages/sweep.py", "pages/compare.py", "pages/learn.py"):
        for params in ({"data.name": evil}, {evil: "1"}, {"__proto__": "1"}):
            at = open_page(page, params)
            texts = _texts(at)
            assert texts, (page, params)
            for text in texts:
                assert not re.findall(r"(?<!\\)[\[\]]", text), text  # every bracket escaped
                assert "__proto__" not in text  # escaped: \_\_proto\_\_
            assert any(w in t for t in texts for w in ("log in again", "proto", "data.name")), texts


def test_inputs_long_link_value_is_truncated(open_page) -> None:
    at = open_page(None, {"data.name": "x" * 5000})
    texts = _texts(at)
    assert texts and all(len(t) < 700 for t in texts)


def test_inputs_too_large_link_says_too_large_and_trains_nothing_new(open_page) -> None:
    at = open_page(
        None,
        {
            "model.kind": "mlp",
            "model.hidden": "1024,1024,1024,1024,1024,1024",
            "data.n_train": "20000",
            "optim.epochs": "2000",
        },
    )
    texts = _texts(at)
    assert any("too large" in t for t in texts)
    assert not any("hidden is empty" in t for t in texts)
    cfg = at.session_state[f"{P}_cfg"]
    assert cfg is None or cfg.optim.epochs * cfg.data.n_train < 20000 * 2000


def test_inputs_digits_link_clamped_with_a_note(open_page) -> None:
    at = open_page(None, {"data.name": "digits", "data.n_train": "5000"})
    notes = [i.value for i in at.info if "Changed for you" in i.value]
    assert notes and "data.n\\_train" not in notes[0]  # readable, not over-escaped
    assert "5,000" in notes[0] and "1,797" in notes[0]
    cfg = at.session_state[f"{P}_cfg"]
    assert cfg.data.n_train + cfg.data.n_test <= 1797 and cfg.data.n_test > 1


def test_inputs_learn_page_says_it_ignores_link_settings(open_page) -> None:
    at = open_page("pages/learn.py", {"reg.lam": "0.1"})
    assert any("not used here" in i.value for i in at.info)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    page=st.sampled_from([None, "pages/sweep.py", "pages/compare.py"]),
    params=st.dictionaries(
        st.one_of(st.sampled_from(["data.name", "model.kind", "reg.lam", "present"]), st.text()),
        st.text(max_size=80),
        min_size=1,
        max_size=4,
    ),
)
def test_inputs_fuzzed_links_never_raise_on_a_page(open_page, page, params) -> None:
    at = open_page(page, params)  # asserts no exception
    assert all("Traceback" not in t for t in _texts(at))


def test_inputs_typed_lambda_out_of_range_is_refused_not_replaced(playground: AppTest) -> None:
    at = playground
    lam = f"{P}_reg.lam__typed"
    at.text_input(key=lam).set_value("-1").run()
    assert not at.exception
    assert any("strength λ: -1 is out of range: allowed 0 to 100" in e.value for e in at.error)
    assert at.button(key=f"{P}_train").disabled  # never trains the slider's old λ instead
    assert at.text_input(key=lam).value == "-1"  # kept as typed
    at.text_input(key=lam).set_value("6").run()  # a valid value clears the refusal
    assert not any("strength λ" in e.value for e in at.error)
    assert not at.button(key=f"{P}_train").disabled
    assert at.session_state[f"{P}_reg.lam"] == 6.0
    at.text_input(key=lam).set_value("").run()  # a cleared box shows the slider's value
    assert at.text_input(key=lam).value == "6"


@pytest.mark.parametrize(
    ("box", "field", "text", "value"),
    [
        ("reg.lam__typed", "reg.lam", "0,5", 0.5),
        ("optim.lr__typed", "optim.lr", "0,003", 0.003),
        ("data.noise__typed", "data.noise", "0,05", 0.05),
    ],
)
def test_inputs_decimal_comma_reads_as_a_decimal_point_with_a_note(
    playground: AppTest, box: str, field: str, text: str, value: float
) -> None:
    at = playground
    at.text_input(key=f"{P}_{box}").set_value(text).run()
    assert not at.exception
    cfg = at.session_state[f"{P}_cfg"]
    assert cfg.flat()[field] == value  # 0,5 is 0.5: never 5
    assert any(f"read {text} as {value:g} (a decimal comma)" in c.value for c in at.caption)
    assert at.text_input(key=f"{P}_{box}").value == f"{value:g}"
    assert not at.button(key=f"{P}_train").disabled


def test_inputs_ambiguous_comma_is_refused_naming_the_separator(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_reg.lam__typed").set_value("1,000").run()
    assert not at.exception
    texts = [e.value for e in at.error]
    assert any("decimal comma or a thousands separator" in t for t in texts)
    assert at.button(key=f"{P}_train").disabled
    assert at.session_state[f"{P}_reg.lam"] == 3.0  # the slider's λ, not 1 or 1000


def test_inputs_typed_learning_rate_zero_names_the_label(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.lr__typed").set_value("0").run()
    texts = [e.value for e in at.error]
    refusal = "learning rate: 0 is out of range: allowed greater than 0"
    assert any(t.startswith(refusal) for t in texts)
    assert not any("optim.lr" in t for t in texts)
    assert at.button(key=f"{P}_train").disabled


@pytest.mark.parametrize("page", [None, "pages/sweep.py", "pages/dropout.py"])
def test_inputs_a_refused_typed_value_is_said_once(open_page, page: str | None) -> None:
    at = open_page(page)
    prefix = {None: P, "pages/sweep.py": "sw", "pages/dropout.py": "dn"}[page]
    at.text_input(key=f"{prefix}_optim.lr__typed").set_value("0").run()
    assert not at.exception
    said = [e.value for e in at.error if "learning rate: 0 is out of range" in e.value]
    assert len(said) == 1, said  # under the field, not again in the main area
    assert any("sidebar" in e.value for e in at.main.error)  # the main area points to it
