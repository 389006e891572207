"""λ sweep: K strengths trained at once; validation curve, paths, bias and variance."""

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from ui.kit import autorun, controls, exports, present, table_note, widgets
from ui.kit.messages import say
from ui.kit.warm import warm_tables
from ui.live import stream as live
from ui.sweep import saved as sweep_open
from ui.sweep import view

P = "sw"  # session-state prefix of this page

live.warm_engine()
warm_tables()  # before any figure: plotly imports pandas lazily, two threads could race on it
view.warm_figures()
view.seed_from_link(P, controls.init_state(P, live.problem_text))
cfg, problem = controls.controls(
    P, live.problem_text
)  # the base config (its λ is replaced by the sweep's)
live.collect(P)
present.heading(
    "λ sweep",
    "One model per λ, all trained at once from the same initial weights on the same batches. "
    "Objective: data loss + λ·Ω(w); the sidebar sets everything but λ.",
)
with present.settings("λ range, points and repeats", fold=False):
    plan = view.controls(P, cfg)
if cfg is not None:  # the address bar holds the base config and the sweep's own settings
    controls.write_link(P, cfg, plan.settings.to_params())

busy = live.running(P)
seconds = view.estimate(cfg, plan) if cfg is not None else 0.0
too_big = live.over_budget(seconds)
b1, b2, b3, note = st.columns([1.4, 1.4, 1.8, 2.8], vertical_alignment="center")
off = busy or cfg is None or bool(too_big) or bool(widgets.problems(P))  # a refused box
press = live.pressed(P)  # used up on every run: a press while Sweep is disabled is void
if not off and (press or autorun.take(P)):  # autorun: opened from the lesson path
    job, read = view.job_fn(cfg, plan), view.job_progress(cfg, plan)
    if live.submit(P, job, label="sweep", estimate_s=seconds, progress=read):
        st.session_state[f"{P}_plan"] = plan
        busy = off = live.running(P)  # this run draws Sweep disabled, Stop enabled
live.main_button(b1, "Sweep", P, disabled=off, key=f"{P}_go")
b2.button("Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,))
if cfg is not None:
    with b3:
        exports.copy_link(controls.link_params(cfg, plan.settings.to_params()), "this sweep")
    present.note(note, f"{view.describe(cfg, plan)}; {live.estimate_note(seconds)}")
for msg in (problem, too_big, live.refusal(P), st.session_state.get(f"{P}_error")):
    if msg:
        say("error", msg)
out = st.session_state.get(f"{P}_result")
if busy:
    live.poll(P, view.draw_live, every=view.redraw_every(st.session_state[f"{P}_plan"]))
elif out is not None:
    view.draw_result(P, out)
    exports.sweep_files(P, out.sweep, out.settings, out.cv)
elif cfg is not None and cfg == controls.TrainConfig():
    st.info(view.FIRST_HINT)
elif cfg is not None:
    st.info(f"Press **Sweep** to train {len(plan.lams) * plan.repeats} models of these settings.")
table_note.draw_note(cfg, expanded=st.session_state.get(f"{P}_result") is None and not busy)
sweep_open.open_sweep(P)  # a saved sweep.json, shown again without retraining
