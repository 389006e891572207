"""The λ sweep's cross-validation figure: the k-fold CV curve with ± one standard error,
λ_min and the one-standard-error λ marked, and the test loss of the refitted models."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from regcore.figures.style import PENALTY_COLOR, TEST_COLOR, log_axis, styled
from regcore.sweeps import CVResult

CHOICE_MARKS = (  # which choice, its marker, its line dash, legend rank
    ("min", "star", "dot", 3),
    ("1se", "triangle-up", "dash", 4),
)
CHOICE_NAMES = {"min": "λ_min (lowest CV loss)", "1se": "λ_1se (one standard error)"}


def _finite(lams, ys):
    pairs = [(x, y) for x, y in zip(lams, ys, strict=True) if x > 0 and math.isfinite(y) and y > 0]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def fig_cv_curve(cv: CVResult, title: str | None = None) -> go.Figure:
    """k-fold CV loss vs λ (log-log) with ± 1 standard-error bars, the test loss of the models
    refitted on the whole training split, and λ_min (★) and λ_1se (▲) with their test losses."""
    fig = go.Figure()
    pts = [
        (x, y, s)
        for x, y, s in zip(cv.lambdas, cv.cv_loss, cv.cv_se, strict=True)
        if x > 0 and math.isfinite(y) and y > 0
    ]
    fig.add_trace(
        go.Scatter(
            x=[p[0] for p in pts],
            y=[p[1] for p in pts],
            error_y={"type": "data", "array": [p[2] for p in pts], "thickness": 1.2, "width": 3},
            mode="lines+markers",
            name=f"{cv.folds}-fold CV loss ± 1 standard error",
            line={"color": PENALTY_COLOR, "width": 3},
            legendrank=1,
            hovertemplate="λ = %{x:.3g}<br>CV loss = %{y:.4g}<extra></extra>",
        )
    )
    x, y = _finite(cv.lambdas, cv.test_loss)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            name=f"test loss (refitted on all {cv.n_train} training samples)",
            line={"color": TEST_COLOR, "width": 2},
            legendrank=2,
            hovertemplate="λ = %{x:.3g}<br>test loss = %{y:.4g}<extra></extra>",
        )
    )
    choice = cv.choice()
    if choice is not None:
        for key, symbol, dash, rank in CHOICE_MARKS:
            c = choice[key]
            fig.add_vline(x=c["lam"], line={"dash": dash, "color": "#222222", "width": 1.5})
            fig.add_trace(
                go.Scatter(
                    x=[c["lam"], c["lam"]],
                    y=[c["cv_loss"], c["test_loss"]],
                    mode="markers",
                    name=f"{CHOICE_NAMES[key]} = {c['lam']:.3g}: test loss {c['test_loss']:.3g}",
                    marker={"symbol": symbol, "size": 15, "color": ["#222222", TEST_COLOR]},
                    legendrank=rank,
                    hovertemplate="λ = %{x:.3g}: %{y:.4g}<extra></extra>",
                )
            )
    styled(fig, title, x_title="λ (log scale)", y_title="loss (log scale)", legend="bottom")
    log_axis(fig, "y")
    return log_axis(fig, "x")
