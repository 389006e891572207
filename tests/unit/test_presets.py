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
