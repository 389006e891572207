"""Regularization Lab: the app shell (page config, navigation, shared sidebar).

To add a page, add ONE ``_page(...)`` line to ``PAGES``. The URL path of a page is
its file stem (``pages/sweep.py`` -> ``/sweep``), which keeps deep links working
on a fresh server (see ``ui.shell``).
"""

from pathlib import Path

import streamlit as st

import ui  # noqa: F401  (first: a deep link on a fresh server reruns through this file)
from ui.kit import present
from ui.live.stream import warm_engine


def _page(path: str, title: str, icon: str) -> st.Page:
    return st.Page(path, title=title, icon=icon, url_path=Path(path).stem)


def _home() -> None:
    # The default page is always served at "/" and has no path of its own, so the
    # Playground is not the default: "/" forwards to "/playground", link settings kept
    # (the Lesson path comes first in the menu; a link's settings are the Playground's).
    st.switch_page(PLAYGROUND, query_params=st.query_params.to_dict())


PLAYGROUND = _page("pages/playground.py", "Playground", ":material/tune:")
PAGES = [
    _page("pages/lessons.py", "Lesson", ":material/route:"),
    PLAYGROUND,
    _page("pages/compare.py", "L1 vs L2", ":material/compare:"),
    _page("pages/sweep.py", "λ sweep", ":material/stacked_line_chart:"),
    _page("pages/dropout.py", "Dropout & norm", ":material/blur_on:"),
    _page("pages/learn.py", "Learn", ":material/school:"),
]

sidebar = "collapsed" if present.read_link() else "auto"  # presentation: controls tucked away
st.set_page_config(
    page_title="Regularization Lab", page_icon="📉", layout="wide", initial_sidebar_state=sidebar
)
present.style()
present.toggle()  # pinned at the top right of every page
warm_engine()  # once per process, in a background thread
home = st.Page(_home, title="Regularization Lab", default=True, visibility="hidden")
# presentation: the pages are switched from the header, the sidebar stays closed
st.navigation([home, *PAGES], position="top" if present.enabled() else "sidebar").run()
# last in the sidebar, so the page's regularizer and λ are its first controls
st.sidebar.caption(
    "**Regularization Lab** — train a model live and see what L1, L2 and weight decay do to it."
)
present.finish()  # present=1 stays in the link
