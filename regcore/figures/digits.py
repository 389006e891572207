"""The digits' per-class weight images of the L1 vs L2 page: one 8 × 8 image per class and
run, large enough for a room (a pure function of a comparison)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regcore.experiments import CompareResult
from regcore.figures.style import FONT_SIZE, styled

DIGITS_PER_ROW = 5  # 10 classes in two rows of five: images about 90 px at 1024 px
DIGIT_TILE_PX = 100  # the height each image row gets (the width caps it at 1024 px)
DIGIT_GAP_PX = 52  # between image rows: a class label below, a run's heading above


def fig_digit_weights_grid(result: CompareResult, title: str | None = None) -> go.Figure:
    """Every run's per-class weight images: a block of two rows of five per run, each image
    labelled with its class.

    The runs share one colour scale (0 is white), so L1's blank pixels stand beside L2's
    faint ones; each block is headed with its sparsity and test accuracy. Five to a row
    (not ten) draws each 8 × 8 image about 90 px wide on a 1024-px projector.
    """
    n = len(result.runs)
    h, w = result.runs[0].image_shape or (8, 8)
    flats = [np.asarray(result.flat_weights(i), dtype=float) for i in range(n)]
    n_classes = flats[0].size // (h * w)
    per_row = min(DIGITS_PER_ROW, n_classes)
    rows_per_run = -(-n_classes // per_row)
    rows = n * rows_per_run
    top, bottom = 44, 90  # a run's heading; the class labels and the colour bar
    height = top + bottom + rows * DIGIT_TILE_PX + (rows - 1) * DIGIT_GAP_PX
    zmax = max(float(np.abs(f).max()) for f in flats) or 1.0
    fig = make_subplots(
        rows=rows,
        cols=per_row,
        horizontal_spacing=0.02,
        vertical_spacing=DIGIT_GAP_PX / (height - top - bottom),
    )
    for i, flat in enumerate(flats):
        images = flat.reshape(n_classes, h, w)
        for c in range(n_classes):
            row, col = i * rows_per_run + c // per_row + 1, c % per_row + 1
            fig.add_trace(
                go.Heatmap(
                    z=images[c].tolist(),
                    zmin=-zmax,
                    zmax=zmax,
                    zmid=0,
                    colorscale="RdBu_r",
                    showscale=i == 0 and c == 0,
                    colorbar=_DIGIT_BAR,
                    hovertemplate=f"{result.labels[i]}, class {c}<br>row %{{y}}, col %{{x}}"
                    "<br>w = %{z:.3g}<extra></extra>",
                ),
                row=row,
                col=col,
            )
            k = (row - 1) * per_row + col
            fig.add_annotation(  # the class under its image
                text=str(c),
                showarrow=False,
                xref=f"x{k if k > 1 else ''} domain",
                yref=f"y{k if k > 1 else ''} domain",
                x=0.5,
                y=0.0,
                yshift=-4,
                xanchor="center",
                yanchor="top",
                font={"size": FONT_SIZE - 2},
            )
        first = i * rows_per_run * per_row + 1
        fig.add_annotation(
            text=f"<b>{_digits_heading(result, i, flat)}</b>",
            showarrow=False,
            xref="paper",
            yref=f"y{first if first > 1 else ''} domain",
            x=0,
            y=1.0,
            yshift=4,
            xanchor="left",
            yanchor="bottom",
            font={"size": FONT_SIZE - 2},
        )
    styled(fig, title, height=height, legend="none")
    fig.update_layout(margin={"l": 10, "r": 10, "t": top, "b": bottom})
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed")
    for k in range(1, rows * per_row + 1):
        suffix = "" if k == 1 else str(k)
        fig.layout[f"yaxis{suffix}"].update(scaleanchor=f"x{suffix}", constrain="domain")
        fig.layout[f"xaxis{suffix}"].update(constrain="domain")
    return fig


# under the images, across: the right margin stays free for a fifth image
_DIGIT_BAR = {
    "title": {"text": "w", "side": "right"},
    "orientation": "h",
    "x": 0.5,
    "xanchor": "center",
    "len": 0.5,
    "thickness": 14,
    "y": 0.0,
    "yref": "container",
    "yanchor": "bottom",
}


def _digits_heading(result: CompareResult, i: int, flat: np.ndarray) -> str:
    acc = result.runs[i].metrics.get("test_acc")
    acc_text = f" · test acc {100 * acc:.1f}%" if acc is not None else ""
    return f"{result.labels[i]}: {100.0 * float((flat == 0).mean()):.0f}% zeros{acc_text}"
