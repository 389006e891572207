"""The Dropout & norm page, side by side: controls, the job it submits, live and final drawing."""

from __future__ import annotations

from typing import Any

import streamlit as st

from regcore.config import TrainConfig
from regcore.data import make_dataset
from regcore.dropout import (
    NetCompareResult,
    NetVariant,
    compare_nets,
    plan_nets,
    points_of,
    summary_rows,
)
from regcore.figures.dropout import fig_net_curves
from regcore.figures.surface import fig_surfaces
from regcore.results import StepMetrics
from regcore.surface import Surface, grid_for, is_2d
from ui import live
from ui.runner import Job
from ui.views import CHART
from ui.widgets import LAM_OPTIONS, LR_OPTIONS, choice, fmt, key, log_slider, number

DATA_SETS = ("moons", "circles", "xor", "spiral", "classification", "digits")
SET_LABELS = {
    "moons": "two moons (2-D)",
    "circles": "circles (2-D)",
    "xor": "XOR (2-D)",
    "spiral": "spiral (2-D)",
    "classification": "Gaussian classes (d features)",
    "digits": "digits 8×8",
}
# The default teaches at a glance: a wide MLP (2 × 256 ReLU) on 30 noisy moons, Adam for
# 300 full-batch epochs. Without dropout it fits every noisy point (train loss ≈ 0.01, a
# sharp, fully confident boundary); with p = 0.5 the test loss and the generalization gap
# are about halved (measured on 6 data seeds × 2 run seeds, every one in that direction).
_BASE = {
    "data.name": "moons",
    "data.n_train": 30,
    "data.n_test": 500,
    "data.noise": 0.35,
    "model.kind": "mlp",
    "model.hidden": [256, 256],
    "model.activation": "relu",
    "reg.kind": "none",
    "reg.lam": 0.0,
    "optim.name": "adam",
    "optim.lr": 0.001,
    "optim.batch_size": 30,
    "optim.epochs": 300,
}
SET_DEFAULTS: dict[str, dict[str, Any]] = {
    "moons": {},
    "circles": {"data.n_train": 40, "data.noise": 0.2, "optim.batch_size": 40},
    "xor": {"data.n_train": 40, "data.noise": 0.2, "optim.batch_size": 40},
    "spiral": {"data.n_train": 100, "data.noise": 0.12, "optim.batch_size": 100},
    "classification": {
        "data.n_train": 200,
        "data.n_test": 1000,
        "data.n_features": 20,
        "data.n_classes": 4,
        "data.noise": 0.2,
        "optim.batch_size": 50,
        "optim.epochs": 100,
    },
    "digits": {
        "data.n_train": 300,
        "data.n_test": 1000,
        "optim.batch_size": 50,
        "optim.epochs": 60,
    },
}
SLOTS = (
    NetVariant(),
    NetVariant(dropout=0.5),
    NetVariant(norm="batch"),
    NetVariant(reg="weight_decay", lam=0.001),
)
SLOTS_ON = (True, True, False, False)
DROP_OPTIONS = [round(0.1 * k, 1) for k in range(10)]
NORMS = ("none", "batch", "layer", "group")
REGS = {"none": "none", "l2": "L2 penalty", "weight_decay": "weight decay"}


def set_config(name: str) -> TrainConfig:
    """The starting network config of a data set on this page."""
    return TrainConfig().replace(**{**_BASE, "data.name": name, **SET_DEFAULTS[name]})


def _seed(prefix: str, name: str, overwrite: bool) -> None:
    cfg = set_config(name)
    for field, value in cfg.flat().items():
        if field == "model.hidden":
            value = ", ".join(str(h) for h in value)
        if overwrite or key(prefix, field) not in st.session_state:
            st.session_state[key(prefix, field)] = value
    st.session_state.setdefault(key(prefix, "patience"), 0)


def _on_set(prefix: str) -> None:
    _seed(prefix, st.session_state[key(prefix, "data.name")], overwrite=True)


def _widths(text: str) -> list[Any]:
    out: list[Any] = []
    for part in (p.strip() for p in str(text).strip("[]() ").split(",")):
        if part:
            out.append(int(part) if part.lstrip("-").isdigit() else part)
    return out


def base_controls(prefix: str) -> tuple[TrainConfig | None, str | None]:
    """Data, network and optimizer shared by every configuration: (config, problem)."""
    _seed(prefix, "moons", overwrite=False)
    c = st.columns(4)
    with c[0]:
        name = choice(prefix, "data.name", "data set", DATA_SETS, SET_LABELS, on_change=_on_set)
    values: dict[str, Any] = {"data.name": name}
    with c[1]:
        values["data.n_train"] = number(prefix, "data.n_train", "training samples")
    with c[2]:
        if name != "digits":
            values["data.noise"] = number(prefix, "data.noise", "noise", step=0.05)
    with c[3]:
        values["optim.epochs"] = number(prefix, "optim.epochs", "epochs")
    c = st.columns(4)
    with c[0]:
        kinds = ("mlp", "cnn") if name == "digits" else ("mlp",)
        values["model.kind"] = choice(prefix, "model.kind", "network", kinds)
        if values["model.kind"] == "mlp":
            text = st.text_input("hidden widths", key=key(prefix, "model.hidden"))
            values["model.hidden"] = _widths(text)
    with c[1]:
        values["model.activation"] = choice(prefix, "model.activation", "activation")
        values["optim.name"] = choice(prefix, "optim.name", "optimizer")
    with c[2]:
        values["optim.lr"] = log_slider(prefix, "optim.lr", "learning rate", LR_OPTIONS)
        bs = number(prefix, "optim.batch_size", "batch size")
        values["optim.batch_size"] = min(bs, values["data.n_train"])
    with c[3]:
        patience = st.number_input(
            "early-stopping patience (0 = off)",
            0,
            1000,
            key=key(prefix, "patience"),
            help="Stop after this many epochs without a better validation loss and keep the "
            "best epoch's weights. The validation split (20 %) is carved from the training "
            "data, never the test set.",
        )
        values["optim.early_stopping_patience"] = int(patience) or None
        values["seed"] = number(prefix, "seed", "run seed (init, batch order, masks)")
    try:
        return set_config(name).replace(**values), None
    except ValueError as exc:
        return None, str(exc)


def variant_controls(prefix: str) -> list[NetVariant]:
    """Up to four configurations, one column each: on/off, dropout p, norm, L2 or decay."""
    out = []
    for i, (col, slot) in enumerate(zip(st.columns(4), SLOTS, strict=True)):
        with col.container(border=True):
            on = st.toggle(f"configuration {i + 1}", value=SLOTS_ON[i], key=f"{prefix}_on{i}")
            p = st.select_slider(
                "dropout p", DROP_OPTIONS, value=slot.dropout, key=f"{prefix}_p{i}", disabled=not on
            )
            norm = st.selectbox(
                "normalization",
                NORMS,
                index=NORMS.index(slot.norm),
                key=f"{prefix}_norm{i}",
                disabled=not on,
            )
            reg = st.selectbox(
                "penalty / decay",
                list(REGS),
                index=list(REGS).index(slot.reg),
                format_func=REGS.get,
                key=f"{prefix}_reg{i}",
                disabled=not on,
            )
            lam = slot.lam
            if reg != "none":
                lam = st.select_slider(
                    "λ",
                    LAM_OPTIONS[1:],
                    value=slot.lam or 1e-3,
                    format_func=fmt,
                    key=f"{prefix}_lam{i}",
                    disabled=not on,
                )
            if on:
                out.append(NetVariant(dropout=p, norm=norm, reg=reg, lam=lam))
    return out


def estimate(base: TrainConfig, variants: list[NetVariant]) -> float:
    """Estimated seconds of the comparison alone on this machine (0 when invalid)."""
    try:
        configs, _ = plan_nets(base, variants)
    except ValueError:
        return 0.0
    return sum(live.estimate(c) for c in configs)


def submit(prefix: str, base: TrainConfig, variants: list[NetVariant]) -> str | None:
    """Validate and queue the comparison; returns a problem message or None."""
    try:
        _, labels = plan_nets(base, variants)
    except ValueError as exc:
        return str(exc)
    frozen = tuple(variants)

    def run(stop, emit) -> NetCompareResult:
        return compare_nets(base, frozen, stop=stop, on_event=emit)

    ds = make_dataset(base)
    points = (grid_for(ds), points_of(ds)) if is_2d(ds) else None
    job = live.submit(prefix, run, label="dropout", estimate_s=estimate(base, variants))
    if job is None:
        return live.refusal(prefix)
    st.session_state[f"{prefix}_meta"] = {"labels": labels, "base": base, "points": points}
    return None


def _split(events: list) -> tuple[list[list[StepMetrics]], list[Surface | None]]:
    n = 1 + max((i for i, _ in events), default=0)
    curves: list[list[StepMetrics]] = [[] for _ in range(n)]
    surfaces: list[Surface | None] = [None] * n
    for i, ev in events:
        if isinstance(ev, Surface):
            surfaces[i] = ev
        else:
            curves[i].append(ev)
    return curves, surfaces


def draw_live(prefix: str, j: Job, meta: dict[str, Any]) -> None:
    """Progress, the latest decision surfaces and the growing curves."""
    labels, base = meta["labels"], meta["base"]
    epochs, n = base.optim.epochs, len(meta["labels"])
    curves, surfaces = _split(list(j.events))
    k = len(curves) - 1
    done = sum(len(c) for c in curves)
    text = f"configuration {k + 1} of {n} ({labels[k]}) · epoch {len(curves[k])} / {epochs}"
    st.progress(min(done / (n * epochs), 1.0), text=text if done else "starting…")
    pts = meta.get("points")
    if pts is not None and any(s is not None for s in surfaces):
        grid, points = pts
        fig = fig_surfaces(grid, surfaces + [None] * (n - len(surfaces)), labels, points)
        st.plotly_chart(fig, config=CHART, key=f"{prefix}_live_surf")
    _curves(prefix + "_live", curves, labels, base, [], max_points=200)


def _curves(prefix, sources, labels, base, best, max_points=None) -> None:
    task = "classification"
    cols = st.columns(2)
    for col, metric in zip(cols, ("loss", "accuracy"), strict=True):
        fig = fig_net_curves(
            sources,
            labels,
            metric=metric,
            task=task,
            epochs=base.optim.epochs,
            best_epochs=best,
            max_points=max_points,
        )
        col.plotly_chart(fig, config=CHART, key=f"{prefix}_{metric}")


def draw_result(prefix: str, res: NetCompareResult) -> None:
    """A finished comparison: surfaces, curves, the table and the train/eval numbers."""
    if res.stopped:
        st.warning("Stopped: the figures and the table show what was computed.")
    labels = res.labels[: len(res.runs)]
    if res.grid is not None:
        st.markdown(
            "**Decision surfaces** — colour: the predicted P(class 1); black line: the "
            "boundary P = 0.5; filled discs: training points, rings: test points."
        )
        fig = fig_surfaces(res.grid, list(res.surfaces), labels, res.points)
        st.plotly_chart(fig, config=CHART, key=f"{prefix}_surf")
    best = [r.best_epoch for r in res.runs]
    st.markdown("**Loss and accuracy** — solid: test, dashed: train")
    if any(b is not None for b in best):
        st.caption(
            "★ marks the epoch with the best validation loss: the weights kept (and shown "
            "in the surfaces and the table) are those of that epoch."
        )
    _curves(prefix, list(res.runs), labels, res.base, best)
    rows = summary_rows(res)
    numbers = [k for k, v in rows[0].items() if isinstance(v, float)] if rows else []
    fmt4 = {k: st.column_config.NumberColumn(format="%.4g") for k in numbers}
    st.dataframe(rows, hide_index=True, column_config=fmt4)
    st.caption(
        f"{len(res.runs)} configurations trained in {res.seconds:.1f} s on one shared data "
        "set, initialization and batch order."
    )


def describe(base: TrainConfig, variants: list[NetVariant]) -> str:
    """One line under the buttons: how many runs of what."""
    o, m = base.optim, base.model
    net = "CNN" if m.kind == "cnn" else "MLP " + "×".join(str(h) for h in m.hidden)
    runs = f"{len(variants)} configuration" + ("" if len(variants) == 1 else "s")
    return (
        f"{runs} × {o.epochs} epochs · {net} · {base.data.n_train} samples of "
        f"{base.data.name} · {o.name.upper()} lr {o.lr:g}, batch {o.batch_size} · "
        f"{live.estimate_note(estimate(base, variants))}"
    )


def is_stale(res: NetCompareResult, base: TrainConfig | None, variants: list[NetVariant]) -> bool:
    """Whether a result was trained with other settings than those on screen."""
    if base is None:
        return True
    try:
        configs, _ = plan_nets(base, variants)
    except ValueError:
        return True
    return configs != res.configs
