"""An MLP's first-layer weights on an image set, each hidden unit's 784 weights as a 28 × 28
image (the L1 vs L2 page's MNIST presets).

What it shows on real MNIST (the preset, 20 epochs, seed 0): without a penalty every unit is
speckled with pixel-level noise, the border included; L2 λ = 0.01 smooths each unit into
broad strokes (‖W‖ 11.1 → 5.9); L1 λ = 1e-4 by subgradient keeps the speckled look but puts
29 % of the weights below 10⁻³ (2.6 % without a penalty), none exactly 0.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regcore.engine import NEAR_ZERO
from regcore.experiments import CompareResult
from regcore.figures.style import FONT_SIZE, styled

UNITS_PER_ROW = 20  # a mosaic of 200 units is 10 rows of 20
UNITS_SHOWN = 12  # per run, in two rows of six: each unit about 100 px wide at 1024 px
SHOWN_PER_ROW = 6
UNIT_ROWS_PX = 210  # a run's two rows of units
HEADING_PX = 56  # a run's two-line heading above them


def unit_mosaic(weights: np.ndarray, shape: tuple[int, int], per_row: int = UNITS_PER_ROW):
    """Hidden units' input weights (units, h·w) tiled as one image, units one pixel apart
    (NaN gaps), row by row: shape (rows·(h+1) − 1, per_row·(w+1) − 1)."""
    h, w = shape
    n = weights.shape[0]
    rows, cols = math.ceil(n / per_row), min(n, per_row)
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for u in range(n):
        r, c = divmod(u, per_row)
        out[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = weights[u].reshape(h, w)
    return out


def fig_unit_images(result: CompareResult, title: str | None = None) -> go.Figure:
    """Each run's first-layer weights: its first :data:`UNITS_SHOWN` hidden units, one
    image each (about 100 px wide on a 1024-px projector, where 200 units of 20 px could
    not be seen from a room), one panel per run.

    Every run starts from the same initial weights, so unit k is the same unit in every
    panel. Each panel has its own symmetric colour scale (white is 0): the runs' weights
    differ in size by orders of magnitude, and the shape of each unit's weights is what is
    compared. The heading's figures (largest |w|, zeros) are over all the run's units.
    """
    shape = result.runs[0].image_shape or (28, 28)
    n = len(result.runs)
    height = 20 + n * (HEADING_PX + UNIT_ROWS_PX)
    fig = make_subplots(rows=n, cols=1, vertical_spacing=HEADING_PX / (height - 20 - HEADING_PX))
    for i, run in enumerate(result.runs):
        first = np.asarray(next(iter(run.weights.values())), dtype=float)
        units = first.reshape(-1, shape[0] * shape[1])
        zmax = float(np.abs(units).max()) or 1.0
        zeros = 100.0 * float((units == 0).mean())
        near = 100.0 * float((np.abs(units) < NEAR_ZERO).mean())
        shown = units[:UNITS_SHOWN]
        fig.add_trace(
            go.Heatmap(
                z=unit_mosaic(shown, shape, SHOWN_PER_ROW).tolist(),
                zmin=-zmax,
                zmax=zmax,
                zmid=0,
                colorscale="RdBu_r",
                showscale=False,
                hovertemplate=f"{result.labels[i]}<br>w = %{{z:.3g}}<extra></extra>",
            ),
            row=i + 1,
            col=1,
        )
        fig.add_annotation(
            text=f"<b>{result.labels[i]}</b>: units 1–{len(shown)} of {units.shape[0]}<br>"
            f"all units: |w| ≤ {zmax:.2g}, {zeros:.0f}% exact zeros, "
            f"{near:.0f}% |w| < {NEAR_ZERO:g}",
            showarrow=False,
            xref="paper",
            yref="y domain" if i == 0 else f"y{i + 1} domain",
            x=0,
            y=1.0,
            xanchor="left",
            yanchor="bottom",
            align="left",
            font={"size": FONT_SIZE - 2},
        )
    styled(fig, title, height=height, legend="none")
    fig.update_layout(margin={"l": 10, "r": 10, "t": HEADING_PX, "b": 20})
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed")
    for k in range(1, n + 1):
        suffix = "" if k == 1 else str(k)
        fig.layout[f"yaxis{suffix}"].update(scaleanchor=f"x{suffix}", constrain="domain")
        fig.layout[f"xaxis{suffix}"].update(constrain="domain")
    return fig
