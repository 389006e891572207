"""Streamlit-aware helpers: the job runner, widgets built from regcore's bounds, caching.

regcore never imports this package; pages import from here and from regcore. Every
page imports ``ui``, so importing it first makes sure a deep link on a fresh server
runs through ``app.py`` (see ``ui.shell``).
"""

from ui.kit.shell import ensure_navigation

ensure_navigation()
