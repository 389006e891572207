"""Elastic net: Ω = α‖w‖₁ + (1−α)·½‖w‖², α = ``reg.l1_ratio`` (Zou & Hastie 2005).

The L2 part's gradient λ(1−α)w goes in the loss; the L1 part is solved as L1's is, with
λα (proximal or subgradient). At α = 1 it is L1, at α = 0 L2 (tested).
"""

from regcore.core.regularizers.base import ALL_OPTIMS, L1_SOLVERS, Regularizer

REGULARIZER = Regularizer(
    kind="elastic_net",
    label="elastic net",
    name="elastic net",
    color="#009E73",
    role="penalty",
    l1_share=None,  # the config's l1_ratio
    l1_solvers=L1_SOLVERS,
    exact_path="enet",
    exact_path_optims=ALL_OPTIMS,
    omega="α‖w‖₁ + (1−α)·½‖w‖²",
    step="the L2 part's gradient λ(1−α)w, the L1 part as for L1 with λα",
    effect="sparse *and* shrunk",
)
