"""Single-run fast path for linear models: the gradient written out, no autograd graph.

A linear (softmax) model out = X·Wᵀ + b has the data gradient in closed form, so one
step of a single run is a handful of tensor ops instead of a forward graph, a
backward pass and ``torch.optim``'s bookkeeping. With ``nn.MSELoss()`` on (B, 1)
outputs, dL/dout = (2/B)·(out − y); with mean cross-entropy, (softmax(out) − onehot)/B;
then ∇W = dzᵀX and ∇b = Σ dz (what autograd computes). The regularizer enters through
the run's StepFactors, as in the generic loop (``regcore.engine.autograd.regularized_step``),
and plain SGD folds the L2 share or the decay into one factor, w ← fold·w − lr·∇data, then
applies the maps after the step (soft-threshold, a constraint's projection). Batch order,
initial weights, evaluation and every event are those of the generic loop, so a run gives
the same numbers (to round-off) and the same stream.

Everything runs on detached views of the model's parameters (no grad-mode switches), the
per-run buffers are made once, in :func:`prepare`, and an epoch's measure is about fifteen
tensor ops. Measured (``python benchmarks/bench_sweep.py``, load average ≈ 9 on 2 cores):
one run of the Playground default takes 0.10× (min) / 0.12× (median) the textbook loop's
time, where the generic autograd loop takes 0.75× / 0.91×.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from regcore.core import TrainConfig, fuses, omega
from regcore.engine import autograd as autograd_engine
from regcore.engine.metrics import NEAR_ZERO
from regcore.engine.setup import Engine, RunSetup


def applies(cfg: TrainConfig) -> bool:
    """Whether :func:`linear_epoch` can train ``cfg``: linear models (they have no dropout
    or normalization layers), any optimizer and regularizer."""
    return cfg.model.kind == "linear"


def prepare(s: RunSetup) -> None:
    """Once per run: detached views of the one ``nn.Linear``'s weight and bias, whether
    plain SGD fuses the step (else the autograd engine's optimizer), the stacked splits
    for :func:`measure` and, for a fused regression, its augmented rows."""
    layer = s.model[0]
    fusable = fuses(s.cfg.reg, s.cfg.optim)  # plain SGD: the penalty folds into one factor
    s.scratch.update(
        params=(layer.weight, layer.bias),
        W=layer.weight.detach(),
        b=layer.bias.detach(),
        penalized=[p.detach() for p in s.penalized],
        fusable=fusable,
    )
    if not fusable:
        autograd_engine.prepare(s)
    _stack_splits(s)
    if fusable and not s.classify:
        _augment_rows(s)


def linear_epoch(s: RunSetup) -> bool:
    """One epoch of a linear model with written-out gradients.

    Args:
        s: the run's setup (model ``nn.Sequential(nn.Linear)``, splits, generators) after
            :func:`prepare`; the generic loop's step from gradients in ``.grad`` (penalty
            kernel, decay, ``torch.optim``, proximal map) updates it unless plain SGD fuses.

    Returns:
        False if a minibatch loss went non-finite (the run then restores its last
        finite weights, as with the generic loop), else True.
    """
    cfg, sc = s.cfg, s.scratch
    order = torch.randperm(s.fit.X.shape[0], generator=s.batch_gen).to(s.device)
    if sc["fusable"] and not s.classify:
        return _regression_sgd_epoch(s, order)
    W, b = sc["W"], sc["b"]
    X, y = s.fit.X[order], s.fit.y[order]
    if s.classify:
        y = F.one_hot(y, W.shape[0]).to(X.dtype)
    batches = zip(X.split(cfg.optim.batch_size), y.split(cfg.optim.batch_size), strict=True)
    if not sc["fusable"]:
        Wp, bp = sc["params"]
        for xb, yb in batches:
            dz = _residual(s.classify, W, b, xb, yb)
            if dz is None:
                return False
            Wp.grad, bp.grad = torch.mm(dz.t(), xb), dz.sum(0)
            autograd_engine.regularized_step(s)
        Wp.grad = bp.grad = None
        return True
    lr, f = cfg.optim.lr, s.step
    fold_b = f.fold if cfg.reg.penalize_bias else None
    for xb, yb in batches:
        dz = _residual(s.classify, W, b, xb, yb)
        if dz is None:
            return False
        # p ← fold·p − lr·∇data, the gradient's matmul accumulated straight into W
        if f.fold is not None:
            W.mul_(f.fold)
        W.addmm_(dz.t(), xb, alpha=-lr)
        if fold_b is not None:
            b.mul_(fold_b)
        b.add_(dz.sum(0), alpha=-lr)
        if f.after:
            for p in sc["penalized"]:
                f.after_step_(p)
    return True


def _augment_rows(s: RunSetup) -> None:
    """The buffers of :func:`_regression_sgd_epoch`, made once: every training row as
    [x, 1, −y], the column [w; b; 1] with views of its parts, the per-row shrink factors
    and the residual of every row of an epoch (padded to whole batches with zeros)."""
    X, y, W = s.fit.X, s.fit.y, s.scratch["W"]
    d, bs = W.shape[1], s.cfg.optim.batch_size
    fold = s.step.fold
    folds = torch.full((d + 1, 1), 1.0 if fold is None else fold, dtype=X.dtype)
    if not s.cfg.reg.penalize_bias:
        folds[d] = 1.0
    Pbuf = torch.ones(d + 2, 1, dtype=X.dtype, device=X.device)
    P = Pbuf[: d + 1]
    s.scratch.update(
        rows=torch.cat([X, torch.ones_like(X[:, :1]), -y[:, None]], 1),
        Pbuf=Pbuf,
        P=P,
        Pw=P[:d],
        Pb=P[d],
        Wt=W.t(),
        shrunk=P if s.cfg.reg.penalize_bias else P[:d],
        unit_rows=P[:d].t(),  # the weights as the one unit's row (1, d)
        folds=folds.to(X.device) if fold is not None else None,
        residuals=X.new_zeros(math.ceil(X.shape[0] / bs), bs),
    )


def _regression_sgd_epoch(s: RunSetup, order: torch.Tensor) -> bool:
    """Plain SGD on a linear regression in three tensor ops a step.

    The parameters live in one column P = [w; b] with a row of 1 below it, and every
    training row is [x, 1, −y], so ``row @ [P; 1]`` is the residual and one ``addmm_``
    the data step: P ← fold·P − lr·(2/B)·[x, 1]ᵀr (fold: the L2 share or the decay,
    on the bias only when it is penalized), then the maps after the step. The residuals
    are kept and each batch's rᵀr checked once after the epoch: a non-finite residual
    leaves non-finite weights for the rest of the epoch, and the run then restores its
    last finite weights, as it would have at the first bad batch.
    """
    sc = s.scratch
    Pbuf, P, folds, shrunk, res = sc["Pbuf"], sc["P"], sc["folds"], sc["shrunk"], sc["residuals"]
    sc["Pw"].copy_(sc["Wt"])
    sc["Pb"].copy_(sc["b"])
    lr, f, bs, n = s.cfg.optim.lr, s.step, s.cfg.optim.batch_size, order.shape[0]
    after, unit_rows = f.after, sc["unit_rows"]
    rows = sc["rows"][order]
    rows_t = rows[:, : P.shape[0]].t()
    r_all = res.view(-1, 1)
    for start in range(0, n, bs):
        stop = min(start + bs, n)
        r = torch.mm(rows[start:stop], Pbuf, out=r_all[start:stop])
        if folds is not None:
            P.mul_(folds)
        P.addmm_(rows_t[:, start:stop], r, alpha=-2.0 * lr / (stop - start))
        if after:
            f.after_step_(shrunk, unit_rows)
    if not bool(torch.isfinite(res.square().sum(1)).all()):
        return False
    sc["Wt"].copy_(sc["Pw"])
    sc["b"].copy_(sc["Pb"])
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


def measure(s: RunSetup) -> dict[str, Any]:
    """What the generic loop's measure gives (regcore.engine.autograd), with one matmul
    for the outputs of every split and one for their means.

    Losses and accuracies are means over each split taken as float64 dot products with
    1/n weights (the generic loop averages in the run's dtype: equal to round-off). The
    weight statistics are regcore.engine.metrics.weight_stats' float64 values, the two counts
    taken in one pass: ``bucketize`` puts |w| = 0 in bin 0, 0 < |w| < NEAR_ZERO in bin 1.
    """
    sc = s.scratch
    W, X, y, avg = sc["W"], sc["X"], sc["y"], sc["avg"]
    out = F.linear(X, W, sc["b"])
    if s.classify:
        per = F.cross_entropy(out, y, reduction="none")
        hit = (out.argmax(1) == y).double()
        means = torch.cat([avg @ per.double(), avg[:2] @ hit])
    else:
        means = avg @ (out[:, 0] - y).square().double()
    m = dict.fromkeys(("val_loss", "train_acc", "test_acc"))
    m.update(zip(sc["names"], means.tolist(), strict=True))
    w = W.reshape(-1).double()
    a = w.abs()
    zeros, near, _ = torch.bucketize(a, sc["bins"], right=True).bincount(minlength=3).tolist()
    n = max(w.numel(), 1)
    m.update(
        weight_l2=torch.linalg.vector_norm(w).item(),
        weight_l1=a.sum().item(),
        zero_fraction=zeros / n,
        near_zero_fraction=(zeros + near) / n,
        penalty=(s.cfg.reg.lam * omega(s.cfg.reg, sc["penalized"])).item(),
        n_weights=w.numel(),
    )
    return m


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
    names += ["train_acc", "test_acc"] if s.classify else []
    tiny = math.ulp(0.0)  # the smallest positive float64: |w| < tiny means |w| = 0
    s.scratch.update(
        X=torch.cat([sp.X for sp in splits]),
        y=torch.cat([sp.y for sp in splits]),
        avg=avg,
        names=names,
        bins=torch.tensor([tiny, NEAR_ZERO], dtype=torch.float64, device=s.device),
    )


LINEAR = Engine("linear", prepare, linear_epoch, measure)
