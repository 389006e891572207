"""What a single run records: one :class:`StepMetrics` per epoch, the history of them, and
the final :class:`RunResult` (regcore.core.results) built from an engine's measure."""

from __future__ import annotations

import math
from typing import Any

from regcore.core import HISTORY_KEYS, OPTIONAL_KEYS, RunResult, StepMetrics
from regcore.engine.setup import RunSetup

FINAL_STATS = ("weight_l2", "weight_l1", "zero_fraction", "near_zero_fraction", "n_weights")


def make_event(m: dict[str, Any], epoch: int, epochs: int, seconds: float) -> StepMetrics:
    """The event of ``epoch`` from an engine's measure ``m``."""
    return StepMetrics(
        epoch=epoch,
        epochs=epochs,
        train_loss=m["train_loss"],
        test_loss=m["test_loss"],
        penalty=m["penalty"],
        weight_l2=m["weight_l2"],
        weight_l1=m["weight_l1"],
        zero_fraction=m["zero_fraction"],
        seconds=seconds,
        train_acc=m["train_acc"],
        test_acc=m["test_acc"],
        val_loss=m["val_loss"],
    )


def finite(ev: StepMetrics) -> bool:
    """Whether the losses, the penalty and ‖w‖₂ of ``ev`` are all finite (else: diverged)."""
    values = [ev.train_loss, ev.test_loss, ev.penalty, ev.weight_l2]
    values += [ev.val_loss] if ev.val_loss is not None else []
    return all(math.isfinite(v) for v in values)


class History:
    """The per-epoch series of a run: ``HISTORY_KEYS``, accuracies only when classifying,
    ``val_loss`` only under early stopping."""

    def __init__(self, classify: bool, validates: bool) -> None:
        keys = [k for k in HISTORY_KEYS if k not in OPTIONAL_KEYS]
        keys += ["train_acc", "test_acc"] if classify else []
        keys += ["val_loss"] if validates else []
        self.series: dict[str, list[float]] = {k: [] for k in keys}

    def append(self, ev: StepMetrics) -> None:
        """Add one epoch's values."""
        for key, values in self.series.items():
            values.append(getattr(ev, key))

    @property
    def last_epoch(self) -> int | None:
        """The last epoch recorded (None before the first)."""
        epochs = self.series["epoch"]
        return epochs[-1] if epochs else None

    def __len__(self) -> int:
        return len(self.series["epoch"])


def make_result(
    s: RunSetup,
    history: History,
    snapshots: dict[str, Any],
    seconds: float,
    *,
    stopped: bool,
    diverged_epoch: int | None,
    best_epoch: int | None,
) -> RunResult:
    """The :class:`RunResult` of the run's current (kept) weights: the final measure, the
    history, the snapshots and the flattened weights of every weight layer."""
    m = s.engine.measure(s)
    metrics = {
        "train_loss": m["train_loss"],
        "test_loss": m["test_loss"],
        **{k: m[k] for k in FINAL_STATS},
        "n_params": sum(p.numel() for p in s.model.parameters()),
        "seconds": seconds,
        "device": str(s.device),
        "diverged": diverged_epoch is not None,
        "epochs_run": len(history),
    }
    if s.classify:
        metrics.update(train_acc=m["train_acc"], test_acc=m["test_acc"])
    ds = s.data
    return RunResult(
        config=s.cfg,
        history=history.series,
        weights={
            name: layer.weight.detach().reshape(-1).cpu().double().tolist()
            for name, layer in s.layers
        },
        metrics=metrics,
        snapshots=snapshots,
        true_w=None if ds.true_w is None else ds.true_w.tolist(),
        task=ds.task,
        stopped=stopped,
        diverged_epoch=diverged_epoch,
        best_epoch=best_epoch,
        image_shape=ds.image_shape,
        data_notes=ds.notes,
    )
