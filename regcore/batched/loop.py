"""Batched training: M = R·K models (K strengths λ × R repeats) as one computation.

Every parameter carries the models in its leading dimensions (see
regcore.batched.linear): one forward pass, one backward pass and one optimizer
update serve all M models. Each model follows the arithmetic of
``regcore.train`` (same objective, same initial weights from ``build_model`` on
the INIT stream of ``seed + r``, same batch order: one ``torch.randperm`` per
epoch on the BATCH stream), so model (r, k) equals ``regcore.fit`` with
``reg.lam = λ_k`` on repeat r's data, to round-off.

The regularizer and optimizer updates are in regcore.batched.update.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from regcore.batched.base import BatchedNet
from regcore.batched.dropout import DropoutMLPNet
from regcore.batched.linear import LinearNet
from regcore.batched.mlp import MLPNet
from regcore.batched.subspace import SubspaceNet, uses_subspace
from regcore.batched.update import Rule
from regcore.core import MAX_COEFS, SweepProgress, TrainConfig, cpu_threads
from regcore.data import Dataset, Stream, make_generator
from regcore.engine import model_weight_stats


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


def _stack(datasets: Sequence[Dataset], val: Sequence[Dataset] | None, dev, dt, classify: bool):
    """[X_train, y_train, X_test, y_test, X_val, y_val] stacked over repeats (R, n, ...);
    the validation pair is (None, None) without a validation split."""

    def cast(t):
        return t.to(dev) if classify and not t.is_floating_point() else t.to(dev, dt)

    out = [
        cast(torch.stack([getattr(d, k) for d in datasets]))
        for k in ("X_train", "y_train", "X_test", "y_test")
    ]
    if val is None:
        return [*out, None, None]
    return out + [cast(torch.stack([getattr(v, k) for v in val])) for k in ("X_train", "y_train")]


def _orders(seeds: Sequence[int], n: int, epochs: int, dev) -> torch.Tensor:
    """(epochs, R, n): the batch order of every epoch, exactly as ``regcore.train``."""
    gens = [make_generator(s, Stream.BATCH) for s in seeds]
    per_seed = [torch.stack([torch.randperm(n, generator=g) for _ in range(epochs)]) for g in gens]
    return torch.stack(per_seed, dim=1).to(dev)


def train_batched(
    cfg: TrainConfig,
    lambdas: Sequence[float],
    datasets: Sequence[Dataset],
    seeds: Sequence[int],
    device: torch.device,
    stop: Callable[[], bool] = lambda: False,
    on_epoch: Callable[[SweepProgress], None] | None = None,
    val: Sequence[Dataset] | None = None,
    rates: Sequence[float] | None = None,
    measure: bool = True,
    on_tick: Callable[[int, int], None] | None = None,
) -> BatchedOutput:
    """Train R·K models at once: model (r, k) uses λ_k, ``datasets[r]`` and ``seeds[r]``.

    Args:
        cfg: the base configuration (``can_batch(cfg)`` must hold); ``reg.lam`` is ignored.
        lambdas: the K strengths. datasets: R data sets of equal shapes. seeds: R run seeds.
        device: where to train. stop: checked before each epoch.
        on_epoch: called after each epoch with a :class:`SweepProgress`.
        val: R validation sets (their *training* tensors, regcore.data.splits.carve_validation)
            evaluated beside train and test: ``val_loss`` (and ``val_acc``) per epoch.
        rates: K drop probabilities instead of K strengths (regcore.batched.dropout; every
            λ_k is then ``cfg.reg.lam``): needs ``can_batch_dropout(cfg)``, not ``can_batch``.
        measure: evaluate every epoch (history, divergence as it happens); False: the final
            models only (history of one entry; a diverged model is non-finite, not restored).
        on_tick: called as ``(epoch, epochs)`` after each epoch (with or without measure).

    Returns:
        A :class:`BatchedOutput`. A model whose loss goes non-finite is marked with
        its ``diverged_epoch`` and keeps the weights and metrics of its last finite
        epoch; the other models go on.
    """
    with cpu_threads(cfg.threads):  # as a single run: the numbers depend on it
        args = (cfg, lambdas, datasets, seeds, device, stop, on_epoch, val)
        return _train_batched(*args, rates=rates, measure=measure, on_tick=on_tick)


def _train_batched(
    cfg, lambdas, datasets, seeds, device, stop, on_epoch, val, *, rates, measure, on_tick
) -> BatchedOutput:
    t0 = time.perf_counter()
    dt = torch.float64 if cfg.dtype == "float64" else torch.float32
    classify = datasets[0].task == "classification"
    data = _stack(datasets, val, device, dt, classify)
    if rates is not None:
        lambdas = [cfg.reg.lam] * len(rates)
    lams = torch.tensor([float(x) for x in lambdas], dtype=dt, device=device)
    if rates is not None:
        net: BatchedNet = DropoutMLPNet(cfg, seeds, datasets[0], lams, data, device, dt, rates)
    else:
        net = _net_class(cfg, datasets[0])(cfg, seeds, datasets[0], lams, data, device, dt)
    rule = Rule(cfg, net)
    E = cfg.optim.epochs
    orders = _orders(seeds, data[0].shape[1], E, device)
    train_epoch = net.epoch_trainer(rule.step, rule.plan, cfg.optim.batch_size)
    track = _Tracker(net, len(seeds), len(lambdas), E, streaming=on_epoch is not None)
    stopped, coef_every = False, max(1, E // 20)
    for epoch, batches in enumerate(net.batches(orders, cfg.optim.batch_size), start=1):
        if stop():
            stopped = True
            break
        train_epoch(batches)
        if measure or epoch == E:
            track.epoch0 = track.epoch0 if measure else epoch
            track.snapshot(epoch, last=epoch == E)
        if on_tick is not None:
            on_tick(epoch, E)
        if on_epoch is not None and measure:
            coefs = _coefs(net) if epoch % coef_every == 0 or epoch == E else None
            on_epoch(_progress(epoch, E, lambdas, track.last(), time.perf_counter() - t0, coefs))
    track.flush()
    return _output(net, track, time.perf_counter() - t0, stopped, str(device))


def _net_class(cfg: TrainConfig, ds: Dataset) -> type[BatchedNet]:
    """The layout that trains ``cfg`` fastest (see regcore.batched.linear / subspace)."""
    if uses_subspace(cfg, ds):
        return SubspaceNet
    return LinearNet if cfg.model.kind == "linear" else MLPNet


class _Tracker:
    """Evaluates weight snapshots in chunks (one batched eval for many epochs) and masks
    diverged models: a model whose loss goes non-finite gets its ``diverged_epoch``, its
    last finite weights back, and its history and metrics frozen at that epoch."""

    def __init__(self, net: BatchedNet, R: int, K: int, epochs: int, streaming: bool):
        self.net, self.epoch0, self.pending = net, 1, 0
        self.buf = net.snapshot_buffer(net.snapshot_chunk(epochs, streaming))
        self.params = net.parameters()
        self.slots = list(zip(*(b.unbind(0) for b in self.buf), strict=True))  # per t
        self.good = [p.clone() for p in self.params]
        self.alive = torch.ones(R, K, dtype=torch.bool, device=self.params[0].device)
        self.diverged_epoch = torch.zeros(R, K, dtype=torch.long)
        self.hist: list[dict[str, torch.Tensor]] = []  # chunks of (T, R, K)

    def snapshot(self, epoch: int, last: bool) -> None:
        for b, p in zip(self.slots[self.pending], self.params, strict=True):
            b.copy_(p)
        self.pending += 1
        if self.pending == len(self.slots) or last:
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
                for g, s, p in zip(self.good, snaps, self.params, strict=True):
                    m = self.net.model_mask(newly, p)
                    g.copy_(torch.where(m, s[t - 1] if t else g, g))
            for k, v in ev.items():
                v[t] = prev[k] = torch.where(self.alive, v[t], prev[k])
        for s, g, p in zip(snaps, self.good, self.params, strict=True):
            dead = ~self.net.model_mask(self.alive, p)
            s.copy_(torch.where(dead, g, s))
            p.copy_(torch.where(dead, g, p))

    def history(self) -> dict[str, torch.Tensor]:
        if not self.hist:
            return {}
        return {
            k: torch.cat([h[k] for h in self.hist]).to("cpu", torch.float64) for k in self.hist[0]
        }


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
        val_loss=mean(ev["val_loss"]) if "val_loss" in ev else (),
        seconds=seconds,
        coefs=None if coefs is None else tuple(map(tuple, coefs.tolist())),
    )


def _output(net, track: _Tracker, seconds, stopped, device) -> BatchedOutput:
    final = {k: v[0] for k, v in net.evaluate().items()}
    final.update(model_weight_stats(net.weights(), lead=2))
    if track.hist:
        last = track.last()
        final = {
            k: torch.where(track.alive, v, last[k]) if k in last else v for k, v in final.items()
        }
    return BatchedOutput(
        weights=[w.to("cpu", torch.float64) for w in net.weights()],
        final={k: v.to("cpu", torch.float64) for k, v in final.items()},
        history=track.history(),
        diverged_epoch=track.diverged_epoch,
        layer_names=net.names,
        n_params=net.n_params(),
        seconds=seconds,
        stopped=stopped,
        device=device,
        outputs_test=None if net.classify else net.outputs_test().to("cpu", torch.float64),
    )
