"""The Learn page's one-click presets: every one loads, trains, and shows what it says."""

import pytest

import regcore
from regcore.presets import PRESETS, preset


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_all_load_and_train(name):
    cfg = preset(name)
    res = regcore.fit(cfg.replace(**{"optim.epochs": 1}))
    assert not res.diverged


def test_presets_say_what_they_show():
    dig = regcore.fit(preset("digits_logistic_l1")).metrics
    assert 0.25 < dig["zero_fraction"] < 0.5 and dig["test_acc"] > 0.9
    poly = regcore.fit(preset("polynomial_overfit")).metrics
    assert poly["test_loss"] > 4 * poly["train_loss"]
    tamed = regcore.fit(preset("polynomial_overfit").replace(**{"reg.lam": 0.01})).metrics
    assert tamed["test_loss"] < 0.7 * poly["test_loss"]
    lasso = regcore.fit(preset("sparse_lasso")).metrics
    assert lasso["zero_fraction"] > 0.5


SOURCED = sorted(n for n, p in PRESETS.items() if "check" in p)


def test_presets_faithful_ones_state_source_figures_and_mapping():
    assert {"textbook_wd_0", "textbook_wd_3", "textbook_wd_10", "adam_blog_1"} <= set(SOURCED)
    for name in SOURCED:
        item = PRESETS[name]
        assert all(item[k] for k in ("source", "published", "ours", "mapping")), name


@pytest.mark.parametrize("name", SOURCED)
def test_presets_reproduce_their_stated_figure(name):
    metric, value, rtol = PRESETS[name]["check"]
    got = regcore.fit(preset(name)).metrics[metric]
    assert abs(got - value) <= rtol * abs(value), (name, metric, got, value)


def test_presets_textbook_mapping_is_the_chapter_run_at_half_the_lr():
    """λ = 2·λ_d at half the lr takes the chapter's own steps: one step checked by hand."""
    import torch

    cfg = preset("textbook_wd_3").replace(**{"optim.epochs": 1, "dtype": "float64"})
    assert cfg.reg.lam == 6.0 and cfg.optim.lr == 0.0015
    ds = regcore.make_dataset(cfg)
    g = torch.Generator().manual_seed(0)
    w = torch.randn(200, generator=g, dtype=torch.float64)
    X, y = ds.X_train[:5], ds.y_train[:5]
    d2l = w - 0.003 * (X.T @ (X @ w - y) / 5 + 3.0 * w)  # ½·MSE + (λ_d/2)‖w‖², lr 0.003
    ours = w - 0.0015 * (2 * X.T @ (X @ w - y) / 5 + 6.0 * w)  # MSE + (λ/2)‖w‖², lr/2
    torch.testing.assert_close(ours, d2l, rtol=0, atol=1e-12)
