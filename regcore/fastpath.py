"""Single-run fast path for linear models: the gradient written out, no autograd graph.

A linear (softmax) model out = X·Wᵀ + b has the data gradient in closed form, so one
step of a single run is a handful of tensor ops instead of a forward graph, a
backward pass and ``torch.optim``'s bookkeeping. With ``nn.MSELoss()`` on (B, 1)
outputs, dL/dout = (2/B)·(out − y); with mean cross-entropy, (softmax(out) − onehot)/B;
then ∇W = dzᵀX and ∇b = Σ dz (what autograd computes). The regularizer enters through
the same kernel as the generic loop (``regcore.autograd_engine.regularized_step``), and plain SGD
folds the L2 share into one factor: w ← (1 − lr·λ(1−α))·w − lr·∇data (regcore.regularizers
``sgd_shrink``). Batch order, initial weights, evaluation and every event are those of the
generic loop, so a run gives the same numbers (to round-off) and the same stream.

Measured (``python benchmarks/bench_sweep.py``): one run of the Playground default takes
about a fifth of the textbook loop's time, where the generic autograd loop takes 0.9×.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F

from regcore import autograd_engine
from regcore.metrics import model_weight_stats
from regcore.penalties import omega
from regcore.regularizers import l1_share, proximal, sgd_shrink, soft_threshold_
from regcore.run_setup import Engine, RunSetup

if TYPE_CHECKING:
    from regcore.config import TrainConfig


def applies(cfg: TrainConfig) -> bool:
    """Whether :func:`linear_epoch` can train ``cfg``: linear models (they have no dropout
    or normalization layers), any optimizer and regularizer."""
    return cfg.model.kind == "linear"


def _layer(s: RunSetup) -> tuple[torch.nn.Parameter, torch.nn.Parameter]:
    """The weight and bias of the model's one ``nn.Linear`` (looked up once per run)."""
    if "layer" not in s.scratch:
        s.scratch["layer"] = (s.model[0].weight, s.model[0].bias)
    return s.scratch["layer"]


def _fusable(cfg: TrainConfig) -> bool:
    """Plain SGD with no L1 share in the gradient: the penalty folds into one factor."""
    o, reg = cfg.optim, cfg.reg
    return o.name == "sgd" and o.momentum == 0.0 and (proximal(reg) or l1_share(reg) == 0.0)


@torch.no_grad()
def linear_epoch(s: RunSetup) -> bool:
    """One epoch of a linear model with written-out gradients.

    Args:
        s: the run's setup (model ``nn.Sequential(nn.Linear)``, splits, generators); the
            generic loop's step from gradients in ``.grad`` (penalty kernel, decay,
            ``torch.optim``, proximal map) updates it unless plain SGD fuses.

    Returns:
        False if a minibatch loss went non-finite (the run then restores its last
        finite weights, as with the generic loop), else True.
    """
    cfg = s.cfg
    W, b = _layer(s)
    order = torch.randperm(s.fit.X.shape[0], generator=s.batch_gen).to(s.device)
    X, y = s.fit.X[order], s.fit.y[order]
    if s.classify:
        y = F.one_hot(y, W.shape[0]).to(X.dtype)
    batches = zip(X.split(cfg.optim.batch_size), y.split(cfg.optim.batch_size), strict=True)
    if not _fusable(cfg):
        for xb, yb in batches:
            dz = _residual(s.classify, W, b, xb, yb)
            if dz is None:
                return False
            W.grad, b.grad = torch.mm(dz.t(), xb), dz.sum(0)
            autograd_engine.regularized_step(s)
        W.grad = b.grad = None
        return True
    lr, fold = cfg.optim.lr, sgd_shrink(cfg.reg, cfg.optim.lr, cfg.reg.lam)
    fold_b = fold if cfg.reg.penalize_bias else None
    if not s.classify:
        return _regression_sgd_epoch(s, order, fold)
    for xb, yb in batches:
        dz = _residual(s.classify, W, b, xb, yb)
        if dz is None:
            return False
        # p ← fold·p − lr·∇data, the gradient's matmul accumulated straight into W
        if fold is not None:
            W.mul_(fold)
        W.addmm_(dz.t(), xb, alpha=-lr)
        if fold_b is not None:
            b.mul_(fold_b)
        b.add_(dz.sum(0), alpha=-lr)
        if s.threshold:
            for p in s.penalized:
                soft_threshold_(p, s.threshold)
    return True


def _regression_sgd_epoch(s: RunSetup, order: torch.Tensor, fold: float | None) -> bool:
    """Plain SGD on a linear regression in three tensor ops a step.

    The parameters live in one column P = [w; b] with a row of 1 below it, and every
    training row is [x, 1, −y], so ``row @ [P; 1]`` is the residual and one ``addmm_``
    the data step: P ← fold·P − lr·(2/B)·[x, 1]ᵀr (fold: the L2 share or the decay,
    on the bias only when it is penalized).
    """
    W, b = _layer(s)
    d = W.shape[1]
    if "rows" not in s.scratch:
        X, y = s.fit.X, s.fit.y
        s.scratch["rows"] = torch.cat([X, torch.ones_like(X[:, :1]), -y[:, None]], 1)
        s.scratch["Pbuf"] = torch.ones(d + 2, 1, dtype=X.dtype, device=X.device)
        s.scratch["fold"] = torch.full((d + 1, 1), 1.0 if fold is None else fold, dtype=X.dtype)
        if not s.cfg.reg.penalize_bias:
            s.scratch["fold"][d] = 1.0
        s.scratch["fold"] = s.scratch["fold"].to(X.device)
    Pbuf, folds = s.scratch["Pbuf"], s.scratch["fold"]
    P = Pbuf[: d + 1]
    P[:d].copy_(W.t())
    P[d].copy_(b)
    lr, t = s.cfg.optim.lr, s.threshold
    shrunk = P if s.cfg.reg.penalize_bias else P[:d]
    for xa in s.scratch["rows"][order].split(s.cfg.optim.batch_size):
        r = torch.mm(xa, Pbuf)
        if not math.isfinite(torch.dot(r[:, 0], r[:, 0]).item()):
            return False
        if fold is not None:
            P.mul_(folds)
        P.addmm_(xa[:, : d + 1].t(), r, alpha=-2.0 * lr / xa.shape[0])
        if t:
            soft_threshold_(shrunk, t)
    W.copy_(P[:d].t())
    b.copy_(P[d])
    return True


def _residual(classify: bool, W, b, xb, yb) -> torch.Tensor | None:
    """dL/dout (B, C) of the mean data loss on one batch; None if that loss is not finite."""
    out = F.linear(xb, W, b)
    B = xb.shape[0]
    if classify:
        logp = torch.log_softmax(out, 1)
        if not math.isfinite(torch.dot(logp.view(-1), yb.view(-1)).item()):
            return None
        return logp.exp_().sub_(yb).div_(B)
    r = out.view(-1).sub_(yb)
    if not math.isfinite(torch.dot(r, r).item()):  # B·(the batch's mean squared error)
        return None
    return r.mul_(2.0 / B)[:, None]


@torch.no_grad()
def measure(s: RunSetup) -> dict[str, Any]:
    """What the generic loop's measure gives (regcore.autograd_engine), with one matmul for the
    outputs of every split and one copy of all values to Python.

    Losses and accuracies are means over each split taken as float64 dot products with
    1/n weights (the generic loop averages in the run's dtype: equal to round-off).
    """
    W, b = _layer(s)
    if "X" not in s.scratch:
        _stack_splits(s)
    X, y, avg = s.scratch["X"], s.scratch["y"], s.scratch["avg"]
    out = F.linear(X, W, b)
    if s.classify:
        per = F.cross_entropy(out, y, reduction="none")
        hit = (out.argmax(1) == y).double()
        means = torch.cat([avg @ per.double(), avg[:2] @ hit])
    else:
        means = avg @ (out[:, 0] - y).square().double()
    stats = model_weight_stats([W.reshape(1, -1)], lead=1)
    pen = (s.cfg.reg.lam * omega(s.cfg.reg, s.penalized)).reshape(1).to(means)
    names = [*s.scratch["names"], *stats, "penalty"]
    values = torch.cat([means, *stats.values(), pen]).tolist()
    out_ = dict.fromkeys(("val_loss", "train_acc", "test_acc"))
    out_.update(zip(names, values, strict=True))
    out_["n_weights"] = W.numel()
    return out_


def _stack_splits(s: RunSetup) -> None:
    """The fit, test (and validation) rows in one tensor, and the (splits, N) float64
    matrix whose rows average over one split each."""
    splits = [s.fit, s.test] + ([s.val] if s.val is not None else [])
    sizes = [sp.X.shape[0] for sp in splits]
    avg = torch.zeros(len(splits), sum(sizes), dtype=torch.float64, device=s.device)
    start = 0
    for i, n in enumerate(sizes):
        avg[i, start : start + n] = 1.0 / n
        start += n
    names = ["train_loss", "test_loss"] + (["val_loss"] if s.val is not None else [])
    s.scratch.update(
        X=torch.cat([sp.X for sp in splits]),
        y=torch.cat([sp.y for sp in splits]),
        avg=avg,
        names=names + (["train_acc", "test_acc"] if s.classify else []),
    )


# the optimizer is the autograd engine's (used unless plain SGD fuses the step)
LINEAR = Engine("linear", autograd_engine.prepare, linear_epoch, measure)
