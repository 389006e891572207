"""Frozen, picklable results: one event per epoch, the result of a run, a sweep's progress
and its result (one row per λ)."""

from __future__ import annotations

import math
from collections.abc import Sequence
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
    data_notes: tuple[str, ...] = ()  # what was done to a table to make it usable

    @property
    def diverged(self) -> bool:
        return bool(self.metrics.get("diverged"))

    def to_dict(self) -> dict[str, Any]:
        """The result JSON: config, history, weights, metrics (+ snapshots, truth).

        Non-finite numbers become ``None`` so the output is strict JSON. A table's
        ``data_notes`` (what was done to it) are there when it has any.
        """
        notes = {"data_notes": list(self.data_notes)} if self.data_notes else {}
        return json_safe(
            {
                **notes,
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


# the sweep row keys averaged over repeats (with a "_std" column beside each)
STD_KEYS = (
    "train_loss",
    "val_loss",
    "test_loss",
    "weight_l2",
    "weight_l1",
    "zero_fraction",
    "near_zero_fraction",
    "train_acc",
    "val_acc",
    "test_acc",
)
CHOICE_RULE = "lowest mean validation loss"
REPEAT_KEYS = ("val_loss", "test_loss")  # kept per repeat: a choice's spread and median


@dataclass(frozen=True)
class SweepResult:
    """One row per λ: final losses and weight statistics, plus final weights and curves.

    ``rows[k]`` has ``lam`` and the keys of ``RunResult.metrics`` (means over
    repeats, with ``*_std`` when ``repeats > 1``). ``weights[k]`` maps layer name
    to the flat final weights of λ_k (repeat 0). ``history[key][k]`` is the
    per-epoch curve of λ_k (mean over repeats) for train_loss, test_loss,
    weight_l2 and zero_fraction (+ accuracies for classification).
    """

    config: TrainConfig
    lambdas: list[float]
    rows: list[dict[str, Any]]
    weights: Sequence[dict[str, list[float]]]  # per λ; LayerRows makes lists on access
    stopped: bool = False
    repeats: int = 1
    history: dict[str, Sequence[list[float]]] = field(default_factory=dict)  # per λ
    true_w: list[float] | None = None
    task: str = "regression"
    batched: bool = True
    seconds: float = 0.0
    n_fit: int = 0  # training samples each model fits (per repeat)
    n_val: int = 0  # training samples held out for validation (0: none, an old export)
    # val_loss and test_loss per λ, one value per repeat (repeats > 1; empty before, or R = 1)
    by_repeat: dict[str, list[list[float]]] = field(default_factory=dict)
    feature_names: tuple[str, ...] = ()  # the inputs' names (a table's columns)
    data_notes: tuple[str, ...] = ()  # what was done to a table to make it usable

    @property
    def best_index(self) -> int | None:
        """The λ chosen on validation: lowest finite mean ``val_loss`` (None without one)."""
        return _lowest(self.rows, "val_loss")

    @property
    def test_best_index(self) -> int | None:
        """The λ with the lowest test loss: what peeking at the test set would pick."""
        return _lowest(self.rows, "test_loss")

    def choice(self) -> dict[str, Any] | None:
        """The chosen λ and its numbers, plus what choosing on the test set would give."""
        k, t = self.best_index, self.test_best_index
        if k is None:
            return None
        row = self.rows[k]
        out = {
            "rule": CHOICE_RULE,
            "index": k,
            "lam": row["lam"],
            "val_loss": row["val_loss"],
            "test_loss": row["test_loss"],
            "n_fit": self.n_fit,
            "n_val": self.n_val,
        }
        if t is not None:
            out.update(lam_by_test=self.rows[t]["lam"], test_loss_by_test=self.rows[t]["test_loss"])
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "config": self.config.to_dict(),
            "lambdas": self.lambdas,
            "rows": self.rows,
            "choice": self.choice(),
            "n_fit": self.n_fit,
            "n_val": self.n_val,
            "repeats": self.repeats,
            "by_repeat": self.by_repeat,
            "history": {key: list(curves) for key, curves in self.history.items()},
            "weights": list(self.weights),
            "true_w": self.true_w,
            "task": self.task,
            "stopped": self.stopped,
            "batched": self.batched,
            **({"feature_names": list(self.feature_names)} if self.feature_names else {}),
            **({"data_notes": list(self.data_notes)} if self.data_notes else {}),
        }


def _lowest(rows: Sequence[dict[str, Any]], key: str) -> int | None:
    vals = [
        (float(r[key]), i)
        for i, r in enumerate(rows)
        if r.get(key) is not None and not r.get("diverged") and math.isfinite(float(r[key]))
    ]
    return min(vals)[1] if vals else None


def json_safe(value: Any) -> Any:
    """A copy of nested dicts/lists with NaN and ±Inf replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
