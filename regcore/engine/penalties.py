"""Penalties Ω(w): pure functions from a list of tensors to a scalar.

The objective every part of the product uses (DESIGN.md) is

    J(w, b) = data_loss + λ · Ω(w)

with the penalty *summed* over every penalized entry (not averaged):

- ``l2``:          Ω = ½‖w‖²            (gradient λw: SGD's ``weight_decay=λ``)
- ``l1``:          Ω = ‖w‖₁
- ``elastic_net``: Ω = α‖w‖₁ + (1−α)·½‖w‖²   (α = ``l1_ratio``)

Decoupled weight decay is not a penalty: Ω = 0 and the decay is applied beside
the optimizer step. How each share enters a step (the kernel both engines call) and
each kind's facts are in regcore.regularizers. Sources: Hastie, Tibshirani & Friedman,
*Elements of Statistical Learning* §3.4; Zou & Hastie (2005) for the elastic
net; Loshchilov & Hutter (2019) for decoupled weight decay.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from regcore.core import RegConfig, l1_share, l2_share


def _total(terms: list[torch.Tensor]) -> torch.Tensor:
    """The sum of per-tensor terms (0 for none), without adding a zero first: a run
    measures its penalty every epoch, and each tensor op counts at this size."""
    if not terms:
        return torch.zeros(())
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return out


def l1(params: Sequence[torch.Tensor]) -> torch.Tensor:
    """‖w‖₁ summed over all entries of all tensors."""
    return _total([p.abs().sum() for p in params])


def l2(params: Sequence[torch.Tensor]) -> torch.Tensor:
    """½‖w‖² summed over all entries of all tensors."""
    return _total([0.5 * p.pow(2).sum() for p in params])


def elastic_net(params: Sequence[torch.Tensor], l1_ratio: float) -> torch.Tensor:
    """α‖w‖₁ + (1−α)·½‖w‖², α = ``l1_ratio``."""
    return l1_ratio * l1(params) + (1.0 - l1_ratio) * l2(params)


def omega(reg: RegConfig, params: Sequence[torch.Tensor]) -> torch.Tensor:
    """Ω(w) of the configured regularizer: α‖w‖₁ + (1−α)·½‖w‖² with the kind's shares
    (regcore.regularizers); 0 for ``none`` and ``weight_decay``."""
    a, b = l1_share(reg), l2_share(reg)
    if not a and not b:
        return torch.zeros(())
    if a and b:
        return a * l1(params) + b * l2(params)
    if a:
        return l1(params) if a == 1.0 else a * l1(params)
    return l2(params) if b == 1.0 else b * l2(params)
