"""regcore.engine.linear: the written-out linear single run gives the generic loop's numbers."""

import threading

import pytest
import torch

import regcore
from regcore.engine import linear as fastpath

REGRESSION = {
    "data": {"name": "sparse_linear", "n_train": 23, "n_test": 11, "n_features": 9},
    "optim": {"batch_size": 5, "lr": 0.05, "epochs": 8},
}
SOFTMAX = {
    "data": {"name": "classification", "n_train": 26, "n_test": 9, "n_features": 4, "n_classes": 3},
    "optim": {"batch_size": 6, "lr": 0.2, "epochs": 8},
}
REGS = [
    {"kind": "none"},
    {"kind": "l2", "lam": 0.3},
    {"kind": "l2", "lam": 0.3, "penalize_bias": True},
    {"kind": "l1", "lam": 0.05},
    {"kind": "l1", "lam": 0.05, "l1_solver": "subgradient"},
    {"kind": "elastic_net", "lam": 0.2, "l1_ratio": 0.4},
    {"kind": "elastic_net", "lam": 0.2, "l1_ratio": 0.4, "l1_solver": "subgradient"},
    {"kind": "weight_decay", "lam": 0.3},
]
OPTIMS = [{"name": "sgd"}, {"name": "sgd", "momentum": 0.8}, {"name": "adam"}, {"name": "adamw"}]


def _both(raw: dict, monkeypatch) -> tuple[regcore.RunResult, regcore.RunResult]:
    cfg = regcore.load_config({**raw, "dtype": "float64", "device": "cpu"})
    assert fastpath.applies(cfg)
    fast = regcore.fit(cfg)
    with monkeypatch.context() as m:
        m.setattr(fastpath, "applies", lambda cfg: False)
        generic = regcore.fit(cfg)
    return fast, generic


def _assert_same(fast: regcore.RunResult, generic: regcore.RunResult) -> None:
    assert fast.history.keys() == generic.history.keys()
    for key, values in generic.history.items():
        if key == "seconds":
            continue
        torch.testing.assert_close(
            torch.tensor(fast.history[key], dtype=torch.float64),
            torch.tensor(values, dtype=torch.float64),
            rtol=1e-9,
            atol=1e-12,
            msg=key,
        )
    for name, w in generic.weights.items():
        torch.testing.assert_close(
            torch.tensor(fast.weights[name]), torch.tensor(w), rtol=1e-9, atol=1e-12
        )
    assert fast.snapshots["epochs"] == generic.snapshots["epochs"]
    assert (fast.diverged_epoch, fast.best_epoch, fast.stopped) == (
        generic.diverged_epoch,
        generic.best_epoch,
        generic.stopped,
    )


@pytest.mark.parametrize("reg", REGS, ids=lambda r: "-".join(str(v) for v in r.values()))
@pytest.mark.parametrize("task", [REGRESSION, SOFTMAX], ids=["regression", "softmax"])
def test_fastpath_matches_the_autograd_loop_for_every_regularizer(task, reg, monkeypatch):
    _assert_same(*_both({**task, "reg": reg}, monkeypatch))


@pytest.mark.parametrize("optim", OPTIMS[1:], ids=lambda o: "-".join(map(str, o.values())))
@pytest.mark.parametrize("reg", [REGS[1], REGS[5], REGS[7]], ids=["l2", "enet", "decay"])
def test_fastpath_matches_the_autograd_loop_for_every_optimizer(reg, optim, monkeypatch):
    raw = {**REGRESSION, "reg": reg, "optim": {**REGRESSION["optim"], **optim}}
    _assert_same(*_both(raw, monkeypatch))


@pytest.mark.parametrize(
    ("optim", "ends"),
    [
        ({"epochs": 30, "early_stopping_patience": 2}, "best_epoch"),
        ({"lr": 5.0, "epochs": 30}, "diverged_epoch"),
    ],
    ids=["early_stopping", "divergence"],
)
def test_fastpath_early_stopping_and_divergence_match_the_autograd_loop(optim, ends, monkeypatch):
    fast, generic = _both({**REGRESSION, "optim": {**REGRESSION["optim"], **optim}}, monkeypatch)
    _assert_same(fast, generic)
    assert getattr(fast, ends) is not None


def test_fastpath_is_the_playground_default_and_deterministic():
    cfg = regcore.load_config({"device": "cpu"})
    assert fastpath.applies(cfg)
    a, b = list(regcore.train(cfg)), list(regcore.train(cfg))
    strip = [{**vars(e), "seconds": 0} for e in a]
    assert strip == [{**vars(e), "seconds": 0} for e in b]
    assert [e.epoch for e in a] == list(range(1, cfg.optim.epochs + 1))


def test_fastpath_stops_between_epochs():
    stop = threading.Event()
    seen = []
    for ev in regcore.train(regcore.load_config({"device": "cpu"}), stop=stop):
        seen.append(ev.epoch)
        if ev.epoch == 4:
            stop.set()
    assert seen == [1, 2, 3, 4]
