"""Bias–variance decomposition of the test error, measured by retraining.

For a data set whose truth f is known (``linear``, ``sparse_linear``,
``polynomial``), D fresh training sets are drawn from the same distribution and
the same truth, and on each, I models are trained from independent random starts
(run seed ``seed + d·I + i``: initial weights, batch order, dropout masks). For each
λ the D·I models are trained at once (regcore.batched) and predict a fixed test set
x₁…x_m. regcore.sweeps.decompose splits their error by the law of total variance
(Neal et al. 2018) into

    bias²     (average prediction − truth)²
    var_data  how the init-averaged prediction moves with the training set
    var_init  how the prediction moves with the random start on one training set
    noise     σ², the data set's noise variance

and the expected test error on fresh noisy targets y = f(x) + ε is measured
directly as mean_r mean_x (f̂_r(x) − y_r(x))². In expectation the two agree:
E[(f̂ − y)²] = bias² + variance + σ² (Hastie, Tibshirani & Friedman, *Elements
of Statistical Learning*, §7.3); their difference is sampling error of the noise,
reported as ``identity_se``.

The fresh sets follow regcore.data's conventions (x ~ N(0, 1)^d, y = x·w* + b* +
ε; polynomial x ~ U(−1, 1), features x¹…x^d standardized with each training
set's own statistics) and come from their own generator streams, so
``make_dataset`` is unchanged; the truth (w*, b*, including sparse_linear's
support) is that of ``make_dataset(cfg)``.

``DEMO`` is the setting where the textbook picture shows plainly: 30 features, 20
samples, noise σ = 1, an L2 sweep from λ = 10⁻³ to 10 (tests/unit/test_biasvar.py
checks the picture).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import torch

from regcore.batched import can_batch, can_batch_dropout, train_batched
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
from regcore.sweeps.decompose import BiasVarianceResult, decompose

KNOWN_TRUTH = ("linear", "sparse_linear", "polynomial")
INITS = 2  # random starts per training set (2: the least that splits the variance)
MAX_INITS = 16
# The textbook picture (bias² rises, variance falls, their sum has a U): more features than
# samples, noise σ = 1, full-batch gradient descent, small random starts; λ from 10⁻³ to 10
DEMO: dict[str, Any] = {
    "data": {
        "name": "linear",
        "n_train": 20,
        "n_test": 200,
        "n_features": 30,
        "noise": 1.0,
        "true_w": 0.5,
    },
    "model": {"init_std": 0.3},
    "reg": {"kind": "l2", "lam": 1.0},
    "optim": {"lr": 0.05, "batch_size": 20, "epochs": 200},
}
DEMO_LAMBDAS = (1e-3, 10.0, 16)  # lam_min, lam_max, K


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
    inits: int = INITS,
) -> BiasVarianceResult:
    """Measure bias², variance (from the data and from the start) and noise for each λ.

    Args:
        cfg: the base configuration (a known-truth data set); its ``reg.lam`` is
            replaced by each λ. Linear models and plain MLPs train at once
            (regcore.batched); networks with dropout, normalization or early
            stopping train one run after another (regcore.train).
        lambdas: the K strengths. repeats: D ≥ 2 fresh training sets.
        stop, on_epoch: as in :func:`regcore.sweep` (``on_epoch`` is only called by
            the batched engine).
        inits: I random starts per training set (1 leaves the variance unsplit).

    Returns:
        A :class:`BiasVarianceResult` (lists of length K).
    """
    cfg = load_config(cfg)
    _check_repeats(repeats, inits)
    datasets, f = fresh_datasets(cfg, repeats)
    runs = _runs(cfg, datasets, inits)
    lams = [float(x) for x in lambdas]
    if can_batch(cfg):
        out = train_batched(
            cfg,
            lams,
            [ds for ds, _ in runs],
            [seed for _, seed in runs],
            resolve_device(cfg.device),
            stop=lambda: stop_requested(stop),
            on_epoch=on_epoch,
        )
        pred, stopped = out.outputs_test, out.stopped  # (D·I, K, m)
        diverged = (out.diverged_epoch > 0).any(0)
    else:
        configs = [cfg.replace(**{"reg.lam": lam}) for lam in lams]
        pred, stopped = _predict_sequential(configs, runs, stop)
        diverged = None
    res = _split(pred, datasets, f, stopped, lambdas=lams, rates=None, over="reg.lam")
    return _with_diverged(res, pred, diverged)


def _runs(cfg: TrainConfig, datasets: list[Dataset], inits: int) -> list[tuple[Dataset, int]]:
    """(training set, run seed) of every run: set d with seeds seed + d·I + i."""
    return [(ds, cfg.seed + d * inits + i) for d, ds in enumerate(datasets) for i in range(inits)]


def _split(pred, datasets, f, stopped, **kw) -> BiasVarianceResult:
    """decompose() of predictions (D·I, K, m) in run order (set-major)."""
    D = len(datasets)
    pred = pred.to(torch.float64)
    y = torch.stack([ds.y_test for ds in datasets])  # (D, m)
    sigma2 = float(datasets[0].noise_var or 0.0)
    return decompose(pred.reshape(D, -1, *pred.shape[1:]), y, f, sigma2, stopped, **kw)


def _with_diverged(res: BiasVarianceResult, pred, diverged) -> BiasVarianceResult:
    """Mark the points where a run diverged (flagged, or non-finite predictions)."""
    bad = ~torch.isfinite(pred).all(-1).all(0)  # (K,)
    if diverged is not None:
        bad |= diverged.to(bad.device)
    return replace(res, diverged=bad.tolist())


def bias_variance_dropout(
    cfg: TrainConfig | dict | str | None,
    rates: Sequence[float],
    repeats: int = 4,
    stop: StopSignal = None,
    on_progress: Callable[[int, int], None] | None = None,
    inits: int = INITS,
) -> BiasVarianceResult:
    """Bias², variance (from the data and from the start) and noise of a network's test
    predictions for each dropout rate.

    Every (rate, set d, start i) run is the network of ``cfg`` with ``model.dropout = p``
    and run seed ``seed + d·I + i``, trained on fresh training set d. "Dropout reduces
    variance" is then a measurement. An MLP without normalization trains all K·D·I runs at
    once (regcore.batched.dropout: the same initial weights, batch orders and dropout masks
    as the single runs, the same predictions to float round-off; measured on the tab's
    default, 24 runs, 14.5 s → 1.3 s: benchmarks/bench_biasvar_dropout.py); others one
    after another.

    Args:
        cfg: a known-truth regression set (e.g. ``polynomial`` with n_features 1)
            and an MLP (dropout and normalization allowed).
        rates: the K drop probabilities. repeats: D ≥ 2 fresh training sets.
        stop: ends the measurement before the next run, or the next epoch of the runs
            trained at once (the result is then partial and says ``stopped``).
        on_progress: called as ``(runs_done, runs_total)`` after each run, or as
            ``(epoch, epochs)`` after each epoch of the runs trained at once.
        inits: I random starts per training set.

    Returns:
        A :class:`BiasVarianceResult` with ``over = "model.dropout"`` and ``rates``.
    """
    cfg = load_config(cfg)
    _check_repeats(repeats, inits)
    datasets, f = fresh_datasets(cfg, repeats)
    configs = [cfg.replace(**{"model.dropout": float(p)}) for p in rates]
    runs = _runs(cfg, datasets, inits)
    if can_batch_dropout(cfg):
        pred, stopped = _predict_batched(cfg, [float(p) for p in rates], runs, stop, on_progress)
    else:
        pred, stopped = _predict_sequential(configs, runs, stop, on_progress)
    return _split(
        pred,
        datasets,
        f,
        stopped,
        lambdas=[cfg.reg.lam] * len(configs),
        rates=[float(p) for p in rates],
        over="model.dropout",
    )


def _predict_batched(cfg, rates, runs, stop, on_progress) -> tuple[torch.Tensor, bool]:
    """Test predictions (D·I, K, m) of every rate in every (set, seed) run, all at once;
    a stop leaves every entry NaN (no run finished)."""
    out = train_batched(
        cfg,
        [cfg.reg.lam],
        [ds for ds, _ in runs],
        [seed for _, seed in runs],
        resolve_device(cfg.device),
        stop=lambda: stop_requested(stop),
        rates=rates,
        measure=False,  # the decomposition reads the final predictions alone
        on_tick=on_progress,
    )
    pred = out.outputs_test
    return (torch.full_like(pred, math.nan), True) if out.stopped else (pred, False)


def _check_repeats(repeats: int, inits: int = INITS) -> None:
    if not 2 <= repeats <= 256:
        raise ValueError(f"repeats = {repeats} is out of range: allowed 2 to 256")
    if not 1 <= inits <= MAX_INITS:
        raise ValueError(f"inits = {inits} is out of range: allowed 1 to {MAX_INITS}")


def _predict_sequential(configs, runs, stop, on_progress=None) -> tuple[torch.Tensor, bool]:
    """Test predictions (D·I, K, m) of every config in every (set, seed) run, one at a time.

    A stop request leaves the unfinished entries NaN and returns stopped=True.
    """
    R, K, m = len(runs), len(configs), runs[0][0].X_test.shape[0]
    pred = torch.full((R, K, m), math.nan, dtype=torch.float64)
    done = 0
    for k, cfg in enumerate(configs):
        for r, (ds, seed) in enumerate(runs):
            if stop_requested(stop):
                return pred, True

            def probe(model, epoch, final, k=k, r=r, ds=ds):
                if final:
                    p = next(model.parameters())
                    out = model(ds.X_test.to(device=p.device, dtype=p.dtype))
                    pred[r, k] = out[:, 0].to("cpu", torch.float64)

            run = fit(cfg.replace(seed=seed), stop=stop, data=ds, probe=probe)
            done += 1
            if on_progress is not None:
                on_progress(done, R * K)
            if run.stopped:
                return pred, True
    return pred, False
