"""The validation split: one carving of the training data for every choice, and the
sweep's choice of λ on it (never on the test set)."""

from __future__ import annotations

import math

import pytest
import torch

import regcore
from regcore.data.datasets import make_dataset
from regcore.data.splits import carve_validation, split_val
from regcore.engine.loop import pick_engine
from regcore.engine.setup import make_setup
from regcore.experiments.dropout import networks as dropout
from regcore.sweeps.lambda_sweep import SweepResult, sweep


def _rows(ds) -> set[tuple[float, ...]]:
    return {tuple(r.tolist()) for r in ds.X_train}


def test_carve_validation_is_disjoint_covers_training_and_keeps_test():
    cfg = regcore.load_config({"data": {"n_features": 8, "n_train": 30}})
    ds = make_dataset(cfg)
    fit_set, val = carve_validation(cfg, ds)
    assert len(val.y_train) == round(30 * cfg.optim.val_fraction) == 6
    assert len(fit_set.y_train) == 24
    assert not _rows(fit_set) & _rows(val)
    assert _rows(fit_set) | _rows(val) == _rows(ds)
    test_rows = {tuple(r.tolist()) for r in ds.X_test}
    assert not test_rows & _rows(val)  # nothing of the test set is held out
    for part in (fit_set, val):
        assert torch.equal(part.X_test, ds.X_test) and torch.equal(part.y_test, ds.y_test)


def test_carve_validation_is_reproducible_and_follows_the_data_seed():
    cfg = regcore.load_config({"data": {"n_features": 8, "n_train": 30}})
    a, b = carve_validation(cfg, make_dataset(cfg)), carve_validation(cfg, make_dataset(cfg))
    assert torch.equal(a[1].X_train, b[1].X_train) and torch.equal(a[0].y_train, b[0].y_train)
    # the run seed (init, batch order) does not move the split; the data seed does
    same = cfg.replace(**{"seed": 5})
    assert torch.equal(carve_validation(same, make_dataset(same))[1].X_train, a[1].X_train)
    _, order = split_val(cfg, make_dataset(cfg))
    other = cfg.replace(**{"data.seed": 1})
    assert not torch.equal(split_val(other, make_dataset(other))[1], order)


def test_one_carving_for_early_stopping_the_dropout_page_and_the_sweep():
    cfg = regcore.load_config(
        {"data": {"n_features": 8, "n_train": 25}, "optim": {"early_stopping_patience": 3}}
    )
    ds = make_dataset(cfg)
    fit_set, val = carve_validation(cfg, ds)
    s = make_setup(cfg, pick_engine(cfg), ds)  # the single-run engine's early-stopping hold-out
    torch.testing.assert_close(s.val.X.double(), val.X_train.double())
    torch.testing.assert_close(s.fit.X.double(), fit_set.X_train.double())
    assert dropout.carve_validation is carve_validation
    res = sweep(cfg.replace(**{"optim.early_stopping_patience": None}), [0.1])
    assert (res.n_fit, res.n_val) == (20, 5)


def test_carve_validation_refuses_a_single_training_sample():
    cfg = regcore.load_config({"data": {"n_features": 4, "n_train": 1}, "optim": {"batch_size": 1}})
    with pytest.raises(ValueError, match="data.n_train = 1 is too small"):
        carve_validation(cfg, make_dataset(cfg))
    with pytest.raises(ValueError, match="data.n_train"):
        sweep(cfg, [0.1])


def _result(rows: list[dict]) -> SweepResult:
    return SweepResult(
        config=regcore.TrainConfig(),
        lambdas=[r["lam"] for r in rows],
        rows=rows,
        weights=[{} for _ in rows],
        n_fit=16,
        n_val=4,
    )


def test_best_lambda_is_chosen_on_validation_not_on_test():
    rows = [
        {"lam": 0.01, "val_loss": 0.9, "test_loss": 0.30},  # lowest test loss
        {"lam": 0.1, "val_loss": 0.2, "test_loss": 0.45},  # lowest validation loss
        {"lam": 1.0, "val_loss": 0.1, "test_loss": 0.20, "diverged": True},  # never chosen
        {"lam": 10.0, "val_loss": math.nan, "test_loss": 0.35},
    ]
    res = _result(rows)
    assert res.best_index == 1 and res.test_best_index == 0
    choice = res.choice()
    assert choice["lam"] == 0.1 and choice["test_loss"] == 0.45 and choice["val_loss"] == 0.2
    assert choice["lam_by_test"] == 0.01 and choice["test_loss_by_test"] == 0.30
    assert choice["rule"] == "lowest mean validation loss" and choice["n_val"] == 4
    assert res.to_dict()["choice"] == choice


def test_no_validation_column_means_no_choice():
    res = _result([{"lam": 0.1, "test_loss": 0.3}])  # an export from before validation
    assert res.best_index is None and res.choice() is None


def test_sweep_choice_on_the_default_experiment_uses_the_validation_column():
    res = sweep({"optim": {"epochs": 20}}, [1e-3, 0.1, 3.0, 30.0], repeats=2)
    vals = [r["val_loss"] for r in res.rows]
    assert res.best_index == vals.index(min(vals))
    assert all("val_loss_std" in r for r in res.rows)
    assert len(res.history["val_loss"][0]) == 20


def test_live_progress_carries_the_validation_loss():
    seen = []
    res = sweep({"optim": {"epochs": 5}}, [0.1, 3.0], on_epoch=seen.append)
    assert len(seen) == 5 and len(seen[-1].val_loss) == 2
    assert list(seen[-1].val_loss) == pytest.approx([h[-1] for h in res.history["val_loss"]])
