"""Weight statistics over the penalized weights (biases and norm layers excluded)."""

from __future__ import annotations

from collections.abc import Sequence

import torch

NEAR_ZERO = 1e-3  # |w| below this counts as near zero


def weight_stats(weights: Sequence[torch.Tensor]) -> dict[str, float]:
    """‖w‖₂, ‖w‖₁, exact-zero and near-zero fractions, and the weight count.

    Args:
        weights: tensors of any shape; all entries count.

    Returns:
        ``weight_l2``, ``weight_l1``, ``zero_fraction``, ``near_zero_fraction``
        (|w| < 1e-3), ``n_weights``.
    """
    flat = torch.cat([w.detach().reshape(-1).to("cpu", torch.float64) for w in weights])
    n = flat.numel()
    if n == 0:
        return {
            "weight_l2": 0.0,
            "weight_l1": 0.0,
            "zero_fraction": 0.0,
            "near_zero_fraction": 0.0,
            "n_weights": 0,
        }
    return {
        "weight_l2": float(flat.norm()),
        "weight_l1": float(flat.abs().sum()),
        "zero_fraction": float((flat == 0).sum()) / n,
        "near_zero_fraction": float((flat.abs() < NEAR_ZERO).sum()) / n,
        "n_weights": n,
    }


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of rows whose arg-max class equals the label."""
    return float((logits.argmax(dim=1) == labels).double().mean())
