"""The plain-MLP fast path (regcore.mlp_fast) gives the generic autograd loop's numbers."""

import sys

import pytest
import torch

import regcore
from regcore.mlp_fast import can_fast

TRAIN = sys.modules["regcore.train"]
TOL = {"rtol": 1e-9, "atol": 1e-11}

CLASSIFY = {
    "data": {
        "name": "classification",
        "n_train": 45,
        "n_test": 20,
        "n_features": 12,
        "n_classes": 3,
        "noise": 0.1,
    },
    "model": {"kind": "mlp", "hidden": [10, 6], "activation": "sigmoid"},
    "optim": {"name": "sgd", "lr": 0.3, "batch_size": 8, "epochs": 6},
    "dtype": "float64",
    "device": "cpu",
}
REGRESS = {
    "data": {"name": "polynomial", "n_train": 23, "n_test": 15, "n_features": 4, "noise": 0.2},
    "model": {"kind": "mlp", "hidden": [9], "activation": "tanh"},
    "optim": {"name": "sgd", "lr": 0.05, "batch_size": 5, "epochs": 6},
    "dtype": "float64",
    "device": "cpu",
}
CASES = {
    "none": (CLASSIFY, {"reg": {"kind": "none"}}),
    "l2": (CLASSIFY, {"reg": {"kind": "l2", "lam": 0.05}}),
    "l1_proximal": (CLASSIFY, {"reg": {"kind": "l1", "lam": 0.01}}),
    "l1_subgradient": (CLASSIFY, {"reg": {"kind": "l1", "lam": 0.01, "l1_solver": "subgradient"}}),
    "elastic_net": (CLASSIFY, {"reg": {"kind": "elastic_net", "lam": 0.02, "l1_ratio": 0.3}}),
    "elastic_net_sub": (
        CLASSIFY,
        {"reg": {"kind": "elastic_net", "lam": 0.02, "l1_solver": "subgradient"}},
    ),
    "weight_decay": (CLASSIFY, {"reg": {"kind": "weight_decay", "lam": 0.05}}),
    "bias_penalized": (CLASSIFY, {"reg": {"kind": "l1", "lam": 0.01, "penalize_bias": True}}),
    "relu_momentum_l2": (
        CLASSIFY,
        {"model": {"activation": "relu"}, "optim": {"momentum": 0.9}, "reg": {"lam": 0.01}},
    ),
    "momentum_decay": (
        CLASSIFY,
        {
            "optim": {"momentum": 0.5},
            "reg": {"kind": "weight_decay", "lam": 0.05, "penalize_bias": True},
        },
    ),
    "momentum_l1_sub": (
        CLASSIFY,
        {
            "optim": {"momentum": 0.5},
            "reg": {
                "kind": "elastic_net",
                "lam": 0.02,
                "l1_solver": "subgradient",
                "penalize_bias": True,
            },
        },
    ),
    "regression_l2": (REGRESS, {"reg": {"kind": "l2", "lam": 0.01}}),
    "regression_relu_l1": (REGRESS, {"model": {"activation": "relu"}, "reg": {"kind": "l1"}}),
    "early_stopping": (CLASSIFY, {"optim": {"epochs": 12, "early_stopping_patience": 2}}),
}


def _merge(base: dict, changes: dict) -> dict:
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for k, v in changes.items():
        out[k] = {**out.get(k, {}), **v} if isinstance(v, dict) else v
    return out


def _generic(cfg, monkeypatch, **kw):
    with monkeypatch.context() as m:
        m.setattr(TRAIN, "can_fast", lambda _cfg: False)
        return regcore.fit(cfg, **kw)


def _assert_same(fast, slow) -> None:
    assert fast.history.keys() == slow.history.keys()
    for key in set(slow.history) - {"seconds"}:
        torch.testing.assert_close(
            torch.tensor(fast.history[key], dtype=torch.float64),
            torch.tensor(slow.history[key], dtype=torch.float64),
            **TOL,
            msg=key,
        )
    for name in slow.weights:
        torch.testing.assert_close(
            torch.tensor(fast.weights[name]), torch.tensor(slow.weights[name]), **TOL
        )
    for key in ("train_loss", "test_loss", "weight_l2", "zero_fraction", "epochs_run"):
        assert fast.metrics[key] == pytest.approx(slow.metrics[key], rel=1e-9, abs=1e-11)
    assert fast.best_epoch == slow.best_epoch and fast.diverged_epoch == slow.diverged_epoch
    assert fast.snapshots["epochs"] == slow.snapshots["epochs"]


@pytest.mark.parametrize("case", CASES)
def test_mlp_fast_equals_the_autograd_loop(case, monkeypatch):
    base, changes = CASES[case]
    cfg = regcore.load_config(_merge(base, changes))
    assert can_fast(cfg)
    _assert_same(regcore.fit(cfg), _generic(cfg, monkeypatch))


def test_mlp_fast_makes_the_same_exact_zeros_as_the_autograd_loop(monkeypatch):
    cfg = regcore.load_config(_merge(CLASSIFY, {"reg": {"kind": "l1", "lam": 0.05}}))
    fast, slow = regcore.fit(cfg), _generic(cfg, monkeypatch)
    assert fast.metrics["zero_fraction"] > 0.2
    for name in slow.weights:
        zf = torch.tensor(fast.weights[name]) == 0
        assert torch.equal(zf, torch.tensor(slow.weights[name]) == 0)


def test_mlp_fast_reports_divergence_at_the_same_epoch(monkeypatch):
    cfg = regcore.load_config(
        _merge(REGRESS, {"optim": {"lr": 10.0}, "model": {"activation": "relu"}})
    )
    fast, slow = regcore.fit(cfg), _generic(cfg, monkeypatch)
    assert slow.diverged_epoch is not None and fast.diverged_epoch == slow.diverged_epoch
    _assert_same(fast, slow)
    assert all(torch.isfinite(torch.tensor(w)).all() for w in fast.weights.values())


def test_mlp_fast_stops_between_epochs_and_keeps_what_was_computed():
    cfg = regcore.load_config(CLASSIFY)
    events = []
    res = regcore.fit(cfg, stop=lambda: len(events) >= 2, on_epoch=events.append)
    assert res.stopped and res.history["epoch"] == [1, 2]


def test_mlp_fast_is_used_only_for_plain_sgd_mlps():
    cfg = regcore.load_config(CLASSIFY)
    assert can_fast(cfg)
    assert not can_fast(cfg.replace(**{"model.dropout": 0.5}))
    assert not can_fast(cfg.replace(**{"model.norm": "layer"}))
    assert not can_fast(cfg.replace(**{"optim.name": "adam"}))


def test_mlp_fast_float32_agrees_with_the_autograd_loop(monkeypatch):
    cfg = regcore.load_config(_merge(CLASSIFY, {"dtype": "float32"}))
    fast, slow = regcore.fit(cfg), _generic(cfg, monkeypatch)
    torch.testing.assert_close(
        torch.tensor(fast.history["test_loss"]),
        torch.tensor(slow.history["test_loss"]),
        rtol=1e-4,
        atol=1e-5,
    )


def test_mlp_fast_runs_are_estimated_with_the_calibrated_share():
    from dataclasses import replace

    from regcore.estimate import Calibration, estimate_seconds

    cal = Calibration(fast_share=0.3)
    fast = regcore.load_config(CLASSIFY)
    slow = fast.replace(**{"model.dropout": 0.5})
    full = estimate_seconds(fast, replace(cal, fast_share=1.0))
    assert estimate_seconds(fast, cal) == pytest.approx(0.3 * full)
    assert estimate_seconds(slow, cal) == pytest.approx(full)
