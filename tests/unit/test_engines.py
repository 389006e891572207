"""regcore.train.pick_engine: the one dispatch point, and the pieces a single run is made of
(regcore.engine.setup, regcore.engine.snapshots, regcore.engine.record)."""

import sys

import pytest
import torch

import regcore
from regcore.engine import linear as fastpath
from regcore.engine.autograd import AUTOGRAD
from regcore.engine.mlp import MLP
from regcore.engine.record import History, finite
from regcore.engine.setup import make_setup
from regcore.engine.snapshots import MAX_SNAPSHOTS, SNAPSHOT_SAMPLE, Snapshots, snapshot_epochs

TRAIN = sys.modules["regcore.engine.loop"]
MLP_CFG = {
    "data": {"name": "moons", "n_train": 30, "n_test": 10},
    "model": {"kind": "mlp", "hidden": [6]},
    "optim": {"name": "sgd", "batch_size": 8, "epochs": 3},
    "device": "cpu",
}


def _cfg(**changes) -> regcore.TrainConfig:
    return regcore.load_config(MLP_CFG).replace(**changes)


def test_pick_engine_takes_the_linear_fast_path_for_linear_models():
    cfg = regcore.load_config({"device": "cpu"})
    assert TRAIN.pick_engine(cfg) is fastpath.LINEAR
    assert TRAIN.pick_engine(cfg.replace(**{"optim.name": "adam"})) is fastpath.LINEAR


def test_pick_engine_takes_the_mlp_fast_path_for_a_plain_sgd_mlp():
    assert TRAIN.pick_engine(_cfg()) is MLP
    assert TRAIN.pick_engine(_cfg(**{"optim.momentum": 0.9, "reg.kind": "l1"})) is MLP


@pytest.mark.parametrize(
    "changes",
    [
        {"model.dropout": 0.3},
        {"model.norm": "batch"},
        {"model.norm": "layer"},
        {"optim.name": "adam"},
        {"optim.name": "adamw"},
    ],
    ids=["dropout", "batchnorm", "layernorm", "adam", "adamw"],
)
def test_pick_engine_takes_autograd_for_dropout_norm_and_adam_mlps(changes):
    assert TRAIN.pick_engine(_cfg(**changes)) is AUTOGRAD


def test_pick_engine_takes_autograd_for_a_cnn():
    cfg = regcore.load_config(
        {"data": {"name": "digits"}, "model": {"kind": "cnn"}, "device": "cpu"}
    )
    assert TRAIN.pick_engine(cfg) is AUTOGRAD


def test_engines_prepare_only_what_they_use():
    mlp = make_setup(_cfg(), MLP)
    assert mlp.optimizer is None and "mlp" in mlp.scratch
    generic = make_setup(_cfg(**{"model.dropout": 0.3}), AUTOGRAD)
    assert isinstance(generic.optimizer, torch.optim.SGD) and not generic.scratch


def test_engines_measure_the_same_metrics_on_the_same_weights():
    cfg = _cfg(**{"dtype": "float64", "optim.early_stopping_patience": 2})
    fast, slow = make_setup(cfg, MLP), make_setup(cfg, AUTOGRAD)
    a, b = MLP.measure(fast), AUTOGRAD.measure(slow)
    assert a.keys() == b.keys() and a["val_loss"] is not None
    for key, value in b.items():
        assert a[key] == pytest.approx(value, rel=1e-12, abs=1e-15), key


def test_snapshot_epochs_are_evenly_spaced_and_keep_both_ends():
    assert snapshot_epochs(0) == {0}
    assert snapshot_epochs(3) == {0, 1, 2, 3}
    many = snapshot_epochs(1000)
    assert len(many) == MAX_SNAPSHOTS and {0, 1000} <= many


def test_snapshots_sample_a_large_layer_the_same_way_every_time():
    layer = torch.nn.Linear(SNAPSHOT_SAMPLE + 10, 1)
    snaps = Snapshots([("linear1", layer)], seed=3, epochs=2)
    with torch.no_grad():
        layer.weight.mul_(2.0)
    snaps.after_epoch(1)
    first, second = snaps.to_dict()["layers"]["linear1"]
    assert len(first) == SNAPSHOT_SAMPLE
    assert second == pytest.approx([2.0 * w for w in first])
    snaps.finish(1)  # already taken: not twice
    assert snaps.to_dict()["epochs"] == [0, 1]


def test_history_keeps_only_the_series_the_run_has():
    plain = History(classify=False, validates=False)
    assert "train_acc" not in plain.series and "val_loss" not in plain.series
    assert plain.last_epoch is None and len(plain) == 0
    full = History(classify=True, validates=True)
    assert {"train_acc", "test_acc", "val_loss"} <= set(full.series)


def test_run_record_finite_flags_a_non_finite_loss():
    ev = next(iter(regcore.train(_cfg())))
    assert finite(ev)
    assert not finite(ev.__class__(**{**vars(ev), "test_loss": float("nan")}))


@pytest.mark.parametrize("reg", ["l2", "l1", "elastic_net", "weight_decay", "none"])
def test_linear_fast_measure_equals_the_autograd_measure_on_crafted_weights(reg):
    cfg = regcore.load_config(
        {
            "data": {"name": "sparse_linear", "n_train": 12, "n_test": 7, "n_features": 8},
            "reg": {"kind": reg, "lam": 0.2},
            "optim": {"early_stopping_patience": 3},
            "dtype": "float64",
            "device": "cpu",
        }
    )
    # exact zeros (both signs), the smallest subnormal, just under and at NEAR_ZERO
    w = torch.tensor([[0.0, -0.0, 5e-324, -9.99e-4, 1e-3, 0.5, -2.0, 0.0]], dtype=torch.float64)
    fast, slow = make_setup(cfg, fastpath.LINEAR), make_setup(cfg, AUTOGRAD)
    for s in (fast, slow):
        with torch.no_grad():
            s.model[0].weight.copy_(w)
    a, b = fastpath.measure(fast), AUTOGRAD.measure(slow)
    assert a.keys() == b.keys()
    for key in ("weight_l2", "weight_l1", "zero_fraction", "near_zero_fraction", "penalty"):
        assert a[key] == b[key], key
    assert (a["zero_fraction"], a["near_zero_fraction"]) == (3 / 8, 5 / 8)
    for key in ("train_loss", "test_loss", "val_loss"):
        assert a[key] == pytest.approx(b[key], rel=1e-12), key
