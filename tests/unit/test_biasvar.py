"""Bias² + variance + noise matches the measured expected test error within sampling error."""

from __future__ import annotations

import pytest
import torch

import regcore
from regcore.sweeps.biasvar import bias_variance, fresh_datasets

CASES = {
    "linear": {"data": {"noise": 1.0, "n_train": 40, "n_features": 20}, "optim": {"epochs": 30}},
    "sparse_linear": {
        "data": {"name": "sparse_linear", "noise": 0.5, "n_train": 50, "n_features": 30},
        "reg": {"kind": "l1"},
        "optim": {"epochs": 30},
    },
    "polynomial": {
        "data": {"name": "polynomial", "n_features": 6, "n_train": 30, "noise": 0.3},
        "model": {"init": "zeros"},
        "optim": {"lr": 0.05, "epochs": 100},
    },
}


def _assert_identity(bv, k: int) -> None:
    """bias² + variance + noise is the total, and the measured error is within 4 SE of it."""
    total = bv.bias2[k] + bv.variance[k] + bv.noise
    assert bv.total[k] == pytest.approx(total)
    assert abs(bv.measured[k] - total) < 4 * bv.identity_se[k]


@pytest.mark.parametrize("name", list(CASES))
def test_biasvar_identity_holds_within_sampling_error(name):
    bv = bias_variance(CASES[name], [1e-3, 0.1, 1.0, 10.0], repeats=32)
    for k in range(4):
        _assert_identity(bv, k)
        assert bv.bias2[k] >= 0 and bv.variance[k] >= 0


def test_biasvar_strong_penalty_trades_variance_for_bias():
    poly = {
        "data": {"name": "polynomial", "n_features": 10, "n_train": 15, "noise": 0.3},
        "model": {"init": "zeros"},
        "optim": {"lr": 0.05, "epochs": 300, "batch_size": 15},
    }
    bv = bias_variance(poly, [1e-4, 1.0], repeats=16)
    assert bv.variance[1] < bv.variance[0] and bv.bias2[1] > bv.bias2[0]
    assert bv.noise == pytest.approx(0.09)


def test_biasvar_fresh_sets_share_the_truth_and_the_test_inputs():
    cfg = regcore.load_config(CASES["sparse_linear"])
    sets, f = fresh_datasets(cfg, 3)
    truth = regcore.make_dataset(cfg).true_w
    assert all(torch.equal(s.true_w, truth) for s in sets)
    assert torch.equal(sets[0].X_test, sets[2].X_test)
    assert not torch.equal(sets[0].X_train, sets[1].X_train)
    assert torch.allclose(sets[0].X_test @ truth + cfg.data.true_b, f)


def test_biasvar_needs_a_known_truth():
    with pytest.raises(ValueError, match="data.name"):
        bias_variance({"data": {"name": "moons"}}, [0.1], repeats=4)


NET = {
    "data": {"name": "polynomial", "n_features": 1, "n_train": 30, "n_test": 60, "noise": 0.3},
    "model": {"kind": "mlp", "hidden": [32], "activation": "tanh"},
    "reg": {"kind": "none", "lam": 0.0},
    "optim": {"name": "adam", "lr": 0.01, "batch_size": 10, "epochs": 12},
}


def test_biasvar_identity_holds_for_an_mlp_with_dropout():
    from regcore.sweeps.biasvar import bias_variance_dropout

    done = []
    bv = bias_variance_dropout(NET, [0.0, 0.5], repeats=6, on_progress=lambda a, b: done.append(a))
    assert bv.over == "model.dropout" and bv.rates == [0.0, 0.5] and done[-1] == 12
    for k in range(2):
        _assert_identity(bv, k)
        assert bv.variance[k] > 0


def test_biasvar_over_lambda_accepts_normalized_mlps_sequentially():
    cfg = {**NET, "model": {**NET["model"], "norm": "layer", "dropout": 0.2}, "reg": {"kind": "l2"}}
    bv = bias_variance(cfg, [1e-3, 1.0], repeats=3)
    assert bv.over == "reg.lam" and bv.rates is None and len(bv.bias2) == 2
    for k in range(2):
        assert abs(bv.measured[k] - bv.total[k]) < 4 * bv.identity_se[k]


def test_bias_variance_marks_diverged_lambdas() -> None:
    import regcore
    from regcore.sweeps.biasvar import bias_variance

    # 5 features: the data loss is stable at lr 0.1; the penalty's own step lr·λ = 10 > 2 is not
    cfg = regcore.load_config({"data": {"n_features": 5}, "optim": {"lr": 0.1}})
    res = bias_variance(cfg, [1e-3, 100.0], repeats=2)
    assert res.diverged == [False, True]
    calm = bias_variance(regcore.load_config({}), [1e-3, 1.0], repeats=2)
    assert calm.diverged == [False, False]
