"""Batched λ sweeps equal sequential engine runs; stop, divergence, repeats, fallback."""

from __future__ import annotations

import threading

import pytest
import torch

import regcore
from regcore.core.results import SweepProgress
from regcore.data.datasets import make_dataset
from regcore.data.splits import carve_validation
from regcore.sweeps.lambda_sweep import exact_path, fit_split, run_result, sweep
from regcore.sweeps.sequential import fit_validated

LAMS = [0.0, 0.03, 0.3]
TOL = {"float64": (1e-10, 1e-10), "float32": (1e-4, 1e-5)}  # (rtol, atol)

TASKS = {
    "linear": {"data": {"n_features": 30}, "optim": {"epochs": 15}},
    "softmax": {
        "data": {
            "name": "classification",
            "n_train": 40,
            "n_test": 30,
            "n_features": 10,
            "n_classes": 3,
        },
        "optim": {"batch_size": 8, "lr": 0.1, "epochs": 10},
    },
    "mlp": {
        "data": {"name": "moons", "n_train": 40, "n_test": 30, "noise": 0.2},
        "model": {"kind": "mlp", "hidden": [12, 6], "activation": "tanh"},
        "optim": {"batch_size": 7, "lr": 0.1, "epochs": 10},
    },
}
REGS = {
    "none": {"kind": "none"},
    "l1_proximal": {"kind": "l1"},
    "l2": {"kind": "l2"},
    "elastic_net": {"kind": "elastic_net", "l1_ratio": 0.3},
}


def _cfg(task: str, reg: str, dtype: str, **optim) -> regcore.TrainConfig:
    raw = {k: dict(v) for k, v in TASKS[task].items()}
    raw["optim"] = {**raw["optim"], **optim}
    return regcore.load_config({**raw, "reg": REGS[reg], "dtype": dtype, "device": "cpu"})


def _assert_matches(cfg: regcore.TrainConfig, lams=LAMS) -> None:
    """Each λ of the batched sweep equals a sequential fit on the same fit split, with
    the validation loss of its final model on the same held-out samples."""
    rtol, atol = TOL[cfg.dtype]
    res = sweep(cfg, lams)
    assert res.batched and len(res.rows) == len(lams)
    fit_set, val = carve_validation(cfg, make_dataset(cfg))
    assert (res.n_fit, res.n_val) == (len(fit_set.y_train), len(val.y_train))
    for k, lam in enumerate(lams):
        ref = fit_validated(cfg.replace(**{"reg.lam": lam}), fit_set, val)
        for name, w in ref.weights.items():
            torch.testing.assert_close(
                torch.tensor(res.weights[k][name]), torch.tensor(w), rtol=rtol, atol=atol
            )
        for key in ("train_loss", "val_loss", "test_loss"):
            torch.testing.assert_close(
                torch.tensor(res.history[key][k]),
                torch.tensor(ref.history[key]),
                rtol=rtol,
                atol=atol,
            )
        keys = ("train_loss", "val_loss", "test_loss", "weight_l2")
        for key in (*keys, "train_acc", "val_acc", "test_acc"):
            if key in ref.metrics:
                assert res.rows[k][key] == pytest.approx(ref.metrics[key], rel=rtol, abs=atol)
        assert res.rows[k]["zero_fraction"] == ref.metrics["zero_fraction"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("reg", list(REGS))
@pytest.mark.parametrize("task", list(TASKS))
def test_sweep_equals_sequential_fits(task, reg, dtype):
    _assert_matches(_cfg(task, reg, dtype))


@pytest.mark.parametrize(
    "optim",
    [
        {"name": "sgd", "momentum": 0.9},
        {"name": "adam", "lr": 0.01},
        {"name": "adamw", "lr": 0.01},
    ],
)
@pytest.mark.parametrize("reg", ["l2", "weight_decay"])
def test_sweep_equals_sequential_fits_for_each_optimizer(optim, reg):
    cfg = _cfg("softmax", "l2", "float64", **optim).replace(**{"reg.kind": reg})
    _assert_matches(cfg)
    _assert_matches(_cfg("mlp", "l2", "float64", **optim).replace(**{"reg.kind": reg}))


@pytest.mark.parametrize("task", ["linear", "mlp"])
def test_sweep_equals_sequential_fits_for_proximal_l1_with_momentum(task):
    # the soft-threshold is lr·λ·α/(1 − μ) in both (tests/unit/test_prox_momentum.py)
    _assert_matches(_cfg(task, "elastic_net", "float64", momentum=0.9))


@pytest.mark.parametrize("optim", ["adam", "adamw"])
@pytest.mark.parametrize("task", ["linear", "mlp"])
def test_sweep_equals_sequential_fits_for_proximal_l1_with_adam(task, optim):
    # the soft-threshold is lr·λ·α/(√v̂ + ε) entry by entry in both (test_prox_adam.py)
    _assert_matches(_cfg(task, "elastic_net", "float64", name=optim, lr=0.01))
    _assert_matches(_cfg(task, "l1_proximal", "float64", name=optim, lr=0.01))


def test_sweep_equals_sequential_for_subgradient_l1_and_bias_penalty():
    cfg = _cfg("linear", "l1_proximal", "float64").replace(**{"reg.l1_solver": "subgradient"})
    _assert_matches(cfg)
    _assert_matches(_cfg("linear", "l2", "float64").replace(**{"reg.penalize_bias": True}))


def test_sweep_default_config_history_matches_in_float32():
    _assert_matches(regcore.load_config({"device": "cpu"}), [0.0, 3.0, 10.0])


def test_sweep_stop_returns_the_epochs_computed():
    stop = threading.Event()
    seen: list[SweepProgress] = []

    def on_epoch(ev: SweepProgress) -> None:
        seen.append(ev)
        if ev.epoch == 3:
            stop.set()

    res = sweep(regcore.load_config({}), [0.1, 1.0], stop=stop, on_epoch=on_epoch)
    assert res.stopped and len(seen) == 3
    assert len(res.history["test_loss"][0]) == 3 and res.rows[0]["epochs_run"] == 3
    assert seen[-1].test_loss == pytest.approx([h[-1] for h in res.history["test_loss"]])


def test_sweep_marks_a_diverging_lambda_and_keeps_the_others():
    cfg = regcore.load_config({"reg": {"kind": "weight_decay"}, "optim": {"lr": 0.5, "epochs": 20}})
    res = sweep(cfg, [0.0, 3.9])  # lr·λ = 1.95: the decay factor −0.95 alone is stable
    ref = regcore.fit(cfg.replace(**{"reg.lam": 0.0}), data=fit_split(cfg))
    assert ref.diverged
    assert res.rows[0]["diverged"] and res.rows[0]["epochs_run"] == ref.diverged_epoch - 1
    assert all(torch.isfinite(torch.tensor(h)).all() for h in res.history["test_loss"])
    assert all(torch.isfinite(torch.tensor(res.weights[0]["linear1"])))


def test_sweep_repeats_give_mean_and_std_per_lambda():
    cfg = regcore.load_config({"optim": {"epochs": 10}})
    res = sweep(cfg, [0.1, 3.0], repeats=3)
    assert res.repeats == 3 and "test_loss_std" in res.rows[0]
    runs = []
    for r in range(3):
        c = cfg.replace(**{"reg.lam": 3.0, "seed": r, "data.seed": r})
        runs.append(fit_validated(c, *carve_validation(c, make_dataset(c))))
    for key in ("test_loss", "val_loss"):
        losses = torch.tensor([r.metrics[key] for r in runs], dtype=torch.float64)
        assert res.rows[1][key] == pytest.approx(float(losses.mean()), rel=1e-4)
        assert res.rows[1][f"{key}_std"] == pytest.approx(float(losses.std()), rel=1e-3)


def test_sweep_repeats_of_a_softmax_with_a_short_last_batch():
    cfg = _cfg("softmax", "l2", "float64", batch_size=7)  # 32 fit rows: the last batch has 4
    res = sweep(cfg, [0.03], repeats=2)
    runs = []
    for r in range(2):
        c = cfg.replace(**{"reg.lam": 0.03, "seed": r, "data.seed": r})
        runs.append(fit_validated(c, *carve_validation(c, make_dataset(c))))
    losses = torch.tensor([r.metrics["test_loss"] for r in runs], dtype=torch.float64)
    assert res.rows[0]["test_loss"] == pytest.approx(float(losses.mean()), rel=1e-10)


def test_sweep_falls_back_to_sequential_runs_for_dropout():
    cfg = _cfg("mlp", "l2", "float32").replace(**{"model.dropout": 0.2, "optim.epochs": 3})
    res = sweep(cfg, [0.0, 0.1])
    assert not res.batched and len(res.rows) == 2
    ref = fit_validated(cfg.replace(**{"reg.lam": 0.1}), *carve_validation(cfg, make_dataset(cfg)))
    for key in ("test_loss", "val_loss"):
        assert res.rows[1][key] == ref.metrics[key]
    assert len(res.history["val_loss"][1]) == 3 and res.best_index is not None


def test_sweep_rejects_out_of_range_lambdas():
    with pytest.raises(ValueError, match="reg.lam"):
        sweep({}, [0.1, 1000.0])


def test_sweep_to_dict_and_run_result():
    res = sweep({"optim": {"epochs": 3}}, [0.1, 1.0])
    d = res.to_dict()
    assert d["lambdas"] == [0.1, 1.0] and set(d["rows"][0]) >= {"lam", "test_loss", "diverged"}
    run = run_result(res, 1)
    assert run.config.reg.lam == 1.0 and run.history["epoch"] == [1, 2, 3]


def test_exact_ridge_path_meets_a_long_sgd_run():
    # full batch: constant-step minibatch SGD keeps a noise floor around the optimum
    cfg = regcore.load_config(
        {"dtype": "float64", "optim": {"epochs": 2000, "batch_size": 20, "lr": 0.03}}
    )
    lams = [3.0, 10.0]
    ex = exact_path(cfg, lams, data=fit_split(cfg))  # the samples the sweep's models fit
    res = sweep(cfg, lams)
    for k in range(2):
        gap = torch.tensor(ex.coefs[k]) - torch.tensor(res.weights[k]["linear1"])
        assert float(gap.norm()) < 1e-6
    assert exact_path(regcore.load_config({"reg": {"kind": "none"}}), lams) is None


def test_sweep_refuses_a_total_that_is_too_large_for_the_server():
    cfg = regcore.load_config(
        {
            "data": {
                "name": "classification",
                "n_train": 20_000,
                "n_features": 784,
                "n_classes": 10,
            },
            "model": {"kind": "mlp", "hidden": [200]},
            "optim": {"epochs": 20, "batch_size": 64},
        }
    )
    with pytest.raises(ValueError, match="sweep is too large"):
        regcore.sweep(cfg, [0.1] * 64, repeats=4)
