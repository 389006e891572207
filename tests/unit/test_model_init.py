"""model.init is honoured identically by every engine: the MLP fast path and the linear fast
path give the autograd loop's numbers, and a batched sweep gives a single run's, for each
init (the MNIST-size comparison's "source's N(0, 1) init" variant rests on it)."""

from __future__ import annotations

import sys

import pytest
import torch

import regcore
from regcore.core import CHOICES
from regcore.data.datasets import Stream, make_generator
from regcore.engine import build_model
from regcore.engine import linear as fastpath
from regcore.engine.mlp_step import can_fast
from tests.unit.test_sweep import _assert_matches

LOOP = sys.modules["regcore.engine.loop"]
MLP = {
    "data": {"name": "classification", "n_train": 40, "n_test": 20, "n_features": 12},
    "model": {"kind": "mlp", "hidden": [10], "activation": "sigmoid"},
    "reg": {"kind": "l1", "lam": 1e-3, "l1_solver": "subgradient"},
    "optim": {"name": "sgd", "lr": 0.1, "batch_size": 8, "epochs": 5},
    "dtype": "float64",
    "device": "cpu",
}
LINEAR = {**MLP, "model": {"kind": "linear"}, "reg": {"kind": "l2", "lam": 0.01}}


def _cfg(raw: dict, init: str) -> regcore.TrainConfig:
    return regcore.load_config({**raw, "model": {**raw["model"], "init": init}})


def _same(a: regcore.RunResult, b: regcore.RunResult) -> None:
    for key in set(b.history) - {"seconds"}:
        torch.testing.assert_close(
            torch.tensor(a.history[key], dtype=torch.float64),
            torch.tensor(b.history[key], dtype=torch.float64),
            rtol=1e-9,
            atol=1e-11,
            msg=key,
        )
    for name, w in b.weights.items():
        torch.testing.assert_close(torch.tensor(a.weights[name]), torch.tensor(w))


@pytest.mark.parametrize("init", CHOICES["model.init"])
def test_model_init_mlp_fast_path_equals_autograd(init, monkeypatch):
    cfg = _cfg(MLP, init)
    assert can_fast(cfg)
    fast = regcore.fit(cfg)
    with monkeypatch.context() as m:
        m.setattr(LOOP, "can_fast", lambda _cfg: False)
        slow = regcore.fit(cfg)
    _same(fast, slow)


@pytest.mark.parametrize("init", CHOICES["model.init"])
def test_model_init_linear_fast_path_equals_autograd(init, monkeypatch):
    cfg = _cfg(LINEAR, init)
    assert fastpath.applies(cfg)
    fast = regcore.fit(cfg)
    with monkeypatch.context() as m:
        m.setattr(fastpath, "applies", lambda _cfg: False)
        slow = regcore.fit(cfg)
    _same(fast, slow)


@pytest.mark.parametrize("raw", [MLP, LINEAR], ids=["mlp", "linear"])
@pytest.mark.parametrize("init", CHOICES["model.init"])
def test_model_init_batched_sweep_equals_single_runs(init, raw):
    _assert_matches(_cfg(raw, init), [0.0, 0.01])


def test_model_init_normal_draws_unit_normal_weights_and_zero_biases():
    cfg = regcore.load_config({**MLP, "model": {"kind": "mlp", "hidden": [400], "init": "normal"}})
    g = make_generator(0, Stream.INIT)
    model = build_model(cfg, 784, 10, init=g, dropout=g, regression=False)
    first = model[0]
    assert abs(first.weight.std().item() - 1.0) < 0.01 and first.bias.abs().max() == 0
    default = build_model(cfg.replace(**{"model.init": "auto"}), 784, 10, init=g, dropout=g)
    assert default[0].weight.abs().max() <= 1 / 784**0.5  # PyTorch's U(±1/√fan_in)
