"""Regularization paths: K strengths λ (× R repeats) trained as one batched computation.

``sweep(cfg, lambdas)`` trains one model per λ with the same data, initial
weights and batch order, all at once (see regcore.batched). With ``repeats=R``
repeat r draws fresh data (``data.seed + r``) and a fresh init and batch order
(``seed + r``); rows then hold means over repeats and ``*_std`` columns.

Choosing λ honestly: every repeat's training split is carved once
(regcore.data.splits.carve_validation: a share ``optim.val_fraction``, the same
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

Exact paths for linear regression, to draw beside a sweep: regcore.sweeps.paths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import torch

from regcore.batched import can_batch, train_batched
from regcore.core import (
    BOUNDS,
    MAX_WORK,
    REPEAT_KEYS,
    STD_KEYS,
    RunResult,
    StopSignal,
    SweepProgress,
    SweepResult,
    TrainConfig,
    load_config,
    resolve_device,
    stop_requested,
    strength_problem,
    work,
)
from regcore.data import Dataset, carve_validation, make_dataset, named
from regcore.sweeps.paths import exact_path  # noqa: F401  (re-exported)
from regcore.sweeps.sequential import sequential


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
        problem = strength_problem(cfg.reg, lam, hi)  # a kind's own low end (max-norm: c > 0)
        if problem:
            raise ValueError(problem)
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
    return replace(
        res,
        true_w=None if full[0].true_w is None else full[0].true_w.tolist(),
        n_fit=fits[0].X_train.shape[0],
        n_val=vals[0].X_train.shape[0],
        feature_names=named(full[0]),
        data_notes=tuple(full[0].notes),
    )


def _from_batched(cfg, lams, ds: Dataset, out, repeats: int) -> SweepResult:
    epochs_run = out.history["train_loss"].shape[0] if out.history else 0
    means = {key: v.mean(0).tolist() for key, v in out.final.items()}
    by_repeat = {k: out.final[k].T.tolist() for k in REPEAT_KEYS if k in out.final and repeats > 1}
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
        by_repeat=by_repeat,
        weights=weights,
        stopped=out.stopped,
        repeats=repeats,
        history=history,
        task=ds.task,
        batched=True,
        seconds=out.seconds,
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
