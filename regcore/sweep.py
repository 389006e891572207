"""Regularization paths: K strengths λ (× R repeats) trained as one batched computation.

``sweep(cfg, lambdas)`` trains one model per λ with the same data, initial
weights and batch order, all at once (see regcore.batched); each λ's row equals
``regcore.fit(cfg.replace(**{"reg.lam": λ}))`` to round-off. With ``repeats=R``
repeat r draws fresh data (``data.seed + r``) and a fresh init and batch order
(``seed + r``); rows then hold means over repeats and ``*_std`` columns.

Configs the batched engine does not cover (dropout, normalization layers, CNNs,
early stopping) fall back to a sequential loop over ``regcore.fit``; the result
says so (``batched = False``).

Exact paths for linear regression, to draw beside a sweep: regcore.paths.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from regcore.batched import can_batch, train_batched
from regcore.bounds import BOUNDS, MAX_WORK
from regcore.config import TrainConfig, load_config, work
from regcore.data import Dataset, make_dataset
from regcore.paths import exact_path  # noqa: F401  (re-exported)
from regcore.results import RunResult, SweepProgress
from regcore.runtime import StopSignal, resolve_device, stop_requested
from regcore.train import fit

STD_KEYS = (
    "train_loss",
    "test_loss",
    "weight_l2",
    "weight_l1",
    "zero_fraction",
    "near_zero_fraction",
    "train_acc",
    "test_acc",
)


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "config": self.config.to_dict(),
            "lambdas": self.lambdas,
            "rows": self.rows,
            "repeats": self.repeats,
            "history": {key: list(curves) for key, curves in self.history.items()},
            "weights": list(self.weights),
            "true_w": self.true_w,
            "task": self.task,
            "stopped": self.stopped,
            "batched": self.batched,
        }


class CurveRows(Sequence):
    """Row k of a (K, T) tensor as a list of floats, made only when read."""

    def __init__(self, table: torch.Tensor) -> None:
        self.table = table

    def __len__(self) -> int:
        return self.table.shape[0]

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(len(self))[k]]
        return self.table[k].tolist()


class LayerRows(Sequence):
    """Final weights per λ as ``{layer: flat list}``, made into lists only when read
    (a 256-λ sweep need not build 256 × n_weights Python floats nobody looks at)."""

    def __init__(self, names: list[str], tensors: list[torch.Tensor]) -> None:
        self.names, self.tensors = names, tensors  # tensors: (K, n_weights of the layer)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(len(self))[k]]
        return {n: t[k].tolist() for n, t in zip(self.names, self.tensors, strict=True)}


def log_grid(lo: float, hi: float, k: int) -> list[float]:
    """K log-spaced strengths from ``lo`` to ``hi`` (both > 0; one value when k = 1 or
    lo = hi), both ends exact: ``np.geomspace``."""
    if k == 1 or lo == hi:
        return [float(lo)]
    return [float(x) for x in np.geomspace(lo, hi, k)]


def sweep(
    cfg: TrainConfig | dict | str | None,
    lambdas: Sequence[float],
    stop: StopSignal = None,
    *,
    repeats: int = 1,
    on_epoch: Callable[[SweepProgress], None] | None = None,
) -> SweepResult:
    """Train one model per λ (× ``repeats``), everything else equal, in one batch.

    Args:
        cfg: the base configuration; its ``reg.lam`` is replaced by each λ.
        lambdas: the K strengths, each within the bounds of ``reg.lam``.
        stop: an ``Event`` or callable, checked before every epoch; the result
            then holds the epochs computed (``stopped = True``).
        repeats: R ≥ 1 draws of data, init and batch order (seeds + r).
        on_epoch: called after each epoch with a :class:`SweepProgress` (per-λ
            means); in the sequential fallback, after each finished run.

    Returns:
        A :class:`SweepResult`.
    """
    cfg = load_config(cfg)
    lams = [float(x) for x in lambdas]
    if not lams:
        raise ValueError("lambdas is empty: give at least one strength λ")
    lo, hi = BOUNDS["reg.lam"]
    for lam in lams:
        if not lo <= lam <= hi:  # NaN fails too
            raise ValueError(f"reg.lam = {lam!r} is out of range: allowed from {lo:g} to {hi:g}")
    if not 1 <= repeats <= 64:
        raise ValueError(f"repeats = {repeats} is out of range: allowed 1 to 64")
    total = work(cfg) * len(lams) * repeats
    if total > MAX_WORK:
        raise ValueError(
            f"this sweep is too large for the server: {len(lams)} λ × {repeats} repeats × "
            f"{work(cfg):.2g} per model = {total:.2g} exceeds {MAX_WORK:.2g}; use fewer λ "
            "points, repeats, epochs or samples"
        )
    cfgs = [cfg] + [
        cfg.replace(**{"seed": cfg.seed + r, "data.seed": cfg.data.seed + r})
        for r in range(1, repeats)
    ]
    datasets = [make_dataset(c) for c in cfgs]
    if not can_batch(cfg):
        return _sequential(cfg, cfgs, lams, datasets, stop, on_epoch)
    out = train_batched(
        cfg,
        lams,
        datasets,
        [c.seed for c in cfgs],
        resolve_device(cfg.device),
        stop=lambda: stop_requested(stop),
        on_epoch=on_epoch,
    )
    return _from_batched(cfg, lams, datasets[0], out, repeats)


def _from_batched(cfg, lams, ds: Dataset, out, repeats: int) -> SweepResult:
    epochs_run = out.history["train_loss"].shape[0] if out.history else 0
    means = {key: v.mean(0).tolist() for key, v in out.final.items()}
    stds = {
        key: v.std(0).tolist() for key, v in out.final.items() if key in STD_KEYS and repeats > 1
    }
    div = out.diverged_epoch
    n_div = (div > 0).sum(0).tolist()
    runs = torch.where(div > 0, div - 1, epochs_run).amin(0).tolist()
    common = {
        "n_weights": sum(w[0, 0].numel() for w in out.weights),
        "n_params": out.n_params,
        "seconds": out.seconds,
        "device": out.device,
    }
    rows = []
    for k, lam in enumerate(lams):
        row: dict[str, Any] = {
            "lam": lam,
            **{key: v[k] for key, v in means.items()},
            **common,
            "diverged": n_div[k] > 0,
            "epochs_run": int(runs[k]),
        }
        if repeats > 1:
            row.update({f"{key}_std": v[k] for key, v in stds.items()})
            row["diverged_repeats"] = int(n_div[k])
        rows.append(row)
    weights = LayerRows(out.layer_names, [w[0].reshape(len(lams), -1) for w in out.weights])
    history = {
        key: CurveRows((h[:, 0] if repeats == 1 else h.nanmean(1)).T)
        for key, h in out.history.items()
    }
    return SweepResult(
        config=cfg,
        lambdas=lams,
        rows=rows,
        weights=weights,
        stopped=out.stopped,
        repeats=repeats,
        history=history,
        true_w=_true_w(ds),
        task=ds.task,
        batched=True,
        seconds=out.seconds,
    )


def _true_w(ds: Dataset) -> list[float] | None:
    return None if ds.true_w is None else ds.true_w.tolist()


HIST = ("train_loss", "test_loss", "weight_l2", "zero_fraction", "train_acc", "test_acc")


def _sequential(cfg, cfgs, lams, datasets, stop, on_epoch) -> SweepResult:
    """The fallback: one ``fit`` per (repeat, λ); rows as in the batched path."""
    runs: list[list[Any]] = [[None] * len(lams) for _ in cfgs]
    stopped, done, total, t0 = False, 0, len(cfgs) * len(lams), time.perf_counter()
    for r, (c, ds) in enumerate(zip(cfgs, datasets, strict=True)):
        for k, lam in enumerate(lams):
            if stop_requested(stop):
                stopped = True
                break
            runs[r][k] = fit(c.replace(**{"reg.lam": lam}), stop=stop, data=ds)
            done += 1
            if on_epoch is not None:
                on_epoch(_seq_progress(runs, lams, done, total))
    rows, weights, history = [], [], {}
    for k, lam in enumerate(lams):
        got = [runs[r][k] for r in range(len(cfgs)) if runs[r][k] is not None]
        if not got:
            break
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
        weights=weights,
        stopped=stopped,
        repeats=len(cfgs),
        history=history,
        true_w=_true_w(datasets[0]),
        task=datasets[0].task,
        batched=False,
        seconds=time.perf_counter() - t0,
    )


def _seq_progress(runs, lams, done: int, total: int) -> SweepProgress:
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
        seconds=0.0,
    )


def run_result(result: SweepResult, k: int) -> RunResult:
    """The λ_k row of a sweep as a :class:`RunResult` (for the playground's figures)."""
    row = result.rows[k]
    metrics = {key: v for key, v in row.items() if key != "lam"}
    history = {key: curves[k] for key, curves in result.history.items() if k < len(curves)}
    history["epoch"] = list(range(1, len(history.get("train_loss", [])) + 1))
    return RunResult(
        config=result.config.replace(**{"reg.lam": row["lam"]}),
        history=history,
        weights=result.weights[k],
        metrics=metrics,
        true_w=result.true_w,
        task=result.task,
        stopped=result.stopped,
    )
