"""The ready comparisons of the L1 vs L2 page: a base config and the variants run on it.

The regularizers comparison (sparse truth, 100 samples, 200 features) and the digits
comparison are described where they are defined; the optimizer comparisons run in float64
so that the difference they show is rounding, not a hidden discrepancy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from regcore.compare import Variant
from regcore.config import TrainConfig, load_config

# The default comparison: a sparse truth (5 of 200 weights non-zero, ±1), 100 noisy samples,
# N(0, 1) initial weights, full-batch SGD. Full batch makes proximal SGD plain ISTA, which
# reaches the lasso solution (exact zeros) instead of hovering around it, and 500 steps of
# lr 0.05 let the L2 run shrink the initial weights to its ridge solution. Three runs take
# about a second on one CPU core.
DEFAULT_BASE: dict[str, Any] = {
    "data": {
        "name": "sparse_linear",
        "n_train": 100,
        "n_test": 100,
        "n_features": 200,
        "true_w": 1.0,
        "noise": 0.1,
    },
    "model": {"kind": "linear"},
    "reg": {"kind": "l2", "lam": 0.1, "l1_solver": "proximal"},
    "optim": {"name": "sgd", "lr": 0.05, "batch_size": 100, "epochs": 500},
}
# Linear softmax on the 8×8 digits, zero initial weights: proximal L1 at λ = 0.01 zeroes about a
# third of the 640 pixel weights for a few points of test accuracy; L2 zeroes none but the
# weights of the constant border pixels.
DIGITS_BASE: dict[str, Any] = {
    "data": {"name": "digits", "n_train": 1_400, "n_test": 397},
    "model": {"kind": "linear", "init": "zeros"},
    "reg": {"kind": "l2", "lam": 0.01, "l1_solver": "proximal"},
    "optim": {"name": "sgd", "lr": 0.1, "batch_size": 32, "epochs": 30},
}


@dataclass(frozen=True)
class ComparisonPreset:
    """A ready comparison: a base config and its variants, with a one-line purpose."""

    title: str
    base: TrainConfig
    variants: tuple[Variant, ...]
    about: str = ""

    def config(self) -> TrainConfig:
        """The base config the variants are applied to."""
        return self.base


def _flat(base: dict[str, Any]) -> dict[str, Any]:
    return load_config(base).flat()


# float64 for the optimizer modes: SGD + L2 and SGD weight decay then agree to ~1e-14, so the
# difference the page shows is rounding, not a hidden discrepancy.
COMPARISONS: dict[str, ComparisonPreset] = {
    "regularizers": ComparisonPreset(
        "none vs L1 vs L2",
        load_config(DEFAULT_BASE),
        (Variant(kind="none"), Variant(kind="l1"), Variant(kind="l2")),
        "Sparse truth: L1 zeroes the 195 useless weights, L2 only shrinks them.",
    ),
    "l1_solver": ComparisonPreset(
        "L1 solver: proximal vs subgradient",
        load_config(DEFAULT_BASE),
        (
            Variant(kind="l1", l1_solver="proximal", key="l1_proximal"),
            Variant(kind="l1", l1_solver="subgradient", key="l1_subgradient"),
        ),
        "Same λ: the proximal step makes weights exactly 0, the subgradient leaves them hovering.",
    ),
    "sgd_weight_decay": ComparisonPreset(
        "SGD: L2 penalty vs weight decay",
        TrainConfig.from_flat({**_flat(DEFAULT_BASE), "dtype": "float64"}),
        (Variant(kind="l2"), Variant(kind="weight_decay")),
        "With plain SGD an L2 penalty and decoupled weight decay are the same update.",
    ),
    "adam_adamw": ComparisonPreset(
        "Adam + L2 vs AdamW",
        TrainConfig.from_flat(
            {**_flat(DEFAULT_BASE), "optim.name": "adam", "optim.lr": 0.05, "dtype": "float64"}
        ),
        (Variant(kind="l2", optim="adam"), Variant(kind="weight_decay", optim="adamw")),
        "Adam rescales the L2 gradient, AdamW decays every weight alike: they differ.",
    ),
    "digits": ComparisonPreset(
        "Digits: L1 vs L2 pixel weights",
        load_config(DIGITS_BASE),
        (Variant(kind="l1"), Variant(kind="l2")),
        "Linear softmax on 8×8 digits: L1 keeps a few pixels per class, L2 keeps all.",
    ),
}
