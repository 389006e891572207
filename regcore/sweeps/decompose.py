"""The two-level bias–variance decomposition (training sets × initializations).

D training sets are drawn; on each, I models are trained from independent random starts
(initial weights, batch order, dropout masks: the run seed). With f_di(x) the test
prediction of model i on set d, f̄_d its mean over the starts, f̄ the mean over all and
f(x) the truth, the law of total variance splits the variance of the prediction
(Neal et al. 2018, "A Modern Take on the Bias-Variance Tradeoff in Neural Networks"):

    Var(f̂) = E_data[Var_init(f̂ | data)]  +  Var_data(E_init[f̂ | data])
           =        var_init               +        var_data

Each term is estimated without bias, averaged over the test inputs x:

    var_init = mean_d  1/(I−1) Σ_i (f_di − f̄_d)²
    var_data = 1/(D−1) Σ_d (f̄_d − f̄)²  −  var_init / I
    bias²    = (f̄ − f)²  −  1/(D−1) Σ_d (f̄_d − f̄)² / D

(the plain plug-in (f̄ − f)² carries Var(f̂)/(D·I) on top of the bias: with 8 training sets
and N(0, 1) initial weights in 180 unconstrained directions, about 180/8 ≈ 20 — the "bias²"
that fell with λ before this estimator). The three estimates add up exactly to
mean_{d,i} (f_di − f)², so bias² + var_data + var_init + σ² is the expected test error,
which is also measured directly on fresh noisy targets. Near zero an unbiased estimate can
come out slightly negative: that is sampling error, reported as measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch


@dataclass(frozen=True)
class BiasVarianceResult:
    """Per point: bias², variance (its data and init parts), noise, their sum, and the
    measured expected test MSE.

    A point is a λ (``over = "reg.lam"``) or a drop probability (``"model.dropout"``,
    then ``rates`` holds them and ``lambdas`` the fixed λ of every point). ``repeats`` is
    the number D of training sets and ``inits`` the number I of random starts on each.
    """

    lambdas: list[float]
    bias2: list[float]
    variance: list[float]  # var_data + var_init
    noise: float
    total: list[float]  # bias² + variance + noise
    measured: list[float]  # mean_r mean_x (f̂_r(x) − y_r(x))² on fresh noisy targets
    measured_std: list[float]  # std over runs of the per-run test MSE
    identity_se: list[float]  # standard error of measured − total
    repeats: int
    n_test: int
    stopped: bool = False
    over: str = "reg.lam"  # the field that varies: reg.lam or model.dropout
    rates: list[float] | None = None  # drop probabilities when over = model.dropout
    diverged: list[bool] | None = None  # per point: a repeat's training diverged (not drawn)
    var_data: list[float] | None = None  # variance of the init-averaged prediction over sets
    var_init: list[float] | None = None  # variance over random starts on one set (None: I = 1)
    inits: int = 1  # random starts I per training set

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def best_index(self) -> int | None:
        """The point with the lowest total (None when no total is finite)."""
        ok = [k for k, t in enumerate(self.total) if t == t and abs(t) != float("inf")]
        if self.diverged:
            ok = [k for k in ok if not self.diverged[k]]
        return min(ok, key=lambda k: self.total[k]) if ok else None


def decompose(
    pred: torch.Tensor,
    y: torch.Tensor,
    f: torch.Tensor,
    sigma2: float,
    stopped: bool,
    *,
    lambdas: list[float],
    rates: list[float] | None,
    over: str,
) -> BiasVarianceResult:
    """Split the test error of predictions ``pred`` (D, I, K, m) into bias², var_data,
    var_init and noise.

    Args:
        pred: predictions of model i on training set d at point k, test input x.
        y: the fresh noisy test targets of each set (D, m). f: the truth f(x) (m,).
        sigma2: the noise variance σ². stopped: the measurement was stopped.
        lambdas, rates, over: as in :class:`BiasVarianceResult`.
    """
    D, n_init = pred.shape[0], pred.shape[1]
    per_set = pred.mean(1)  # (D, K, m): f̄_d
    mean = per_set.mean(0)  # (K, m): f̄
    if n_init > 1:
        var_init = pred.var(1, unbiased=True).mean(0).mean(-1)  # (K,)
    else:
        var_init = torch.zeros(mean.shape[0], dtype=pred.dtype)
    s2 = per_set.var(0, unbiased=True).mean(-1)  # E = var_data + var_init / I
    var_data = s2 - var_init / n_init
    bias2 = (mean - f).pow(2).mean(-1) - s2 / D
    variance = var_data + var_init
    per_run = (pred - y[:, None, None, :]).pow(2).mean(-1).reshape(D * n_init, -1)  # (D·I, K)
    # measured − total = mean(ε² − σ²) − 2·mean(ε·(f̄_d − f)) over the D·m fresh targets
    err_f = (per_set - f).pow(2).mean((0, 2))
    se = ((2 * sigma2**2 + 4 * sigma2 * err_f) / (D * f.numel())).sqrt()
    split = n_init > 1
    return BiasVarianceResult(
        lambdas=lambdas,
        bias2=bias2.tolist(),
        variance=variance.tolist(),
        noise=sigma2,
        total=(bias2 + variance + sigma2).tolist(),
        measured=per_run.mean(0).tolist(),
        measured_std=per_run.std(0).tolist(),
        identity_se=se.tolist(),
        repeats=D,
        n_test=f.numel(),
        stopped=stopped,
        over=over,
        rates=rates,
        var_data=var_data.tolist() if split else None,
        var_init=var_init.tolist() if split else None,
        inits=n_init,
    )
