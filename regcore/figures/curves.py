"""Loss curves of one run: semilog train/test data loss, the penalty beside them.

Pure: a history (a ``RunResult``, its ``history`` dict, or the ``StepMetrics``
received so far) in, a plotly figure out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from regcore.core import HISTORY_KEYS, RunResult, StepMetrics
from regcore.figures.style import PENALTY_COLOR, TEST_COLOR, TRAIN_COLOR, log_axis, styled

HistoryLike = RunResult | Mapping[str, Sequence[float]] | Sequence[StepMetrics]

# The history key behind each curve the figure can show, by trace name: the fresh figure and
# the live redraw read the same table, so a series a run produces cannot lack its redraw.
CURVE_KEYS = {
    "train": "train_loss",
    "test": "test_loss",
    "penalty λ·Ω(w)": "penalty",
    "validation": "val_loss",
}


def as_history(source: HistoryLike) -> dict[str, list[float]]:
    """The per-epoch history as a dict of lists, whatever form it comes in.

    Args:
        source: a ``RunResult``, a history dict, or a sequence of ``StepMetrics``
            (the events of a run still training).

    Returns:
        ``{"epoch": [...], "train_loss": [...], ...}``; keys whose values are all
        missing (e.g. accuracies of a regression) are left out.
    """
    if isinstance(source, RunResult):
        return {k: list(v) for k, v in source.history.items()}
    if isinstance(source, Mapping):
        return {k: list(v) for k, v in source.items()}
    out: dict[str, list[float]] = {}
    for key in HISTORY_KEYS:
        values = [getattr(ev, key) for ev in source]
        if values and all(v is not None for v in values):
            out[key] = values
    out.setdefault("epoch", [])
    return out


def thin(history: dict[str, list[float]], max_points: int) -> dict[str, list[float]]:
    """Every k-th entry of each list (k so that about ``max_points`` remain), plus the last."""
    n = len(history.get("epoch", []))
    if n <= max_points:
        return history
    step = -(-n // max_points)
    keep = [*range(0, n - 1, step), n - 1]
    return {k: [v[i] for i in keep] for k, v in history.items()}


def _positive(values: Sequence[float]) -> list[float | None]:
    # a log axis cannot show 0, NaN or ∞: leave a gap instead of a misleading point
    return [v if (v is not None and math.isfinite(v) and v > 0) else None for v in values]


def fig_loss_curves(
    source: HistoryLike,
    *,
    show_penalty: bool = False,
    epochs: int | None = None,
    title: str | None = None,
    loss_name: str = "loss",
    max_points: int | None = None,
    best_epoch: int | None = None,
) -> go.Figure:
    """Train and test data loss per epoch on a log y axis (the penalty optional).

    Args:
        source: see :func:`as_history`.
        show_penalty: add the penalty term λ·Ω(w) as a third, dashed trace.
        epochs: fix the x axis to 0..epochs so a growing run fills it from the left.
        title: figure title.
        loss_name: y-axis name ("MSE", "cross-entropy", ...).
        max_points: thin each trace to about this many points (every k-th epoch, the
            last one always kept), so a live redraw of a long run stays light.
        best_epoch: early stopping's best-validation epoch, whose weights the run
            kept: marked by a dotted vertical line, and by a black diamond on the
            validation loss curve when the history has one (unless thinning dropped it).

    Returns:
        A figure with traces "train", "test" (and "penalty λ·Ω(w)", "validation",
        "kept: epoch N").
    """
    h = as_history(source)
    if max_points:
        h = thin(h, max_points)
    x = h.get("epoch", [])
    fig = go.Figure()
    for name, color in (("train", TRAIN_COLOR), ("test", TEST_COLOR)):
        key = CURVE_KEYS[name]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=_positive(h.get(key, [])),
                name=name,
                mode="lines",
                line={"color": color, "width": 3},
                hovertemplate=f"epoch %{{x}}<br>{name} {loss_name} %{{y:.4g}}<extra></extra>",
            )
        )
    if show_penalty:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=_positive(h.get("penalty", [])),
                name="penalty λ·Ω(w)",
                mode="lines",
                line={"color": PENALTY_COLOR, "width": 2, "dash": "dash"},
                hovertemplate="epoch %{x}<br>λ·Ω(w) %{y:.4g}<extra></extra>",
            )
        )
    if h.get("val_loss"):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=_positive(h["val_loss"]),
                name="validation",
                mode="lines",
                line={"color": PENALTY_COLOR, "width": 2, "dash": "dot"},
                hovertemplate=f"epoch %{{x}}<br>validation {loss_name} %{{y:.4g}}<extra></extra>",
            )
        )
    styled(fig, title, x_title="epoch", y_title=f"{loss_name} (log scale)")
    log_axis(fig, "y")
    if best_epoch is not None and best_epoch in x and h.get("val_loss"):
        at = x.index(best_epoch)
        fig.add_trace(
            go.Scatter(
                x=[best_epoch],
                y=_positive([h["val_loss"][at]]),
                name=f"kept: epoch {best_epoch}",
                mode="markers",
                marker={"symbol": "diamond", "size": 14, "color": "#222222"},
                hovertemplate=f"kept epoch %{{x}}<br>validation {loss_name} %{{y:.4g}}"
                "<extra></extra>",
            )
        )
    last = epochs or (max(x) if x else None)
    if best_epoch is not None:
        # the note goes on the side with room for it: plotly widens an autoranged axis to
        # hold an annotation, so a note left of epoch 16 stretched the axis to epoch −40
        early = last is not None and best_epoch < 0.5 * last
        fig.add_vline(
            x=best_epoch,
            line={"dash": "dot", "color": "#222222", "width": 2},
            annotation={"text": f"best validation: epoch {best_epoch} (kept)"},
            annotation_position="top right" if early else "top left",
        )
    if last:
        fig.update_xaxes(range=[0, last])
    return fig


def refresh_loss_curves(
    fig: go.Figure, source: HistoryLike, max_points: int | None = None
) -> go.Figure:
    """Put the history of ``source`` into ``fig``, a figure made by :func:`fig_loss_curves`.

    The one figure function that changes its input, on purpose: a live redraw that builds
    the figure anew costs about 35 ms of CPU (plotly validates every property), one that
    swaps the traces' data about 1 ms, and a server redraws every training session's chart
    twice a second. The result equals ``fig_loss_curves(source, ...)`` with the same
    options (tested). ``fig`` must come from a history with the same series: a validation
    curve appears with the first event of an early-stopped run, so a figure made before it
    has no trace for it (the caller builds the figure anew when the series change).
    """
    h = as_history(source)
    if max_points:
        h = thin(h, max_points)
    with fig.batch_update():
        for trace in fig.data:
            trace.x = h.get("epoch", [])
            trace.y = _positive(h.get(CURVE_KEYS[trace.name], []))
    return log_axis(fig, "y")  # its ticks follow the data (read after the batch has landed)


def loss_name(task: str) -> str:
    """The data loss of a task, as the y axis names it."""
    return "cross-entropy" if task == "classification" else "MSE"


def run_summary(result: RunResult) -> dict[str, Any]:
    """The numbers of the metrics row: losses, gap, norms, sparsity, device, time."""
    m = result.metrics
    out: dict[str, Any] = {
        "train_loss": m.get("train_loss"),
        "test_loss": m.get("test_loss"),
        "gap": _gap(m.get("train_loss"), m.get("test_loss")),
        "weight_l2": m.get("weight_l2"),
        "weight_l1": m.get("weight_l1"),
        "zero_pct": 100.0 * m.get("zero_fraction", 0.0),
        "near_zero_pct": 100.0 * m.get("near_zero_fraction", 0.0),
        "device": m.get("device"),
        "seconds": m.get("seconds"),
        "epochs_run": m.get("epochs_run"),
    }
    if "test_acc" in m:
        out.update(train_acc=m.get("train_acc"), test_acc=m.get("test_acc"))
    return out


def _gap(train: float | None, test: float | None) -> float | None:
    if train is None or test is None:
        return None
    return test - train
