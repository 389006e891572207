"""Figures of the Dropout & norm page: curves side by side, the dropout sweep, small
batches (bias–variance against p: regcore.figures.biasvar). Pure functions of results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regcore.experiments import DropoutSweepResult, SmallBatchResult
from regcore.figures.curves import HistoryLike, as_history, loss_name, thin
from regcore.figures.style import FONT_SIZE, log_axis, styled

# One colour per configuration slot (Okabe–Ito), the first the un-regularized grey.
NET_COLORS = ("#555555", "#E69F00", "#0072B2", "#CC79A7")
NORM_COLORS = {"batch": "#D55E00", "group": "#009E73", "layer": "#0072B2", "none": "#555555"}
NORM_NAMES = {"batch": "BatchNorm", "group": "GroupNorm", "layer": "LayerNorm", "none": "none"}


def net_color(i: int) -> str:
    """The colour of configuration slot ``i`` (0-based)."""
    return NET_COLORS[i % len(NET_COLORS)]


def _shown(values: Sequence[float | None], log_y: bool) -> list[float | None]:
    if not log_y:
        return list(values)
    return [v if v is not None and math.isfinite(v) and v > 0 else None for v in values]


def fig_net_curves(
    sources: Sequence[HistoryLike],
    labels: Sequence[str],
    *,
    metric: str = "loss",
    task: str = "classification",
    epochs: int | None = None,
    best_epochs: Sequence[int | None] = (),
    max_points: int | None = None,
) -> go.Figure:
    """Overlaid curves of several networks: test solid, train dashed, one colour each.

    Args:
        sources: one history per configuration (may be shorter while training).
        labels: display names. metric: ``loss`` (log y) or ``accuracy``.
        task: names the loss. epochs: fixes the x range to 0..epochs.
        best_epochs: per configuration, the best-validation epoch early stopping
            kept (None: no early stopping); drawn as a star on the test curve.
        max_points: thin each history to about this many epochs (live redraws).

    Returns:
        A figure with a test and a train trace per configuration, plus a star per
        early-stopped one.
    """
    log_y = metric == "loss"
    keys = ("test_loss", "train_loss") if log_y else ("test_acc", "train_acc")
    y_name = loss_name(task) if log_y else "accuracy"
    fig = go.Figure()
    for i, (source, label) in enumerate(zip(sources, labels, strict=False)):
        full = as_history(source)
        h = thin(full, max_points) if max_points else full
        x, color = h.get("epoch", []), net_color(i)
        for key, dash, width, suffix in (
            (keys[0], "solid", 3, ""),
            (keys[1], "dash", 2, " (train)"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=_shown(h.get(key, []), log_y),
                    mode="lines",
                    name=label + suffix,
                    legendgroup=label,
                    showlegend=not suffix,
                    line={"color": color, "width": width, "dash": dash},
                    hovertemplate=f"{label}{suffix}<br>epoch %{{x}}<br>{y_name} %{{y:.4g}}"
                    "<extra></extra>",
                )
            )
        best = best_epochs[i] if i < len(best_epochs) else None
        if best is not None and best in full.get("epoch", []):
            y = full.get(keys[0], [])[full["epoch"].index(best)]
            fig.add_trace(
                go.Scatter(
                    x=[best],
                    y=[y],
                    mode="markers",
                    name=f"{label}: best validation (kept)",
                    legendgroup=label,
                    marker={"symbol": "star", "size": 18, "color": color, "line": {"width": 1}},
                    hovertemplate=f"{label}<br>best validation loss at epoch %{{x}}: "
                    "these weights are kept<extra></extra>",
                )
            )
    styled(fig, None, x_title="epoch (dashed: train)", y_title=y_name + (" (log)" if log_y else ""))
    if log_y:
        log_axis(fig, "y")
    if epochs:
        fig.update_xaxes(range=[0, epochs])
    return fig


def _band(fig, x, mean, std, color, name, row=None, col=None, dash="solid") -> None:
    upper = [m + s for m, s in zip(mean, std, strict=True)]
    lower = [m - s for m, s in zip(mean, std, strict=True)]
    kw = {} if row is None else {"row": row, "col": col}
    fig.add_trace(
        go.Scatter(
            x=list(x) + list(x)[::-1],
            y=upper + lower[::-1],
            fill="toself",
            fillcolor=color,
            opacity=0.18,
            mode="lines",  # the band's outline only: no stray markers at its corners
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
            legendgroup=name,
        ),
        **kw,
    )
    fig.add_trace(
        go.Scatter(
            x=list(x),
            y=mean,
            mode="lines+markers",
            name=name,
            legendgroup=name,
            line={"color": color, "width": 3, "dash": dash},
            hovertemplate=f"{name}<br>p = %{{x:.2f}}<br>%{{y:.4g}}<extra></extra>",
        ),
        **kw,
    )


def fig_dropout_sweep(res: DropoutSweepResult, task: str = "classification") -> go.Figure:
    """Test and validation loss (and test accuracy) against p, mean ± one std over repeats.

    The best p (lowest mean validation loss) is marked by a dotted vertical line
    and a star on the validation curve.
    """
    classify = res.test_acc is not None
    fig = make_subplots(
        rows=1,
        cols=2 if classify else 1,
        subplot_titles=[loss_name(task), "test accuracy"] if classify else None,
        horizontal_spacing=0.18,  # room for the second panel's tick labels when narrow
    )
    p = res.rates
    _band(fig, p, res.test_loss, res.test_loss_std, "#D55E00", "test loss", 1, 1)
    _band(fig, p, res.val_loss, res.val_loss_std, "#0072B2", "validation loss", 1, 1, "dash")
    if classify:
        _band(fig, p, res.test_acc, res.test_acc_std, "#009E73", "test accuracy", 1, 2)
    i = res.best_index
    if i is not None:
        fig.add_trace(
            go.Scatter(
                x=[p[i]],
                y=[res.val_loss[i]],
                mode="markers",
                name=f"best p = {p[i]:g} (by validation)",
                marker={"symbol": "star", "size": 20, "color": "#0072B2"},
                hovertemplate="best p %{x:g}<br>validation loss %{y:.4g}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        for c in range(1, 3 if classify else 2):
            fig.add_vline(x=p[i], line={"dash": "dot", "color": "#444444"}, row=1, col=c)
    styled(fig, None, x_title="drop probability p", y_title=loss_name(task))
    fig.update_xaxes(title_text="drop probability p", range=[-0.03, max(p, default=0.9) + 0.03])
    fig.update_annotations(font={"size": FONT_SIZE - 2})
    return fig


def fig_small_batches(res: SmallBatchResult, metric: str = "test_loss") -> go.Figure:
    """One panel per batch size, one curve per normalization (test loss or accuracy).

    All panels share the y axis, so the small-batch panels can be read against
    the batch-32 one directly.
    """
    sizes = res.batch_sizes
    fig = make_subplots(
        rows=1,
        cols=len(sizes),
        shared_yaxes=True,
        subplot_titles=[f"batch size {b}" for b in sizes],
        horizontal_spacing=0.04,
    )
    log_y = metric.endswith("loss")
    for c, b in enumerate(sizes, start=1):
        for norm in res.norms:
            h = res.histories.get(f"{norm}@{b}")
            if not h:
                continue
            fig.add_trace(
                go.Scatter(
                    x=h["epoch"],
                    y=_shown(h.get(metric, []), log_y),
                    mode="lines",
                    name=NORM_NAMES.get(norm, norm),
                    legendgroup=norm,
                    showlegend=c == 1,
                    line={"color": NORM_COLORS.get(norm, "#777777"), "width": 3},
                    hovertemplate=f"{NORM_NAMES.get(norm, norm)}, batch {b}<br>epoch %{{x}}"
                    "<br>%{y:.4g}<extra></extra>",
                ),
                row=1,
                col=c,
            )
    y_name = "test loss (log)" if log_y else "test accuracy"
    styled(fig, None, x_title="epoch", y_title=y_name)
    fig.update_xaxes(title_text="epoch")
    if log_y:
        log_axis(fig, "y")  # 0.1, 0.2, 0.5, 1 — not plotly's "1, 9, 8, … 2, 10⁻¹"
    fig.update_annotations(font={"size": FONT_SIZE - 2})
    return fig
