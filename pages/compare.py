"""L1 vs L2: several regularizers trained on the same data, initialization and batch order."""

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from regcore.compare import plan
from ui import compare_view as view
from ui import geometry_view, live
from ui.messages import say

P = "cmp"  # session-state prefix of this page

live.warm_engine()
live.collect(P)
st.title("L1 vs L2")
if st.query_params:  # this page's runs come from its presets and controls, not from links
    names = ", ".join(sorted(st.query_params.keys()))
    say(
        "info",
        f"This page sets its runs with the controls below; the link's settings ({names}) "
        "apply on the Playground and the λ sweep, not here.",
    )
    st.query_params.clear()
st.caption(
    "Every run starts from the same initial weights and sees the same data in the same "
    "order; only the regularizer differs. Objective: data loss + λ·Ω(w)."
)
with st.sidebar:  # beside the charts, not above them: they stay above a projector's fold
    mode = view.choose_mode(P)
    base, variants = view.controls(P, mode)

busy = live.running(P)
try:
    configs, labels, keys = plan(base, variants)
except ValueError as exc:
    configs, problem = (), str(exc)
else:
    problem = None
seconds = sum(live.estimate(c) for c in configs)
too_big = live.over_budget(seconds)
b1, b2, note = st.columns([1.6, 1.2, 4.5], vertical_alignment="center")
go = not (busy or problem or too_big or not variants)
if b1.button("Train all", type="primary", disabled=not go, key=f"{P}_train"):
    if live.submit(P, view.job_fn(base, variants), label="compare", estimate_s=seconds):
        st.session_state[f"{P}_meta"] = view.meta(P, mode, base, labels, keys)
        st.rerun()  # redraw with Train disabled and Stop enabled
b2.button("Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,))
note.caption(f"{view.describe(base, variants)}; {live.estimate_note(seconds)}")
for msg in (problem, too_big, live.refusal(P), st.session_state.get(f"{P}_error")):
    if msg:
        say("error", msg)

meta = st.session_state.get(f"{P}_meta")
res = st.session_state.get(f"{P}_result")
if busy:
    live.poll(P, lambda j: view.draw_live(j, meta))
elif not variants:
    st.info("Pick at least one regularizer above to train.")
elif res is None or meta is None or meta["mode"] != mode:
    runs = f"{len(variants)} run" + ("s side by side" if len(variants) > 1 else "")
    st.info(f"Press **Train all** to train {runs}.")
else:
    view.draw_result(P, res, mode, base)

st.divider()
geometry_view.render()  # the weight-plane picture: λ and correlation, trained on top
