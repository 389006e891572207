"""Scale the estimate's constants to this machine: four small timed runs at start-up.

regcore.serve.estimate's constants were measured on the project's 2-core machine. Here
four probes, each dominated by one group of constants, are timed (the thread's CPU time,
the fastest of three after a warm-up: what the work costs, not what other processes
add) and each group is scaled by measured ÷ predicted:

- ``dispatch``: the Playground's default run (the linear fast path: per-step and
  per-epoch tensor-op dispatch, the run's set-up and result);
- ``arithmetic``: one epoch of the MNIST-size MLP's shapes on 1,000 rows (multiply-adds);
- ``autograd``: a small dropout MLP on moons (graph, backward, torch.optim per step);
- ``batched``: the λ sweep's default (32 models at once).

Each probe leans on its own group; the factors are solved together (each probe's other
groups at their current factors, a few passes). About a
second of CPU on the reference machine; a factor is kept within 1/4–4 (a probe cut
short by a busy machine must not make every estimate absurd).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from regcore.core import TrainConfig
from regcore.engine import fit
from regcore.serve.costs import data_terms, run_terms
from regcore.serve.estimate import Calibration, group_of
from regcore.serve.workloads import sweep_work
from regcore.sweeps import log_grid, sweep

FACTOR_RANGE = (0.25, 4.0)
ARITHMETIC_PROBE = {
    "data.name": "classification",
    "data.n_train": 1000,
    "data.n_test": 100,
    "data.n_features": 784,
    "data.n_classes": 10,
    "model.kind": "mlp",
    "model.hidden": [200],
    "model.activation": "sigmoid",
    "optim.lr": 0.1,
    "optim.batch_size": 250,
    "optim.epochs": 1,
    "device": "cpu",
}
AUTOGRAD_PROBE = {
    "data.name": "moons",
    "model.kind": "mlp",
    "model.hidden": [32, 32],
    "model.dropout": 0.1,
    "optim.momentum": 0.0,
    "optim.batch_size": 20,
    "optim.epochs": 10,
    "device": "cpu",
}


class Interrupted(Exception):
    """:func:`calibrate` was asked to stop (the process is exiting)."""


def cpu_seconds(run: Callable[[], object], stop: Callable[[], bool] | None = None) -> float:
    """The fastest of three timed calls of ``run`` after one untimed (imports, buffers),
    on this thread's CPU clock."""
    if stop is not None and stop():
        raise Interrupted
    run()
    best = math.inf
    for _ in range(3):
        t0 = time.thread_time()
        run()
        best = min(best, time.thread_time() - t0)
    return best


def by_group(terms: dict[str, float], cal: Calibration) -> dict[str, float]:
    """Predicted seconds of ``terms`` on ``cal``, per group of constants."""
    out: dict[str, float] = {}
    for k, v in terms.items():
        g = group_of(k)
        out[g] = out.get(g, 0.0) + getattr(cal, k) * v
    return out


def solve_factor(measured: float, predicted: dict[str, float], group: str, known: dict) -> float:
    """The factor of ``group`` that makes ``predicted`` (per group) add up to ``measured``,
    the other groups at their ``known`` factors (1 if not yet known); kept in range."""
    rest = sum(v * known.get(g, 1.0) for g, v in predicted.items() if g != group)
    own = predicted.get(group, 0.0)
    if own <= 0:
        return 1.0
    lo, hi = FACTOR_RANGE
    return min(max((measured - rest) / own, lo), hi)


def probes() -> list[tuple[str, Callable[[], object], dict[str, float]]]:
    """(group, the timed run, its predicted counts) in the order they are solved."""
    default = TrainConfig().replace(**{"device": "cpu", "optim.epochs": 60})
    arith = TrainConfig().replace(**ARITHMETIC_PROBE)
    auto = TrainConfig().replace(**AUTOGRAD_PROBE)
    lams = log_grid(1e-4, 100.0, 32)
    swept = TrainConfig().replace(**{"device": "cpu", "optim.epochs": 50})
    sweep_terms = sweep_work(swept, 32, 1)
    sweep_terms.pop("exact", None)  # timed without its exact path
    return [
        ("dispatch", lambda: fit(default), {**run_terms(default), **data_terms(default)}),
        ("arithmetic", lambda: fit(arith), {**run_terms(arith), **data_terms(arith)}),
        ("autograd", lambda: fit(auto), {**run_terms(auto), **data_terms(auto)}),
        ("batched", lambda: sweep(swept, lams, on_epoch=_ignore), sweep_terms),
    ]


def _ignore(event: object) -> None:
    """A progress sink: the pages stream every sweep."""


def calibrate(stop: Callable[[], bool] | None = None) -> Calibration:
    """This machine's constants: the reference ones scaled by the four probes' factors.

    Args:
        stop: checked before each probe; when it returns True, :class:`Interrupted`
            is raised (an exiting process keeps the defaults).
    """
    ref = Calibration()
    timed = [(g, cpu_seconds(run, stop), by_group(terms, ref)) for g, run, terms in probes()]
    if stop is not None and stop():
        raise Interrupted
    factors: dict[str, float] = {}
    for _ in range(20):  # each probe leans on one group: a few passes settle them all
        for group, measured, predicted in timed:
            factors[group] = solve_factor(measured, predicted, group, factors)
    return ref.scaled(**factors)
