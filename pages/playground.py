"""Playground: pick data, model and regularizer, train live, see what the penalty does."""

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from ui.kit import autorun, controls, exports, present, table_note
from ui.kit.messages import say
from ui.live import stream as live
from ui.playground import history, runs, views
from ui.playground import surface as surface_view

P = "pg"  # session-state prefix of this page

controls.init_state(P, live.problem_text)
cfg, problem = controls.controls(P, live.problem_text)
if cfg is not None:
    controls.write_link(P, cfg)  # the address bar always holds the settings on screen
live.collect(P)

present.heading(
    "Playground",
    "Objective: data loss + λ·Ω(w). Change the data, the model or the regularizer in the "
    "sidebar, press **Train** and watch the train and test losses (log scale) as it learns.",
)
busy = live.running(P)
seconds = live.estimate(cfg) if cfg is not None else 0.0
too_big = live.over_budget(seconds)
off = busy or cfg is None or bool(too_big)
c_train, c_stop, c_link, c_note = st.columns([1, 1, 1.6, 2.8], vertical_alignment="center")
press = live.pressed(P)  # used up on every run: a press while Train is disabled is void
if not off and (press or autorun.take(P)):  # autorun: opened from the lesson path
    if surface_view.start(P, cfg, label="playground") is not None:
        live.settle(P)  # a run about to end is awaited: its result drawn in this run
        busy = off = live.running(P)  # else: Train disabled, Stop enabled, its place in line
live.main_button(c_train, "Train", P, disabled=off, width="stretch")
c_stop.button(
    "Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,), width="stretch"
)
if cfg is not None:
    with c_link:
        exports.copy_link(controls.link_params(cfg), "these settings")
if cfg is not None and not busy:
    present.note(
        c_note,
        f"{cfg.optim.epochs} epochs of {cfg.optim.name.upper()} on "
        f"{cfg.data.n_train} samples, {live.estimate_note(seconds)}; "
        "the address bar holds a shareable link.",
    )
for msg in (problem, too_big, live.refusal(P)):
    if msg:
        say("error", msg)
if st.session_state.get(f"{P}_error") and st.session_state.get(f"{P}_run_cfg") == cfg:
    say("error", st.session_state[f"{P}_error"])  # the failed run's settings are still on screen
history.remember(P)  # the result to draw joins the session's runs (after Train's settle)
if busy:
    running_cfg = st.session_state[f"{P}_run_cfg"]

    def _draw(j):
        views.live(j, running_cfg, P, live.progress(j, running_cfg.optim.epochs))
        surface_view.draw(P)

    live.poll(P, _draw)
elif st.session_state.get(f"{P}_result") is not None:
    result = st.session_state[f"{P}_result"]
    if cfg is not None and result.config != cfg:
        st.info("These results are from earlier settings: press **Train** to train the new ones.")
    views.result_panel(P, result)
    if st.session_state.get(f"{P}_run_cfg") == result.config:
        surface_view.draw(P)
    exports.run_files(P, result)
elif cfg == controls.TrainConfig():
    st.info(
        "Press **Train**: the default is the textbook weight-decay experiment "
        "(200 features, 20 samples, L2 with λ = 3); it trains in about a second."
    )
elif cfg is not None and not too_big:
    st.info("Press **Train** to train these settings.")
runs.runs_list(P)
table_note.draw_note(cfg, expanded=st.session_state.get(f"{P}_result") is None and not busy)
exports.open_run(P)
