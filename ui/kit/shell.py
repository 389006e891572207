"""Keep deep links going through app.py, the shell every page relies on.

Streamlit still supports its legacy multipage mode: when a folder named ``pages/``
sits beside the main script, a *fresh* server treats every file in it as a page
and, on a deep link such as ``/playground``, runs that file directly, skipping
``app.py`` (no page config, no shared sidebar, a navigation built from file names).
Only a call to ``st.navigation`` switches that mode off, process-wide. A page that
finds itself run in legacy mode switches it off and asks for a rerun, which then
goes through ``app.py`` and lands on the same page (its URL path is its file stem).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def ensure_navigation() -> None:
    """Rerun through ``app.py`` if this page was run by the legacy ``pages/`` discovery."""
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()
