"""What a page loads once per process before it draws: only the pages that need it call it."""

from __future__ import annotations

import gc

import streamlit as st


@st.cache_resource(show_spinner=False)
def warm_tables() -> None:
    """pandas and plotly's figures, once per process, for the pages that draw tables
    (``st.dataframe`` loads pandas) or read an uploaded CSV.

    Importing pandas on two threads at once (a redraw through plotly and another import)
    once left it "partially initialized" for one of them; the cache's lock makes this the
    one import, and every caller waits for it to finish. Not at start: pandas is ~65 MB
    of memory the Playground's own runs never use.
    """
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    gc.freeze()  # long-lived: out of the periodic collection's way (ui.live.stream.warm_engine)
