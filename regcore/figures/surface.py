"""Decision-surface figures: P(class 1) as a heatmap, the 0.5 boundary, train and test points.

One panel per configuration, all on the same grid and one shared colour scale
(0 to 1), so a wiggly over-fit boundary and a smooth one can be compared at a
glance. Training points are large filled discs with a dark outline, test points
small faint rings (at most ``MAX_TEST_POINTS`` of them), coloured by their true class.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regcore.experiments import Grid, Surface
from regcore.figures.style import FONT_SIZE, styled

CLASS_COLORS = ("#0072B2", "#D55E00")  # class 0 blue, class 1 vermilion (Okabe–Ito)
# light blue at P = 0 through white at 0.5 to light vermilion at 1: points stay visible on top
SURFACE_SCALE = [[0.0, "#8fc1e3"], [0.5, "#ffffff"], [1.0, "#f2b48f"]]


def panel_layout(n: int) -> tuple[int, int]:
    """(rows, cols) for n panels: one row up to two, a 2 × 2 block for three or four."""
    if n <= 2:
        return 1, max(n, 1)
    return 2, 2


MAX_TEST_POINTS = 120  # test rings drawn per panel: enough to see, few enough not to hide


def _point_traces(points: dict, first: bool) -> list[go.Scatter]:
    traces = []
    styles = (("train", 12, "circle", 1.0), ("test", 5, "circle-open", 0.45))
    for split, size, symbol, opacity in styles:
        X, y = points.get(f"{split}_x", []), points.get(f"{split}_y", [])
        if split == "test" and len(X) > MAX_TEST_POINTS:  # an even thinning, deterministic
            step = -(-len(X) // MAX_TEST_POINTS)
            X, y = X[::step], y[::step]
        for c, color in enumerate(CLASS_COLORS):
            xs = [p for p, label in zip(X, y, strict=True) if label == c]
            filled = symbol == "circle"
            traces.append(
                go.Scatter(
                    x=[p[0] for p in xs],
                    y=[p[1] for p in xs],
                    mode="markers",
                    name=f"{split} {c}",
                    legendgroup=f"{split}{c}",
                    showlegend=first,
                    opacity=opacity,
                    marker={
                        "color": color,
                        "size": size,
                        "symbol": symbol,
                        "line": {
                            "color": "#111111" if filled else color,
                            "width": 1.5 if filled else 1.5,
                        },
                    },
                    hovertemplate=f"{split}, class {c}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
                )
            )
    return traces


def fig_surfaces(
    grid: Grid,
    surfaces: Sequence[Surface | None],
    labels: Sequence[str],
    points: dict,
    *,
    height: int | None = None,
) -> go.Figure:
    """Decision surfaces side by side: heatmap of P(class 1), its 0.5 contour, the points.

    Args:
        grid: the grid every surface was evaluated on.
        surfaces: one per configuration (None: not computed yet, drawn empty).
        labels: panel titles, one per configuration.
        points: ``train_x``/``train_y``/``test_x``/``test_y`` lists (regcore.dropout.points_of).
        height: figure height in px (default: by the number of panel rows).

    Returns:
        A figure with, per panel, a heatmap on the shared colour axis (0 to 1), a
        contour trace at 0.5 and four point traces (train/test × class).
    """
    rows, cols = panel_layout(len(labels))
    titles = []
    for label, s in zip(labels, surfaces, strict=False):
        done = "" if s is None else f"epoch {s.epoch}"
        titles.append("<br>".join(t for t in (label, done) if t))
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        shared_xaxes=True,
        shared_yaxes=True,  # tick labels once per row and column: panels stay wide
        horizontal_spacing=0.03,
        vertical_spacing=0.1,
    )
    xs, ys = list(grid.xs), list(grid.ys)
    for i in range(len(labels)):
        row, col = i // cols + 1, i % cols + 1
        s = surfaces[i] if i < len(surfaces) else None
        if s is not None:
            z = [list(r) for r in s.prob]
            fig.add_trace(
                go.Heatmap(
                    x=xs,
                    y=ys,
                    z=z,
                    coloraxis="coloraxis",
                    hovertemplate="(%{x:.2f}, %{y:.2f})<br>P(class 1) %{z:.2f}<extra></extra>",
                ),
                row=row,
                col=col,
            )
            fig.add_trace(
                go.Contour(
                    x=xs,
                    y=ys,
                    z=z,
                    contours={"start": 0.5, "end": 0.5, "size": 1, "coloring": "none"},
                    line={"color": "#222222", "width": 2.5},
                    showscale=False,
                    hoverinfo="skip",
                    name="P = 0.5",
                    showlegend=False,
                ),
                row=row,
                col=col,
            )
        for trace in _point_traces(points, first=i == 0):
            fig.add_trace(trace, row=row, col=col)
        fig.update_xaxes(range=[xs[0], xs[-1]], row=row, col=col, showgrid=False)
        fig.update_yaxes(range=[ys[0], ys[-1]], row=row, col=col, showgrid=False)
    total = height or (360 * rows + 130)
    styled(fig, None, height=total)
    for i in range(len(labels)):
        row, col = i // cols + 1, i % cols + 1
        if row == rows:
            fig.update_xaxes(title={"text": "x₁", "standoff": 4}, row=row, col=col)
        if col == 1:
            fig.update_yaxes(title={"text": "x₂", "standoff": 4}, row=row, col=col)
    fig.update_layout(
        coloraxis={
            "colorscale": SURFACE_SCALE,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorbar": {
                "title": {"text": "P(1)"},
                "len": 0.7,
                "thickness": 10,
                "tickvals": [0, 0.5, 1],
            },
        },
        margin={"t": 70, "b": 16, "l": 55, "r": 10},  # the legend below: see styled
    )
    fig.update_annotations(font={"size": FONT_SIZE - 2})
    return fig
