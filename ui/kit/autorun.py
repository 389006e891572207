"""One click on the lesson path opens a demo *and* trains it: a one-shot request in session
state that the opened page takes as a press of its main button (``take``), once."""

from __future__ import annotations

import streamlit as st

_KEY = "autorun_request"  # the page prefix (``pg``, ``cmp``, ...) whose button to press


def request(prefix: str) -> None:
    """Ask the page (or tab) with session prefix ``prefix`` to train on its next run."""
    st.session_state[_KEY] = prefix


def take(prefix: str) -> bool:
    """Whether a request for ``prefix`` is waiting; it is used up. Call it only where the
    button it stands for is enabled, so a request is never lost to a busy page."""
    if st.session_state.get(_KEY) != prefix:
        return False
    del st.session_state[_KEY]
    return True


def drop() -> None:
    """Forget a request no page took (the lesson path calls it before making a new one)."""
    st.session_state.pop(_KEY, None)
