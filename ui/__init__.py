"""Streamlit-aware helpers: the job runner, widgets built from regcore's bounds, caching.

regcore never imports this package; pages import from here and from regcore.
"""
