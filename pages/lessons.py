"""Lesson: the seven points of a lecture on regularization, each a one-click demo with a
question and the check of its answer."""

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from ui.lessons import view

st.title("Lesson: regularization in seven points")
if st.query_params:  # this page has no settings of its own: a demo's link opens its page
    st.query_params.clear()
view.render()
