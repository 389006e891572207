"""The engine's tables and contracts: the run config and its bounds, the data-set catalog,
the regularizer registry, result types and the runtime (devices, stop signals).

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.core.bounds import (
    BOUNDS,
    CHOICES,
    INT_FIELDS,
    LINK_FORBIDDEN,
    MAX_FEATURES_NONLINEAR,
    MAX_WORK,
    NULLABLE,
    OPEN_LOW,
    TooLargeError,
)
from regcore.core.catalog import CATALOG, drop_ineffective, ineffective
from regcore.core.config import (
    SECTIONS,
    RegConfig,
    TrainConfig,
    default_flat,
    load_config,
    range_words,
    work,
)
from regcore.core.regularizers import (
    L1_SOLVERS,
    REGULARIZERS,
    l1_share,
    l1_threshold,
    l2_share,
    penalty_grad,
    proximal,
    sgd_shrink,
    shrink_factor,
    soft_threshold_,
    spec,
)
from regcore.core.results import (
    HISTORY_KEYS,
    MAX_COEFS,
    OPTIONAL_KEYS,
    RunResult,
    StepMetrics,
    SweepProgress,
    json_safe,
)
from regcore.core.runtime import StopSignal, available_devices, resolve_device, stop_requested

__all__ = [
    "BOUNDS",
    "CATALOG",
    "CHOICES",
    "HISTORY_KEYS",
    "INT_FIELDS",
    "L1_SOLVERS",
    "LINK_FORBIDDEN",
    "MAX_COEFS",
    "MAX_FEATURES_NONLINEAR",
    "MAX_WORK",
    "NULLABLE",
    "OPEN_LOW",
    "OPTIONAL_KEYS",
    "REGULARIZERS",
    "RegConfig",
    "RunResult",
    "SECTIONS",
    "StepMetrics",
    "StopSignal",
    "SweepProgress",
    "TooLargeError",
    "TrainConfig",
    "available_devices",
    "default_flat",
    "drop_ineffective",
    "ineffective",
    "json_safe",
    "l1_share",
    "l1_threshold",
    "l2_share",
    "load_config",
    "penalty_grad",
    "proximal",
    "range_words",
    "resolve_device",
    "sgd_shrink",
    "shrink_factor",
    "soft_threshold_",
    "spec",
    "stop_requested",
    "work",
]
