"""L1 vs L2: several regularizers trained on the same data, initialization and batch order."""

from functools import partial

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from regcore.experiments import plan, summary
from regcore.links import link_params
from regcore.serve import comparison_work, fraction
from ui.compare import geometry as geometry_view
from ui.compare import view
from ui.kit import autorun, exports, present
from ui.kit.messages import say
from ui.kit.warm import warm_tables
from ui.live import stream as live

P = "cmp"  # session-state prefix of this page

live.warm_engine()
warm_tables()  # its result is a table (st.dataframe loads pandas)
live.collect(P)
present.heading(
    "L1 vs L2",
    "Every run starts from the same initial weights and sees the same data in the same "
    "order; only the regularizer differs. Objective: data loss + λ·Ω(w).",
)
view.init_from_link(P)
with st.sidebar:  # beside the charts, not above them: they stay above a projector's fold
    mode = view.choose_mode(P)
    base, variants = view.controls(P, mode)
link = link_params(base, view.link_settings(P, mode, variants).to_params())
if link != st.query_params.to_dict():  # the address bar holds the comparison and its settings
    st.query_params.from_dict(link)
st.session_state[f"{P}_link_seen"] = link

busy = live.running(P)
try:
    configs, labels, keys = plan(base, variants)
except ValueError as exc:
    configs, problem = (), str(exc)
else:
    problem = None
seconds = live.seconds(comparison_work(configs)) if configs else 0.0
preset = view.is_published(mode, base)  # the source's own size: the preset allowance
too_big = live.over_budget(seconds, preset)
b1, b2, b3, note = st.columns([1.6, 1.2, 1.8, 2.8], vertical_alignment="center")
go = not (busy or problem or too_big or not variants or view.refused(P))  # a refused box
press = live.pressed(P)  # used up on every run: a press while Train all is disabled is void
if go and (press or autorun.take(P)):  # autorun: opened from the lesson path
    job = view.job_fn(base, variants)
    runs = partial(fraction, parts=len(configs))
    if live.submit(P, job, label="compare", estimate_s=seconds, preset=preset, progress=runs):
        st.session_state[f"{P}_meta"] = view.meta(P, mode, base, labels, keys)
        busy = live.running(P)  # this run draws Train all disabled, Stop enabled
        go = not busy
live.main_button(b1, "Train all", P, disabled=not go)
b2.button("Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,))
with b3:
    exports.copy_link(link, "this comparison")
present.note(note, f"{view.describe(base, variants)}; {view.budget_note(seconds, preset)}")
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
    exports.compare_files(P, res.configs, res.labels, summary(res))

st.divider()
geometry_view.render()  # the weight-plane picture: λ and correlation, trained on top
