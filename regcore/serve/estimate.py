"""How long a piece of work will take here, before it starts: counts times constants.

regcore.serve.costs counts what a run's time scales with on each engine (steps, epochs,
layers, multiply-adds, rows evaluated, models trained together); regcore.serve.workloads
composes the counts of each page's and tab's work. :class:`Calibration` holds the seconds
per unit of each count: measured on the project's 2-core machine (one thread, the thread's
CPU time: what a run costs, not what other processes add) and scaled to this machine by
regcore.serve.calibration. :func:`slowdown` says how much the current load stretches a
run's wall time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from regcore.core import TrainConfig
from regcore.serve.costs import data_terms, run_terms

ARITHMETIC = ("mac", "act", "weight_pass", "elem", "row", "data", "bundled")
BATCHED_ARITHMETIC = ("batched_mac", "batched_act", "batched_row")


@dataclass(frozen=True)
class Calibration:
    """Seconds per unit of each cost on this machine (one thread); see the module doc.

    Defaults: fitted on the project's 2-core machine by ``benchmarks/fit_estimate.py``
    (its CPU clock, at a load average of 8–13: shared cores make every op dearer);
    regcore.serve.calibration scales them to the machine and moment a server starts.
    """

    run: float = 2.2e-3  # one single run's fixed cost: model, setup, result
    rows: float = 9.0e-9  # per element of a run's data (rows · width): casts and copies
    data: float = 1.8e-8  # per element of a data set drawn (rows · width)
    bundled: float = 2.2e-7  # per value of a bundled file read (regcore.data)
    value: float = 5.1e-8  # per float the result keeps (weights, snapshots)
    linear_step: float = 1.4e-6  # per unit of costs.step_units (a µs on the reference machine)
    linear_epoch: float = 1.7e-4  # the linear fast path's per-epoch bookkeeping and measure
    mlp_step: float = 1.4e-6
    mlp_epoch: float = 2.5e-4
    mlp_epoch_layer: float = 8.9e-5
    autograd_step: float = 1.4e-6
    autograd_epoch: float = 2.9e-4
    autograd_epoch_layer: float = 2.5e-4
    mac: float = 1.1e-11  # per multiply-add (float32; float64 counts twice)
    act: float = 1.3e-9  # per unit's activation (hidden and output units) per row
    weight_pass: float = 1.4e-10  # per weight and elementwise pass of a step (optimizer)
    elem: float = 1.8e-10  # per input element of a row trained or evaluated
    row: float = 5.7e-8  # per row evaluated (loss, accuracy)
    probe: float = 3.2e-5  # a probe called after an epoch (model.eval, no_grad)
    grid: float = 6.7e-7  # per point of a decision surface kept (rounded, as Python floats)
    nets_final: float = 1.9e-2  # the side by side's layer probe and dropout conventions
    exact: float = 1.0e-8  # an exact path, per λ · row · feature
    batched_run: float = 8.5e-3
    batched_epoch: float = 4.0e-4  # tracker, progress event
    batched_order: float = 7.6e-6  # one batch order per repeat and epoch
    batched_step: float = 3.1e-6  # per unit of costs.batched_step_units
    batched_epoch_layer: float = 2.0e-4  # an MLP's per-layer evaluation ops, per epoch
    batched_model_epoch: float = 1.2e-8  # per model and epoch: metrics, progress
    batched_weight: float = 3.2e-9  # per weight, model and epoch: its statistics
    batched_mac: float = 4.8e-11
    batched_act: float = 8.9e-10
    batched_row: float = 1.1e-7  # per model and row a classifier evaluates (log-softmax)
    measured: bool = False  # True once scaled to this machine by calibrate()
    factors: tuple[tuple[str, float], ...] = ()  # the groups' scale factors it measured

    def scaled(self, **factors: float) -> Calibration:
        """These constants with groups multiplied: ``dispatch`` (single runs' fixed
        costs), ``autograd`` (its steps and epochs), ``batched`` and ``arithmetic``."""
        names = [f.name for f in fields(self) if f.name not in ("measured", "factors")]
        return replace(
            self,
            measured=True,
            factors=tuple(sorted(factors.items())),
            **{k: getattr(self, k) * factors.get(group_of(k), 1.0) for k in names},
        )


def group_of(name: str) -> str:
    """The group a constant belongs to: ``arithmetic``, ``batched``, ``autograd`` or
    ``dispatch`` (what :meth:`Calibration.scaled` multiplies together)."""
    if name in ARITHMETIC or name in BATCHED_ARITHMETIC:
        return "arithmetic"
    if name.startswith("batched"):
        return "batched"
    return "autograd" if name.startswith("autograd") else "dispatch"


def seconds_of(terms: dict[str, float], cal: Calibration | None = None) -> float:
    """Σ count · constant: the seconds of a set of cost counts on ``cal``'s machine."""
    cal = cal or Calibration()
    return sum(getattr(cal, k) * v for k, v in terms.items())


def estimate_seconds(cfg: TrainConfig, cal: Calibration | None = None) -> float:
    """Estimated seconds of one run of ``cfg`` alone on this machine (its data drawn too).

    Args:
        cfg: the run. cal: this machine's constants (the reference ones if None).
    """
    return seconds_of({**run_terms(cfg), **data_terms(cfg)}, cal)


def load_average() -> float:
    """The machine's 1-minute load average (runnable threads), 0 where it is unknown."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def slowdown(
    busy_threads: int = 0, threads: int = 1, cores: int | None = None, load: float | None = None
) -> float:
    """How much longer than alone a run takes now.

    The ``cores`` are shared by the machine's other runnable threads (the 1-minute
    ``load`` average less ``busy_threads``, this server's own trainings) and the trainings
    that will run beside it (at least ``threads``): 1.0 while the cores are enough.
    """
    cores = cores or os.cpu_count() or 1
    load = load_average() if load is None else load
    others = max(0.0, load - busy_threads)
    return max(1.0, (others + max(busy_threads, threads)) / cores)


def describe_seconds(seconds: float) -> str:
    """ "about 3 s", "about 2 min", "about 5 hours": an estimate as a person reads it."""
    if seconds < 1.0:
        return "under a second"
    if seconds < 90:
        return f"about {seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"about {seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"about {seconds / 3600:.0f} hours"
    return f"about {seconds / 86400:,.0f} days"
