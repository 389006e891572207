"""λ sweep: K strengths trained at once; validation curve, paths, bias and variance."""

import pandas  # noqa: F401  (plotly imports it lazily; two drawing threads could race on it)
import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from regcore.biasvar import KNOWN_TRUTH, bias_variance
from regcore.figures import fig_weight_hist
from regcore.figures import sweep as figs
from regcore.sweep import exact_path, run_result, sweep
from ui import controls, live
from ui.runner import get_runner
from ui.views import CHART
from ui.widgets import fmt, log_options

P = "sw"  # session-state prefix of this page
RANGE = log_options(1e-4, 100.0)

live.warm_engine()


@st.cache_resource(show_spinner=False)
def warm_figures() -> None:
    """Build each figure once per process, so a first sweep does not wait for plotly."""
    res = sweep({"optim": {"epochs": 1}}, [0.1, 1.0])
    for fig in (
        figs.fig_sweep_loss(res),
        figs.fig_coef_paths(res, exact_path({}, [0.1, 1.0])),
        figs.fig_sweep_norm(res),
        figs.fig_sweep_zeros(res),
    ):
        fig.to_json()


warm_figures()
controls.init_state(P)
cfg, problem = controls.controls(P)  # the base config (its λ is replaced by the sweep's)
live.collect(P)
st.title("λ sweep")
st.caption(
    "One model per λ, all trained at once from the same initial weights on the same batches. "
    "Objective: data loss + λ·Ω(w); the sidebar sets everything but λ."
)
c1, c2, c3, c4 = st.columns([3, 2, 1.4, 2])
lo, hi = c1.select_slider(
    "λ range (log)", RANGE, value=(1e-4, 100.0), format_func=fmt, key=f"{P}_range"
)
k = c2.slider("λ points K", 4, 256, 32, key=f"{P}_k")
r = c3.number_input("repeats", 1, 32, 1, key=f"{P}_r", help="fresh data and init per repeat")
truth = cfg is not None and cfg.data.name in KNOWN_TRUTH
bv_on = c4.toggle(
    "bias–variance",
    value=truth,
    disabled=not truth,
    key=f"{P}_bv",
    help="retrain on 8 (or R) fresh training sets per λ: linear, sparse, polynomial",
)
lams = [lo * (hi / lo) ** (i / (k - 1)) for i in range(k)] if hi > lo else [lo]

busy = live.running(P)
b1, b2, note = st.columns([1.4, 1.4, 5], vertical_alignment="center")
if b1.button("Sweep", type="primary", disabled=busy or cfg is None, key=f"{P}_go"):

    def job_fn(stop, emit, cfg=cfg, lams=lams, r=int(r), bv=bv_on and truth):
        res = sweep(cfg, lams, stop=stop, repeats=r, on_epoch=emit)
        out = {"sweep": res, "exact": exact_path(cfg, lams), "bv": None}
        if bv and not res.stopped:
            out["bv"] = bias_variance(cfg, lams, repeats=max(r, 8), stop=stop)
        return out

    st.session_state[f"{P}_job"] = get_runner().submit(job_fn, label="sweep")
    st.session_state[f"{P}_error"] = None
    st.rerun()
b2.button("Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,))
if cfg is not None:
    note.caption(
        f"{k} × {int(r)} models × {cfg.optim.epochs} epochs, {cfg.data.name}, "
        f"{cfg.reg.kind}, {cfg.optim.name.upper()} lr {cfg.optim.lr:g}"
    )
for msg in (problem, st.session_state.get(f"{P}_error")):
    if msg:
        st.error(msg)


def show(src, exact=None, epochs=None):
    a, b = st.columns(2)
    a.plotly_chart(figs.fig_sweep_loss(src, "test and train loss"), config=CHART)
    b.plotly_chart(
        figs.fig_coef_paths(src, exact, epochs=epochs, title="coefficient paths"), config=CHART
    )
    a.plotly_chart(figs.fig_sweep_norm(src, exact, "‖w‖₂"), config=CHART)
    b.plotly_chart(figs.fig_sweep_zeros(src, "share of exact zeros"), config=CHART)


def draw_live(j):
    events = list(j.events)
    ev = events[-1] if events else None
    st.progress(
        ev.epoch / ev.epochs if ev else 0.0,
        text=f"epoch {ev.epoch} / {ev.epochs}" if ev else "starting…",
    )
    if ev is not None:
        with_coefs = next((e for e in reversed(events) if e.coefs), ev)
        show(ev if ev.coefs else with_coefs)


out = st.session_state.get(f"{P}_result")
if busy:
    live.poll(P, draw_live)
elif out is not None:
    res = out["sweep"]
    if res.stopped:
        st.info("stopped: showing the epochs computed")
    show(res, out["exact"], res.config.optim.epochs)
    if out["exact"] is not None:
        st.caption(
            f"Dashed: the exact minimizer of the same objective ({out['exact']['method']}). "
            "Where the trained ‖w‖₂ sits "
            "above it (at small λ here), training has not converged: weights in directions "
            "the training samples do not constrain get no gradient from the data, so only "
            "the penalty (a factor 1 − lr·λ per step) shrinks them from their initial values."
        )
    if out["bv"] is not None:
        st.plotly_chart(
            figs.fig_bias_variance(
                out["bv"], "bias² + variance + noise vs the measured test error"
            ),
            config=CHART,
        )
    pick = st.select_slider(
        "λ for the weight histogram",
        range(len(res.rows)),
        value=figs.best_index(res) or 0,
        key=f"{P}_pick",
        format_func=lambda i: fmt(float(f"{res.lambdas[i]:.3g}")),
    )
    st.plotly_chart(fig_weight_hist(run_result(res, pick)), config=CHART)
else:
    st.info(
        "Press **Sweep**: 32 strengths λ from 10⁻⁴ to 10² on the textbook weight-decay "
        "experiment train in about a second."
    )
