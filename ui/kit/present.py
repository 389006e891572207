"""Presentation mode: larger fonts and figures, controls collapsed, one figure per row.

Turned on by the sidebar's "Presentation" toggle or ``?present=1`` in a link; the link
keeps ``present=1`` while it is on, so a teacher can bookmark the projector view.
Pages draw charts through :func:`chart` and side-by-side figures through
:func:`columns`, which stack them in presentation mode.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from regcore.figures import presented

PARAM = "present"
_STATE = "present_mode"  # not a widget key: survives runs where the toggle is not drawn
_TOGGLE = "present_toggle"
CHART = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
# Tighter page margins always (a 1024 × 768 projector shows the main chart without
# scrolling), and a code box's copy button (the "Copy link" box's, a config's) shown
# without hovering, as touch screens and projectors have no hover; in presentation mode
# a larger root font scales every rem-sized element.
_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 3.5rem; padding-left: 2rem;
  padding-right: 2rem; padding-bottom: 2rem;}
h1 {padding-top: 0.25rem !important; padding-bottom: 0.25rem !important;}
[data-testid="stCode"] div:has([data-testid="stElementToolbarButton"])
  {opacity: 1 !important; visibility: visible !important;}
</style>"""
_CSS_PRESENT = """<style>
html {font-size: 22px;}
[data-testid="stMainBlockContainer"] {max-width: 100%;}
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


def finish() -> None:
    """Draw the sidebar toggle (last: the regularizer and λ stay the first controls) and
    keep ``present=1`` in the link while the mode is on."""
    st.session_state[_TOGGLE] = enabled()
    st.sidebar.toggle(
        "Presentation",
        key=_TOGGLE,
        on_change=_flip,
        help="Larger fonts and figures, controls collapsed, one figure per row; "
        "add ?present=1 to a link to open it this way",
    )
    if enabled():
        st.query_params[PARAM] = "1"


def _flip() -> None:
    st.session_state[_STATE] = bool(st.session_state[_TOGGLE])


def columns(spec: int | list[float]) -> list[Any]:
    """``st.columns(spec)``, or as many full-width rows in presentation mode."""
    n = spec if isinstance(spec, int) else len(spec)
    if enabled():
        return [st.container() for _ in range(n)]
    return list(st.columns(spec))


def chart(
    fig: Any, *, key: str | None = None, where: Any = None, config: dict | None = None, **kw: Any
) -> Any:
    """Draw a plotly figure (scaled up in presentation mode) into ``where`` (the page if None);
    ``kw`` goes to ``st.plotly_chart`` (``on_select``, ...)."""
    if enabled():
        fig = presented(fig)
    target = where if where is not None else st
    return target.plotly_chart(fig, config=config or CHART, key=key, **kw)
