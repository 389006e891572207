"""No regularization: J = data loss alone (Ω = 0, no step of its own)."""

from regcore.core.regularizers.base import Regularizer

REGULARIZER = Regularizer(
    kind="none",
    label="no regularization",
    name="none",
    color="#555555",
    role="none",
    l1_share=0.0,
    omega="0",
    step="the data gradient only",
    effect="weights fit the data, noise included",
    on_bias=False,
)
