"""Weight histograms: the final weights of a layer, and the same histogram over epochs.

The over-epochs figure uses one fixed set of bins (and so one fixed x range) for
every stored snapshot, so pressing Play shows L1 piling weights onto zero and L2
squeezing the whole distribution, rather than a histogram that rescales itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from regcore.core import RunResult
from regcore.figures.style import TRUTH_COLOR, reg_color, styled

MAX_TRUE_MARKS = 8  # distinct true values drawn as lines; more become an overlay histogram


def layer_names(result: RunResult) -> list[str]:
    """The layers whose weights the result holds, in forward order."""
    return list(result.weights)


def _layer(result: RunResult, layer: str | None) -> str:
    names = layer_names(result)
    if not names:
        raise ValueError("the result holds no weights")
    if layer is None:
        return names[0]
    if layer not in result.weights:
        raise ValueError(f"layer {layer!r} is not in the result: choose one of {', '.join(names)}")
    return layer


def _edges(values: Sequence[float], bins: int) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    lo, hi = (float(arr.min()), float(arr.max())) if arr.size else (-1.0, 1.0)
    if hi - lo < 1e-12:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.02 * (hi - lo)
    return np.linspace(lo - pad, hi + pad, bins + 1)


def _bar(values: Sequence[float], edges: np.ndarray, color: str, name: str) -> go.Bar:
    counts, _ = np.histogram(np.asarray(values, dtype=float), bins=edges)
    centers = 0.5 * (edges[:-1] + edges[1:])
    return go.Bar(
        x=centers,
        y=counts,
        width=float(edges[1] - edges[0]),
        name=name,
        marker={"color": color, "line": {"width": 0}},
        hovertemplate="w ≈ %{x:.3g}<br>%{y} weights<extra></extra>",
    )


def true_weight_traces(
    true_w: Sequence[float], edges: np.ndarray, top: float
) -> list[go.BaseTraceType]:
    """The true weights over a weight histogram, one legend entry "true weights".

    Args:
        true_w: the data set's true weights. edges: the histogram's bin edges.
        top: the count the marks reach (from 0: on a log axis, from the axis's foot).

    Returns:
        A dotted black line at each distinct value when there are at most
        ``MAX_TRUE_MARKS`` of them, else their histogram as translucent black bars.
    """
    distinct = sorted({round(float(v), 12) for v in true_w})
    if len(distinct) <= MAX_TRUE_MARKS:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for v in distinct:
            xs += [v, v, None]
            ys += [0, top, None]
        return [
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="true weights",
                line={"color": TRUTH_COLOR, "width": 3, "dash": "dot"},
                hovertemplate="true w = %{x:.3g}<extra></extra>",
            )
        ]
    bar = _bar(true_w, edges, TRUTH_COLOR, "true weights")
    bar.update(opacity=0.35)
    return [bar]


def fig_weight_hist(
    result: RunResult,
    layer: str | None = None,
    *,
    log_count: bool = False,
    show_true: bool = True,
    bins: int = 50,
    title: str | None = None,
) -> go.Figure:
    """Histogram of one layer's final weights, the true weights marked where known.

    Args:
        result: a finished (or stopped) run.
        layer: a name from :func:`layer_names` (None: the first layer).
        log_count: log-scale the count axis (makes a spike of exact zeros readable).
        show_true: mark the data set's true weights when they match this layer.
        bins: number of bins over the range of the weights.
        title: figure title (None: a title naming the layer and its exact zeros).

    Returns:
        A figure whose first trace is the "final weights" bar trace.
    """
    name = _layer(result, layer)
    w = result.weights[name]
    truth = result.true_w if show_true and result.true_w is not None else None
    truth = truth if truth is not None and len(truth) == len(w) else None
    edges = _edges(list(w) + (list(truth) if truth else []), bins)
    bar = _bar(w, edges, reg_color(result.config.reg.kind), "final weights")
    fig = go.Figure([bar])
    if truth:
        for trace in true_weight_traces(truth, edges, float(max(bar.y.max(), 1))):
            fig.add_trace(trace)
    zeros = sum(1 for v in w if v == 0.0)
    default_title = f"{zeros} of {len(w)} weights exactly 0"
    x_title = "weight value"
    if len(result.weights) > 1:  # ‖w‖ counts every layer; this histogram shows one
        x_title += f" (layer {name})"
    styled(fig, title or default_title, x_title=x_title, y_title="count", height=400)
    fig.update_layout(bargap=0.02, barmode="overlay")
    if log_count:  # start below 1 so a bar of one weight is visible; ticks at powers of 10
        top = float(max(bar.y.max(), 1))
        fig.update_yaxes(
            type="log", title_text="count (log scale)", dtick=1, range=[-0.3, np.log10(top) + 0.15]
        )
    return fig


def fig_weight_hist_over_epochs(
    result: RunResult,
    layer: str | None = None,
    *,
    log_count: bool = False,
    bins: int = 50,
    title: str | None = None,
) -> go.Figure:
    """The weight histogram at every stored snapshot, as frames with a slider and Play.

    All frames share one set of bins spanning every snapshot, so the x range never moves.

    Args:
        result: a run with ``snapshots`` (``{"epochs": [...], "layers": {name: [...]}}``).
        layer: which layer (None: the first).
        log_count: log-scale the count axis.
        bins: number of bins.
        title: figure title.

    Returns:
        A figure showing the last snapshot, with one frame per snapshot epoch.
    """
    name = _layer(result, layer)
    epochs = list(result.snapshots.get("epochs", []))
    snaps = result.snapshots.get("layers", {}).get(name, [])
    if not epochs or not snaps:
        snaps, epochs = [result.weights[name]], [result.metrics.get("epochs_run", 0)]
    edges = _edges([v for snap in snaps for v in snap], bins)
    color = reg_color(result.config.reg.kind)
    bars = [_bar(snap, edges, color, f"epoch {e}") for e, snap in zip(epochs, snaps, strict=True)]
    top = max(float(b.y.max()) for b in bars) * 1.05 or 1.0
    fig = go.Figure(
        data=[bars[-1]],
        frames=[go.Frame(data=[b], name=str(e)) for e, b in zip(epochs, bars, strict=True)],
    )
    styled(
        fig,
        title or f"{name} over training",
        x_title="weight value",
        y_title="count",
        height=460,
        legend="none",
    )
    fig.update_xaxes(range=[float(edges[0]), float(edges[-1])])
    if log_count:
        fig.update_yaxes(
            type="log",
            range=[-0.1, float(np.log10(max(top, 1.0))) + 0.1],
            title_text="count (log scale)",
        )
    else:
        fig.update_yaxes(range=[0, top])
    fig.update_layout(
        bargap=0.02,
        margin={"b": 150},
        sliders=[_slider(epochs)],
        updatemenus=[_play_button()],
    )
    return fig


def _slider(epochs: list[int]) -> dict:
    return {
        "active": len(epochs) - 1,
        # one label per snapshot would overlap: hide them and show the current epoch instead
        "currentvalue": {
            "prefix": "epoch ",
            "xanchor": "right",
            "font": {"size": 18, "color": "#1a1a1a"},
        },
        "font": {"color": "rgba(0,0,0,0)"},
        "x": 0.2,
        "len": 0.8,
        "y": -0.2,
        "yanchor": "top",
        "pad": {"t": 10},
        "steps": [
            {
                "label": str(e),
                "method": "animate",
                "args": [
                    [str(e)],
                    {
                        "mode": "immediate",
                        "frame": {"duration": 0, "redraw": True},
                        "transition": {"duration": 0},
                    },
                ],
            }
            for e in epochs
        ],
    }


def _play_button() -> dict:
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 0.0,
        "y": -0.28,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 10, "r": 10},
        "font": {"size": 14},
        "buttons": [
            {
                "label": "▶ Play",
                "method": "animate",
                "args": [
                    None,
                    {
                        "frame": {"duration": 120, "redraw": True},
                        "fromcurrent": False,
                        "transition": {"duration": 0},
                    },
                ],
            },
        ],
    }
