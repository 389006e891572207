"""Training: one run of one config, streamed one event per epoch.

Objective (DESIGN.md): J(w, b) = data_loss + λ·Ω(w), where data_loss is the
mean squared error (``nn.MSELoss()``, regression; outputs of shape (n, 1)) or the
mean cross-entropy (classification), and Ω is *summed* over the weights of the
linear/conv layers (see regcore.penalties). Biases are exempt unless
``reg.penalize_bias``; normalization-layer parameters always are.

How each regularizer enters a step:
- ``l2``, ``elastic_net`` (L2 part), ``l1`` with solver ``subgradient``: in the
  loss, through autograd. With plain SGD, L2 is then exactly
  ``torch.optim.SGD(weight_decay=λ)``.
- ``l1`` / elastic-net L1 part with solver ``proximal``: after the optimizer
  step, w ← sign(w)·max(|w| − lr·λ·α, 0) (ISTA; Beck & Teboulle 2009).
- ``weight_decay`` (decoupled; Loshchilov & Hutter 2019): w ← w − lr·λ·w before
  the optimizer's update, which for ``adamw`` is ``torch.optim.AdamW``'s own.

Reported losses are data losses on whole splits in eval mode after each epoch;
``penalty`` is λ·Ω(w) beside them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from regcore import fastpath
from regcore.config import TrainConfig, load_config
from regcore.data import Dataset, Stream, make_dataset, make_generator
from regcore.metrics import accuracy, weight_stats
from regcore.mlp_fast import FastMLP, can_fast
from regcore.models import build_model, penalized_parameters, weight_layers
from regcore.penalties import omega
from regcore.regularizers import (
    l1_threshold,
    penalty_grad,
    shrink_factor,
    soft_threshold_,
    spec,
)
from regcore.results import HISTORY_KEYS, OPTIONAL_KEYS, RunResult, StepMetrics
from regcore.runtime import StopSignal, resolve_device, stop_requested

MAX_SNAPSHOTS = 51  # weight snapshots kept, initial weights included
SNAPSHOT_SAMPLE = 4_000  # weights per layer kept in each snapshot

# probe(model, epoch, final): sees the model in eval mode under no_grad after each epoch
# and once more (final=True) with the weights the result keeps; it must not change them.
Probe = Callable[[nn.Module, int, bool], None]


@dataclass
class _Split:
    X: torch.Tensor
    y: torch.Tensor


@dataclass(frozen=True)
class Engine:
    """The two hooks of the loop that a fast path may replace."""

    train_epoch: Callable[[_Setup], bool]  # one pass; False if a loss went non-finite
    measure: Callable[[_Setup], dict[str, Any]]  # the MEASURES of the current weights


def pick_engine(cfg: TrainConfig) -> Engine:
    """The one place that picks how a single run trains: the written-out linear path
    (regcore.fastpath; same numbers, no autograd graph) where it applies, else autograd.
    A fast path for other models plugs in here."""
    if fastpath.applies(cfg):
        return Engine(lambda s: fastpath.linear_epoch(s, regularized_step), fastpath.measure)
    return Engine(_train_epoch, _measure)


@dataclass
class _Setup:
    cfg: TrainConfig
    data: Dataset
    fit: _Split
    val: _Split | None
    test: _Split
    model: nn.Module
    optimizer: torch.optim.Optimizer | None  # None on the fast path (regcore.mlp_fast)
    penalized: list[nn.Parameter]
    batch_gen: torch.Generator
    device: torch.device
    classify: bool
    sample_idx: dict[str, torch.Tensor]
    shrink: float | None  # decoupled decay applied by hand (AdamW decays by itself)
    threshold: float  # proximal L1 threshold lr·λ·α per step (0: none)
    engine: Engine  # how an epoch is trained and measured (pick_engine)
    fast: FastMLP | None = None  # the written-out step for plain MLPs (regcore.mlp_fast)
    scratch: dict[str, Any] = field(default_factory=dict)  # an engine's buffers for this run


def _to(t: torch.Tensor, device: torch.device, dtype: torch.dtype, classify: bool):
    if classify and not t.is_floating_point():
        return t.to(device)
    return t.to(device=device, dtype=dtype)


def _split_val(cfg: TrainConfig, ds: Dataset) -> tuple[int, torch.Tensor]:
    n = ds.X_train.shape[0]
    n_val = max(1, round(n * cfg.optim.val_fraction))
    order = torch.randperm(n, generator=make_generator(cfg.data.seed, Stream.VALIDATION))
    return n_val, order


def _setup(cfg: TrainConfig, data: Dataset | None = None) -> _Setup:
    device = resolve_device(cfg.device)
    dtype = torch.float64 if cfg.dtype == "float64" else torch.float32
    ds = data if data is not None else make_dataset(cfg)
    classify = ds.task == "classification"
    Xtr, ytr = ds.X_train, ds.y_train
    val = None
    if cfg.optim.early_stopping_patience is not None:
        n_val, order = _split_val(cfg, ds)
        val = _Split(
            _to(Xtr[order[:n_val]], device, dtype, False),
            _to(ytr[order[:n_val]], device, dtype, classify),
        )
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
    penalized = penalized_parameters(model, cfg.reg.penalize_bias)
    lam = cfg.reg.lam
    fast = FastMLP(cfg, model, classify) if can_fast(cfg) else None
    return _Setup(
        cfg=cfg,
        data=ds,
        fit=_Split(_to(Xtr, device, dtype, False), _to(ytr, device, dtype, classify)),
        val=val,
        test=_Split(_to(ds.X_test, device, dtype, False), _to(ds.y_test, device, dtype, classify)),
        model=model,
        optimizer=None if fast else _optimizer(cfg, model, penalized),
        penalized=penalized,
        batch_gen=make_generator(cfg.seed, Stream.BATCH),
        device=device,
        classify=classify,
        sample_idx=_sample_indices(model, cfg.seed),
        shrink=None if cfg.optim.name == "adamw" else shrink_factor(cfg.reg, cfg.optim.lr, lam),
        threshold=l1_threshold(cfg.reg, cfg.optim.lr, lam),
        fast=fast,
        engine=pick_engine(cfg),
    )


def _optimizer(cfg: TrainConfig, model: nn.Module, penalized: list[nn.Parameter]):
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


def data_loss(out: torch.Tensor, y: torch.Tensor, classify: bool) -> torch.Tensor:
    """Mean squared error on (n, 1) outputs, or mean cross-entropy on logits."""
    if classify:
        return F.cross_entropy(out, y)
    return F.mse_loss(out.squeeze(1), y)


def _train_epoch(s: _Setup) -> bool:
    """One pass over the training data through autograd; False if a loss went non-finite."""
    cfg, model, opt = s.cfg, s.model, s.optimizer
    n, bs = s.fit.X.shape[0], cfg.optim.batch_size
    order = torch.randperm(n, generator=s.batch_gen).to(s.device)
    model.train()
    # BatchNorm cannot normalize one sample: a last minibatch of one is skipped.
    stop = n - 1 if (cfg.model.norm == "batch" and n % bs == 1 and n > 1) else n
    if s.fast is not None:  # non-finite steps surface in the epoch's evaluation
        s.fast.epoch(s.fit.X, s.fit.y, order, stop)
        return True
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
def regularized_step(s: _Setup) -> None:
    """After the data gradient is in ``.grad``: add the penalty's gradient, decay,
    take the optimizer step, soft-threshold (the shared kernel, regcore.regularizers)."""
    reg = s.cfg.reg
    if reg.lam != 0.0:
        for p in s.penalized:
            g = penalty_grad(reg, p, reg.lam)
            if g is not None:
                p.grad = g if p.grad is None else p.grad.add_(g)
    if s.shrink is not None:
        for p in s.penalized:
            p.mul_(s.shrink)
    s.optimizer.step()
    if s.threshold:
        for p in s.penalized:
            soft_threshold_(p, s.threshold)


@torch.no_grad()
def _evaluate(s: _Setup, split: _Split) -> tuple[float, float | None]:
    if s.fast is not None:
        return s.fast.evaluate(split.X, split.y)
    s.model.eval()
    out = s.model(split.X)
    s.model.train()
    loss = float(data_loss(out, split.y, s.classify))
    acc = accuracy(out, split.y) if s.classify else None
    return loss, acc


def _weights(s: _Setup) -> list[torch.Tensor]:
    return [layer.weight for _, layer in weight_layers(s.model)]


def _measure(s: _Setup) -> dict[str, Any]:
    """Data losses (accuracies) on every split in eval mode, the penalty λ·Ω and the
    weight statistics (regcore.metrics.weight_stats) of the current weights."""
    tr_loss, tr_acc = _evaluate(s, s.fit)
    te_loss, te_acc = _evaluate(s, s.test)
    val_loss = _evaluate(s, s.val)[0] if s.val is not None else None
    with torch.no_grad():
        pen = float(s.cfg.reg.lam * omega(s.cfg.reg, s.penalized))
    return {
        "train_loss": tr_loss,
        "test_loss": te_loss,
        "val_loss": val_loss,
        "train_acc": tr_acc,
        "test_acc": te_acc,
        "penalty": pen,
        **weight_stats(_weights(s)),
    }


def _event(s: _Setup, epoch: int, t0: float) -> StepMetrics:
    m = s.engine.measure(s)
    return StepMetrics(
        epoch=epoch,
        epochs=s.cfg.optim.epochs,
        train_loss=m["train_loss"],
        test_loss=m["test_loss"],
        penalty=m["penalty"],
        weight_l2=m["weight_l2"],
        weight_l1=m["weight_l1"],
        zero_fraction=m["zero_fraction"],
        seconds=time.perf_counter() - t0,
        train_acc=m["train_acc"],
        test_acc=m["test_acc"],
        val_loss=m["val_loss"],
    )


def _finite(ev: StepMetrics) -> bool:
    values = [ev.train_loss, ev.test_loss, ev.penalty, ev.weight_l2]
    values += [ev.val_loss] if ev.val_loss is not None else []
    return all(math.isfinite(v) for v in values)


def _sample_indices(model: nn.Module, seed: int) -> dict[str, torch.Tensor]:
    g = make_generator(seed, Stream.SNAPSHOT)
    out = {}
    for name, layer in weight_layers(model):
        n = layer.weight.numel()
        if n > SNAPSHOT_SAMPLE:
            out[name] = torch.randperm(n, generator=g)[:SNAPSHOT_SAMPLE].sort().values
    return out


def snapshot_epochs(epochs: int) -> set[int]:
    """At most ``MAX_SNAPSHOTS`` evenly spaced epochs in 0..epochs, both ends kept."""
    k = min(epochs + 1, MAX_SNAPSHOTS)
    return {round(i * epochs / (k - 1)) for i in range(k)} if k > 1 else {0}


def _snapshot(s: _Setup) -> dict[str, list[float]]:
    out = {}
    for name, layer in weight_layers(s.model):
        flat = layer.weight.detach().reshape(-1).to("cpu", torch.float64)
        if name in s.sample_idx:
            flat = flat[s.sample_idx[name]]
        out[name] = flat.tolist()
    return out


def _add_snapshot(s: _Setup, snaps: dict, epoch: int) -> None:
    snaps["epochs"].append(epoch)
    for k, v in _snapshot(s).items():
        snaps["layers"][k].append(v)


def _state(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def train(
    cfg: TrainConfig | dict | str | None = None,
    stop: StopSignal = None,
    data: Dataset | None = None,
    probe: Probe | None = None,
) -> Generator[StepMetrics, None, RunResult]:
    """Train one model, yielding one :class:`StepMetrics` per epoch.

    Args:
        cfg: the run configuration (anything :func:`regcore.load_config` takes).
        stop: an ``Event`` or a callable; when set, the run ends before the
            next epoch and returns what was computed.
        data: a prepared data set to use instead of ``make_dataset(cfg)``.
        probe: called as ``probe(model, epoch, final)`` in eval mode under no_grad
            after each epoch, then with ``final=True`` and the kept weights (the
            best-validation ones under early stopping) before the result is made.

    Returns:
        (as the generator's return value) the :class:`RunResult`; use
        :func:`fit` to get it directly.
    """
    cfg = load_config(cfg)  # validated, the total-work cap included
    s = _setup(cfg, data)
    hist: dict[str, list[float]] = {k: [] for k in _history_keys(s)}
    keep = snapshot_epochs(cfg.optim.epochs)
    snaps = {"epochs": [0], "layers": {k: [v] for k, v in _snapshot(s).items()}}
    best = _Best()
    good = _state(s.model)  # the last finite weights, restored if the run diverges
    stopped, diverged_epoch, t0 = False, None, time.perf_counter()
    for epoch in range(1, cfg.optim.epochs + 1):
        if stop_requested(stop):
            stopped = True
            break
        ev = _event(s, epoch, t0) if s.engine.train_epoch(s) else None
        if ev is None or not _finite(ev):
            diverged_epoch = epoch
            s.model.load_state_dict(good)
            break
        good = _state(s.model)
        _record(hist, ev)
        if epoch in keep:
            _add_snapshot(s, snaps, epoch)
        _call_probe(probe, s.model, epoch, False)
        yield ev
        if best.update(s, ev) >= (cfg.optim.early_stopping_patience or math.inf):
            break
    if best.state is not None:
        s.model.load_state_dict(best.state)
    if hist["epoch"] and snaps["epochs"][-1] != hist["epoch"][-1]:
        _add_snapshot(s, snaps, hist["epoch"][-1])  # a stopped run's last weights
    final_epoch = best.epoch if best.state is not None else len(hist["epoch"])
    _call_probe(probe, s.model, final_epoch, True)
    return _result(s, hist, snaps, time.perf_counter() - t0, stopped, diverged_epoch, best)


def _call_probe(probe: Probe | None, model: nn.Module, epoch: int, final: bool) -> None:
    if probe is None:
        return
    model.eval()
    with torch.no_grad():
        probe(model, epoch, final)
    model.train()


class _Best:
    """Tracks the best validation loss for early stopping."""

    def __init__(self) -> None:
        self.loss, self.epoch, self.state, self.bad = math.inf, None, None, 0

    def update(self, s: _Setup, ev: StepMetrics) -> int:
        if ev.val_loss is None:
            return 0
        if ev.val_loss < self.loss:
            self.loss, self.epoch, self.bad = ev.val_loss, ev.epoch, 0
            self.state = _state(s.model)
        else:
            self.bad += 1
        return self.bad


def _history_keys(s: _Setup) -> list[str]:
    keys = [k for k in HISTORY_KEYS if k not in OPTIONAL_KEYS]
    if s.classify:
        keys += ["train_acc", "test_acc"]
    if s.val is not None:
        keys.append("val_loss")
    return keys


def _record(hist: dict[str, list[float]], ev: StepMetrics) -> None:
    for key in hist:
        hist[key].append(getattr(ev, key))


def _result(s, hist, snaps, seconds, stopped, diverged_epoch, best) -> RunResult:
    m = s.engine.measure(s)
    stats = ("weight_l2", "weight_l1", "zero_fraction", "near_zero_fraction", "n_weights")
    metrics = {
        "train_loss": m["train_loss"],
        "test_loss": m["test_loss"],
        **{k: m[k] for k in stats},
        "n_params": sum(p.numel() for p in s.model.parameters()),
        "seconds": seconds,
        "device": str(s.device),
        "diverged": diverged_epoch is not None,
        "epochs_run": len(hist["epoch"]),
    }
    if s.classify:
        metrics.update(train_acc=m["train_acc"], test_acc=m["test_acc"])
    ds = s.data
    return RunResult(
        config=s.cfg,
        history=hist,
        weights={
            n: layer.weight.detach().reshape(-1).cpu().double().tolist()
            for n, layer in weight_layers(s.model)
        },
        metrics=metrics,
        snapshots=snaps,
        true_w=None if ds.true_w is None else ds.true_w.tolist(),
        task=ds.task,
        stopped=stopped,
        diverged_epoch=diverged_epoch,
        best_epoch=best.epoch,
        image_shape=ds.image_shape,
    )


def fit(
    cfg: TrainConfig | dict | str | None = None,
    stop: StopSignal = None,
    on_epoch: Callable[[StepMetrics], None] | None = None,
    data: Dataset | None = None,
    probe: Probe | None = None,
) -> RunResult:
    """Run :func:`train` to the end and return its :class:`RunResult`.

    Args:
        cfg: the run configuration. stop: as in :func:`train`.
        on_epoch: called with each epoch's :class:`StepMetrics`.
        data: a prepared data set, as in :func:`train`. probe: as in :func:`train`.
    """
    gen = train(cfg, stop=stop, data=data, probe=probe)
    while True:
        try:
            ev = next(gen)
        except StopIteration as done:
            return done.value
        if on_epoch is not None:
            on_epoch(ev)
