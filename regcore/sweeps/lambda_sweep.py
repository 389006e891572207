"""Regularization paths: K strengths λ (× R repeats) trained as one batched computation.

``sweep(cfg, lambdas)`` trains one model per λ with the same data, initial
weights and batch order, all at once (see regcore.batched). With ``repeats=R``
repeat r draws fresh data (``data.seed + r``) and a fresh init and batch order
(``seed + r``); rows then hold means over repeats and ``*_std`` columns.

Choosing λ honestly: every repeat's training split is carved once
(regcore.splits.carve_validation: a share ``optim.val_fraction``, the same
samples early stopping and the dropout page hold out); the models train on the
rest, the held-out samples give a validation loss per λ (``val_loss``, with
``val_loss_std`` over repeats), and :attr:`SweepResult.best_index` is the λ with
the lowest mean *validation* loss. Its test loss is then an honest estimate; the
λ with the lowest test loss is reported only to show how optimistic that choice
would be. Each λ's row equals ``fit(cfg with λ, data=fit split)`` with the
validation loss of its final model.

Configs the batched engine does not cover (dropout, normalization layers, CNNs,
early stopping) fall back to a sequential loop over ``regcore.fit``; the result
says so (``batched = False``). Early stopping there carves its own hold-out from
the fit split, so the epoch and λ are never chosen on the same samples.

Exact paths for linear regression, to draw beside a sweep: regcore.paths.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch

from regcore.batched import can_batch, train_batched
from regcore.core import (
    BOUNDS,
    MAX_WORK,
    RunResult,
    StopSignal,
    SweepProgress,
    TrainConfig,
    load_config,
    resolve_device,
    stop_requested,
    work,
)
from regcore.data import Dataset, carve_validation, make_dataset
from regcore.sweeps.paths import exact_path  # noqa: F401  (re-exported)

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
            "history": {key: list(curves) for key, curves in self.history.items()},
            "weights": list(self.weights),
            "true_w": self.true_w,
            "task": self.task,
            "stopped": self.stopped,
            "batched": self.batched,
        }


def _lowest(rows: Sequence[dict[str, Any]], key: str) -> int | None:
    vals = [
        (float(r[key]), i)
        for i, r in enumerate(rows)
        if r.get(key) is not None and not r.get("diverged") and math.isfinite(float(r[key]))
    ]
    return min(vals)[1] if vals else None


def fit_split(cfg: TrainConfig | dict | str | None, repeat: int = 0) -> Dataset:
    """The data a sweep's models of repeat ``repeat`` fit: the training split minus its
    validation carve (for an exact path beside the trained one)."""
    cfg = load_config(cfg)
    if repeat:
        cfg = cfg.replace(**{"seed": cfg.seed + repeat, "data.seed": cfg.data.seed + repeat})
    return carve_validation(cfg, make_dataset(cfg))[0]


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
    full = [make_dataset(c) for c in cfgs]
    carved = [carve_validation(c, ds) for c, ds in zip(cfgs, full, strict=True)]
    fits, vals = [f for f, _ in carved], [v for _, v in carved]
    if not can_batch(cfg):
        from regcore.sweeps.sequential import sequential  # imports this module's SweepResult

        res = sequential(cfg, cfgs, lams, fits, vals, stop, on_epoch)
    else:
        out = train_batched(
            cfg,
            lams,
            fits,
            [c.seed for c in cfgs],
            resolve_device(cfg.device),
            stop=lambda: stop_requested(stop),
            on_epoch=on_epoch,
            val=vals,
        )
        res = _from_batched(cfg, lams, full[0], out, repeats)
    return replace(res, n_fit=fits[0].X_train.shape[0], n_val=vals[0].X_train.shape[0])


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
