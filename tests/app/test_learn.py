"""AppTest: the Learn page states the objective, opens presets in the Playground, runs its
misconception demos, and says why λ is chosen on validation, never on the test set."""

from regcore.experiments.presets import PRESETS
from ui.learn.view import CHOOSING_ANCHOR, MYTHS

PAGE = "pages/learn.py"


def test_learn_page_renders_objective_mappings_and_presets(open_page):
    at = open_page(PAGE)
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


def test_learn_page_preset_button_opens_the_playground_with_its_config(open_page):
    at = open_page(PAGE)
    at.button(key="learn_open_sparse_lasso").click().run()
    assert not at.exception
    assert at.query_params.get("data.name") == "sparse_linear"
    assert at.title[0].value == "Playground"


def test_learn_page_sklearn_button_opens_the_comparison(open_page):
    at = open_page(PAGE)
    at.button(key="learn_open_sklearn_sparsity").click().run()
    assert not at.exception
    assert at.title[0].value == "L1 vs L2"
    assert at.radio(key="cmp_mode").value == "sklearn_sparsity"


def test_learn_page_misconception_demos_show_their_numbers(open_page):
    at = open_page(PAGE)
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


def test_learn_page_mnist_source_init_variant_opens_in_one_click(open_page):
    at = open_page(PAGE)
    captions = " ".join(c.value for c in at.caption)
    assert "With the source's N(0, 1) init on the same data the order reverses" in captions
    at.button(key="learn_open_mnist_mlp_normal").click().run()
    assert not at.exception
    assert at.title[0].value == "L1 vs L2"
    assert at.radio(key="cmp_mode").value == "mnist_mlp_normal"


def test_learn_page_explains_choosing_lambda_on_validation_and_links_its_demo(open_page):
    at = open_page(PAGE)
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
