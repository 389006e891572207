"""The bias–variance tab's networks with dropout trained at once (regcore.batched.dropout)
give the single runs' predictions: the same initial weights, batch orders and dropout masks
(to the last digits in float64; to float32 round-off, grown by training, in float32); the
estimate follows the batched cost."""

from __future__ import annotations

import math
import time

import pytest
import torch

import regcore
from regcore.batched import can_batch_dropout
from regcore.serve import bias_variance_dropout_work
from regcore.serve.estimate import seconds_of
from regcore.sweeps import bias_variance_dropout
from regcore.sweeps.biasvar import _predict_batched, _predict_sequential, _runs, fresh_datasets

NET = {
    "data": {"name": "polynomial", "n_features": 1, "n_train": 20, "n_test": 30, "noise": 0.3},
    "model": {"kind": "mlp", "hidden": [16, 16], "activation": "tanh"},
    "reg": {"kind": "none", "lam": 0.0},
    "optim": {"name": "adam", "lr": 0.01, "batch_size": 10, "epochs": 15},
}
RATES = [0.0, 0.3, 0.6]


def _both(cfg):
    datasets, _ = fresh_datasets(cfg, 2)
    runs = _runs(cfg, datasets, 2)
    configs = [cfg.replace(**{"model.dropout": p}) for p in RATES]
    seq, _ = _predict_sequential(configs, runs, None)
    at_once, stopped = _predict_batched(cfg, RATES, runs, None, None)
    assert not stopped
    return seq, at_once


@pytest.mark.parametrize(("dtype", "tol"), [("float64", 1e-12), ("float32", 1e-4)])
def test_batched_dropout_predicts_as_the_single_runs(dtype, tol):
    cfg = regcore.load_config({**NET, "dtype": dtype})
    assert can_batch_dropout(cfg) and can_batch_dropout(cfg.replace(**{"model.dropout": 0.5}))
    seq, at_once = _both(cfg)
    assert torch.isfinite(seq).all() and seq.shape == at_once.shape == (4, 3, 30)
    torch.testing.assert_close(at_once, seq, rtol=0, atol=tol)
    assert (seq[:, 1] - seq[:, 0]).abs().max() > 1e-3  # the masks changed the networks


def test_batched_dropout_leaves_normalized_nets_to_the_single_runs():
    cfg = regcore.load_config({**NET, "model": {**NET["model"], "norm": "layer"}})
    assert not can_batch_dropout(cfg)
    done = []
    bv = bias_variance_dropout(cfg, [0.0, 0.5], 2, on_progress=lambda a, b: done.append((a, b)))
    assert done[-1] == (8, 8) and all(math.isfinite(t) for t in bv.total)


def test_batched_dropout_stops_and_says_so():
    calls = []
    bv = bias_variance_dropout(NET, RATES, 2, stop=lambda: len(calls) >= 3,
                               on_progress=lambda a, b: calls.append(a))  # fmt: skip
    assert bv.stopped and calls == [1, 2, 3]
    assert all(math.isnan(t) for t in bv.total)


def test_batched_dropout_estimate_is_near_the_measured_time():
    cfg = regcore.load_config({**NET, "optim": {**NET["optim"], "epochs": 60}})
    bias_variance_dropout(cfg.replace(**{"optim.epochs": 2}), RATES, 2)  # warm
    t0 = time.perf_counter()
    bias_variance_dropout(cfg, RATES, 4)
    took = time.perf_counter() - t0
    est = seconds_of(bias_variance_dropout_work(cfg, RATES, 4))
    assert took / 6 < est < took * 6, (est, took)  # loosely: a shared machine's load varies
