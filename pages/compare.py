"""L1 vs L2: several regularizers trained on the same data, initialization and batch order."""

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from regcore.compare import plan
from ui import compare_view as view
from ui import live
from ui.runner import get_runner

P = "cmp"  # session-state prefix of this page

live.warm_engine()
live.collect(P)
st.title("L1 vs L2")
if st.query_params:  # this page's runs come from its presets and controls, not from links
    names = ", ".join(sorted(st.query_params.keys()))
    st.info(
        f"This page sets its runs with the controls below; the link's settings ({names}) "
        "apply on the Playground and the λ sweep, not here."
    )
    st.query_params.clear()
st.caption(
    "Every run starts from the same initial weights and sees the same data in the same "
    "order; only the regularizer differs. Objective: data loss + λ·Ω(w)."
)
mode = view.choose_mode(P)
base, variants = view.controls(P, mode)

busy = live.running(P)
b1, b2, note = st.columns([1.6, 1.2, 4.5], vertical_alignment="center")
if b1.button("Train all", type="primary", disabled=busy or not variants, key=f"{P}_train"):
    try:
        _, labels, keys = plan(base, variants)
    except ValueError as exc:
        st.error(str(exc))
    else:
        metric, task = view.task_of(base)
        st.session_state[f"{P}_job"] = get_runner().submit(
            view.job_fn(base, variants), label="compare"
        )
        st.session_state[f"{P}_meta"] = {
            "prefix": P,
            "mode": mode,
            "labels": labels,
            "keys": keys,
            "epochs": base.optim.epochs,
            "metric": metric,
            "task": task,
        }
        st.session_state[f"{P}_error"] = None
        st.rerun()  # redraw with Train disabled and Stop enabled
b2.button("Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,))
note.caption(view.describe(base, variants))
if st.session_state.get(f"{P}_error"):
    st.error(st.session_state[f"{P}_error"])

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
