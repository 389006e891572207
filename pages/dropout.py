"""Dropout & norm: networks side by side on one data set, init and batch order; train vs eval."""

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from ui.dropout import controls, tabs, tabstate, view
from ui.kit import autorun, exports, present
from ui.kit.messages import say
from ui.kit.warm import warm_tables
from ui.live import stream as live

P = "dn"  # session-state prefix of this page (side by side)

live.warm_engine()
warm_tables()  # its result is a table (st.dataframe loads pandas)
live.collect(P)
controls.init_from_link(P)
with st.sidebar:  # beside the charts, not above them: they stay above a projector's fold
    st.markdown("**Data, network and optimizer** (shared by every network)")
    base, problem = controls.base_controls(P)
    st.markdown("**Networks** (only these settings differ)")
    variants = controls.variant_controls(P)
link = controls.write_link(P, base, variants) if base is not None and variants else None
present.heading(
    "Dropout & norm",
    "Up to four networks (sidebar) on the same data, initial weights and minibatch order: "
    "only dropout, normalization or the penalty differ.",
)
side, sweep, small, bv = tabstate.open_tabs(P)  # the open tab travels in the link
with side:
    busy = live.running(P)
    seconds = view.estimate(base, variants) if base is not None else 0.0
    too_big = live.over_budget(seconds)
    b1, b2, b3, note = st.columns([1.3, 1, 1.8, 2.8], vertical_alignment="center")
    ready = not (busy or base is None or not variants or too_big)
    press = live.pressed(P)  # used up on every run: a press while Train all is off is void
    if ready and (press or autorun.take(P)):  # autorun: opened from the lesson path
        problem = view.submit(P, base, variants)
        busy = live.running(P)  # this run draws Train all disabled, Stop enabled
        ready = not busy
    live.main_button(b1, "Train all", P, disabled=not ready)
    b2.button("Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,))
    if link is not None:
        with b3:
            exports.copy_link(link, "these networks")
    if base is not None:
        present.note(note, view.describe(base, variants))
    for msg in (problem, too_big, live.refusal(P), st.session_state.get(f"{P}_error")):
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
        view.files(P, res)
        tabs.draw_probe(P, res)
    elif not variants:
        st.info("Switch on at least one network in the sidebar.")
    else:
        st.info(view.DEFAULT_HINT)
    view.mnist_link(P)
with sweep, present.intro_below():  # each tab's explanation under its figure
    tabs.sweep_tab(f"{P}s", base, link)
with small, present.intro_below():
    tabs.small_batch_tab(f"{P}b", link)
with bv, present.intro_below():
    tabs.biasvar_tab(f"{P}v", link)
