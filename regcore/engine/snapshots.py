"""Weight snapshots of a single run: what the Playground's weight-histogram slider shows.

A run keeps every weight layer's weights at up to ``MAX_SNAPSHOTS`` evenly spaced epochs
(the initial weights and the last epoch included); a layer with more than
``SNAPSHOT_SAMPLE`` weights keeps the same random sample of them at every epoch, drawn
from the run seed's ``Stream.SNAPSHOT``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from regcore.data import Stream, make_generator

MAX_SNAPSHOTS = 51  # weight snapshots kept, initial weights included
SNAPSHOT_SAMPLE = 4_000  # weights per layer kept in each snapshot


def snapshot_epochs(epochs: int) -> set[int]:
    """At most ``MAX_SNAPSHOTS`` evenly spaced epochs in 0..epochs, both ends kept."""
    k = min(epochs + 1, MAX_SNAPSHOTS)
    return {round(i * epochs / (k - 1)) for i in range(k)} if k > 1 else {0}


def sample_indices(layers: list[tuple[str, nn.Module]], seed: int) -> dict[str, torch.Tensor]:
    """Per layer with more than ``SNAPSHOT_SAMPLE`` weights, the sorted flat indices kept."""
    g = make_generator(seed, Stream.SNAPSHOT)
    out = {}
    for name, layer in layers:
        n = layer.weight.numel()
        if n > SNAPSHOT_SAMPLE:
            out[name] = torch.randperm(n, generator=g)[:SNAPSHOT_SAMPLE].sort().values
    return out


class Snapshots:
    """The snapshots of one run, starting with the initial weights (epoch 0).

    Args:
        layers: the run's (name, layer) weight layers (regcore.engine.models.weight_layers).
        seed: the run seed (which weights a large layer keeps).
        epochs: the epochs planned (which epochs are kept).
    """

    def __init__(self, layers: list[tuple[str, nn.Module]], seed: int, epochs: int) -> None:
        self.layers = layers
        self.keep = snapshot_epochs(epochs)
        self.sample = sample_indices(layers, seed)
        self.epochs: list[int] = []
        self.values: dict[str, list[list[float]]] = {name: [] for name, _ in layers}
        self.take(0)

    def take(self, epoch: int) -> None:
        """Record the current weights as those of ``epoch``."""
        self.epochs.append(epoch)
        for name, layer in self.layers:
            flat = layer.weight.detach().reshape(-1).to("cpu", torch.float64)
            if name in self.sample:
                flat = flat[self.sample[name]]
            self.values[name].append(flat.tolist())

    def after_epoch(self, epoch: int) -> None:
        """Record the weights if ``epoch`` is one of the kept epochs."""
        if epoch in self.keep:
            self.take(epoch)

    def finish(self, last_epoch: int | None) -> None:
        """Record a stopped (or early-stopped) run's final weights as ``last_epoch``'s."""
        if last_epoch is not None and self.epochs[-1] != last_epoch:
            self.take(last_epoch)

    def to_dict(self) -> dict[str, Any]:
        """``{"epochs": [...], "layers": {name: [weights per kept epoch]}}`` (RunResult)."""
        return {"epochs": self.epochs, "layers": self.values}
