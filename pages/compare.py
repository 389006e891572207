"""L1 vs L2: several regularizers trained on the same data, initialization and batch order."""

from dataclasses import replace

import streamlit as st

import ui  # noqa: F401  (first: keeps deep links going through app.py)
from regcore.compare import PRESETS, Variant, compare, max_difference, plan, summary
from regcore.config import BOUNDS
from regcore.figures import compare as figs
from regcore.figures.style import reg_label
from ui import live
from ui.runner import get_runner
from ui.views import CHART
from ui.widgets import LAM_OPTIONS, fmt

P = "cmp"  # session-state prefix of this page
KINDS = ("none", "l1", "l2", "elastic_net", "weight_decay")
PER_RUN_LAM = ("regularizers", "digits")  # modes where each run may have its own λ

live.warm_engine()
live.collect(P)
st.title("L1 vs L2")
st.caption(
    "Every run starts from the same initial weights and sees the same data in the same "
    "order; only the regularizer differs. Objective: data loss + λ·Ω(w)."
)
mode = st.radio(
    "Comparison",
    list(PRESETS),
    format_func=lambda m: PRESETS[m].title,
    horizontal=True,
    key=f"{P}_mode",
)
st.caption(PRESETS[mode].about)
base, variants = PRESETS[mode].config(), list(PRESETS[mode].variants)

c1, c2, c3 = st.columns([3, 2, 2])
if mode == "regularizers":
    kinds = c1.multiselect(
        "Regularizers",
        list(KINDS),
        default=["none", "l1", "l2"],
        format_func=reg_label,
        key=f"{P}_kinds",
    )
    solver = c2.radio("L1 solver", ["proximal", "subgradient"], horizontal=True, key=f"{P}_solver")
    variants = [Variant(kind=k, l1_solver=solver) for k in kinds]
shared = mode not in PER_RUN_LAM or c3.toggle("one λ for all", value=True, key=f"{P}_shared")
penalized = [i for i, v in enumerate(variants) if v.kind != "none"]
cols = st.columns((1 if shared else len(penalized)) + 1)
for n, i in enumerate(penalized):
    if shared and n > 0:
        variants[i] = replace(variants[i], lam=variants[penalized[0]].lam)
        continue
    kind = variants[i].kind
    lam = cols[n].select_slider(
        "λ" if shared else f"λ for {reg_label(kind)}",
        LAM_OPTIONS,
        value=base.reg.lam,
        format_func=fmt,
        key=f"{P}_lam_{mode}_{'all' if shared else kind}",
    )
    variants[i] = replace(variants[i], lam=lam)
epochs = cols[-1].number_input(
    "epochs", 1, int(BOUNDS["optim.epochs"][1]), base.optim.epochs, key=f"{P}_epochs_{mode}"
)
base = base.replace(**{"optim.epochs": int(epochs)})

busy = live.running(P)
b1, b2, note = st.columns([1, 1, 5], vertical_alignment="center")
if b1.button("Train all", type="primary", disabled=busy or not variants, key=f"{P}_train"):
    try:
        configs, labels, keys = plan(base, variants)
    except ValueError as exc:
        st.error(str(exc))
    else:

        def job_fn(stop, emit, base=base, variants=tuple(variants)):
            return compare(base, variants, stop=stop, on_epoch=lambda i, ev: emit((i, ev)))

        st.session_state[f"{P}_job"] = get_runner().submit(job_fn, label="compare")
        st.session_state[f"{P}_meta"] = {
            "mode": mode,
            "labels": labels,
            "keys": keys,
            "epochs": int(epochs),
            "task": base.data.name,
        }
        st.session_state[f"{P}_error"] = None
        st.rerun()  # redraw with Train disabled and Stop enabled
b2.button("Stop", disabled=not busy, key=f"{P}_stop", on_click=live.stop, args=(P,))
note.caption(
    f"{len(variants)} runs × {int(epochs)} epochs, {base.data.name}, "
    f"{base.optim.name.upper()} lr {base.optim.lr:g}, batch {base.optim.batch_size}"
)
if st.session_state.get(f"{P}_error"):
    st.error(st.session_state[f"{P}_error"])
meta = st.session_state.get(f"{P}_meta")
metric = "accuracy" if base.data.name == "digits" else "loss"
task = "classification" if base.data.name == "digits" else "regression"


def draw_live(j):
    n, epochs = len(meta["labels"]), meta["epochs"]
    events = list(j.events)
    runs = [[ev for i, ev in events if i == k] for k in range(n)]
    k = max((i for i, _ in events), default=0)
    text = f"run {k + 1} of {n} ({meta['labels'][k]}) · epoch {len(runs[k])} / {epochs}"
    st.progress(min(len(events) / (n * epochs), 1.0), text=text if events else "starting…")
    st.plotly_chart(
        figs.fig_compare_curves(
            runs[: k + 1],
            meta["labels"],
            meta["keys"],
            metric=metric,
            task=task,
            epochs=epochs,
            max_points=300,
        ),
        config=CHART,
        key=f"{P}_live_curves",
    )


res = st.session_state.get(f"{P}_result")
if busy:
    live.poll(P, draw_live)
elif res is None or meta is None or meta["mode"] != mode:
    st.info(f"Press **Train all** to train these {len(variants)} runs side by side.")
else:
    if res.stopped:
        st.warning("Stopped: the table and figures show what was computed.")
    if mode in figs.OPTIMIZER_MODES and len(res.runs) == 2:
        diff = max_difference(*res.runs)
        st.metric(
            "max |difference| of the final weights",
            f"{diff['weights']:.2g}",
            help=f"test-loss curves differ by at most {diff['test_loss']:.2g}",
        )
    panels = figs.compare_panels(res, mode, metric=metric, task=task)
    for n, (heading, fig) in enumerate(panels):
        if n % 2 == 0:
            cols = st.columns(2)
        cols[n % 2].markdown(f"**{heading}**")
        cols[n % 2].plotly_chart(fig, config=CHART, key=f"{P}_fig_{n}")
    if mode == "digits":
        st.markdown("**Pixel weights per class** (red positive, blue negative, white 0)")
        st.plotly_chart(figs.fig_digit_weights_grid(res), config=CHART, key=f"{P}_digits")
    rows = summary(res)
    numbers = [k for k, v in rows[0].items() if isinstance(v, float)] if rows else []
    fmt4 = {k: st.column_config.NumberColumn(format="%.4g") for k in numbers}
    st.dataframe(rows, hide_index=True, column_config=fmt4)
