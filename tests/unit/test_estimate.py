"""The time estimate's structure: what each kind of work's cost grows with, which engine's
constants a run uses, how calibration scales them (no timing is asserted here)."""

from __future__ import annotations

import pytest

import regcore
import regcore.serve.calibration as cal_mod
import regcore.serve.costs as costs
import regcore.serve.estimate as est
from regcore.core import TooLargeError, TrainConfig
from regcore.serve import workloads as wl

BASE = TrainConfig()  # the Playground default: linear fast path
MOONS = regcore.links.dataset_config("moons")  # a plain MLP with SGD: the MLP fast path
DROPOUT = MOONS.replace(**{"model.dropout": 0.2})  # autograd


def _s(terms: dict[str, float]) -> float:
    return est.seconds_of(terms)


@pytest.mark.parametrize("cfg", [BASE, MOONS, DROPOUT], ids=["linear", "mlp", "autograd"])
def test_estimate_grows_with_epochs_samples_and_test_rows(cfg: TrainConfig) -> None:
    t = _s(wl.run_work(cfg))
    for field, factor in (("optim.epochs", 2), ("data.n_train", 2), ("data.n_test", 4)):
        bigger = cfg.replace(**{field: cfg.flat()[field] * factor})
        assert _s(wl.run_work(bigger)) > t, field
    # epochs multiply the per-epoch work: twice the epochs, nearly twice the time
    twice = _s(wl.run_work(cfg.replace(**{"optim.epochs": 2 * cfg.optim.epochs})))
    assert 1.5 * t < twice <= 2 * t


def test_estimate_uses_the_engine_a_run_trains_on() -> None:
    assert "linear_step" in costs.run_terms(BASE)
    assert "mlp_step" in costs.run_terms(MOONS)
    assert "autograd_step" in costs.run_terms(DROPOUT)
    # the same shapes: an autograd step costs more than a fast-path step
    s = costs.shape(MOONS)
    assert costs.step_units(DROPOUT, s) > costs.step_units(MOONS, s) > 0
    adam = MOONS.replace(**{"optim.name": "adam", "optim.momentum": 0.0})
    assert costs.step_units(adam, s) > costs.step_units(MOONS.replace(**{"optim.momentum": 0.0}), s)
    # a calibration that makes autograd dearer changes the dropout run only
    dear = est.Calibration().scaled(autograd=3.0)
    assert est.estimate_seconds(MOONS, dear) == pytest.approx(est.estimate_seconds(MOONS))
    assert est.estimate_seconds(DROPOUT, dear) > 2 * est.estimate_seconds(DROPOUT)


def test_estimate_of_a_linear_sweep_follows_the_training_rows_not_the_features() -> None:
    """The batched subspace engine trains in the span of the n rows: d does not count."""
    wide = BASE.replace(**{"data.n_features": 1000})
    a = costs.batched_terms(BASE, 32, 1, 16, 4)
    b = costs.batched_terms(wide, 32, 1, 16, 4)
    assert a["batched_mac"] == b["batched_mac"]
    more_rows = costs.batched_terms(BASE.replace(**{"data.n_train": 40}), 32, 1, 32, 8)
    assert more_rows["batched_mac"] > a["batched_mac"]


def test_estimate_of_a_sweep_grows_with_models_and_adds_bias_variance() -> None:
    poly = regcore.links.dataset_config("polynomial")
    one = _s(wl.sweep_work(poly, 16, 1))
    assert _s(wl.sweep_work(poly, 64, 1)) > one
    assert _s(wl.sweep_work(poly, 16, 4)) > one
    assert _s(wl.sweep_work(poly, 16, 1, 8)) > one
    # a network the batched engine cannot train: one run per (λ, repeat)
    drop = wl.sweep_work(DROPOUT, 4, 1)
    assert "autograd_step" in drop and "batched_step" not in drop
    assert _s(drop) > 3 * _s(costs.run_terms(DROPOUT))


def test_estimate_of_the_dropout_tabs_counts_every_run() -> None:
    assert _s(wl.rate_sweep_work(DROPOUT, [0.0, 0.5], 3)) > _s(
        wl.rate_sweep_work(DROPOUT, [0.0, 0.5], 1)
    )
    nets = [DROPOUT, DROPOUT.replace(**{"model.dropout": 0.5})]
    assert _s(wl.networks_work(nets)) > _s(wl.comparison_work(nets))  # probes and surfaces
    assert _s(wl.small_batches_work(MOONS)) > _s(wl.small_batches_work(MOONS, ("batch",)))
    bv = wl.bias_variance_dropout_work(DROPOUT, [0.0, 0.3], 4)
    assert _s(bv) > _s(wl.bias_variance_dropout_work(DROPOUT, [0.0, 0.3], 2))


def test_estimate_two_d_runs_count_their_decision_surfaces() -> None:
    assert "grid" in wl.run_work(MOONS) and "grid" not in wl.run_work(BASE)


def test_estimate_calibration_scales_each_group_by_its_probe(monkeypatch) -> None:
    """Each probe measured at twice its prediction: every group's factor is 2."""
    ref = est.Calibration()
    probes = cal_mod.probes()
    monkeypatch.setattr(cal_mod, "probes", lambda: probes)
    truth = {id(run): 2.0 * est.seconds_of(terms, ref) for _, run, terms in probes}
    monkeypatch.setattr(cal_mod, "cpu_seconds", lambda run, stop=None: truth[id(run)])
    got = cal_mod.calibrate()
    assert got.measured
    assert dict(got.factors) == pytest.approx(
        {"arithmetic": 2.0, "autograd": 2.0, "batched": 2.0, "dispatch": 2.0}
    )
    assert est.estimate_seconds(DROPOUT, got) == pytest.approx(2 * est.estimate_seconds(DROPOUT))


def test_estimate_calibration_factors_stay_in_range() -> None:
    assert cal_mod.solve_factor(1e6, {"dispatch": 1.0}, "dispatch", {}) == 4.0
    assert cal_mod.solve_factor(0.0, {"dispatch": 1.0, "arithmetic": 1.0}, "dispatch", {}) == 0.25


def test_estimate_calibrate_stops_when_asked() -> None:
    with pytest.raises(cal_mod.Interrupted):
        cal_mod.calibrate(stop=lambda: True)


def test_estimate_too_large_message_says_the_calibrated_time() -> None:
    with pytest.raises(TooLargeError) as info:
        MOONS.replace(**{"data.n_train": 20_000, "model.hidden": [1000] * 4, "optim.epochs": 2000})
    exc = info.value
    assert exc.config is not None and "here" not in str(exc)
    fast = wl.too_large_message(exc, est.Calibration())
    slow = wl.too_large_message(exc, est.Calibration().scaled(dispatch=4.0, arithmetic=4.0))
    assert "too large for the server: about" in fast and fast != slow


def test_estimate_slowdown_follows_the_load() -> None:
    assert est.slowdown(0, 1, cores=2, load=0.0) == 1.0
    assert est.slowdown(0, 1, cores=2, load=5.0) == pytest.approx(3.0)
    # this server's own trainings are in the load average: not counted twice
    assert est.slowdown(2, 1, cores=2, load=2.0) == 1.0
    assert est.describe_seconds(0.4) == "under a second"
    assert est.describe_seconds(42.4) == "about 42 s"
    assert est.describe_seconds(600) == "about 10 min"
    assert est.describe_seconds(5 * 3600) == "about 5 hours"
