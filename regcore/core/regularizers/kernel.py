"""The kernel every engine calls: Ω, the penalty's gradient and each step's factors.

The objective (DESIGN.md) is J = data_loss + λ·Ω(w), with Ω *summed* over every penalized
entry (not averaged) — the weights of linear and conv layers, and their biases only when
``reg.penalize_bias`` is set; normalization-layer parameters never. A kind splits λ into
an L1 share α on ‖w‖₁ and an L2 share 1 − α on ½‖w‖² (``l1``: α = 1, ``l2``: α = 0,
``elastic_net``: α = ``l1_ratio``), so Ω = α‖w‖₁ + (1−α)·½‖w‖² and its gradient is
λ(1−α)·w + λα·sign(w). The L2 share with plain SGD is exactly SGD's ``weight_decay``.
The L1 share is solved either in the loss (that subgradient) or by soft-thresholding
after the step with t = lr·λ·α (proximal; ISTA, Beck & Teboulle 2009), t = lr·λ·α/(1 − μ)
with SGD's heavy-ball momentum μ (:func:`l1_threshold` says why), and t/(√v̂ + ε) entry
by entry with Adam/AdamW, the step size Adam gives each entry (the ``adaptive`` module says
why). Decoupled weight decay is not a penalty (Ω = 0): w ← (1 − lr·λ)·w beside the
optimizer step (Loshchilov & Hutter 2019). A constraint (max-norm) is not a penalty either
(Ω = 0): its map of every unit's incoming weights runs after the step. Sources: Hastie, Tibshirani &
Friedman, *Elements of Statistical Learning* §3.4; Zou & Hastie (2005).

Every function takes λ as a float or as a tensor whose leading dimensions index the
models (the batched nets' λ columns broadcast against their stacked parameters). An
engine asks :func:`step_factors` (one tensor) or :func:`plan_steps` (a batched net) and
reads the :class:`~regcore.core.regularizers.base.StepFactors`; none names a kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from regcore.core.regularizers.adaptive import preconditions
from regcore.core.regularizers.base import Lam, StepFactors, StepPlan
from regcore.core.regularizers.table import spec


def l1_share(reg: Any) -> float:
    """α, the share of λ on ‖w‖₁ (0 for kinds without an L1 part)."""
    s = spec(reg)
    return float(reg.l1_ratio) if s.l1_share is None else s.l1_share


def l2_share(reg: Any) -> float:
    """The share of λ on ½‖w‖² (1 − α for penalties, 0 for the other roles)."""
    return 1.0 - l1_share(reg) if spec(reg).role == "penalty" else 0.0


def proximal(reg: Any) -> bool:
    """Whether the L1 share is applied by soft-thresholding after each step."""
    return l1_share(reg) > 0.0 and reg.l1_solver == "proximal"


def fuses(reg: Any, optim: Any) -> bool:
    """Whether plain SGD folds the whole penalty into one factor per step (``fold``):
    SGD without momentum and no L1 share in the gradient."""
    in_loss_l1 = l1_share(reg) > 0.0 and not proximal(reg)
    return optim.name == "sgd" and optim.momentum == 0.0 and not in_loss_l1


def only_scales(reg: Any) -> bool:
    """Whether a plain-SGD step is p ← a·p − lr·∇data and nothing else (a a per-model
    factor): no L1 share and no map after the step (``none``, ``l2``, decay). The
    batched sweep's subspace trick needs it."""
    return l1_share(reg) == 0.0 and spec(reg).after_units is None


def _total(terms: list[torch.Tensor]) -> torch.Tensor:
    """The sum of per-tensor terms (0 for none), without adding a zero first: a run
    measures its penalty every epoch, and each tensor op counts at this size."""
    if not terms:
        return torch.zeros(())
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return out


def l1_norm(params: Sequence[torch.Tensor]) -> torch.Tensor:
    """‖w‖₁ summed over all entries of all tensors."""
    return _total([p.abs().sum() for p in params])


def half_sq_norm(params: Sequence[torch.Tensor]) -> torch.Tensor:
    """½‖w‖² summed over all entries of all tensors."""
    return _total([0.5 * p.pow(2).sum() for p in params])


def omega(reg: Any, params: Sequence[torch.Tensor]) -> torch.Tensor:
    """Ω(w) of the configured kind, α‖w‖₁ + (1−α)·½‖w‖² with its shares; 0 for the kinds
    that are not penalties (``none``, decoupled decay, constraints)."""
    a, b = l1_share(reg), l2_share(reg)
    if not a and not b:
        return torch.zeros(())
    if a and b:
        return a * l1_norm(params) + b * half_sq_norm(params)
    if a:
        return l1_norm(params) if a == 1.0 else a * l1_norm(params)
    return half_sq_norm(params) if b == 1.0 else b * half_sq_norm(params)


def _times(lam: Lam, share: float) -> Lam:
    return lam if share == 1.0 else lam * share


def penalty_grad(reg: Any, p: torch.Tensor, lam: Lam) -> torch.Tensor | None:
    """The gradient of the in-loss part of λ·Ω at ``p``; None when there is none.

    That part is λ(1−α)·w plus, with the subgradient solver, λα·sign(w) (the proximal
    solver applies the L1 share after the step instead: :func:`l1_threshold`).
    """
    a = 0.0 if proximal(reg) else l1_share(reg)
    b = l2_share(reg)
    l2 = _times(lam, b) if b else None
    l1 = _times(lam, a) if a else None
    return StepFactors(l2=l2, l1=l1).grad(p)


def sgd_momentum(optim: Any) -> float:
    """μ of SGD's heavy-ball buffer, the momentum a proximal step accounts for (0 for Adam
    and AdamW: ``optim.momentum`` is SGD's setting only)."""
    return float(optim.momentum) if optim.name == "sgd" else 0.0


def l1_threshold(reg: Any, lr: float, lam: Lam, momentum: float = 0.0) -> Lam:
    """t = lr·λ·α/(1 − μ) of one proximal step (0 unless the L1 share is proximal).

    With heavy-ball momentum (torch.optim.SGD: v ← μ·v + g, w ← prox_t(w − lr·v)) the
    buffer settles at v = g/(1 − μ) where the weights settle, so a fixed point satisfies
    0 ∈ g/(1 − μ) + (t/lr)·∂‖w‖₁: with t = lr·λα it would be the lasso at λα·(1 − μ), not
    at λα. Dividing by 1 − μ makes the fixed point 0 ∈ ∇data + λ(1−α)·w + λα·∂‖w‖₁, the
    stated objective's (μ = 0: ISTA's t = lr·λα). The L2 share rides in the gradient, so
    momentum does not change its fixed point; checked against scikit-learn's Lasso and
    ElasticNet in tests/unit/test_prox_momentum.py.

    Args:
        reg: the RegConfig.
        lr: the learning rate.
        lam: λ, a float or a tensor of per-model λ.
        momentum: SGD's μ in [0, 1) (:func:`sgd_momentum`; 0 for Adam/AdamW).
    """
    if not proximal(reg):
        return 0.0
    t = lr * lam * l1_share(reg)
    return t / (1.0 - momentum) if momentum else t


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
    return 1.0 - lr * _times(lam, b) if b else None


def step_factors(
    reg: Any, lr: float, lam: Lam, *, momentum: float = 0.0, adaptive: bool = False
) -> StepFactors:
    """Everything the regularizer does around one step, for tensors of strength ``lam``.

    Args:
        reg: the RegConfig (its kind, l1_ratio, l1_solver).
        lr: the learning rate.
        lam: λ, a float, or a tensor broadcastable to the tensors it will act on (leading
            dimensions: the models). A float λ = 0 adds no gradient term and no threshold.
        momentum: the optimizer's heavy-ball μ (:func:`sgd_momentum`), which scales the
            soft-threshold so that the fixed point is the stated objective's.
        adaptive: whether the optimizer scales each entry's step (Adam, AdamW:
            :func:`~regcore.core.regularizers.adaptive.preconditions`); the threshold is
            then divided per entry by the same √v̂ + ε (``StepFactors.preconditioned``).

    Returns:
        The :class:`StepFactors`: gradient terms, decay, plain SGD's fold, the
        soft-threshold and the kind's map of unit rows after the step.
    """
    a = 0.0 if proximal(reg) else l1_share(reg)
    b = l2_share(reg)
    zero = not isinstance(lam, torch.Tensor) and lam == 0.0
    t = l1_threshold(reg, lr, lam, momentum) if proximal(reg) and not zero else None
    after = spec(reg).after_units
    return StepFactors(
        l2=_times(lam, b) if b and not zero else None,
        l1=_times(lam, a) if a and not zero else None,
        decay=shrink_factor(reg, lr, lam),
        fold=sgd_shrink(reg, lr, lam),
        threshold=t,
        neg_threshold=None if t is None else -t,
        preconditioned=adaptive and t is not None,
        units_=None if after is None else (lambda rows: after(rows, lr, lam)),
    )


def plan_steps(
    reg: Any, optim: Any, lams: Sequence[Lam | None], unit_lams: Sequence[Lam] = ()
) -> StepPlan:
    """The factors of every tensor of a batched net.

    Args:
        reg, optim: the config's RegConfig and OptimConfig.
        lams: per parameter, λ broadcastable to it (None: not penalized).
        unit_lams: per unit-rows view of the net, λ broadcastable to (…, units, 1).
    """
    kw = {"momentum": sgd_momentum(optim), "adaptive": preconditions(optim)}
    return StepPlan(
        lr=optim.lr,
        fused=fuses(reg, optim),
        params=tuple(
            None if lam is None else step_factors(reg, optim.lr, lam, **kw) for lam in lams
        ),
        units=tuple(step_factors(reg, optim.lr, lam, **kw) for lam in unit_lams),
    )


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


def strength_problem(reg: Any, lam: float, high: float) -> str | None:
    """Why ``lam`` (within reg.lam's bounds, up to ``high``) is not allowed for this kind
    (None: it is): a kind whose λ = 0 means something else than "off" refuses it."""
    s = spec(reg).strength
    if s.low_open and lam <= 0.0:
        return (
            f"reg.lam = {lam!r} is out of range for reg.kind = {reg.kind!r}: allowed greater "
            f"than 0, up to {high:g} ({s.why})"
        )
    return None
