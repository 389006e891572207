"""AppTest: the Learn page states the objective and opens presets in the Playground."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from regcore.experiments.presets import PRESETS
from ui.learn.view import MYTHS

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_learn_page_renders_objective_mappings_and_presets():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/learn.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Lasso(alpha=a)" in text and "a = λ/2" in text and "a = n·λ/2" in text
    assert len(at.latex) == 1
    buttons = [b for b in at.button if b.key and b.key.startswith("learn_open_")]
    assert len(buttons) == len(PRESETS) + 3  # and three sourced comparisons of L1 vs L2
    captions = " ".join(c.value for c in at.caption)
    assert "Reproduced by the tests within: ‖w‖₂ = 13.32 ± 5 %" in captions
    # the textbook's ½·MSE beside our MSE: both figures in both units
    assert "0.010 as ½·MSE, the chapter's own loss, i.e. 0.020 as MSE" in captions
    assert "Ours: test loss 0.021 as MSE, i.e. 0.0105 as ½·MSE" in captions


def test_learn_page_preset_button_opens_the_playground_with_its_config():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/learn.py").run()
    at.button(key="learn_open_sparse_lasso").click().run()
    assert not at.exception
    assert at.query_params.get("data.name") == "sparse_linear"
    assert at.title[0].value == "Playground"


def test_learn_page_sklearn_button_opens_the_comparison():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/learn.py").run()
    at.button(key="learn_open_sklearn_sparsity").click().run()
    assert not at.exception
    assert at.title[0].value == "L1 vs L2"
    assert at.radio(key="cmp_mode").value == "sklearn_sparsity"


def test_learn_page_misconception_demos_show_their_numbers():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/learn.py").run()
    assert not at.exception
    buttons = [b for b in at.button if b.key and b.key.startswith("learn_myth_")]
    assert len(buttons) == len(MYTHS) == 8
    at.button(key="learn_myth_weight_decay_l1").click().run()
    assert not at.exception
    assert "is L2" in at.success[0].value
    table = " ".join(md.value for md in at.markdown if "| measured |" in md.value)
    assert "largest \\|w_wd − w_L2\\|" in table  # bars escaped: one row, two cells
    at.button(key="learn_myth_dropout_test_scaling").click().run()
    assert len(at.success) == 2  # the first demo's numbers stay on screen
    assert any("1/(1−p) = 2" in s.value for s in at.success)


def test_learn_page_mnist_source_init_variant_opens_in_one_click():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/learn.py").run()
    captions = " ".join(c.value for c in at.caption)
    assert "With the source's N(0, 1) init on the same data the order reverses" in captions
    at.button(key="learn_open_mnist_mlp_normal").click().run()
    assert not at.exception
    assert at.title[0].value == "L1 vs L2"
    assert at.radio(key="cmp_mode").value == "mnist_mlp_normal"
