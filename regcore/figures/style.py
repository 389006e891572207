"""Shared look of every figure: one colour and label per regularizer, projector-sized fonts.

Pure data and pure functions: nothing here touches plotly's global default template.
"""

from __future__ import annotations

import copy
import functools
import math
import re
from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from regcore.core import REGULARIZERS

# One colour per regularizer kind (its row in regcore.core.regularizers) and per variant a
# page may contrast, colour-blind safe (Okabe–Ito palette), so "L1" is the same orange on
# every page.
REG_COLORS: dict[str, str] = {
    **{r.color_key: r.color for r in REGULARIZERS.values()},
    "l1_proximal": REGULARIZERS["l1"].color,
    "l1_subgradient": "#7A4A00",  # dark amber: tells apart from L1's orange by lightness
    "adam_l2": "#56B4E9",
    "adamw": "#D55E00",
}
# Each kind's label comes from its row too; the variants a page contrasts add theirs.
REG_LABELS: dict[str, str] = {
    **{r.color_key: r.label for r in REGULARIZERS.values()},
    "l1_proximal": "L1, proximal",
    "l1_subgradient": "L1, subgradient",
    "adam_l2": "Adam + L2 penalty",
    "adamw": "AdamW (decoupled decay)",
}
# Roles that are not regularizers: train/test curves, truth marks.
TRAIN_COLOR = "#0072B2"
TEST_COLOR = "#D55E00"
PENALTY_COLOR = "#009E73"
TRUTH_COLOR = "#222222"

FONT_SIZE = 18  # readable from the back of a classroom
FONT_FAMILY = "Inter, 'Segoe UI', Helvetica, Arial, sans-serif"


def _key(kind: str) -> str:
    return REGULARIZERS[kind].color_key if kind in REGULARIZERS else kind


def reg_color(kind: str) -> str:
    """The colour of a regularizer kind or colour key (grey for unknown ones)."""
    return REG_COLORS.get(_key(kind), "#777777")


def reg_label(kind: str) -> str:
    """The human label of a regularizer kind or colour key (itself when unknown)."""
    return REG_LABELS.get(_key(kind), kind)


def base_layout(
    title: str | None = None,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 440,
    legend: str = "below",
    legend_entries: int = 0,
) -> dict[str, Any]:
    """Layout settings shared by every figure: white template, large fonts, legend placement.

    Args:
        title: figure title (None: no title, the page's heading says it).
        x_title, y_title: axis titles.
        height: figure height in pixels.
        legend: "below" (horizontal, at the foot of the figure, under the x-axis title:
            plotly reserves the rows it wraps into, however many, so it never covers a
            curve, a title or a subplot's title at any width), "right" (vertical, beside
            the plot: for a few short entries in a figure kept short) or "none". "top" and
            "bottom" are accepted as old names of "below".
        legend_entries: the legend's entries; the figure grows by a row for each after
            the first (in half of a 1024-px page a legend wraps to about one a row), so
            the plot area keeps its height.

    Returns:
        A dict for ``fig.update_layout(**base_layout(...))``.
    """
    below = legend not in ("right", "none")
    layout: dict[str, Any] = {
        "template": "plotly_white",
        "font": {"size": FONT_SIZE, "family": FONT_FAMILY, "color": "#1a1a1a"},
        "height": height + (LEGEND_ROW_PX * min(max(legend_entries - 1, 0), 5) if below else 0),
        # top: the title, or a subplot's title (the legend is below, never on top)
        "margin": {"l": 70, "r": 20, "t": 64 if title else 44, "b": 16},
        "hoverlabel": {"font": {"size": FONT_SIZE - 2}},
        "showlegend": legend != "none",
    }
    if title:
        layout["title"] = {
            "text": title,
            "x": 0.0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": FONT_SIZE + 2},
        }
    if legend == "right":  # a vertical legend beside the plot (a short one, in a short figure)
        layout["legend"] = {"font": {"size": FONT_SIZE - 2}}
    elif legend != "none":
        layout["legend"] = legend_below()
    axis = axis_style()
    layout["xaxis"] = {**axis, "title": {**axis["title"], "text": x_title or ""}}
    layout["yaxis"] = {**axis, "title": {**axis["title"], "text": y_title or ""}}
    return layout


LEGEND_ROW_PX = 24  # one row of a legend at FONT_SIZE − 2


def legend_entries(fig: go.Figure) -> int:
    """How many entries ``fig``'s legend shows: its named traces not left out of it."""
    return sum(1 for t in fig.data if t.showlegend is not False and t.name)


def legend_below(font_size: int = FONT_SIZE - 2) -> dict[str, Any]:
    """A horizontal legend at the foot of the figure, under the x axis and its title.

    Its y is in container coordinates: plotly then reserves the legend's own height below
    the axes' automatic margins (tick labels and axis title), so the legend wraps into as
    many rows as the width needs and the plot area shrinks instead of being covered.
    """
    return {
        "orientation": "h",
        "x": 0.0,
        "xanchor": "left",
        "y": 0.0,
        "yanchor": "bottom",
        "yref": "container",
        "font": {"size": font_size},
        "traceorder": "normal",
    }


def axis_style() -> dict[str, Any]:
    """Every axis alike (subplots' too): large ticks, powers of ten as 10⁻⁵, and automatic
    margins, so tick labels, axis titles and a legend below never overlap."""
    return {
        "title": {"font": {"size": FONT_SIZE}},
        "tickfont": {"size": FONT_SIZE - 2},
        "exponentformat": "power",  # 2×10⁻⁵, not 20µ, which reads as 20 from the back row
        "automargin": True,
    }


def styled(fig: go.Figure, title: str | None = None, **kwargs: Any) -> go.Figure:
    """Apply :func:`base_layout` to ``fig`` in place and return it; every subplot's axes
    get the same fonts as the first."""
    kwargs.setdefault("legend_entries", legend_entries(fig))
    return apply_layout(fig, base_layout(title, **kwargs), every_axis=axis_style())


_AXIS_KEY = re.compile(r"^[xy]axis\d*$")  # xaxis, yaxis2, ...: the layout's axes


def apply_layout(
    fig: go.Figure, layout: dict[str, Any], every_axis: dict[str, Any] | None = None
) -> go.Figure:
    """``fig.update_layout(**layout)`` (then ``fig.update_xaxes(every_axis)`` and
    ``fig.update_yaxes(every_axis)``), in place: the same figure, built in a third of the
    time.

    Plotly's ``update_layout`` walks each key as a property path through its validators
    and change callbacks: about 10 ms of CPU a figure on this machine, 70 % of building a
    Playground result's two figures, on every result every session draws. Here the figure's
    layout is merged as plain JSON (``layout`` wins, as in ``update_layout``) and set once,
    validated once. The named ``template`` is set from a copy of the one plotly built and
    validated once per process: plotly validates a template named on a figure afresh each
    time (another ~10 ms), and a copy of the validated one is the same JSON.
    """
    layout = dict(layout)
    name = layout.pop("template", None)
    merged = _merge(fig.layout.to_plotly_json(), layout)
    if every_axis is not None:
        for key in [k for k in merged if _AXIS_KEY.match(k)]:
            _merge(merged[key], every_axis)
    if name is not None:
        merged.pop("template", None)
    fig.layout = merged
    if name is not None:
        lay = fig.layout
        lay._validate = False  # as plotly itself sets its default template (already valid)
        try:
            lay.template = copy.deepcopy(_template_json(name))
        finally:
            lay._validate = True
    return fig


def _merge(into: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """``into`` updated in place by ``update``: nested dicts merged key by key as plotly's
    ``update`` merges them, anything else replaced (lists too, which plotly would merge item
    by item: the shared layouts hold none)."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    return into


def copied(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` to change (presentation mode, a figure kept short) without
    revalidating what is already valid: 1.4 ms instead of ``go.Figure(fig)``'s 9 ms. Its
    later property sets are not validated either: callers set only values of their own."""
    return go.Figure(fig.to_dict(), _validate=False)


@functools.cache
def _template_json(name: str) -> dict[str, Any]:
    return pio.templates[name].to_plotly_json()


def log_ticks(values: Iterable[float], max_ticks: int = 7) -> dict[str, Any]:
    """Tick positions and labels for a log axis over ``values`` (non-positive ones ignored).

    Wide ranges (> 2 decades) get powers of ten, every k-th decade so at most
    ``max_ticks`` show; narrow ranges get 1-2-5 (or 1…9) steps labelled as plain
    numbers, so a curve between 0.08 and 0.3 still has readable ticks.
    """
    pos = [float(v) for v in values if v is not None and math.isfinite(v) and v > 0]
    if not pos:
        return {}
    lo, hi = min(pos), max(pos)
    k_lo, k_hi = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if math.log10(hi / lo) > 2:
        step = max(1, math.ceil((k_hi - k_lo + 1) / max_ticks))
        ks = range(k_lo, k_hi + 1, step)
        ticks = {
            "tickvals": [10.0**k for k in ks],
            "ticktext": ["1" if k == 0 else f"10<sup>{k}</sup>" for k in ks],
        }
        skipped = [10.0**k for k in range(k_lo, k_hi + 1) if k not in ks]
        if skipped:  # the decades between labels: a grid line each
            ticks["minor"] = {"tickvals": skipped, "showgrid": True}  # no tick: reads as "−"
        return ticks
    for mantissas in ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
        ticks = [m * 10.0**k for k in range(k_lo, k_hi + 1) for m in mantissas]
        ticks = [t for t in ticks if lo / 1.05 <= t <= hi * 1.05]
        if len(ticks) >= 3:
            break
    if len(ticks) > max_ticks:
        ticks = ticks[:: math.ceil(len(ticks) / max_ticks)]
    if len(ticks) < 2:  # a (nearly) flat curve: label its own values
        ticks = sorted({float(f"{lo:.3g}"), float(f"{hi:.3g}")})
    return {"tickvals": ticks, "ticktext": [f"{t:.3g}" for t in ticks]}


X_TICKS = 5  # a log x axis in half of a 1024-px page: 7 labels would turn sideways


def log_axis(fig: go.Figure, axis: str = "y") -> go.Figure:
    """Make ``axis`` ("x" or "y") logarithmic with readable ticks for the data it shows
    (every subplot's ``axis``; at most :data:`X_TICKS` labels across)."""
    values: list[float] = []
    for trace in fig.data:
        data = getattr(trace, axis, None)
        if data is not None:
            values += [v for v in data if isinstance(v, int | float)]
    update = {"type": "log", **log_ticks(values, X_TICKS if axis == "x" else 7)}
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**update)
    return fig


def presented(fig: go.Figure, scale: float = 1.4, height_scale: float = 1.1) -> go.Figure:
    """A copy of ``fig`` for presentation mode: every font and margin scaled by ``scale``
    and the height by ``height_scale`` (the figure gets a full-width row instead, so it
    grows in width and still fits a 768-pixel-high projector), readable from the back."""
    out = copied(fig)
    lay = out.layout

    def bump(font: Any, default: float) -> None:
        if font is not None:
            font.size = round((font.size or default) * scale)

    bump(lay.font, FONT_SIZE)
    base = lay.font.size / scale
    bump(lay.title.font, base + 2)
    bump(lay.legend.font, base - 2)
    bump(lay.hoverlabel.font, base - 2)
    for axis in [*out.select_xaxes(), *out.select_yaxes()]:
        bump(axis.title.font, base)
        bump(axis.tickfont, base - 2)
    for note in lay.annotations:
        bump(note.font, base - 2)
    m = lay.margin
    for side in ("l", "r", "t", "b"):
        if getattr(m, side) is not None:
            setattr(m, side, round(getattr(m, side) * scale))
    lay.height = round((lay.height or 450) * height_scale)
    return out
