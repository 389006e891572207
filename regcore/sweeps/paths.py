"""Exact regularization paths of linear regression (DESIGN.md's mappings).

``exact_path`` gives the exact minimizers for linear regression (DESIGN.md's
mappings): ridge in closed form, w = (XcᵀXc + (nλ/2)I)⁻¹Xcᵀyc on centred data
(bias unpenalized), and scikit-learn's coordinate-descent ``lasso_path`` /
``enet_path`` with alpha = λ/2, l1_ratio = α.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from regcore.core import TrainConfig, l1_share, load_config, spec
from regcore.data import Dataset, make_dataset


@dataclass(frozen=True)
class ExactPath:
    """The exact minimizers along λ: ``coefs[k]`` is the d weights at ``lambdas[k]``."""

    lambdas: list[float]
    coefs: list[list[float]]  # K lists of d weights
    method: str  # how they were computed, in words
    entries: list[tuple[int, float]] | None = None  # lasso: (input, λ it enters at), λ falling


def exact_path(
    cfg: TrainConfig | dict | str | None, lambdas: Sequence[float], data: Dataset | None = None
) -> ExactPath | None:
    """The exact minimizers of the objective along λ, for linear regression.

    Ridge (``l2``, and ``weight_decay`` with SGD, which follows the same path):
    w = (XcᵀXc + (nλ/2)·I)⁻¹Xcᵀyc on centred data, via one SVD (λ = 0: the
    minimum-norm solution). ``l1`` / ``elastic_net``: scikit-learn's
    ``lasso_path`` / ``enet_path`` with alpha = λ/2 and l1_ratio = α (λ = 0 gives
    the ridge λ = 0 solution). Biases unpenalized.

    Returns:
        An :class:`ExactPath`, or None where there is no exact path to draw (other
        models, tasks or regularizers).
    """
    cfg = load_config(cfg)
    how = spec(cfg.reg)
    if (
        cfg.model.kind != "linear"
        or how.exact_path is None
        or cfg.optim.name not in how.exact_path_optims
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
    if how.exact_path == "enet":
        alpha = l1_share(cfg.reg)
        coefs = _cd_path(Xc, yc, lams, alpha, coefs)
        method = (
            "scikit-learn lasso_path, alpha = λ/2"
            if alpha == 1.0
            else f"scikit-learn enet_path, alpha = λ/2, l1_ratio = {alpha:g}"
        )
        entries = lasso_entries(Xc, yc) if alpha == 1.0 else None
        return ExactPath(lams.tolist(), coefs.tolist(), method, entries)
    return ExactPath(lambdas=lams.tolist(), coefs=coefs.tolist(), method=method)


def lasso_entries(X: torch.Tensor, y: torch.Tensor) -> list[tuple[int, float]]:
    """Where each input enters the exact lasso path, coming from large λ.

    scikit-learn's ``lars_path(method="lasso")`` gives the path's knots exactly (alpha =
    max|Xᵀr|/n, our λ = 2·alpha); an input's entry is the first knot after which it is
    non-zero. Inputs that never enter are left out.

    Args:
        X: (n, d) centred inputs. y: (n,) centred target.

    Returns:
        ``[(input index, λ at which it enters), ...]``, λ falling.
    """
    import numpy as np
    from sklearn.linear_model import lars_path

    alphas, _, coefs = lars_path(X.numpy(), y.numpy(), method="lasso")
    out: list[tuple[int, float]] = []
    seen: set[int] = set()
    for k in range(1, len(alphas)):
        for j in np.flatnonzero(coefs[:, k]):
            if int(j) not in seen:
                seen.add(int(j))
                out.append((int(j), 2.0 * float(alphas[k - 1])))
    return out


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


def kept_inputs(cfg: TrainConfig | dict | str | None, lambdas: Sequence[float]) -> list[list[int]]:
    """The inputs an exact sparse linear regression keeps (a non-zero weight) at each λ,
    fitted on the whole training split: what a model refitted after choosing λ keeps.

    Returns:
        One list of input indices per λ ([] for every λ where there is no exact path).
    """
    cfg = load_config(cfg)
    path = exact_path(cfg, lambdas, data=make_dataset(cfg))
    if path is None:
        return [[] for _ in lambdas]
    return [[j for j, w in enumerate(ws) if w != 0.0] for ws in path.coefs]
