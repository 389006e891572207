"""Playground: train one model live and watch what the regularizer does."""

import streamlit as st

import ui  # noqa: F401

st.title("Playground")
st.info("The Playground is being built.")
