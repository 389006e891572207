"""regcore.experiments.comparison: same data, init and batch order; optimizer equivalences;
helpers."""

from __future__ import annotations

import threading

import pytest

import regcore.experiments.comparison as rc
from regcore.experiments.compare_presets import COMPARISONS
from regcore.experiments.comparison import (
    Variant,
    compare,
    max_difference,
    summary,
    support_recovery,
)

# Tiny, minibatched (batch order matters), float64 so equivalences hold to rounding.
TINY = {
    "data": {
        "name": "sparse_linear",
        "n_train": 24,
        "n_test": 16,
        "n_features": 12,
        "true_w": 1.0,
        "noise": 0.1,
        "n_informative": 3,
    },
    "reg": {"lam": 0.2},
    "optim": {"lr": 0.02, "batch_size": 4, "epochs": 15},
    "dtype": "float64",
}


def test_compare_identical_init_and_batch_order():
    # λ = 0 makes L1 and L2 plain SGD: identical histories prove identical data, initial
    # weights and minibatch order (batch 4 of 24 samples: any other order changes the path).
    res = compare(
        TINY, [Variant(kind="none"), Variant(kind="l1", lam=0.0), Variant(kind="l2", lam=0.0)]
    )
    first = res.runs[0]
    for run in res.runs[1:]:
        assert run.snapshots["layers"] == first.snapshots["layers"]
        assert run.history["train_loss"] == first.history["train_loss"]
        assert run.weights == first.weights
    other = compare({**TINY, "seed": 1}, [Variant(kind="none")])
    assert other.runs[0].history["train_loss"] != first.history["train_loss"]


def test_compare_shares_initial_weights_across_regularizers():
    res = compare(TINY, [Variant(kind="none"), Variant(kind="l1"), Variant(kind="l2")])
    init = [run.snapshots["layers"]["linear1"][0] for run in res.runs]
    assert init[0] == init[1] == init[2]
    assert res.runs[1].weights != res.runs[2].weights


def test_compare_makes_the_data_once(monkeypatch):
    calls = []
    real = rc.make_dataset
    monkeypatch.setattr(rc, "make_dataset", lambda cfg: calls.append(cfg) or real(cfg))
    compare(TINY, [Variant(kind="none"), Variant(kind="l2")])
    assert len(calls) == 1


def test_compare_sgd_l2_equals_sgd_weight_decay():
    res = compare(TINY, [Variant(kind="l2", lam=0.5), Variant(kind="weight_decay", lam=0.5)])
    diff = max_difference(*res.runs)
    assert diff["weights"] < 1e-6
    assert diff["train_loss"] < 1e-6 and diff["test_loss"] < 1e-6
    none = compare(TINY, [Variant(kind="none")]).runs[0]
    assert max_difference(res.runs[0], none)["weights"] > 1e-2  # the decay did something


def test_compare_adam_l2_differs_from_adamw():
    base = {**TINY, "optim": {**TINY["optim"], "name": "adam", "lr": 0.05}}
    res = compare(
        base,
        [
            Variant(kind="l2", lam=0.5, optim="adam"),
            Variant(kind="weight_decay", lam=0.5, optim="adamw"),
        ],
    )
    assert res.keys == ("adam_l2", "adamw")
    assert res.labels == ("Adam + L2 λ=0.5", "AdamW λ=0.5")
    assert max_difference(*res.runs)["weights"] > 1e-2


def test_compare_streams_events_with_variant_index():
    events = []
    res = compare(
        TINY,
        [Variant(kind="none"), Variant(kind="l1")],
        on_epoch=lambda i, ev: events.append((i, ev)),
    )
    assert [i for i, _ in events] == [0] * 15 + [1] * 15
    assert [ev.test_loss for i, ev in events if i == 1] == res.runs[1].history["test_loss"]


def test_compare_stop_ends_within_one_epoch_and_keeps_results():
    stop = threading.Event()

    def on_epoch(i, ev):
        if ev.epoch == 3:
            stop.set()

    res = compare(TINY, [Variant(kind="none"), Variant(kind="l2")], stop=stop, on_epoch=on_epoch)
    assert res.stopped and len(res.runs) == 1
    assert res.runs[0].stopped and res.runs[0].metrics["epochs_run"] == 3
    assert summary(res)[0]["status"] == "stopped after 3 epochs"


def test_compare_rejects_a_bad_variant_before_training():
    with pytest.raises(ValueError, match="reg.lam"):
        compare(TINY, [Variant(kind="l2", lam=-1.0)])


def test_support_recovery_counts():
    rec = support_recovery([0.0, 0.5, 0.0, -0.2, 0.1], [0.0, 1.0, 0.0, -1.0, 0.0])
    assert rec["selected"] == 3 and rec["true_positives"] == 2
    assert rec["precision"] == pytest.approx(2 / 3) and rec["recall"] == 1.0
    assert support_recovery([0.0, 0.0], [1.0, 0.0])["recall"] == 0.0
    assert support_recovery([0.0, 0.01], [0.0, 1.0], tol=0.1)["selected"] == 0


def test_compare_presets_are_valid():
    for preset in COMPARISONS.values():
        for v in preset.variants:
            v.apply(preset.config())


def test_compare_default_shows_sparsity_against_shrinkage():
    preset = COMPARISONS["regularizers"]
    res = compare(preset.config(), preset.variants)
    none, l1, l2 = summary(res)
    assert l1["exact zeros"] == "195 / 200"  # exactly the 195 zero true weights
    assert l1["support precision"] == 1.0 and l1["support recall"] == 1.0
    assert l2["exact zeros"] == "0 / 200" and none["exact zeros"] == "0 / 200"
    assert none["‖w‖₂"] > 3 * l2["‖w‖₂"]  # L2 shrinks the N(0, 1) initial weights
    assert l1["test loss"] < l2["test loss"] < none["test loss"]
