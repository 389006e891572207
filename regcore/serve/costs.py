"""What a run's time scales with: the counts each estimate constant multiplies, per engine.

A single run (read off the engines, regcore.engine):

    run   = setup + epochs · (epoch + steps_per_epoch · step) + arithmetic
    setup = run + rows · width (casts, copies) + values (the floats the result keeps:
            weights, snapshots, history); drawing the data set once per job besides
    epoch = the engine's bookkeeping and measure, per epoch and per weight layer
    step  = the engine's dispatch cost of one optimizer step (:func:`step_units`): a few
            fused tensor ops on the linear fast path, a few per layer on the MLP fast
            path, a graph, a backward pass and torch.optim's per-tensor work on autograd
    arithmetic = epochs · ((mac · P + act · units) · (3·n_fit + n_eval)
                 + elem · width · (n_fit + n_eval) + row · n_eval)

P is the multiply-adds of one sample's forward pass and ``units`` its activations (a
trained row costs about three forward passes); ``n_eval`` the rows of every split
evaluated after each epoch (training, validation, test): on a big test split the
evaluation, not the training, dominates. For a narrow network the activations, not the
multiply-adds, are the arithmetic.

A batched sweep (regcore.batched, M = R repeats × K strengths) shares its steps:

    sweep = setup + R · data + epochs · (epoch_b + layers · epoch_layer_b + R · order_b
            + steps · step_b + M · (model_epoch_b + weights · weight_b))
            + epochs · M · ((mac_b · P + act_b · units) · (3 · n_fit + n_eval) + row_b · n_eval)

where a linear regression trained in the span of its rows (regcore.batched.subspace) has
P = n_fit + 3 instead of d + 1: its cost follows the training rows, not the features;
``row_b`` is a classifier's per-model log-softmax over each evaluated row.

Each function returns ``{constant: count}``; regcore.serve.estimate.seconds_of turns
counts into seconds on a machine's constants (its ``Calibration``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from regcore.core import CATALOG, TrainConfig
from regcore.engine import AUTOGRAD, MLP, pick_engine

OPT_TENSOR = {"sgd": 3.0, "momentum": 10.0, "adam": 37.0, "adamw": 40.0}  # µs per tensor
SNAPSHOTS, SNAPSHOT_SAMPLE = 51, 4_000  # regcore.engine.snapshots: kept epochs, weights


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


OPT_WEIGHT = {"sgd": 1.0, "momentum": 3.0, "adam": 10.0, "adamw": 11.0}  # passes per step


def weight_passes(cfg: TrainConfig) -> float:
    """Elementwise passes over every weight in one step, besides the products: the
    optimizer's update, the penalty's gradient, a decay, a soft-threshold (the MLP fast
    path folds plain SGD and L2 into its products: none)."""
    engine, reg, opt = pick_engine(cfg), cfg.reg, _optimizer(cfg)
    prox = 3.0 if _l1(cfg) and reg.l1_solver == "proximal" else 0.0
    sub = 3.0 if _l1(cfg) and reg.l1_solver != "proximal" else 0.0
    l2 = 2.0 if reg.kind in ("l2", "elastic_net") and reg.lam > 0 else 0.0
    if engine is MLP:
        return prox + sub + (6.0 if opt != "sgd" else 0.0)
    fused = engine is not AUTOGRAD and opt == "sgd" and not sub
    if fused:  # the linear fast path folds the L2 share into one factor
        return 1.0 + prox
    return 1.0 + OPT_WEIGHT[opt] + l2 + sub + prox


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
        "weight_pass": E * s.steps * float(n_weights) * weight_passes(cfg),
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
        "batched_row": float(E * models * n_eval) if s.out > 1 else 0.0,
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
