"""The one declarative table every config value is checked against (see regcore.core.config).

``BOUNDS`` gives each number's (low, high) range, ``CHOICES`` each string's options,
``INT_FIELDS`` the whole-number fields; the UI builds its widgets from the same tables,
so a widget can never offer a value validation refuses. ``MAX_WORK`` caps the rough cost
of a run on a public server (``regcore.core.config.work``).
"""

from __future__ import annotations

from typing import Any

from regcore.core.catalog import CATALOG
from regcore.core.regularizers import L1_SOLVERS, REGULARIZERS

# (low, high) inclusive, except where OPEN_LOW names the field: there low is excluded.
BOUNDS: dict[str, tuple[float, float]] = {
    "data.n_train": (1, 20_000),
    "data.n_test": (1, 20_000),
    "data.n_features": (1, 1_000),
    "data.noise": (0.0, 100.0),
    "data.true_w": (-100.0, 100.0),
    "data.true_b": (-100.0, 100.0),
    "data.n_informative": (1, 1_000),
    "data.n_classes": (2, 10),
    "data.seed": (0, 2**31 - 1),
    "model.hidden": (1, 1_024),  # each hidden width
    "model.dropout": (0.0, 0.95),
    "model.init_std": (1e-6, 10.0),
    "reg.lam": (0.0, 100.0),
    "reg.l1_ratio": (0.0, 1.0),
    "optim.lr": (0.0, 10.0),
    "optim.momentum": (0.0, 0.999),
    "optim.batch_size": (1, 20_000),
    "optim.epochs": (1, 2_000),
    "optim.early_stopping_patience": (1, 1_000),
    "optim.val_fraction": (0.05, 0.5),
    "seed": (0, 2**31 - 1),
    "threads": (1, 64),
}
OPEN_LOW = {"optim.lr"}
INT_FIELDS = {
    "data.n_train",
    "data.n_test",
    "data.n_features",
    "data.n_informative",
    "data.n_classes",
    "data.seed",
    "model.hidden",
    "optim.batch_size",
    "optim.epochs",
    "optim.early_stopping_patience",
    "seed",
    "threads",
}
MAX_HIDDEN_LAYERS = 6
MAX_FEATURES_NONLINEAR = 784  # n_features cap for sets other than linear/sparse_linear
MAX_WORK = 1e11  # epochs · n_train · n_params: about 30 epochs of the MNIST-size MLP

DATASETS = tuple(CATALOG)  # regcore.core.catalog holds each set's facts
CHOICES: dict[str, tuple[str, ...]] = {
    "data.name": DATASETS,
    "data.missing": ("fill", "drop"),  # regcore.data.prepare.MISSING
    "model.kind": ("linear", "mlp", "cnn"),
    "model.activation": ("relu", "tanh", "sigmoid"),
    "model.norm": ("none", "batch", "layer", "group", "instance"),
    "model.init": ("auto", "normal", "zeros", "torch"),
    "reg.kind": tuple(REGULARIZERS),
    "reg.l1_solver": L1_SOLVERS,
    "optim.name": ("sgd", "adam", "adamw"),
    "device": ("auto", "cpu", "cuda", "mps"),
    "dtype": ("float32", "float64"),
}
LINK_FORBIDDEN = {"data.path"}  # a shared link must never name a file on the server
NULLABLE = {"data.n_informative", "data.path", "data.target", "optim.early_stopping_patience"}


class TooLargeError(ValueError):
    """A run over ``MAX_WORK``: the reason that comes before any other about the same run.

    ``config`` is the refused run (its fields are valid), so that a front end that knows
    this machine's speed (regcore.serve) can say how long it would take here.
    """

    def __init__(self, message: str, config: Any = None) -> None:
        super().__init__(message)
        self.config = config
