"""L1 vs L2 in weight space: loss contours, three balls, exact paths, trained trajectories."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from regcore.experiments import KINDS, GeometryResult, penalty
from regcore.figures.style import (
    FONT_SIZE,
    apply_layout,
    base_layout,
    legend_entries,
    reg_color,
    reg_label,
)

BALL_POINTS = 361
MAX_TRAJ_POINTS = 400  # points drawn per trajectory (the first and last always)


def ball(kind: str, level: float, l1_ratio: float, k: int = BALL_POINTS) -> tuple[list, list]:
    """Points (w1, w2) of the closed curve Ω(w) = ``level`` (diamond, circle or in between).

    For a direction θ with m = |cos θ| + |sin θ|, the radius r solves
    α·m·r + (1−α)·½·r² = level.
    """
    alpha = {"l1": 1.0, "l2": 0.0}.get(kind, l1_ratio)
    xs, ys = [], []
    for i in range(k):
        th = 2 * math.pi * i / (k - 1)
        co, si = math.cos(th), math.sin(th)
        m = abs(co) + abs(si)
        if alpha >= 1.0:
            r = level / m
        else:
            q = 1.0 - alpha
            r = (-alpha * m + math.sqrt((alpha * m) ** 2 + 2 * q * level)) / q
        xs.append(r * co)
        ys.append(r * si)
    return xs, ys


def _thin(xs: list[float], ys: list[float], k: int = MAX_TRAJ_POINTS) -> tuple[list, list]:
    if len(xs) <= k:
        return xs, ys
    idx = sorted({round(i * (len(xs) - 1) / (k - 1)) for i in range(k)})
    return [xs[i] for i in idx], [ys[i] for i in idx]


def loss_ellipse(res: GeometryResult, w: tuple[float, float], k: int = 181) -> tuple[list, list]:
    """The data-loss contour through ``w``: (v − ŵ)ᵀC(v − ŵ) = (w − ŵ)ᵀC(w − ŵ), ŵ the OLS."""
    c11, c12, c22 = res.C
    d0, d1 = w[0] - res.ols[0], w[1] - res.ols[1]
    level = c11 * d0 * d0 + 2 * c12 * d0 * d1 + c22 * d1 * d1
    # C = R diag(e) Rᵀ in closed form for 2×2; v = ŵ + R diag(√(level/e)) (cos t, sin t)
    half, mean = math.hypot((c11 - c22) / 2, c12), (c11 + c22) / 2
    e1, e2 = mean + half, mean - half
    ang = 0.5 * math.atan2(2 * c12, c11 - c22)
    ca, sa = math.cos(ang), math.sin(ang)
    a1, a2 = math.sqrt(level / e1), math.sqrt(level / e2)
    xs, ys = [], []
    for i in range(k):
        t = 2 * math.pi * i / (k - 1)
        u, v = a1 * math.cos(t), a2 * math.sin(t)
        xs.append(res.ols[0] + ca * u - sa * v)
        ys.append(res.ols[1] + sa * u + ca * v)
    return xs, ys


def _contour(res: GeometryResult) -> go.Contour:
    """Grey ellipses of the data loss, evenly spaced in √(loss − min): the ellipses near the
    minimum are drawn as well as the far ones; hovering shows the loss itself."""
    g, lo = res.grid, res.min_loss
    z = [[math.sqrt(max(v - lo, 0.0)) for v in row] for row in g["loss"]]
    top = max(max(row) for row in z)
    text = [[f"{v:.3g}" for v in row] for row in g["loss"]]
    return go.Contour(
        x=g["w1"],
        y=g["w2"],
        z=z,
        text=text,
        contours={"coloring": "lines", "start": top / 14, "end": top, "size": top / 14},
        line={"width": 1},
        colorscale=[[0, "#bdbdbd"], [1, "#bdbdbd"]],
        showscale=False,
        name="data loss",
        showlegend=True,
        hovertemplate="w1 %{x:.2f}, w2 %{y:.2f}<br>data loss %{text}<extra></extra>",
    )


def fig_geometry(res: GeometryResult) -> go.Figure:
    """The weight plane (w1, w2) of the two-weight regression.

    Draws: contours of the data loss (grey), the unpenalized minimum (black ×), per
    penalty its exact solution path over λ (dotted), its ball Ω(w) = Ω(ŵ_λ) through its
    solution ŵ_λ (solid) and that solution (filled marker); and the trained weights of
    proximal L1, subgradient L1 and L2, one point per SGD step, from their shared start.
    """
    fig = go.Figure()
    g = res.grid
    fig.add_trace(_contour(res))
    for kind in KINDS:
        _add_kind(fig, res, kind)
    fig.add_trace(
        go.Scatter(
            x=[res.ols[0]],
            y=[res.ols[1]],
            mode="markers",
            marker={"symbol": "x", "size": 14, "color": "#222222"},
            name="no penalty (λ = 0)",
            hovertemplate="unpenalized minimum<br>w1 %{x:.3f}, w2 %{y:.3f}<extra></extra>",
        )
    )
    _add_trajectories(fig, res)
    layout = base_layout(
        x_title="w1", y_title="w2", height=600, legend_entries=legend_entries(fig)
    )  # the legend below: the square plot keeps its size
    layout["margin"].update(t=20, r=10)
    apply_layout(fig, layout)
    fig.update_layout(legend={"font": {"size": FONT_SIZE - 4}, "itemsizing": "constant"})
    axis = {"zeroline": True, "zerolinewidth": 2, "zerolinecolor": "#444444", "constrain": "domain"}
    fig.update_xaxes(range=[g["w1"][0], g["w1"][-1]], **axis)
    fig.update_yaxes(range=[g["w2"][0], g["w2"][-1]], scaleanchor="x", scaleratio=1, **axis)
    fig.update_layout(meta={"lam": res.config.lam, "rho": res.config.rho})
    return fig


def _add_kind(fig: go.Figure, res: GeometryResult, kind: str) -> None:
    cfg, color = res.config, reg_color(kind)
    label = reg_label(kind)
    path = res.paths[kind]
    fig.add_trace(
        go.Scatter(
            x=path["w1"],
            y=path["w2"],
            mode="lines",
            line={"color": color, "width": 2, "dash": "dot"},
            name=f"{label}: exact path, λ 0 → {path['lam'][-1]:g}",
            legendgroup=kind,
            showlegend=False,
            customdata=path["lam"],
            hovertemplate="λ %{customdata:.3g}: w1 %{x:.3f}, w2 %{y:.3f}<extra></extra>",
        )
    )
    w = res.solutions[kind]
    xs, ys = ball(kind, penalty(w, kind, cfg.l1_ratio), cfg.l1_ratio)
    shape = {"l1": "diamond", "l2": "disk"}.get(kind, f"ball (α = {cfg.l1_ratio:g})")
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": color, "width": 2.5},
            name=f"{label}: {shape}",
            legendgroup=kind,
            hoverinfo="skip",
        )
    )
    if kind != "elastic_net":  # two touching ellipses are enough; a third hides the balls
        ex, ey = loss_ellipse(res, w)
        fig.add_trace(
            go.Scatter(
                x=ex,
                y=ey,
                mode="lines",
                line={"color": color, "width": 1.2, "dash": "dash"},
                name=f"{label}: loss contour it touches",
                legendgroup=kind,
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[w[0]],
            y=[w[1]],
            mode="markers",
            marker={"color": color, "size": 14, "line": {"color": "white", "width": 2}},
            name=f"{label}: solution at λ = {cfg.lam:g}",
            legendgroup=kind,
            showlegend=False,
            hovertemplate=f"{label} at λ = {cfg.lam:g}<br>"
            + "w1 %{x:.4f}, w2 %{y:.4f}<extra></extra>",
        )
    )


def _add_trajectories(fig: go.Figure, res: GeometryResult) -> None:
    styles = {
        "l1_proximal": ("solid", "circle"),
        "l1_subgradient": ("solid", "triangle-up"),
        "l2": ("solid", "square"),
    }
    for run, t in res.trajectories.items():
        xs, ys = _thin(t["w1"], t["w2"])
        dash, symbol = styles.get(run, ("solid", "circle"))
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                line={"color": reg_color(run), "width": 1.5, "dash": dash},
                marker={"symbol": symbol, "size": 5, "color": reg_color(run)},
                name=f"trained: {reg_label(run) if run != 'l2' else 'L2'}",
                hovertemplate="w1 %{x:.4f}, w2 %{y:.4f}<extra></extra>",
            )
        )
    first = next(iter(res.trajectories.values()))
    fig.add_trace(
        go.Scatter(
            x=[first["w1"][0]],
            y=[first["w2"][0]],
            mode="markers",
            marker={"symbol": "star", "size": 16, "color": "#222222"},
            name="shared start",
            hovertemplate="start: w1 %{x:.3f}, w2 %{y:.3f}<extra></extra>",
        )
    )
