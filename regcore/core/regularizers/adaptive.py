"""The proximal L1 step under Adam and AdamW: a threshold scaled per entry like the step.

Adam moves each entry by lr·m̂_i/d_i with d_i = √v̂_i + ε (v̂: the bias-corrected second
moment), so the proximal map after it must use the same per-entry step size: w_i ←
sign(w_i)·max(|w_i| − t/d_i, 0) with t = lr·λ·α. A fixed point (m̂ = g, the data gradient
plus the L2 share's) then satisfies 0 ∈ g_i/d_i + (λα/d_i)·∂|w_i|, i.e. 0 ∈ g + λα·∂‖w‖₁,
the stated objective's, whatever d is; with the plain t = lr·λ·α it was 0 ∈ g + λα·d·∂‖w‖₁,
a per-entry λ that shrinks as the gradients do (near the unpenalized fit). This is the
preconditioned proximal step of ProxGen (Yun, Lozano & Yang, "Adaptive proximal gradient
methods for structured neural networks", NeurIPS 2021) with Adam's diagonal preconditioner;
checked against scikit-learn's Lasso and ElasticNet in tests/unit/test_prox_adam.py.

AdamW's decoupled decay is not touched (it is a kind of its own, ``weight_decay``, which has
no L1 share); with an L1 kind AdamW runs with weight_decay 0, so it is Adam.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch


def preconditions(optim: Any) -> bool:
    """Whether the optimizer scales each entry's step by its own 1/(√v̂ + ε) (Adam, AdamW),
    so that a proximal threshold must be scaled alike (:func:`adam_denoms`)."""
    return optim.name in ("adam", "adamw")


def adam_denoms(
    optimizer: torch.optim.Optimizer, params: Sequence[torch.Tensor]
) -> list[torch.Tensor | None]:
    """√v̂ + ε of every entry of each parameter, what ``torch.optim.Adam``/``AdamW`` just
    divided its step by (its own arithmetic: ``exp_avg_sq.sqrt() / √(1 − β₂^step) + ε``).

    Args:
        optimizer: a torch.optim.Adam or AdamW (without amsgrad) after its step.
        params: the parameters, each in one of its groups.

    Returns:
        Per parameter, a tensor of its shape; None where the optimizer holds no second
        moment for it (no step taken yet).
    """
    hyper = {id(q): g for g in optimizer.param_groups for q in g["params"]}
    out: list[torch.Tensor | None] = []
    for p in params:
        state = optimizer.state.get(p)
        if not state or "exp_avg_sq" not in state:
            out.append(None)
            continue
        group = hyper[id(p)]
        step = float(state["step"])
        bias_correction2_sqrt = (1 - group["betas"][1] ** step) ** 0.5
        out.append((state["exp_avg_sq"].sqrt() / bias_correction2_sqrt).add_(group["eps"]))
    return out
