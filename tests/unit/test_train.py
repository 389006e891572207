"""Training: the objective against closed forms, torch optimizers and scikit-learn."""

import math
import threading

import numpy as np
import pytest
import torch
from sklearn.linear_model import Lasso

import regcore
from regcore.data.datasets import Stream, make_generator
from regcore.engine.models import build_model


def _cfg(**sections):
    return regcore.load_config(sections)


def test_train_l2_matches_closed_form_ridge():
    lam = 0.5
    cfg = _cfg(
        data={"n_train": 60, "n_features": 6, "true_w": 1.0, "noise": 0.5},
        model={"init": "zeros"},
        reg={"kind": "l2", "lam": lam},
        optim={"lr": 0.1, "batch_size": 60, "epochs": 2000},
        dtype="float64",
    )
    res = regcore.fit(cfg)
    ds = regcore.make_dataset(cfg)
    X, y = ds.X_train, ds.y_train
    Xc, yc = X - X.mean(0), y - y.mean()
    n, d = X.shape
    w_exact = torch.linalg.solve(Xc.T @ Xc + (n * lam / 2) * torch.eye(d, dtype=X.dtype), Xc.T @ yc)
    w = torch.tensor(res.weights["linear1"], dtype=torch.float64)
    torch.testing.assert_close(w, w_exact, rtol=1e-4, atol=1e-8)


def _reference_run(cfg, make_opt, penalty=None):
    """A plain PyTorch loop with the engine's init and batch order."""
    ds = regcore.make_dataset(cfg)
    model = build_model(
        cfg,
        ds.n_features,
        1,
        init=make_generator(cfg.seed, Stream.INIT),
        dropout=make_generator(cfg.seed, Stream.DROPOUT),
    ).double()
    opt = make_opt(model)
    g = make_generator(cfg.seed, Stream.BATCH)
    X, y = ds.X_train.double(), ds.y_train.double()
    for _ in range(cfg.optim.epochs):
        order = torch.randperm(X.shape[0], generator=g)
        for s in range(0, X.shape[0], cfg.optim.batch_size):
            idx = order[s : s + cfg.optim.batch_size]
            opt.zero_grad()
            loss = torch.nn.MSELoss()(model(X[idx]).squeeze(1), y[idx])
            if penalty is not None:
                loss = loss + penalty(model)
            loss.backward()
            opt.step()
    return model[0].weight.detach().reshape(-1)


@pytest.mark.parametrize("epochs", [1, 100])
def test_train_l2_penalty_equals_sgd_weight_decay(epochs):
    lam, lr = 3.0, 0.003
    cfg = _cfg(reg={"kind": "l2", "lam": lam}, optim={"epochs": epochs}, dtype="float64")
    ours = torch.tensor(regcore.fit(cfg).weights["linear1"], dtype=torch.float64)

    def sgd_wd(model):
        return torch.optim.SGD(
            [{"params": [model[0].weight], "weight_decay": lam}, {"params": [model[0].bias]}], lr=lr
        )

    ref = _reference_run(cfg, sgd_wd)
    torch.testing.assert_close(ours, ref, rtol=0, atol=1e-12)


def test_train_adam_l2_differs_from_adamw_and_adamw_is_decoupled():
    base = {
        "optim": {"name": "adam", "lr": 0.05, "batch_size": 20, "epochs": 1},
        "dtype": "float64",
    }
    lam = 1.0
    adam_l2 = regcore.fit(_cfg(**base, reg={"kind": "l2", "lam": lam}))
    adamw = regcore.fit(
        _cfg(
            **{**base, "optim": {**base["optim"], "name": "adamw"}},
            reg={"kind": "weight_decay", "lam": lam},
        )
    )
    adam_wd = regcore.fit(_cfg(**base, reg={"kind": "weight_decay", "lam": lam}))
    w_l2 = np.array(adam_l2.weights["linear1"])
    w_aw = np.array(adamw.weights["linear1"])
    assert np.max(np.abs(w_l2 - w_aw)) > 1e-3
    np.testing.assert_allclose(np.array(adam_wd.weights["linear1"]), w_aw, rtol=0, atol=1e-12)
    # one full-batch AdamW step: w ← w(1 − lr·λ) − lr·m̂/(√v̂ + ε), with m̂ = g, v̂ = g².
    cfg = _cfg(
        **{**base, "optim": {**base["optim"], "name": "adamw"}},
        reg={"kind": "weight_decay", "lam": lam},
    )
    ds = regcore.make_dataset(cfg)
    model = build_model(
        cfg,
        ds.n_features,
        1,
        init=make_generator(0, Stream.INIT),
        dropout=make_generator(0, Stream.DROPOUT),
    ).double()
    loss = torch.nn.MSELoss()(model(ds.X_train).squeeze(1), ds.y_train)
    loss.backward()
    w, g = model[0].weight.detach().reshape(-1), model[0].weight.grad.reshape(-1)
    expected = w * (1 - 0.05 * lam) - 0.05 * g / (g.abs() + 1e-8)
    np.testing.assert_allclose(w_aw, expected.numpy(), rtol=0, atol=1e-12)


def test_train_proximal_l1_matches_sklearn_lasso():
    lam = 0.2
    cfg = _cfg(
        data={
            "name": "sparse_linear",
            "n_train": 100,
            "n_features": 20,
            "true_w": 1.0,
            "noise": 0.3,
            "n_informative": 5,
        },
        model={"init": "zeros"},
        reg={"kind": "l1", "lam": lam},
        optim={"lr": 0.1, "batch_size": 100, "epochs": 2000},
        dtype="float64",
    )
    res = regcore.fit(cfg)
    ds = regcore.make_dataset(cfg)
    lasso = Lasso(alpha=lam / 2, tol=1e-12, max_iter=100_000).fit(ds.X_train, ds.y_train)
    w = np.array(res.weights["linear1"])
    np.testing.assert_allclose(w, lasso.coef_, rtol=0, atol=1e-6)
    assert set(np.flatnonzero(w)) == set(np.flatnonzero(lasso.coef_))
    assert res.metrics["zero_fraction"] > 0.5


def test_train_subgradient_l1_leaves_no_exact_zeros_where_proximal_gives_many():
    base = {
        "data": {"name": "sparse_linear", "n_train": 100, "true_w": 1.0, "noise": 0.1},
        "model": {"init": "zeros"},
        "optim": {"lr": 0.01, "batch_size": 10, "epochs": 100},
    }
    prox = regcore.fit(_cfg(**base, reg={"kind": "l1", "lam": 0.1}))
    sub = regcore.fit(_cfg(**base, reg={"kind": "l1", "lam": 0.1, "l1_solver": "subgradient"}))
    assert prox.metrics["zero_fraction"] > 0.4  # measured: 122 of 200
    assert sub.metrics["zero_fraction"] < 0.02  # measured: 0 of 200
    assert sub.metrics["near_zero_fraction"] > 0.3  # hovering near 0, not at it


@pytest.mark.parametrize(("ratio", "kind"), [(1.0, "l1"), (0.0, "l2")])
@pytest.mark.parametrize("solver", ["proximal", "subgradient"])
def test_train_elastic_net_reduces_to_its_ends(ratio, kind, solver):
    base = {
        "data": {"name": "sparse_linear", "n_train": 40},
        "optim": {"epochs": 20},
        "dtype": "float64",
    }
    reg = {"lam": 0.3, "l1_solver": solver}
    enet = regcore.fit(_cfg(**base, reg={**reg, "kind": "elastic_net", "l1_ratio": ratio}))
    solver_of_pure = {"l1_solver": solver} if kind == "l1" else {}  # l2 has no L1 solver
    pure = regcore.fit(_cfg(**base, reg={"lam": 0.3, **solver_of_pure, "kind": kind}))
    np.testing.assert_allclose(enet.weights["linear1"], pure.weights["linear1"], atol=1e-12)
    np.testing.assert_allclose(enet.history["penalty"], pure.history["penalty"], atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_train_reproduces_the_textbook_weight_decay_figures(seed):
    """d2l's λ_d = 3 with ½·MSE: same run here at λ = 3 (MSE, lr 0.003) shrinks as much."""
    data = {"seed": seed}
    none = regcore.fit(_cfg(data=data, seed=seed, reg={"kind": "none", "lam": 0.0}))
    l2 = regcore.fit(_cfg(data=data, seed=seed, reg={"kind": "l2", "lam": 3.0}))
    assert 11.5 < none.metrics["weight_l2"] < 16.0  # published 12.96 / 13.73
    assert 0.30 < l2.metrics["weight_l2"] < 0.42  # published 0.356 / 0.389
    assert none.metrics["test_loss"] > 50 * l2.metrics["test_loss"]


def test_train_streams_one_event_per_epoch_and_history_matches():
    cfg = _cfg(optim={"epochs": 7})
    events = list(regcore.train(cfg))
    assert [e.epoch for e in events] == list(range(1, 8))
    res = regcore.fit(cfg)
    assert res.history["train_loss"] == [e.train_loss for e in events]
    assert len(res.snapshots["epochs"]) == 8 and res.snapshots["epochs"][0] == 0


def _numbers(history):
    return {k: v for k, v in history.items() if k != "seconds"}


def test_train_is_deterministic_also_in_two_threads():
    cfg = _cfg(
        data={"name": "moons", "n_train": 60},
        model={"kind": "mlp", "hidden": [16], "dropout": 0.2},
        optim={"name": "adam", "lr": 0.01, "batch_size": 10, "epochs": 5},
    )
    first = _numbers(regcore.fit(cfg).history)
    assert _numbers(regcore.fit(cfg).history) == first
    out = [None, None]

    def run(i):
        out[i] = _numbers(regcore.fit(cfg).history)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out[0] == first and out[1] == first


def test_train_init_is_not_a_copy_of_a_data_row():
    cfg = _cfg(optim={"epochs": 1})
    ds = regcore.make_dataset(cfg)
    model = build_model(
        cfg,
        ds.n_features,
        1,
        init=make_generator(0, Stream.INIT),
        dropout=make_generator(0, Stream.DROPOUT),
    )
    w = model[0].weight.detach().reshape(-1).double()
    for row in torch.cat([ds.X_train, ds.X_test]):
        assert not torch.allclose(w, row, atol=1e-3)


def test_train_stop_returns_what_was_computed():
    stop = threading.Event()
    seen = []

    def on_epoch(ev):
        seen.append(ev.epoch)
        if ev.epoch == 3:
            stop.set()

    res = regcore.fit(_cfg(), stop=stop, on_epoch=on_epoch)
    assert res.stopped and res.history["epoch"] == [1, 2, 3] and seen == [1, 2, 3]
    assert res.metrics["epochs_run"] == 3


def test_train_divergence_stops_and_keeps_history_finite():
    res = regcore.fit(_cfg(reg={"kind": "none", "lam": 0.0}, optim={"lr": 5.0, "epochs": 50}))
    assert res.diverged and res.diverged_epoch is not None
    assert res.metrics["diverged"] is True
    assert all(
        math.isfinite(v) for key in ("train_loss", "test_loss", "penalty") for v in res.history[key]
    )
    assert len(res.history["epoch"]) == res.diverged_epoch - 1


def test_train_early_stopping_restores_the_best_weights():
    cfg = _cfg(
        data={"name": "polynomial", "n_train": 20, "n_features": 9, "noise": 0.3},
        model={"init": "zeros"},
        reg={"kind": "none", "lam": 0.0},
        optim={"lr": 0.05, "batch_size": 4, "epochs": 400, "early_stopping_patience": 10},
    )
    res = regcore.fit(cfg)
    assert res.best_epoch is not None
    val = res.history["val_loss"]
    assert val[res.best_epoch - 1] == min(val)
    assert res.metrics["epochs_run"] <= res.best_epoch + 10


def test_train_device_auto_records_what_ran():
    res = regcore.fit(_cfg(optim={"epochs": 1}))
    assert res.metrics["device"] == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="device = 'cuda' is not available"):
            regcore.fit(_cfg(device="cuda"))


def test_train_penalty_is_lambda_times_omega_and_only_weights():
    res = regcore.fit(_cfg(reg={"kind": "l2", "lam": 2.0}, optim={"epochs": 3}, dtype="float64"))
    w = np.array(res.weights["linear1"])
    assert res.history["penalty"][-1] == pytest.approx(2.0 * 0.5 * np.sum(w**2), rel=1e-12)
    assert res.metrics["n_weights"] == 200 and res.metrics["n_params"] == 201


def test_train_divergence_keeps_the_last_finite_weights_and_strict_json():
    import json

    res = regcore.fit(_cfg(reg={"kind": "none", "lam": 0.0}, optim={"lr": 5.0, "epochs": 50}))
    assert all(math.isfinite(w) for w in res.weights["linear1"])
    assert math.isfinite(res.metrics["train_loss"]) and math.isfinite(res.metrics["test_loss"])
    json.loads(json.dumps(res.to_dict(), allow_nan=False))


def test_train_stopped_run_snapshots_its_last_epoch():
    stop = threading.Event()

    def on_epoch(ev):
        if ev.epoch == 7:
            stop.set()

    res = regcore.fit(_cfg(), stop=stop, on_epoch=on_epoch)
    assert res.snapshots["epochs"][-1] == 7
    assert len(res.snapshots["layers"]["linear1"]) == len(res.snapshots["epochs"])


def test_train_pins_the_configs_cpu_threads_and_restores_the_callers():
    """The numbers depend on the thread count: every run (single or batched) trains with
    the config's ``threads`` (default 1) whatever its caller set, and gives it back."""
    seen: list[int] = []
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        cfg = regcore.load_config({"optim": {"epochs": 3}})
        assert cfg.threads == 1  # a config written before the field existed
        regcore.fit(cfg, probe=lambda model, epoch, final: seen.append(torch.get_num_threads()))
        assert seen == [1, 1, 1, 1] and torch.get_num_threads() == 2
        regcore.sweep(cfg, [0.1, 1.0], on_epoch=lambda ev: seen.append(torch.get_num_threads()))
        assert seen[4:] == [1, 1, 1] and torch.get_num_threads() == 2
        three = cfg.replace(threads=3)
        regcore.fit(three, probe=lambda model, epoch, final: seen.append(torch.get_num_threads()))
        assert seen[7:] == [3, 3, 3, 3] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
