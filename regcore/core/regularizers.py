"""Every regularizer kind's facts in one table, and the one kernel both engines call.

The objective (DESIGN.md) is J = data_loss + λ·Ω(w) with Ω summed over the penalized
weights; a kind splits λ into an L1 share α on ‖w‖₁ and an L2 share 1 − α on ½‖w‖²
(``l1``: α = 1, ``l2``: α = 0, ``elastic_net``: α = ``l1_ratio``). Decoupled weight
decay is not a penalty: w ← (1 − lr·λ)·w beside the optimizer step (Loshchilov &
Hutter 2019). The L1 share is solved either in the loss (subgradient λα·sign(w)) or by
soft-thresholding after the step with t = lr·λ·α (proximal; ISTA, Beck & Teboulle 2009).

The kernel functions take λ as a float or as a tensor whose leading dimensions index the
models (the batched engine's λ columns broadcast against its stacked parameters); a float
λ is one model. Adding a kind means one row here and, if its step is new, its kernel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

Lam = float | torch.Tensor  # one strength, or one per model (leading model dimensions)


@dataclass(frozen=True)
class Regularizer:
    """The facts of one ``reg.kind``: how it is named, drawn and applied."""

    label: str  # legend and widget label
    name: str  # short name in run labels ("L1 λ=0.1")
    color_key: str  # key of regcore.figures.style.REG_COLORS
    role: str  # "none" | "penalty" (in the objective) | "decoupled" (beside the step)
    l1_share: float | None  # α, the share of λ on ‖w‖₁; None: the config's l1_ratio
    l1_solvers: tuple[str, ...]  # how the ‖w‖₁ share can be solved (first: the default)
    exact_path: str | None  # "ridge" | "enet" (lasso / elastic net) | None
    exact_path_optims: tuple[str, ...]  # optimizers whose fixed points follow that path
    omega: str  # Ω(w) as the Learn page writes it
    step: str  # what a training step does, in symbols
    effect: str  # what it does to the weights, as the Learn page says it


L1_SOLVERS = ("proximal", "subgradient")
_ALL_OPTIMS = ("sgd", "adam", "adamw")

REGULARIZERS: dict[str, Regularizer] = {
    "none": Regularizer(
        label="no regularization",
        name="none",
        color_key="none",
        role="none",
        l1_share=0.0,
        l1_solvers=(),
        exact_path=None,
        exact_path_optims=(),
        omega="0",
        step="the data gradient only",
        effect="weights fit the data, noise included",
    ),
    "l1": Regularizer(
        label="L1 (lasso)",
        name="L1",
        color_key="l1",
        role="penalty",
        l1_share=1.0,
        l1_solvers=L1_SOLVERS,
        exact_path="enet",
        exact_path_optims=_ALL_OPTIMS,
        omega="‖w‖₁",
        step="proximal: after the step w ← sign(w)·max(|w| − lr·λ, 0); "
        "subgradient: gradient λ·sign(w) in the loss",
        effect="proximal: many weights **exactly** 0; subgradient: they hover near 0",
    ),
    "l2": Regularizer(
        label="L2 (ridge)",
        name="L2",
        color_key="l2",
        role="penalty",
        l1_share=0.0,
        l1_solvers=(),
        exact_path="ridge",
        exact_path_optims=_ALL_OPTIMS,
        omega="½‖w‖²",
        step="gradient λw: with plain SGD exactly SGD(weight_decay=λ)",
        effect="every weight shrinks, few reach 0",
    ),
    "elastic_net": Regularizer(
        label="elastic net",
        name="elastic net",
        color_key="elastic_net",
        role="penalty",
        l1_share=None,
        l1_solvers=L1_SOLVERS,
        exact_path="enet",
        exact_path_optims=_ALL_OPTIMS,
        omega="α‖w‖₁ + (1−α)·½‖w‖²",
        step="the L2 part's gradient λ(1−α)w, the L1 part as for L1 with λα",
        effect="sparse *and* shrunk",
    ),
    "weight_decay": Regularizer(
        label="decoupled weight decay",
        name="weight decay",
        color_key="weight_decay",
        role="decoupled",
        l1_share=0.0,
        l1_solvers=(),
        exact_path="ridge",
        exact_path_optims=("sgd",),  # with plain SGD it is the L2 step, so the ridge path
        omega="— (not a penalty)",
        step="w ← w − lr·λ·w beside the optimizer step (AdamW's own decay)",
        effect="with plain SGD the same as L2; with Adam it differs",
    ),
}


def spec(reg: Any) -> Regularizer:
    """The table row of ``reg.kind`` (``reg``: a RegConfig or anything with ``kind``)."""
    return REGULARIZERS[reg.kind]


def l1_share(reg: Any) -> float:
    """α, the share of λ on ‖w‖₁ (0 for kinds without an L1 part)."""
    s = spec(reg)
    return float(reg.l1_ratio) if s.l1_share is None else s.l1_share


def l2_share(reg: Any) -> float:
    """The share of λ on ½‖w‖² (1 − α for penalties, 0 for ``none`` and decay)."""
    return 1.0 - l1_share(reg) if spec(reg).role == "penalty" else 0.0


def proximal(reg: Any) -> bool:
    """Whether the L1 share is applied by soft-thresholding after each step."""
    return l1_share(reg) > 0.0 and reg.l1_solver == "proximal"


def penalty_grad(reg: Any, p: torch.Tensor, lam: Lam) -> torch.Tensor | None:
    """The gradient of the in-loss part of λ·Ω at ``p``; None when there is none.

    That part is λ(1−α)·w plus, with the subgradient solver, λα·sign(w) (the proximal
    solver applies the L1 share after the step instead: :func:`l1_threshold`).
    """
    a = 0.0 if proximal(reg) else l1_share(reg)
    b = l2_share(reg)
    if not a and not b:
        return None
    g = p * (lam if b == 1.0 else lam * b) if b else None
    if a:
        s = p.sign() * (lam if a == 1.0 else lam * a)
        g = s if g is None else g + s
    return g


def l1_threshold(reg: Any, lr: float, lam: Lam) -> Lam:
    """t = lr·λ·α of one proximal step (0 unless the L1 share is proximal)."""
    return lr * lam * l1_share(reg) if proximal(reg) else 0.0


def shrink_factor(reg: Any, lr: float, lam: Lam) -> Lam | None:
    """1 − lr·λ, the decoupled decay's factor per step; None for other kinds."""
    return 1.0 - lr * lam if spec(reg).role == "decoupled" else None


def sgd_shrink(reg: Any, lr: float, lam: Lam) -> Lam | None:
    """The factor one plain-SGD step multiplies the weights by before the data step:
    1 − lr·λ (decoupled decay) or 1 − lr·λ(1−α) (the L2 share); None for neither.

    Plain SGD on ``loss + λ(1−α)·½‖w‖²`` is ``w ← (1 − lr·λ(1−α))·w − lr·∇data``, so an
    engine may fold the L2 share into the update (valid only without an in-loss L1 share).
    """
    decay = shrink_factor(reg, lr, lam)
    if decay is not None:
        return decay
    b = l2_share(reg)
    return 1.0 - lr * (lam if b == 1.0 else lam * b) if b else None


def soft_threshold_(p: torch.Tensor, t: Lam) -> None:
    """In place: p ← sign(p)·max(|p| − t, 0), the proximal map of t‖p‖₁.

    Written as p − clamp(p, −t, t), which rounds exactly like the formula and takes a
    tensor t of per-model thresholds.
    """
    if isinstance(t, float):
        if t > 0.0:
            p.sub_(p.clamp(-t, t))
        return
    p.sub_(torch.minimum(torch.maximum(p, -t), t))
