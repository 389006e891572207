"""Weight figures of the L1 vs L2 page: sorted magnitudes, estimated vs true weights,
exact vs near zeros, run against run, and digits' per-class weight images.

Pure functions from a :class:`regcore.experiments.comparison.CompareResult` to a plotly figure,
coloured per run as in regcore.figures.compare.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from regcore.experiments import CompareResult, support_recovery
from regcore.figures.style import FONT_SIZE, TRUTH_COLOR, log_axis, reg_color, styled

ZERO_FLOOR_NOTE = "exactly 0"


def fig_sorted_magnitudes(result: CompareResult, title: str | None = None) -> go.Figure:
    """|w| sorted from largest to smallest, log y; exact zeros drawn on a floor line.

    A log axis cannot show 0, so every exact zero is drawn as an ✕ at a floor a
    decade below the smallest non-zero magnitude; the floor's dotted line is named in the
    legend (a label on the plot stood over the ✕).
    """
    weights = [[abs(v) for v in result.flat_weights(i)] for i in range(len(result.runs))]
    truth = [abs(v) for v in result.true_w] if result.true_w is not None else None
    nonzero = [v for w in weights + ([truth] if truth else []) for v in w if v > 0]
    floor = 10 ** (math.floor(math.log10(min(nonzero))) - 1) if nonzero else 1e-8
    fig = go.Figure()
    for i, w in enumerate(weights):
        color = reg_color(result.keys[i])
        ranks = [k + 1 for k, v in enumerate(sorted(w, reverse=True)) if v == 0]
        name = f"{result.labels[i]} ({len(ranks)} zeros)" if ranks else result.labels[i]
        fig.add_trace(_sorted_trace(w, floor, name, color, group=str(i)))
        if ranks:
            fig.add_trace(
                go.Scatter(
                    x=ranks,
                    y=[floor] * len(ranks),
                    mode="markers",
                    name=f"{result.labels[i]}: {len(ranks)} exact zeros",
                    legendgroup=str(i),
                    showlegend=False,  # one legend entry a run: room for the plot
                    marker={
                        "symbol": "x-thin",
                        "size": 9,
                        "color": color,
                        "line": {"width": 2, "color": color},
                    },
                    hovertemplate="rank %{x}: exactly 0<extra></extra>",
                )
            )
    if truth:  # drawn last, on top of the runs it is compared with
        fig.add_trace(_sorted_trace(truth, floor, "true |w|", TRUTH_COLOR, dash="dot"))
    if any(0 in w for w in weights):  # named in the legend: on the plot, text met the ✕
        n = max(len(w) for w in weights)
        fig.add_trace(
            go.Scatter(
                x=[0.5, n + 0.5],
                y=[floor, floor],
                mode="lines",
                name=f"✕ on this line: {ZERO_FLOOR_NOTE}<br>(drawn at {floor:.0e})",
                line={"color": "#888888", "dash": "dot", "width": 1.5},
                hoverinfo="skip",
            )
        )
    styled(fig, title, x_title="rank (largest |w| first)", y_title="|w| (log scale)")
    log_axis(fig, "y")
    return fig


def _sorted_trace(
    values: Sequence[float],
    floor: float,
    name: str,
    color: str,
    dash: str = "solid",
    group: str | None = None,
) -> go.Scatter:
    ys = sorted(values, reverse=True)
    shown = [v if v > 0 else None for v in ys]
    few = sum(v is not None for v in shown) <= 20  # a handful of points: show each one
    return go.Scatter(
        x=list(range(1, len(ys) + 1)),
        y=shown,
        mode="lines+markers" if few and dash == "solid" else "lines",
        name=name,
        legendgroup=group,
        line={"color": color, "width": 3 if dash == "solid" else 2.5, "dash": dash},
        hovertemplate=f"{name}<br>rank %{{x}}: |w| = %{{y:.3g}}<extra></extra>",
    )


def fig_coef_scatter(result: CompareResult, title: str | None = None) -> go.Figure:
    """Estimated against true coefficients, one colour per run, y = x for reference.

    Legend entries carry support recovery (precision P and recall R of the exactly
    non-zero weights). Raises ``ValueError`` when the data set has no true weights.
    """
    if result.true_w is None:
        raise ValueError("this data set has no true weights to compare with")
    truth = list(result.true_w)
    lo, hi = min(truth), max(truth)
    fig = go.Figure()
    for i in range(len(result.runs)):
        w = result.flat_weights(i)
        rec = support_recovery(w, truth)
        lo, hi = min(lo, min(w)), max(hi, max(w))
        fig.add_trace(
            go.Scatter(
                x=truth,
                y=w,
                mode="markers",
                name=f"{result.labels[i]} (P {rec['precision']:.2f}, R {rec['recall']:.2f})",
                marker={"color": reg_color(result.keys[i]), "size": 9, "opacity": 0.75},
                hovertemplate="true %{x:.3g}<br>estimated %{y:.3g}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[lo, hi],
            y=[lo, hi],
            mode="lines",
            name="estimate = truth",
            line={"color": TRUTH_COLOR, "dash": "dot", "width": 1},
        )
    )
    styled(fig, title, x_title="true weight", y_title="estimated weight")
    return fig


def fig_zero_counts(
    result: CompareResult, near_zero: float = 1e-3, title: str | None = None
) -> go.Figure:
    """Exact zeros beside near zeros (|w| < ``near_zero``), one bar pair per run."""
    # each run's name on lines of its own, level: turned labels pushed the plot to 100 px
    labels = ["<br>".join(textwrap.wrap(lab, 12)) for lab in result.labels[: len(result.runs)]]
    exact, near = [], []
    for i in range(len(result.runs)):
        w = result.flat_weights(i)
        exact.append(sum(1 for v in w if v == 0.0))
        near.append(sum(1 for v in w if abs(v) < near_zero))
    colors = [reg_color(k) for k in result.keys[: len(result.runs)]]
    fig = go.Figure(
        [
            go.Bar(
                x=labels,
                y=exact,
                name="exactly 0",
                marker={"color": colors},
                text=exact,
                textposition="outside",
                constraintext="none",  # full-size numbers, not shrunk to the bar's width
            ),
            go.Bar(
                x=labels,
                y=near,
                name=f"|w| < {near_zero:g}",
                text=near,
                textposition="outside",
                constraintext="none",
                marker={"color": colors, "pattern": {"shape": "/"}, "opacity": 0.55},
            ),
        ]
    )
    styled(fig, title, y_title="weights")
    fig.update_layout(barmode="group", bargroupgap=0.15)  # a pair's numbers stay apart
    fig.update_xaxes(tickangle=0)
    fig.update_traces(cliponaxis=False, textfont_size=FONT_SIZE - 2)
    return fig


def fig_weight_pair(
    result: CompareResult, i: int = 0, j: int = 1, title: str | None = None
) -> go.Figure:
    """Final weights of run ``j`` against run ``i``: on the diagonal when they coincide."""
    wi, wj = result.flat_weights(i), result.flat_weights(j)
    diff = max((abs(a - b) for a, b in zip(wi, wj, strict=True)), default=0.0)
    lo, hi = min(wi + wj), max(wi + wj)
    fig = go.Figure(
        [
            go.Scatter(
                x=[lo, hi],
                y=[lo, hi],
                mode="lines",
                name="equal",
                line={"color": TRUTH_COLOR, "dash": "dot", "width": 1},
            ),
            go.Scatter(
                x=wi,
                y=wj,
                mode="markers",
                name=f"max |difference| = {diff:.2g}",
                marker={
                    "color": reg_color(result.keys[j]),
                    "size": 9,
                    "line": {"color": reg_color(result.keys[i]), "width": 2},
                },
                hovertemplate="%{x:.4g} vs %{y:.4g}<extra></extra>",
            ),
        ]
    )
    styled(fig, title, x_title=f"weight, {result.labels[i]}", y_title=f"weight, {result.labels[j]}")
    return fig
