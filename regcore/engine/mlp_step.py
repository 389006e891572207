"""The single-run fast path for plain MLPs: a written-out step on preallocated buffers.

``regcore.train`` uses it for ``model.kind = "mlp"`` with no dropout, no normalization
and ``optim.name = "sgd"`` (any momentum, every regularizer); dropout/norm MLPs, CNNs,
linear models and Adam/AdamW stay on the generic autograd loop. It trains the weights of
the ``nn.Linear`` layers of the model ``build_model`` made, *in place*, so snapshots,
early-stopping states, divergence restores and the result's weights work unchanged.

The objective and the update are regcore.train's (the numbers agree to rounding; the
tests compare the metric streams in float64): per minibatch of m samples,

    δ_L = softmax(z_L) − onehot(y)   (mean cross-entropy, s = 1/m)  or  z_L − y  (MSE, s = 2/m)
    δ_{i−1} = (δ_i·W_i) ⊙ act′(a_{i−1})                           (before W_i is updated)
    W_i ← (1 − lr·λ₂)·W_i − lr·s·δ_iᵀ·a_{i−1} − lr·λ₁·sign(W_i)   (one GEMM with β = 1 − lr·λ₂)

where s is the loss's 1/m (or 2/m), folded into the GEMM's α instead of a pass over δ,
λ₂ is the share of λ·½‖w‖² in the gradient (``l2``; ``elastic_net``'s (1 − α)·λ;
decoupled ``weight_decay``, which with plain SGD is the same update) and λ₁ the
subgradient L1 share, all read off the run's StepFactors (regcore.core.regularizers);
after the update come the maps of the kind, as in the generic loop (the proximal L1
solver's w ← w − clamp(w, −t, t) = sign(w)·max(|w| − t, 0), a constraint's projection of
each row of W_i). With momentum the gradient goes through ``torch.optim.SGD``'s buffer
(b ← μ·b + g, w ← w − lr·b) and decoupled decay multiplies w by 1 − lr·λ before the
step, as the generic loop does.

Why: at batch 64 autograd, ``nn.Module`` calls, the optimizer and the penalty's own pass
over the weights cost more than the three matrix products of a 784 → 200 → 10 step
(``benchmarks/bench_mlp.py``). So every step runs on buffers made once per batch size
(with their transposed views), the output layer is kept transposed (classes × m: a
softmax over 10 classes down a column is several times cheaper than along a row of 10),
act′ is the fused kernel autograd itself uses (``sigmoid_backward`` & co.), and the
evaluation runs in cache-sized chunks with one host sync per split. Divergence shows up
in the epoch's evaluation (a non-finite step leaves non-finite weights), so it is
reported at the same epoch as the generic loop reports it, without a per-step check.
"""

from __future__ import annotations

import torch
from torch import nn

from regcore.core import TrainConfig, sgd_momentum, step_factors
from regcore.engine.models import weight_layers

EVAL_ROWS = 1024  # rows per chunk of the per-epoch evaluation (its activations stay in cache)

_aten = torch.ops.aten
_ACTIVATE = {"sigmoid": torch.sigmoid_, "tanh": torch.tanh_, "relu": torch.relu_}


def _act_grad(act: str):
    """delta ← delta ⊙ act′, written with the activation's output a (autograd's kernels)."""
    if act == "sigmoid":
        return lambda d, a: _aten.sigmoid_backward.grad_input(d, a, grad_input=d)
    if act == "tanh":
        return lambda d, a: _aten.tanh_backward.grad_input(d, a, grad_input=d)
    return lambda d, a: _aten.threshold_backward.grad_input(d, a, 0, grad_input=d)


def can_fast(cfg: TrainConfig) -> bool:
    """Whether ``cfg`` trains on :class:`FastMLP` (a plain MLP with SGD)."""
    m = cfg.model
    return m.kind == "mlp" and m.dropout == 0.0 and m.norm == "none" and cfg.optim.name == "sgd"


class _Buffers:
    """Everything one step on m rows writes, made once per m, with the views it needs.

    ``hidden[i]`` is hidden layer i's output (m, width), ``z`` the output layer's,
    transposed (out, m); ``inp[i]`` is layer i's input (m, fan_in).
    """

    def __init__(self, W: list[torch.Tensor], y: torch.Tensor, m: int) -> None:
        self.m = m
        self.xb = W[0].new_empty(m, W[0].shape[1])
        self.yb = y.new_empty(m)
        self.y_row = self.yb[None, :]
        self.hidden = [W[0].new_empty(m, w.shape[0]) for w in W[:-1]]
        self.z = W[0].new_empty(W[-1].shape[0], m)
        self.inp = [self.xb, *self.hidden]
        self.below = [W[0].new_empty(m, w.shape[1]) for w in W[1:]]  # δ of layers 0..L−2
        self.below_t = [t.t() for t in self.below]
        self.minus_one = W[0].new_full((1, m), -1.0)
        self.ones = W[0].new_ones(m)  # bias gradients as δᵀ·1: a GEMV, not a slow sum(0)


class _EvalBuffers:
    """The evaluation's activations for a chunk of ``rows`` rows (output transposed)."""

    def __init__(self, W: list[torch.Tensor], rows: int) -> None:
        self.hidden = [W[0].new_empty(rows, w.shape[0]) for w in W[:-1]]
        self.z = W[0].new_empty(W[-1].shape[0], rows)
        self.logits = W[0].new_empty(rows, W[-1].shape[0])


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
        self.W_t = [w.t() for w in self.W]  # views: valid through in-place updates
        self.b_col = self.b[-1][:, None]  # the transposed output layer's bias
        self.activate_ = _ACTIVATE[cfg.model.activation]
        self.act_grad_ = _act_grad(cfg.model.activation)
        self.classify = classify
        self.batch_size = cfg.optim.batch_size
        self.lr, self.momentum = cfg.optim.lr, cfg.optim.momentum
        mu = sgd_momentum(cfg.optim)
        self.reg_step = f = step_factors(cfg.reg, cfg.optim.lr, cfg.reg.lam, momentum=mu)
        self.l2, self.l1_sub = f.l2 or 0.0, f.l1 or 0.0  # λ₂ and λ₁ of the gradient
        self.beta = f.fold or 1.0  # 1 − lr·λ₂, or the decay's 1 − lr·λ
        self.penalize_bias = cfg.reg.penalize_bias
        self.beta_bias = self.beta if self.penalize_bias else 1.0
        self.plain = self.momentum == 0.0 and not self.l1_sub and not f.after
        params = [*self.W, *self.b] if self.penalize_bias else self.W
        self.signs = {id(p): torch.empty_like(p) for p in params} if self.l1_sub else {}
        self.velocity: dict[int, torch.Tensor] = {}
        self._buffers: dict[int, _Buffers] = {}
        self._eval: dict[int, _EvalBuffers] = {}

    def parameters(self) -> list[torch.Tensor]:
        """The trained tensors (views of the model's parameters): weights, then biases."""
        return [*self.W, *self.b]

    def _new_buffers(self, y: torch.Tensor, m: int) -> _Buffers:
        with torch.inference_mode(False):  # normal tensors: usable outside ``epoch`` too
            self._buffers[m] = bufs = _Buffers(self.W, y, m)
        return bufs

    def _hidden(self, h: torch.Tensor, outs: list[torch.Tensor]) -> torch.Tensor:
        """The last hidden layer's output for the rows h (the input itself without one)."""
        for W_t, b, out in zip(self.W_t, self.b, outs, strict=False):
            h = self.activate_(torch.addmm(b, h, W_t, out=out))
        return h

    def step(self, X: torch.Tensor, y: torch.Tensor, idx: torch.Tensor) -> None:
        """One SGD step on the rows ``idx`` of (X, y)."""
        m = idx.shape[0]
        B = self._buffers.get(m) or self._new_buffers(y, m)
        torch.index_select(X, 0, idx, out=B.xb)
        torch.index_select(y, 0, idx, out=B.yb)
        h = self._hidden(B.xb, B.hidden)
        W, b = self.W, self.b
        z = torch.addmm(self.b_col, W[-1], h.t(), out=B.z)  # (out, m)
        if self.classify:
            delta_t = torch.softmax(z, 0).scatter_add_(0, B.y_row, B.minus_one)
            scale = 1.0 / m
        else:
            delta_t = torch.sub(z, B.y_row, out=z)
            scale = 2.0 / m
        alpha = -self.lr * scale
        for i in range(len(W) - 1, -1, -1):  # delta_t: δᵀ of layer i, (width, m)
            if i > 0:
                below = torch.mm(delta_t.t(), W[i], out=B.below[i - 1])
                self.act_grad_(below, B.hidden[i - 1])
            if self.plain:  # the common case, written out: no momentum, no L1 share
                W[i].addmm_(delta_t, B.inp[i], beta=self.beta, alpha=alpha)
                b[i].addmv_(delta_t, B.ones, beta=self.beta_bias, alpha=alpha)
            else:
                self._update(W[i], delta_t, B.inp[i], alpha, scale)
                self._update(b[i], delta_t, B.ones, alpha, scale, bias=True)
            if i > 0:
                delta_t = B.below_t[i - 1]

    def _update(self, p, g1, g2, alpha: float, scale: float, bias: bool = False) -> None:
        """p ← p − lr·(scale·g1·g2 + penalty), then the maps after the step: g1·g2 is the
        gradient's product (a GEMV for a bias), ``alpha`` = −lr·scale."""
        penalized = self.penalize_bias or not bias
        l2 = self.l2 if penalized else 0.0
        l1 = self.l1_sub if penalized else 0.0
        sign = torch.sign(p, out=self.signs[id(p)]) if l1 else None
        if self.momentum == 0.0:
            fused = p.addmv_ if bias else p.addmm_
            fused(g1, g2, beta=self.beta if penalized else 1.0, alpha=alpha)
            if sign is not None:
                p.add_(sign, alpha=-self.lr * l1)
        else:
            g = (torch.mv(g1, g2) if bias else torch.mm(g1, g2)).mul_(scale)
            if sign is not None:
                g.add_(sign, alpha=l1)
            self._momentum_update(p, g, l2, penalized)
        if penalized:
            self.reg_step.after_step_(p)

    def _momentum_update(self, p: torch.Tensor, g: torch.Tensor, l2: float, on: bool) -> None:
        """torch.optim.SGD's momentum: v ← μ·v + g (v = g at first), p ← p − lr·v; the
        decoupled decay multiplies p before the step, as the generic loop does."""
        if self.reg_step.decay is not None:
            if on:  # a penalized tensor
                p.mul_(self.reg_step.decay)
        elif l2:
            g.add_(p, alpha=l2)
        v = self.velocity.get(id(p))
        if v is None:
            with torch.inference_mode(False):  # kept across epochs: a normal tensor
                self.velocity[id(p)] = v = g.clone()
        else:
            v.mul_(self.momentum).add_(g)
        p.add_(v, alpha=-self.lr)

    def epoch(self, X: torch.Tensor, y: torch.Tensor, order: torch.Tensor, stop: int) -> None:
        """Steps over ``order[:stop]`` in minibatches of the configured size (under
        ``inference_mode``: no version-counter or grad-mode work per op)."""
        with torch.inference_mode():
            for idx in order[:stop].split(self.batch_size):
                self.step(X, y, idx)

    @torch.no_grad()
    def evaluate(self, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float | None]:
        """(mean data loss, accuracy or None) over all rows, in chunks of ``EVAL_ROWS``.

        The output layer runs transposed (out, rows), so the cross-entropy's log-softmax
        reduces down columns; the arg-max reads a row-major copy of the logits, as
        ``accuracy`` does. Losses and hits add up on the device and are read once.
        """
        loss = X.new_zeros((), dtype=torch.float64)
        hits = torch.zeros((), dtype=torch.int64, device=X.device)
        for Xc, yc in zip(X.split(EVAL_ROWS), y.split(EVAL_ROWS), strict=True):
            E = self._eval.get(Xc.shape[0]) or self._new_eval(Xc.shape[0])
            h = self._hidden(Xc, E.hidden)
            z = torch.addmm(self.b_col, self.W[-1], h.t(), out=E.z)
            if self.classify:
                loss -= torch.log_softmax(z, 0).gather(0, yc[None, :]).sum().double()
                hits += (E.logits.copy_(z.t()).argmax(1) == yc).sum()
            else:
                loss += (z[0] - yc).pow(2).sum().double()
        n = X.shape[0]
        return float(loss) / n, (int(hits) / n if self.classify else None)

    def _new_eval(self, rows: int) -> _EvalBuffers:
        self._eval[rows] = bufs = _EvalBuffers(self.W, rows)
        return bufs
