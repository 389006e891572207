"""The plain-MLP fast path (regcore.engine.mlp_step) gives the generic autograd loop's numbers."""

import math
import sys

import pytest
import torch

import regcore
import regcore.engine.mlp_step as mlp_fast
from regcore.data.datasets import Stream, make_generator
from regcore.engine.metrics import accuracy
from regcore.engine.mlp_step import FastMLP, can_fast
from regcore.engine.models import build_model

TRAIN = sys.modules["regcore.engine.loop"]
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
    "momentum_enet_proximal": (
        CLASSIFY,
        {"optim": {"momentum": 0.9}, "reg": {"kind": "elastic_net", "lam": 0.02}},
    ),
    "regression_l2": (REGRESS, {"reg": {"kind": "l2", "lam": 0.01}}),
    "regression_relu_l1": (REGRESS, {"model": {"activation": "relu"}, "reg": {"kind": "l1"}}),
    "early_stopping": (CLASSIFY, {"optim": {"epochs": 12, "early_stopping_patience": 2}}),
    "regression_two_layers": (REGRESS, {"model": {"hidden": [7, 5]}, "reg": {"kind": "l2"}}),
    "batch_size_one": (CLASSIFY, {"optim": {"batch_size": 1, "epochs": 2}}),
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


def test_mlp_fast_runs_are_estimated_with_the_fast_paths_own_constants():
    from regcore.serve.costs import run_terms

    fast = regcore.load_config(CLASSIFY)
    slow = fast.replace(**{"model.dropout": 0.5})  # autograd: its own, dearer step
    assert "mlp_step" in run_terms(fast) and "autograd_step" in run_terms(slow)


def _model(cfg, in_dim: int, out_dim: int, seed: int = 0):
    g = make_generator(seed, Stream.INIT)
    kw = {"init": g, "dropout": g, "regression": out_dim == 1}
    return build_model(cfg, in_dim, out_dim, **kw).double()


@pytest.mark.parametrize("rows", [1, 7, 40, 4096])
def test_evaluate_in_chunks_gives_the_models_loss_and_accuracy(rows, monkeypatch):
    """The transposed output layer and the chunking (a last short chunk included) give
    F.cross_entropy's mean and ``accuracy`` of the model's own forward pass."""
    monkeypatch.setattr(mlp_fast, "EVAL_ROWS", rows)
    cfg = regcore.load_config(_merge(CLASSIFY, {"model": {"hidden": [6, 5]}}))
    model = _model(cfg, 12, 4)
    X = torch.randn(45, 12, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    y = torch.randint(0, 4, (45,), generator=torch.Generator().manual_seed(2))
    loss, acc = FastMLP(cfg, model, classify=True).evaluate(X, y)
    with torch.no_grad():
        out = model(X)
    assert loss == pytest.approx(float(torch.nn.functional.cross_entropy(out, y)), rel=1e-12)
    assert acc == accuracy(out, y)


def test_evaluate_regression_is_the_mean_squared_error(monkeypatch):
    monkeypatch.setattr(mlp_fast, "EVAL_ROWS", 4)
    cfg = regcore.load_config(REGRESS)
    model = _model(cfg, 4, 1)
    X = torch.randn(23, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    y = torch.randn(23, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    loss, acc = FastMLP(cfg, model, classify=False).evaluate(X, y)
    with torch.no_grad():
        expected = float((model(X)[:, 0] - y).pow(2).mean())
    assert acc is None and loss == pytest.approx(expected, rel=1e-12)


def test_evaluate_breaks_ties_as_argmax_does():
    """All logits equal (zero weights): arg-max picks the first class, as ``accuracy`` does."""
    cfg = regcore.load_config(CLASSIFY)
    model = _model(cfg, 12, 3)
    for p in model.parameters():
        p.data.zero_()
    X = torch.randn(30, 12, dtype=torch.float64)
    y = torch.tensor([0, 1, 2] * 10)
    loss, acc = FastMLP(cfg, model, classify=True).evaluate(X, y)
    assert acc == pytest.approx(1 / 3)
    assert loss == pytest.approx(math.log(3.0))


def test_one_step_equals_autograd_on_a_short_batch():
    """A step on m rows (m not the configured batch size) is one autograd SGD step with
    the mean loss over those m rows, the L2 share folded into the update."""
    cfg = regcore.load_config(_merge(CLASSIFY, {"reg": {"kind": "l2", "lam": 0.05}}))
    model = _model(cfg, 12, 3)
    ref = _model(cfg, 12, 3)
    X = torch.randn(9, 12, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    y = torch.randint(0, 3, (9,), generator=torch.Generator().manual_seed(6))
    idx = torch.tensor([4, 0, 7])
    FastMLP(cfg, model, classify=True).step(X, y, idx)
    loss = torch.nn.functional.cross_entropy(ref(X[idx]), y[idx])
    weights = [m.weight for m in ref.modules() if isinstance(m, torch.nn.Linear)]
    loss = loss + 0.05 * 0.5 * sum(w.pow(2).sum() for w in weights)
    loss.backward()
    with torch.no_grad():
        for p in ref.parameters():
            p -= cfg.optim.lr * p.grad
    for a, b in zip(model.parameters(), ref.parameters(), strict=True):
        torch.testing.assert_close(a, b, **TOL)


def test_step_works_outside_epoch_after_an_epoch_made_its_state():
    """Buffers and momentum made inside ``epoch`` (inference mode) stay usable by a plain
    ``step`` call, and the model's weights still train with autograd afterwards."""
    cfg = regcore.load_config(_merge(CLASSIFY, {"optim": {"momentum": 0.5}}))
    model = _model(cfg, 12, 3)
    fast = FastMLP(cfg, model, classify=True)
    X = torch.randn(16, 12, dtype=torch.float64, generator=torch.Generator().manual_seed(7))
    y = torch.randint(0, 3, (16,), generator=torch.Generator().manual_seed(8))
    fast.epoch(X, y, torch.arange(16), 16)
    before = [p.clone() for p in fast.parameters()]
    fast.step(X, y, torch.arange(8))
    assert all(not torch.equal(a, b) for a, b in zip(before, fast.parameters(), strict=True))
    torch.nn.functional.cross_entropy(model(X), y).backward()
    assert all(p.grad is not None for p in model.parameters())
