"""Figures of the L1 vs L2 page: several runs side by side, one colour per regularizer.

Pure functions: a :class:`regcore.compare.CompareResult` (or, for curves still
growing, the events received so far) in, a plotly figure out. Colours come from
``REG_COLORS`` through each run's colour key, so L1 is the same orange in every
figure of the page (and of the app).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regcore.compare import CompareResult, support_recovery
from regcore.figures.curves import HistoryLike, as_history, loss_name, thin
from regcore.figures.style import FONT_SIZE, TRUTH_COLOR, log_axis, reg_color, styled

HALF_BINS = 25  # histogram bins on each side of the zero bin (wide enough to see a spike)
ZERO_FLOOR_NOTE = "exactly 0"

_METRICS = {
    "loss": ("train_loss", "test_loss", None, True),
    "accuracy": ("train_acc", "test_acc", "accuracy", False),
    "weight_l2": (None, "weight_l2", "‖w‖₂", True),
}


def _positive(values: Sequence[float | None]) -> list[float | None]:
    return [v if v is not None and math.isfinite(v) and v > 0 else None for v in values]


def fig_compare_curves(
    sources: Sequence[HistoryLike],
    labels: Sequence[str],
    keys: Sequence[str],
    *,
    metric: str = "loss",
    task: str = "regression",
    epochs: int | None = None,
    title: str | None = None,
    max_points: int | None = None,
) -> go.Figure:
    """Overlaid per-epoch curves of several runs: test solid, train dashed.

    Args:
        sources: one history per run (``RunResult``, history dict or its
            ``StepMetrics`` so far); may be shorter than ``labels`` while training.
        labels, keys: display name and colour key of each run.
        metric: ``loss`` (log y), ``accuracy`` (linear y) or ``weight_l2`` (log y, one
            trace per run).
        task: names the loss on the y axis (MSE or cross-entropy).
        epochs: fix the x axis to 0..epochs so growing curves fill it from the left.
        max_points: thin each run to about this many epochs (the last kept), so a
            live redraw stays light.

    Returns:
        A figure with, per run, a test trace and (loss, accuracy) a train trace.
    """
    train_key, test_key, y_name, log_y = _METRICS[metric]
    y_name = y_name or loss_name(task)
    fig = go.Figure()
    for source, label, key in zip(sources, labels, keys, strict=False):
        h = as_history(source)
        h = thin(h, max_points) if max_points else h
        x = h.get("epoch", [])
        color = reg_color(key)
        shown = _positive if log_y else list
        for hkey, dash, width, suffix in (
            (test_key, "solid", 3, ""),
            (train_key, "dash", 2, " (train)"),
        ):
            if hkey is None:
                continue
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=shown(h.get(hkey, [])),
                    mode="lines",
                    name=label + suffix,
                    legendgroup=label,
                    showlegend=not suffix,
                    line={"color": color, "width": width, "dash": dash},
                    hovertemplate=f"{label}{suffix}<br>epoch %{{x}}<br>{y_name} %{{y:.4g}}"
                    "<extra></extra>",
                )
            )
    x_title = "epoch" if train_key is None else "epoch (dashed: train)"
    styled(fig, title, x_title=x_title, y_title=y_name + (" (log scale)" if log_y else ""))
    if log_y:
        log_axis(fig, "y")
    if epochs:
        fig.update_xaxes(range=[0, epochs])
    return fig


def histogram_bins(values: Sequence[Sequence[float]], half: int = HALF_BINS) -> np.ndarray:
    """Shared bin edges, symmetric, with one bin centred on 0 (``2·half + 1`` bins)."""
    span = max((abs(v) for vs in values for v in vs), default=1.0) or 1.0
    width = span * 1.02 / (half + 0.5)
    return (np.arange(-half, half + 2) - 0.5) * width


def fig_weight_histograms(result: CompareResult, title: str | None = None) -> go.Figure:
    """Small multiples: one weight histogram per run on a shared x axis.

    The bins are the same in every panel and one is centred on 0, so exact zeros
    (L1) form a single spike while shrunk weights (L2) form a narrow bell. True
    weights, where known, are marked as triangles on the x axis.
    """
    n = len(result.runs)
    weights = [result.flat_weights(i) for i in range(n)]
    truth = list(result.true_w) if result.true_w is not None else None
    edges = histogram_bins(weights + ([truth] if truth else []))
    centres, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    fig = make_subplots(rows=max(n, 1), cols=1, shared_xaxes=True, vertical_spacing=0.06)
    for i, w in enumerate(weights):
        counts, _ = np.histogram(np.asarray(w, dtype=float), bins=edges)
        zeros = sum(1 for v in w if v == 0.0)
        fig.add_trace(
            go.Bar(
                x=centres.tolist(),
                y=counts.tolist(),
                width=width,
                name=result.labels[i],
                marker={"color": reg_color(result.keys[i]), "line": {"width": 0}},
                hovertemplate="w ≈ %{x:.3g}: %{y} weights<extra>" + result.labels[i] + "</extra>",
            ),
            row=i + 1,
            col=1,
        )
        top = max(int(counts.max()), 1) * 1.15
        fig.update_yaxes(range=[-0.12 * top, top], row=i + 1, col=1)
        if truth:  # a rug of triangles under the bars, hiding none of them
            _mark_truth(fig, truth, i + 1, showlegend=i == 0, y=-0.06 * top)
        fig.add_annotation(
            text=f"<b>{result.labels[i]}</b>: {zeros}/{len(w)} zero",
            xref="x domain",
            yref="y domain",
            x=0.0,
            y=1.0,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font={"size": FONT_SIZE - 2},
            row=i + 1,
            col=1,
        )
    styled(fig, title, height=max(300, 190 * n + 80), legend="none")
    fig.update_layout(bargap=0)
    fig.update_xaxes(title_text="weight value", row=n, col=1, zeroline=True)
    for r in range(1, n + 1):
        fig.update_yaxes(title_text="count", title_font_size=FONT_SIZE, row=r, col=1)
    fig.update_xaxes(tickfont_size=FONT_SIZE - 2, title_font_size=FONT_SIZE)
    fig.update_yaxes(tickfont_size=FONT_SIZE - 4)
    return fig


def _mark_truth(
    fig: go.Figure, truth: Sequence[float], row: int, showlegend: bool, y: float
) -> None:
    values, counts = np.unique(np.asarray(truth, dtype=float), return_counts=True)
    fig.add_trace(
        go.Scatter(
            x=values.tolist(),
            y=[y] * len(values),
            mode="markers",
            name="true weights",
            legendgroup="truth",
            showlegend=showlegend,
            marker={"symbol": "triangle-up", "size": 13, "color": TRUTH_COLOR},
            customdata=counts.tolist(),
            cliponaxis=False,
            hovertemplate="true w = %{x:.3g} (%{customdata} weights)<extra></extra>",
        ),
        row=row,
        col=1,
    )


def fig_sorted_magnitudes(result: CompareResult, title: str | None = None) -> go.Figure:
    """|w| sorted from largest to smallest, log y; exact zeros drawn on a floor line.

    A log axis cannot show 0, so every exact zero is drawn as an ✕ at a floor a
    decade below the smallest non-zero magnitude, and the floor is labelled.
    """
    weights = [[abs(v) for v in result.flat_weights(i)] for i in range(len(result.runs))]
    truth = [abs(v) for v in result.true_w] if result.true_w is not None else None
    nonzero = [v for w in weights + ([truth] if truth else []) for v in w if v > 0]
    floor = 10 ** (math.floor(math.log10(min(nonzero))) - 1) if nonzero else 1e-8
    fig = go.Figure()
    if truth:
        fig.add_trace(_sorted_trace(truth, floor, "true |w|", TRUTH_COLOR, dash="dot"))
    for i, w in enumerate(weights):
        color = reg_color(result.keys[i])
        fig.add_trace(_sorted_trace(w, floor, result.labels[i], color))
        ranks = [k + 1 for k, v in enumerate(sorted(w, reverse=True)) if v == 0]
        if ranks:
            fig.add_trace(
                go.Scatter(
                    x=ranks,
                    y=[floor] * len(ranks),
                    mode="markers",
                    name=f"{result.labels[i]}: {len(ranks)} exact zeros",
                    legendgroup=str(i),
                    marker={
                        "symbol": "x-thin",
                        "size": 9,
                        "color": color,
                        "line": {"width": 2, "color": color},
                    },
                    hovertemplate="rank %{x}: exactly 0<extra></extra>",
                )
            )
    fig.add_hline(
        y=floor,
        line={"color": "#888888", "dash": "dot", "width": 1},
        annotation_text=f"{ZERO_FLOOR_NOTE} (drawn at {floor:.0e})",
        annotation_position="top right",
        annotation_font_size=FONT_SIZE - 4,
    )
    styled(fig, title, x_title="rank (largest |w| first)", y_title="|w| (log scale)")
    log_axis(fig, "y")
    return fig


def _sorted_trace(
    values: Sequence[float], floor: float, name: str, color: str, dash: str = "solid"
) -> go.Scatter:
    ys = sorted(values, reverse=True)
    shown = [v if v > 0 else None for v in ys]
    few = sum(v is not None for v in shown) <= 20  # a handful of points: show each one
    return go.Scatter(
        x=list(range(1, len(ys) + 1)),
        y=shown,
        mode="lines+markers" if few and dash == "solid" else "lines",
        name=name,
        line={"color": color, "width": 3 if dash == "solid" else 2, "dash": dash},
        hovertemplate=f"{name}<br>rank %{{x}}: |w| = %{{y:.3g}}<extra></extra>",
    )


def fig_coef_scatter(result: CompareResult, title: str | None = None) -> go.Figure:
    """Estimated against true coefficients, one colour per run, y = x for reference.

    Legend entries carry support recovery (precision P and recall R of the exactly
    non-zero weights). Raises ``ValueError`` when the data set has no true weights.
    """
    if result.true_w is None:
        raise ValueError("this data set has no true weights to compare with")
    truth = list(result.true_w)
    lo, hi = min(truth), max(truth)
    fig = go.Figure()
    for i in range(len(result.runs)):
        w = result.flat_weights(i)
        rec = support_recovery(w, truth)
        lo, hi = min(lo, min(w)), max(hi, max(w))
        fig.add_trace(
            go.Scatter(
                x=truth,
                y=w,
                mode="markers",
                name=f"{result.labels[i]} (P {rec['precision']:.2f}, R {rec['recall']:.2f})",
                marker={"color": reg_color(result.keys[i]), "size": 9, "opacity": 0.75},
                hovertemplate="true %{x:.3g}<br>estimated %{y:.3g}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[lo, hi],
            y=[lo, hi],
            mode="lines",
            name="estimate = truth",
            line={"color": TRUTH_COLOR, "dash": "dot", "width": 1},
        )
    )
    styled(fig, title, x_title="true weight", y_title="estimated weight")
    return fig


def fig_zero_counts(
    result: CompareResult, near_zero: float = 1e-3, title: str | None = None
) -> go.Figure:
    """Exact zeros beside near zeros (|w| < ``near_zero``), one bar pair per run."""
    labels = list(result.labels[: len(result.runs)])
    exact, near = [], []
    for i in range(len(result.runs)):
        w = result.flat_weights(i)
        exact.append(sum(1 for v in w if v == 0.0))
        near.append(sum(1 for v in w if abs(v) < near_zero))
    colors = [reg_color(k) for k in result.keys[: len(result.runs)]]
    fig = go.Figure(
        [
            go.Bar(
                x=labels,
                y=exact,
                name="exactly 0",
                marker={"color": colors},
                text=exact,
                textposition="outside",
            ),
            go.Bar(
                x=labels,
                y=near,
                name=f"|w| < {near_zero:g}",
                text=near,
                textposition="outside",
                marker={"color": colors, "pattern": {"shape": "/"}, "opacity": 0.55},
            ),
        ]
    )
    styled(fig, title, x_title="run", y_title="weights")
    fig.update_layout(barmode="group")
    return fig


def fig_weight_pair(
    result: CompareResult, i: int = 0, j: int = 1, title: str | None = None
) -> go.Figure:
    """Final weights of run ``j`` against run ``i``: on the diagonal when they coincide."""
    wi, wj = result.flat_weights(i), result.flat_weights(j)
    diff = max((abs(a - b) for a, b in zip(wi, wj, strict=True)), default=0.0)
    lo, hi = min(wi + wj), max(wi + wj)
    fig = go.Figure(
        [
            go.Scatter(
                x=[lo, hi],
                y=[lo, hi],
                mode="lines",
                name="equal",
                line={"color": TRUTH_COLOR, "dash": "dot", "width": 1},
            ),
            go.Scatter(
                x=wi,
                y=wj,
                mode="markers",
                name=f"max |difference| = {diff:.2g}",
                marker={
                    "color": reg_color(result.keys[j]),
                    "size": 9,
                    "line": {"color": reg_color(result.keys[i]), "width": 2},
                },
                hovertemplate="%{x:.4g} vs %{y:.4g}<extra></extra>",
            ),
        ]
    )
    styled(fig, title, x_title=f"weight, {result.labels[i]}", y_title=f"weight, {result.labels[j]}")
    return fig


def fig_digit_weights_grid(result: CompareResult, title: str | None = None) -> go.Figure:
    """Every run's per-class weight images in one figure: one row per run, one column per class.

    The rows share one colour scale (0 is white), so L1's blank pixels stand beside
    L2's faint ones; each row is headed with its sparsity and test accuracy.
    """
    n = len(result.runs)
    h, w = result.runs[0].image_shape or (8, 8)
    flats = [np.asarray(result.flat_weights(i), dtype=float) for i in range(n)]
    n_classes = flats[0].size // (h * w)
    zmax = max(float(np.abs(f).max()) for f in flats) or 1.0
    fig = make_subplots(
        rows=n,
        cols=n_classes,
        horizontal_spacing=0.01,
        vertical_spacing=0.16,
        column_titles=[str(c) for c in range(n_classes)],
    )
    for i, flat in enumerate(flats):
        images = flat.reshape(n_classes, h, w)
        for c in range(n_classes):
            fig.add_trace(
                go.Heatmap(
                    z=images[c].tolist(),
                    zmin=-zmax,
                    zmax=zmax,
                    zmid=0,
                    colorscale="RdBu_r",
                    showscale=i == 0 and c == 0,
                    colorbar={"title": "w", "len": 0.8},
                    hovertemplate=f"{result.labels[i]}, class {c}<br>row %{{y}}, col %{{x}}"
                    "<br>w = %{z:.3g}<extra></extra>",
                ),
                row=i + 1,
                col=c + 1,
            )
        fig.add_annotation(
            text=f"<b>{_digits_heading(result, i, flat)}</b>",
            showarrow=False,
            xref="paper",
            yref="y domain" if i == 0 else f"y{i * n_classes + 1} domain",
            x=0,
            y=1.02,
            xanchor="left",
            yanchor="bottom",
            font={"size": FONT_SIZE - 2},
        )
    styled(fig, title, height=120 + 140 * n, legend="none")
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed")
    for k in range(1, n * n_classes + 1):
        suffix = "" if k == 1 else str(k)
        fig.layout[f"yaxis{suffix}"].update(scaleanchor=f"x{suffix}", constrain="domain")
    return fig


def _digits_heading(result: CompareResult, i: int, flat: np.ndarray) -> str:
    acc = result.runs[i].metrics.get("test_acc")
    acc_text = f" · test acc {100 * acc:.1f}%" if acc is not None else ""
    return f"{result.labels[i]}: {100.0 * float((flat == 0).mean()):.0f}% zeros{acc_text}"


OPTIMIZER_MODES = ("sgd_weight_decay", "adam_adamw")  # two runs compared weight for weight


def compare_panels(
    result: CompareResult, mode: str, *, metric: str, task: str
) -> list[tuple[str, go.Figure]]:
    """The (heading, figure) panels of a finished comparison, in page order.

    Args:
        result: the comparison. mode: its preset name (``regcore.compare.PRESETS``).
        metric: "loss" or "accuracy" for the curves. task: "regression" or "classification".
    """
    curves = fig_compare_curves(result.runs, result.labels, result.keys, metric=metric, task=task)
    if mode in OPTIMIZER_MODES:
        norms = fig_compare_curves(result.runs, result.labels, result.keys, metric="weight_l2")
        return [
            ("Train and test curves", curves),
            ("‖w‖₂ per epoch", norms),
            ("Final weights, run against run", fig_weight_pair(result)),
        ]
    panels = [
        ("Weight histograms (same bins, one centred on 0)", fig_weight_histograms(result)),
        ("Train and test curves", curves),
    ]
    if mode in ("regularizers", "l1_solver"):
        panels.append(("Sorted |w| (log scale)", fig_sorted_magnitudes(result)))
        if mode == "l1_solver":
            panels.append(("Exact zeros vs near zeros", fig_zero_counts(result)))
        elif result.true_w is not None:
            panels.append(("Estimated vs true weights", fig_coef_scatter(result)))
    return panels
