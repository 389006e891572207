"""Named example configs: the textbook experiments of EXPERIMENTS.md, one click each.

Each preset is a partial config (missing fields take defaults) with a title
and a sentence saying what it shows.
"""

from __future__ import annotations

from typing import Any

from regcore.config import TrainConfig, load_config

PRESETS: dict[str, dict[str, Any]] = {
    "weight_decay": {
        "title": "Weight decay, high-dimensional regression (λ = 3)",
        "about": "20 samples, 200 features: L2 shrinks the weights from ‖w‖≈13 to ≈0.35.",
        "config": {},
    },
    "weight_decay_none": {
        "title": "Same experiment without a penalty",
        "about": "λ = 0: the training loss falls to 0, the test loss stays near 160.",
        "config": {"reg": {"kind": "none", "lam": 0.0}},
    },
    "adam_blog": {
        "title": "Adam, full batch (the blog reproduction, its λ = 1)",
        "about": "20 train / 20 test, true b = 0.5, PyTorch's default init, Adam lr 0.05, "
        "full batch. The blog's λ·mean(w²) with λ = 1 is λ = 2/200 = 0.01 here: ‖w‖ ≈ 0.5.",
        "config": {
            "data": {"n_train": 20, "n_test": 20, "true_b": 0.5},
            "model": {"init": "torch"},
            "reg": {"kind": "l2", "lam": 0.01},
            "optim": {"name": "adam", "lr": 0.05, "batch_size": 20, "epochs": 100},
        },
    },
    "sparse_lasso": {
        "title": "Sparse truth: proximal L1 finds the support",
        "about": "5 of 200 true weights non-zero; proximal L1 zeroes most of the rest.",
        "config": {
            "data": {"name": "sparse_linear", "n_train": 100, "true_w": 1.0, "noise": 0.1},
            "model": {"init": "zeros"},
            "reg": {"kind": "l1", "lam": 0.1},
            "optim": {"lr": 0.01, "batch_size": 10, "epochs": 200},
        },
    },
    "digits_mlp_l2": {
        "title": "Digits MLP with L2 (the MNIST experiment, 8×8)",
        "about": "64 → 200 sigmoid → 10, SGD lr 0.1, batch 64, 20 epochs, λ = 0.01.",
        "config": {
            "data": {"name": "digits", "n_train": 1_400, "n_test": 397},
            "model": {"kind": "mlp", "hidden": [200], "activation": "sigmoid"},
            "reg": {"kind": "l2", "lam": 0.01},
            "optim": {"lr": 0.1, "batch_size": 64, "epochs": 20},
        },
    },
    "digits_logistic_l1": {
        "title": "Digits, softmax regression with L1",
        "about": "Linear softmax on 8×8 digits, proximal L1 λ = 0.01: about a third of the "
        "640 pixel weights become exactly 0 (≈ 36 %) at ≈ 95 % test accuracy.",
        "config": {
            "data": {"name": "digits", "n_train": 1_400, "n_test": 397},
            "model": {"init": "zeros"},
            "reg": {"kind": "l1", "lam": 0.01},
            "optim": {"lr": 0.1, "batch_size": 32, "epochs": 30},
        },
    },
    "moons_dropout": {
        "title": "Two moons, MLP 64-64 with dropout 0.3",
        "about": "No penalty, dropout 0.3: test loss ≈ 0.7, against ≈ 1.0 with dropout 0 "
        "(set it to 0 to see). Add L2 with λ = 0.001 and it falls to ≈ 0.35.",
        "config": {
            "data": {"name": "moons", "n_train": 100, "n_test": 500, "noise": 0.25},
            "model": {"kind": "mlp", "hidden": [64, 64], "dropout": 0.3},
            "reg": {"kind": "none", "lam": 0.0},
            "optim": {"name": "adam", "lr": 0.01, "batch_size": 20, "epochs": 200},
        },
    },
    "polynomial_overfit": {
        "title": "Polynomial degree 12 on 15 points",
        "about": "Fitting sin(πx) with 12 polynomial features: at λ = 0.001 the test MSE "
        "(≈ 0.35) is 7× the train MSE (≈ 0.05); raise λ to 0.01 and it nearly halves.",
        "config": {
            "data": {
                "name": "polynomial",
                "n_train": 15,
                "n_test": 200,
                "n_features": 12,
                "noise": 0.2,
            },
            "model": {"init": "zeros"},
            "reg": {"kind": "l2", "lam": 0.001},
            "optim": {"lr": 0.05, "batch_size": 15, "epochs": 1_000},
        },
    },
}


def preset(name: str) -> TrainConfig:
    """The validated config of preset ``name``.

    Raises:
        ValueError: for an unknown name, listing the known ones.
    """
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}: choose one of {', '.join(PRESETS)}")
    return load_config(PRESETS[name]["config"])
