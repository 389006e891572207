"""Penalties Ω(w): pure functions from a list of tensors to a scalar.

The objective every part of the product uses (DESIGN.md) is

    J(w, b) = data_loss + λ · Ω(w)

with the penalty *summed* over every penalized entry (not averaged):

- ``l2``:          Ω = ½‖w‖²            (gradient λw: SGD's ``weight_decay=λ``)
- ``l1``:          Ω = ‖w‖₁
- ``elastic_net``: Ω = α‖w‖₁ + (1−α)·½‖w‖²   (α = ``l1_ratio``)

Decoupled weight decay is not a penalty: Ω = 0 and the decay is applied beside
the optimizer step (see regcore.train). Sources: Hastie, Tibshirani & Friedman,
*Elements of Statistical Learning* §3.4; Zou & Hastie (2005) for the elastic
net; Loshchilov & Hutter (2019) for decoupled weight decay.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from regcore.config import RegConfig


def l1(params: Sequence[torch.Tensor]) -> torch.Tensor:
    """‖w‖₁ summed over all entries of all tensors."""
    return sum((p.abs().sum() for p in params), torch.zeros(()))


def l2(params: Sequence[torch.Tensor]) -> torch.Tensor:
    """½‖w‖² summed over all entries of all tensors."""
    return sum((0.5 * p.pow(2).sum() for p in params), torch.zeros(()))


def elastic_net(params: Sequence[torch.Tensor], l1_ratio: float) -> torch.Tensor:
    """α‖w‖₁ + (1−α)·½‖w‖², α = ``l1_ratio``."""
    return l1_ratio * l1(params) + (1.0 - l1_ratio) * l2(params)


def omega(reg: RegConfig, params: Sequence[torch.Tensor]) -> torch.Tensor:
    """Ω(w) of the configured regularizer (0 for ``none`` and ``weight_decay``)."""
    if reg.kind == "l1":
        return l1(params)
    if reg.kind == "l2":
        return l2(params)
    if reg.kind == "elastic_net":
        return elastic_net(params, reg.l1_ratio)
    return sum((p.sum() * 0.0 for p in params), torch.zeros(()))


def gradient_part(reg: RegConfig, params: Sequence[torch.Tensor]) -> torch.Tensor:
    """The share of λ·Ω that goes into the loss's gradient.

    With the proximal L1 solver the L1 term is applied by soft-thresholding
    after the step, so only elastic net's L2 part remains here.
    """
    if reg.lam == 0.0 or reg.kind in ("none", "weight_decay"):
        return torch.zeros(())
    proximal = reg.l1_solver == "proximal"
    if reg.kind == "l1":
        return torch.zeros(()) if proximal else reg.lam * l1(params)
    if reg.kind == "elastic_net" and proximal:
        return reg.lam * (1.0 - reg.l1_ratio) * l2(params)
    return reg.lam * omega(reg, params)


def soft_threshold_(params: Sequence[torch.Tensor], threshold: float) -> None:
    """In place: w ← sign(w)·max(|w| − t, 0), the proximal map of t‖w‖₁."""
    if threshold <= 0.0:
        return
    with torch.no_grad():
        for p in params:
            p.copy_(p.sign() * (p.abs() - threshold).clamp_min(0.0))


def l1_threshold(reg: RegConfig, lr: float) -> float:
    """The soft-threshold t = lr·λ·α of one proximal step (0 when not proximal)."""
    if reg.l1_solver != "proximal" or reg.kind not in ("l1", "elastic_net"):
        return 0.0
    alpha = 1.0 if reg.kind == "l1" else reg.l1_ratio
    return lr * reg.lam * alpha
