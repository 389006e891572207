"""The generic single-run engine: autograd through the model, ``torch.optim`` for the step.

Every model trains here unless a fast path applies (``regcore.engine.loop.pick_engine``):
models with dropout or normalization layers, CNNs, and MLPs with Adam/AdamW. The
objective and how each regularizer enters a step are stated in regcore.engine.loop; the
penalty gradient, the decoupled decay and the maps after the step (soft-threshold,
a constraint's projection) are the run's ``StepFactors`` from the shared kernel
(regcore.core.regularizers), which every other engine reads too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from regcore.core import TrainConfig, adam_denoms, omega, spec
from regcore.data import Dataset
from regcore.engine.metrics import accuracy, weight_stats
from regcore.engine.setup import Engine, RunSetup, Split


def data_loss(out: torch.Tensor, y: torch.Tensor, classify: bool) -> torch.Tensor:
    """Mean squared error on (n, 1) outputs, or mean cross-entropy on logits."""
    if classify:
        return F.cross_entropy(out, y)
    return F.mse_loss(out.squeeze(1), y)


def val_metrics(model: nn.Module, val: Dataset) -> tuple[float, float | None]:
    """(validation data loss, accuracy or None) of a model in eval mode."""
    param = next(model.parameters())
    X = val.X_train.to(device=param.device, dtype=param.dtype)
    classify = val.task == "classification"
    y = val.y_train.to(param.device)
    y = y if classify else y.to(param.dtype)
    was = model.training
    model.eval()
    with torch.no_grad():
        out = model(X)
    model.train(was)
    acc = float((out.argmax(1) == y).double().mean()) if classify else None
    return float(data_loss(out, y, classify)), acc


def make_optimizer(
    cfg: TrainConfig, model: nn.Module, penalized: list[nn.Parameter]
) -> torch.optim.Optimizer:
    """``torch.optim`` SGD, Adam or AdamW over the model; AdamW decays only the penalized
    parameters, by its own ``weight_decay`` = λ when the regularizer is decoupled."""
    o = cfg.optim
    ids = {id(p) for p in penalized}
    rest = [p for p in model.parameters() if id(p) not in ids]
    decoupled = spec(cfg.reg).role == "decoupled"
    decay = cfg.reg.lam if (o.name == "adamw" and decoupled) else 0.0
    groups = [{"params": penalized, "weight_decay": decay}, {"params": rest, "weight_decay": 0.0}]
    groups = [g for g in groups if g["params"]]
    if o.name == "sgd":
        return torch.optim.SGD(groups, lr=o.lr, momentum=o.momentum)
    if o.name == "adam":
        return torch.optim.Adam(groups, lr=o.lr)
    return torch.optim.AdamW(groups, lr=o.lr)


def prepare(s: RunSetup) -> None:
    """The run's optimizer."""
    s.optimizer = make_optimizer(s.cfg, s.model, s.penalized)


def train_epoch(s: RunSetup) -> bool:
    """One pass over the training data through autograd; False if a loss went non-finite."""
    cfg, model, opt = s.cfg, s.model, s.optimizer
    n, bs = s.fit.X.shape[0], cfg.optim.batch_size
    order = torch.randperm(n, generator=s.batch_gen).to(s.device)
    model.train()
    # BatchNorm cannot normalize one sample: a last minibatch of one is skipped.
    stop = n - 1 if (cfg.model.norm == "batch" and n % bs == 1 and n > 1) else n
    for start in range(0, stop, bs):
        idx = order[start : start + bs]
        opt.zero_grad(set_to_none=True)
        loss = data_loss(model(s.fit.X[idx]), s.fit.y[idx], s.classify)
        if not torch.isfinite(loss):
            return False
        loss.backward()
        regularized_step(s)
    return True


@torch.no_grad()
def regularized_step(s: RunSetup) -> None:
    """After the data gradient is in ``.grad``: add the penalty's gradient, decay, take
    the optimizer step, then the maps after it (the run's StepFactors: soft-threshold
    every penalized entry — with Adam/AdamW at the step size Adam gave it —, the kind's
    map of every weight tensor's unit rows)."""
    f = s.step
    if f.l2 is not None or f.l1 is not None:
        for p in s.penalized:
            g = f.grad(p)
            p.grad = g if p.grad is None else p.grad.add_(g)
    if f.decay is not None:
        for p in s.penalized:
            p.mul_(f.decay)
    s.optimizer.step()
    if f.preconditioned:
        for p, d in zip(s.penalized, adam_denoms(s.optimizer, s.penalized), strict=True):
            f.after_step_(p, denom=d)
    elif f.after:
        for p in s.penalized:
            f.after_step_(p)


@torch.no_grad()
def evaluate(s: RunSetup, split: Split) -> tuple[float, float | None]:
    """(mean data loss, accuracy or None) of the model on ``split``, in eval mode."""
    s.model.eval()
    out = s.model(split.X)
    s.model.train()
    loss = float(data_loss(out, split.y, s.classify))
    acc = accuracy(out, split.y) if s.classify else None
    return loss, acc


Evaluate = Callable[[RunSetup, Split], tuple[float, float | None]]


def measure_with(s: RunSetup, evaluate: Evaluate) -> dict[str, Any]:
    """Data losses (accuracies) on every split as ``evaluate`` gives them, the penalty
    λ·Ω and the weight statistics (regcore.engine.metrics.weight_stats) of the current weights."""
    tr_loss, tr_acc = evaluate(s, s.fit)
    te_loss, te_acc = evaluate(s, s.test)
    val_loss = evaluate(s, s.val)[0] if s.val is not None else None
    with torch.no_grad():
        pen = float(s.cfg.reg.lam * omega(s.cfg.reg, s.penalized))
    return {
        "train_loss": tr_loss,
        "test_loss": te_loss,
        "val_loss": val_loss,
        "train_acc": tr_acc,
        "test_acc": te_acc,
        "penalty": pen,
        **weight_stats([layer.weight for _, layer in s.layers]),
    }


def measure(s: RunSetup) -> dict[str, Any]:
    """:func:`measure_with` the model's own forward pass in eval mode."""
    return measure_with(s, evaluate)


AUTOGRAD = Engine("autograd", prepare, train_epoch, measure)
