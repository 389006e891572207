"""What a regularizer kind is (its row in the table) and what the kernel hands an engine.

A kind's module (``none``, ``l1``, ``l2``, ``elastic_net``, ``weight_decay``) states one
:class:`Regularizer`: its facts (label, colour, role, Learn-table row, what ``reg.lam``
means and its allowed low end, exact path) and its step. A step has up to
three parts, each written once in the kernel (regcore.core.regularizers.kernel): an L1
share α and an L2 share of λ (Ω = α‖w‖₁ + (1−α)·½‖w‖², in the loss or, for the L1 share,
as a soft-threshold after the step), a decoupled decay beside the step, and a map of every
unit's incoming weights after the step (``after_units``, e.g. a max-norm projection).

:class:`StepFactors` is what an engine receives for one tensor and one strength λ (a
float, or a tensor whose leading dimensions index the models of a batched net): the
terms it adds to the gradient, the factors it multiplies by, the maps it applies after
the optimizer step. Engines read these fields; none of them names a kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

Lam = float | torch.Tensor  # one strength, or one per model (leading model dimensions)
UnitMap = Callable[[torch.Tensor, float, Lam], None]  # (unit rows, lr, λ) -> None, in place

L1_SOLVERS = ("proximal", "subgradient")
ALL_OPTIMS = ("sgd", "adam", "adamw")


@dataclass(frozen=True, kw_only=True)
class Strength:
    """What ``reg.lam`` means for a kind: its widget label and help, and its low end."""

    label: str = "strength λ"  # widget label (the slider adds "(log scale)")
    help: str = "how strongly the regularizer acts: a larger λ regularizes more"
    low_open: bool = False  # True: λ = 0 is refused (allowed: greater than 0, up to the bound)
    why: str = ""  # why λ = 0 is refused, for the message


@dataclass(frozen=True, kw_only=True)
class Regularizer:
    """The facts and the step of one ``reg.kind``: how it is named, drawn and applied."""

    kind: str  # the reg.kind value
    label: str  # legend and widget label
    name: str  # short name in run labels ("L1 λ=0.1")
    color: str  # its colour in every figure (Okabe–Ito where the palette has one)
    role: str  # "none" | "penalty" (in J) | "decoupled" (beside the step) | "constraint"
    l1_share: float | None  # α, the share of λ on ‖w‖₁; None: the config's l1_ratio
    l1_solvers: tuple[str, ...] = ()  # how the ‖w‖₁ share can be solved (first: the default)
    exact_path: str | None = None  # "ridge" | "enet" (lasso / elastic net) | None
    exact_path_optims: tuple[str, ...] = ()  # optimizers whose fixed points follow that path
    omega: str  # Ω(w) as the Learn page writes it
    step: str  # what a training step does, in symbols
    effect: str  # what it does to the weights, as the Learn page says it
    strength: Strength = Strength()  # what reg.lam means for this kind
    on_bias: bool = True  # whether reg.penalize_bias applies to this kind
    after_units: UnitMap | None = None  # after each step: a map of every unit's incoming weights

    @property
    def color_key(self) -> str:
        """The key of its colour in regcore.figures.style.REG_COLORS (its kind)."""
        return self.kind


@dataclass(frozen=True)
class StepFactors:
    """What the regularizer does around one optimizer step to tensors of strength λ.

    Every factor is a float for one model, or a tensor broadcastable to the tensor it
    acts on (its leading dimensions the models); None means the term is absent. Built by
    ``regcore.core.regularizers.step_factors``.
    """

    l2: Lam | None = None  # add λ₂·w to the data gradient (the L2 share in the loss)
    l1: Lam | None = None  # add λ₁·sign(w) (the L1 share, subgradient solver)
    decay: Lam | None = None  # p ← decay·p before the optimizer step (decoupled decay)
    fold: Lam | None = None  # plain SGD: p ← fold·p − lr·∇data is the whole penalty step
    threshold: Lam | None = None  # after the step: p ← sign(p)·max(|p| − t, 0)
    neg_threshold: Lam | None = None  # −t, kept for the per-step clamp
    preconditioned: bool = False  # t is divided per entry by Adam's √v̂ + ε (kernel.adaptive)
    units_: Callable[[torch.Tensor], None] | None = None  # after the step, on unit rows

    @property
    def after(self) -> bool:
        """Whether anything happens after the optimizer step."""
        return self.threshold is not None or self.units_ is not None

    def grad(self, p: torch.Tensor) -> torch.Tensor | None:
        """The in-loss part of the penalty's gradient at ``p``, λ₂·w + λ₁·sign(w) (None: 0)."""
        g = p * self.l2 if self.l2 is not None else None
        if self.l1 is not None:
            s = p.sign() * self.l1
            g = s if g is None else g + s
        return g

    def entries_(self, p: torch.Tensor, denom: torch.Tensor | None = None) -> None:
        """In place, on every entry of ``p``: the soft-threshold (if any).

        Written as p − clamp(p, −t, t), which rounds exactly like sign(p)·max(|p| − t, 0).
        With ``denom`` (Adam's √v̂ + ε of every entry of ``p``, when ``preconditioned``)
        entry i's threshold is t/denom_i, the step size Adam gave that entry."""
        t = self.threshold
        if t is None:
            return
        if denom is not None:
            t_i = t / denom
            p.sub_(torch.minimum(torch.maximum(p, -t_i), t_i))
        elif isinstance(t, torch.Tensor):
            p.sub_(torch.minimum(torch.maximum(p, self.neg_threshold), t))
        else:
            p.sub_(p.clamp(-t, t))

    def after_step_(
        self,
        p: torch.Tensor,
        rows: torch.Tensor | None = None,
        denom: torch.Tensor | None = None,
    ) -> None:
        """Everything after the optimizer step on one tensor: its entries, then its units.

        Args:
            p: a penalized tensor, changed in place.
            rows: ``p``'s units as (…, units, fan_in), a view of it; None: ``p`` holds one
                model with its units along dimension 0 (:func:`unit_rows`).
            denom: Adam's √v̂ + ε per entry of ``p`` when ``preconditioned``
                (regcore.core.regularizers.adam_denoms), else None.
        """
        self.entries_(p, denom)
        if self.units_ is not None:
            rows = unit_rows(p) if rows is None else rows
            if rows is not None:
                self.units_(rows)


def unit_rows(p: torch.Tensor) -> torch.Tensor | None:
    """A single model's weight tensor as (units, fan_in): an ``nn.Linear`` weight (out, in)
    itself, a conv weight (out, in, kh, kw) per output channel; None for a bias (1-D),
    which holds no unit's incoming weights. A view: changing it changes ``p``."""
    if p.dim() < 2:
        return None
    return p.view(p.shape[0], -1)


@dataclass(frozen=True)
class StepPlan:
    """The kernel's factors for every tensor of a batched net, handed to the net by the
    optimizer's rule (regcore.batched.update) so that the net never reads the rule."""

    lr: float
    fused: bool  # plain SGD without an in-loss L1 share: ``fold`` is the whole penalty step
    params: tuple[StepFactors | None, ...]  # per parameter (None: not penalized)
    units: tuple[StepFactors, ...]  # per unit-rows view of the net (BatchedNet.unit_rows)

    @property
    def after(self) -> bool:
        """Whether anything happens after the optimizer step."""
        return any(f is not None and f.after for f in self.params) or any(
            u.units_ is not None for u in self.units
        )
