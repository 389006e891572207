"""Regularization Lab: the app shell (page config, navigation, shared sidebar)."""

import streamlit as st

st.set_page_config(page_title="Regularization Lab", page_icon="📉", layout="wide")

PAGES = [
    st.Page(
        "pages/playground.py", title="Playground", icon="🎛️", url_path="playground", default=True
    ),
]

st.sidebar.caption(
    "Regularization Lab: train a model live and see what L1, L2 and weight decay do."
)
st.navigation(PAGES).run()
