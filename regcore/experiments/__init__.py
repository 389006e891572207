"""The pages' experiments: comparisons and their presets, the scikit-learn sparsity example,
strength mappings, geometry, dropout and norm networks, decision surfaces, misconceptions.

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.experiments import misconceptions, misconceptions_layers, sklearn_sparsity
from regcore.experiments.compare_presets import COMPARISONS
from regcore.experiments.comparison import (
    CompareResult,
    Variant,
    compare,
    max_difference,
    plan,
    summary,
    support_recovery,
)
from regcore.experiments.dropout.layers_probe import LayerProbe
from regcore.experiments.dropout.networks import (
    NetCompareResult,
    NetVariant,
    compare_nets,
    plan_nets,
    points_of,
    summary_rows,
)
from regcore.experiments.dropout.rate_sweep import (
    DropoutSweepResult,
    SmallBatchResult,
    dropout_sweep,
    small_batch_configs,
    small_batches,
)
from regcore.experiments.geometry import (
    BOUNDS,
    KINDS,
    GeometryConfig,
    GeometryResult,
    penalty,
    run_geometry,
)
from regcore.experiments.islr_presets import SWEEP_PRESETS, sweep_preset
from regcore.experiments.misconceptions import DemoResult
from regcore.experiments.presets import PRESETS, preset
from regcore.experiments.surfaces import Grid, Surface, grid_for, is_2d, surface, surface_epochs

__all__ = [
    "BOUNDS",
    "COMPARISONS",
    "CompareResult",
    "DemoResult",
    "DropoutSweepResult",
    "GeometryConfig",
    "GeometryResult",
    "Grid",
    "KINDS",
    "LayerProbe",
    "NetCompareResult",
    "NetVariant",
    "PRESETS",
    "SWEEP_PRESETS",
    "SmallBatchResult",
    "Surface",
    "Variant",
    "compare",
    "compare_nets",
    "dropout_sweep",
    "grid_for",
    "is_2d",
    "max_difference",
    "misconceptions",
    "misconceptions_layers",
    "penalty",
    "plan",
    "plan_nets",
    "points_of",
    "preset",
    "run_geometry",
    "sklearn_sparsity",
    "small_batch_configs",
    "small_batches",
    "summary",
    "summary_rows",
    "support_recovery",
    "surface",
    "surface_epochs",
    "sweep_preset",
]
