"""Presentation helpers: a main figure kept within its height, its legend kept readable."""

import plotly.graph_objects as go

from regcore.figures.style import styled
from ui.kit import present


def _foot_legend_figure(names: list[str]) -> go.Figure:
    fig = go.Figure([go.Scatter(x=[0, 1], y=[1, 2], name=n) for n in names])
    return styled(fig, None, x_title="p", y_title="MSE")  # taller than 380 px, legend below


def test_present_fit_moves_a_foot_legend_aside_and_keeps_short_terms() -> None:
    long = "variance from the data: the start-averaged fit moves with the sample"
    fig = _foot_legend_figure(["bias²", long])
    height = fig.layout.height
    out = present._fit(fig, 380)
    assert out.layout.height == 380 and fig.layout.height == height > 380  # a copy
    assert out.layout.legend.orientation == "v" and out.layout.legend.x > 1
    assert out.layout.legend.yref == "paper"  # beside the plot: no rows reserved under it
    assert [t.name for t in out.data] == ["bias²", "variance from the data"]
    assert present._fit(out, 400) is out  # low enough already: unchanged


def test_present_legend_under_the_plot_stays_as_far_under_it() -> None:
    fig = go.Figure(go.Scatter(x=[0], y=[0], name="a"))
    fig.update_layout(height=490, margin={"t": 60, "b": 110}, legend={"y": -0.16})
    big = go.Figure(fig)
    big.update_layout(height=400, margin={"t": 84, "b": 154})
    present._keep_legend_below(fig, big, 1.4)
    px_before = 0.16 * (490 - 60 - 110)
    px_after = -big.layout.legend.y * (400 - 84 - 154)
    assert abs(px_after - 1.4 * px_before) < 1e-6
