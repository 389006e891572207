"""Sweeps over networks: the dropout rate with repeats, and normalization against batch size.

``dropout_sweep`` trains, for every drop probability p and every repeat r, the
base network with ``model.dropout = p`` and run seed ``seed + r`` (a fresh
initialization, batch order and dropout masks) on one fit split of the training
data; it reports the mean and std over the repeats of the test loss and accuracy
and of the loss on a validation split carved from the training data (never the
test set). The best p is the one with the lowest mean *validation* loss; its test
loss is reported beside it. Each point is exactly the sequential run
``fit(cfg, data=fit_split)`` (tested).

``small_batches`` trains one network per (normalization, batch size) on the same
data and seed: BatchNorm's batch statistics get noisy as the batch shrinks and
no longer match the running statistics it uses at test time, while LayerNorm and
GroupNorm normalize each sample by itself (Wu & He 2018, *Group Normalization*).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from regcore.core import RunResult, StopSignal, TrainConfig, load_config, stop_requested
from regcore.data import make_dataset
from regcore.engine import fit, val_metrics
from regcore.experiments.dropout.networks import carve_validation

OnProgress = Callable[[dict[str, Any]], None]
MAX_SWEEP_RUNS = 200  # rates × repeats a page may ask for


@dataclass(frozen=True)
class DropoutSweepResult:
    """Per drop probability: mean and std over repeats of validation and test numbers."""

    rates: list[float]
    repeats: int
    val_loss: list[float]
    val_loss_std: list[float]
    test_loss: list[float]
    test_loss_std: list[float]
    test_acc: list[float] | None  # classification only
    test_acc_std: list[float] | None
    per_run: list[list[dict[str, float]]]  # [rate][repeat]: val_loss, test_loss, test_acc
    n_fit: int  # training samples the runs fit
    n_val: int  # samples held out for validation
    stopped: bool = False
    seconds: float = 0.0

    @property
    def best_index(self) -> int | None:
        """Index of the rate with the lowest mean validation loss (complete rates only)."""
        done = [i for i, runs in enumerate(self.per_run) if len(runs) == self.repeats]
        return min(done, key=lambda i: self.val_loss[i]) if done else None

    @property
    def best_rate(self) -> float | None:
        i = self.best_index
        return None if i is None else self.rates[i]


def _mean_std(values: list[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    return statistics.fmean(values), statistics.pstdev(values) if len(values) > 1 else 0.0


def sweep_configs(
    base: TrainConfig, rates: Sequence[float], repeats: int
) -> list[list[TrainConfig]]:
    """The config of every (rate, repeat) run, validated before any training."""
    if not 1 <= repeats <= 20:
        raise ValueError(f"repeats = {repeats} is out of range: allowed 1 to 20")
    if not rates:
        raise ValueError("the dropout sweep needs at least one rate")
    if len(rates) * repeats > MAX_SWEEP_RUNS:
        raise ValueError(
            f"{len(rates)} rates × {repeats} repeats = {len(rates) * repeats} runs: "
            f"allowed at most {MAX_SWEEP_RUNS}"
        )
    return [
        [base.replace(**{"model.dropout": float(p), "seed": base.seed + r}) for r in range(repeats)]
        for p in rates
    ]


def dropout_sweep(
    base: TrainConfig | dict | str | None,
    rates: Sequence[float],
    repeats: int = 3,
    stop: StopSignal = None,
    on_progress: OnProgress | None = None,
) -> DropoutSweepResult:
    """Test and validation loss against the drop probability, R repeats per rate.

    Args:
        base: the network (anything ``load_config`` takes); ``model.dropout`` and
            ``seed`` are replaced per run, early stopping is not used.
        rates: drop probabilities, each in [0, 0.95]. repeats: R, 1 to 20.
        stop: ends the sweep before the next run (finished rates are kept).
        on_progress: called after each run with ``{"rate", "repeat", "runs_done",
            "runs_total", "val_loss", "test_loss", "test_acc"}``.

    Returns:
        A :class:`DropoutSweepResult`.
    """
    base = load_config(base).replace(**{"optim.early_stopping_patience": None})
    grid = sweep_configs(base, rates, repeats)
    fit_set, val_set = carve_validation(base, make_dataset(base))
    per_run: list[list[dict[str, float]]] = []
    stopped, t0, done = False, time.perf_counter(), 0
    for p, cfgs in zip(rates, grid, strict=True):
        row: list[dict[str, float]] = []
        for r, cfg in enumerate(cfgs):
            if stop_requested(stop):
                stopped = True
                break
            kept: dict[str, Any] = {}

            def probe(model, epoch, final, kept=kept):
                if final:
                    kept["val"] = val_metrics(model, val_set)

            run = fit(cfg, stop=stop, data=fit_set, probe=probe)
            numbers = _numbers(run, kept["val"][0])
            row.append(numbers)
            done += 1
            if on_progress is not None:
                on_progress(
                    {"rate": p, "repeat": r, "runs_done": done, "runs_total": len(rates) * repeats}
                    | numbers
                )
            if run.stopped:
                stopped = True
                break
        if row:
            per_run.append(row)
        if stopped:
            break
    return _sweep_result(rates, repeats, per_run, fit_set, val_set, stopped, t0)


def _numbers(run: RunResult, val_loss: float) -> dict[str, float]:
    m = run.metrics
    out = {"val_loss": val_loss, "test_loss": m["test_loss"]}
    if run.task == "classification":
        out["test_acc"] = m["test_acc"]
    return out


def _sweep_result(rates, repeats, per_run, fit_set, val_set, stopped, t0) -> DropoutSweepResult:
    def stat(key: str) -> tuple[list[float], list[float]]:
        pairs = [_mean_std([run[key] for run in row]) for row in per_run]
        return [a for a, _ in pairs], [b for _, b in pairs]

    classify = fit_set.task == "classification"
    val, val_sd = stat("val_loss")
    test, test_sd = stat("test_loss")
    acc, acc_sd = stat("test_acc") if classify else (None, None)
    return DropoutSweepResult(
        rates=[float(p) for p in rates[: len(per_run)]],
        repeats=repeats,
        val_loss=val,
        val_loss_std=val_sd,
        test_loss=test,
        test_loss_std=test_sd,
        test_acc=acc,
        test_acc_std=acc_sd,
        per_run=per_run,
        n_fit=fit_set.X_train.shape[0],
        n_val=val_set.X_train.shape[0],
        stopped=stopped,
        seconds=time.perf_counter() - t0,
    )


@dataclass(frozen=True)
class SmallBatchResult:
    """One history per (normalization, batch size), all on the same data and seed."""

    norms: tuple[str, ...]
    batch_sizes: tuple[int, ...]
    histories: dict[str, dict[str, list[float]]]  # key f"{norm}@{batch}" -> history
    final: dict[str, dict[str, float]]  # key -> train_loss, test_loss, test_acc
    stopped: bool = False
    seconds: float = 0.0


NORMS = ("batch", "group", "layer")  # the normalizations small_batches compares
BATCH_SIZES = (2, 4, 32)  # at these batch sizes


def small_batch_configs(
    base: TrainConfig, norms: Sequence[str] = NORMS, batch_sizes: Sequence[int] = BATCH_SIZES
) -> dict[tuple[str, int], TrainConfig]:
    """The runs of :func:`small_batches`: ``base`` with each normalization at each batch
    size, by (norm, batch size)."""
    return {
        (n, int(b)): base.replace(**{"model.norm": n, "optim.batch_size": int(b)})
        for n in norms
        for b in batch_sizes
    }


def small_batches(
    base: TrainConfig | dict | str | None,
    norms: Sequence[str] = NORMS,
    batch_sizes: Sequence[int] = BATCH_SIZES,
    stop: StopSignal = None,
    on_progress: OnProgress | None = None,
) -> SmallBatchResult:
    """Train the base network with each normalization at each batch size.

    Args:
        base: the network; ``model.norm`` and ``optim.batch_size`` are replaced
            (dropout is kept as in ``base``). Every run uses ``base.seed``.
        norms: normalizations, e.g. batch, group, layer. batch_sizes: sizes ≥ 2.
        stop, on_progress: as in :func:`dropout_sweep` (progress has "norm", "batch").

    Returns:
        A :class:`SmallBatchResult`.
    """
    base = load_config(base)
    cfgs = small_batch_configs(base, norms, batch_sizes)
    data = make_dataset(base)
    hist: dict[str, dict[str, list[float]]] = {}
    final: dict[str, dict[str, float]] = {}
    stopped, t0 = False, time.perf_counter()
    for k, ((n, b), cfg) in enumerate(cfgs.items()):
        if stop_requested(stop):
            stopped = True
            break
        run = fit(cfg, stop=stop, data=data)
        key = f"{n}@{b}"
        hist[key] = run.history
        final[key] = {
            k2: run.metrics[k2]
            for k2 in ("train_loss", "test_loss", "test_acc")
            if k2 in run.metrics
        }
        if on_progress is not None:
            on_progress({"norm": n, "batch": b, "runs_done": k + 1, "runs_total": len(cfgs)})
        if run.stopped:
            stopped = True
            break
    return SmallBatchResult(
        norms=tuple(norms),
        batch_sizes=tuple(int(b) for b in batch_sizes),
        histories=hist,
        final=final,
        stopped=stopped,
        seconds=time.perf_counter() - t0,
    )
