"""How long a run will take here, before it starts: the total-work model, calibrated.

    seconds ≈ per_step · steps + per_unit · work                      (one run)
    seconds ≈ per_step_batched · steps + per_unit_batched · work_eval · models   (a sweep)

``steps`` = epochs · ⌈n_train / batch_size⌉ (optimizer steps, each with a fixed Python and
dispatch cost), ``work`` = :func:`regcore.bounds.work` (epochs · n_train · parameters, the
arithmetic), ``models`` the models trained together (a sweep's λ × repeats, batched: the steps are
shared, the arithmetic is not; ``work_eval`` adds the per-epoch evaluation of every model
on the test split, which dominates a batched sweep). :func:`calibrate` times two small fits
on this machine — one dominated by steps, one by arithmetic — and two small sweeps likewise,
and solves for the four constants. Linear sweeps of n ≪ d train in the span of the
training rows (much faster than their work says): for them the estimate is an upper bound.
A single plain-SGD MLP trains on the written-out fast path (regcore.mlp_fast), with its
own constants: ``per_step_mlp`` from a small step-bound MLP, and ``fast_share`` (its
arithmetic over what ``per_unit`` predicts) from the MNIST-size MLP's epochs. The
linear step-bound probe trains on its fast path (regcore.fastpath), whose steps cost a
fraction of an autograd step (an MLP with dropout, normalization or Adam): a small
dropout MLP, steps dominating, measures ``per_step_autograd`` for those runs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from regcore.core import TrainConfig, work
from regcore.engine import AUTOGRAD, MLP, pick_engine


@dataclass(frozen=True)
class Calibration:
    """Seconds per optimizer step and per unit of work on this machine, one thread."""

    per_step: float = 1.0e-3  # measured on the project's 2-core CI machine
    per_unit: float = 2.0e-9
    per_step_batched: float = 1.0e-4
    per_unit_batched: float = 2.0e-9
    fast_share: float = 0.25  # fast-path arithmetic (regcore.mlp_fast) over per_unit's
    per_step_mlp: float = 1.0e-3  # one fast-path step of a small MLP
    per_step_autograd: float = 2.5e-3  # one autograd step of a small MLP
    measured: bool = False


def steps(cfg: TrainConfig) -> int:
    """Optimizer steps of one run: epochs · batches per epoch."""
    return cfg.optim.epochs * math.ceil(cfg.data.n_train / max(cfg.optim.batch_size, 1))


def estimate_seconds(cfg: TrainConfig, cal: Calibration | None = None, models: int = 1) -> float:
    """Estimated seconds for ``cfg`` alone on this machine (``models`` > 1: one batched sweep).

    Args:
        cfg: the run. cal: this machine's constants (defaults if None).
        models: how many models train together in one batched computation.
    """
    cal = cal or Calibration()
    if models == 1:
        engine = pick_engine(cfg)
        if engine is AUTOGRAD:
            return cal.per_step_autograd * steps(cfg) + cal.per_unit * work(cfg)
        if engine is MLP:
            return cal.per_step_mlp * steps(cfg) + cal.fast_share * cal.per_unit * work(cfg)
        return cal.per_step * steps(cfg) + cal.per_unit * work(cfg)
    return cal.per_step_batched * steps(cfg) + cal.per_unit_batched * work_eval(cfg) * models


def work_eval(cfg: TrainConfig) -> float:
    """Work of one run including its per-epoch evaluation on both splits."""
    return work(cfg) * (cfg.data.n_train + cfg.data.n_test) / max(cfg.data.n_train, 1)


class Interrupted(Exception):
    """:func:`calibrate` was asked to stop (the process is exiting)."""


def _timed(run, stop=None) -> float:
    if stop is not None and stop():
        raise Interrupted
    run()  # the first call pays for imports and allocations
    best = math.inf
    for _ in range(2):  # the faster of two: a busy machine's noise only adds time
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def calibrate(stop: Callable[[], bool] | None = None) -> Calibration:
    """Time two small CPU fits and a small sweep (a few seconds) and solve for the constants."""
    from regcore.engine import fit
    from regcore.sweeps import sweep

    a = TrainConfig().replace(**{"optim.epochs": 30, "device": "cpu"})  # steps dominate
    b = TrainConfig().replace(
        **{
            "data.name": "classification",
            "data.n_train": 1000,
            "data.n_features": 100,
            "model.kind": "mlp",
            "model.hidden": [256, 256],
            "optim.batch_size": 500,
            "optim.epochs": 2,
            "device": "cpu",
        }
    )  # arithmetic dominates
    c = TrainConfig().replace(**{"device": "cpu"})  # a sweep whose steps dominate
    d = (
        TrainConfig()
        .replace(**{"data.name": "polynomial", "model.kind": "mlp", "model.hidden": [64, 64]})
        .replace(**{"optim.epochs": 3, "device": "cpu"})
    )  # a sweep whose arithmetic dominates
    lams = [10.0 ** (i / 5 - 4) for i in range(31)]  # 1e-4 … 1e2
    per_step, per_unit = _solve(lambda cfg: fit(cfg), a, b, 1, stop)
    per_step_b, per_unit_b = _solve(lambda cfg: sweep(cfg, lams), c, d, len(lams), stop)
    if stop is not None and stop():
        raise Interrupted
    # a difference of timings is noisy on a busy machine: keep the order the engines have
    mlp = _per_step(fit, {**AUTOGRAD_PROBE, "model.dropout": 0.0}, per_unit, stop)
    per_step_mlp = max(mlp, per_step)
    per_step_autograd = max(_per_step(fit, AUTOGRAD_PROBE, per_unit, stop), per_step_mlp)
    e = TrainConfig().replace(**FAST_PROBE)
    arithmetic = _epoch_seconds(e) * e.optim.epochs - per_step_mlp * steps(e)
    share = min(max(arithmetic / (per_unit * work(e)), 0.01), 1.0)
    return Calibration(
        per_step=per_step,
        per_unit=per_unit,
        per_step_batched=per_step_b,
        per_unit_batched=per_unit_b,
        fast_share=share,
        per_step_mlp=per_step_mlp,
        per_step_autograd=per_step_autograd,
        measured=True,
    )


# The MNIST-size MLP's shapes on 3,000 samples: arithmetic dominates its epochs.
FAST_PROBE = {
    "data.name": "classification",
    "data.n_train": 3000,
    "data.n_test": 100,
    "data.n_features": 784,
    "data.n_classes": 10,
    "model.kind": "mlp",
    "model.hidden": [200],
    "model.activation": "sigmoid",
    "reg.lam": 0.01,
    "optim.lr": 0.1,
    "optim.batch_size": 64,
    "optim.epochs": 3,
    "device": "cpu",
}


def _per_step(fit, probe: dict, per_unit: float, stop) -> float:
    """Seconds per step of a step-bound ``probe``: the time of 3× its epochs less its time
    (so the set-up — data, model — cancels), its small arithmetic taken out."""
    short = TrainConfig().replace(**probe)
    long = short.replace(**{"optim.epochs": 3 * short.optim.epochs})
    seconds = _timed(lambda: fit(long), stop) - _timed(lambda: fit(short), stop)
    extra_work = work(long) - work(short)
    return max((seconds - per_unit * extra_work) / (steps(long) - steps(short)), 1e-7)


# A small dropout MLP on moons, 150 and 450 autograd steps: per-step cost dominates (without the
# dropout, the same MLP is the fast path's step-bound probe).
AUTOGRAD_PROBE = {
    "data.name": "moons",
    "data.n_features": 2,
    "data.n_train": 200,
    "model.kind": "mlp",
    "model.hidden": [32, 32],
    "model.dropout": 0.1,
    "optim.batch_size": 20,
    "optim.epochs": 15,
    "device": "cpu",
}


def _epoch_seconds(cfg: TrainConfig) -> float:
    """The fastest epoch of ``cfg`` after the first, its data made beforehand (so that the
    arithmetic, not the set-up, is what is timed)."""
    from regcore.data import make_dataset
    from regcore.engine import train

    run = train(cfg, data=make_dataset(cfg))
    next(run)  # the first epoch pays for allocations
    best = math.inf
    for _ in range(cfg.optim.epochs - 1):
        t0 = time.perf_counter()
        next(run)
        best = min(best, time.perf_counter() - t0)
    run.close()
    return best


def _solve(run, step_bound, work_bound, models: int, stop=None) -> tuple[float, float]:
    """(per step, per unit) from the times of ``run`` on a step-bound and a work-bound config."""
    cfgs = (step_bound, work_bound)
    times = [_timed(lambda cfg=cfg: run(cfg), stop) for cfg in cfgs]
    w = [(work(cfg) if models == 1 else work_eval(cfg) * models) for cfg in cfgs]
    s = [steps(cfg) for cfg in cfgs]
    det = s[0] * w[1] - s[1] * w[0]
    per_step = max((times[0] * w[1] - times[1] * w[0]) / det, 1e-7)
    per_unit = max((times[1] - per_step * s[1]) / w[1], 1e-13)
    return per_step, per_unit


def describe_seconds(seconds: float) -> str:
    """ "about 3 s", "about 2 min": an estimate as a person reads it."""
    if seconds < 1.0:
        return "under a second"
    if seconds < 90:
        return f"about {seconds:.0f} s"
    return f"about {seconds / 60:.0f} min"
