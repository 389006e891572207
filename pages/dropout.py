"""Dropout & norm: networks side by side on one data set, init and batch order; train vs eval."""

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from ui import dropout_controls as controls
from ui import dropout_tabs as tabs
from ui import dropout_view as view
from ui import live
from ui.messages import say

P = "dn"  # session-state prefix of this page (side by side)

live.warm_engine()
live.collect(P)
st.title("Dropout & norm")
st.caption(
    "Up to four networks trained on the same data, from the same initial weights, seeing the "
    "minibatches in the same order: only dropout, normalization or the penalty differ."
)
view.mnist_link(P)
side, sweep, small, bv = st.tabs(
    ["Side by side", "Dropout-rate sweep", "Small batches", "Bias–variance"]
)
with side:
    base, problem = controls.base_controls(P)
    variants = controls.variant_controls(P)
    busy = live.running(P)
    b1, b2, note = st.columns([1.4, 1, 5], vertical_alignment="center")
    if b1.button(
        "Train all", type="primary", disabled=busy or base is None or not variants, key=f"{P}_train"
    ):
        problem = view.submit(P, base, variants)
        if problem is None:
            st.rerun()  # redraw with Train disabled and Stop enabled
    b2.button("Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,))
    if base is not None:
        note.caption(view.describe(base, variants))
    for msg in (problem, live.refusal(P), st.session_state.get(f"{P}_error")):
        if msg:
            say("error", msg)
    res = st.session_state.get(f"{P}_result")
    if busy:
        meta = st.session_state[f"{P}_meta"]
        live.poll(P, lambda j: view.draw_live(P, j, meta), every=0.8)
    elif res is not None:
        if view.is_stale(res, base, variants):
            st.info("These results are from earlier settings: **Train all** trains the new ones.")
        view.draw_result(P, res)
        tabs.draw_probe(P, res)
    else:
        st.info(
            "Press **Train all**: the default trains a wide MLP on 30 noisy moons "
            "without and with dropout 0.5 (a few seconds). XOR shows the boundaries' shapes "
            "most clearly."
        )
with sweep:
    tabs.sweep_tab(f"{P}s", base)
with small:
    tabs.small_batch_tab(f"{P}b", base)
with bv:
    tabs.biasvar_tab(f"{P}v")
