"""Figures of the scikit-learn sparsity comparison (regcore.sklearn_sparsity).

Pure functions from a :class:`regcore.compare.CompareResult` of two-class image runs:
the share of exact zeros beside the source's, and each run's coefficient image
v = w₁ − w₀ laid out as the source's figure (one row per C, one column per penalty).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regcore.compare import CompareResult
from regcore.figures.style import FONT_SIZE, reg_color, styled

SOURCE_COLOR = "#999999"
ZERO_COLOR = "#d9d9d9"  # background: exactly-zero pixels are left undrawn and show it


def coefficient_vector(flat: Sequence[float], n_pixels: int) -> np.ndarray:
    """The one vector of a two-class model, v = w₁ − w₀ (scikit-learn's ``coef_``);
    a one-row model's weights as they are.

    Args:
        flat: a run's weights, rows concatenated (2·n_pixels or n_pixels values).
        n_pixels: inputs per row.
    """
    w = np.asarray(flat, dtype=float).reshape(-1, n_pixels)
    return w[1] - w[0] if w.shape[0] == 2 else w[0]


def zero_percent(result: CompareResult, i: int) -> float:
    """% of run ``i``'s weights that are exactly 0."""
    w = np.asarray(result.flat_weights(i), dtype=float)
    return 100.0 * float((w == 0).mean()) if w.size else 0.0


def fig_zero_shares(
    result: CompareResult, published: Sequence[float | None], title: str | None = None
) -> go.Figure:
    """Grouped bars per run: our % of exactly-zero weights and the source's published one."""
    labels = list(result.labels[: len(result.runs)])
    ours = [zero_percent(result, i) for i in range(len(result.runs))]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=ours,
            name="ours",
            marker_color=[reg_color(k) for k in result.keys[: len(labels)]],
            text=[f"{v:.1f}" for v in ours],
            textposition="outside",
            hovertemplate="%{x}<br>ours: %{y:.2f} % exactly 0<extra></extra>",
        )
    )
    ref = [p if p is not None else float("nan") for p in published[: len(labels)]]
    fig.add_trace(
        go.Bar(
            x=labels,
            y=ref,
            name="source (published)",
            marker_color=SOURCE_COLOR,
            text=[f"{v:.1f}" for v in ref],
            textposition="outside",
            hovertemplate="%{x}<br>source: %{y:.2f} % exactly 0<extra></extra>",
        )
    )
    styled(fig, title, y_title="% of weights exactly 0", height=470)
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(range=[0, 105])
    fig.update_xaxes(tickangle=-35, tickfont={"size": FONT_SIZE - 4})
    return fig


def fig_coefficient_grid(
    result: CompareResult, n_cols: int = 3, title: str | None = None
) -> go.Figure:
    """Each run's coefficient image v (8×8), ``n_cols`` runs per row, one colour scale.

    Exactly-zero pixels are not drawn, so they show the grey background; tiny non-zero
    ones are near-white. Each panel is titled with its run and its share of zeros.
    """
    n = len(result.runs)
    h, w = result.runs[0].image_shape or (8, 8)
    vs = [coefficient_vector(result.flat_weights(i), h * w) for i in range(n)]
    zmax = max((float(np.abs(v).max()) for v in vs), default=1.0) or 1.0
    rows = -(-n // n_cols)
    titles = [
        f"{result.labels[i]}: {100.0 * float((v == 0).mean()):.1f}% zeros" for i, v in enumerate(vs)
    ]
    fig = make_subplots(
        rows=rows,
        cols=n_cols,
        subplot_titles=titles,
        horizontal_spacing=0.04,
        vertical_spacing=0.1,
    )
    for i, v in enumerate(vs):
        image = np.where(v == 0, np.nan, v).reshape(h, w)
        fig.add_trace(
            go.Heatmap(
                z=[[None if np.isnan(x) else float(x) for x in row] for row in image],
                zmin=-zmax,
                zmax=zmax,
                zmid=0,
                colorscale="RdBu_r",
                showscale=i == 0,
                colorbar={"title": "v", "len": 0.6},
                hovertemplate=f"{result.labels[i]}<br>row %{{y}}, col %{{x}}"
                "<br>v = %{z:.3g}<extra></extra>",
            ),
            row=i // n_cols + 1,
            col=i % n_cols + 1,
        )
    styled(fig, title, height=140 + 230 * rows, legend="none")
    fig.update_annotations(font={"size": FONT_SIZE - 4})
    fig.update_layout(plot_bgcolor=ZERO_COLOR)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed")
    for k in range(1, n + 1):
        suffix = "" if k == 1 else str(k)
        fig.layout[f"yaxis{suffix}"].update(scaleanchor=f"x{suffix}", constrain="domain")
    return fig
