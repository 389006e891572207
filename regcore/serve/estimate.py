"""How long a piece of work will take here, before it starts: a cost model per engine.

What a single run's time scales with (read off the engines, regcore.engine):

    run   = setup + epochs · (epoch + steps_per_epoch · step) + arithmetic
    setup = run + rows made · width (the data) + values (the floats the result keeps:
            weights, snapshots, history)
    epoch = the engine's bookkeeping and measure, per epoch and per weight layer
    step  = the engine's dispatch cost of one optimizer step (:func:`step_units`): a few
            fused tensor ops on the linear fast path, a few per layer on the MLP fast
            path, a graph, a backward pass and torch.optim's per-tensor work on autograd
    arithmetic = epochs · (mac · P · (3·n_fit + n_eval) + elem · width · (n_fit + n_eval)
                 + row · n_eval)

P is the multiply-adds of one sample's forward pass (3·P forward and backward while
training); ``n_eval`` the rows of every split evaluated after each epoch (training,
validation, test): on a big test split the evaluation, not the training, dominates.

A batched sweep (regcore.batched, M = R repeats × K strengths) shares its steps:

    sweep = setup + R · rows made · width + epochs · (epoch_b + R · order_b + steps · step_b
            + M · model_epoch_b) + epochs · M · mac · (3 · n_fit · P_train + n_eval · P_eval)

where a linear regression trained in the span of its rows (regcore.batched.subspace) has
P_train = P_eval = n_fit + 3 instead of d + 1: its cost follows the training rows, not
the features.

The constants are seconds on the project's 2-core machine (one thread, the thread's CPU
time: what a run costs, not what other processes add). :func:`regcore.serve.calibration`
scales them to this machine; :func:`slowdown` says how much the current load stretches a
run's wall time. Compositions per page and tab (a comparison, a sweep with its
bias–variance, the Dropout page's tabs) are in regcore.serve.workloads.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace

from regcore.core import CATALOG, TrainConfig
from regcore.engine import AUTOGRAD, MLP, pick_engine

OPT_TENSOR = {"sgd": 3.0, "momentum": 10.0, "adam": 37.0, "adamw": 40.0}  # µs per tensor
SNAPSHOTS, SNAPSHOT_SAMPLE = 51, 4_000  # regcore.engine.snapshots: kept epochs, weights


@dataclass(frozen=True)
class Calibration:
    """Seconds per unit of each cost on this machine (one thread); see the module doc.

    Defaults: measured on the project's 2-core machine (``benchmarks/bench_estimate.py
    --fit`` prints them for another); :func:`regcore.serve.calibration` scales them.
    """

    run: float = 3.0e-3  # one single run's fixed cost: model, setup, result
    rows: float = 8.0e-9  # per element of a run's data (rows · width): casts and copies
    data: float = 1.5e-8  # per element of a data set drawn (rows · width)
    bundled: float = 1.7e-7  # per value of a bundled file read (regcore.data)
    value: float = 6.0e-8  # per float the result keeps (weights, snapshots)
    linear_step: float = 1.0e-6  # per unit of :func:`step_units` (µs on the reference machine)
    linear_epoch: float = 2.0e-4  # the linear fast path's per-epoch bookkeeping and measure
    mlp_step: float = 1.0e-6
    mlp_epoch: float = 2.3e-4
    mlp_epoch_layer: float = 8.0e-5
    autograd_step: float = 1.0e-6
    autograd_epoch: float = 2.0e-4
    autograd_epoch_layer: float = 1.3e-4
    mac: float = 2.3e-11  # per multiply-add (float32; float64 counts twice)
    act: float = 1.0e-9  # per unit's activation (hidden and output units) per row
    elem: float = 1.0e-9  # per input element of a row trained or evaluated
    row: float = 1.0e-7  # per row evaluated (loss, accuracy)
    probe: float = 3.0e-5  # a probe called after an epoch (model.eval, no_grad)
    grid: float = 5.0e-7  # per point of a decision surface kept (rounded, as Python floats)
    nets_final: float = 2.0e-2  # the side by side's layer probe and dropout conventions
    exact: float = 1.0e-8  # an exact path, per λ · row · feature
    batched_run: float = 5.0e-3
    batched_epoch: float = 3.0e-4  # tracker, progress event
    batched_order: float = 1.0e-5  # one batch order per repeat and epoch
    batched_step: float = 5.0e-6  # per unit of :func:`batched_step_units`
    batched_epoch_layer: float = 1.0e-4  # an MLP's per-layer evaluation ops, per epoch
    batched_model_epoch: float = 1.0e-6  # per model and epoch: metrics, progress
    batched_weight: float = 2.0e-9  # per weight, model and epoch: its statistics
    batched_mac: float = 2.3e-11
    batched_act: float = 1.0e-9
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
    if name in ("mac", "act", "elem", "row", "data", "bundled", "batched_mac", "batched_act"):
        return "arithmetic"
    if name.startswith("batched"):
        return "batched"
    return "autograd" if name.startswith("autograd") else "dispatch"


@dataclass(frozen=True)
class Shape:
    """What one model's cost depends on, read from its config."""

    width: int  # input features
    out: int  # outputs (1 for regression, else classes)
    sizes: tuple[int, ...]  # layer widths, input to output
    macs: int  # multiply-adds of one sample's forward pass
    units: int  # hidden and output units: activations of one sample
    layers: int  # weight layers
    n_fit: int  # rows trained on
    n_val: int  # rows held out (early stopping)
    n_test: int
    steps: int  # optimizer steps per epoch
    dtype_factor: float  # float64 arithmetic costs twice float32's


def shape(cfg: TrainConfig, n_fit: int | None = None, n_val: int = 0) -> Shape:
    """The :class:`Shape` of ``cfg`` trained on ``n_fit`` rows (default: its training
    split less its early-stopping hold-out) with ``n_val`` more rows evaluated."""
    d, m = cfg.data, cfg.model
    info = CATALOG[d.name]
    width = info.width or d.n_features
    out = 1 if info.task == "regression" else _classes(cfg)
    if n_fit is None:
        n_fit, n_val = d.n_train, n_val
        if cfg.optim.early_stopping_patience is not None:
            n_val = max(1, round(d.n_train * cfg.optim.val_fraction))
            n_fit -= n_val
    if m.kind == "cnn":  # regcore.engine.models: two 3×3 convolutions, 8 and 16 channels
        side = math.isqrt(width)
        sizes = (width, 8 * side * side, 16 * (side // 2) ** 2, out)
        macs = side * side * 8 * 9 + (side // 2) ** 2 * 16 * 72 + 16 * (side // 4) ** 2 * out
    else:
        sizes = (width, *(m.hidden if m.kind == "mlp" else ()), out)
        macs = sum(a * b for a, b in zip(sizes, sizes[1:], strict=False))
    return Shape(
        width=width,
        out=out,
        sizes=sizes,
        macs=macs,
        units=sum(sizes[1:]),
        layers=len(sizes) - 1,
        n_fit=n_fit,
        n_val=n_val,
        n_test=d.n_test,
        steps=math.ceil(n_fit / max(cfg.optim.batch_size, 1)),
        dtype_factor=2.0 if cfg.dtype == "float64" else 1.0,
    )


def _classes(cfg: TrainConfig) -> int:
    name = cfg.data.name
    if name == "digits":
        return 10
    return cfg.data.n_classes if name == "classification" else 2


def _optimizer(cfg: TrainConfig) -> str:
    o = cfg.optim
    return "momentum" if o.name == "sgd" and o.momentum > 0 else o.name


def step_units(cfg: TrainConfig, s: Shape) -> float:
    """One optimizer step's dispatch cost in reference microseconds (the engines' per-step
    tensor ops, measured; arithmetic is counted apart)."""
    engine = pick_engine(cfg)
    reg, m = cfg.reg, cfg.model
    if engine is not AUTOGRAD and engine is not MLP:  # the linear fast path
        fused = _optimizer(cfg) == "sgd" and (reg.l1_solver == "proximal" or not _l1(cfg))
        if fused:
            return (26.0 if s.out > 1 else 8.0) + (3.0 if _l1(cfg) else 0.0)
        return 71.0 + 2 * OPT_TENSOR[_optimizer(cfg)]
    if engine is MLP:
        plain = _optimizer(cfg) == "sgd" and not _l1(cfg)
        return 15.0 + (11.5 if plain else 27.0) * s.layers
    modules = s.layers - 1  # hidden layers, each with its activation
    drop = modules if m.dropout > 0 else 0
    norm = modules if m.norm != "none" else 0
    tensors = 2 * s.layers + 2 * norm
    conv = 4.0 if m.kind == "cnn" else 1.0  # conv, pooling and flatten modules
    return (
        conv * (130.0 + 52.0 * s.layers)
        + OPT_TENSOR[_optimizer(cfg)] * tensors
        + (63.0 * drop + 68.0 * norm)
    )


def _l1(cfg: TrainConfig) -> bool:
    return cfg.reg.kind in ("l1", "elastic_net") and cfg.reg.lam > 0


def run_terms(cfg: TrainConfig, n_fit: int | None = None, n_val: int = 0) -> dict[str, float]:
    """The counts each :class:`Calibration` constant multiplies for one single run of
    ``cfg`` (``n_fit``/``n_val``: rows fitted and held out when a caller carves them)."""
    s = shape(cfg, n_fit, n_val)
    E = cfg.optim.epochs
    engine = pick_engine(cfg)
    name = "autograd" if engine is AUTOGRAD else ("mlp" if engine is MLP else "linear")
    n_eval = s.n_fit + s.n_val + s.n_test
    n_weights = _weights(s)
    kept = min(E + 1, SNAPSHOTS) * sum(
        min(a * b, SNAPSHOT_SAMPLE) for a, b in zip(s.sizes, s.sizes[1:], strict=False)
    )
    rows = 3.0 * s.n_fit + n_eval  # a trained row costs forward and backward
    terms = {
        "run": 1.0,
        "rows": float(cfg.data.n_train + cfg.data.n_test) * s.width,
        "value": float(n_weights + kept + 12 * E),
        f"{name}_step": E * s.steps * step_units(cfg, s),
        f"{name}_epoch": float(E),
        "mac": E * s.macs * rows * s.dtype_factor,
        "act": E * s.units * rows,
        "elem": E * s.width * float(s.n_fit + n_eval),
        "row": float(E * n_eval),
    }
    if name != "linear":
        terms[f"{name}_epoch_layer"] = float(E * s.layers)
    return terms


def _weights(s: Shape) -> int:
    return sum(a * b for a, b in zip(s.sizes, s.sizes[1:], strict=False))


def data_terms(cfg: TrainConfig, sets: int = 1) -> dict[str, float]:
    """The counts of drawing ``sets`` data sets of ``cfg`` (or reading its bundled file)."""
    d = cfg.data
    s = shape(cfg, 0)
    available = CATALOG[d.name].n_available
    if available is not None:
        return {"bundled": float(sets * available * s.width)}
    return {"data": float(sets * (d.n_train + d.n_test) * s.width)}


def batched_terms(cfg: TrainConfig, models: int, repeats: int, n_fit: int, n_val: int) -> dict:
    """The counts for one batched computation of ``models`` (R·K) models of ``cfg``
    over ``repeats`` data sets, each fitting ``n_fit`` rows (``n_val`` evaluated more)."""
    s = shape(cfg, n_fit, n_val)
    E = cfg.optim.epochs
    n_eval = n_fit + n_val + s.n_test
    subspace = _subspace(cfg, s)
    p_train = n_fit + 3 if subspace else s.macs
    p_eval = n_fit + 3 if subspace else s.macs
    return {
        "batched_run": 1.0,
        "rows": float(repeats * (cfg.data.n_train + cfg.data.n_test) * s.width),
        **data_terms(cfg, repeats),
        "batched_epoch": float(E),
        "batched_order": float(E * repeats),
        "batched_step": float(E * s.steps * batched_step_units(cfg, s)),
        "batched_epoch_layer": 0.0 if cfg.model.kind == "linear" else float(E * s.layers),
        "batched_model_epoch": float(E * models),
        "batched_weight": float(E * models * _weights(s)),
        "batched_mac": E * models * (3.0 * n_fit * p_train + n_eval * p_eval) * s.dtype_factor,
        "batched_act": 0.0 if subspace else E * models * s.units * (3.0 * n_fit + n_eval),
        "elem": float(E * repeats * n_fit * s.width),
    }


def batched_step_units(cfg: TrainConfig, s: Shape) -> float:
    """One batched step's tensor ops in units of ``batched_step`` (a fused linear step: 1)."""
    fused = _optimizer(cfg) == "sgd" and cfg.reg.kind not in ("l1", "elastic_net")
    if cfg.model.kind == "linear":
        softmax = 1.5 if s.out > 1 else 0.0
        return softmax + (1.0 if fused else 6.0 + (4.0 if _optimizer(cfg) != "sgd" else 0.0))
    return 3.0 + (15.0 if fused else 20.0) * s.layers


def _subspace(cfg: TrainConfig, s: Shape) -> bool:
    """regcore.batched.subspace applies: linear regression, plain SGD, no L1 share,
    n + 1 < (d + 1) / 2."""
    return (
        cfg.model.kind == "linear"
        and s.out == 1
        and _optimizer(cfg) == "sgd"
        and cfg.reg.kind not in ("l1", "elastic_net")
        and s.n_fit + 1 < (s.width + 1) // 2
    )


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
