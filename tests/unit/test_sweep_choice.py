"""How far a sweep's choice of λ can be trusted (regcore.sweeps.choice) and how the page says it.

The issue's case: /sweep?data.name=polynomial&sweep.k=22&sweep.repeats=3 chose λ* = 0.0373 on
3 held-out samples and called its test loss 230 "an honest estimate", though one repeat of
three extrapolates to 690 and the other two score about 0.2.
"""

from __future__ import annotations

import math

import pytest

import regcore
from regcore.links import SweepSettings, export, from_query
from regcore.sweeps import MIN_HELD_OUT, SweepResult, assess_choice, sweep
from regcore.sweeps.choice import spread, tied_range
from ui.sweep.choice import choice_note, held_out_warning

ISSUE = {"data.name": "polynomial", "sweep.k": "22", "sweep.repeats": "3"}


def _issue_sweep() -> SweepResult:
    settings, _ = SweepSettings.from_params(ISSUE)
    return sweep(from_query(ISSUE), settings.lambdas(), repeats=settings.repeats)


def test_sweep_choice_of_the_issue_is_flagged_and_not_called_honest():
    res = _issue_sweep()
    r = assess_choice(res)
    assert r.lam == pytest.approx(0.0373, rel=1e-3) and (r.n_val, r.n_fit) == (3, 12)
    assert r.test.mean == pytest.approx(230.0, rel=1e-3)
    assert r.test.median == pytest.approx(0.203, rel=1e-2)  # two repeats of three
    assert r.test.high == pytest.approx(690.0, rel=1e-2) and r.test.disagrees
    assert r.few_held_out and r.undetermined and not r.honest
    assert r.tied[0] == pytest.approx(1e-4) and r.tied[1] == pytest.approx(0.268, rel=1e-2)
    note = choice_note(res)
    assert "honest estimate." not in note and "no honest estimate" in note
    assert "**Its test loss: 230** ± 398 (mean ± std over 3 repeats; median 0.203" in note
    assert "only 3 held-out samples (fewer than 30)" in note
    assert "every λ from 0.0001 to 0.268" in note and "read the median, 0.203" in note
    warning = held_out_warning(res)
    assert "3 held-out samples, fewer than 30" in warning and "√(2/3) ≈ 82%" in warning


def test_sweep_keeps_each_repeats_losses_batched_and_sequential():
    lams = [0.01, 1.0]
    for cfg in (
        regcore.load_config({"data": {"name": "polynomial", "n_features": 5}}),
        regcore.load_config(
            {
                "data": {"name": "moons", "n_train": 40, "n_test": 20},
                "model": {"kind": "mlp", "hidden": [8], "dropout": 0.2},
                "optim": {"epochs": 3, "batch_size": 8},
            }
        ),
    ):
        res = sweep(cfg, lams, repeats=3)
        for key in ("val_loss", "test_loss"):
            per = res.by_repeat[key]
            assert len(per) == 2 and all(len(v) == 3 for v in per)
            for row, values in zip(res.rows, per, strict=True):
                assert math.fsum(values) / 3 == pytest.approx(row[key], rel=1e-6)
        assert sweep(cfg, lams).by_repeat == {}  # one repeat: the rows say it all
    again, _ = export.load_sweep_json(export.sweep_json(res))
    assert again.by_repeat == res.by_repeat


def _result(rows, n_val, repeats=1, by_repeat=None) -> SweepResult:
    cfg = regcore.load_config({})
    lams = [r["lam"] for r in rows]
    return SweepResult(
        config=cfg,
        lambdas=lams,
        rows=rows,
        weights=[{}] * len(rows),
        repeats=repeats,
        n_fit=100,
        n_val=n_val,
        by_repeat=by_repeat or {},
    )


def test_sweep_choice_held_out_minimum_is_30():
    rows = [
        {"lam": 0.1, "val_loss": 1.0, "test_loss": 1.1},
        {"lam": 1.0, "val_loss": 2.0, "test_loss": 2.1},
    ]
    assert MIN_HELD_OUT == 30
    assert assess_choice(_result(rows, 29)).few_held_out
    ok = _result(rows, 30)
    r = assess_choice(ok)
    assert not r.few_held_out and r.honest and r.tied is None  # one repeat: no spread
    assert held_out_warning(ok) is None
    note = choice_note(ok)
    assert "so this is an honest estimate." in note and "add repeats" in note


def test_sweep_choice_lambdas_within_one_standard_error_and_outlier_repeats():
    rows = [
        {
            "lam": 0.01,
            "val_loss": 1.05,
            "val_loss_std": 0.2,
            "test_loss": 1.0,
            "test_loss_std": 0.1,
        },
        {"lam": 0.1, "val_loss": 1.0, "val_loss_std": 0.2, "test_loss": 1.0, "test_loss_std": 0.1},
        {"lam": 1.0, "val_loss": 1.2, "val_loss_std": 0.2, "test_loss": 1.0, "test_loss_std": 0.1},
        {"lam": 10.0, "val_loss": 0.5, "diverged": True, "test_loss": 1.0},
    ]
    lams = [r["lam"] for r in rows]
    # SE = 0.2 / √4 = 0.1: 1.05 is within it, 1.2 is not, the diverged λ never counts
    assert tied_range(lams, rows, 1, 4) == (0.01, 0.1)
    assert tied_range(lams, rows, 1, 1) is None
    r = assess_choice(_result(rows, 50, repeats=4))
    assert r.lam == 0.1 and r.undetermined and not r.honest  # 0.01 to 0.1: a decade
    tight = [dict(row, val_loss_std=0.02) for row in rows]
    assert assess_choice(_result(tight, 50, repeats=4)).honest
    # repeats 9.99× apart: the mean stands; 10× apart: the median is reported
    assert not spread(1.0, [0.5, 4.995]).disagrees
    s = spread(1.0, [0.5, 5.0, 1.0])
    assert s.disagrees and s.median == 1.0 and (s.low, s.high) == (0.5, 5.0)
    assert spread(1.0, [0.0, 2.0]).ratio == math.inf
    per = {"val_loss": [[1.0] * 4] * 4, "test_loss": [[0.1, 0.1, 0.1, 9.0]] * 4}
    r = assess_choice(_result(tight, 50, repeats=4, by_repeat=per))
    assert r.test.disagrees and r.test.median == pytest.approx(0.1) and not r.honest


def test_sweep_choice_cli_line_adds_its_cautions():
    from regcore.cli import choice_line

    lines = choice_line(_issue_sweep()).splitlines()
    assert lines[0].startswith("λ* = 0.03728 chosen on validation")
    assert lines[1:] == [
        "caution: 3 held-out samples, fewer than 30: a weak choice",
        "caution: λ from 0.0001 to 0.2683 within one standard error",
        "caution: test loss over repeats from 0.1149 to 689.7: median 0.2033",
    ]
