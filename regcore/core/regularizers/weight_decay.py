"""Decoupled weight decay: w ← (1 − lr·λ)·w beside the optimizer step (Loshchilov & Hutter
2019), not a penalty (Ω = 0 is reported).

With plain SGD it is the L2 step, so it follows the ridge path; with Adam it differs from
an L2 penalty (AdamW), which the app shows.
"""

from regcore.core.regularizers.base import Regularizer

REGULARIZER = Regularizer(
    kind="weight_decay",
    label="decoupled weight decay",
    name="weight decay",
    color="#CC79A7",
    role="decoupled",
    l1_share=0.0,
    exact_path="ridge",
    exact_path_optims=("sgd",),  # with plain SGD it is the L2 step, so the ridge path
    omega="— (not a penalty)",
    step="w ← w − lr·λ·w beside the optimizer step (AdamW's own decay)",
    effect="with plain SGD the same as L2; with Adam it differs",
)
