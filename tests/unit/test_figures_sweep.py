"""Sweep figures: log λ axis, the λ chosen on validation starred, ± bands for repeats,
exact-path overlay."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

import regcore
from regcore.core.results import SweepProgress
from regcore.figures.sweep import (
    best_index,
    coef_paths_note,
    diverged_indices,
    fig_coef_paths,
    fig_sweep_loss,
    fig_sweep_norm,
    fig_sweep_zeros,
)
from regcore.sweeps.lambda_sweep import SweepResult
from regcore.sweeps.paths import ExactPath

LAMS = [0.01, 0.1, 1.0, 10.0]


def _result(repeats: int = 1, true_w=None) -> SweepResult:
    cfg = regcore.load_config({"reg": {"kind": "l1"}})
    rows = []
    for k, lam in enumerate(LAMS):
        row = {
            "lam": lam,
            "train_loss": 0.1 * (k + 1),
            "val_loss": [2.0, 0.8, 1.2, 3.0][k],  # lowest at λ = 0.1
            "test_loss": [3.0, 1.0, 0.5, 2.0][k],  # lowest at λ = 1: never starred
            "weight_l2": 1.0 / (k + 1),
            "zero_fraction": k / 4,
            "near_zero_fraction": k / 3,
            "diverged": False,
        }
        if repeats > 1:
            row.update(train_loss_std=0.01, val_loss_std=0.2, test_loss_std=0.1)
        rows.append(row)
    weights = [{"linear1": [1.0 / (k + 1), -0.5, 0.0]} for k in range(len(LAMS))]
    return SweepResult(
        config=cfg, lambdas=LAMS, rows=rows, weights=weights, repeats=repeats, true_w=true_w
    )


def test_fig_sweep_loss_stars_the_validation_minimum_and_marks_its_test_loss():
    fig = fig_sweep_loss(_result())
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    names = [t.name for t in fig.data]
    assert names == [  # validation drawn over test; the legend lists it second
        "train",
        "test",
        "validation",
        "λ* = 0.1 (lowest validation)",
        "its test loss 1",
    ]
    assert [t.legendrank for t in fig.data] == [1, 3, 2, 4, 5]
    star, test_mark = fig.data[-2], fig.data[-1]
    assert list(star.x) == [0.1] and list(star.y) == [0.8] and star.marker.symbol == "star"
    assert list(test_mark.x) == [0.1] and list(test_mark.y) == [1.0]
    assert best_index(_result()) == 1  # not 2, the lowest test loss
    (line,) = fig.layout.shapes  # the dotted line joining ★ and its test loss
    assert line.x0 == line.x1 == 0.1
    assert "λ" in fig.layout.xaxis.title.text


def test_fig_sweep_loss_without_a_validation_column_stars_nothing():
    res = _result()
    res = replace(res, rows=[{k: v for k, v in r.items() if k != "val_loss"} for r in res.rows])
    fig = fig_sweep_loss(res)
    assert [t.name for t in fig.data] == ["train", "test"] and best_index(res) is None


def test_fig_sweep_loss_bands_when_repeated():
    fig = fig_sweep_loss(_result(repeats=3))
    bands = [t for t in fig.data if t.fill == "tonexty"]
    assert len(bands) == 3 and {b.name for b in bands} == {
        "train ± 1 std",
        "validation ± 1 std",
        "test ± 1 std",
    }
    assert not any(b.showlegend for b in bands)  # one entry says what the shading is:
    (key,) = [t for t in fig.data if (t.name or "").startswith("shaded")]
    assert key.name == "shaded: ± 1 std over 3 repeats"
    assert len(fig.data) == 12


def test_fig_sweep_loss_from_live_progress_skips_zero_lambda():
    ev = SweepProgress(
        epoch=3,
        epochs=10,
        lambdas=(0.0, 1.0, 10.0),
        train_loss=(1, 2, 3),
        test_loss=(4, 2, math.nan),
        weight_l2=(1, 1, 1),
        zero_fraction=(0, 0, 0),
        seconds=0.1,
        val_loss=(0.5, 3.0, 2.0),  # its minimum at λ = 0 has no place on the axis
    )
    fig = fig_sweep_loss(ev)
    assert list(fig.data[1].x) == [1.0]  # test: λ = 0 dropped, NaN at λ = 10 dropped
    assert not any("λ*" in (t.name or "") for t in fig.data)
    fig = fig_sweep_loss(replace(ev, val_loss=(5.0, 3.0, 2.0)))
    assert fig.data[-1].name == "λ* = 10 (lowest validation)"  # no test loss to mark
    assert [t.name for t in fig_sweep_loss(replace(ev, val_loss=())).data] == ["train", "test"]


def test_fig_sweep_norm_and_zeros():
    exact = ExactPath(lambdas=LAMS, coefs=[[1.0, 0.0, 0.0]] * 4, method="ridge")
    fig = fig_sweep_norm(_result(), exact)
    assert fig.layout.xaxis.type == "log" and [t.name for t in fig.data][-1] == "exact minimizer"
    fig = fig_sweep_zeros(_result())
    assert fig.layout.xaxis.type == "log" and list(fig.data[0].y) == [0, 0.25, 0.5, 0.75]


def test_fig_coef_paths_highlights_support_and_says_sgd_falls_short():
    exact = ExactPath(lambdas=LAMS, coefs=[[1.0, 0.0, 0.0]] * 4, method="lasso_path")
    fig = fig_coef_paths(_result(true_w=[1.0, 0.0, 0.0]), exact, epochs=100)
    names = [t.name for t in fig.data]
    assert names == ["other weights", "true support", "exact minimizer"]
    assert list(fig.data[1].y[:4]) == [1.0, 0.5, 1 / 3, 0.25]  # w0 vs λ, then a gap
    assert math.isnan(fig.data[1].y[4])
    assert fig.layout.xaxis.type == "log"
    assert not fig.layout.annotations  # the note is the caption's: under the axis it hit the legend
    note = coef_paths_note(exact, epochs=100)
    assert "lasso_path" in note and "100 epochs" in note and "short" in note


def test_sweep_figures_shade_diverged_lambdas_and_drop_their_points():
    res = _result()
    rows = [dict(r) for r in res.rows]
    rows[3].update(diverged=True, weight_l2=1e12)
    weights = list(res.weights)
    weights[3] = {"linear1": [3e15, -3e15, 0.0]}
    res = replace(res, rows=rows, weights=weights)
    assert diverged_indices(res) == [3]
    for fig in (fig_sweep_loss(res), fig_sweep_norm(res), fig_sweep_zeros(res)):
        (shape,) = [s for s in fig.layout.shapes if s.label.text == "diverged"]
        assert shape.x0 == pytest.approx(math.sqrt(1.0 * 10.0)) and shape.x1 == 10.0
        assert shape.label.text == "diverged"
        assert all(10.0 not in (tr.x or ()) for tr in fig.data)  # no point at λ = 10
    paths = fig_coef_paths(res)
    ys = [y for tr in paths.data for y in tr.y if y is not None and math.isfinite(y)]
    assert max(abs(y) for y in ys) < 1e3  # the diverged weights do not flatten the others


def test_sweep_loss_has_no_best_marker_without_a_penalty():
    res = _result()
    res = replace(res, config=res.config.replace(**{"reg.kind": "none"}))
    assert not any("λ*" in (tr.name or "") for tr in fig_sweep_loss(res).data)
