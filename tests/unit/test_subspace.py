"""Sweeps of linear regression with n ≪ d train in the span of the training rows
(regcore.batched.subspace) and still equal the sequential full-space runs."""

from __future__ import annotations

import pytest
import torch

import regcore
from regcore.batched.subspace import uses_subspace
from regcore.data.datasets import make_dataset
from regcore.data.splits import carve_validation
from regcore.sweeps.lambda_sweep import fit_split, sweep
from regcore.sweeps.sequential import fit_validated

LAMS = [0.0, 0.5, 3.0, 30.0]
TOL = {"float64": (1e-10, 1e-10), "float32": (1e-4, 1e-5)}


def _check(cfg: regcore.TrainConfig, lams=LAMS, repeats: int = 1) -> None:
    assert uses_subspace(cfg, make_dataset(cfg))
    rtol, atol = TOL[cfg.dtype]
    res = sweep(cfg, lams, repeats=repeats)
    assert res.batched
    for k, lam in enumerate(lams):
        refs = []
        for r in range(repeats):
            c = cfg.replace(
                **{"reg.lam": lam, "seed": cfg.seed + r, "data.seed": cfg.data.seed + r}
            )
            refs.append(fit_validated(c, *carve_validation(c, make_dataset(c))))
        ref = refs[0]
        torch.testing.assert_close(
            torch.tensor(res.weights[k]["linear1"]),
            torch.tensor(ref.weights["linear1"]),
            rtol=rtol,
            atol=atol,
        )
        for key in ("train_loss", "val_loss", "test_loss", "weight_l2", "zero_fraction"):
            mean = torch.tensor([r.history[key] for r in refs], dtype=torch.float64).mean(0)
            torch.testing.assert_close(
                torch.tensor(res.history[key][k], dtype=torch.float64), mean, rtol=rtol, atol=atol
            )
            final = sum(r.metrics[key] for r in refs) / repeats
            assert res.rows[k][key] == pytest.approx(final, rel=rtol, abs=atol)
        assert res.rows[k]["n_params"] == ref.metrics["n_params"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kind", ["none", "l2", "weight_decay"])
def test_subspace_sweep_equals_sequential_runs(kind, dtype):
    cfg = regcore.load_config(
        {"reg": {"kind": kind}, "dtype": dtype, "device": "cpu", "optim": {"epochs": 30}}
    )
    _check(cfg)


def test_subspace_sweep_with_uneven_batches_penalized_bias_and_repeats():
    cfg = regcore.load_config(
        {
            "dtype": "float64",
            "data": {"seed": 0},
            "reg": {"penalize_bias": True},
            "optim": {"epochs": 12, "batch_size": 6},  # 16 fit rows: batches of 6, 6, 4
        }
    )
    _check(cfg, repeats=3)
    _check(cfg.replace(**{"optim.batch_size": 5}), repeats=2)


def test_subspace_sweep_keeps_exact_zeros_of_constant_features(tmp_path):
    # 30 rows (24 train, 19 fit), 60 features of which 10 are constant: their weights only decay,
    # so from zero initial weights they stay exactly 0, as in the full-space run
    g = torch.Generator().manual_seed(0)
    X = torch.randn(30, 60, generator=g, dtype=torch.float64)
    X[:, :10] = 1.5
    y = X[:, 10:15].sum(1) + 0.1 * torch.randn(30, generator=g, dtype=torch.float64)
    lines = [",".join([f"x{j}" for j in range(60)] + ["y"])]
    lines += [",".join(f"{v:.6f}" for v in [*X[i].tolist(), float(y[i])]) for i in range(30)]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(lines) + "\n")
    cfg = regcore.load_config(
        {
            "data": {"name": "csv", "path": str(path), "target": "y", "n_train": 24, "n_test": 6},
            "model": {"init": "zeros"},
            "dtype": "float64",
            "optim": {"epochs": 20, "lr": 0.01},
        }
    )
    _check(cfg, [0.0, 1.0])
    res = sweep(cfg, [1.0])
    assert res.rows[0]["zero_fraction"] == pytest.approx(10 / 60)


def test_subspace_is_used_only_where_it_holds():
    cfg = regcore.load_config({})
    ds = make_dataset(cfg)
    assert uses_subspace(cfg, ds)
    for change in (
        {"optim.momentum": 0.9},
        {"optim.name": "adam"},
        {"reg.kind": "l1"},
        {"reg.kind": "elastic_net"},
    ):
        assert not uses_subspace(cfg.replace(**change), ds)
    wide = cfg.replace(**{"data.n_features": 40})  # 20 rows span half of 41 dimensions
    assert not uses_subspace(wide, make_dataset(wide))


def test_subspace_sweep_marks_divergence_like_the_full_space_run():
    # float32 overflow: the full-space run checks every minibatch's loss, the sweep each
    # epoch's rows, so a run that grows slowly may be caught one epoch apart
    cfg = regcore.load_config({"reg": {"kind": "l2"}, "optim": {"lr": 0.1, "epochs": 30}})
    lams = [0.0, 1.0, 5.0]  # the full-space runs diverge in epochs 14, 14 and 18
    res = sweep(cfg, lams)
    for k, lam in enumerate(lams):
        ref = regcore.fit(cfg.replace(**{"reg.lam": lam}), data=fit_split(cfg))
        assert ref.diverged and res.rows[k]["diverged"]
        run = res.rows[k]["epochs_run"]
        assert abs(run - (ref.diverged_epoch - 1)) <= 1
        t = min(run, ref.diverged_epoch - 1)
        torch.testing.assert_close(
            torch.tensor(res.history["train_loss"][k][:t]),
            torch.tensor(ref.history["train_loss"][:t]),
            rtol=1e-4,
            atol=0.0,
        )
    fast = cfg.replace(**{"optim.lr": 0.5, "reg.kind": "weight_decay"})
    res = sweep(fast, [0.0, 3.9])  # fast growth: caught in the same epoch
    for k, lam in enumerate([0.0, 3.9]):
        ref = regcore.fit(fast.replace(**{"reg.lam": lam}), data=fit_split(fast))
        assert res.rows[k]["epochs_run"] == ref.diverged_epoch - 1
        assert all(torch.isfinite(torch.tensor(res.weights[k]["linear1"])))
