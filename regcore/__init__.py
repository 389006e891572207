"""regcore: the Regularization Lab engine (no Streamlit; see DESIGN.md).

import regcore
cfg = regcore.load_config({"reg": {"kind": "l1", "lam": 0.1}})
for event in regcore.train(cfg): ...      # one StepMetrics per epoch
result = regcore.fit(cfg)                 # RunResult; result.to_dict() is JSON
sweep = regcore.sweep(cfg, lambdas)       # one row per λ
data = regcore.make_dataset(cfg)          # X_train, y_train, X_test, y_test, true_w
"""

from regcore.core import (
    BOUNDS,
    CATALOG,
    CHOICES,
    RunResult,
    StepMetrics,
    TrainConfig,
    available_devices,
    load_config,
    resolve_device,
)
from regcore.data import Dataset, make_dataset
from regcore.engine import fit, train
from regcore.links import dataset_config, from_query, read_link, to_query
from regcore.sweeps import SweepResult, sweep

__all__ = [
    "BOUNDS",
    "CATALOG",
    "CHOICES",
    "Dataset",
    "RunResult",
    "StepMetrics",
    "SweepResult",
    "TrainConfig",
    "available_devices",
    "dataset_config",
    "fit",
    "from_query",
    "load_config",
    "make_dataset",
    "read_link",
    "resolve_device",
    "sweep",
    "to_query",
    "train",
]
