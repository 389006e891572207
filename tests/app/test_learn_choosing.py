"""AppTest: the Learn page says why λ is chosen on validation, never on the test set, and
points at the misconception demo that measures it."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.learn.view import CHOOSING_ANCHOR, MYTHS

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_learn_page_explains_choosing_lambda_on_validation_and_links_its_demo():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/learn.py").run()
    assert not at.exception
    head = next(h for h in at.subheader if "never chosen on the test set" in h.value)
    assert head.proto.anchor == CHOOSING_ANCHOR  # the λ sweep page's "why" link lands here
    text = next(m.value for m in at.markdown if "optimistic" in m.value)
    n = list(MYTHS).index("lambda_on_test") + 1
    assert f"Misconception {n} below" in text and MYTHS["lambda_on_test"].myth in text
    assert "validation split" in text and "optim.val_fraction" in text
    at.button(key="learn_myth_lambda_on_test").click().run()
    assert not at.exception
    verdict = at.session_state["learn_myth_lambda_on_test_result"].values
    assert verdict["reported_by_test"] < verdict["new_by_test"]  # the optimism, measured
