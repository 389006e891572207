"""Chart hygiene on the figure objects (issue 22, item 7): what a projector needs, checked
without a browser.

- A legend sits below the plot, in container coordinates (plotly reserves the rows it
  wraps into), so it covers no curve, title or subplot title at any width; every axis has
  automatic margins, so the x-axis title sits between the plot and the legend.
- A log axis has explicit ticks (or whole decades): never plotly's own minor-digit labels,
  which read "1, 9, 8, 7 … 2, 10⁻¹" on a narrow range.
- Every subplot's ticks are as large as the first's.
- Weight images are drawn at least ``MIN_IMAGE_PX`` wide in the 640-px main area a
  1024-px page gives a full-width chart.
- Text never stands over marks: every annotation is outside every plot area (above one,
  anchored at its bottom, or below one, anchored at its top), never in data coordinates
  among the curves; a square image's label is an annotation in its axes' domain, not an
  x-axis title (plotly draws that title by the unshrunk domain, over the image's last row).
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from regcore.experiments.dropout.rate_sweep import DropoutSweepResult, SmallBatchResult
from regcore.figures import (
    fig_bias_variance_dropout,
    fig_coef_paths,
    fig_compare_curves,
    fig_digit_weights_grid,
    fig_dropout_sweep,
    fig_loss_curves,
    fig_net_curves,
    fig_overlay_curves,
    fig_overlay_hist,
    fig_small_batches,
    fig_surfaces,
    fig_sweep_loss,
    fig_sweep_norm,
    fig_sweep_zeros,
    fig_unit_images,
    fig_weight_hist,
)
from regcore.figures.compare_weights import fig_coef_scatter, fig_sorted_magnitudes, fig_zero_counts
from regcore.figures.sparsity import fig_coefficient_grid, fig_zero_shares
from regcore.figures.style import FONT_SIZE
from regcore.sweeps.biasvar import BiasVarianceResult
from regcore.sweeps.paths import ExactPath
from tests.unit.test_figures_compare import _result as compare_result
from tests.unit.test_figures_dropout import GRID, POINTS, _surface
from tests.unit.test_figures_playground import _result as run_result
from tests.unit.test_figures_sweep import LAMS
from tests.unit.test_figures_sweep import _result as sweep_result

MAIN_PX = 640  # a full-width chart's width on a 1024-px page with its sidebar open
MIN_IMAGE_PX = 80


def _small_batches() -> go.Figure:
    h = {"epoch": [1, 2, 3], "test_loss": [0.9, 0.3, 0.12], "test_acc": [0.7, 0.8, 0.9]}
    sizes, norms = (2, 4, 32), ("batch", "group", "layer")
    hists = {f"{n}@{b}": h for n in norms for b in sizes}
    return fig_small_batches(SmallBatchResult(norms, sizes, hists, final={}))


def _dropout_sweep() -> go.Figure:
    return fig_dropout_sweep(
        DropoutSweepResult(
            rates=[0.0, 0.4, 0.8],
            repeats=2,
            val_loss=[0.6, 0.4, 0.5],
            val_loss_std=[0.1] * 3,
            test_loss=[0.7, 0.5, 0.6],
            test_loss_std=[0.1] * 3,
            test_acc=[0.8, 0.85, 0.8],
            test_acc_std=[0.01] * 3,
            per_run=[[{}, {}]] * 3,
            n_fit=40,
            n_val=10,
        )
    )


def _bias_variance() -> go.Figure:
    bv = BiasVarianceResult(
        lambdas=[0.0, 0.0],
        bias2=[0.01, 0.02],
        variance=[0.05, 0.02],
        noise=0.09,
        total=[0.15, 0.13],
        measured=[0.16, 0.12],
        measured_std=[0.01, 0.01],
        identity_se=[0.01, 0.01],
        repeats=8,
        n_test=100,
        over="model.dropout",
        rates=[0.0, 0.5],
    )
    return fig_bias_variance_dropout(bv)


def _compare():
    return compare_result(
        [[0.9, 0.3, -0.2, -1.1], [0.8, 0.0, 0.0, -0.7], [0.5, 0.1, -0.1, -0.4]],
        ["none", "l1", "l2"],
    )


def _with_legends() -> dict[str, go.Figure]:
    res, run = _compare(), run_result("l1", [1.0, 0.0, 0.0])
    exact = ExactPath(lambdas=LAMS, coefs=[[1.0, 0.0, 0.0]] * 4, method="lasso_path")
    h = {"epoch": [1, 2], "train_loss": [1.0, 0.5], "test_loss": [2.0, 1.0]}
    return {
        "small batches": _small_batches(),
        "dropout-rate sweep": _dropout_sweep(),
        "dropout bias-variance": _bias_variance(),
        "net curves": fig_net_curves([h, h], ["a", "b"], best_epochs=[2, None]),
        "surfaces": fig_surfaces(GRID, [_surface(0.2), _surface(0.7)], ["a", "b"], POINTS),
        "compare curves": fig_compare_curves(res.runs, res.labels, res.keys),
        "sorted |w|": fig_sorted_magnitudes(res),
        "estimated vs true": fig_coef_scatter(res),
        "zero counts": fig_zero_counts(res),
        "playground curves": fig_loss_curves(run),
        "sweep loss": fig_sweep_loss(sweep_result(repeats=2), "train, validation and test loss"),
        "coef paths": fig_coef_paths(sweep_result(true_w=[1.0, 0.0, 0.0]), exact, epochs=100),
        "sweep norm": fig_sweep_norm(sweep_result()),
        "sweep zeros": fig_sweep_zeros(sweep_result()),
        "weight histogram": fig_weight_hist(run_result("l1", [1.0, 0.0, 0.0, 0.0]), log_count=True),
        **_overlays(),
    }


def _overlays() -> dict[str, go.Figure]:
    """The Playground's runs overlaid: two runs (legend on top) and five (below), the
    histogram with the runs' shared true weights, on a linear and a log count axis."""
    h = {"epoch": [1, 2, 3], "train_loss": [1.0, 0.5, 0.25], "test_loss": [2.0, 1.0, 0.9]}
    w = [[0.9, 0.0, -0.8, 0.1], [0.5, 0.0, -0.4, 0.0]]
    truth = [1.0, 0.0, -1.0, 0.0]
    five = [f"λ = {i}" for i in range(5)]
    return {
        "overlay curves": fig_overlay_curves([h, h], ["λ = 0", "λ = 3"]),
        "overlay curves, five runs": fig_overlay_curves([h] * 5, five),
        "overlay histogram": fig_overlay_hist(w, ["λ = 0", "λ = 3"], true_w=truth),
        "overlay histogram, log": fig_overlay_hist(w, ["a", "b"], true_w=truth, log_count=True),
    }


FIGURES = _with_legends()


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_hygiene_legend_below_the_plot_never_over_it(name: str) -> None:
    fig = FIGURES[name]
    legend = fig.layout.legend
    assert fig.layout.showlegend is not False
    assert legend.yref == "container", name  # (one entry a row, or as many as fit)
    assert legend.y == 0 and legend.yanchor == "bottom", name  # the figure's foot
    for axis in fig.select_xaxes():  # the x title between the plot and the legend
        assert axis.automargin is True, name
    for note in fig.layout.annotations:  # nothing drawn in the legend's rows
        assert note.yref != "paper" or note.y is None or note.y >= 0, (name, note.text)


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_hygiene_every_subplot_has_the_first_ones_ticks(name: str) -> None:
    fig = FIGURES[name]
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        assert axis.tickfont.size == FONT_SIZE - 2, name
        assert axis.exponentformat == "power", name


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_hygiene_log_axes_have_readable_ticks(name: str) -> None:
    fig = FIGURES[name]
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        if axis.type != "log":
            continue
        decades = isinstance(axis.dtick, int | float) and float(axis.dtick).is_integer()
        assert axis.tickvals is not None or decades, name
        if axis.tickvals is not None:
            assert len(axis.tickvals) <= 7, name


def _without_legends() -> dict[str, go.Figure]:
    res = compare_result(
        [[0.1 * (i % 5) for i in range(128)]] * 3,
        ["l1", "l2", "none"],
        true_w=None,
        task="classification",
        acc=0.9,
        image_shape=(8, 8),
    )
    return {
        "coefficient images": fig_coefficient_grid(res, ("L1", "EN", "L2"), ("C = 1",)),
        "zero shares": fig_zero_shares(res, (6.25, None, 4.69)),
    }


ALL_FIGURES = FIGURES | _without_legends()


def _outside_the_plots(fig: go.Figure, note) -> bool:
    """Whether annotation ``note`` stands outside every plot area of ``fig``."""
    y, anchor = note.y, note.yanchor
    if str(note.yref).endswith("domain"):  # its own axes' domain: 0 … 1 is the plot
        return (y <= 0 and anchor == "top") or (y >= 1 and anchor == "bottom")
    if note.yref != "paper" or str(note.xref) not in ("paper", "None"):
        return False  # data coordinates: among the marks
    for axis in fig.select_yaxes():
        lo, hi = axis.domain or (0, 1)
        if lo < y < hi or (y == hi and anchor != "bottom") or (y == lo and anchor != "top"):
            return False
    return True


@pytest.mark.parametrize("name", list(ALL_FIGURES))
def test_figures_hygiene_text_never_stands_over_marks(name: str) -> None:
    fig = ALL_FIGURES[name]
    for note in fig.layout.annotations:
        assert _outside_the_plots(fig, note), (name, note.text)
    for axis in fig.select_yaxes():  # a square image's x axis carries no title under it
        if axis.scaleanchor and axis.constrain == "domain":
            x = fig.layout[str(axis.scaleanchor).replace("x", "xaxis")]
            assert not x.title.text, (name, x.title.text)


def test_figures_hygiene_sorted_magnitudes_name_the_floor_in_the_legend() -> None:
    fig = FIGURES["sorted |w|"]
    floor = next(t for t in fig.data if str(t.name).startswith("✕ on this line: exactly 0"))
    assert "drawn at 1e-02" in floor.name  # a decade under the smallest |w|, 0.1
    assert not fig.layout.annotations


def test_figures_hygiene_small_batches_log_axis_reads_plain_numbers() -> None:
    axis = _small_batches().layout.yaxis
    assert axis.type == "log"
    assert list(axis.ticktext) == ["0.2", "0.4", "0.6", "0.8"]  # 0.12 … 0.9: not "1, 9, 8, …"


def test_figures_hygiene_a_wide_log_x_axis_labels_at_most_five_decades() -> None:
    fig = fig_sweep_zeros(sweep_result())
    fig.data[0].x = [1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0]
    fig.data[0].y = [0.0] * 7
    from regcore.figures.style import log_axis

    axis = log_axis(fig, "x").layout.xaxis
    assert len(axis.tickvals) <= 5 and axis.minor.tickvals  # the others: minor ticks


def _image_px(fig: go.Figure, trace: go.Heatmap, cells: int) -> float:
    """How wide ``cells`` of ``trace``'s columns are drawn in a MAIN_PX-wide figure (square
    cells: the smaller of the width and height each cell gets)."""
    lay, m = fig.layout, fig.layout.margin
    xa = fig.layout[trace.xaxis.replace("x", "xaxis")]
    ya = fig.layout[trace.yaxis.replace("y", "yaxis")]
    rows, cols = len(trace.z), len(trace.z[0])
    w = (xa.domain[1] - xa.domain[0]) * (MAIN_PX - m.l - m.r) / cols
    h = (ya.domain[1] - ya.domain[0]) * (lay.height - m.t - m.b) / rows
    return min(w, h) * cells


def test_figures_hygiene_digit_weight_images_are_large_enough_for_a_room() -> None:
    for n in (2, 3):
        res = compare_result(
            [[0.1] * 640] * n,
            ["l1", "l2", "none"][:n],
            true_w=None,
            task="classification",
            acc=0.9,
            image_shape=(8, 8),
        )
        fig = fig_digit_weights_grid(res)
        heat = [t for t in fig.data if isinstance(t, go.Heatmap)]
        assert len(heat) == 10 * n
        assert min(_image_px(fig, t, 8) for t in heat) >= MIN_IMAGE_PX
        assert sorted(a.text for a in fig.layout.annotations if len(a.text) == 1) == sorted(
            str(c) for c in range(10) for _ in range(n)
        )  # every image labelled with its class


def test_figures_hygiene_first_layer_unit_images_are_large_enough_for_a_room() -> None:
    from regcore.experiments import CompareResult

    base = compare_result([[0.0] * 4], ["none"])
    runs = tuple(
        type(base.runs[0])(
            config=base.runs[0].config,
            history=base.runs[0].history,
            weights={"hidden": [0.01 * (i % 7) for i in range(200 * 64)], "out": [0.0] * 2000},
            metrics=base.runs[0].metrics,
            task="classification",
            image_shape=(8, 8),
        )
        for _ in range(3)
    )
    res = CompareResult(
        base=base.base,
        configs=(base.base,) * 3,
        labels=("none", "L2 λ=0.01", "L1 subgradient λ=0.0001"),
        keys=("none", "l2", "l1"),
        runs=runs,
        true_w=None,
    )
    fig = fig_unit_images(res)
    unit = min(_image_px(fig, t, 8) for t in fig.data)  # one unit: 8 of 8·k + gaps
    assert unit >= MIN_IMAGE_PX
    for note in fig.layout.annotations:  # two short lines: not cut at 640 px
        assert all(len(line) <= 60 for line in note.text.replace("<b>", "").split("<br>"))
