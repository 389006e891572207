"""Presentation mode: larger fonts and figures, controls collapsed, the main figure on screen.

Turned on by the "Presentation" toggle at the top right of every page (or ``?present=1`` in a
link); the link keeps ``present=1`` while it is on, so a teacher can bookmark the projector
view. In presentation mode the pages are switched from the header (``st.navigation`` at the
top) and the sidebar starts collapsed. Pages draw their title with :func:`heading`, charts
through :func:`chart` (``main=True`` for the page's main figure, drawn right under its main
button and sized to stay above a 1024 × 768 projector's fold in both modes), side-by-side
figures through :func:`columns`, which stack them in presentation mode, and a tab's own
settings in :func:`settings`, collapsed in presentation mode.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import streamlit as st

from regcore.figures import copied, is_shared, presented

PARAM = "present"
_STATE = "present_mode"  # not a widget key: survives runs where the toggle is not drawn
_TOGGLE = "present_toggle"
MAIN_KEY = "main_figure"  # a main figure's container key starts with this (the browser test)
CHART = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
# The tallest a main figure may be: under the header, the title and the main button of a
# 1024 × 768 projector (measured in tests/e2e/test_present.py).
MAIN_HEIGHT = 380
LEGEND_CHARS = 30  # a longer "term: explanation" entry of a legend moved aside keeps its term
MAIN_HEIGHT_PRESENT = 440
# Always: tighter page margins and a compact title (a 1024 × 768 projector shows the main
# chart without scrolling), the Presentation toggle pinned in the header's right corner, and
# a code box's copy button (the "Copy link" box's, a config's) shown without hovering, as
# touch screens and projectors have no hover. In presentation mode a larger root font
# scales every rem-sized element, the header holds the page switcher, and the toggle takes
# the place of the "running" indicator (each page shows its own progress).
_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 3.25rem; padding-left: 2rem;
  padding-right: 2rem; padding-bottom: 2rem;}
h1 {padding-top: 0.1rem !important; padding-bottom: 0.1rem !important;}
[data-testid="stMain"] h1 {font-size: 2.2rem;}
.st-key-present_bar {position: fixed; top: 14px; right: 150px; z-index: 999991;
  width: auto !important; background: rgba(255, 255, 255, 0.85); border-radius: 0.5rem;
  padding: 0 0.4rem;}
[data-testid="stCode"] div:has([data-testid="stElementToolbarButton"])
  {opacity: 1 !important; visibility: visible !important;}
</style>"""
_CSS_PRESENT = """<style>
html {font-size: 22px;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding-top: 78px;
  padding-bottom: 2rem;}
[data-testid="stMain"] h1 {font-size: 1.35rem;}
[data-testid="stTopNav"] * {font-size: 17px;}
.st-key-present_bar {top: 14px; right: 60px;}
[data-testid="stStatusWidget"] {visibility: hidden;}
.st-key-present_bar p {font-size: 17px;}
</style>"""


def enabled() -> bool:
    """Whether presentation mode is on for this session."""
    return bool(st.session_state.get(_STATE, False))


def read_link() -> bool:
    """Take ``?present=`` from the link (out of the address bar until :func:`finish` puts
    it back, so no page reads it as a setting) and say whether the mode is on."""
    if PARAM in st.query_params:
        text = st.query_params[PARAM].strip().lower()
        st.session_state[_STATE] = text in ("1", "true", "yes", "on")
        del st.query_params[PARAM]
    return enabled()


def style() -> None:
    """Add the page style: tighter margins, and larger everything in presentation mode."""
    st.html(_CSS + (_CSS_PRESENT if enabled() else ""))


def toggle() -> None:
    """The Presentation toggle, pinned in the header's right corner of every page (drawn by
    app.py before the page, so it is the same widget on every page)."""
    st.session_state[_TOGGLE] = enabled()
    with st.container(key="present_bar"):
        st.toggle(
            "Presentation",
            key=_TOGGLE,
            on_change=_flip,
            help="Larger fonts and figures, controls collapsed, pages switched from the top; "
            "add ?present=1 to a link to open it this way",
        )


def finish() -> None:
    """Keep ``present=1`` in the link while the mode is on (after the page wrote its own)."""
    if enabled():
        st.query_params[PARAM] = "1"


def _flip() -> None:
    st.session_state[_STATE] = bool(st.session_state[_TOGGLE])


def heading(title: str, intro: str) -> None:
    """The page's title, its one-paragraph introduction in the title's tooltip: a caption
    under the title would push the main figure below a 1024 × 768 projector's fold."""
    st.title(title, help=intro)


def note(where: Any, text: str) -> None:
    """A caption beside the main button (``where``: its column), in a box of fixed height
    (scrolled when longer); none in presentation mode, where it would push the main figure
    below the fold."""
    if not enabled():  # at most about three lines high, however long the estimate's text
        where.container(height=76, border=False).caption(text)


def aside(text: str) -> None:
    """A one-line caption above the main button (what it will run): none in presentation
    mode, where it would push the main figure below the fold."""
    if not enabled():
        st.caption(text)


def settings(label: str, *, fold: bool = True) -> Any:
    """A container for a page's or a tab's own settings, drawn above its main button: a
    collapsed expander (``fold``: in normal mode too; else inline there), in the sidebar in
    presentation mode, so that the main figure stays above the fold."""
    if enabled():
        return st.sidebar.expander(label, expanded=False)
    return st.expander(label, expanded=False) if fold else st.container()


# the container an intro goes to within :func:`intro_below` (one per script run's thread)
_FOOT: ContextVar[Any] = ContextVar("present_foot", default=None)


@contextmanager
def intro_below() -> Iterator[None]:
    """Draw what follows, and put every :func:`intro` drawn meanwhile *under* it: a tab's
    explanation goes below its main figure, which stays right under the main button."""
    body, foot = st.container(), st.container()
    token = _FOOT.set(foot)
    try:
        with body:
            yield
    finally:
        _FOOT.reset(token)


def intro(text: str) -> None:
    """A tab's explanation: a caption, under its figure inside :func:`intro_below`."""
    foot = _FOOT.get()
    (foot if foot is not None else st).caption(text)


def columns(spec: int | list[float]) -> list[Any]:
    """``st.columns(spec)``, or as many full-width rows in presentation mode."""
    n = spec if isinstance(spec, int) else len(spec)
    if enabled():
        return [st.container() for _ in range(n)]
    return list(st.columns(spec))


def chart(
    fig: Any,
    *,
    key: str | None = None,
    where: Any = None,
    config: dict | None = None,
    main: bool = False,
    **kw: Any,
) -> Any:
    """Draw a plotly figure (scaled up in presentation mode) into ``where`` (the page if None);
    ``kw`` goes to ``st.plotly_chart`` (``on_select``, ...).

    ``main``: the page's main figure, kept within :data:`MAIN_HEIGHT` (presentation mode:
    :data:`MAIN_HEIGHT_PRESENT`) so that it stays above a 1024 × 768 projector's fold; its
    container's key starts with :data:`MAIN_KEY`.
    """
    fig = _shown(fig, enabled(), main)
    target = where if where is not None else st
    if main:
        target = target.container(key=f"{MAIN_KEY}_{key or 'chart'}")
    return target.plotly_chart(fig, config=config or CHART, key=key, **kw)


def _shown(fig: Any, present: bool, main: bool) -> Any:
    """The figure drawn for ``fig``: scaled for presentation mode, kept within the main
    figure's height. For a figure shared between sessions (``regcore.figures.memo``),
    the same copy is handed to each of them."""
    if not (present or main):
        return fig
    shared = is_shared(fig)
    if shared:
        with _lock:
            hit = _shown_cache.get((id(fig), present, main))
        if hit is not None and hit[0] is fig:
            return hit[1]
    out = presented(fig) if present else fig
    if main:
        out = _fit(out, MAIN_HEIGHT_PRESENT if present else MAIN_HEIGHT)
    if out is not fig:
        _keep_legend_below(fig, out, 1.4 if present else 1.0)
    if shared:
        with _lock:
            _shown_cache[(id(fig), present, main)] = (fig, out)  # holds fig: its id stays its
            while len(_shown_cache) > SHOWN_KEPT:
                _shown_cache.popitem(last=False)
    return out


SHOWN_KEPT = 48
_lock = threading.Lock()
_shown_cache: OrderedDict[tuple[int, bool, bool], tuple[Any, Any]] = OrderedDict()


def _fit(fig: Any, cap: int) -> Any:
    """``fig`` at most ``cap`` pixels high (a copy when changed). A legend at the figure's
    foot (``legend="bottom"``: rows of entries under the x axis) moves to the right of the
    plot, so the plot keeps its height; the margins reserved for it shrink."""
    if (fig.layout.height or 450) <= cap:
        return fig
    out = copied(fig)
    lay, scale = out.layout, (1.4 if enabled() else 1.0)
    if lay.legend.yref == "container":  # the foot legend of regcore.figures.style
        lay.legend.update(
            orientation="v", x=1.02, xanchor="left", y=1.0, yanchor="top", yref="paper"
        )
        for trace in out.data:  # "term: what it is" -> "term" (the intro says the rest)
            name = trace.name or ""
            if len(name) > LEGEND_CHARS and ": " in name:
                trace.name = name.split(": ")[0]
        lay.margin.b = round(64 * scale)
        lay.margin.t = min(lay.margin.t or 80, round(64 * scale))
    lay.height = cap
    return out


def _plot_height(fig: Any) -> float:
    lay = fig.layout
    return max((lay.height or 450) - (lay.margin.t or 100) - (lay.margin.b or 80), 50)


def _keep_legend_below(orig: Any, fig: Any, scale: float) -> None:
    """Keep a legend placed under the plot (a negative ``y``: a share of the plot's height)
    as many pixels under it, times the font ``scale``, after the figure changed size, so
    larger tick labels and axis titles do not run into it."""
    y = orig.layout.legend.y
    if y is None or y >= 0 or fig.layout.legend.yref == "container":
        return
    if fig.layout.legend.y != y:  # moved by _fit
        return
    fig.layout.legend.y = y * _plot_height(orig) * scale / _plot_height(fig)
