"""A page's own whole numbers and a lesson's answer are typed boxes read on the server: a
browser's number field turned a typed "1,5" into 15. A refused text keeps the page's button
off and its message under the box; a decimal comma in a decimal answer reads as a point."""

from __future__ import annotations

from tests.app.conftest import link_of


def _errors(at) -> str:
    return " ".join(e.value for e in at.error)


def test_sweep_repeats_typed_with_a_comma_are_refused_and_sweep_stays_off(open_page):
    at = open_page("pages/sweep.py")
    at.text_input(key="sw_r__typed").set_value("1,5").run()
    assert "repeats: '1,5' is not a whole number" in _errors(at)
    assert at.button(key="sw_go").disabled
    assert at.session_state["sw_r"] != 15 and "15" not in link_of(at).get("sweep.repeats", "")
    at.text_input(key="sw_r__typed").set_value("2").run()
    assert not at.button(key="sw_go").disabled and at.session_state["sw_r"] == 2
    assert link_of(at)["sweep.repeats"] == "2"


def test_compare_epochs_out_of_range_or_ambiguous_keep_train_all_off(open_page):
    at = open_page("pages/compare.py")
    box = at.text_input(key="cmp_epochs_regularizers__typed")
    box.set_value("1,000").run()
    assert "epochs: '1,000'" in _errors(at) and at.button(key="cmp_train").disabled
    at.text_input(key="cmp_epochs_regularizers__typed").set_value("5000").run()
    assert "allowed 1 to 2,000" in _errors(at) and at.button(key="cmp_train").disabled
    at.text_input(key="cmp_epochs_regularizers__typed").set_value("40").run()
    assert not at.error and not at.button(key="cmp_train").disabled
    assert link_of(at)["optim.epochs"] == "40"


def test_dropout_tab_repeats_refused_turn_only_that_tab_off(open_page):
    at = open_page("pages/dropout.py", timeout=90)
    at.text_input(key="dns_repeats__typed").set_value("2.5").run()
    assert "not a whole number" in _errors(at)
    assert at.button(key="dns_train").disabled  # the rate-sweep tab's button
    assert not at.button(key="dnb_train").disabled  # another tab: untouched
    at.text_input(key="dns_repeats__typed").set_value("2").run()
    assert not at.button(key="dns_train").disabled and at.session_state["dns_repeats"] == 2


def test_lesson_answers_read_a_decimal_comma_and_refuse_a_whole_number_comma(open_page):
    at = open_page("pages/lessons.py")
    at.text_input(key="lesson_l1_l2_answer__typed").set_value("0,1").run()
    assert at.session_state["lesson_l1_l2_answer"] == 0.1
    assert any("read 0,1 as 0.1" in c.value for c in at.caption)
    at.text_input(key="lesson_norms_answer__typed").set_value("1,5").run()
    assert "batch size: '1,5' is not a whole number" in _errors(at)
    assert at.button(key="lesson_check_norms").disabled
    assert not at.button(key="lesson_check_l1_l2").disabled
