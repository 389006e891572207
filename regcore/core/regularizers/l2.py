"""L2 (ridge): Ω = ½‖w‖², all of λ on the L2 share.

Its gradient is λw, so with plain SGD it is exactly ``torch.optim.SGD(weight_decay=λ)``
and an engine may fold it into one factor per step, w ← (1 − lr·λ)·w − lr·∇data. Its exact
path is ridge regression's (Hoerl & Kennard 1970), for every optimizer.
"""

from regcore.core.regularizers.base import ALL_OPTIMS, Regularizer

REGULARIZER = Regularizer(
    kind="l2",
    label="L2 (ridge)",
    name="L2",
    color="#0072B2",
    role="penalty",
    l1_share=0.0,
    exact_path="ridge",
    exact_path_optims=ALL_OPTIMS,
    omega="½‖w‖²",
    step="gradient λw: with plain SGD exactly SGD(weight_decay=λ)",
    effect="every weight shrinks, few reach 0",
)
