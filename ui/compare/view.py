"""The L1 vs L2 page's parts: its controls, the job it submits and how results are drawn."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from regcore.core import BOUNDS, CATALOG, L1_SOLVERS, REGULARIZERS, RunResult, TrainConfig
from regcore.experiments import (
    COMPARISONS,
    CompareResult,
    Variant,
    compare,
    max_difference,
    summary,
)
from regcore.figures import compare as figs
from regcore.figures import fig_digit_weights_grid, fig_unit_images, reg_label
from regcore.links import CompareSettings, read_link
from ui.kit import present, tables
from ui.kit.controls import link_problem
from ui.kit.messages import say
from ui.kit.typed import bounded_box, forget
from ui.kit.widgets import LAM_OPTIONS, clear_problems, fmt, problems
from ui.live import stream as live
from ui.live.runner import Job

DEFAULT = CompareSettings()  # the page's defaults: regcore.links
# Modes with published figures (COMPARISONS[mode].reference) keep each run's own λ.


def choose_mode(prefix: str) -> str:
    """The comparison radio and its explanation."""
    mode = st.radio(  # its first option is the default mode (CompareSettings.mode)
        "Comparison",
        list(COMPARISONS),
        format_func=lambda m: COMPARISONS[m].title,
        horizontal=True,
        key=f"{prefix}_mode",
        persist_state="session",
    )
    st.caption(COMPARISONS[mode].about)
    return mode


def init_from_link(prefix: str) -> None:
    """Seed the page from a new link (``compare.mode`` and the comparison's settings);
    a bad or hostile value is named and dropped, the rest kept."""
    params = st.query_params.to_dict()
    if not params or params == st.session_state.get(f"{prefix}_link_seen"):
        return
    st.session_state[f"{prefix}_link_seen"] = params
    if "compare.mode" not in params:
        names = ", ".join(sorted(params))
        say(
            "info",
            f"This link holds no comparison (compare.mode): its settings ({names}) apply on "
            "the Playground and the λ sweep; the controls below set the runs here.",
        )
        return
    reading = read_link(params)
    for text in reading.problems:
        link_problem(text)
    if reading.config is None:
        return
    s, _ = CompareSettings.from_params(reading.kept)
    st.session_state[f"{prefix}_mode"] = s.mode
    st.session_state[f"{prefix}_base_{s.mode}"] = reading.config
    st.session_state[f"{prefix}_epochs_{s.mode}"] = reading.config.optim.epochs
    forget(f"{prefix}_epochs_{s.mode}__typed")  # a refused typed text gives way to the link's
    kinds = list(s.runs) if s.mode == "regularizers" else COMPARISONS[s.mode].variants
    if s.mode == "regularizers":
        st.session_state[f"{prefix}_kinds"] = list(s.runs)
        st.session_state[f"{prefix}_solver"] = s.solver
        kinds = [Variant(kind=k) for k in s.runs]
    published = bool(COMPARISONS[s.mode].reference)
    shared = (s.shared or not COMPARISONS[s.mode].per_run_lam) and not published
    st.session_state[f"{prefix}_shared"] = s.shared
    if COMPARISONS[s.mode].fixed_lam:  # the source's λ, mapped: nothing to set
        return
    penalized = [v.kind for v in kinds if v.kind != "none"]
    for n, (kind, lam) in enumerate(zip(penalized, s.lams, strict=False)):
        if shared and n > 0:
            break
        st.session_state[f"{prefix}_lam_{s.mode}_{'all' if shared else kind}"] = lam


def link_settings(prefix: str, mode: str, variants: list[Variant]) -> CompareSettings:
    """The page's own settings as its link holds them (``regcore.links``)."""
    published = bool(COMPARISONS[mode].reference)
    shared = bool(st.session_state.get(f"{prefix}_shared", DEFAULT.shared)) and not published
    lams = tuple(float(v.lam) for v in variants if v.kind != "none" and v.lam is not None)
    if COMPARISONS[mode].fixed_lam:
        lams = ()
    elif (shared or not COMPARISONS[mode].per_run_lam) and not published:
        lams = lams[:1]
    if mode != "regularizers":
        return CompareSettings(mode=mode, shared=shared, lams=lams)
    return CompareSettings(
        mode=mode,
        runs=tuple(v.kind for v in variants),
        solver=st.session_state.get(f"{prefix}_solver", DEFAULT.solver),
        shared=shared,
        lams=lams,
    )


def controls(prefix: str, mode: str) -> tuple[TrainConfig, list[Variant]]:
    """Regularizers, solver, λ (shared or per run) and epochs: the base config and runs."""
    clear_problems(prefix)  # this run's typed boxes say theirs (another mode's are not drawn)
    base = st.session_state.get(f"{prefix}_base_{mode}") or COMPARISONS[mode].config()
    variants = list(COMPARISONS[mode].variants)
    st.session_state.setdefault(f"{prefix}_kinds", list(DEFAULT.runs))
    st.session_state.setdefault(f"{prefix}_shared", DEFAULT.shared)
    st.session_state.setdefault(f"{prefix}_epochs_{mode}", base.optim.epochs)
    if mode == "regularizers":  # a row of its own: chips stay readable at 1024 px
        kinds = st.multiselect(
            "Regularizers",
            list(REGULARIZERS),
            format_func=reg_label,
            key=f"{prefix}_kinds",
            persist_state="session",
        )
    c2, c3 = st.columns(2)
    if mode == "regularizers":
        solver = c2.radio(
            "L1 solver",
            list(L1_SOLVERS),
            horizontal=True,
            key=f"{prefix}_solver",
            persist_state="session",
        )
        variants = [Variant(kind=k, l1_solver=solver) for k in kinds]
    published = bool(COMPARISONS[mode].reference)  # runs keep the source's own λ each
    shared = not published and (
        not COMPARISONS[mode].per_run_lam
        or c3.toggle("one λ for all", key=f"{prefix}_shared", persist_state="session")
    )
    penalized = [i for i, v in enumerate(variants) if v.kind != "none"]
    if COMPARISONS[mode].fixed_lam:  # each run's λ is the source's, mapped (see its caption)
        penalized = []
    cols = st.columns((1 if shared else len(penalized)) + 1)
    below = st.container()  # a refused epochs text is said under the row, across the page
    for n, i in enumerate(penalized):
        if shared and n > 0:
            variants[i] = replace(variants[i], lam=variants[penalized[0]].lam)
            continue
        kind = variants[i].kind
        k = f"{prefix}_lam_{mode}_{'all' if shared else kind}"
        start = base.reg.lam if variants[i].lam is None else variants[i].lam
        current = float(st.session_state.setdefault(k, start))
        sharing = [variants[j].kind for j in penalized] if shared else [kind]
        no_zero = any(REGULARIZERS[x].strength.low_open for x in sharing)  # max-norm: c > 0
        lam = cols[n].select_slider(
            "λ" if shared else f"λ for {reg_label(kind)}",
            sorted({*(x for x in LAM_OPTIONS if x > 0 or not no_zero), current}),
            format_func=fmt,
            key=k,
            persist_state="session",
        )
        variants[i] = replace(variants[i], lam=lam)
    with cols[-1]:  # typed and read on the server: a refused text keeps Train all off
        epochs = bounded_box(
            prefix, f"{prefix}_epochs_{mode}", "epochs", 1, BOUNDS["optim.epochs"][1], say_in=below
        )
    epochs = st.session_state[f"{prefix}_epochs_{mode}"] if epochs is None else epochs
    return base.replace(**{"optim.epochs": int(epochs)}), variants


def refused(prefix: str) -> bool:
    """Whether a typed box of the page holds a refused text (its message is under it)."""
    return bool(problems(prefix))


def is_published(mode: str, base: TrainConfig) -> bool:
    """Whether the page trains a published experiment at its source's size (its preset
    config unchanged): such a run gets the server's preset allowance, not the everyday one."""
    preset = COMPARISONS[mode]
    return bool(preset.reference) and base == preset.config()


def budget_note(seconds: float, preset: bool) -> str:
    """The estimate, and for a published experiment the allowance it runs under."""
    text = live.estimate_note(seconds)
    if preset and seconds > live.budget():
        text += (
            f" — over the everyday {live.budget():.0f} s a run may take, but a published "
            f"experiment at its source's size may take up to {live.budget(True):.0f} s here"
        )
    return text


def job_fn(base: TrainConfig, variants: list[Variant]):
    """The job the runner trains: every variant, streaming ``(run index, StepMetrics)``."""
    frozen = tuple(variants)

    def run(stop, emit) -> CompareResult:
        return compare(base, frozen, stop=stop, on_epoch=lambda i, ev: emit((i, ev)))

    return run


def describe(base: TrainConfig, variants: list[Variant]) -> str:
    """One line under the buttons: how many runs of what."""
    o = base.optim
    runs = f"{len(variants)} run" + ("" if len(variants) == 1 else "s")
    return (
        f"{runs} × {o.epochs} epochs, {base.data.name}, "
        f"{o.name.upper()} lr {o.lr:g}, batch {o.batch_size}"
    )


def meta(
    prefix: str, mode: str, base: TrainConfig, labels: tuple[str, ...], keys: tuple[str, ...]
) -> dict[str, Any]:
    """What the live and finished views need to know about a submitted comparison."""
    metric, task = task_of(base)
    return {
        "prefix": prefix,
        "mode": mode,
        "labels": labels,
        "keys": keys,
        "epochs": base.optim.epochs,
        "metric": metric,
        "task": task,
    }


def task_of(base: TrainConfig) -> tuple[str, str]:
    """(metric, task) for the figures: accuracy for classification sets, loss otherwise."""
    classify = CATALOG[base.data.name].task == "classification"
    return ("accuracy", "classification") if classify else ("loss", "regression")


def draw_live(j: Job, meta: dict[str, Any]) -> None:
    """Progress and the overlaid curves of the runs trained so far."""
    n, epochs = len(meta["labels"]), meta["epochs"]
    events = list(j.events)
    runs = [[ev for i, ev in events if i == k] for k in range(n)]
    k = max((i for i, _ in events), default=0)
    text = f"run {k + 1} of {n} ({meta['labels'][k]}) · epoch {len(runs[k])} / {epochs}"
    st.progress(min(len(events) / (n * epochs), 1.0), text=text if events else "starting…")
    present.chart(
        figs.fig_compare_curves(
            runs[: k + 1],
            meta["labels"],
            meta["keys"],
            metric=meta["metric"],
            task=meta["task"],
            epochs=epochs,
            max_points=300,
        ),
        key=f"{meta['prefix']}_live_curves",
        main=True,
    )


def draw_result(prefix: str, res: CompareResult, mode: str, base: TrainConfig) -> None:
    """A finished comparison: the difference tile, the panels, digits' images, the table."""
    metric, task = task_of(base)
    if res.stopped:
        last = res.runs[-1].metrics.get("epochs_run", 0) if res.runs else 0
        text = (
            f"stopped at epoch {last} of {base.optim.epochs} of run {len(res.runs)}: "
            "the table and figures show what was computed"
        )
        why = st.session_state.get(f"{prefix}_stop_note")
        st.warning(f"{why}; {text}" if why else text)
    if mode in figs.OPTIMIZER_MODES and len(res.runs) == 2:
        diff = max_difference(*res.runs)
        st.metric(
            "max |difference| of the final weights",
            f"{diff['weights']:.2g}",
            help=f"test-loss curves differ by at most {diff['test_loss']:.2g}",
        )
    panels = figs.compare_panels(res, mode, metric=metric, task=task)
    main = next((n for n, p in enumerate(panels) if p.heading.startswith("Train and test")), 0)
    if present.enabled():  # one figure a row: the curves first, above the fold
        panels.insert(0, panels.pop(main))
        main = 0
    for n, panel in enumerate(panels):
        if n % 2 == 0:
            cols = present.columns(2)
        cols[n % 2].markdown(f"**{panel.heading}**")
        present.chart(panel.fig, where=cols[n % 2], key=f"{prefix}_fig_{n}", main=n == main)
        if panel.note:
            cols[n % 2].caption(panel.note)
    if mode == "digits":
        st.markdown("**Pixel weights per class** (red positive, blue negative, white 0)")
        present.chart(fig_digit_weights_grid(res), key=f"{prefix}_digits")
    first = res.runs[0] if res.runs else None
    if first is not None and first.image_shape and first.config.model.kind == "mlp":
        st.markdown(
            "**First-layer weights**: each run's first 12 hidden units, one image each (the "
            "same units in every run, which all start from the same weights; red positive, "
            "blue negative, white 0; each run its own scale). On real MNIST L2 smooths the units "
            "into broad strokes; L1 at λ = 1e-4 (subgradient) keeps the unpenalized run's "
            "speckle but pushes about 30 % of the weights below 10⁻³."
        )
        present.chart(fig_unit_images(res), key=f"{prefix}_units")
    rows = summary(res)
    preset = COMPARISONS[mode]
    if preset.reference and len(rows) == len(preset.reference):
        metric = preset.reference_metric
        rows = [
            _with_reference(r, run, ref, metric)
            for r, run, ref in zip(rows, res.runs, preset.reference, strict=True)
        ]
        st.caption(
            f"**source's {metric}**: {preset.reference_source}. Why ours differ: "
            f"{preset.reference_note}"
        )
    tables.fit_table(rows, "the runs' table")


def _with_reference(
    row: dict[str, Any], run: RunResult, ref: float | None, metric: str
) -> dict[str, Any]:
    """The table row led by ``metric`` (``test acc`` or ``% exact zeros``), the published
    figure beside ours (narrow screens show the first columns)."""
    ours = 100.0 * run.metrics["zero_fraction"] if metric == "% exact zeros" else row.get(metric)
    lead = {"run": row["run"], metric: ours, f"source's {metric}": ref}
    return {**lead, "train acc": row.get("train acc"), **row}
