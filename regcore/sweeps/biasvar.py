"""Bias–variance decomposition of the test error, measured by retraining.

For a data set whose truth f is known (``linear``, ``sparse_linear``,
``polynomial``), R fresh training sets are drawn from the same distribution and
the same truth; for each λ the R models (one per training set, with the init
and batch order of run seed ``seed + r``) are trained at once (regcore.batched)
and predict a fixed test set x₁…x_m. With f̂_r the prediction of model r and
f̄ = mean_r f̂_r:

    bias²    = mean_x (f̄(x) − f(x))²
    variance = mean_x mean_r (f̂_r(x) − f̄(x))²      (1/R: the terms add up exactly)
    noise    = σ²                                   (the data set's noise variance)

and the expected test error on fresh noisy targets y = f(x) + ε is measured
directly as mean_r mean_x (f̂_r(x) − y_r(x))². In expectation the two agree:
E[(f̂ − y)²] = bias² + variance + σ² (Hastie, Tibshirani & Friedman, *Elements
of Statistical Learning*, §7.3). Their difference is sampling error of the noise,
with standard error sqrt((2σ⁴ + 4σ²·mean (f̂ − f)²) / (R·m)), reported as
``identity_se``. Variance here is over the training set *and* the initialization
and batch order, as a user retraining the model would see it.

The fresh sets follow regcore.data's conventions (x ~ N(0, 1)^d, y = x·w* + b* +
ε; polynomial x ~ U(−1, 1), features x¹…x^d standardized with each training
set's own statistics) and come from their own generator streams, so
``make_dataset`` is unchanged; the truth (w*, b*, including sparse_linear's
support) is that of ``make_dataset(cfg)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import torch

from regcore.batched import can_batch, train_batched
from regcore.core import (
    StopSignal,
    SweepProgress,
    TrainConfig,
    load_config,
    resolve_device,
    stop_requested,
)
from regcore.data import Dataset, Stream, make_dataset, make_generator
from regcore.engine import fit

KNOWN_TRUTH = ("linear", "sparse_linear", "polynomial")


@dataclass(frozen=True)
class BiasVarianceResult:
    """Per point: bias², variance, noise, their sum, and the measured expected test MSE.

    A point is a λ (``over = "reg.lam"``) or a drop probability (``"model.dropout"``,
    then ``rates`` holds them and ``lambdas`` the fixed λ of every point).
    """

    lambdas: list[float]
    bias2: list[float]
    variance: list[float]
    noise: float
    total: list[float]  # bias² + variance + noise
    measured: list[float]  # mean_r mean_x (f̂_r(x) − y_r(x))² on fresh noisy targets
    measured_std: list[float]  # std over repeats of the per-repeat test MSE
    identity_se: list[float]  # standard error of measured − total
    repeats: int
    n_test: int
    stopped: bool = False
    over: str = "reg.lam"  # the field that varies: reg.lam or model.dropout
    rates: list[float] | None = None  # drop probabilities when over = model.dropout
    diverged: list[bool] | None = None  # per point: a repeat's training diverged (not drawn)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _poly_features(x: torch.Tensor, degree: int) -> torch.Tensor:
    return torch.stack([x**k for k in range(1, degree + 1)], dim=1)


def _standardize(X: torch.Tensor, mu: torch.Tensor, sd: torch.Tensor) -> torch.Tensor:
    return (X - mu) / torch.where(sd > 0, sd, torch.ones_like(sd))


def fresh_datasets(cfg: TrainConfig, repeats: int) -> tuple[list[Dataset], torch.Tensor]:
    """R training sets from the truth of ``make_dataset(cfg)`` and one fixed test set.

    Returns:
        The R data sets (fresh training set; the fixed test inputs, standardized as
        that training set's model sees them; fresh noisy test targets) and the
        noise-free test targets f(x) of shape (n_test,).
    """
    d = cfg.data
    if d.name not in KNOWN_TRUTH:
        raise ValueError(
            f"data.name = '{d.name}' has no known truth for bias and variance: "
            f"choose one of {', '.join(KNOWN_TRUTH)}"
        )
    base = make_dataset(cfg)
    g = make_generator(d.seed, Stream.BIASVAR_TEST)
    if d.name == "polynomial":
        x_test = torch.rand(d.n_test, generator=g, dtype=torch.float64) * 2 - 1
        f_test = torch.sin(math.pi * x_test)
    else:
        X_test = torch.randn(d.n_test, d.n_features, generator=g, dtype=torch.float64)
        f_test = X_test @ base.true_w + base.true_b
    out = []
    for r in range(repeats):
        g = make_generator(d.seed + r, Stream.BIASVAR_TRAIN)
        if d.name == "polynomial":
            x = torch.rand(d.n_train, generator=g, dtype=torch.float64) * 2 - 1
            Xtr = _poly_features(x, d.n_features)
            mu, sd = Xtr.mean(0), Xtr.std(0, unbiased=False)
            Xtr, Xte = (
                _standardize(Xtr, mu, sd),
                _standardize(_poly_features(x_test, d.n_features), mu, sd),
            )
            f_train = torch.sin(math.pi * x)
        else:
            Xtr = torch.randn(d.n_train, d.n_features, generator=g, dtype=torch.float64)
            Xte, f_train = X_test, Xtr @ base.true_w + base.true_b
        ytr = f_train + d.noise * torch.randn(d.n_train, generator=g, dtype=torch.float64)
        yte = f_test + d.noise * torch.randn(d.n_test, generator=g, dtype=torch.float64)
        out.append(
            Dataset(
                X_train=Xtr,
                y_train=ytr,
                X_test=Xte,
                y_test=yte,
                task="regression",
                n_classes=0,
                true_w=base.true_w,
                true_b=base.true_b,
                y_test_clean=f_test,
                noise_var=base.noise_var,
            )
        )
    return out, f_test


def bias_variance(
    cfg: TrainConfig | dict | str | None,
    lambdas: Sequence[float],
    repeats: int = 16,
    stop: StopSignal = None,
    on_epoch: Callable[[SweepProgress], None] | None = None,
) -> BiasVarianceResult:
    """Measure bias², variance and noise of the test predictions for each λ.

    Args:
        cfg: the base configuration (a known-truth data set); its ``reg.lam`` is
            replaced by each λ. Linear models and plain MLPs train at once
            (regcore.batched); networks with dropout, normalization or early
            stopping train one run after another (regcore.train).
        lambdas: the K strengths. repeats: R ≥ 2 fresh training sets.
        stop, on_epoch: as in :func:`regcore.sweep` (``on_epoch`` is only called by
            the batched engine).

    Returns:
        A :class:`BiasVarianceResult` (lists of length K).
    """
    cfg = load_config(cfg)
    _check_repeats(repeats)
    datasets, f = fresh_datasets(cfg, repeats)
    lams = [float(x) for x in lambdas]
    if can_batch(cfg):
        seeds = [cfg.seed + r for r in range(repeats)]
        out = train_batched(
            cfg,
            lams,
            datasets,
            seeds,
            resolve_device(cfg.device),
            stop=lambda: stop_requested(stop),
            on_epoch=on_epoch,
        )
        pred, stopped = out.outputs_test, out.stopped  # (R, K, m)
        diverged = (out.diverged_epoch > 0).any(0)
    else:
        configs = [cfg.replace(**{"reg.lam": lam}) for lam in lams]
        pred, stopped = _predict_sequential(configs, datasets, stop)
        diverged = None
    res = _decompose(pred, datasets, f, stopped, lambdas=lams, rates=None, over="reg.lam")
    return _with_diverged(res, pred, diverged)


def _with_diverged(res: BiasVarianceResult, pred, diverged) -> BiasVarianceResult:
    """Mark the points where a repeat diverged (flagged, or non-finite predictions)."""
    bad = ~torch.isfinite(pred).all(-1).all(0)  # (K,)
    if diverged is not None:
        bad |= diverged.to(bad.device)
    return replace(res, diverged=bad.tolist())


def bias_variance_dropout(
    cfg: TrainConfig | dict | str | None,
    rates: Sequence[float],
    repeats: int = 8,
    stop: StopSignal = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> BiasVarianceResult:
    """Bias², variance and noise of a network's test predictions for each dropout rate.

    Every (rate, repeat) run is the network of ``cfg`` with ``model.dropout = p``
    and run seed ``seed + r``, trained on fresh training set r (one after another:
    dropout masks are per run). "Dropout reduces variance" is then a measurement.

    Args:
        cfg: a known-truth regression set (e.g. ``polynomial`` with n_features 1)
            and an MLP (dropout and normalization allowed).
        rates: the K drop probabilities. repeats: R ≥ 2 fresh training sets.
        stop: ends the measurement before the next run (the result is then partial
            and says ``stopped``). on_progress: called as ``(runs_done, runs_total)``.

    Returns:
        A :class:`BiasVarianceResult` with ``over = "model.dropout"`` and ``rates``.
    """
    cfg = load_config(cfg)
    _check_repeats(repeats)
    datasets, f = fresh_datasets(cfg, repeats)
    configs = [cfg.replace(**{"model.dropout": float(p)}) for p in rates]
    pred, stopped = _predict_sequential(configs, datasets, stop, on_progress)
    return _decompose(
        pred,
        datasets,
        f,
        stopped,
        lambdas=[cfg.reg.lam] * len(configs),
        rates=[float(p) for p in rates],
        over="model.dropout",
    )


def _check_repeats(repeats: int) -> None:
    if not 2 <= repeats <= 256:
        raise ValueError(f"repeats = {repeats} is out of range: allowed 2 to 256")


def _predict_sequential(configs, datasets, stop, on_progress=None) -> tuple[torch.Tensor, bool]:
    """Test predictions (R, K, m) of every config on every fresh set, one run at a time.

    A stop request leaves the unfinished entries NaN and returns stopped=True.
    """
    R, K, m = len(datasets), len(configs), datasets[0].X_test.shape[0]
    pred = torch.full((R, K, m), math.nan, dtype=torch.float64)
    done = 0
    for k, cfg in enumerate(configs):
        for r, ds in enumerate(datasets):
            if stop_requested(stop):
                return pred, True

            def probe(model, epoch, final, k=k, r=r, ds=ds):
                if final:
                    p = next(model.parameters())
                    out = model(ds.X_test.to(device=p.device, dtype=p.dtype))
                    pred[r, k] = out[:, 0].to("cpu", torch.float64)

            run = fit(cfg.replace(seed=cfg.seed + r), stop=stop, data=ds, probe=probe)
            done += 1
            if on_progress is not None:
                on_progress(done, R * K)
            if run.stopped:
                return pred, True
    return pred, False


def _decompose(pred, datasets, f, stopped, *, lambdas, rates, over) -> BiasVarianceResult:
    repeats = len(datasets)
    y = torch.stack([ds.y_test for ds in datasets])[:, None, :]  # (R, 1, m)
    mean = pred.mean(0)
    sigma2 = float(datasets[0].noise_var or 0.0)
    bias2 = (mean - f).pow(2).mean(-1)
    variance = (pred - mean).pow(2).mean(0).mean(-1)
    per_repeat = (pred - y).pow(2).mean(-1)  # (R, K)
    err_f = (pred - f).pow(2).mean((0, 2))
    se = ((2 * sigma2**2 + 4 * sigma2 * err_f) / (repeats * f.numel())).sqrt()
    total = bias2 + variance + sigma2
    return BiasVarianceResult(
        lambdas=lambdas,
        bias2=bias2.tolist(),
        variance=variance.tolist(),
        noise=sigma2,
        total=total.tolist(),
        measured=per_repeat.mean(0).tolist(),
        measured_std=per_repeat.std(0).tolist(),
        identity_se=se.tolist(),
        repeats=repeats,
        n_test=f.numel(),
        stopped=stopped,
        over=over,
        rates=rates,
    )
