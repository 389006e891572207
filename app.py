"""Regularization Lab: the app shell (page config, navigation, shared sidebar).

To add a page, add ONE ``_page(...)`` line to ``PAGES``. The URL path of a page is
its file stem (``pages/sweep.py`` -> ``/sweep``), which keeps deep links working
on a fresh server (see ``ui.shell``).
"""

from pathlib import Path

import streamlit as st

import ui  # noqa: F401  (first: a deep link on a fresh server reruns through this file)
from ui.live import warm_engine


def _page(path: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(path, title=title, icon=icon, url_path=Path(path).stem, default=default)


PAGES = [
    _page("pages/playground.py", "Playground", ":material/tune:", default=True),
    _page("pages/compare.py", "L1 vs L2", ":material/compare:"),
    _page("pages/sweep.py", "λ sweep", ":material/stacked_line_chart:"),
    _page("pages/learn.py", "Learn", ":material/school:"),
]

st.set_page_config(page_title="Regularization Lab", page_icon="📉", layout="wide")
st.sidebar.caption(
    "**Regularization Lab** — train a model live and see what L1, L2 and weight decay do to it."
)
warm_engine()  # once per process, in a background thread
st.navigation(PAGES).run()
