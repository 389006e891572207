"""Frozen, picklable results: one event per epoch and the result of a run."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from regcore.core.config import TrainConfig


@dataclass(frozen=True)
class StepMetrics:
    """Progress after one epoch. Losses are data losses on whole splits, eval mode."""

    epoch: int  # 1-based epoch just finished
    epochs: int  # epochs planned
    train_loss: float
    test_loss: float
    penalty: float  # λ·Ω(w) at the end of the epoch (0 for decoupled decay)
    weight_l2: float  # ‖w‖₂ over penalized weights
    weight_l1: float
    zero_fraction: float  # share of weights exactly 0
    seconds: float  # since the run started
    train_acc: float | None = None
    test_acc: float | None = None
    val_loss: float | None = None


# The per-epoch history's keys, in StepMetrics' order ("epochs" is the plan, not a series).
HISTORY_KEYS = tuple(f.name for f in fields(StepMetrics) if f.name != "epochs")
OPTIONAL_KEYS = ("train_acc", "test_acc", "val_loss")  # classification / early stopping only


@dataclass(frozen=True)
class RunResult:
    """What a run produced (DESIGN.md's result JSON is ``to_dict()``)."""

    config: TrainConfig
    history: dict[str, list[float]]  # epoch, train_loss, test_loss, penalty, ...
    weights: dict[str, list[float]]  # final weights per layer, flattened
    metrics: dict[str, Any]
    snapshots: dict[str, Any] = field(default_factory=dict)  # epochs + per-layer lists
    true_w: list[float] | None = None
    task: str = "regression"
    stopped: bool = False  # a stop request ended the run early
    diverged_epoch: int | None = None
    best_epoch: int | None = None  # early stopping: the epoch whose weights were kept
    image_shape: tuple[int, int] | None = None

    @property
    def diverged(self) -> bool:
        return bool(self.metrics.get("diverged"))

    def to_dict(self) -> dict[str, Any]:
        """The result JSON: config, history, weights, metrics (+ snapshots, truth).

        Non-finite numbers become ``None`` so the output is strict JSON.
        """
        return json_safe(
            {
                "config": self.config.to_dict(),
                "history": self.history,
                "weights": self.weights,
                "metrics": self.metrics,
                "snapshots": self.snapshots,
                "true_w": self.true_w,
                "task": self.task,
                "stopped": self.stopped,
                "diverged_epoch": self.diverged_epoch,
                "best_epoch": self.best_epoch,
            }
        )


MAX_COEFS = 200  # coefficients per λ carried by progress events (coefficient paths)


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
    val_loss: tuple[float, ...] = ()  # on the validation split; empty without one


def json_safe(value: Any) -> Any:
    """A copy of nested dicts/lists with NaN and ±Inf replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
