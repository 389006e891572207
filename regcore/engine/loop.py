"""Training: one run of one config, streamed one event per epoch.

Objective (DESIGN.md): J(w, b) = data_loss + λ·Ω(w), where data_loss is the
mean squared error (``nn.MSELoss()``, regression; outputs of shape (n, 1)) or the
mean cross-entropy (classification), and Ω is *summed* over the weights of the
linear/conv layers (see regcore.core.regularizers.kernel). Biases are exempt unless
``reg.penalize_bias``; normalization-layer parameters always are.

How each regularizer enters a step (the kernel's StepFactors, which every engine reads;
each kind's module in regcore.core.regularizers says how it does), for example:
- ``l2``, ``elastic_net`` (L2 part), ``l1`` with solver ``subgradient``: in the
  loss's gradient. With plain SGD, L2 is then exactly
  ``torch.optim.SGD(weight_decay=λ)``.
- ``l1`` / elastic-net L1 part with solver ``proximal``: after the optimizer
  step, w ← sign(w)·max(|w| − t, 0) with t = lr·λ·α (ISTA; Beck & Teboulle 2009), and
  t = lr·λ·α/(1 − μ) with SGD momentum μ, and t_i = lr·λ·α/(√v̂_i + ε) per entry with
  Adam/AdamW (the step size Adam gave it), so that the fixed point is J's minimizer.
- ``weight_decay`` (decoupled; Loshchilov & Hutter 2019): w ← w − lr·λ·w before
  the optimizer's update, which for ``adamw`` is ``torch.optim.AdamW``'s own.

Reported losses are data losses on whole splits in eval mode after each epoch;
``penalty`` is λ·Ω(w) beside them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator

import torch
from torch import nn

from regcore.core import (
    RunResult,
    StepMetrics,
    StopSignal,
    TrainConfig,
    cpu_threads,
    load_config,
    pin_threads,
    stop_requested,
)
from regcore.data import Dataset
from regcore.engine import linear as fastpath
from regcore.engine.autograd import AUTOGRAD
from regcore.engine.mlp import MLP
from regcore.engine.mlp_step import can_fast
from regcore.engine.record import History, finite, make_event, make_result
from regcore.engine.setup import Engine, RunSetup, make_setup
from regcore.engine.snapshots import Snapshots

# probe(model, epoch, final): sees the model in eval mode under no_grad after each epoch
# and once more (final=True) with the weights the result keeps; it must not change them.
Probe = Callable[[nn.Module, int, bool], None]


def pick_engine(cfg: TrainConfig) -> Engine:
    """The one place that picks how a single run trains: a written-out fast path where one
    applies (same numbers, no autograd graph) — linear models (regcore.engine.linear), plain-SGD
    MLPs with no dropout or normalization (regcore.engine.mlp) — else autograd
    (regcore.engine.autograd)."""
    if fastpath.applies(cfg):
        return fastpath.LINEAR
    if can_fast(cfg):
        return MLP
    return AUTOGRAD


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
    with cpu_threads(cfg.threads):  # the numbers depend on it: the config pins it
        return (yield from _train(cfg, stop, data, probe))


def _train(
    cfg: TrainConfig, stop: StopSignal, data: Dataset | None, probe: Probe | None
) -> Generator[StepMetrics, None, RunResult]:
    s = make_setup(cfg, pick_engine(cfg), data)
    hist = History(s.classify, s.val is not None)
    snaps = Snapshots(s.layers, cfg.seed, cfg.optim.epochs)
    best, good = _Best(s.model), _Copy(s.model)  # good: the last finite weights
    stopped, diverged_epoch, t0 = False, None, time.perf_counter()
    for epoch in range(1, cfg.optim.epochs + 1):
        if stop_requested(stop):
            stopped = True
            break
        pin_threads(cfg.threads)  # the consumer may have changed it between two epochs
        ev = _event(s, epoch, t0) if s.engine.train_epoch(s) else None
        if ev is None or not finite(ev):
            diverged_epoch = epoch
            good.restore()
            break
        good.update()
        hist.append(ev)
        snaps.after_epoch(epoch)
        _call_probe(probe, s.model, epoch, False)
        yield ev
        if best.update(ev) >= (cfg.optim.early_stopping_patience or math.inf):
            break
    if best.epoch is not None:
        best.state.restore()
    snaps.finish(hist.last_epoch)  # a stopped run's last (or the early-stopped best) weights
    _call_probe(probe, s.model, best.epoch or len(hist), True)
    return make_result(
        s,
        hist,
        snaps.to_dict(),
        time.perf_counter() - t0,
        stopped=stopped,
        diverged_epoch=diverged_epoch,
        best_epoch=best.epoch,
    )


def _event(s: RunSetup, epoch: int, t0: float) -> StepMetrics:
    m = s.engine.measure(s)
    return make_event(m, epoch, s.cfg.optim.epochs, time.perf_counter() - t0)


def _call_probe(probe: Probe | None, model: nn.Module, epoch: int, final: bool) -> None:
    if probe is None:
        return
    model.eval()
    with torch.no_grad():
        probe(model, epoch, final)
    model.train()


class _Copy:
    """A copy of the model's parameters and buffers, updated in place (no new tensors per
    epoch) and restored into the model. Engines train the model's tensors in place, so
    the detached views of ``state_dict()`` taken once follow them."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.live = model.state_dict()
        self.saved = {k: v.clone() for k, v in self.live.items()}

    def update(self) -> None:
        for k, v in self.live.items():
            self.saved[k].copy_(v)

    def restore(self) -> None:
        self.model.load_state_dict(self.saved)


class _Best:
    """Tracks the best validation loss for early stopping, and its weights."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.loss, self.epoch, self.bad = math.inf, None, 0
        self.state: _Copy | None = None

    def update(self, ev: StepMetrics) -> int:
        """Epochs since the best validation loss (0 without a hold-out)."""
        if ev.val_loss is None:
            return 0
        if ev.val_loss < self.loss:
            self.loss, self.epoch, self.bad = ev.val_loss, ev.epoch, 0
            self.state = self.state or _Copy(self.model)
            self.state.update()
        else:
            self.bad += 1
        return self.bad


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
