"""Figure builders of the L1 vs L2 page, on hand-made results (no training)."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from regcore.core.config import load_config
from regcore.core.results import RunResult, StepMetrics
from regcore.experiments.comparison import CompareResult
from regcore.figures.compare import fig_compare_curves, fig_weight_histograms, histogram_bins
from regcore.figures.compare_weights import (
    fig_coef_scatter,
    fig_sorted_magnitudes,
    fig_weight_pair,
    fig_zero_counts,
)
from regcore.figures.digits import fig_digit_weights_grid
from regcore.figures.style import REG_COLORS

TRUE_W = (1.0, 0.0, 0.0, -1.0)


def _run(weights, task="regression", acc=None, image_shape=None, epochs=3):
    hist = {
        "epoch": list(range(1, epochs + 1)),
        "train_loss": [1.0, 0.5, 0.25][:epochs],
        "test_loss": [2.0, 1.0, 0.5][:epochs],
        "weight_l2": [3.0, 2.0, 1.0][:epochs],
    }
    metrics = {
        "weight_l2": 1.0,
        "weight_l1": 1.0,
        "zero_fraction": 0.0,
        "near_zero_fraction": 0.0,
        "train_loss": 0.25,
        "test_loss": 0.5,
        "seconds": 0.1,
    }
    if acc is not None:
        hist.update(train_acc=[0.5, 0.7, 0.9][:epochs], test_acc=[0.4, 0.6, acc][:epochs])
        metrics.update(train_acc=0.9, test_acc=acc)
    return RunResult(
        config=load_config({}),
        history=hist,
        weights={"linear1": list(weights)},
        metrics=metrics,
        task=task,
        image_shape=image_shape,
    )


def _result(weights_per_run, keys, true_w=TRUE_W, **kw):
    runs = tuple(_run(w, **kw) for w in weights_per_run)
    return CompareResult(
        base=load_config({}),
        configs=(load_config({}),) * len(runs),
        labels=tuple(k.upper() for k in keys),
        keys=tuple(keys),
        runs=runs,
        true_w=true_w,
    )


@pytest.fixture
def res():
    return _result(
        [[0.9, 0.3, -0.2, -1.1], [0.8, 0.0, 0.0, -0.7], [0.5, 0.1, -0.1, -0.4]],
        ["none", "l1", "l2"],
    )


def test_fig_compare_curves_traces_colours_and_log_axis(res):
    fig = fig_compare_curves(res.runs, res.labels, res.keys, epochs=3)
    assert len(fig.data) == 6  # test + train per run
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text.startswith("epoch")
    assert "MSE" in fig.layout.yaxis.title.text
    assert [t.line.color for t in fig.data[::2]] == [REG_COLORS[k] for k in res.keys]
    assert [t.line.dash for t in fig.data[:2]] == ["solid", "dash"]
    assert tuple(fig.layout.xaxis.range) == (0, 3)


def test_fig_compare_curves_live_events_and_metrics(res):
    events = [
        StepMetrics(
            epoch=e,
            epochs=5,
            train_loss=1.0 / e,
            test_loss=0.0 if e == 2 else 1.0,
            penalty=0.0,
            weight_l2=1.0,
            weight_l1=1.0,
            zero_fraction=0.0,
            seconds=0.1,
        )
        for e in (1, 2)
    ]
    fig = fig_compare_curves([events], res.labels, res.keys)  # one run started so far
    assert len(fig.data) == 2
    assert fig.data[0].y == (1.0, None)  # 0 cannot sit on a log axis: a gap
    acc = fig_compare_curves(
        [_run([0.0], acc=0.8)], ["A"], ["l1"], metric="accuracy", task="classification"
    )
    assert acc.layout.yaxis.type != "log" and acc.layout.yaxis.title.text == "accuracy"
    thinned = fig_compare_curves(res.runs, res.labels, res.keys, max_points=2)
    assert thinned.data[0].x == (1, 3)  # every 2nd epoch, the last kept
    norm = fig_compare_curves(res.runs, res.labels, res.keys, metric="weight_l2")
    assert len(norm.data) == 3 and norm.layout.yaxis.type == "log"


def test_histogram_bins_centre_one_bin_on_zero():
    edges = histogram_bins([[-2.0, 0.0, 1.0]], half=10)
    assert len(edges) == 22
    zero_bin = [(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True) if a < 0 < b]
    assert len(zero_bin) == 1 and zero_bin[0][0] == pytest.approx(-zero_bin[0][1])
    assert edges[0] < -2.0 and edges[-1] > 2.0


def test_fig_weight_histograms_small_multiples_share_x(res):
    fig = fig_weight_histograms(res)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    truth = [t for t in fig.data if t.name == "true weights"]
    assert len(bars) == 3 and len(truth) == 3
    assert bars[0].x == bars[1].x  # the same bins in every panel
    zero = list(bars[1].x).index(min(bars[1].x, key=abs))
    assert bars[1].y[zero] == 2  # the two exact zeros of L1 sit in the zero bin
    assert bars[1].marker.color == REG_COLORS["l1"]
    assert fig.layout.xaxis3.title.text == "weight value"
    assert fig.layout.xaxis.matches == fig.layout.xaxis2.matches == "x3"
    assert any("2/4 zero" in a.text for a in fig.layout.annotations)


@pytest.mark.parametrize("n_runs", [1, 2, 3])
def test_fig_weight_histograms_titles_fit_a_1024px_panel(n_runs):
    """At 1024 px the histograms get half the main area (310 px measured in Chromium): a
    panel title must start at the figure's left edge and keep each line to 30 characters of
    its 16 px font, and the gap above a panel must hold its lines. (The MNIST-size title
    "L1 subgradient λ=0.0001: 0/158800 zero" was cut after "0/1".)"""
    import re

    from regcore.experiments import COMPARISONS
    from regcore.experiments.comparison import plan

    preset = COMPARISONS["mnist_mlp"]
    _, labels, keys = plan(preset.base, preset.variants)
    weights = [[0.0] * 20 + [0.01] * 158_780] * n_runs
    res = _result(weights, list(keys[-n_runs:]), true_w=None)
    res = CompareResult(**{**res.__dict__, "labels": labels[-n_runs:]})
    fig = fig_weight_histograms(res)
    titles = [a for a in fig.layout.annotations if "zero" in a.text]
    assert len(titles) == n_runs
    assert "subgradient" in titles[-1].text
    grid = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    for i, a in enumerate(titles):
        lines = [re.sub(r"<[^>]+>", "", line) for line in a.text.split("<br>")]
        assert all(len(line) <= 30 for line in lines), lines
        assert a.xref == "paper" and a.x == 0 and a.xanchor == "left"
        assert a.xshift <= -(fig.layout.margin.l - 10)  # from the figure's left edge
        above = fig.layout.margin.t if i == 0 else _gap(fig, i) * grid
        assert above >= 22 * len(lines) + 4, (i, above, lines)
    assert "20/158,800 zero" in titles[-1].text.replace("<br>", " ")


def _gap(fig, i):
    """The space between panel i-1's bottom and panel i's top, as a share of the grid."""
    upper = fig.layout[f"yaxis{i if i > 1 else ''}"].domain
    lower = fig.layout[f"yaxis{i + 1}"].domain
    return upper[0] - lower[1]


def test_fig_sorted_magnitudes_shows_exact_zeros_on_a_floor(res):
    fig = fig_sorted_magnitudes(res)
    assert fig.layout.yaxis.type == "log"
    zeros = [t for t in fig.data if "exact zeros" in (t.name or "")]
    assert len(zeros) == 1 and zeros[0].x == (3, 4)
    floor = zeros[0].y[0]
    assert 0 < floor < 0.1  # a decade below the smallest non-zero |w|
    assert len(fig.data) == 1 + 3 + 1 + 1  # truth, one line per run, L1's zeros, the floor
    line = next(t for t in fig.data if t.name.startswith("✕ on this line: exactly 0"))
    assert line.y == (floor, floor) and f"(drawn at {floor:.0e})" in line.name
    assert not fig.layout.annotations  # no text on the plot, where the ✕ are
    assert fig.layout.xaxis.title.text.startswith("rank")


def test_fig_coef_scatter_names_support_recovery(res):
    fig = fig_coef_scatter(res)
    assert len(fig.data) == 4
    assert "P 1.00, R 1.00" in fig.data[1].name  # L1 picks exactly the support
    assert fig.layout.xaxis.title.text == "true weight"
    with pytest.raises(ValueError, match="no true weights"):
        fig_coef_scatter(_result([[0.0]], ["l1"], true_w=None))


def test_fig_zero_counts_and_weight_pair(res):
    zc = fig_zero_counts(res)
    assert len(zc.data) == 2 and zc.data[0].y == (0, 2, 0)
    pair = fig_weight_pair(res, 1, 2)
    assert len(pair.data) == 2 and "0.3" in pair.data[1].name  # max |0.8-0.5|, |−0.7+0.4|
    assert "L1" in pair.layout.xaxis.title.text and "L2" in pair.layout.yaxis.title.text


def test_fig_digit_weights_grid_one_row_per_run():
    r = _result(
        [[0.0] * 640, [0.1] * 640],
        ["l1", "l2"],
        true_w=None,
        task="classification",
        acc=0.9,
        image_shape=(8, 8),
    )
    fig = fig_digit_weights_grid(r)
    heat = [t for t in fig.data if isinstance(t, go.Heatmap)]
    assert len(heat) == 20 and sum(bool(t.showscale) for t in heat) == 1
    headings = [a.text for a in fig.layout.annotations if "zeros" in a.text]
    assert headings == [
        "<b>L1: 100% zeros · test acc 90.0%</b>",
        "<b>L2: 0% zeros · test acc 90.0%</b>",
    ]


def test_compare_panels_per_mode(res):
    from regcore.figures.compare import compare_panels

    kw = {"metric": "loss", "task": "regression"}
    main = [p.heading for p in compare_panels(res, "regularizers", **kw)]
    assert main[0].startswith("Weight histograms") and "Sorted |w| (log scale)" in main
    solver = [p.heading for p in compare_panels(res, "l1_solver", **kw)]
    assert "Exact zeros vs near zeros" in solver
    two = _result([[0.9, 0.3], [0.8, 0.2]], ["l2", "weight_decay"])
    opt = compare_panels(two, "sgd_weight_decay", metric="loss", task="regression")
    assert [p.heading for p in opt][-1] == "Final weights, run against run"
