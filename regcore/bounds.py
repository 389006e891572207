"""The one declarative table every config value is checked against (see regcore.config).

``BOUNDS`` gives each number's (low, high) range, ``CHOICES`` each string's options,
``INT_FIELDS`` the whole-number fields; the UI builds its widgets from the same tables,
so a widget can never offer a value validation refuses. ``work`` is the rough cost of a
run that ``MAX_WORK`` caps on a public server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regcore.config import TrainConfig

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
}
MAX_HIDDEN_LAYERS = 6
MAX_FEATURES_NONLINEAR = 784  # n_features cap for sets other than linear/sparse_linear
MAX_WORK = 1e11  # epochs · n_train · n_params: about 30 epochs of the MNIST-size MLP

DATASETS = (
    "linear",
    "sparse_linear",
    "polynomial",
    "classification",
    "moons",
    "circles",
    "xor",
    "spiral",
    "digits",
    "breast_cancer",
    "diabetes",
    "csv",
)
CHOICES: dict[str, tuple[str, ...]] = {
    "data.name": DATASETS,
    "model.kind": ("linear", "mlp", "cnn"),
    "model.activation": ("relu", "tanh", "sigmoid"),
    "model.norm": ("none", "batch", "layer", "group", "instance"),
    "model.init": ("auto", "normal", "zeros", "torch"),
    "reg.kind": ("none", "l1", "l2", "elastic_net", "weight_decay"),
    "reg.l1_solver": ("proximal", "subgradient"),
    "optim.name": ("sgd", "adam", "adamw"),
    "device": ("auto", "cpu", "cuda", "mps"),
    "dtype": ("float32", "float64"),
}
LINK_FORBIDDEN = {"data.path"}  # a shared link must never name a file on the server
NULLABLE = {"data.n_informative", "data.path", "data.target", "optim.early_stopping_patience"}


# Input widths of sets whose width is not data.n_features (csv: its largest allowed).
_INPUT_WIDTH = {
    "digits": 64,
    "breast_cancer": 30,
    "diabetes": 10,
    "csv": 1_000,
    "moons": 2,
    "circles": 2,
    "xor": 2,
    "spiral": 2,
}


def work(cfg: TrainConfig) -> float:
    """Rough cost of a run: epochs · n_train · (parameters of the model)."""
    d, m = cfg.data, cfg.model
    width = _INPUT_WIDTH.get(d.name, d.n_features)
    sizes = [width, *m.hidden] if m.kind == "mlp" else [width]
    out = max(d.n_classes, 10) if d.name not in ("linear", "sparse_linear") else 1
    params = sum(a * b for a, b in zip(sizes, [*sizes[1:], out], strict=True))
    return float(cfg.optim.epochs) * d.n_train * max(params, 1)


def check_work(cfg: TrainConfig) -> None:
    """Refuse a run whose rough cost exceeds ``MAX_WORK`` (a public server's guard)."""
    if work(cfg) > MAX_WORK:
        raise ValueError(
            f"this run is too large for the server: optim.epochs · data.n_train · parameters "
            f"= {work(cfg):.2g} exceeds {MAX_WORK:.2g}; use fewer epochs, samples or units"
        )
