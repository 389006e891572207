"""Dropout & norm engine: side-by-side runs, surfaces, the dropout sweep, small batches."""

from __future__ import annotations

import pytest
import torch

import regcore
from regcore.core.results import StepMetrics
from regcore.data.datasets import make_dataset
from regcore.experiments.dropout.networks import (
    NetVariant,
    carve_validation,
    compare_nets,
    net_label,
    summary_rows,
)
from regcore.experiments.dropout.rate_sweep import dropout_sweep, small_batches
from regcore.experiments.surfaces import Surface, class1_probability, grid_for, surface_epochs

MOONS = {
    "data": {"name": "moons", "n_train": 24, "n_test": 60, "noise": 0.25},
    "model": {"kind": "mlp", "hidden": [16]},
    "reg": {"kind": "none", "lam": 0.0},
    "optim": {"name": "adam", "lr": 0.01, "batch_size": 8, "epochs": 6},
}


def test_grid_for_covers_the_data_with_a_margin():
    ds = make_dataset(regcore.load_config(MOONS))
    grid = grid_for(ds, points=11)
    assert len(grid.xs) == len(grid.ys) == 11
    X = torch.cat([ds.X_train, ds.X_test])
    assert grid.xs[0] < float(X[:, 0].min()) and grid.xs[-1] > float(X[:, 0].max())
    assert grid.ys[0] < float(X[:, 1].min()) and grid.ys[-1] > float(X[:, 1].max())
    pts = grid.points()
    assert pts.shape == (121, 2) and float(pts[1, 0]) == pytest.approx(grid.xs[1])


def test_class1_probability_matches_softmax_of_the_model():
    ds = make_dataset(regcore.load_config(MOONS))
    grid = grid_for(ds, points=5)
    model = torch.nn.Linear(2, 2).double()
    prob = class1_probability(model, grid)
    assert prob.shape == (5, 5)
    expected = torch.softmax(model(grid.points()), 1)[:, 1].reshape(5, 5)
    torch.testing.assert_close(prob, expected.detach())


def test_surface_epochs_bounded_and_ends_at_last():
    assert surface_epochs(1000, 20) == set(range(50, 1001, 50))
    assert surface_epochs(7, 20) == set(range(1, 8))
    assert max(surface_epochs(333, 20)) == 333 and len(surface_epochs(333, 20)) <= 21


def test_compare_nets_shares_data_init_and_streams_surfaces():
    events = []
    variants = [NetVariant(), NetVariant(dropout=0.5), NetVariant(norm="batch")]
    res = compare_nets(MOONS, variants, on_event=events.append, max_frames=3)
    assert res.labels == ("no dropout", "dropout 0.5", "no dropout + batch norm")
    assert len(res.runs) == 3 and len(res.surfaces) == 3
    assert all(s.final for s in res.surfaces)
    live = [(i, ev) for i, ev in events if isinstance(ev, Surface)]
    assert [ev.epoch for i, ev in live if i == 0] == sorted(surface_epochs(6, 3))
    assert sum(isinstance(ev, StepMetrics) for _, ev in events) == 18
    # identical initialization: p = 0 vs p = 0.5 differ only once dropout masks act
    a, b = res.runs[0], res.runs[1]
    assert a.snapshots["layers"]["linear1"][0] == b.snapshots["layers"]["linear1"][0]
    assert len(res.points["train_x"]) == 24 and len(res.points["test_y"]) == 60
    assert len(res.surfaces[0].prob) == len(res.grid.ys)
    kinds = [p.kind for p in res.probes[1]]
    assert "dropout" in kinds and res.conventions[1] is not None and res.conventions[0] is None
    rows = summary_rows(res)
    assert rows[0]["loss gap (test − train)"] == pytest.approx(
        rows[0]["test loss"] - rows[0]["train loss"]
    )


def test_compare_nets_final_surface_is_the_kept_early_stopping_model():
    cfg = {**MOONS, "optim": {**MOONS["optim"], "epochs": 30, "early_stopping_patience": 2}}
    res = compare_nets(cfg, [NetVariant()])
    run = res.runs[0]
    assert run.best_epoch is not None
    assert res.surfaces[0].epoch == run.best_epoch


def test_compare_nets_rejects_more_than_four_and_bad_fields():
    with pytest.raises(ValueError, match="1 to 4"):
        compare_nets(MOONS, [NetVariant()] * 5)
    with pytest.raises(ValueError, match="model.dropout"):
        compare_nets(MOONS, [NetVariant(dropout=1.5)])


def test_net_label_names_every_part():
    cfg = NetVariant(dropout=0.5, norm="batch", reg="weight_decay", lam=1e-3).apply(
        regcore.load_config(MOONS)
    )
    assert net_label(cfg) == "dropout 0.5 + batch norm + weight decay λ=0.001"


def test_dropout_sweep_equals_sequential_runs():
    res = dropout_sweep(MOONS, [0.0, 0.5], repeats=2)
    cfg = regcore.load_config(MOONS)
    fit_set, val_set = carve_validation(cfg, make_dataset(cfg))
    assert res.n_fit == fit_set.X_train.shape[0] and res.n_val == val_set.X_train.shape[0]
    assert res.n_fit + res.n_val == 24
    for i, p in enumerate([0.0, 0.5]):
        for r in range(2):
            one = cfg.replace(**{"model.dropout": p, "seed": cfg.seed + r})
            run = regcore.fit(one, data=fit_set)
            assert res.per_run[i][r]["test_loss"] == run.metrics["test_loss"]
            assert res.per_run[i][r]["test_acc"] == run.metrics["test_acc"]
    assert res.best_index == min(range(2), key=lambda i: res.val_loss[i])
    assert res.test_loss[0] == pytest.approx(
        (res.per_run[0][0]["test_loss"] + res.per_run[0][1]["test_loss"]) / 2
    )


def test_dropout_sweep_validation_is_carved_from_training_data_only():
    cfg = regcore.load_config(MOONS)
    ds = make_dataset(cfg)
    fit_set, val_set = carve_validation(cfg, ds)
    rows = {tuple(x) for x in ds.X_train.tolist()}
    assert {tuple(x) for x in val_set.X_train.tolist()} <= rows
    assert {tuple(x) for x in fit_set.X_train.tolist()} <= rows
    assert torch.equal(fit_set.X_test, ds.X_test)


def test_dropout_sweep_limits_runs():
    with pytest.raises(ValueError, match="repeats"):
        dropout_sweep(MOONS, [0.0], repeats=0)
    with pytest.raises(ValueError, match="at most"):
        dropout_sweep(MOONS, [0.1] * 50, repeats=5)


def test_small_batches_batchnorm_worse_than_groupnorm_at_batch_two():
    base = {
        "data": {"name": "moons", "n_train": 64, "n_test": 200, "noise": 0.2},
        "model": {"kind": "mlp", "hidden": [32, 32]},
        "reg": {"kind": "none", "lam": 0.0},
        "optim": {"name": "sgd", "lr": 0.05, "batch_size": 2, "epochs": 15},
    }
    for seed in (0, 1):
        res = small_batches({**base, "seed": seed}, ("batch", "group"), (2, 32))
        assert set(res.histories) == {"batch@2", "batch@32", "group@2", "group@32"}
        assert res.final["batch@2"]["test_loss"] > res.final["group@2"]["test_loss"]
