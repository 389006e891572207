"""Bias–variance figures: bias², the variance from the training set and from the random
start, noise, their sum (its lowest point marked) and the measured test error, against λ
(log axis) or against the drop probability p. Each legend entry says in one line what
its term is. Pure functions of a :class:`~regcore.sweeps.BiasVarianceResult`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import plotly.graph_objects as go

from regcore.figures.style import TEST_COLOR, log_axis, styled
from regcore.sweeps import BiasVarianceResult

BIAS = ("bias²: (average prediction − truth)²", "#0072B2", "solid")
VAR_DATA = ("variance from the data: the start-averaged fit moves with the sample", "#E69F00")
VAR_INIT = ("variance from the start: fits on one sample differ by random start", "#CC79A7")
VARIANCE = ("variance: fits differ by sample and start", "#E69F00", "solid")
NOISE = ("noise σ²: the floor no model goes below", "#777777", "dot")
TOTAL = ("total: bias² + variance + noise", "#222222", "dash")
MEASURED = "measured test MSE (± 2 s.e.)"
LOG_Y_RATIO = 30.0  # a total spanning more than this factor is drawn on a log axis


def short(name: str) -> str:
    """A term's legend line without its definition: ``bias²``."""
    return name.split(":")[0].replace("variance from the ", "variance: ")


def definitions(bv: BiasVarianceResult) -> list[str]:
    """One line per term of :func:`parts`: what the term is (for a caption)."""
    return [name for name, *_ in parts(bv)]


def parts(bv: BiasVarianceResult) -> list[tuple[str, list[float], str, str]]:
    """(legend line, values, colour, dash) of each curve, in drawing order."""
    out = [(BIAS[0], bv.bias2, BIAS[1], BIAS[2])]
    if bv.var_data is not None and bv.var_init is not None:
        out += [
            (VAR_DATA[0], bv.var_data, VAR_DATA[1], "solid"),
            (VAR_INIT[0], bv.var_init, VAR_INIT[1], "dashdot"),
        ]
    else:
        out.append((VARIANCE[0], bv.variance, VARIANCE[1], VARIANCE[2]))
    out += [
        (NOISE[0], [bv.noise] * len(bv.total), NOISE[1], NOISE[2]),
        (TOTAL[0], bv.total, TOTAL[1], TOTAL[2]),
    ]
    return out


def _finite(bv: BiasVarianceResult) -> BiasVarianceResult:
    """``bv`` without its diverged points."""
    flags = bv.diverged or [False] * len(bv.total)
    keep = [i for i, bad in enumerate(flags) if not bad]
    if len(keep) == len(flags):
        return bv

    def pick(xs):
        return None if xs is None else [xs[i] for i in keep]

    names = ("lambdas", "bias2", "variance", "total", "measured", "measured_std")
    names += ("identity_se", "var_data", "var_init", "rates")
    return replace(bv, **{n: pick(getattr(bv, n)) for n in names}, diverged=None)


def _draw(
    fig: go.Figure,
    x: Sequence[float],
    bv: BiasVarianceResult,
    log_y: bool,
    mode: str,
    compact: bool = False,
):
    fmt = "λ = %{x:.3g}" if bv.over == "reg.lam" else "p = %{x:.2f}"
    for name, ys, color, dash in parts(bv):
        xs, vs = _pairs(x, ys, log_y)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=vs,
                mode=mode,
                name=short(name) if compact else name,
                line={"color": color, "width": 3, "dash": dash},
                hovertemplate=f"{short(name)}<br>{fmt}<br>%{{y:.4g}}<extra></extra>",
            )
        )
    xs, ys = _pairs(x, bv.measured, log_y)
    err = [2 * s for xi, s, m in zip(x, bv.identity_se, bv.measured, strict=True) if _ok(m, log_y)]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            name="measured ± 2 s.e." if compact else MEASURED,
            marker={"color": TEST_COLOR, "size": 9},
            error_y={"type": "data", "array": err, "visible": True},
            hovertemplate=f"measured<br>{fmt}<br>%{{y:.4g}}<extra></extra>",
        )
    )
    best = bv.best_index()
    drawn = [k for k, t in enumerate(bv.total) if math.isfinite(t)]
    if best is not None and drawn[0] < best < drawn[-1]:  # an interior minimum: the U's bottom
        label = f"λ = {x[best]:.3g}" if bv.over == "reg.lam" else f"p = {x[best]:.2f}"
        label = label.replace(" = ", " ") if compact else label
        fig.add_trace(
            go.Scatter(
                x=[x[best]],
                y=[bv.total[best]],
                mode="markers",
                name=f"lowest total ({label})",
                marker={"symbol": "star", "size": 18, "color": "#222222"},
                hovertemplate=f"lowest total<br>{fmt}<br>%{{y:.4g}}<extra></extra>",
            )
        )


def _ok(y: float, log_y: bool) -> bool:
    return math.isfinite(y) and (y > 0 or not log_y)


def _pairs(x: Sequence[float], ys: Sequence[float], log_y: bool):
    kept = [(a, b) for a, b in zip(x, ys, strict=True) if _ok(b, log_y)]
    return [a for a, _ in kept], [b for _, b in kept]


def _wants_log_y(bv: BiasVarianceResult) -> bool:
    pos = [t for t in bv.total if math.isfinite(t) and t > 0]
    return bool(pos) and max(pos) > LOG_Y_RATIO * min(pos)


def _layout(
    fig: go.Figure, title: str | None, x_title: str, log_y: bool, compact: bool = False
) -> go.Figure:
    rows = sum(1 for t in fig.data if t.showlegend is not False)
    y_title = "test MSE" + (" (log scale)" if log_y else "")
    if compact:  # short names at the right, within 400 px: the definitions go in a caption
        styled(fig, title, x_title=x_title, y_title=y_title, legend="right", height=400)
        fig.update_layout(margin={"t": 50 if title else 20, "b": 60, "r": 10})
        return log_axis(fig, "y") if log_y else fig.update_yaxes(rangemode="tozero")
    styled(fig, title, x_title=x_title, y_title=y_title, legend_entries=0)  # sized below
    # one legend line per term under the plot: each says what its term is
    fig.update_layout(
        legend={
            "orientation": "v",
            "yref": "container",
            "y": 0.0,
            "yanchor": "bottom",
            "x": 0.0,
            "xanchor": "left",
            "font": {"size": 15},
        },
        margin={"b": 70 + 24 * rows, "t": 60 if title else 30},  # no legend above
        height=fig.layout.height + 24 * rows,
    )
    if log_y:
        log_axis(fig, "y")
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


def fig_bias_variance(
    bv: BiasVarianceResult, title: str | None = None, compact: bool = False
) -> go.Figure:
    """bias², variance from the data and from the start, noise and their sum vs λ (log
    axis), beside the measured test MSE (± 2 s.e.); the total's lowest point starred.

    Points where a run diverged (``bv.diverged``) are left out, like the sweep's. The y
    axis is linear (from 0) unless the total spans more than LOG_Y_RATIO. ``compact``: 400
    px high, the legend's short names at the right (a page's main figure; its caption
    then gives :func:`definitions`).
    """
    bv = _finite(bv)
    x = [lam if lam > 0 else math.nan for lam in bv.lambdas]
    fig = go.Figure()
    log_y = _wants_log_y(bv)
    _draw(fig, x, bv, log_y, "lines", compact)
    _layout(fig, title, "λ (log scale)", log_y, compact)
    return log_axis(fig, "x")


def fig_bias_variance_dropout(bv: BiasVarianceResult) -> go.Figure:
    """The same parts against the drop probability p (linear axes)."""
    fig = go.Figure()
    _draw(fig, list(bv.rates or []), bv, False, "lines+markers")
    return _layout(fig, None, "drop probability p", False)
