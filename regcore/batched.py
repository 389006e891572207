"""Batched training: M = R·K models (K strengths λ × R repeats) as one computation.

Every parameter carries the models in its leading dimensions (see
regcore.batched_nets): one forward pass, one backward pass and one optimizer
update serve all M models. Each model follows the arithmetic of
``regcore.train`` (same objective, same initial weights from ``build_model`` on
the INIT stream of ``seed + r``, same batch order: one ``torch.randperm`` per
epoch on the BATCH stream), so model (r, k) equals ``regcore.fit`` with
``reg.lam = λ_k`` on repeat r's data, to round-off.

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

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from regcore.batched_nets import LinearNet, MLPNet, weight_stats
from regcore.config import TrainConfig
from regcore.data import BATCH, Dataset, make_generator

BETAS, EPS = (0.9, 0.999), 1e-8  # torch.optim.Adam / AdamW defaults
CHUNK_BYTES = 16 << 20  # weight snapshots evaluated together, up to this size
MAX_COEFS = 200  # coefficients per λ carried by progress events (coefficient paths)


def can_batch(cfg: TrainConfig) -> bool:
    """Whether :func:`train_batched` covers ``cfg``.

    Dropout masks, normalization statistics, CNNs and early stopping (a per-model
    best epoch) are left to the sequential engine.
    """
    m = cfg.model
    plain = m.kind == "linear" or (m.kind == "mlp" and m.dropout == 0.0 and m.norm == "none")
    return plain and cfg.optim.early_stopping_patience is None


@dataclass
class BatchedOutput:
    """CPU float64 tensors with leading (R, K); history is (epochs_done, R, K)."""

    weights: list[torch.Tensor]  # per layer (R, K, out, in): final (last finite) weights
    final: dict[str, torch.Tensor]  # metric -> (R, K)
    history: dict[str, torch.Tensor]  # key -> (epochs_done, R, K)
    diverged_epoch: torch.Tensor  # (R, K), 0 where the model never diverged
    layer_names: list[str]
    n_params: int
    seconds: float
    stopped: bool
    device: str
    outputs_test: torch.Tensor | None  # (R, K, n_test) regression predictions


@dataclass(frozen=True)
class SweepProgress:
    """One epoch of a sweep: per-λ values (means over repeats), for live pages."""

    epoch: int
    epochs: int
    lambdas: tuple[float, ...]
    train_loss: tuple[float, ...]
    test_loss: tuple[float, ...]
    weight_l2: tuple[float, ...]
    zero_fraction: tuple[float, ...]
    seconds: float
    coefs: tuple[tuple[float, ...], ...] | None = None  # (K, ≤ MAX_COEFS) now and then


class _Rule:
    """Regularizer + optimizer for every parameter; λ tensors broadcast over the models."""

    def __init__(self, cfg: TrainConfig, lams: list[torch.Tensor | None]):
        r, o = cfg.reg, cfg.optim
        self.o, self.lr, self.t, self.state = o, o.lr, 0, {}
        prox = r.l1_solver == "proximal" and r.kind in ("l1", "elastic_net")
        alpha = 1.0 if r.kind == "l1" else r.l1_ratio

        def each(f):
            return [None if lam is None else f(lam) for lam in lams]

        none = [None] * len(lams)
        self.l2 = (
            each(lambda x: x * (1.0 - alpha))
            if r.kind == "elastic_net"
            else each(lambda x: x)
            if r.kind == "l2"
            else none
        )
        self.l1 = (
            each(lambda x: x * alpha) if r.kind in ("l1", "elastic_net") and not prox else none
        )
        self.thr = each(lambda x: o.lr * x * alpha) if prox else none
        self.nthr = [None if t is None else -t for t in self.thr]
        self.decay = each(lambda x: 1.0 - o.lr * x) if r.kind == "weight_decay" else none
        self.fused = o.name == "sgd" and o.momentum == 0.0 and all(x is None for x in self.l1)
        if self.fused:  # (1 − lr·λ_l2)·p or (1 − lr·λ)·p before the data-gradient step
            self.decay = [
                d if d is not None else (None if x is None else 1.0 - o.lr * x)
                for d, x in zip(self.decay, self.l2, strict=True)
            ]

    def update(self, net, xbT, xb, tb) -> None:
        """One optimizer step of every model on one minibatch."""
        if self.fused and isinstance(net, LinearNet):
            flat = xb.dim() == 2  # one repeat: 2-D views of P and of the λ tensors
            P = net.P[0] if flat else net.P
            dz, scale = net.residual(xb, tb, P)
            if self.decay[0] is not None:
                P.mul_(self.decay[0][0] if flat else self.decay[0])
            if flat:
                P.addmm_(xbT, dz, alpha=-self.lr * scale)
            else:
                P.baddbmm_(xbT, dz, alpha=-self.lr * scale)
            if self.thr[0] is not None:
                t, nt = (self.thr[0][0], self.nthr[0][0]) if flat else (self.thr[0], self.nthr[0])
                P.sub_(torch.minimum(torch.maximum(P, nt), t))
            return
        self.t += 1
        for i, (p, g) in enumerate(zip(net.params(), net.grads(xbT, xb, tb), strict=True)):
            if self.l2[i] is not None and not self.fused:
                g = g + self.l2[i] * p
            if self.l1[i] is not None:
                g = g + self.l1[i] * p.sign()
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


def _stack(datasets: Sequence[Dataset], dev, dt, classify: bool):
    def cast(t):
        return t.to(dev) if classify and not t.is_floating_point() else t.to(dev, dt)

    return [
        cast(torch.stack([getattr(d, k) for d in datasets]))
        for k in ("X_train", "y_train", "X_test", "y_test")
    ]


def _orders(seeds: Sequence[int], n: int, epochs: int, dev) -> torch.Tensor:
    """(epochs, R, n): the batch order of every epoch, exactly as ``regcore.train``."""
    gens = [make_generator(s, BATCH) for s in seeds]
    return torch.stack(
        [torch.stack([torch.randperm(n, generator=g) for g in gens]) for _ in range(epochs)]
    ).to(dev)


def train_batched(
    cfg: TrainConfig,
    lambdas: Sequence[float],
    datasets: Sequence[Dataset],
    seeds: Sequence[int],
    device: torch.device,
    stop: Callable[[], bool] = lambda: False,
    on_epoch: Callable[[SweepProgress], None] | None = None,
) -> BatchedOutput:
    """Train R·K models at once: model (r, k) uses λ_k, ``datasets[r]`` and ``seeds[r]``.

    Args:
        cfg: the base configuration (``can_batch(cfg)`` must hold); ``reg.lam`` is ignored.
        lambdas: the K strengths. datasets: R data sets of equal shapes. seeds: R run seeds.
        device: where to train. stop: checked before each epoch.
        on_epoch: called after each epoch with a :class:`SweepProgress`.

    Returns:
        A :class:`BatchedOutput`. A model whose loss goes non-finite is marked with
        its ``diverged_epoch`` and keeps the weights and metrics of its last finite
        epoch; the other models go on.
    """
    t0 = time.perf_counter()
    dt = torch.float64 if cfg.dtype == "float64" else torch.float32
    classify = datasets[0].task == "classification"
    data = _stack(datasets, device, dt, classify)
    lams = torch.tensor([float(x) for x in lambdas], dtype=dt, device=device)
    net_cls = LinearNet if cfg.model.kind == "linear" else MLPNet
    net = net_cls(cfg, seeds, datasets[0], lams, data, device, dt)
    rule = _Rule(cfg, net.lam_tensors())
    E = cfg.optim.epochs
    orders = _orders(seeds, data[0].shape[1], E, device)
    if rule.fused and isinstance(net, LinearNet) and rule.thr[0] is None:
        decay = rule.decay[0] if rule.decay[0] is not None else torch.ones_like(net.lam)
        net.use_subspace(decay[:, 0], -(-data[0].shape[1] // cfg.optim.batch_size))
    fast = None  # the tightest loop: plain SGD, linear regression, one repeat, no prox
    if (
        rule.fused
        and isinstance(net, LinearNet)
        and not net.classify
        and len(seeds) == 1
        and rule.thr[0] is None
    ):
        fast = rule.decay[0][0] if rule.decay[0] is not None else torch.ones_like(net.P[0])
    track = _Tracker(net, len(seeds), len(lambdas), E, streaming=on_epoch is not None)
    stopped, coef_every = False, max(1, E // 20)
    for epoch, batches in enumerate(net.epochs(orders, cfg.optim.batch_size), start=1):
        if stop():
            stopped = True
            break
        if fast is not None:
            _sgd_linear_epoch(net.P[0], fast, batches, -2.0 * cfg.optim.lr)
        else:
            for xbT, xb, tb in batches:
                rule.update(net, xbT, xb, tb)
        track.snapshot(epoch, last=epoch == E)
        if on_epoch is not None:
            coefs = _coefs(net) if epoch % coef_every == 0 or epoch == E else None
            on_epoch(_progress(epoch, E, lambdas, track.last(), time.perf_counter() - t0, coefs))
    track.flush()
    return _output(net, track, time.perf_counter() - t0, stopped, str(device))


class _Tracker:
    """Evaluates weight snapshots in chunks (one batched eval for many epochs) and masks
    diverged models: a model whose loss goes non-finite gets its ``diverged_epoch``, its
    last finite weights back, and its history and metrics frozen at that epoch."""

    def __init__(self, net, R: int, K: int, epochs: int, streaming: bool):
        self.net, self.epoch0, self.pending = net, 1, 0
        size = sum(p.numel() * p.element_size() for p in net.params())
        chunk = 1 if streaming or isinstance(net, MLPNet) else CHUNK_BYTES // max(1, size)
        chunk = max(1, min(epochs, chunk))
        self.buf = net.snapshot_buffer(chunk)
        self.good = [p.clone() for p in net.params()]
        self.alive = torch.ones(R, K, dtype=torch.bool, device=net.params()[0].device)
        self.diverged_epoch = torch.zeros(R, K, dtype=torch.long)
        self.hist: list[dict[str, torch.Tensor]] = []  # chunks of (T, R, K)

    def snapshot(self, epoch: int, last: bool) -> None:
        for b, p in zip(self.buf, self.net.params(), strict=True):
            b[self.pending].copy_(p)
        self.pending += 1
        if self.pending == self.buf[0].shape[0] or last:
            self.flush()

    def last(self) -> dict[str, torch.Tensor]:
        return {k: v[-1] for k, v in self.hist[-1].items()}

    def flush(self) -> None:
        T = self.pending
        if T == 0:
            return
        snaps = [b[:T] for b in self.buf]
        ev = self.net.evaluate(snaps, self.epoch0)
        ok = torch.isfinite(ev["train_loss"] + ev["test_loss"] + ev["weight_l2"])
        if not bool(ok.all()):
            self._mask(ev, ok, snaps)
        for g, s in zip(self.good, snaps, strict=True):
            g.copy_(s[T - 1])
        self.hist.append(ev)
        self.epoch0, self.pending = self.epoch0 + T, 0

    def _mask(self, ev, ok, snaps) -> None:
        prev = {
            k: self.hist[-1][k][-1] if self.hist else torch.full_like(v[0], torch.nan)
            for k, v in ev.items()
        }
        for t in range(ok.shape[0]):
            newly = self.alive & ~ok[t]
            if bool(newly.any()):
                self.diverged_epoch[newly.cpu()] = self.epoch0 + t
                self.alive &= ~newly
                for g, s, p in zip(self.good, snaps, self.net.params(), strict=True):
                    m = _mask(newly, self.net, p)
                    g.copy_(torch.where(m, s[t - 1] if t else g, g))
            for k, v in ev.items():
                v[t] = prev[k] = torch.where(self.alive, v[t], prev[k])
        for s, g, p in zip(snaps, self.good, self.net.params(), strict=True):
            dead = ~_mask(self.alive, self.net, p)
            s.copy_(torch.where(dead, g, s))
            p.copy_(torch.where(dead, g, p))

    def history(self) -> dict[str, torch.Tensor]:
        if not self.hist:
            return {}
        return {
            k: torch.cat([h[k] for h in self.hist]).to("cpu", torch.float64) for k in self.hist[0]
        }


def _sgd_linear_epoch(P, decay, batches, alpha: float) -> None:
    """p ← (1 − lr·λ)·p − lr·(2/B)·X̃bᵀ(X̃b·p − y) for every column of P (d+1, K)."""
    for xbT, xb, tb in batches:
        dz = torch.addmm(tb, xb, P)
        P.mul_(decay)
        P.addmm_(xbT, dz, alpha=alpha / xb.shape[0])


def _mask(alive: torch.Tensor, net, p: torch.Tensor) -> torch.Tensor:
    if isinstance(net, LinearNet):  # columns are (model, class) pairs
        return alive.repeat_interleave(net.C, dim=1)[:, None, :]
    return alive.reshape(*alive.shape, *([1] * (p.dim() - 2)))


def _coefs(net) -> torch.Tensor:
    flat = torch.cat([w.flatten(2) for w in net.weights()], dim=2)
    return flat[0, :, :MAX_COEFS].to("cpu", torch.float64)


def _progress(epoch, epochs, lambdas, ev, seconds, coefs) -> SweepProgress:
    def mean(v: torch.Tensor) -> tuple[float, ...]:
        return tuple(v.double().nanmean(0).cpu().tolist())

    return SweepProgress(
        epoch=epoch,
        epochs=epochs,
        lambdas=tuple(float(x) for x in lambdas),
        train_loss=mean(ev["train_loss"]),
        test_loss=mean(ev["test_loss"]),
        weight_l2=mean(ev["weight_l2"]),
        zero_fraction=mean(ev["zero_fraction"]),
        seconds=seconds,
        coefs=None if coefs is None else tuple(map(tuple, coefs.tolist())),
    )


def _output(net, track: _Tracker, seconds, stopped, device) -> BatchedOutput:
    final = {k: v[0] for k, v in net.evaluate().items()}
    final.update(weight_stats(net.weights()))
    if track.hist:
        last = track.last()
        final = {
            k: torch.where(track.alive, v, last[k]) if k in last else v for k, v in final.items()
        }
    R, K = track.alive.shape
    return BatchedOutput(
        weights=[w.to("cpu", torch.float64) for w in net.weights()],
        final={k: v.to("cpu", torch.float64) for k, v in final.items()},
        history=track.history(),
        diverged_epoch=track.diverged_epoch,
        layer_names=net.names,
        n_params=sum(p[0].numel() for p in net.params()) // K,
        seconds=seconds,
        stopped=stopped,
        device=device,
        outputs_test=None if net.classify else net.outputs_test().to("cpu", torch.float64),
    )
