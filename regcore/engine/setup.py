"""What one single run trains on, and the interface of the engines that train it.

:func:`make_setup` turns a config into a :class:`RunSetup`: the splits cast to the run's
dtype and device (the early-stopping hold-out taken from the training rows), the model
with its initial weights, the penalized parameters, the batch-order generator and the
regularizer's per-step factors from the shared kernel (regcore.core.regularizers). An
:class:`Engine` (chosen by ``regcore.engine.loop.pick_engine``) then trains and measures it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import torch
from torch import nn

from regcore.core import (
    StepFactors,
    TrainConfig,
    preconditions,
    resolve_device,
    sgd_momentum,
    step_factors,
)
from regcore.data import Dataset, Stream, make_dataset, make_generator
from regcore.data import split_val as _holdout  # the one carving (regcore.data.splits)
from regcore.engine.models import build_model, penalized_parameters, weight_layers


@dataclass
class Split:
    """One split's inputs (n, …) and targets (n,) on the run's device."""

    X: torch.Tensor
    y: torch.Tensor


@dataclass(frozen=True)
class Engine:
    """How a single run trains and measures; the loop (regcore.train) calls these hooks.

    Engines: the generic autograd one (regcore.engine.autograd), the linear fast path
    (regcore.engine.linear) and the plain-MLP fast path (regcore.engine.mlp).
    """

    name: str  # "autograd", "linear" or "mlp"
    prepare: Callable[[RunSetup], None]  # once, before the first epoch: optimizer, buffers
    train_epoch: Callable[[RunSetup], bool]  # one pass; False if a loss went non-finite
    measure: Callable[[RunSetup], dict[str, Any]]  # the metrics of the current weights


@dataclass
class RunSetup:
    """Everything one run trains on; an engine keeps its own state in ``optimizer`` and
    ``scratch``."""

    cfg: TrainConfig
    data: Dataset
    fit: Split  # the rows trained on (the training split less any hold-out)
    val: Split | None  # the early-stopping hold-out, if any
    test: Split
    model: nn.Module
    layers: list[tuple[str, nn.Module]]  # the weight layers (regcore.engine.models.weight_layers)
    penalized: list[nn.Parameter]
    batch_gen: torch.Generator
    device: torch.device
    classify: bool
    step: StepFactors  # the regularizer's factors per step (AdamW's decay is its own)
    engine: Engine
    optimizer: torch.optim.Optimizer | None = None  # set by engines that use torch.optim
    scratch: dict[str, Any] = field(default_factory=dict)  # an engine's buffers for this run


def _to(t: torch.Tensor, device: torch.device, dtype: torch.dtype, keep_int: bool):
    if keep_int and not t.is_floating_point():
        return t.to(device)
    return t.to(device=device, dtype=dtype)


def make_setup(cfg: TrainConfig, engine: Engine, data: Dataset | None = None) -> RunSetup:
    """The run's splits, model and constants, then ``engine.prepare`` on them.

    Args:
        cfg: a validated config. engine: how the run trains (``pick_engine(cfg)``).
        data: a prepared data set instead of ``make_dataset(cfg)``.
    """
    device = resolve_device(cfg.device)
    dtype = torch.float64 if cfg.dtype == "float64" else torch.float32
    ds = data if data is not None else make_dataset(cfg)
    classify = ds.task == "classification"

    def split(X: torch.Tensor, y: torch.Tensor) -> Split:
        return Split(_to(X, device, dtype, False), _to(y, device, dtype, classify))

    Xtr, ytr, val = ds.X_train, ds.y_train, None
    if cfg.optim.early_stopping_patience is not None:
        n_val, order = _holdout(cfg, ds)
        val = split(Xtr[order[:n_val]], ytr[order[:n_val]])
        Xtr, ytr = Xtr[order[n_val:]], ytr[order[n_val:]]
    model = build_model(
        cfg,
        ds.n_features,
        ds.out_dim,
        init=make_generator(cfg.seed, Stream.INIT),
        dropout=make_generator(cfg.seed, Stream.DROPOUT),
        image_shape=ds.image_shape,
        regression=not classify,
    ).to(device=device, dtype=dtype)
    o = cfg.optim
    step = step_factors(
        cfg.reg, o.lr, cfg.reg.lam, momentum=sgd_momentum(o), adaptive=preconditions(o)
    )
    if cfg.optim.name == "adamw":  # torch's AdamW decays by itself (autograd.make_optimizer)
        step = replace(step, decay=None)
    s = RunSetup(
        cfg=cfg,
        data=ds,
        fit=split(Xtr, ytr),
        val=val,
        test=split(ds.X_test, ds.y_test),
        model=model,
        layers=weight_layers(model),
        penalized=penalized_parameters(model, cfg.reg.penalize_bias),
        batch_gen=make_generator(cfg.seed, Stream.BATCH),
        device=device,
        classify=classify,
        step=step,
        engine=engine,
    )
    engine.prepare(s)
    return s
