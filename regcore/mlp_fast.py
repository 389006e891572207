"""The single-run fast path for plain MLPs: a written-out step on preallocated buffers.

``regcore.train`` uses it for ``model.kind = "mlp"`` with no dropout, no normalization
and ``optim.name = "sgd"`` (any momentum, every regularizer); dropout/norm MLPs, CNNs,
linear models and Adam/AdamW stay on the generic autograd loop. It trains the weights of
the ``nn.Linear`` layers of the model ``build_model`` made, *in place*, so snapshots,
early-stopping states, divergence restores and the result's weights work unchanged.

The objective and the update are regcore.train's (the numbers agree to rounding; the
tests compare the metric streams in float64): per minibatch of m samples,

    δ_L = (softmax(z_L) − onehot(y)) / m   (mean cross-entropy)  or  2·(z_L − y) / m  (MSE)
    δ_{i−1} = (δ_i·W_i) ⊙ act′(a_{i−1})                           (before W_i is updated)
    W_i ← (1 − lr·λ₂)·W_i − lr·δ_iᵀ·a_{i−1} − lr·λ₁·sign(W_i)     (one GEMM with β = 1 − lr·λ₂)

where λ₂ is the share of λ·½‖w‖² in the gradient (``l2``; ``elastic_net``'s (1 − α)·λ;
decoupled ``weight_decay``, which with plain SGD is the same update) and λ₁ the
subgradient L1 share; the proximal L1 solver soft-thresholds after the update,
w ← w − clamp(w, −t, t) = sign(w)·max(|w| − t, 0). With momentum the gradient goes
through ``torch.optim.SGD``'s buffer (b ← μ·b + g, w ← w − lr·b) and decoupled decay
multiplies w by 1 − lr·λ before the step, as the generic loop does.

Why: at batch 64 autograd, ``nn.Module`` calls, the optimizer and the penalty's own pass
over the weights cost more than the three matrix products of a 784 → 200 → 10 step
(``benchmarks/bench_mlp.py``). Divergence shows up in the epoch's evaluation (a
non-finite step leaves non-finite weights), so it is reported at the same epoch as the
generic loop reports it, without a per-step check.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from regcore.config import TrainConfig
from regcore.models import weight_layers
from regcore.regularizers import (
    l1_share,
    l1_threshold,
    l2_share,
    proximal,
    sgd_shrink,
    shrink_factor,
    soft_threshold_,
)

EVAL_ROWS = 4096  # rows per chunk of the per-epoch evaluation


def can_fast(cfg: TrainConfig) -> bool:
    """Whether ``cfg`` trains on :class:`FastMLP` (a plain MLP with SGD)."""
    m = cfg.model
    return m.kind == "mlp" and m.dropout == 0.0 and m.norm == "none" and cfg.optim.name == "sgd"


def _coefficients(cfg: TrainConfig) -> tuple[float, float, bool]:
    """(λ₂ in the gradient, λ₁ subgradient share, whether λ₂ is decoupled decay), from the
    shared kernel's table (regcore.regularizers)."""
    r, lam = cfg.reg, cfg.reg.lam
    decoupled = shrink_factor(r, cfg.optim.lr, lam) is not None
    l1_sub = 0.0 if proximal(r) else lam * l1_share(r)
    return (lam if decoupled else lam * l2_share(r)), l1_sub, decoupled


class FastMLP:
    """Trains the ``nn.Linear`` layers of a plain MLP in place, without autograd.

    Args:
        cfg: the run configuration (``can_fast(cfg)`` must hold).
        model: the ``nn.Sequential`` of ``build_model`` (its layers are trained in place).
        classify: mean cross-entropy on logits (True) or MSE on (n, 1) outputs.
    """

    def __init__(self, cfg: TrainConfig, model: nn.Module, classify: bool) -> None:
        layers = [layer for _, layer in weight_layers(model)]
        self.W = [layer.weight.detach() for layer in layers]
        self.b = [layer.bias.detach() for layer in layers]
        self.act = cfg.model.activation
        self.classify = classify
        self.lr, self.momentum = cfg.optim.lr, cfg.optim.momentum
        self.l2, self.l1_sub, self.decoupled = _coefficients(cfg)
        self.threshold = l1_threshold(cfg.reg, cfg.optim.lr, cfg.reg.lam)
        self.beta = sgd_shrink(cfg.reg, cfg.optim.lr, cfg.reg.lam) or 1.0  # 1 − lr·λ₂
        self.penalize_bias = cfg.reg.penalize_bias
        bs, W0 = cfg.optim.batch_size, self.W[0]
        self.xb = W0.new_empty(bs, W0.shape[1])
        self.a = [W0.new_empty(bs, w.shape[0]) for w in self.W]
        self.delta = [W0.new_empty(bs, w.shape[0]) for w in self.W[:-1]]
        self.minus_one = W0.new_full((bs, 1), -1.0)
        self.ones = W0.new_ones(bs)  # bias gradients as δᵀ·1: a GEMV, not a slow sum(0)
        params = [*self.W, *self.b] if self.penalize_bias else self.W
        self.signs = {id(p): torch.empty_like(p) for p in params} if self.l1_sub else {}
        self.velocity: dict[int, torch.Tensor] = {}

    def parameters(self) -> list[torch.Tensor]:
        """The trained tensors (views of the model's parameters): weights, then biases."""
        return [*self.W, *self.b]

    def _activate_(self, z: torch.Tensor) -> torch.Tensor:
        if self.act == "sigmoid":
            return z.sigmoid_()
        if self.act == "tanh":
            return z.tanh_()
        return z.relu_()

    def _act_grad_(self, delta: torch.Tensor, a: torch.Tensor) -> None:
        """delta ← delta ⊙ act′, written with the activation's output a."""
        if self.act == "sigmoid":
            delta.mul_(a).sub_(delta * a)  # δ·a·(1 − a)
        elif self.act == "tanh":
            delta.sub_(delta * a * a)  # δ·(1 − a²)
        else:
            delta.mul_(a > 0)

    def forward(self, X: torch.Tensor, outs: list[torch.Tensor]) -> torch.Tensor:
        """Outputs (n, out) of the rows X, writing every layer into ``outs`` (n rows each)."""
        h = X
        last = len(self.W) - 1
        for i, (W, b, out) in enumerate(zip(self.W, self.b, outs, strict=True)):
            h = torch.addmm(b, h, W.t(), out=out)
            if i < last:
                self._activate_(h)
        return h

    def _output_delta(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        m = out.shape[0]
        if self.classify:
            delta = torch.softmax(out, dim=1)
            delta.scatter_add_(1, y[:, None], self.minus_one[:m])
            return delta.mul_(1.0 / m)
        return (out - y[:, None]).mul_(2.0 / m)

    def step(self, X: torch.Tensor, y: torch.Tensor, idx: torch.Tensor) -> None:
        """One SGD step on the rows ``idx`` of (X, y)."""
        m = idx.shape[0]
        xb = torch.index_select(X, 0, idx, out=self.xb[:m])
        a = [t[:m] for t in self.a]
        delta = self._output_delta(self.forward(xb, a), y[idx])
        for i in range(len(self.W) - 1, -1, -1):
            inp = a[i - 1] if i > 0 else xb
            if i > 0:
                below = torch.mm(delta, self.W[i], out=self.delta[i - 1][:m])
                self._act_grad_(below, inp)
            self._update(self.W[i], delta.t(), inp)
            self._update(self.b[i], delta.t(), self.ones[:m], bias=True)
            if i > 0:
                delta = below

    def _update(self, p: torch.Tensor, g1: torch.Tensor, g2: torch.Tensor, bias: bool = False):
        """p ← p − lr·(gradient + penalty), the gradient being the product g1·g2."""
        penalized = self.penalize_bias or not bias
        l2 = self.l2 if penalized else 0.0
        l1 = self.l1_sub if penalized else 0.0
        sign = torch.sign(p, out=self.signs[id(p)]) if l1 else None
        if self.momentum == 0.0:
            fused = p.addmv_ if bias else p.addmm_
            fused(g1, g2, beta=self.beta if penalized else 1.0, alpha=-self.lr)
            if sign is not None:
                p.add_(sign, alpha=-self.lr * l1)
        else:
            g = g1 @ g2
            if sign is not None:
                g.add_(sign, alpha=l1)
            self._momentum_update(p, g, l2)
        if penalized:
            soft_threshold_(p, self.threshold)

    def _momentum_update(self, p: torch.Tensor, g: torch.Tensor, l2: float) -> None:
        """torch.optim.SGD's momentum: v ← μ·v + g (v = g at first), p ← p − lr·v."""
        if self.decoupled:
            p.mul_(1.0 - self.lr * l2)
        elif l2:
            g.add_(p, alpha=l2)
        v = self.velocity.get(id(p))
        if v is None:
            self.velocity[id(p)] = v = g.clone()
        else:
            v.mul_(self.momentum).add_(g)
        p.add_(v, alpha=-self.lr)

    def epoch(self, X: torch.Tensor, y: torch.Tensor, order: torch.Tensor, stop: int) -> None:
        """Steps over ``order[:stop]`` in minibatches of the configured size."""
        bs = self.xb.shape[0]
        with torch.no_grad():
            for start in range(0, stop, bs):
                self.step(X, y, order[start : start + bs])

    @torch.no_grad()
    def evaluate(self, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float | None]:
        """(mean data loss, accuracy or None) over all rows, in chunks of ``EVAL_ROWS``."""
        rows = min(EVAL_ROWS, X.shape[0])
        bufs = [self.W[0].new_empty(rows, w.shape[0]) for w in self.W]
        loss = X.new_zeros((), dtype=torch.float64)
        hits = torch.zeros((), dtype=torch.int64, device=X.device)
        for Xc, yc in zip(X.split(rows), y.split(rows), strict=True):
            out = self.forward(Xc, [t[: Xc.shape[0]] for t in bufs])
            if self.classify:
                loss += F.cross_entropy(out, yc, reduction="sum").double()
                hits += (out.argmax(1) == yc).sum()
            else:
                loss += (out[:, 0] - yc).pow(2).sum().double()
        n = X.shape[0]
        return float(loss) / n, (int(hits) / n if self.classify else None)
