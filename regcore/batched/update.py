"""Regularizer and optimizer updates for R·K grouped models, as torch.optim computes them.

The optimizer updates follow torch.optim's single-tensor CPU code (torch 2.13):
SGD ``buf = μ·buf + g`` (first step ``buf = g``), ``p −= lr·buf``; Adam/AdamW
``m.lerp_(g, 1−β₁)``, ``v = β₂·v + (1−β₂)·g²``, ``p −= lr/(1−β₁ᵗ) · m /
(√v/√(1−β₂ᵗ) + ε)``; decoupled decay (and AdamW's) first ``p ·= 1 − lr·λ``;
proximal L1 last, ``p −= clamp(p, −t, t)`` with t = lr·λ·α, which rounds exactly
like ``sign(p)·max(|p| − t, 0)``. Plain SGD on a linear model fuses the penalty
into the update: ``p ← (1 − lr·λ)·p − lr·∇data``. Sources: Kingma & Ba (2015);
Loshchilov & Hutter (2019); Beck & Teboulle (2009).
"""

from __future__ import annotations

import torch

from regcore.batched.base import BatchedNet
from regcore.config import TrainConfig
from regcore.regularizers import (
    l1_share,
    l1_threshold,
    penalty_grad,
    proximal,
    sgd_shrink,
    shrink_factor,
)

BETAS, EPS = (0.9, 0.999), 1e-8  # torch.optim.Adam / AdamW defaults


class Rule:
    """Regularizer + optimizer for every parameter; λ tensors broadcast over the models."""

    def __init__(self, cfg: TrainConfig, lams: list[torch.Tensor | None]):
        r, o = cfg.reg, cfg.optim
        self.o, self.lr, self.t, self.state = o, o.lr, 0, {}
        self.reg, self.lams = r, lams
        a = 0.0 if proximal(r) else l1_share(r)  # the L1 share solved in the gradient

        def each(f, on: bool = True):
            return [None if lam is None or not on else f(lam) for lam in lams]

        self.thr = each(lambda x: l1_threshold(r, o.lr, x), proximal(r))
        self.nthr = [None if t is None else -t for t in self.thr]
        self.decay = each(lambda x: shrink_factor(r, o.lr, x))
        # plain SGD without an in-loss L1 share folds the L2 share into the decay factor
        self.fused = o.name == "sgd" and o.momentum == 0.0 and not a
        if self.fused:  # (1 − lr·λ_l2)·p or (1 − lr·λ)·p before the data-gradient step
            self.decay = each(lambda x: sgd_shrink(r, o.lr, x))

    def update(self, net: BatchedNet, xbT, xb, tb) -> None:
        """One optimizer step of every model on one minibatch."""
        if self.fused and net.fused_sgd_step(self, xbT, xb, tb):
            return
        self.t += 1
        for i, (p, g) in enumerate(zip(net.parameters(), net.backward(xbT, xb, tb), strict=True)):
            pg = (
                None
                if self.fused or self.lams[i] is None
                else penalty_grad(self.reg, p, self.lams[i])
            )
            if pg is not None:
                g = g + pg
            if self.decay[i] is not None:
                p.mul_(self.decay[i])
            if self.o.name == "sgd":
                self._sgd(i, p, g)
            else:
                self._adam(i, p, g)
            self._prox(i, p)

    def _prox(self, i: int, p: torch.Tensor) -> None:
        if self.thr[i] is not None:
            p.sub_(torch.minimum(torch.maximum(p, self.nthr[i]), self.thr[i]))

    def _sgd(self, i: int, p, g) -> None:
        if self.o.momentum != 0.0:
            if i not in self.state:
                self.state[i] = g.clone()
            else:
                self.state[i].mul_(self.o.momentum).add_(g)
            g = self.state[i]
        p.add_(g, alpha=-self.lr)

    def _adam(self, i: int, p, g) -> None:
        b1, b2 = BETAS
        if i not in self.state:
            self.state[i] = (torch.zeros_like(p), torch.zeros_like(p))
        m, v = self.state[i]
        m.lerp_(g, 1 - b1)
        v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = (v.sqrt() / (1 - b2**self.t) ** 0.5).add_(EPS)
        p.addcdiv_(m, denom, value=-(self.lr / (1 - b1**self.t)))
