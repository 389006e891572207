"""Drawing a run on a page: the metrics row, the curves and the weight histograms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from regcore.core import OPTIONAL_KEYS, REGULARIZERS, RunResult, StepMetrics, TrainConfig
from regcore.figures import (
    fig_loss_curves,
    fig_weight_hist,
    fig_weight_hist_over_epochs,
    layer_names,
    loss_name,
    refresh_loss_curves,
    run_summary,
    shared_figure,
)
from ui.kit import present, strength
from ui.live.runner import Job
from ui.playground import runs as runs_view

CHART = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
LIVE_POINTS = 400  # points per curve while a run trains


def _num(v: Any, pct: bool = False) -> str:
    if v is None:
        return "–"
    if pct:
        return f"{v:.1f} %"
    if v != 0 and (abs(v) < 1e-2 or abs(v) >= 1e5):  # short enough for a projector's tile
        mantissa, exponent = f"{v:.2e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{v:.3g}"


def metrics_row(values: dict[str, Any]) -> None:
    """Two rows of at most four st.metric tiles (losses, then weights) and a caption with
    the device and time; ``values`` as from ``regcore.figures.run_summary``. Four short
    tiles a row stay readable at a projector's 1024 px."""
    losses = [
        ("train loss", _num(values.get("train_loss")), None),
        ("test loss", _num(values.get("test_loss")), None),
        ("test − train", _num(values.get("gap")), "the generalization gap"),
    ]
    if values.get("test_acc") is not None:
        losses.append(("test accuracy", _num(100 * values["test_acc"], pct=True), None))
    weights = [
        ("‖w‖₂", _num(values.get("weight_l2")), None),
        ("‖w‖₁", _num(values.get("weight_l1")), None),
        ("exact zeros", _num(values.get("zero_pct"), pct=True), "share of weights exactly 0"),
        ("|w| < 1e-3", _num(values.get("near_zero_pct"), pct=True), "share of near-zero weights"),
    ]
    for row in (losses, weights):
        for col, (label, text, help_text) in zip(st.columns(4), row, strict=False):
            col.metric(label, text, help=help_text)
    if values.get("device"):
        st.caption(f"trained on {values['device']} in {values['seconds']:.2f} s")


def live_values(events: Sequence[StepMetrics]) -> dict[str, Any]:
    """The metrics row of a run still training, from its latest epoch."""
    if not events:
        return {}
    ev = events[-1]
    return {
        "train_loss": ev.train_loss,
        "test_loss": ev.test_loss,
        "gap": ev.test_loss - ev.train_loss,
        "weight_l2": ev.weight_l2,
        "weight_l1": ev.weight_l1,
        "zero_pct": 100 * ev.zero_fraction,
        "test_acc": ev.test_acc,
    }


def live(j: Job, cfg: TrainConfig, prefix: str, fraction_text: tuple[float, str]) -> None:
    """What a page shows while its job trains: progress, growing curves, metrics."""
    fraction, text = fraction_text
    st.progress(fraction, text=text)
    events = list(j.events)
    task = "classification" if events and events[-1].test_acc is not None else "regression"
    penalty = st.session_state.get(f"{prefix}_show_penalty", False)
    series = tuple(k for k in OPTIONAL_KEYS if events and getattr(events[-1], k) is not None)
    key, cached = (j.id, penalty, task, series), st.session_state.get(f"{prefix}_live_fig")
    if cached is not None and cached[0] == key:  # the same run: swap the data (≈1 ms, not 35)
        fig = refresh_loss_curves(cached[1], events, max_points=LIVE_POINTS)
    else:
        fig = fig_loss_curves(
            events,
            epochs=cfg.optim.epochs,
            loss_name=loss_name(task),
            show_penalty=penalty,
            max_points=LIVE_POINTS,
        )
        st.session_state[f"{prefix}_live_fig"] = (key, fig)
    present.chart(fig, key=f"{prefix}_live_chart", main=True)
    metrics_row(live_values(events))


def outcome(result: RunResult, why: str | None = None) -> None:
    """Say how the run ended when it did not simply finish (``why``: who stopped it)."""
    if result.diverged_epoch is not None:
        st.error(f"diverged at epoch {result.diverged_epoch} — lower the learning rate")
    elif result.stopped:
        n = result.metrics.get("epochs_run", 0)
        text = f"stopped at epoch {n} of {result.config.optim.epochs}: showing what was computed"
        (st.warning if why else st.info)(f"{why}; {text}" if why else text)


def result_panel(prefix: str, result: RunResult) -> None:
    """Metrics, semilog curves and the weight histograms of a finished run."""
    outcome(result, st.session_state.get(f"{prefix}_stop_note"))
    strength.zeros_note(prefix, result)  # L1 at a λ that zeroes every weight, or none
    if runs_view.overlay_panel(prefix):  # runs of the session overlaid, their numbers below
        return
    left, right = present.columns([1.15, 1])
    with left:
        st.session_state.setdefault(f"{prefix}_show_penalty", False)
        fig = shared_figure(  # a class training the same settings: built once
            fig_loss_curves,
            result,
            loss_name=loss_name(result.task),
            show_penalty=st.session_state[f"{prefix}_show_penalty"],
            best_epoch=result.best_epoch,
        )
        present.chart(fig, key=f"{prefix}_curves", main=True)
        st.toggle("show the penalty λ·Ω(w)", key=f"{prefix}_show_penalty")
        if result.best_epoch is not None:
            st.caption(early_stopping_note(result))
    with right:
        names = layer_names(result)
        a, b = st.columns([1, 1])
        if st.session_state.get(f"{prefix}_layer") not in names:
            st.session_state[f"{prefix}_layer"] = names[0]
        layer = a.selectbox("layer", names, key=f"{prefix}_layer")
        log_count = b.toggle("log count", key=f"{prefix}_log_count")
        view = st.segmented_control(
            "weights",
            ["final weights", "over epochs ▶"],
            key=f"{prefix}_hist_view",
            default="final weights",
            label_visibility="collapsed",
        )
        if view == "over epochs ▶":  # one histogram at a time keeps the page light
            fig = shared_figure(fig_weight_hist_over_epochs, result, layer, log_count=log_count)
        else:
            fig = shared_figure(fig_weight_hist, result, layer, log_count=log_count)
        present.chart(fig, key=f"{prefix}_hist")
    runs_view.offer(prefix)  # once the session has an earlier run: overlay the two
    metrics_row(run_summary(result))  # under the charts: the curves stay above a projector's fold


def early_stopping_note(result: RunResult) -> str:
    """What the kept-epoch marker is, and which samples chose it."""
    o, n = result.config.optim, result.config.data.n_train
    n_val = max(1, round(n * o.val_fraction))  # as regcore.data.split_val carves it
    ran = result.metrics.get("epochs_run", o.epochs)
    return (
        f"◆ and the dotted line: epoch {result.best_epoch}, the lowest validation loss; early "
        f"stopping kept its weights (patience {o.early_stopping_patience}: the run stopped at "
        f"epoch {ran} of {o.epochs}). Validation: {n_val} of the {n} training samples "
        f"(val_fraction {o.val_fraction:g}), carved from the training data, never the test "
        f"set; the model fit the other {n - n_val}. The numbers and histograms are the kept "
        "weights; for the test loss without early stopping, set patience to 0 and train again."
    )


def regularizer_table() -> str:
    """The Learn page's Markdown table of every regularizer kind (regcore.core.regularizers)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = [
        f"| {r.label} (`{kind}`) | {cell(r.omega)} | {cell(r.step)} | {cell(r.effect)} |"
        for kind, r in REGULARIZERS.items()
        if r.role != "none"
    ]
    head = "| regularizer | Ω(w) | what a step does | what you see |\n|---|---|---|---|"
    return "\n".join([head, *rows])
