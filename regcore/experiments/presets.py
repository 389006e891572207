"""Named example configs: the textbook experiments of EXPERIMENTS.md, one click each.

Each preset is a partial config (missing fields take defaults) with a title
and a sentence saying what it shows. Presets that reproduce a source also state the
source's setting, its published figure, ours, and how its λ maps to ours; a loss beside a
source's is given in both units where they differ (the textbook's ½·MSE, our MSE). Every figure a
preset states is in its ``checks``: (metric, value, relative tolerance) of the preset's
run, or (metric, value, relative tolerance, changes) of the run with those dotted-field
changes ("set the dropout to 0 to see"); ``tests/repro/test_presets.py`` reproduces each.
The MNIST-size MLP experiment (none / L2 0.01 / L1 1e-4) is a comparison of the
L1 vs L2 page (``regcore.experiments.compare_presets``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from regcore.core import TrainConfig, load_config

_SHOWN = {
    "weight_l2": "‖w‖₂",
    "test_loss": "test loss",
    "train_loss": "train loss",
    "zero_fraction": "share of exact zeros",
    "test_acc": "test accuracy",
}


class Check(NamedTuple):
    """A figure a preset states: ``metric`` of its run (with ``changes``) is ``value``,
    within ``rtol`` relative (and ``atol`` absolute) tolerance."""

    metric: str  # a key of RunResult.metrics
    value: float
    rtol: float  # relative tolerance
    changes: Mapping[str, Any] = MappingProxyType({})  # dotted fields changed for this run
    atol: float = 0.0  # absolute tolerance (for figures near 0)

    def holds(self, got: float) -> bool:
        """Whether ``got`` reproduces the stated value."""
        return abs(got - self.value) <= self.rtol * abs(self.value) + self.atol

    def describe(self) -> str:
        """``test loss = 210 ± 10 %`` (with the changes, if any)."""
        tol = f"± {100 * self.rtol:g} %" if self.rtol else f"± {self.atol:g}"
        run = ", ".join(f"{k} = {v}" for k, v in self.changes.items())
        name = _SHOWN.get(self.metric, self.metric)
        return f"{name} = {self.value:g} {tol}" + (f" with {run}" if run else "")


PRESETS: dict[str, dict[str, Any]] = {
    "weight_decay": {
        "title": "Weight decay, high-dimensional regression (λ = 3, same lr shortcut)",
        "about": "20 samples, 200 features: L2 shrinks the weights from ‖w‖≈13 to ≈0.35. "
        "A shortcut, labelled as such: the textbook's λ_d = 3 at its own lr 0.003; the exact "
        "mapping is the 'textbook, λ_d = 3' preset below.",
        "checks": (
            Check("weight_l2", 0.35, 0.1),
            Check("weight_l2", 12.9, 0.1, {"reg.kind": "none", "reg.lam": 0.0}),
        ),
        "config": {},
    },
    "weight_decay_none": {
        "title": "Same experiment without a penalty",
        "about": "λ = 0: the training loss falls to 0, the test loss stays near 160.",
        "checks": (Check("train_loss", 0.0, 0.0, atol=1e-3), Check("test_loss", 160.0, 0.1)),
        "config": {"reg": {"kind": "none", "lam": 0.0}},
    },
    **{
        f"textbook_wd_{ld}": {
            "title": f"Textbook weight-decay chapter, λ_d = {ld} (exact mapping)",
            "about": f"The chapter's from-scratch run at λ_d = {ld} mapped exactly: "
            f"λ = 2·λ_d = {2 * ld} at half its lr (0.0015), the same trajectory.",
            "source": "d2l 'Weight decay' from scratch: 200 features, 20 train / 100 test, "
            "w ~ N(0, 1), SGD lr 0.003, batch 5, 100 epochs, loss ½·MSE + (λ_d/2)‖w‖²",
            "published": published,
            "ours": ours,
            "mapping": "½·MSE + (λ_d/2)‖w‖² = ½·(MSE + 2λ_d·½‖w‖²): λ = 2·λ_d, lr halved",
            "checks": (Check(*check),),
            "config": {
                "reg": {"kind": "l2" if ld else "none", "lam": 2.0 * ld},
                "optim": {"lr": 0.0015},
            },
        }
        for ld, published, ours, check in (
            (0, "‖w‖₂ = 12.96", "‖w‖₂ = 12.91", ("weight_l2", 12.96, 0.1)),
            (3, "‖w‖₂ = 0.356", "‖w‖₂ = 0.350", ("weight_l2", 0.356, 0.1)),
            (
                10,
                "test loss ≈ 0.010 as ½·MSE, the chapter's own loss, i.e. 0.020 as MSE "
                "(EXPERIMENTS.md's 10-seed re-run; not published)",
                "test loss 0.021 as MSE, i.e. 0.0105 as ½·MSE (seed 0), ‖w‖₂ = 0.026",
                ("test_loss", 0.021, 0.1),
            ),
        )
    },
    **{
        f"adam_blog_{lb}": {
            "title": f"Adam blog experiment, its λ = {lb}",
            "about": f"As its code runs: 10 + 10 samples, w ~ N(0, 1), true b = 0.5, Adam lr "
            f"0.05, full batch, 100 epochs; its λ·mean(w²) at λ = {lb} is λ = {lb / 100:g} here. "
            "The 10 training inputs span 10 of the 200 directions: 13.26 of the initial "
            "‖w‖ = 13.50 lies in the other 190, where the data loss has no gradient.",
            "source": "blog reproduction of the weight-decay chapter with Adam: mean((ŷ−y)²) + "
            "λ·mean(w²), 200 features, 10 train + 10 test (its text says 20), w ~ N(0, 1), "
            "lr 0.05, full batch",
            "published": "semilog train/test curves only, no ‖w‖. EXPERIMENTS.md's "
            "re-measurement (‖w‖ 0.655 / 0.46 / 0.153 at λ = 0 / 1 / 10) is of another "
            "setting: 20 + 20 samples and PyTorch's default init U(±1/√200) (‖w₀‖ ≈ 0.58), "
            "not the code's N(0, 1) (‖w₀‖ ≈ 14); in that setting we get 0.66 / 0.47 / 0.15 "
            "(median of 10 seeds; ranges 0.63–0.72, 0.45–0.52, 0.13–0.17)",
            "ours": ours,
            "mapping": "λ·mean(w²) = (λ/200)·Σw² = (2λ/200)·½‖w‖²: λ_ours = λ/100",
            "checks": checks,
            "config": {
                "data": {"n_train": 10, "n_test": 10, "true_b": 0.5},
                "model": {"init": "normal"},
                "reg": {"kind": "l2" if lb else "none", "lam": lb / 100},
                "optim": {"name": "adam", "lr": 0.05, "batch_size": 10, "epochs": 100},
            },
        }
        for lb, ours, checks in (
            (
                0,
                "‖w‖₂ = 13.3 (13.5 at init) while the training loss falls to 0.002; test loss "
                "210. Adam's per-coordinate step sizes move the unconstrained part a little "
                "(by 1.9) but leave its size at 13.3; plain SGD would leave it exactly as drawn",
                (Check("weight_l2", 13.32, 0.05), Check("test_loss", 210.0, 0.1)),
            ),
            (
                1,
                "‖w‖₂ = 12.8, test loss 196: λ = 0.01 barely shrinks the unconstrained part "
                "in 100 steps",
                (Check("weight_l2", 12.79, 0.05), Check("test_loss", 196.0, 0.1)),
            ),
            (
                10,
                "‖w‖₂ = 9.39, test loss 115 (210 at λ = 0): λ = 0.1 shrinks the "
                "unconstrained part, and with it the error on new inputs",
                (Check("weight_l2", 9.39, 0.05), Check("test_loss", 115.0, 0.1)),
            ),
        )
    },
    "sparse_lasso": {
        "title": "Sparse truth: proximal L1 finds the support",
        "about": "5 of 200 true weights non-zero; proximal L1 makes about 63 % of the 200 "
        "weights exactly 0.",
        "checks": (Check("zero_fraction", 0.63, 0.1),),
        "config": {
            "data": {"name": "sparse_linear", "n_train": 100, "true_w": 1.0, "noise": 0.1},
            "model": {"init": "zeros"},
            "reg": {"kind": "l1", "lam": 0.1},
            "optim": {"lr": 0.01, "batch_size": 10, "epochs": 200},
        },
    },
    "digits_mlp_l2": {
        "title": "Digits MLP with L2 (the MNIST experiment, 8×8)",
        "about": "64 → 200 sigmoid → 10, SGD lr 0.1, batch 64, 20 epochs, λ = 0.01: test "
        "accuracy ≈ 0.96.",
        "checks": (Check("test_acc", 0.96, 0.02),),
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
        "checks": (Check("zero_fraction", 0.36, 0.1), Check("test_acc", 0.95, 0.02)),
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
        "checks": (
            Check("test_loss", 0.7, 0.1),
            Check("test_loss", 1.0, 0.1, {"model.dropout": 0.0}),
            Check("test_loss", 0.35, 0.1, {"reg.kind": "l2", "reg.lam": 0.001}),
        ),
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
        "(≈ 0.35) is 7× the train MSE (≈ 0.05); raise λ to 0.01 and it falls to ≈ 0.2. "
        "Not an early-stopping demo: a validation split would be 3 of the 15 points "
        "(too few to see a turn) and cost the fit 20 % of its data; "
        "see 'Early stopping that stops' below.",
        "checks": (
            Check("test_loss", 0.35, 0.1),
            Check("train_loss", 0.05, 0.1),
            Check("test_loss", 0.2, 0.1, {"reg.lam": 0.01}),
        ),
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
    "early_stopping": {
        "title": "Early stopping that stops: two moons, MLP 64-64",
        "about": "Validation: 50 of the 200 training points (val_fraction 0.25), carved from "
        "the training data; the network fits the other 150. The validation loss bottoms out "
        "at epoch 16 and turns up (0.044 → 0.11) while the training loss keeps falling "
        "(0.16 → 0.10); patience 100 stops the run at epoch 116 of 300 and keeps epoch 16's "
        "weights (◆ and dotted line on the loss chart). Test loss 0.16 with early stopping, "
        "1.24 without (all 200 points, 300 epochs; set patience to 0 to see). Seeds 0–4: "
        "kept epoch 6–16, validation 1.8–3.8× its minimum at the stop, test loss 0.16–0.18 "
        "with early stopping against 0.37–1.24 without.",
        "checks": (
            Check("epochs_run", 116, 0.0),
            Check("test_loss", 0.16, 0.1),
            Check("test_loss", 1.24, 0.1, {"optim.early_stopping_patience": None}),
        ),
        "config": {
            "data": {"name": "moons", "n_train": 200, "n_test": 500, "noise": 0.25},
            "model": {"kind": "mlp", "hidden": [64, 64]},
            "reg": {"kind": "none", "lam": 0.0},
            "optim": {
                "name": "adam",
                "lr": 0.01,
                "batch_size": 20,
                "epochs": 300,
                "early_stopping_patience": 100,
                "val_fraction": 0.25,
            },
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
