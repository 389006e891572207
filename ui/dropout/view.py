"""The Dropout & norm page, side by side: the job it submits, live and final drawing.

The controls live in ui.dropout_controls."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from regcore.core import StepMetrics, TrainConfig
from regcore.data import make_dataset
from regcore.experiments import (
    COMPARISONS,
    NetCompareResult,
    NetVariant,
    Surface,
    compare_nets,
    grid_for,
    is_2d,
    plan_nets,
    points_of,
    summary_rows,
)
from regcore.figures import fig_net_curves, fig_surfaces
from regcore.serve import fraction, networks_work
from ui.kit import exports, present, tables
from ui.live import stream as live
from ui.live.runner import Job

DEFAULT_HINT = (
    "Press **Train all**: the default trains a wide MLP (2 × 128 ReLU) on 40 noisy XOR "
    "points without and with dropout 0.8 (a few seconds). Without dropout the boundary "
    "pushes fingers around single noisy training points; with it the four quadrants stay "
    "straight. Try p = 0.5 in net 2, or more samples, and watch the fingers come and go."
)


def estimate(base: TrainConfig, variants: list[NetVariant]) -> float:
    """Estimated seconds of the comparison alone on this machine (0 when invalid)."""
    try:
        configs, _ = plan_nets(base, variants)
    except ValueError:
        return 0.0
    return live.seconds(networks_work(configs))


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
    job = live.submit(
        prefix,
        run,
        label="dropout",
        estimate_s=estimate(base, variants),
        progress=partial(fraction, parts=len(variants)),
    )
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
        present.chart(fig, key=f"{prefix}_live_surf", main=True)
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
        present.chart(fig, where=col, key=f"{prefix}_{metric}")


def draw_result(prefix: str, res: NetCompareResult) -> None:
    """A finished comparison: surfaces, curves, the table and the train/eval numbers."""
    if res.stopped:
        why = st.session_state.get(f"{prefix}_stop_note") or "stopped"
        st.warning(f"{why[0].upper()}{why[1:]}: the figures and the table show what was computed.")
    labels = res.labels[: len(res.runs)]
    if res.grid is not None:
        fig = fig_surfaces(res.grid, list(res.surfaces), labels, res.points)
        present.chart(fig, key=f"{prefix}_surf", main=True)
        st.markdown(  # under the surfaces: they stay right under the main button
            "**Decision surfaces** — colour: P(class 1); black line: P = 0.5; "
            "discs: training points, rings: test points."
        )
    best = [r.best_epoch for r in res.runs]
    st.markdown("**Loss and accuracy** — solid: test, dashed: train")
    if any(b is not None for b in best):
        st.caption(
            "★ marks the epoch with the best validation loss: the weights kept (and shown "
            "in the surfaces and the table) are those of that epoch."
        )
    _curves(prefix, list(res.runs), labels, res.base, best)
    rows = summary_rows(res)
    tables.fit_table(rows, "the networks' table")
    shape = ""
    if res.grid is not None:
        n = len(res.grid.xs)
        shape = (
            f" Boundary length: how many steps of the {n} × {n} grid cross the P = 0.5 line "
            f"(a straight line crosses about {n}); class regions: connected areas of each "
            "predicted class — every island around a single training point adds one."
        )
    st.caption(
        f"{len(res.runs)} configurations trained in {res.seconds:.1f} s on one shared data "
        f"set, initialization and batch order.{shape}"
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


def mnist_link(prefix: str) -> None:
    """Point to the MNIST-size experiment, a preset of the L1 vs L2 page, and open it there."""
    preset = COMPARISONS.get("mnist_mlp")
    if preset is None:
        return
    ref = " / ".join(f"{a:.4f}" for a in preset.reference or ())
    text, button = st.columns([5, 1.4], vertical_alignment="center")
    text.caption(
        "The MNIST-size experiment (784 → 200 sigmoid → 10, none vs L2 λ = 0.01 vs L1 "
        f"λ = 1e-4; the source's test accuracies {ref} shown beside ours) is a preset of the "
        "L1 vs L2 page, with the same network on the 8×8 digits."
    )
    if button.button("Open it", key=f"{prefix}_mnist"):
        st.session_state["cmp_mode"] = "mnist_mlp"  # the L1 vs L2 page's comparison radio
        st.switch_page("pages/compare.py")


def files(prefix: str, res: NetCompareResult) -> None:
    """Each run's config and command, the table as CSV, and each run's curves and JSON."""
    labels = res.labels[: len(res.runs)]
    exports.compare_files(prefix, res.configs[: len(res.runs)], labels, summary_rows(res))
    cols = st.columns(max(len(res.runs), 1))
    for i, (col, run) in enumerate(zip(cols, res.runs, strict=False)):
        col.caption(labels[i])
        exports.run_downloads([col, col], prefix, run, i + 1, weights=False)
