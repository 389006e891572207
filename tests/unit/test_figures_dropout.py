"""Figure builders of the Dropout & norm page, on hand-made results."""

from __future__ import annotations

import pytest

from regcore.experiments.dropout.rate_sweep import DropoutSweepResult, SmallBatchResult
from regcore.experiments.surfaces import Grid, Surface
from regcore.figures.dropout import (
    fig_dropout_sweep,
    fig_net_curves,
    fig_small_batches,
    net_color,
)
from regcore.figures.surface import SURFACE_SCALE, fig_surfaces, panel_layout

GRID = Grid(xs=(0.0, 1.0, 2.0), ys=(-1.0, 1.0))
POINTS = {
    "train_x": [[0.1, 0.2], [1.5, -0.5], [1.0, 0.0]],
    "train_y": [0, 1, 1],
    "test_x": [[0.5, 0.5]],
    "test_y": [0],
}


def _surface(v: float, epoch: int = 3) -> Surface:
    return Surface(epoch=epoch, prob=((v, v, v), (v, 1 - v, v)), final=True)


def test_fig_surfaces_one_heatmap_per_panel_on_the_grid_with_a_shared_scale():
    fig = fig_surfaces(GRID, [_surface(0.2), _surface(0.9)], ["no dropout", "dropout 0.5"], POINTS)
    heat = [t for t in fig.data if t.type == "heatmap"]
    assert len(heat) == 2
    assert len(heat[0].z) == 2 and len(heat[0].z[0]) == 3  # (ny, nx)
    assert list(heat[0].x) == [0.0, 1.0, 2.0] and list(heat[0].y) == [-1.0, 1.0]
    assert all(t.coloraxis == "coloraxis" for t in heat)
    assert fig.layout.coloraxis.cmin == 0.0 and fig.layout.coloraxis.cmax == 1.0
    assert [list(s) for s in fig.layout.coloraxis.colorscale] == SURFACE_SCALE
    contours = [t for t in fig.data if t.type == "contour"]
    assert len(contours) == 2 and contours[0].contours.start == 0.5
    assert "epoch 3" in fig.layout.annotations[0].text


def test_fig_surfaces_train_and_test_points_drawn_distinguishably():
    fig = fig_surfaces(GRID, [_surface(0.5)], ["only"], POINTS)
    pts = [t for t in fig.data if t.type == "scatter"]
    names = [t.name for t in pts]
    assert names == ["train 0", "train 1", "test 0", "test 1"]
    train1 = pts[1]
    assert list(train1.x) == [1.5, 1.0] and list(train1.y) == [-0.5, 0.0]
    assert pts[0].marker.symbol == "circle" and pts[2].marker.symbol == "circle-open"
    assert pts[0].marker.size > pts[2].marker.size
    assert pts[0].marker.color != pts[1].marker.color  # classes in different colours


def test_fig_surfaces_panels_before_their_first_surface_are_empty():
    fig = fig_surfaces(GRID, [_surface(0.4), None, None], ["a", "b", "c"], POINTS)
    assert sum(t.type == "heatmap" for t in fig.data) == 1
    assert panel_layout(3) == (2, 2) and panel_layout(2) == (1, 2) and panel_layout(1) == (1, 1)


def test_fig_net_curves_train_dashed_test_solid_log_loss_and_best_star():
    hist = {"epoch": [1, 2, 3], "train_loss": [1.0, 0.5, 0.1], "test_loss": [1.0, 0.8, 0.9]}
    hist2 = {**hist, "test_loss": [1.1, 0.7, 0.6]}
    fig = fig_net_curves([hist, hist2], ["none", "dropout"], best_epochs=[None, 2], epochs=3)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.line.dash for t in lines] == ["solid", "dash", "solid", "dash"]
    assert lines[0].line.color == net_color(0) and lines[2].line.color == net_color(1)
    assert fig.layout.yaxis.type == "log"
    stars = [t for t in fig.data if t.mode == "markers"]
    assert len(stars) == 1 and list(stars[0].x) == [2] and list(stars[0].y) == [0.7]
    acc = fig_net_curves(
        [{"epoch": [1], "train_acc": [0.9], "test_acc": [0.8]}], ["x"], metric="accuracy"
    )
    assert acc.layout.yaxis.type != "log" and list(acc.data[0].y) == [0.8]


def test_fig_dropout_sweep_bands_and_best_p_by_validation():
    res = DropoutSweepResult(
        rates=[0.0, 0.5],
        repeats=2,
        val_loss=[0.6, 0.4],
        val_loss_std=[0.1, 0.1],
        test_loss=[0.7, 0.5],
        test_loss_std=[0.1, 0.05],
        test_acc=[0.8, 0.85],
        test_acc_std=[0.01, 0.02],
        per_run=[[{}, {}], [{}, {}]],
        n_fit=40,
        n_val=10,
    )
    fig = fig_dropout_sweep(res)
    names = [t.name for t in fig.data if t.name]
    assert "test loss" in names and "validation loss" in names and "test accuracy" in names
    star = [t for t in fig.data if t.name and t.name.startswith("best p")]
    assert star[0].name == "best p = 0.5 (by validation)" and list(star[0].y) == [0.4]
    band = fig.data[0]
    assert band.fill == "toself" and list(band.y) == pytest.approx([0.8, 0.55, 0.45, 0.6])


def test_fig_small_batches_panel_per_batch_size_curve_per_norm():
    h = {"epoch": [1, 2], "test_loss": [0.5, 0.4], "test_acc": [0.7, 0.8]}
    res = SmallBatchResult(
        norms=("batch", "group"),
        batch_sizes=(2, 32),
        histories={"batch@2": h, "group@2": h, "batch@32": h, "group@32": h},
        final={},
    )
    fig = fig_small_batches(res)
    assert len(fig.data) == 4
    assert [a.text for a in fig.layout.annotations] == ["batch size 2", "batch size 32"]
    assert sum(t.showlegend for t in fig.data) == 2


def test_fig_loss_curves_marks_the_kept_early_stopping_epoch():
    from regcore.figures.curves import fig_loss_curves

    h = {"epoch": [1, 2, 3], "train_loss": [1.0, 0.5, 0.2], "test_loss": [1.0, 0.7, 0.9]}
    fig = fig_loss_curves({**h, "val_loss": [0.9, 0.6, 0.8]}, best_epoch=2)
    assert [t.name for t in fig.data] == ["train", "test", "validation", "kept: epoch 2"]
    assert fig.layout.shapes[0].x0 == 2 and "epoch 2 (kept)" in fig.layout.annotations[0].text
    kept = fig.data[3]  # a diamond on the validation curve at the kept epoch
    assert kept.marker.symbol == "diamond" and list(kept.x) == [2] and list(kept.y) == [0.6]
    assert not fig_loss_curves(h).layout.shapes


def test_fig_loss_curves_kept_epoch_note_keeps_the_axis_on_the_epochs():
    """An early kept epoch's note goes right of its line and the axis spans 0 to the last
    epoch: plotly widens an autoranged axis to hold a note, and a note left of epoch 16 of
    116 had stretched the Playground's axis to epoch −40."""
    from regcore.figures.curves import fig_loss_curves

    n = 116
    h = {
        "epoch": list(range(1, n + 1)),
        "train_loss": [1.0 / e for e in range(1, n + 1)],
        "test_loss": [1.0] * n,
        "val_loss": [abs(e - 16) + 1.0 for e in range(1, n + 1)],
    }
    early = fig_loss_curves(h, best_epoch=16)
    assert tuple(early.layout.xaxis.range) == (0, n)
    assert early.layout.annotations[0].xanchor == "left"  # the text runs right of the line
    late = fig_loss_curves(h, best_epoch=100)
    assert late.layout.annotations[0].xanchor == "right"
