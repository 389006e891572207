"""One run: the training loop (`train`, `fit`), its engines (autograd, linear, MLP), models,
weight statistics and snapshots (the regularizers' kernel is core's).

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.engine.autograd import AUTOGRAD, data_loss, val_metrics
from regcore.engine.loop import Probe, fit, pick_engine, train
from regcore.engine.metrics import NEAR_ZERO, model_weight_stats
from regcore.engine.mlp import MLP
from regcore.engine.models import SeededDropout, build_model, weight_layers

__all__ = [
    "AUTOGRAD",
    "MLP",
    "NEAR_ZERO",
    "Probe",
    "SeededDropout",
    "build_model",
    "data_loss",
    "fit",
    "model_weight_stats",
    "pick_engine",
    "train",
    "val_metrics",
    "weight_layers",
]
