"""The plain-MLP fast path as a single-run engine: regcore.engine.mlp_step's written-out step.

``regcore.train.pick_engine`` takes it when ``regcore.engine.mlp_step.can_fast`` holds (an MLP
with no dropout, no normalization and plain SGD). :class:`~regcore.engine.mlp_step.FastMLP`
trains the model's ``nn.Linear`` layers in place, so snapshots, early stopping and
divergence restores work as with the autograd engine; the batch order is the autograd
engine's, and the measure is too, with FastMLP's forward pass for the split losses.
"""

from __future__ import annotations

from typing import Any

import torch

from regcore.engine.autograd import measure_with
from regcore.engine.mlp_step import FastMLP
from regcore.engine.setup import Engine, RunSetup, Split


def prepare(s: RunSetup) -> None:
    """The run's :class:`FastMLP` (its buffers) on the model's layers."""
    s.scratch["mlp"] = FastMLP(s.cfg, s.model, s.classify)


def train_epoch(s: RunSetup) -> bool:
    """One pass in the autograd engine's batch order. Always True: a non-finite step leaves
    non-finite weights, which the epoch's measure reports at the same epoch."""
    n = s.fit.X.shape[0]
    order = torch.randperm(n, generator=s.batch_gen).to(s.device)
    s.scratch["mlp"].epoch(s.fit.X, s.fit.y, order, n)
    return True


def _evaluate(s: RunSetup, split: Split) -> tuple[float, float | None]:
    return s.scratch["mlp"].evaluate(split.X, split.y)


def measure(s: RunSetup) -> dict[str, Any]:
    """The autograd engine's measure, the split losses from FastMLP's forward pass."""
    return measure_with(s, _evaluate)


MLP = Engine("mlp", prepare, train_epoch, measure)
