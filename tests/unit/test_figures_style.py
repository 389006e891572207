"""The shared look's fast paths build the same figure plotly's own update calls build."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from regcore.figures.style import apply_layout, axis_style, base_layout, copied, styled


def _json(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def _subplots() -> go.Figure:
    fig = make_subplots(rows=1, cols=3, subplot_titles=("a", "b", "c"))
    for col in (1, 2, 3):
        fig.add_trace(go.Scatter(x=[1, 2], y=[3, col], name=f"s{col}"), row=1, col=col)
    fig.update_layout(title={"text": "own title", "font": {"color": "red"}}, height=300)
    fig.update_xaxes(range=[0, 3], title={"text": "own x"})
    fig.add_annotation(x=1, y=1, text="note")
    return fig


def test_styled_equals_plotly_update_layout_then_every_axis() -> None:
    for title in (None, "a title"):
        for legend in ("below", "right", "none"):
            ours = styled(_subplots(), title, x_title="λ", y_title="MSE", legend=legend)
            ref = _subplots()
            ref.update_layout(
                **base_layout(title, x_title="λ", y_title="MSE", legend=legend, legend_entries=3)
            )
            ref.update_xaxes(axis_style())
            ref.update_yaxes(axis_style())
            assert _json(ours) == _json(ref), (title, legend)


def test_apply_layout_merges_dicts_like_update_layout_and_replaces_lists() -> None:
    layout = {"margin": {"t": 5}, "legend": {"x": 0.2}, "template": "plotly_white"}
    ours, ref = apply_layout(_subplots(), layout), _subplots()
    ref.update_layout(**layout)
    assert _json(ours) == _json(ref)
    # a list is replaced (plotly's update merges it item by item; no layout of ours has one)
    notes = _json(apply_layout(_subplots(), {"annotations": [{"text": "only"}]}))
    assert [a["text"] for a in notes["layout"]["annotations"]] == ["only"]


def test_copied_is_an_independent_equal_figure() -> None:
    fig = styled(_subplots(), "t")
    out = copied(fig)
    assert _json(out) == _json(fig)
    out.layout.height = 123
    out.data[0].name = "changed"
    assert fig.layout.height != 123 and fig.data[0].name == "s1"
