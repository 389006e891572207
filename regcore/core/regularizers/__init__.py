"""Regularizers: one module per kind, one table, one kernel every engine calls.

- ``base``: what a kind is (:class:`Regularizer`) and what an engine receives for a step
  (:class:`StepFactors`, :class:`StepPlan` for a batched net).
- ``none``, ``l1``, ``l2``, ``elastic_net``, ``weight_decay``, ``max_norm``: one kind each.
- ``table``: :data:`REGULARIZERS`, the one table the config, widgets, legends and the
  Learn page read.
- ``adaptive``: the proximal threshold under Adam/AdamW, scaled per entry like its step.
- ``kernel``: Ω, the penalty's gradient and :func:`step_factors` / :func:`plan_steps`.

Adding a kind: its module (facts, and a map of unit rows if its step is new) and one
entry in ``table``; no engine changes.
"""

from regcore.core.regularizers.adaptive import adam_denoms, preconditions
from regcore.core.regularizers.base import (
    L1_SOLVERS,
    Lam,
    Regularizer,
    StepFactors,
    StepPlan,
    Strength,
    unit_rows,
)
from regcore.core.regularizers.kernel import (
    fuses,
    l1_share,
    l1_threshold,
    l2_share,
    omega,
    only_scales,
    penalty_grad,
    plan_steps,
    proximal,
    sgd_momentum,
    sgd_shrink,
    shrink_factor,
    soft_threshold_,
    step_factors,
    strength_problem,
)
from regcore.core.regularizers.table import REGULARIZERS, spec

__all__ = [
    "L1_SOLVERS",
    "REGULARIZERS",
    "Lam",
    "Regularizer",
    "StepFactors",
    "StepPlan",
    "Strength",
    "adam_denoms",
    "fuses",
    "l1_share",
    "l1_threshold",
    "l2_share",
    "omega",
    "only_scales",
    "penalty_grad",
    "plan_steps",
    "preconditions",
    "proximal",
    "sgd_momentum",
    "sgd_shrink",
    "shrink_factor",
    "soft_threshold_",
    "spec",
    "step_factors",
    "strength_problem",
    "unit_rows",
]
