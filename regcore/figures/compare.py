"""Figures of the L1 vs L2 page: several runs side by side, one colour per regularizer.

Pure functions: a :class:`regcore.experiments.comparison.CompareResult` (or, for curves still
growing, the events received so far) in, a plotly figure out. Colours come from
``REG_COLORS`` through each run's colour key, so L1 is the same orange in every
figure of the page (and of the app).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regcore.experiments import CompareResult
from regcore.experiments import sklearn_sparsity as skl
from regcore.figures.compare_weights import (
    fig_coef_scatter,
    fig_sorted_magnitudes,
    fig_weight_pair,
    fig_zero_counts,
)
from regcore.figures.curves import HistoryLike, as_history, loss_name, thin
from regcore.figures.sparsity import fig_coefficient_grid, fig_zero_shares
from regcore.figures.style import FONT_SIZE, TRUTH_COLOR, log_axis, reg_color, styled

HALF_BINS = 25  # histogram bins on each side of the zero bin (wide enough to see a spike)
# A panel title's line: at 1024 px the page gives a histogram half its main area, 310 px
# (measured in Chromium), about 30 characters of its 16 px font from the figure's left edge.
PANEL_TITLE_CHARS = 30
TITLE_LINE_PX = 22  # one line of a panel title, with its leading
TITLE_SHIFT_PX = 62  # a panel title starts this far left of the plot, 8 px from the edge

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
    titles = [
        _panel_title(result.labels[i], sum(1 for v in w if v == 0.0), len(w))
        for i, w in enumerate(weights)
    ]
    lines = max((t.count("<br>") + 1 for t in titles), default=1)
    height = max(300, (190 + TITLE_LINE_PX * (lines - 1)) * n + 80)
    top = max(60, TITLE_LINE_PX * lines + 10)  # the first title sits in the top margin
    gap = max(0.1, (TITLE_LINE_PX * lines + 14) / (height - top - 60))  # above each panel
    fig = make_subplots(rows=max(n, 1), cols=1, shared_xaxes=True, vertical_spacing=min(gap, 0.3))
    for i, w in enumerate(weights):
        counts, _ = np.histogram(np.asarray(w, dtype=float), bins=edges)
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
        peak = max(int(counts.max()), 1) * 1.15
        fig.update_yaxes(range=[-0.12 * peak, peak], row=i + 1, col=1)
        if truth:  # a rug of triangles under the bars, hiding none of them
            _mark_truth(fig, truth, i + 1, showlegend=i == 0, y=-0.06 * peak)
        fig.add_annotation(
            text=titles[i],
            xref="paper",
            yref=f"y{i + 1 if i else ''} domain",
            x=0.0,
            xshift=-TITLE_SHIFT_PX,  # into the left margin: the whole width for the title
            y=1.0,
            xanchor="left",
            yanchor="bottom",  # above its panel: never over the tallest bar
            align="left",
            showarrow=False,
            font={"size": FONT_SIZE - 2},
        )
    styled(fig, title, height=height, legend="none")
    if not title:
        fig.update_layout(margin_t=top)
    fig.update_layout(bargap=0)
    fig.update_xaxes(title_text="weight value", row=n, col=1, zeroline=True)
    for r in range(1, n + 1):
        fig.update_yaxes(title_text="count", title_font_size=FONT_SIZE, row=r, col=1)
    fig.update_xaxes(tickfont_size=FONT_SIZE - 2, title_font_size=FONT_SIZE)
    fig.update_yaxes(tickfont_size=FONT_SIZE - 4)
    return fig


def _panel_title(label: str, zeros: int, total: int) -> str:
    """``<b>label</b>: zeros/total zero`` on one line when it fits ``PANEL_TITLE_CHARS``,
    else the label wrapped at spaces and the count on a line of its own."""
    count = f"{zeros:,}/{total:,} zero"
    if len(label) + 2 + len(count) <= PANEL_TITLE_CHARS:
        return f"<b>{label}</b>: {count}"
    parts = textwrap.wrap(label, PANEL_TITLE_CHARS, break_long_words=False)
    return "<br>".join([*(f"<b>{p}</b>" for p in parts), count])


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


OPTIMIZER_MODES = ("sgd_weight_decay", "adam_adamw")  # two runs compared weight for weight


class Panel(NamedTuple):
    """One panel of a finished comparison: its heading, its figure, and the caption that
    says what each of its marks is (empty: the legend and axes say it all)."""

    heading: str
    fig: go.Figure
    note: str = ""


HIST_ZEROS = "Each panel's heading counts its weights that are exactly 0."
HIST_TRUTH = "▲ under the bars: the true weights (hover one for how many share its value). "
CURVES_NOTE = "Solid: test; dashed: train (the same colour is the same run)."
SORTED_NOTE = (
    "Each run's |w| from largest to smallest. A log axis cannot show 0: a run's exact zeros "
    "are drawn as ✕ on the dotted floor line; the legend gives the value it is drawn at."
)
SORTED_TRUTH = " Dotted black: the true |w|."
SCATTER_NOTE = (
    "One dot per weight: its true value (x) against the trained one (y); on the dotted line "
    "the estimate is exact. In the legend, P (precision): the share of the weights a run "
    "keeps non-zero that are truly non-zero; R (recall): the share of the truly non-zero "
    "weights it keeps non-zero (1.00 is perfect)."
)
ZEROS_NOTE = "Solid bars: weights exactly 0; hatched: |w| < 10⁻³ (the exact zeros included)."
PAIR_NOTE = (
    "One dot per weight, the first run's (x) against the second's (y): on the dotted line "
    "they are equal; the legend gives the largest difference."
)


def compare_panels(result: CompareResult, mode: str, *, metric: str, task: str) -> list[Panel]:
    """The panels of a finished comparison, in page order, with their captions.

    Args:
        result: the comparison. mode: its preset name
            (``regcore.experiments.compare_presets.COMPARISONS``).
        metric: "loss" or "accuracy" for the curves. task: "regression" or "classification".
    """
    curves = fig_compare_curves(result.runs, result.labels, result.keys, metric=metric, task=task)
    if mode in OPTIMIZER_MODES:
        norms = fig_compare_curves(result.runs, result.labels, result.keys, metric="weight_l2")
        same = ""
        if mode == "sgd_weight_decay":
            same = " (the runs coincide: one line hides the other)"
        return [
            Panel(f"Train and test curves{same}", curves, CURVES_NOTE),
            Panel("‖w‖₂ per epoch", norms),
            Panel("Final weights, run against run", fig_weight_pair(result), PAIR_NOTE),
        ]
    if mode == "sklearn_sparsity":
        return [
            Panel(
                "% of weights exactly 0: ours and the source's",
                fig_zero_shares(result, skl.by_run(skl.PUBLISHED), skl.axis_groups()),
                "Blue: ours; grey: the source's published share (the table gives both).",
            ),
            Panel(
                "Coefficients v = w₁ − w₀ (grey: exactly 0; beneath: % of them 0)",
                fig_coefficient_grid(result, skl.COLUMN_TITLES, skl.ROW_TITLES),
            ),
        ]  # nine runs' curves would be a tangle: the table holds their accuracies
    truth = result.true_w is not None
    panels = [
        Panel(
            "Weight histograms (same bins, one centred on 0)",
            fig_weight_histograms(result),
            (HIST_TRUTH if truth else "") + HIST_ZEROS,
        ),
        Panel("Train and test curves", curves, CURVES_NOTE),
    ]
    if mode in ("regularizers", "l1_solver"):
        note = SORTED_NOTE + (SORTED_TRUTH if truth else "")
        panels.append(Panel("Sorted |w| (log scale)", fig_sorted_magnitudes(result), note))
        if mode == "l1_solver":
            panels.append(Panel("Exact zeros vs near zeros", fig_zero_counts(result), ZEROS_NOTE))
        elif truth:
            panels.append(
                Panel("Estimated vs true weights", fig_coef_scatter(result), SCATTER_NOTE)
            )
    return panels
