"""The λ sweep's sequential fallback: one ``regcore.fit`` per (repeat, λ).

Configs the batched engine does not cover (dropout, normalization layers, CNNs,
early stopping) are swept here, with the same validation carve and the same rows
as the batched path (``lambda_sweep``), which adds what both share (the true weights,
the split sizes).
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import torch

from regcore.core import (
    REPEAT_KEYS,
    STD_KEYS,
    RunResult,
    StopSignal,
    SweepProgress,
    SweepResult,
    TrainConfig,
    stop_requested,
)
from regcore.data import Dataset
from regcore.engine import fit, val_metrics

HIST = (
    "train_loss",
    "val_loss",
    "test_loss",
    "weight_l2",
    "zero_fraction",
    "train_acc",
    "val_acc",
    "test_acc",
)


def fit_validated(
    cfg: TrainConfig, fit_set: Dataset, val: Dataset, stop: StopSignal = None
) -> RunResult:
    """``fit(cfg, data=fit_set)`` with the loss (and accuracy) on ``val`` after each epoch
    in its history and metrics as ``val_loss`` (``val_acc``): one sequential sweep point."""
    curves: dict[str, list[float]] = {"val_loss": [], "val_acc": []}
    final: dict[str, float | None] = {}

    def probe(model, epoch: int, last: bool) -> None:
        loss, acc = val_metrics(model, val)
        if last:
            final.update(val_loss=loss, val_acc=acc)
        else:
            curves["val_loss"].append(loss)
            curves["val_acc"].append(acc)

    run = fit(cfg, stop=stop, data=fit_set, probe=probe)
    keys = ("val_loss", "val_acc") if run.task == "classification" else ("val_loss",)
    # under early stopping run.history's val_loss is its own inner hold-out: replaced
    history = {**run.history, **{k: curves[k] for k in keys}}
    metrics = {**run.metrics, **{k: final[k] for k in keys if k in final}}
    return replace(run, history=history, metrics=metrics)


def sequential(cfg, cfgs, lams, datasets, vals, stop, on_epoch) -> SweepResult:
    """The fallback: one ``fit`` per (repeat, λ); rows as in the batched path."""
    runs: list[list[Any]] = [[None] * len(lams) for _ in cfgs]
    stopped, done, total, t0 = False, 0, len(cfgs) * len(lams), time.perf_counter()
    for r, (c, ds) in enumerate(zip(cfgs, datasets, strict=True)):
        for k, lam in enumerate(lams):
            if stop_requested(stop):
                stopped = True
                break
            runs[r][k] = fit_validated(c.replace(**{"reg.lam": lam}), ds, vals[r], stop)
            done += 1
            if on_epoch is not None:
                on_epoch(_progress(runs, lams, done, total))
    rows, weights, history = [], [], {}
    by_repeat: dict[str, list[list[float]]] = {}
    for k, lam in enumerate(lams):
        got = [runs[r][k] for r in range(len(cfgs)) if runs[r][k] is not None]
        if not got:
            break
        for key in REPEAT_KEYS if len(cfgs) > 1 else ():
            by_repeat.setdefault(key, []).append([g.metrics.get(key, math.nan) for g in got])
        row = {"lam": lam, **got[0].metrics}
        for key in STD_KEYS:
            vals = [g.metrics[key] for g in got if key in g.metrics]
            if vals and len(cfgs) > 1:
                row[key] = float(torch.tensor(vals).mean())
                row[f"{key}_std"] = float(torch.tensor(vals).std()) if len(vals) > 1 else 0.0
        rows.append(row)
        weights.append(got[0].weights)
        for key in HIST:
            if key in got[0].history:
                history.setdefault(key, []).append(list(got[0].history[key]))
    return SweepResult(
        config=cfg,
        lambdas=lams,
        rows=rows,
        by_repeat=by_repeat,
        weights=weights,
        stopped=stopped,
        repeats=len(cfgs),
        history=history,
        task=datasets[0].task,
        batched=False,
        seconds=time.perf_counter() - t0,
    )


def _progress(runs, lams, done: int, total: int) -> SweepProgress:
    def val(key: str) -> tuple[float, ...]:
        return tuple(
            runs[0][k].metrics[key] if runs[0][k] is not None else math.nan
            for k in range(len(lams))
        )

    return SweepProgress(
        epoch=done,
        epochs=total,
        lambdas=tuple(lams),
        train_loss=val("train_loss"),
        test_loss=val("test_loss"),
        weight_l2=val("weight_l2"),
        zero_fraction=val("zero_fraction"),
        val_loss=val("val_loss"),
        seconds=0.0,
    )
