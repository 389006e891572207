"""Sweep page figures: train/validation/test loss, norm and sparsity vs λ, coefficient
paths (bias–variance: regcore.figures.biasvar).

Every builder takes a finished :class:`~regcore.sweep.SweepResult` or a live
:class:`~regcore.core.results.SweepProgress` (per-λ values after some epoch) and draws
against a log λ axis. λ = 0 has no place on a log axis: such points are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from regcore.core import SweepProgress
from regcore.figures.style import (
    PENALTY_COLOR,
    TEST_COLOR,
    TRAIN_COLOR,
    TRUTH_COLOR,
    log_axis,
    reg_color,
    styled,
)
from regcore.sweeps import ExactPath, SweepResult

SweepLike = SweepResult | SweepProgress
MAX_PATHS = 200  # coefficient paths drawn (the first ones)
BEST_COLOR = "#222222"
DIVERGED_FILL = "rgba(213, 94, 0, 0.13)"
OTHER_COEF = "#9a9a9a"
VAL_COLOR = PENALTY_COLOR  # the Playground draws its validation curve in this colour too


def series(source: SweepLike, key: str) -> list[float]:
    """Per-λ values of ``key`` (means over repeats); NaN where missing or diverged."""
    if isinstance(source, SweepProgress):
        values = getattr(source, key)
        return [float(v) for v in values] if values else [math.nan] * len(source.lambdas)
    out = []
    for row in source.rows:
        v = row.get(key)
        out.append(math.nan if v is None or row.get("diverged") else float(v))
    return out + [math.nan] * (len(source.lambdas) - len(out))


def diverged_indices(source: SweepLike) -> list[int]:
    """Indices of the λ whose training diverged (their points are left out of the figures)."""
    if isinstance(source, SweepProgress):
        return []
    return [i for i, row in enumerate(source.rows) if row.get("diverged")]


def _mark_diverged(fig: go.Figure, source: SweepLike) -> None:
    """Shade each run of diverged λ, labelled, so missing points are not a mystery."""
    lams, idx = list(source.lambdas), diverged_indices(source)
    runs: list[list[int]] = []
    for i in idx:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        a, b = run[0], run[-1]
        x0 = math.sqrt(lams[a - 1] * lams[a]) if a > 0 else lams[a]
        x1 = math.sqrt(lams[b] * lams[b + 1]) if b + 1 < len(lams) else lams[b]
        if not x0 > 0:
            continue  # λ = 0 has no place on a log axis
        fig.add_vrect(
            x0=x0,
            x1=x1,
            fillcolor=DIVERGED_FILL,
            line_width=0,
            layer="below",
            label={  # text grows into the plot, away from the nearer edge
                "text": "diverged",
                "textposition": "middle right" if 2 * a >= len(lams) else "middle left",
                "font": {"size": 12, "color": "#8a3b00"},
            },
        )


def best_index(source: SweepLike) -> int | None:
    """The λ chosen on validation: the lowest finite (mean) validation loss; None where
    there is no validation column (an export from before it) — never the test loss."""
    if isinstance(source, SweepResult):
        return source.best_index
    vals = [(v, i) for i, v in enumerate(series(source, "val_loss")) if math.isfinite(v)]
    return min(vals)[1] if vals else None


def _xy(lams: Sequence[float], ys: Sequence[float], positive: bool = False):
    xs, out = [], []
    for lam, y in zip(lams, ys, strict=True):
        if lam > 0 and math.isfinite(y) and (y > 0 or not positive):
            xs.append(lam)
            out.append(y)
    return xs, out


def _log_x(fig: go.Figure) -> go.Figure:
    return log_axis(fig, "x")


def _band(lams, mean, std, color: str, name: str) -> list[go.Scatter]:
    # a log axis cannot show mean − std ≤ 0: the band is clipped a decade below the mean
    lo = [max(m - s, m / 10) for m, s in zip(mean, std, strict=True)]
    hi = [m + s for m, s in zip(mean, std, strict=True)]
    x_hi, y_hi = _xy(lams, hi, positive=True)
    x_lo, y_lo = _xy(lams, lo, positive=True)
    common = {
        "mode": "lines",
        "line": {"width": 0, "color": color},
        "hoverinfo": "skip",
        "legendgroup": name,
    }
    return [
        go.Scatter(x=x_hi, y=y_hi, name=f"{name} + 1 std", showlegend=False, **common),
        go.Scatter(
            x=x_lo,
            y=y_lo,
            name=f"{name} ± 1 std",
            fill="tonexty",
            opacity=0.25,
            fillcolor=_rgba(color, 0.2),
            showlegend=False,  # one legend entry says what every band is (_band_key)
            **common,
        ),
    ]


def _band_key(repeats: int) -> go.Scatter:
    """A legend entry only: what the shaded bands are."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="lines",
        name=f"shaded: ± 1 std over {repeats} repeats",
        line={"color": "rgba(120,120,120,0.35)", "width": 12},
        legendrank=6,
        hoverinfo="skip",
    )


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


LOSS_CURVES = (  # key, colour, legend name, dash, legend rank: validation as on the
    # Playground, drawn last so its dashes stay visible where it runs along the test curve
    ("train_loss", TRAIN_COLOR, "train", "solid", 1),
    ("test_loss", TEST_COLOR, "test", "solid", 3),
    ("val_loss", VAL_COLOR, "validation", "dash", 2),
)


def fig_sweep_loss(source: SweepLike, title: str | None = None) -> go.Figure:
    """Train, validation and test loss vs λ (log-log), ± 1 std bands over repeats; the
    λ chosen on validation starred on the validation curve, its test loss marked."""
    lams = list(source.lambdas)
    fig = go.Figure()
    repeats = getattr(source, "repeats", 1)
    for key, color, name, dash, rank in LOSS_CURVES:
        ys = series(source, key)
        if repeats > 1 and isinstance(source, SweepResult):
            std = [r.get(f"{key}_std", 0.0) or 0.0 for r in source.rows]
            for trace in _band(lams[: len(std)], ys[: len(std)], std, color, name):
                fig.add_trace(trace)
        x, y = _xy(lams, ys, positive=True)
        if not x and key == "val_loss":
            continue  # an export from before the validation split
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines+markers",
                name=name,
                line={"color": color, "width": 3, "dash": dash},
                marker={"size": 6},
                legendrank=rank,
                hovertemplate=f"λ = %{{x:.3g}}<br>{name} loss = %{{y:.4g}}<extra></extra>",
            )
        )
    if repeats > 1 and isinstance(source, SweepResult):
        fig.add_trace(_band_key(repeats))
    best = best_index(source)
    if isinstance(source, SweepResult) and source.config.reg.kind == "none":
        best = None  # λ changes nothing without a penalty: no λ is best
    if best is not None and lams[best] > 0:
        _mark_choice(
            fig, lams[best], series(source, "val_loss")[best], series(source, "test_loss")[best]
        )
    # five entries: on top they would stack over the plot at half a projector's width
    styled(fig, title, x_title="λ (log scale)", y_title="loss (log scale)", legend="bottom")
    fig.update_layout(legend_traceorder="normal")  # fill bands would reverse it otherwise
    log_axis(fig, "y")
    _mark_diverged(fig, source)
    return _log_x(fig)


def _mark_choice(fig: go.Figure, lam: float, val: float, test: float) -> None:
    """★ at the lowest validation loss, ◇ the chosen λ's test loss, a dotted line joining."""
    fig.add_vline(x=lam, line={"dash": "dot", "color": BEST_COLOR, "width": 1.5})
    fig.add_trace(
        go.Scatter(
            x=[lam],
            y=[val],
            mode="markers",
            name=f"λ* = {lam:.3g} (lowest validation)",
            marker={"symbol": "star", "size": 18, "color": BEST_COLOR},
            legendrank=4,
            hovertemplate="λ* = %{x:.3g}, chosen on validation<br>validation loss = "
            "%{y:.4g}<extra></extra>",
        )
    )
    if math.isfinite(test) and test > 0:
        fig.add_trace(
            go.Scatter(
                x=[lam],
                y=[test],
                mode="markers",
                name=f"its test loss {test:.3g}",
                # an open diamond: still seen around the star where the two losses meet
                marker={"symbol": "diamond-open", "size": 22, "line": {"width": 3}},
                marker_color=TEST_COLOR,
                legendrank=5,
                hovertemplate="test loss of λ* = %{x:.3g}: %{y:.4g}<extra></extra>",
            )
        )


def fig_sweep_norm(
    source: SweepLike, exact: ExactPath | None = None, title: str | None = None
) -> go.Figure:
    """‖w‖₂ vs λ (log-log), with the exact minimizer's norm where given."""
    lams = list(source.lambdas)
    kind = source.config.reg.kind if isinstance(source, SweepResult) else "l2"
    x, y = _xy(lams, series(source, "weight_l2"), positive=True)
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            name="trained ‖w‖₂",
            line={"color": reg_color(kind), "width": 3},
            hovertemplate="λ = %{x:.3g}<br>‖w‖₂ = %{y:.4g}<extra></extra>",
        )
    )
    if exact:
        norms = [math.sqrt(sum(c * c for c in w)) for w in exact.coefs]
        x, y = _xy(exact.lambdas, norms, positive=True)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name="exact minimizer",
                line={"color": TRUTH_COLOR, "width": 2, "dash": "dash"},
            )
        )
    styled(fig, title, x_title="λ (log scale)", y_title="‖w‖₂ (log scale)")
    log_axis(fig, "y")
    _mark_diverged(fig, source)
    return _log_x(fig)


def fig_sweep_zeros(source: SweepLike, title: str | None = None) -> go.Figure:
    """Share of weights exactly 0 (and |w| < 1e-3 where known) vs λ."""
    lams = list(source.lambdas)
    kind = source.config.reg.kind if isinstance(source, SweepResult) else "l1"
    x, y = _xy(lams, series(source, "zero_fraction"))
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            name="exactly 0",
            line={"color": reg_color(kind), "width": 3},
        )
    )
    if isinstance(source, SweepResult):
        x, y = _xy(lams, series(source, "near_zero_fraction"))
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name="|w| < 1e-3",
                line={"color": PENALTY_COLOR, "width": 2, "dash": "dot"},
            )
        )
    styled(fig, title, x_title="λ (log scale)", y_title="share of weights")
    fig.update_yaxes(range=[-0.02, 1.02])
    _mark_diverged(fig, source)
    return _log_x(fig)


def _coef_matrix(source: SweepLike) -> list[list[float]]:
    """Per λ, the first ``MAX_PATHS`` weights; NaN for a diverged λ (its last finite
    weights are huge and would flatten every other path)."""
    if isinstance(source, SweepProgress):
        return [list(c) for c in source.coefs or []]
    out = [[v for layer in w.values() for v in layer][:MAX_PATHS] for w in source.weights]
    for i in diverged_indices(source):
        if i < len(out):
            out[i] = [math.nan] * len(out[i])
    return out


def fig_coef_paths(
    source: SweepLike,
    exact: ExactPath | None = None,
    true_w: Sequence[float] | None = None,
    epochs: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Every weight (the first ``MAX_PATHS``) vs λ; the true support highlighted.

    Args:
        source: a sweep result or a progress event carrying ``coefs``.
        exact: from :func:`regcore.sweep.exact_path`: drawn dashed over the trained paths.
        true_w: true weights; where some are 0 (sparse_linear) the support is coloured.
        epochs: epochs trained (the caption's :func:`coef_paths_note` names them; kept so
            every paths figure takes the same arguments).
    """
    lams = list(source.lambdas)
    coefs = _coef_matrix(source)
    if true_w is None and isinstance(source, SweepResult):
        true_w = source.true_w
    kind = source.config.reg.kind if isinstance(source, SweepResult) else "l2"
    support = (
        {i for i, v in enumerate(true_w) if v != 0}
        if true_w is not None and any(v == 0 for v in true_w)
        else set()
    )
    fig = go.Figure()
    n = min(len(coefs[0]) if coefs else 0, MAX_PATHS)
    groups = (
        (("other weights", False), ("true support", True)) if support else (("weights", False),)
    )
    for name, on in groups:  # one trace per group, paths joined by gaps: cheap to draw live
        xs: list[float | None] = []
        ys: list[float | None] = []
        text: list[str] = []
        for j in (j for j in range(n) if (j in support) == on):
            x, y = _xy(lams[: len(coefs)], [c[j] for c in coefs])
            xs += [*x, None]
            ys += [*y, None]
            text += [f"w{j}"] * len(x) + [""]
        color = reg_color(kind) if on or not support else OTHER_COEF
        fig.add_trace(
            go.Scatter(  # numpy arrays: plotly checks lists element by element
                x=np.array(xs, dtype=float),
                y=np.array(ys, dtype=float),
                text=np.array(text),
                mode="lines",
                name=name,
                opacity=1.0 if on or not support else 0.6,
                line={"color": color, "width": 3 if on else 1},
                hovertemplate="%{text} = %{y:.3g} at λ = %{x:.3g}<extra></extra>",
            )
        )
    if exact:
        _add_exact(fig, exact, n)
    styled(fig, title, x_title="λ (log scale)", y_title="weight value")
    _mark_diverged(fig, source)
    return _log_x(fig)


def _add_exact(fig: go.Figure, exact: ExactPath, n: int) -> None:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for j in range(min(n, len(exact.coefs[0]))):
        x, y = _xy(exact.lambdas, [c[j] for c in exact.coefs])
        xs += [*x, None]
        ys += [*y, None]
    fig.add_trace(
        go.Scatter(
            x=np.array(xs, dtype=float),
            y=np.array(ys, dtype=float),
            mode="lines",
            name="exact minimizer",
            line={"color": TRUTH_COLOR, "width": 1.5, "dash": "dash"},
            hoverinfo="skip",
        )
    )


def coef_paths_note(exact: ExactPath | None, epochs: int | None = None) -> str | None:
    """What the dashed paths of :func:`fig_coef_paths` are, for the chart's caption (None
    without an exact path): a note under the axis would collide with the legend."""
    if exact is None:
        return None
    trained = f"after {epochs} epochs " if epochs else ""
    return (
        f"Dashed: the exact path ({exact.method.split(',')[0]}); SGD {trained}falls short "
        "of it where it has not converged."
    )
