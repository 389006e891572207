"""L1 (lasso): Ω = ‖w‖₁, all of λ on the L1 share (α = 1).

Solved either in the loss (subgradient λ·sign(w): weights hover near 0) or by the proximal
map after each step, w ← sign(w)·max(|w| − lr·λ, 0) (ISTA, Beck & Teboulle 2009: exact
zeros; lr·λ/(1 − μ) with SGD momentum μ, and lr·λ/(√v̂ᵢ + ε) per weight with Adam/AdamW, so
that its fixed point is still the lasso's); the kernel writes both once for every kind with
an L1 share. Its exact path is the lasso's (Tibshirani 1996), for every optimizer (checked
against scikit-learn's Lasso in tests/unit/test_prox_momentum.py and test_prox_adam.py).
"""

from regcore.core.regularizers.base import ALL_OPTIMS, L1_SOLVERS, Regularizer

REGULARIZER = Regularizer(
    kind="l1",
    label="L1 (lasso)",
    name="L1",
    color="#E69F00",
    role="penalty",
    l1_share=1.0,
    l1_solvers=L1_SOLVERS,
    exact_path="enet",
    exact_path_optims=ALL_OPTIMS,
    omega="‖w‖₁",
    step="proximal: after the step w ← sign(w)·max(|w| − lr·λ, 0) "
    "(lr·λ/(1 − μ) with SGD momentum μ, lr·λ/(√v̂ᵢ + ε) per weight with Adam/AdamW); "
    "subgradient: gradient λ·sign(w) in the loss",
    effect="proximal: many weights **exactly** 0; subgradient: they hover near 0",
)
