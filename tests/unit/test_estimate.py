"""The total-work time estimate: its constants are solved from timed runs, it scales with work."""

from __future__ import annotations

import pytest

import regcore
import regcore.serve.estimate as est
from regcore.core.config import TrainConfig, work


def test_estimate_solve_recovers_the_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    per_step, per_unit = 1.5e-3, 4e-10
    a = TrainConfig().replace(**{"optim.epochs": 30})
    b = TrainConfig().replace(
        **{"data.name": "classification", "model.kind": "mlp", "model.hidden": [256, 256]}
    )
    truth = {id(c): per_step * est.steps(c) + per_unit * work(c) for c in (a, b)}
    calls = []

    def fake_timed(run, stop=None):
        cfg = run.__defaults__[0]
        calls.append(cfg)
        return truth[id(cfg)]

    monkeypatch.setattr(est, "_timed", fake_timed)
    got = est._solve(lambda cfg: None, a, b, 1)
    assert got == pytest.approx((per_step, per_unit), rel=1e-9)
    assert calls == [a, b]


def test_estimate_grows_with_epochs_samples_and_models() -> None:
    cal = est.Calibration(
        per_step=1e-3, per_unit=1e-9, per_step_batched=1e-4, per_unit_batched=2e-9
    )
    base = TrainConfig()
    t = est.estimate_seconds(base, cal)
    assert t == pytest.approx(1e-3 * 100 * 4 + 1e-9 * work(base))
    assert est.estimate_seconds(base.replace(**{"optim.epochs": 200}), cal) == pytest.approx(2 * t)
    assert est.estimate_seconds(base, cal, models=64) > est.estimate_seconds(base, cal, models=8)
    assert est.describe_seconds(0.4) == "under a second"
    assert est.describe_seconds(42.4) == "about 42 s"
    assert est.describe_seconds(600) == "about 10 min"


def test_estimate_calibrate_measures_positive_constants() -> None:
    cal = est.calibrate()
    assert cal.measured
    assert cal.per_step > 0 and cal.per_unit > 0
    assert cal.per_step_batched > 0 and cal.per_unit_batched > 0
    assert cal.per_step_autograd >= cal.per_step  # a dropout MLP's step is never cheaper


def test_estimate_autograd_runs_use_their_own_step_cost() -> None:
    cal = est.Calibration(per_step=1e-4, per_unit=1e-9, per_step_autograd=1e-3)
    plain = regcore.links.dataset_config("moons")
    dropout = plain.replace(**{"model.dropout": 0.2})
    assert est.estimate_seconds(dropout, cal) == pytest.approx(
        1e-3 * est.steps(dropout) + 1e-9 * work(dropout)
    )


def test_estimate_calibrate_stops_when_asked() -> None:
    with pytest.raises(est.Interrupted):
        est.calibrate(stop=lambda: True)
