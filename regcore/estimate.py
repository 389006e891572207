"""How long a run will take here, before it starts: the total-work model, calibrated.

    seconds ≈ per_step · steps + per_unit · work · models

``steps`` = epochs · ⌈n_train / batch_size⌉ (optimizer steps, each with a fixed Python and
dispatch cost), ``work`` = :func:`regcore.bounds.work` (epochs · n_train · parameters, the
arithmetic), ``models`` the models trained together (a sweep's λ × repeats, batched: the
steps are shared, the arithmetic is not). :func:`calibrate` times two small fits on this
machine — one dominated by steps, one by arithmetic — and solves for the two constants.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from regcore.config import TrainConfig, work

BATCHED_STEP = 2.0  # a batched step (all λ at once) costs about two single-model steps


@dataclass(frozen=True)
class Calibration:
    """Seconds per optimizer step and per unit of work on this machine, one thread."""

    per_step: float = 1.0e-3  # measured on the project's 2-core CI machine
    per_unit: float = 2.0e-9
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
    per_step = cal.per_step * (BATCHED_STEP if models > 1 else 1.0)
    return per_step * steps(cfg) + cal.per_unit * work(cfg) * models


def _timed(cfg: TrainConfig) -> float:
    from regcore.train import fit

    fit(cfg)  # first call pays for imports and allocations
    best = math.inf
    for _ in range(2):
        t0 = time.perf_counter()
        fit(cfg)
        best = min(best, time.perf_counter() - t0)
    return best


def calibrate() -> Calibration:
    """Time two small CPU fits (about a second in all) and solve for the two constants."""
    a = TrainConfig().replace(**{"optim.epochs": 40, "device": "cpu"})  # steps dominate
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
    ta, tb = _timed(a), _timed(b)
    sa, sb, wa, wb = steps(a), steps(b), work(a), work(b)
    det = sa * wb - sb * wa
    per_step = max((ta * wb - tb * wa) / det, 1e-6)
    per_unit = max((tb - per_step * sb) / wb, 1e-12)
    return Calibration(per_step=per_step, per_unit=per_unit, measured=True)


def describe_seconds(seconds: float) -> str:
    """ "about 3 s", "about 2 min": an estimate as a person reads it."""
    if seconds < 1.0:
        return "under a second"
    if seconds < 90:
        return f"about {seconds:.0f} s"
    return f"about {seconds / 60:.0f} min"
