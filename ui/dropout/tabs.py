"""The Dropout & norm page's other parts: train vs eval numbers, the dropout-rate sweep,
small batches and bias–variance against p. Each tab owns its job under its own prefix."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from regcore.batched import can_batch_dropout
from regcore.core import TrainConfig
from regcore.experiments import (
    LayerProbe,
    NetCompareResult,
    dropout_sweep,
    small_batches,
)
from regcore.figures import fig_bias_variance_dropout, fig_dropout_sweep, fig_small_batches
from regcore.links import (
    BIAS_VARIANCE,
    METRICS,
    P_OPTIONS,
    RATE_SWEEP,
    SMALL_BATCHES,
    TabSettings,
)
from regcore.serve import bias_variance_dropout_work, rate_sweep_work, small_batches_work
from regcore.sweeps import INITS, bias_variance_dropout
from ui.kit import autorun, exports, present, tables
from ui.kit.messages import say
from ui.kit.typed import bounded_box
from ui.kit.widgets import problems
from ui.live import stream as live


def _note(p: LayerProbe) -> str:
    e = p.extra
    if p.kind == "dropout":
        return (
            f"zeroed {100 * e['zero_fraction']:.1f} % of active units (p = {e['p']:g}); "
            f"survivors × {e['survivor_scale']:.4f} (1/(1−p) = {e['formula_scale']:.4f}); "
            "eval: identity"
        )
    if p.kind == "batch":
        return (
            f"train: batch mean {e['batch_mean_avg']:.3g}, var {e['batch_var_avg']:.3g} "
            f"(batch of {int(e['batch_size'])}); eval: running mean "
            f"{e['running_mean_avg']:.3g}, var {e['running_var_avg']:.3g} (averages over units)"
        )
    if p.kind in ("layer", "group"):
        same = "identical in both modes" if p.max_abs_diff == 0 else "differs (!)"
        return f"per-sample statistics: {same}"
    return "same in both modes" if p.max_abs_diff == 0 else ""


def probe_rows(probes: tuple[LayerProbe, ...]) -> list[dict[str, Any]]:
    """One table row per layer: both modes' mean and std, their max difference, a note."""
    return [
        {
            "layer": f"{p.index}: {p.name}",
            "train mean": p.train_mean,
            "train std": p.train_std,
            "eval mean": p.eval_mean,
            "eval std": p.eval_std,
            "max |train − eval|": p.max_abs_diff,
            "what the mode changes": _note(p),
        }
        for p in probes
    ]


def _table(rows: list[dict[str, Any]]) -> None:
    tables.fit_table(rows)  # every column on a 1024-px page


def draw_probe(prefix: str, res: NetCompareResult) -> None:
    """Train vs eval mode per layer of one trained configuration, and the two conventions."""
    if not res.probes:
        return
    with st.expander("Train vs eval mode, layer by layer (with numbers)", expanded=False):
        i = st.selectbox(
            "configuration",
            range(len(res.probes)),
            format_func=lambda k: res.labels[k],
            key=f"{prefix}_probe_pick",
        )
        st.caption(
            "One fixed batch of training inputs goes through the trained network; each layer "
            "gets the same input in both modes (the eval-mode output of the layers before it)."
        )
        _table(probe_rows(res.probes[i]))
        conv = res.conventions[i] if i < len(res.conventions) else None
        if conv is None:
            st.caption("This configuration has no dropout layer.")
            return
        st.markdown(
            f"**Two conventions, one expectation** (first dropout layer, p = {conv['p']:g}, "
            "averaged over 4,000 random masks):"
        )
        st.dataframe(
            [
                {
                    "convention": "inverted (PyTorch): ×1/(1−p) in training, identity at test",
                    "E[training activation]": conv["inverted_train_mc"],
                    "test activation": conv["inverted_test"],
                    "max per-unit gap": conv["inverted_max_err"],
                },
                {
                    "convention": "original (Srivastava et al.): no scaling, ×(1−p) at test",
                    "E[training activation]": conv["original_train_mc"],
                    "test activation": conv["original_test"],
                    "max per-unit gap": conv["original_max_err"],
                },
            ],
            hide_index=True,
        )
        st.caption(
            f"Mean over units; the per-unit gaps are Monte-Carlo error (≤ a few × "
            f"{conv['mc_se']:.2g}). Both give the next layer, in expectation, what it sees at "
            "test time; they differ only in where the factor 1−p is applied."
        )


# The tabs' widgets take their values from session state (ui.dropout.tabstate seeds it from
# the link or the tab's defaults), so a link opens a tab with its settings.
def _rates(where: Any, prefix: str) -> list[float]:
    return where.multiselect("drop probabilities p", P_OPTIONS, key=f"{prefix}_rates")


def _repeats(where: Any, prefix: str, label: str, tab: TabSettings, below: Any) -> int:
    lo, hi = tab.repeats_range
    return _whole(where, prefix, "repeats", label, lo, hi, below)


def _epochs(where: Any, prefix: str, tab: TabSettings, below: Any) -> int:
    lo, hi = tab.epochs_range
    return _whole(where, prefix, "epochs", "epochs", lo, hi, below)


def _whole(where: Any, prefix: str, field: str, label: str, lo: int, hi: int, below: Any) -> int:
    """A typed whole-number box (read on the server: "1,5" is refused, never 15); the value
    it holds. While it holds a refused text (said in ``below``, under the box's row) the
    tab's problems keep its button off."""
    with where:
        bounded_box(prefix, f"{prefix}_{field}", label, lo, hi, say_in=below)
    return int(st.session_state[f"{prefix}_{field}"])


def _run_buttons(
    prefix: str,
    label: str,
    ready: bool,
    link: Mapping[str, str] | None,
    start: Callable[[], object],
) -> None:
    """The tab's main button, Stop and its link. A press (or the lesson path's request)
    calls ``start()`` (which queues the tab's job) before the buttons are drawn, so this
    same script run draws the main button disabled and Stop enabled."""
    live.collect(prefix)  # before running(): a job finished since the last run is not busy
    busy = live.running(prefix)
    b1, b2, b3 = st.columns([1.4, 1, 4.6], vertical_alignment="center")
    off = busy or not ready or bool(problems(prefix))  # problems: a refused typed box
    press = live.pressed(prefix)  # used up on every run: a press while off is void
    if not off and (press or autorun.take(prefix)):  # autorun: opened from the lesson path
        start()
        busy = off = live.running(prefix)
    live.main_button(b1, label, prefix, disabled=off)
    b2.button("Stop", disabled=not busy, key=f"{prefix}_stop", on_click=live.stop, args=(prefix,))
    if link is not None:
        with b3:
            exports.copy_link(link, "this tab and its settings")


def _submit(prefix: str, fn, label: str, seconds: float) -> None:
    live.submit(prefix, fn, label=label, estimate_s=seconds)


def _progress(j) -> None:
    ev = j.events[-1] if j.events else None
    if ev is None:
        st.progress(0.0, text="starting…")
        return
    done, total = ev["runs_done"], ev["runs_total"]
    what = f"{ev.get('unit', 'run')} {done} / {total}{ev.get('note', '')}"
    st.progress(done / total, text=f"{what} · {j.elapsed():.1f} s")


def _show_state(prefix: str, draw, hint: str) -> None:
    live.collect(prefix)
    for msg in (live.refusal(prefix), st.session_state.get(f"{prefix}_error")):
        if msg:
            say("error", msg)
    res = st.session_state.get(f"{prefix}_result")
    if live.running(prefix):
        live.poll(prefix, _progress)
    elif res is not None:
        draw(res)
    else:
        st.info(hint)


def sweep_tab(prefix: str, base: TrainConfig | None, link: Mapping[str, str] | None) -> None:
    """Test and validation loss against p with R repeats; the best p by validation loss."""
    present.intro(
        "The network, data and optimizer of **Side by side**, retrained for each drop "
        "probability p with R seeds (init, batch order, masks). 20 % of the training data is "
        "held out as a validation split; the best p is the one with the lowest mean "
        "*validation* loss, and its test loss is reported beside it."
    )
    box = present.settings("Dropout-rate sweep: p, repeats, epochs")
    c1, c2, c3 = box.columns([3, 1, 1])
    below = box.container()  # a refused text is said under the row, across the page
    rates = _rates(c1, prefix)
    repeats = _repeats(c2, prefix, "repeats R", RATE_SWEEP, below)
    epochs = _epochs(c3, prefix, RATE_SWEEP, below)
    runs = len(rates) * repeats
    box.caption(f"{runs} runs of {epochs} epochs each.")

    def start() -> None:
        cfg = base.replace(**{"optim.epochs": epochs, "optim.early_stopping_patience": None})
        ps = sorted(rates)

        def fn(stop, emit):
            return dropout_sweep(cfg, ps, repeats, stop=stop, on_progress=emit)

        _submit(prefix, fn, "dropout sweep", live.seconds(rate_sweep_work(cfg, ps, repeats)))

    _run_buttons(prefix, "Run sweep", base is not None and bool(rates), link, start)

    def draw(res) -> None:
        present.chart(fig_dropout_sweep(res), key=f"{prefix}_fig", main=True)
        st.caption(
            f"Lines: the mean over the {res.repeats} repeats; shaded: ± 1 standard deviation. "
            "★ and the dotted line: the p with the lowest mean validation loss."
        )
        i = res.best_index
        if i is not None:
            acc = "" if res.test_acc is None else f", test accuracy {res.test_acc[i]:.3f}"
            st.success(
                f"Best p by validation loss: **{res.rates[i]:g}** (validation loss "
                f"{res.val_loss[i]:.4g}); its test loss {res.test_loss[i]:.4g}{acc}. "
                f"Runs fit {res.n_fit} samples; {res.n_val} held out for validation."
            )

    _show_state(prefix, draw, "Press **Run sweep** to retrain the network for each p.")


def small_batch_tab(prefix: str, link: Mapping[str, str] | None) -> None:
    """BatchNorm against GroupNorm and LayerNorm at batch sizes 2, 4 and 32."""
    present.intro(
        "The same MLP (2 × 32 units) with BatchNorm, GroupNorm or LayerNorm, trained on the "
        "same 64 moons from the same seed, for the same number of epochs at batch sizes 2, 4 "
        "and 32. BatchNorm normalizes with the statistics of the batch: from 2 samples they "
        "are noise, and the running averages it uses at test time no longer match what it "
        "trained with. GroupNorm and LayerNorm normalize each sample by itself and do not care "
        "about the batch size — the reason GroupNorm exists (Wu & He, 2018)."
    )
    box = present.settings("Small batches: epochs, metric")
    c1, c2 = box.columns(2)
    epochs = _epochs(c1, prefix, SMALL_BATCHES, box.container())
    metric = c2.radio(
        "show",
        METRICS,
        horizontal=True,
        format_func={"test_loss": "test loss", "test_acc": "test accuracy"}.get,
        key=f"{prefix}_metric",
    )

    def start() -> None:
        cfg = SMALL_BATCHES.config().replace(**{"optim.epochs": epochs})

        def fn(stop, emit):
            return small_batches(cfg, stop=stop, on_progress=emit)

        _submit(prefix, fn, "small batches", live.seconds(small_batches_work(cfg)))

    _run_buttons(prefix, "Train 9 runs", True, link, start)

    def draw(res) -> None:
        present.chart(fig_small_batches(res, metric), key=f"{prefix}_fig", main=True)
        rows = [
            {"normalization": k.split("@")[0], "batch": int(k.split("@")[1]), **v}
            for k, v in res.final.items()
        ]
        _table(rows)

    _show_state(prefix, draw, "Press **Train 9 runs** (a few seconds).")


def biasvar_tab(prefix: str, link: Mapping[str, str] | None) -> None:
    """Bias², variance (from the data and from the start) and their sum against the drop
    probability, by retraining."""
    present.intro(
        "An MLP (2 × 128 tanh units) fits y = sin(πx) + noise from 20 samples. For each p it "
        f"is retrained on R fresh training sets, from {INITS} random starts on each (initial "
        "weights, batch order, dropout masks). bias² is how far the average prediction is "
        "from sin(πx); the variance is split into the part that moves with the training set "
        "and the part that moves with the random start (Neal et al. 2018). The dots are the "
        "test MSE measured on fresh noisy targets: bias² + variance + noise."
    )
    box = present.settings("Bias–variance: p, training sets")
    c1, c2 = box.columns([3, 1])
    below = box.container()  # a refused text is said under the row, across the page
    rates = _rates(c1, prefix)
    repeats = _repeats(c2, prefix, "fresh training sets R", BIAS_VARIANCE, below)
    cfg = BIAS_VARIANCE.config()
    ps = sorted(rates)
    seconds = live.seconds(bias_variance_dropout_work(cfg, ps, repeats)) if ps else 0.0
    runs = len(ps) * repeats * INITS
    at_once = can_batch_dropout(cfg)  # every run in one batched computation
    present.aside(  # before Measure: what it trains and how long it takes
        f"{len(ps)} p × {repeats} sets × {INITS} starts = {runs} runs of "
        f"{cfg.optim.epochs} epochs, {'all at once' if at_once else 'one after another'}; "
        f"{live.estimate_note(seconds)}."
    )
    tag = {"unit": "epoch", "note": f" of {runs} runs at once"} if at_once else {}

    def start() -> None:
        def fn(stop, emit):
            return bias_variance_dropout(
                cfg,
                ps,
                repeats,
                stop=stop,
                on_progress=lambda a, b: emit({"runs_done": a, "runs_total": b, **tag}),
            )

        _submit(prefix, fn, "bias-variance", seconds)

    _run_buttons(prefix, "Measure", bool(rates), link, start)

    def draw(res) -> None:
        if res.stopped:  # the p whose runs all finished are drawn
            done = sum(1 for t in res.total if math.isfinite(t))
            why = st.session_state.get(f"{prefix}_stop_note")
            st.warning(
                f"{why or 'Stopped'}: the measurement is incomplete "
                f"({done} of {len(res.total)} p measured)."
            )
            if not done:
                return
        present.chart(fig_bias_variance_dropout(res), key=f"{prefix}_fig", main=True)
        split = res.var_data is not None and res.var_init is not None
        rows = [
            {
                "p": p,
                "bias²": res.bias2[k],
                "variance, data": res.var_data[k] if split else None,
                "variance, start": res.var_init[k] if split else None,
                "noise": res.noise,
                "sum": res.total[k],
                "measured": res.measured[k],
            }
            for k, p in enumerate(res.rates)
        ]
        _table(rows)

    _show_state(prefix, draw, "Press **Measure** to retrain the network for each p.")
