"""Regularization paths: K strengths λ (× R repeats) trained as one batched computation.

``sweep(cfg, lambdas)`` trains one model per λ with the same data, initial
weights and batch order, all at once (see regcore.batched); each λ's row equals
``regcore.fit(cfg.replace(**{"reg.lam": λ}))`` to round-off. With ``repeats=R``
repeat r draws fresh data (``data.seed + r``) and a fresh init and batch order
(``seed + r``); rows then hold means over repeats and ``*_std`` columns.

Configs the batched engine does not cover (dropout, normalization layers, CNNs,
early stopping) fall back to a sequential loop over ``regcore.fit``; the result
says so (``batched = False``).

``exact_path`` gives the exact minimizers for linear regression (DESIGN.md's
mappings): ridge in closed form, w = (XcᵀXc + (nλ/2)I)⁻¹Xcᵀyc on centred data
(bias unpenalized), and scikit-learn's coordinate-descent ``lasso_path`` /
``enet_path`` with alpha = λ/2, l1_ratio = α.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from regcore.batched import SweepProgress, can_batch, train_batched
from regcore.config import BOUNDS, TrainConfig, load_config
from regcore.data import Dataset, make_dataset
from regcore.results import RunResult
from regcore.train import StopSignal, _check_work, _stop_requested, fit, resolve_device

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
    weights: list[dict[str, list[float]]]
    stopped: bool = False
    repeats: int = 1
    history: dict[str, list[list[float]]] = field(default_factory=dict)
    true_w: list[float] | None = None
    task: str = "regression"
    batched: bool = True
    seconds: float = 0.0

    def best_index(self, key: str = "test_loss") -> int | None:
        """Index of the λ with the lowest finite ``key`` among non-diverged rows."""
        vals = [
            (r[key], i)
            for i, r in enumerate(self.rows)
            if not r.get("diverged") and math.isfinite(r.get(key, math.nan))
        ]
        return min(vals)[1] if vals else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "config": self.config.to_dict(),
            "lambdas": self.lambdas,
            "rows": self.rows,
            "repeats": self.repeats,
            "history": self.history,
            "weights": self.weights,
            "true_w": self.true_w,
            "task": self.task,
            "stopped": self.stopped,
            "batched": self.batched,
        }


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
    _check_work(cfg)
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
        stop=lambda: _stop_requested(stop),
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
    weights = [
        {
            name: w[0, k].reshape(-1).tolist()
            for name, w in zip(out.layer_names, out.weights, strict=True)
        }
        for k in range(len(lams))
    ]
    history = {key: h.nanmean(1).T.tolist() for key, h in out.history.items()}
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
    stopped, done, total = False, 0, len(cfgs) * len(lams)
    for r, (c, ds) in enumerate(zip(cfgs, datasets, strict=True)):
        for k, lam in enumerate(lams):
            if _stop_requested(stop):
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
        seconds=sum(r["seconds"] for r in rows[:1]),
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


def exact_path(
    cfg: TrainConfig | dict | str | None, lambdas: Sequence[float], data: Dataset | None = None
) -> dict[str, Any] | None:
    """The exact minimizers of the objective along λ, for linear regression.

    Ridge (``l2``, and ``weight_decay`` with SGD, which follows the same path):
    w = (XcᵀXc + (nλ/2)·I)⁻¹Xcᵀyc on centred data, via one SVD (λ = 0: the
    minimum-norm solution). ``l1`` / ``elastic_net``: scikit-learn's
    ``lasso_path`` / ``enet_path`` with alpha = λ/2 and l1_ratio = α (λ = 0 gives
    the ridge λ = 0 solution). Biases unpenalized.

    Returns:
        ``{"lambdas", "coefs" (K lists of d weights), "method"}``, or None where
        there is no exact path to draw (other models, tasks or regularizers).
    """
    cfg = load_config(cfg)
    kind = cfg.reg.kind
    if kind == "weight_decay" and cfg.optim.name == "sgd":
        kind = "l2"
    if (
        cfg.model.kind != "linear"
        or kind not in ("l2", "l1", "elastic_net")
        or cfg.reg.penalize_bias
    ):
        return None
    ds = data if data is not None else make_dataset(cfg)
    if ds.task != "regression":
        return None
    X, y = ds.X_train.double(), ds.y_train.double()
    Xc, yc = X - X.mean(0), y - y.mean()
    n, lams = X.shape[0], torch.tensor([float(x) for x in lambdas], dtype=torch.float64)
    U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
    uty = U.T @ yc
    shrink = S[None, :] / (S[None, :] ** 2 + n * lams[:, None] / 2)
    shrink = torch.where(S[None, :] > 1e-10 * S.max(), shrink, torch.zeros_like(shrink))
    coefs = (shrink * uty[None, :]) @ Vh  # (K, d)
    method = "ridge, closed form (XcᵀXc + (nλ/2)I)⁻¹Xcᵀyc"
    if kind in ("l1", "elastic_net"):
        coefs = _cd_path(Xc, yc, lams, 1.0 if kind == "l1" else cfg.reg.l1_ratio, coefs)
        method = (
            "scikit-learn lasso_path, alpha = λ/2"
            if kind == "l1"
            else f"scikit-learn enet_path, alpha = λ/2, l1_ratio = {cfg.reg.l1_ratio:g}"
        )
    return {"lambdas": lams.tolist(), "coefs": coefs.tolist(), "method": method}


def _cd_path(Xc, yc, lams: torch.Tensor, l1_ratio: float, ridge: torch.Tensor) -> torch.Tensor:
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import enet_path

    pos = lams > 0
    out = ridge.clone()
    if not bool(pos.any()) or l1_ratio == 0.0:
        return out
    alphas = (lams[pos] / 2).numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        got_alphas, coefs, _ = enet_path(
            Xc.numpy(), yc.numpy(), l1_ratio=l1_ratio, alphas=alphas, max_iter=5000, tol=1e-6
        )
    order = [int(np.argmin(np.abs(got_alphas - a))) for a in alphas]  # returned descending
    out[pos] = torch.as_tensor(coefs[:, order].T, dtype=torch.float64)
    return out
