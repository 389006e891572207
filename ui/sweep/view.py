"""The λ sweep page's parts: its controls, the job it submits and how results are drawn."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from regcore.core import REGULARIZERS, SweepProgress, TrainConfig, l1_share, l2_share, spec
from regcore.figures import fig_weight_hist
from regcore.figures import sweep as figs
from regcore.links import SweepSettings
from regcore.serve import (
    add_work,
    bias_variance_work,
    cross_validation_work,
    fraction,
    sweep_work,
)
from regcore.sweeps import (
    INITS,
    KNOWN_TRUTH,
    BiasVarianceResult,
    CVResult,
    ExactPath,
    SweepResult,
    bias_variance,
    cross_validate,
    exact_path,
    fit_split,
    run_result,
    sweep,
)
from ui.kit import present
from ui.kit.messages import say
from ui.kit.typed import bounded_box, forget
from ui.kit.widgets import fmt, log_options
from ui.live import stream as live
from ui.live.runner import Job
from ui.sweep import tables
from ui.sweep.biasvar import draw_bias_variance
from ui.sweep.choice import choice_note, held_out_warning
from ui.sweep.cv import CV_PHASE, choose_control, cv_progress, draw_cv

DEFAULT = SweepSettings()  # the page's defaults and its keys' bounds: regcore.links
RANGE = log_options(DEFAULT.lam_min, DEFAULT.lam_max)
EXACT_NOTE = (
    "Dashed: the exact minimizer of the same objective ({method}) on the same {n_fit} "
    "samples the models fit (the validation samples are held out of it too); it is a "
    "reference curve and chooses no λ. Where the trained ‖w‖₂ "
    "sits above it (at small λ here), training has not converged: weights in directions the "
    "training samples do not constrain get no gradient from the data, so only the penalty "
    "(a factor 1 − lr·λ per step) shrinks them from their initial values."
)


def _power(x: float) -> str:
    """10⁻⁴ for 1e-4 (a power of ten), else the number."""
    e = round(math.log10(x))
    return "10" + str(e).translate(_SUP) if 10.0**e == x else f"{x:g}"


_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
FIRST_HINT = (  # the page's first config is the textbook weight-decay experiment
    f"Press **Sweep**: {DEFAULT.k} strengths λ from {_power(DEFAULT.lam_min)} to "
    f"{_power(DEFAULT.lam_max)} on the textbook weight-decay experiment train in about a second."
)


@dataclass(frozen=True)
class SweepPlan:
    """What the Sweep button trains: K strengths, R repeats, and the bias–variance panel."""

    lams: list[float]
    repeats: int
    bias_variance: bool
    settings: SweepSettings = DEFAULT  # what the link holds (regcore.links)


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


def seed_from_link(prefix: str, params: dict[str, str] | None) -> None:
    """Put a new link's sweep settings (``sweep.*``) into the widgets."""
    if params is None:
        return
    s, _ = SweepSettings.from_params(params)  # bad values were named by the link reader
    if st.session_state.pop(range_key(prefix), None) is not None:
        # drawn before: a new widget key, or the browser brings the old range back
        gen = st.session_state.get(f"{prefix}_range_gen", 0)
        st.session_state[f"{prefix}_range_gen"] = gen + 1
    st.session_state[f"{prefix}_range_value"] = (s.lam_min, s.lam_max)  # the slider's value
    st.session_state[f"{prefix}_k"] = s.k
    st.session_state[f"{prefix}_r"] = s.repeats
    forget(f"{prefix}_r__typed")  # a refused typed text gives way to the link's
    st.session_state[f"{prefix}_bv"] = s.bias_variance
    st.session_state[f"{prefix}_choose"] = s.choose
    st.session_state[f"{prefix}_first"] = s.first  # no widget: a demo's link sets it


def range_key(prefix: str) -> str:
    """The λ range slider's key: ``{prefix}_range``, renewed by each new link."""
    gen = st.session_state.get(f"{prefix}_range_gen", 0)
    return f"{prefix}_range_{gen}" if gen else f"{prefix}_range"


def controls(prefix: str, cfg: TrainConfig | None) -> SweepPlan:
    """The λ range, K, repeats and bias–variance widgets in one row."""
    c1, c2, c3, c4 = st.columns([2.4, 1.6, 1.2, 2.8])  # room for labels at 1024 px
    for name, value in (("k", DEFAULT.k), ("r", DEFAULT.repeats)):
        st.session_state.setdefault(f"{prefix}_{name}", value)
    start = st.session_state.get(f"{prefix}_range_value", (DEFAULT.lam_min, DEFAULT.lam_max))
    lo, hi = c1.select_slider(
        "λ range (log)",
        sorted({*RANGE, *start}),
        value=start,
        format_func=fmt,
        key=range_key(prefix),
        persist_state="session",
    )
    keys = SweepSettings.keys
    k = c2.slider(
        "λ points K", keys["k"].lo, keys["k"].hi, key=f"{prefix}_k", persist_state="session"
    )
    below = st.container()  # under the row: a refusal reads across the page, not down c3
    with c3:  # typed and read on the server: a refused text keeps Sweep off
        r = bounded_box(
            prefix,
            f"{prefix}_r",
            "repeats",
            keys["repeats"].lo,
            keys["repeats"].hi,
            help="fresh data and init per repeat",
            say_in=below,
        )
    r = st.session_state[f"{prefix}_r"] if r is None else r
    truth = cfg is not None and cfg.data.name in KNOWN_TRUTH
    st.session_state.setdefault(f"{prefix}_bv", truth and DEFAULT.bias_variance)
    bv = c4.toggle(
        "bias–variance",
        disabled=not truth,
        key=f"{prefix}_bv",
        persist_state="session",
        help=f"retrain on {SweepSettings.bias_variance_sets(1)} (or R) fresh training sets per λ, "
        f"{INITS} random starts on each: linear, sparse, polynomial",
    )
    settings = SweepSettings(
        lam_min=lo,
        lam_max=hi,
        k=int(k),
        repeats=int(r),
        bias_variance=bool(bv) or not truth,
        choose=choose_control(prefix),
        first=st.session_state.get(f"{prefix}_first", DEFAULT.first),
    )
    return SweepPlan(
        lams=settings.lambdas(),
        repeats=int(r),
        bias_variance=bool(bv and truth),
        settings=settings,
    )


@dataclass(frozen=True)
class SweepJob:
    """What the sweep page's job returns: the sweep, its exact path, bias–variance."""

    sweep: SweepResult
    exact: ExactPath | None  # None: no exact path for this model / regularizer
    bv: BiasVarianceResult | None = None  # None: not asked for, or stopped
    bv_stopped: bool = False  # the sweep finished but its bias–variance phase was stopped
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)  # SweepSettings, as a dict
    opened_from: str | None = None  # the file's name when opened from a saved sweep
    cv: CVResult | None = None  # k-fold cross-validation of λ, when chosen
    cv_stopped: bool = False  # the sweep finished but its cross-validation was stopped


def job_fn(cfg: TrainConfig, plan: SweepPlan):
    """The job the runner trains: the sweep, its exact path and, if asked, bias–variance."""

    def run(stop, emit) -> SweepJob:
        res = sweep(cfg, plan.lams, stop=stop, repeats=plan.repeats, on_epoch=emit)
        exact = exact_path(cfg, plan.lams, data=fit_split(cfg))  # what repeat 0's models fit
        settings = dataclasses.asdict(plan.settings)
        cv = None
        if plan.settings.folds() and not res.stopped:
            cv = cross_validate(
                cfg,
                plan.lams,
                plan.settings.folds(),
                stop,
                repeats=plan.repeats,
                on_progress=lambda ev: emit((CV_PHASE, ev)),
            )
            if cv.stopped:
                return SweepJob(sweep=res, exact=exact, settings=settings, cv_stopped=True)
        if not (plan.bias_variance and not res.stopped):
            return SweepJob(sweep=res, exact=exact, settings=settings, cv=cv)
        bv = bias_variance(
            cfg,
            plan.lams,
            repeats=SweepSettings.bias_variance_sets(plan.repeats),
            stop=stop,
            on_epoch=lambda ev: emit((BV_PHASE, ev)),
        )
        if bv.stopped:
            return SweepJob(sweep=res, exact=exact, settings=settings, bv_stopped=True, cv=cv)
        return SweepJob(sweep=res, exact=exact, settings=settings, bv=bv, cv=cv)

    return run


_OTHERS = [r.name for r in REGULARIZERS.values() if r.role != "none"]  # the registry's kinds
NO_PENALTY = (
    "The sidebar's regularizer is “no regularization”, so λ changes nothing and every λ "
    f"trains the same model. Pick {', '.join(_OTHERS[:-1])} or {_OTHERS[-1]} to see a path."
)


def underflow_note(res) -> str | None:
    """Why an L2 / weight-decay sweep can show exact zeros (else None): underflow."""
    o, reg = res.config.optim, res.config.reg
    zeros = [r.get("zero_fraction", 0.0) for r in res.rows if not r.get("diverged")]
    shrinks = l2_share(reg) > 0.0 or spec(reg).role == "decoupled"
    only_shrinks = shrinks and l1_share(reg) == 0.0
    if not only_shrinks or not any(z > 0 for z in zeros):
        return None
    return (
        "Exact zeros under L2 or weight decay are not sparsity but underflow: a weight that "
        "gets no gradient from the data (a pixel that is always blank, a ReLU unit that never "
        f"fires) is multiplied by 1 − lr·λ every step; near lr·λ = 1 (λ ≈ {1 / o.lr:.3g} at "
        f"lr {o.lr:g}) it passes below the smallest {res.config.dtype} number and becomes 0."
    )


def diverged_note(res) -> str | None:
    """What diverged, and the likely cure, for a sweep with diverged λ (else None)."""
    idx = figs.diverged_indices(res)
    if not idx:
        return None
    lams, k = [res.lambdas[i] for i in idx], len(res.lambdas)
    tail = idx == list(range(idx[0], k))
    where = f"λ ≥ {lams[0]:.3g}" if tail else f"λ from {lams[0]:.3g} to {lams[-1]:.3g}"
    text = (
        f"Training diverged for {where} ({len(idx)} of {k} strengths): the loss became "
        "infinite or NaN, so these λ are shaded and left out of the charts."
    )
    o, reg = res.config.optim, res.config.reg
    decoupled = spec(reg).role == "decoupled"
    if o.name == "sgd" and (decoupled or l2_share(reg) > 0) and o.lr * lams[0] > 1:
        # the penalty alone is a quadratic of curvature λ: plain SGD is stable for lr·λ < 2,
        # heavy-ball momentum μ for lr·λ < 2(1 + μ) (decoupled decay skips the momentum)
        mu = o.momentum if not decoupled else 0.0
        limit = 2.0 * (1.0 + mu)
        why = f"2(1 + momentum) with momentum {mu:g}" if mu else "2 for plain SGD"
        text += (
            f" The penalty's own step is lr·λ = {o.lr * lams[0]:.3g} at λ = {lams[0]:.3g}; "
            f"beyond {limit:.3g} ({why}; here λ > {limit / o.lr:.3g}) it overshoots and "
            "the weights grow. Lower the learning rate or the largest λ."
        )
    else:
        text += f" Lower the learning rate (now {o.lr:g})."
    return text


def redraw_every(plan: SweepPlan) -> float:
    """Seconds between live redraws: 0.4 s up to 64 models, then longer, at most 2 s
    (building the four charts of 256 λ takes about 0.3 s of the CPU that trains them)."""
    return min(2.0, live.POLL_S * max(1.0, len(plan.lams) * plan.repeats / 64))


def estimate(cfg: TrainConfig, plan: SweepPlan) -> float:
    """Estimated seconds of the sweep, plus the bias–variance retraining when it is on."""
    return live.seconds(job_work(cfg, plan))


def job_work(cfg: TrainConfig, plan: SweepPlan, phases: int = 3) -> dict[str, float]:
    """The counts of the job's first ``phases`` phases: the sweep (and its exact path), its
    k-fold cross-validation when chosen, the bias–variance retraining when it is on."""
    k, r = len(plan.lams), plan.repeats
    work = sweep_work(cfg, k, r)
    if phases > 1 and plan.settings.folds():
        work = add_work(work, cross_validation_work(cfg, k, r, plan.settings.folds()))
    if phases > 2 and plan.bias_variance:
        sets = SweepSettings.bias_variance_sets(r)
        work = add_work(work, bias_variance_work(cfg, k, sets))
    return work


def job_progress(cfg: TrainConfig, plan: SweepPlan) -> Callable[[Any], float | None]:
    """Reads the share done off the job's events: the sweep's epochs, then its
    cross-validation's (tagged CV_PHASE), then the bias–variance retraining's (tagged
    BV_PHASE), each weighted by its estimate."""
    total = estimate(cfg, plan)
    share = live.seconds(job_work(cfg, plan, 1)) / total if total > 0 else 1.0
    bv_from = live.seconds(job_work(cfg, plan, 2)) / total if total > 0 else 1.0

    def read(event: Any) -> float | None:
        if isinstance(event, tuple) and len(event) == 2 and event[0] == CV_PHASE:
            return share + (bv_from - share) * event[1].share
        if isinstance(event, tuple) and len(event) == 2 and event[0] == BV_PHASE:
            f = fraction(event[1])
            return None if f is None else bv_from + (1.0 - bv_from) * f
        f = fraction(event)
        return None if f is None else share * f

    return read


def describe(cfg: TrainConfig, plan: SweepPlan) -> str:
    """One line under the buttons: how many models of what."""
    return (  # the bias–variance retraining is in the estimate; the toggle's help says it
        f"{len(plan.lams)} × {plan.repeats} models × {cfg.optim.epochs} epochs, "
        f"{cfg.data.name}, {cfg.reg.kind}, {cfg.optim.name.upper()} lr {cfg.optim.lr:g}"
    )


def _panels(src, exact=None, epochs=None, select_key: str | None = None, main: bool = True) -> Any:
    """The four panels; with ``select_key`` the loss chart reports a clicked point.
    ``main``: the loss chart is the page's main figure (not under a demo's chart)."""
    loss = figs.fig_sweep_loss(src, "train, validation and test loss")
    if select_key is None:  # the main figure: a row of its own, right under the button
        event = present.chart(loss, main=main)
    else:
        event = present.chart(
            loss, on_select="rerun", selection_mode="points", key=select_key, main=main
        )
    a, b = present.columns(2)
    paths = tables.paths_figure(src, exact, epochs)
    present.chart(paths, where=a)
    note = figs.coef_paths_note(exact, epochs)
    if note:
        a.caption(note)
    present.chart(figs.fig_sweep_norm(src, exact, "‖w‖₂"), where=b)
    present.chart(figs.fig_sweep_zeros(src, "share of exact zeros"), where=a)
    return event


def clicked_index(event: Any, lambdas: list[float]) -> int | None:
    """The λ index nearest (on the log scale) to the first clicked point, if any."""
    try:
        x = float(event["selection"]["points"][0]["x"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not x > 0 or not lambdas:
        return None
    logs = [math.log(lam) if lam > 0 else -math.inf for lam in lambdas]
    return min(range(len(lambdas)), key=lambda i: abs(logs[i] - math.log(x)))


BV_PHASE = "bias–variance"  # tags the events of the retraining on fresh training sets
DIVERGING = 1e8  # live: a λ whose train loss is past 10⁸ × the lowest one is diverging


def without_diverging(ev: SweepProgress) -> tuple[SweepProgress, int]:
    """``ev`` with the values of diverging λ (non-finite, or train loss past DIVERGING ×
    the lowest) replaced by NaN, and how many; a finished sweep flags them itself."""
    finite = [v for v in ev.train_loss if math.isfinite(v)]
    limit = DIVERGING * max(min(finite), 1e-12) if finite else math.inf
    bad = [not (math.isfinite(v) and v <= limit) for v in ev.train_loss]
    if not any(bad):
        return ev, 0

    def mask(xs):
        return tuple(math.nan if b else x for x, b in zip(xs, bad, strict=True))

    coefs = ev.coefs
    if coefs is not None:
        coefs = tuple(
            tuple(math.nan for _ in c) if b else c for c, b in zip(coefs, bad, strict=True)
        )
    clean = replace(
        ev,
        train_loss=mask(ev.train_loss),
        test_loss=mask(ev.test_loss),
        weight_l2=mask(ev.weight_l2),
        zero_fraction=mask(ev.zero_fraction),
        val_loss=mask(ev.val_loss) if ev.val_loss else (),
        coefs=coefs,
    )
    return clean, sum(bad)


def draw_live(j: Job) -> None:
    """Progress and the four panels from the latest epoch of a sweep still training
    (during the bias–variance phase the bar follows that phase; the panels stay)."""
    events = list(j.events)
    last = events[-1] if events else None
    if isinstance(last, tuple) and last[0] == CV_PHASE:  # k-fold cross-validation
        st.progress(*cv_progress(last[1]))
    elif isinstance(last, tuple):  # (BV_PHASE, progress): retraining on fresh sets
        bv = last[1]
        text = f"bias–variance: retraining on fresh training sets, epoch {bv.epoch} / {bv.epochs}"
        st.progress(bv.epoch / bv.epochs, text=text)
    events = [e for e in events if not isinstance(e, tuple)]
    ev = events[-1] if events else None
    if not isinstance(last, tuple):
        st.progress(
            ev.epoch / ev.epochs if ev else 0.0,
            text=f"epoch {ev.epoch} / {ev.epochs}" if ev else "starting…",
        )
    if ev is not None:
        with_coefs = next((e for e in reversed(events) if e.coefs), ev)
        shown, n = without_diverging(ev if ev.coefs else with_coefs)
        if n:
            st.caption(f"{n} λ diverging (loss past 10⁸ × the lowest): left out of the charts")
        _panels(shown)


def draw_result(prefix: str, out: SweepJob) -> None:
    """A finished sweep: the panels, the exact-path note, bias–variance, one λ's histogram."""
    res = out.sweep
    if out.opened_from:
        say("info", f"Opened from {out.opened_from}: the saved sweep, shown without retraining.")
    why = st.session_state.get(f"{prefix}_stop_note")
    if res.stopped:
        done = max((r.get("epochs_run", 0) for r in res.rows), default=0)
        text = f"stopped at epoch {done} of {res.config.optim.epochs}: showing what was computed"
        (st.warning if why else st.info)(f"{why}; {text}" if why else text)
    elif out.bv_stopped or out.cv_stopped:
        phase = "cross-validation" if out.cv_stopped else "the bias–variance phase"
        text = f"the sweep finished; stopped during {phase}, so it is not drawn"
        (st.warning if why else st.info)(f"{why}; {text}" if why else text)
    bv_first = out.bv is not None and out.settings.get("first") == "bias_variance"
    if bv_first:  # a demo of the bias–variance picture: its chart is the main figure
        draw_bias_variance(out.bv, res.config, main=True)
    note = diverged_note(res)
    if note:
        st.warning(note)
    if spec(res.config.reg).role == "none":
        st.info(NO_PENALTY)
    note = underflow_note(res)
    if note:
        st.caption(note)
    event = _panels(
        res, out.exact, res.config.optim.epochs, select_key=f"{prefix}_loss", main=not bv_first
    )
    note = choice_note(res)  # under the panels: the loss curve stays above the fold
    if note:
        st.markdown(note)
    note = held_out_warning(res)
    if note:
        st.warning(note)
    key, token = f"{prefix}_pick", (len(res.rows), res.lambdas[0], res.lambdas[-1], res.seconds)
    if st.session_state.get(f"{prefix}_pick_for") != token or key not in st.session_state:
        st.session_state[f"{prefix}_pick_for"] = token  # a new sweep: start at the best λ
        st.session_state[key] = figs.best_index(res) or 0
    clicked = clicked_index(event, res.lambdas)
    if clicked is not None and clicked != st.session_state.get(f"{prefix}_clicked"):
        st.session_state[key] = clicked  # a new click moves the slider below
    st.session_state[f"{prefix}_clicked"] = clicked
    draw_cv(out.cv)
    if out.exact is not None:
        st.caption(EXACT_NOTE.format(method=out.exact.method, n_fit=res.n_fit or "training"))
    tables.draw_table_parts(res, out.exact, out.cv)
    if out.bv is not None and not bv_first:
        draw_bias_variance(out.bv, res.config)
    pick = st.select_slider(
        "λ for the weight histogram (or click a point of the loss curve)",
        range(len(res.rows)),
        key=key,
        format_func=lambda i: fmt(float(f"{res.lambdas[i]:.3g}")),
    )
    present.chart(fig_weight_hist(run_result(res, pick)))
