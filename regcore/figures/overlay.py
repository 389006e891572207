"""Several runs of a session on one chart: their loss curves, their final-weight histograms.

Pure functions: histories (or weights) and labels in, a plotly figure out. Each run has
its own colour (``RUN_COLORS``, by its place among the runs shown), the same in both
figures, so "λ = 0" is one colour in the curves and in the histogram. The labels come
from :func:`regcore.figures.runs.run_labels` (only what differs between the runs).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from regcore.figures.compare import histogram_bins
from regcore.figures.curves import HistoryLike, as_history
from regcore.figures.style import log_axis, styled
from regcore.figures.weights import true_weight_traces

# One colour per run shown (Okabe–Ito, colour-blind safe; its yellow, unreadable on white,
# gives way to Tol's olive): the first two are blue against vermillion.
RUN_COLORS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#222222",
    "#999933",
)
TOP_LEGEND_RUNS = 3  # more runs than this: the legend goes under the plot (rows, not a tangle)


def run_color(i: int) -> str:
    """The colour of the ``i``-th run shown (0-based; the palette repeats after eight)."""
    return RUN_COLORS[i % len(RUN_COLORS)]


def _colors(n: int, colors: Sequence[str] | None) -> list[str]:
    return list(colors) if colors is not None else [run_color(i) for i in range(n)]


def _positive(values: Sequence[float | None]) -> list[float | None]:
    return [v if v is not None and math.isfinite(v) and v > 0 else None for v in values]


def _legend(n: int) -> str:
    return "top" if n <= TOP_LEGEND_RUNS else "bottom"


def fig_overlay_curves(
    sources: Sequence[HistoryLike],
    labels: Sequence[str],
    *,
    colors: Sequence[str] | None = None,
    loss_name: str = "loss",
    show_train: bool = True,
    title: str | None = None,
) -> go.Figure:
    """Test loss of each run (solid, in its colour) and its train loss (dashed), log y.

    Args:
        sources: one history per run (a ``RunResult`` or its ``history`` dict).
        labels: one legend name per run (what differs between the runs).
        colors: one colour per run (default: :data:`RUN_COLORS` in order).
        loss_name: the data loss on the y axis ("MSE", "cross-entropy").
        show_train: also draw each run's train loss, dashed, in the same colour.
        title: figure title (None: the page's heading says it).

    Returns:
        A figure whose traces are, per run, "<label>" (test) and "<label> (train)".
    """
    fig = go.Figure()
    for h_src, label, color in zip(sources, labels, _colors(len(labels), colors), strict=True):
        h = as_history(h_src)
        x = h.get("epoch", [])
        for key, dash, width in (("test_loss", "solid", 3), ("train_loss", "dash", 2)):
            if key == "train_loss" and not show_train:
                continue
            test = key == "test_loss"
            name = label if test else f"{label} (train)"
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=_positive(h.get(key, [])),
                    mode="lines",
                    name=name,
                    legendgroup=label,
                    showlegend=test,
                    line={"color": color, "width": width, "dash": dash},
                    hovertemplate=f"{name}<br>epoch %{{x}}<br>{'test' if test else 'train'} "
                    f"{loss_name} %{{y:.4g}}<extra></extra>",
                )
            )
    x_title = "epoch (solid: test, dashed: train)" if show_train else "epoch (test loss)"
    styled(
        fig,
        title,
        x_title=x_title,
        y_title=f"{loss_name} (log scale)",
        legend=_legend(len(labels)),
    )
    return log_axis(fig, "y")


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def fig_overlay_hist(
    weights: Sequence[Sequence[float]],
    labels: Sequence[str],
    *,
    colors: Sequence[str] | None = None,
    log_count: bool = False,
    x_title: str = "weight value",
    true_w: Sequence[float] | None = None,
    title: str | None = None,
) -> go.Figure:
    """The final weights of each run as outlined histograms on shared bins, one centred on 0.

    Shared bins keep the runs comparable: L2's shrunk weights crowd the middle bins while
    an unregularized run's spread wide; L1's exact zeros stand in the zero bin. A legend
    entry names a run's exact zeros when it has any. The true weights, when given (the
    runs share their data) and as many as each run's weights, are marked as on a single
    run's histogram (:func:`regcore.figures.weights.true_weight_traces`), legend "true
    weights".

    Args:
        weights: one flat list (or array) of final weights per run.
        labels: one legend name per run.
        colors: one colour per run (default: :data:`RUN_COLORS` in order).
        log_count: log-scale the count axis.
        x_title: the x-axis title (which layer the weights are of).
        true_w: the data set's true weights, shared by every run (None: not marked).
        title: figure title.

    Returns:
        A figure with one filled step trace per run, then the true weights' trace.
    """
    arrays = [np.asarray(w, dtype=float) for w in weights]
    finite = [a[np.isfinite(a)] for a in arrays]
    truth = None if true_w is None else np.asarray(true_w, dtype=float)
    if truth is not None and any(a.size != truth.size for a in arrays):
        truth = None  # the weights of another layer than the one the truth is of
    edges = histogram_bins([a.tolist() for a in finite] + ([] if truth is None else [truth]))
    centres = ((edges[:-1] + edges[1:]) / 2).tolist()
    fig, top = go.Figure(), 1
    for a, label, color in zip(finite, labels, _colors(len(labels), colors), strict=True):
        counts = np.histogram(a, bins=edges)[0].tolist()
        zeros = int(np.count_nonzero(a == 0.0))
        name = f"{label} ({zeros:,} of {a.size:,} exactly 0)" if zeros else label
        fig.add_trace(
            go.Scatter(
                x=centres,
                # an empty bin's 0 stays: on a log axis the outline drops to the axis's foot
                # (a gap instead left a lone bin, L1's spike of zeros, undrawn)
                y=counts,
                mode="lines",
                name=name,
                line={"color": color, "width": 3, "shape": "hvh"},
                fill="tozeroy",
                fillcolor=_rgba(color, 0.15),
                hovertemplate=f"{label}<br>w ≈ %{{x:.3g}}: %{{y}} weights<extra></extra>",
            )
        )
        top = max([top, *counts])
    if truth is not None:  # over the runs, as on a single run's histogram
        for trace in true_weight_traces(truth, edges, float(top)):
            fig.add_trace(trace)
    styled(
        fig,
        title,
        x_title=x_title,
        y_title="count (log scale)" if log_count else "count",
        height=400,
        legend=_legend(len(labels)),
    )
    if log_count:
        log_axis(fig, "y")
    fig.update_xaxes(zeroline=True)
    return fig
