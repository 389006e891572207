"""Many λ at once: the batched λ sweep and its sequential fallback, exact paths, bias–variance.

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.sweeps.biasvar import DEMO as BIAS_VARIANCE_DEMO
from regcore.sweeps.biasvar import DEMO_LAMBDAS as BIAS_VARIANCE_DEMO_LAMBDAS
from regcore.sweeps.biasvar import (
    INITS,
    KNOWN_TRUTH,
    bias_variance,
    bias_variance_dropout,
)
from regcore.sweeps.choice import MIN_HELD_OUT, ChoiceReport, Spread, assess_choice
from regcore.sweeps.cv import FOLDS, CVProgress, CVResult, cross_validate, kfold, one_se_index
from regcore.sweeps.decompose import BiasVarianceResult
from regcore.sweeps.lambda_sweep import (
    SweepResult,
    exact_path,
    fit_split,
    log_grid,
    run_result,
    sweep,
)
from regcore.sweeps.paths import ExactPath, kept_inputs

__all__ = [
    "MIN_HELD_OUT",
    "ChoiceReport",
    "Spread",
    "assess_choice",
    "BIAS_VARIANCE_DEMO",
    "BIAS_VARIANCE_DEMO_LAMBDAS",
    "BiasVarianceResult",
    "INITS",
    "CVProgress",
    "CVResult",
    "FOLDS",
    "ExactPath",
    "KNOWN_TRUTH",
    "SweepResult",
    "bias_variance",
    "bias_variance_dropout",
    "cross_validate",
    "exact_path",
    "fit_split",
    "kept_inputs",
    "kfold",
    "log_grid",
    "one_se_index",
    "run_result",
    "sweep",
]
