"""Weight statistics over the penalized weights (biases and norm layers excluded)."""

from __future__ import annotations

from collections.abc import Sequence

import torch

NEAR_ZERO = 1e-3  # |w| below this counts as near zero


def model_weight_stats(weights: Sequence[torch.Tensor], lead: int) -> dict[str, torch.Tensor]:
    """‖w‖₂, ‖w‖₁, exact-zero and near-zero fractions of every model, in float64.

    Args:
        weights: per layer a tensor whose first ``lead`` dimensions index the models
            (e.g. (R, K, out, in) with ``lead = 2``); the rest are that model's weights.

    Returns:
        ``weight_l2``, ``weight_l1``, ``zero_fraction``, ``near_zero_fraction``
        (|w| < 1e-3), each of shape ``weights[0].shape[:lead]``.
    """
    parts = [w.detach().flatten(lead).double() for w in weights]
    flat = parts[0] if len(parts) == 1 else torch.cat(parts, dim=lead)
    n = max(flat.shape[-1], 1)
    a = flat.abs()
    return {
        "weight_l2": torch.linalg.vector_norm(flat, dim=-1),
        "weight_l1": a.sum(-1),
        "zero_fraction": (flat == 0).sum(-1).double() / n,
        "near_zero_fraction": (a < NEAR_ZERO).sum(-1).double() / n,
    }


def weight_stats(weights: Sequence[torch.Tensor]) -> dict[str, float]:
    """One model's :func:`model_weight_stats` as floats, with the weight count.

    Args:
        weights: tensors of any shape; all entries count.

    Returns:
        ``weight_l2``, ``weight_l1``, ``zero_fraction``, ``near_zero_fraction``
        (|w| < 1e-3), ``n_weights``.
    """
    st = model_weight_stats([w.reshape(1, -1).cpu() for w in weights], lead=1)
    keys = list(st)
    values = torch.stack([st[k][0] for k in keys]).tolist()  # one copy out, not four
    return {**dict(zip(keys, values, strict=True)), "n_weights": sum(w.numel() for w in weights)}


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of rows whose arg-max class equals the label."""
    return float((logits.argmax(dim=1) == labels).double().mean())
