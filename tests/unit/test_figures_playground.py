"""Playground figures on hand-made results: traces, names, log axes, fixed bins."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest

from regcore.core.config import TrainConfig
from regcore.core.results import RunResult, StepMetrics
from regcore.figures import (
    REG_COLORS,
    REG_LABELS,
    as_history,
    base_layout,
    fig_loss_curves,
    fig_weight_hist,
    fig_weight_hist_over_epochs,
    run_summary,
)


def _result(kind: str = "l1", true_w: list[float] | None = None) -> RunResult:
    epochs = [1, 2, 3, 4]
    history = {
        "epoch": epochs,
        "train_loss": [1.0, 0.5, 0.1, 0.05],
        "test_loss": [2.0, 1.0, 0.8, 0.0],  # 0 cannot sit on a log axis
        "penalty": [0.3, 0.2, 0.1, 0.1],
    }
    weights = {"linear1": [0.0, 0.0, 0.5, -0.25], "linear2": [1.0, -1.0]}
    snapshots = {
        "epochs": [0, 2, 4],
        "layers": {
            "linear1": [[2.0, -2.0, 1.0, -1.0], [1.0, -1.0, 0.5, 0.0], weights["linear1"]],
            "linear2": [[1.0, -1.0], [1.0, -1.0], weights["linear2"]],
        },
    }
    metrics = {
        "train_loss": 0.05,
        "test_loss": 0.1,
        "weight_l2": 0.56,
        "weight_l1": 0.75,
        "zero_fraction": 0.5,
        "near_zero_fraction": 0.5,
        "device": "cpu",
        "seconds": 0.2,
        "epochs_run": 4,
    }
    cfg = TrainConfig().replace(**{"reg.kind": kind})
    return RunResult(
        config=cfg,
        history=history,
        weights=weights,
        metrics=metrics,
        snapshots=snapshots,
        true_w=true_w,
    )


def test_style_covers_every_regularizer_and_uses_large_fonts() -> None:
    for kind in ("none", "l1", "l2", "elastic_net", "weight_decay", "l1_subgradient", "adamw"):
        assert kind in REG_COLORS and kind in REG_LABELS
    layout = base_layout("t", x_title="x", y_title="y")
    assert layout["template"] == "plotly_white" and layout["font"]["size"] >= 16


def test_fig_loss_curves_semilog_train_and_test() -> None:
    fig = fig_loss_curves(_result())
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["train", "test"]
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text == "epoch"
    assert "log" in fig.layout.yaxis.title.text
    assert list(fig.data[0].x) == [1, 2, 3, 4]
    assert fig.data[1].y[-1] is None  # the 0 becomes a gap, not a point at -inf


def test_fig_loss_curves_penalty_and_growing_run() -> None:
    fig = fig_loss_curves(_result(), show_penalty=True, epochs=100, loss_name="MSE")
    assert [t.name for t in fig.data] == ["train", "test", "penalty λ·Ω(w)"]
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    assert fig.layout.yaxis.title.text.startswith("MSE")


def test_as_history_from_step_metrics() -> None:
    events = [
        StepMetrics(
            epoch=e,
            epochs=3,
            train_loss=1.0 / e,
            test_loss=2.0 / e,
            penalty=0.1,
            weight_l2=1.0,
            weight_l1=1.0,
            zero_fraction=0.0,
            seconds=0.1 * e,
        )
        for e in (1, 2)
    ]
    h = as_history(events)
    assert h["epoch"] == [1, 2] and h["test_loss"] == [2.0, 1.0]
    assert "train_acc" not in h  # all None: left out
    assert as_history([])["epoch"] == []
    fig = fig_loss_curves(events, epochs=3)
    assert len(fig.data[0].x) == 2


def test_fig_weight_hist_marks_true_weights_and_counts_zeros() -> None:
    fig = fig_weight_hist(_result(true_w=[0.0, 0.0, 0.5, -0.5]), "linear1")
    assert [t.name for t in fig.data] == ["final weights", "true weights"]
    assert sum(fig.data[0].y) == 4
    assert "2 of 4 weights exactly 0" in fig.layout.title.text
    assert fig.layout.xaxis.title.text == "weight value (layer linear1)"  # ‖w‖ counts 2 layers
    assert fig.layout.yaxis.type != "log"
    log = fig_weight_hist(_result(), "linear1", log_count=True)
    assert log.layout.yaxis.type == "log" and len(log.data) == 1  # no truth known


def test_fig_weight_hist_skips_truth_of_another_shape() -> None:
    fig = fig_weight_hist(_result(true_w=[0.1, 0.2, 0.3, 0.4]), "linear2")
    assert [t.name for t in fig.data] == ["final weights"]
    with pytest.raises(ValueError, match="linear9"):
        fig_weight_hist(_result(), "linear9")


def test_fig_weight_hist_over_epochs_has_fixed_bins() -> None:
    fig = fig_weight_hist_over_epochs(_result(), "linear1")
    assert [f.name for f in fig.frames] == ["0", "2", "4"]
    xs = [tuple(f.data[0].x) for f in fig.frames]
    assert xs[0] == xs[1] == xs[2]  # the same bins in every frame
    lo, hi = fig.layout.xaxis.range
    assert lo < -2.0 and hi > 2.0  # spans the widest snapshot, not just the last
    assert len(fig.layout.sliders[0].steps) == 3 and fig.layout.updatemenus
    assert all(sum(f.data[0].y) == 4 for f in fig.frames)


def test_run_summary_gap_and_percentages() -> None:
    s = run_summary(_result())
    assert math.isclose(s["gap"], 0.05)
    assert s["zero_pct"] == 50.0 and s["device"] == "cpu"


def test_fig_loss_curves_thins_long_live_runs_keeping_the_last_epoch() -> None:
    n = 1500
    history = {
        "epoch": list(range(1, n + 1)),
        "train_loss": [1.0] * n,
        "test_loss": [2.0] * n,
        "penalty": [0.1] * n,
    }
    fig = fig_loss_curves(history, max_points=400)
    xs = list(fig.data[0].x)
    assert len(xs) <= 401 and xs[0] == 1 and xs[-1] == n
    assert len(fig_loss_curves(history).data[0].x) == n


def test_fig_loss_curves_log_ticks_stay_readable_for_narrow_and_huge_ranges() -> None:
    narrow = fig_loss_curves({"epoch": [1, 2], "train_loss": [0.08, 0.1], "test_loss": [0.3, 0.2]})
    assert len(narrow.layout.yaxis.tickvals) >= 3
    assert all("<sup>" not in t for t in narrow.layout.yaxis.ticktext)
    history = {"epoch": [1, 2], "train_loss": [100.0, 1e-3], "test_loss": [50.0, 1.0]}
    wide = fig_loss_curves(history).layout.yaxis
    assert list(wide.tickvals) == [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]
    huge = {"epoch": [1, 2], "train_loss": [1e14, 1e37], "test_loss": [1e15, 1e36]}
    assert 3 <= len(fig_loss_curves(huge).layout.yaxis.tickvals) <= 7


def test_log_ticks_label_a_flat_curve_with_its_own_value() -> None:
    from regcore.figures.style import log_ticks

    assert log_ticks([12.9, 12.9]) == {"tickvals": [12.9], "ticktext": ["12.9"]}
    assert log_ticks([12.9, 13.4])["ticktext"] == ["12.9", "13.4"]


def test_figures_presented_scales_fonts_and_keeps_the_original():
    import regcore
    from regcore.figures import fig_loss_curves
    from regcore.figures.style import presented

    fig = fig_loss_curves(regcore.fit({"optim": {"epochs": 2}}), loss_name="MSE")
    big = presented(fig, scale=1.5, height_scale=1.1)
    assert big.layout.font.size == round(fig.layout.font.size * 1.5)
    assert big.layout.xaxis.tickfont.size > fig.layout.xaxis.tickfont.size
    assert big.layout.legend.font.size > fig.layout.legend.font.size
    assert big.layout.height == round(fig.layout.height * 1.1)
    assert fig.layout.font.size != big.layout.font.size  # a copy: the input is unchanged
    assert len(big.data) == len(fig.data)


@pytest.mark.parametrize("penalty", [False, True])
@pytest.mark.parametrize("early", [False, True])
@pytest.mark.parametrize("data", ["linear", "moons"])
def test_refresh_loss_curves_equals_a_fresh_figure(data: str, early: bool, penalty: bool) -> None:
    import regcore
    from regcore.figures import fig_loss_curves, refresh_loss_curves
    from regcore.links import from_query

    q = {"data.name": data, "optim.epochs": "30"}
    if early:  # the events carry a validation loss: the figure has a fourth curve
        q["optim.early_stopping_patience"] = "30"
    events: list = []
    regcore.fit(from_query(q), on_epoch=events.append)
    assert (events[-1].val_loss is not None) == early
    opts = {"epochs": 30, "loss_name": "MSE", "show_penalty": penalty, "max_points": 12}
    live = fig_loss_curves(events[:3], **opts)
    for n in (10, 30):  # the figure of a growing run, refreshed twice
        live = refresh_loss_curves(live, events[:n], max_points=12)
        assert live.to_plotly_json() == fig_loss_curves(events[:n], **opts).to_plotly_json()
