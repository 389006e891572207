"""Figures of the scikit-learn sparsity comparison (regcore.experiments.sklearn_sparsity).

Pure functions from a :class:`regcore.experiments.comparison.CompareResult` of two-class image runs:
the share of exact zeros beside the source's, and each run's coefficient image
v = w₁ − w₀ laid out as the source's figure (one row per C, one column per penalty).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regcore.experiments import CompareResult
from regcore.figures.style import FONT_SIZE, styled

OURS_COLOR = "#0072B2"
SOURCE_COLOR = "#b0b0b0"
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
    result: CompareResult,
    published: Sequence[float | None],
    groups: tuple[Sequence[str], Sequence[str]] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Grouped bars per run: our % of exactly-zero weights and the source's published one.

    Args:
        result: the comparison. published: the source's % per run (None: none).
        groups: two rows of axis labels per run (e.g. C and penalty) for a two-level axis;
            None: the runs' labels.
    """
    n = len(result.runs)
    x: Any = [list(g[:n]) for g in groups] if groups else list(result.labels[:n])
    ours = [zero_percent(result, i) for i in range(n)]
    ref = [p if p is not None else float("nan") for p in published[:n]]
    fig = go.Figure()
    for name, values, color in (
        ("ours", ours, OURS_COLOR),
        ("source (published)", ref, SOURCE_COLOR),
    ):
        fig.add_trace(
            go.Bar(
                x=x,
                y=values,
                name=name,
                marker_color=color,  # no numbers on 18 bars: at 12 px they overlapped
                hovertemplate=f"{name}: %{{y:.2f}} % exactly 0<extra></extra>",
            )
        )
    styled(fig, title, y_title="% of weights exactly 0", height=470)
    fig.update_layout(barmode="group", bargap=0.2, bargroupgap=0.05)
    fig.update_yaxes(range=[0, 100])
    fig.update_xaxes(tickfont={"size": FONT_SIZE - 4})
    return fig


def fig_coefficient_grid(
    result: CompareResult,
    col_titles: Sequence[str],
    row_titles: Sequence[str] = (),
    title: str | None = None,
) -> go.Figure:
    """Each run's coefficient image v (8×8), one column per ``col_titles`` entry, rows
    labelled by ``row_titles``, one colour scale (a bar beneath); each image's % of exactly-0
    coefficients beneath it.

    Exactly-zero pixels are not drawn, so they show the grey background; tiny non-zero
    ones are near-white.
    """
    n, n_cols = len(result.runs), max(1, len(col_titles))
    h, w = result.runs[0].image_shape or (8, 8)
    vs = [coefficient_vector(result.flat_weights(i), h * w) for i in range(n)]
    zmax = max((float(np.abs(v).max()) for v in vs), default=1.0) or 1.0
    rows = max(-(-n // n_cols), 1)
    fig = make_subplots(
        rows=rows,
        cols=n_cols,
        column_titles=list(col_titles),
        horizontal_spacing=0.03,
        vertical_spacing=0.1,
    )
    styled(fig, title, height=170 + 160 * rows, legend="none")  # first: it sets axis titles
    fig.update_annotations(font={"size": FONT_SIZE - 2})  # the column titles
    for i, v in enumerate(vs):
        image = np.where(v == 0, np.nan, v).reshape(h, w)
        r, c = i // n_cols + 1, i % n_cols + 1
        fig.add_trace(
            go.Heatmap(
                z=[[None if np.isnan(x) else float(x) for x in row] for row in image],
                zmin=-zmax,
                zmax=zmax,
                zmid=0,
                colorscale="RdBu_r",
                showscale=i == 0,
                colorbar={
                    "title": {"text": "v", "side": "top"},
                    "orientation": "h",
                    "y": -0.12,
                    "yanchor": "top",
                    "len": 0.9,
                    "thickness": 12,
                },
                hovertemplate=f"{result.labels[i]}<br>row %{{y}}, col %{{x}}"
                "<br>v = %{z:.3g}<extra></extra>",
            ),
            row=r,
            col=c,
        )
        _share_label(fig, i + 1, 100.0 * float((v == 0).mean()))
        if c == 1 and r <= len(row_titles):
            fig.update_yaxes(title_text=row_titles[r - 1], row=r, col=c)
    fig.update_layout(plot_bgcolor=ZERO_COLOR, margin={"l": 60, "r": 20, "b": 110})
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(
        showticklabels=False,
        showgrid=False,
        zeroline=False,
        autorange="reversed",
        title_font={"size": FONT_SIZE - 2},
    )
    for k in range(1, n + 1):
        suffix = "" if k == 1 else str(k)
        fig.layout[f"yaxis{suffix}"].update(scaleanchor=f"x{suffix}", constrain="domain")
    return fig


SHARE_GAP_PX = 6  # between an image's lower edge and its "% exactly 0" label


def _share_label(fig: go.Figure, k: int, share: float) -> None:
    # Under image k, in its axes' own domain: a square image is drawn in a domain shrunk
    # to fit (constrain="domain"), and an x-axis title stood on the unshrunk one, over the
    # image's bottom row; a domain reference follows the shrunk domain.
    suffix = "" if k == 1 else str(k)
    fig.add_annotation(
        text=f"{share:.1f} %",
        x=0.5,
        xref=f"x{suffix} domain",
        xanchor="center",
        y=0,
        yref=f"y{suffix} domain",
        yanchor="top",
        yshift=-SHARE_GAP_PX,
        showarrow=False,
        font={"size": FONT_SIZE - 4},
    )
