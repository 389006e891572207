"""A table's coefficient paths with each input's name, the order a lasso takes its inputs
in, and how many inputs a lasso keeps (ISLR's Figures 6.4 and 6.6; Khan's genes).

As ISLR's figures, ``N_NAMED`` inputs are coloured and named at the small-λ end, where the
paths are widest apart — the largest along a ridge path, the first to enter a lasso path —
and the others are grey (every path names its input on hover). The trained path is solid,
the exact minimizer of the same objective dashed in the same colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from regcore.core import SweepResult
from regcore.figures.style import TEST_COLOR, log_ticks, reg_color, styled
from regcore.figures.sweep import _coef_matrix, _log_x, _mark_diverged, _xy, series
from regcore.sweeps import ExactPath

N_NAMED = 4  # coloured and named paths (ISLR's Figures 6.4 and 6.6 colour four)
MAX_NAMED = 40  # inputs up to which paths are drawn one by one, with names
PATH_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
OTHER = "#a0a0a0"


def can_name(source: object) -> bool:
    """Whether ``source`` is a finished sweep of one weight per named input (a linear
    regression on a table), so that its paths can carry names."""
    if not isinstance(source, SweepResult) or not source.feature_names:
        return False
    d = len(source.feature_names)
    return d <= MAX_NAMED and bool(source.weights) and len(_coef_matrix(source)[0]) == d


def fig_named_paths(
    source: SweepResult,
    exact: ExactPath | None = None,
    epochs: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Each input's weight vs λ, the largest ``N_NAMED`` coloured and named.

    Args:
        source: a finished sweep with ``feature_names`` (:func:`can_name`).
        exact: the exact minimizers (``regcore.sweeps.exact_path``), drawn dashed.
        epochs: epochs trained, for the hover text.
        title: the figure title.
    """
    lams, names = list(source.lambdas), source.feature_names
    trained = np.array(_coef_matrix(source), dtype=float)  # (K, d)
    ref = np.array(exact.coefs, dtype=float) if exact else trained
    size = np.nan_to_num(np.abs(ref)).max(0)
    top = [int(j) for j in np.argsort(-size, kind="stable")[: min(N_NAMED, len(names))]]
    if exact and exact.entries:  # a lasso: the first inputs to enter, coming from large λ
        top = [j for j, _ in exact.entries[:N_NAMED]]
    color = {j: PATH_COLORS[i % len(PATH_COLORS)] for i, j in enumerate(top)}
    fig = go.Figure()
    how = f"after {epochs} epochs" if epochs else "trained"
    for j in sorted(range(len(names)), key=lambda j: j in color):  # named paths on top
        c, wide = color.get(j, OTHER), j in color
        x, y = _xy(lams, trained[:, j])
        fig.add_trace(_line(x, y, names[j], c, 3 if wide else 1.5, None, f"{how}"))
        if exact:
            x, y = _xy(exact.lambdas, ref[:, j])
            fig.add_trace(_line(x, y, names[j], c, 2 if wide else 1, "dash", "exact"))
    _legend_keys(fig, bool(exact))
    styled(fig, title, x_title="λ (log scale)", y_title="standardized coefficient")
    _name_ends(fig, [lam for lam in lams if lam > 0], ref, top, names, color)
    _mark_diverged(fig, source)
    return _log_x(fig)


def _line(x, y, name: str, color: str, width: float, dash: str | None, what: str) -> go.Scatter:
    return go.Scatter(
        x=np.array(x, dtype=float),
        y=np.array(y, dtype=float),
        mode="lines",
        name=name,
        showlegend=False,
        line={"color": color, "width": width, "dash": dash},
        hovertemplate=f"{name} = %{{y:.3g}} at λ = %{{x:.3g}} ({what})<extra></extra>",
    )


def _legend_keys(fig: go.Figure, exact: bool) -> None:
    """Two legend entries for the line styles (the names are on the paths)."""
    keys = [("trained", None)] + ([("exact minimizer", "dash")] if exact else [])
    for name, dash in keys:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=name,
                line={"color": "#444444", "width": 2, "dash": dash},
            )
        )


def _name_ends(fig, lams, coefs, top, names, color) -> None:
    """Each named path's name at its small-λ end, nudged apart so no two overlap."""
    if not lams or not top:
        return
    k0 = int(np.argmin(lams))
    ys = {j: float(coefs[k0, j]) for j in top if math.isfinite(coefs[k0, j])}
    span = float(np.nanmax(coefs) - np.nanmin(coefs)) if np.isfinite(coefs).any() else 1.0
    gap = 0.1 * (span or 1.0)
    placed: list[tuple[int, float]] = []
    for j, y in sorted(ys.items(), key=lambda kv: kv[1]):
        if placed and y - placed[-1][1] < gap:
            y = placed[-1][1] + gap
        placed.append((j, y))
    for j, y in placed:
        fig.add_annotation(  # at the plot's left edge (a log-axis x at its end is clipped)
            xref="paper",
            x=0.01,
            y=y,
            text=f"<b>{names[j]}</b>",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 14, "color": color[j]},
        )


def entries_text(
    exact: ExactPath | None, names: Sequence[str], n_fit: int = 0, most: int = 6
) -> str | None:
    """The order in which the exact lasso path takes its inputs in, from large λ, in words
    (None when there is no lasso path); ``n_fit``: the samples it is computed on."""
    if exact is None or not exact.entries:
        return None

    def name(j: int) -> str:
        return names[j] if j < len(names) else f"w{j}"

    parts = [f"**{name(j)}** (λ = {lam:.3g})" for j, lam in exact.entries[:most]]
    more = len(exact.entries) - most
    tail = f", then {more} more" if more > 0 else ""
    on = f" (on the {n_fit:,} samples the models fit)" if n_fit else ""
    return (
        f"Coming from large λ, the exact lasso path{on} takes its inputs in this order: "
        + ", ".join(parts)
        + tail
        + "."
    )


def inputs_kept(source: SweepResult) -> list[int]:
    """Per λ, the inputs with a non-zero weight for some class (a linear model's first
    and only layer, laid out classes × inputs)."""
    d = source.config.data.n_features
    if source.feature_names:
        d = len(source.feature_names)
    out = []
    for layers in source.weights:
        w = np.array(next(iter(layers.values())), dtype=float)
        out.append(int((np.abs(w.reshape(-1, d)) > 0).any(0).sum()))
    return out


def fig_inputs_kept(
    source: SweepResult, title: str | None = None, what: str = "inputs"
) -> go.Figure:
    """How many inputs a sparse linear classifier keeps vs λ, beside its test accuracy."""
    lams = list(source.lambdas)
    kept = [float(k) for k in inputs_kept(source)]
    for i, row in enumerate(source.rows):
        if row.get("diverged"):
            kept[i] = math.nan
    x, y = _xy(lams, kept, positive=True)  # a log axis: no place for 0 inputs kept
    y_kept = y
    kind = source.config.reg.kind
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            name=f"{what} kept",
            line={"color": reg_color(kind), "width": 3},
            hovertemplate=f"%{{y:.0f}} {what} kept at λ = %{{x:.3g}}<extra></extra>",
        )
    )
    x, y = _xy(lams, series(source, "test_acc"))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            name="test accuracy",
            yaxis="y2",
            line={"color": TEST_COLOR, "width": 2, "dash": "dot"},
            hovertemplate="test accuracy %{y:.3f} at λ = %{x:.3g}<extra></extra>",
        )
    )
    styled(fig, title, x_title="λ (log scale)", y_title=f"{what} kept (log scale)")
    shares = [0.0, 0.25, 0.5, 0.75, 1.0]
    fig.update_layout(
        yaxis={"type": "log", **log_ticks(y_kept)},
        yaxis2={
            "title": {"text": "test accuracy", "font": fig.layout.yaxis.title.font},
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.02],
            "tickvals": shares,
            "ticktext": [f"{v:.0%}" for v in shares],
            "tickfont": fig.layout.yaxis.tickfont,
            "showgrid": False,
        },
    )
    _mark_diverged(fig, source)
    return _log_x(fig)
