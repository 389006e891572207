"""ISLR's regularization figures as λ sweeps, one click each (the λ sweep page).

Each preset is a partial config over its data set's catalog defaults and the sweep's own
settings (a λ range of K log-spaced points), with the book's figure and claim, ours as
measured, and how the book's λ maps onto ours.

λ conventions (ours: MSE + λ·Ω on standardized inputs and a standardized target, Ω_L2 =
½‖w‖², Ω_L1 = ‖w‖₁; DESIGN.md):

- the book's ridge (its eq. 6.5) minimizes RSS + λ_r‖β‖²; dividing by n gives ours at
  λ = 2·λ_r/n. The target's scale does not change this (both terms scale with it).
- glmnet's lasso (the book's labs and Figure 6.6) minimizes (1/2n)·RSS + λ_g‖β‖₁ on the
  target in its own units; doubled, ours at λ = 2·λ_g on the same target. Our target is
  divided by its standard deviation s_y (on the training rows), which divides the
  coefficients by s_y and λ_g too: λ = 2·λ_g/s_y.

``tests/unit/test_islr_lambda.py`` checks both against scikit-learn (``Ridge(alpha=λ_r)``,
``Lasso(alpha=λ_g)``) on the same standardized data.
"""

from __future__ import annotations

from typing import Any

from regcore.core import CATALOG, TrainConfig

RIDGE_MAP = "book's ridge RSS + λ_r‖β‖² (eq. 6.5): λ = 2·λ_r/n"
LASSO_MAP = (
    "glmnet's lasso (1/2n)·RSS + λ_g‖β‖₁ on the target in its units: λ = 2·λ_g/s_y "
    "(our target is standardized; s_y its standard deviation)"
)
_CREDIT = {"data": {"name": "credit", "n_train": 360, "n_test": 40}, "model": {"init": "zeros"}}
_HITTERS = {"data": {"name": "hitters", "n_train": 200, "n_test": 63}, "model": {"init": "zeros"}}

SWEEP_PRESETS: dict[str, dict[str, Any]] = {
    "credit_ridge": {
        "title": "ISLR Figure 6.4: ridge paths on Credit",
        "about": "Standardized ridge coefficients of the 12 Credit columns against λ: all "
        "shrink together, none becomes exactly 0. Limit, Rating, Income and Student are "
        "named, the others grey, as in the book.",
        "source": "ISLR (2nd ed.) §6.2.1, Figure 6.4: ridge on Credit's 400 people, "
        "coefficients of the standardized predictors against λ_r",
        "published": "Income, Limit, Rating and Student largest; all shrink towards 0 as λ "
        "grows, none reaches it",
        "ours": "the same four largest (Limit, Income, Rating, Student_Yes), none exactly 0 "
        "at any λ; 324 people fit, 36 validate, 40 test; λ* = 0.030 on validation, its test "
        "loss 0.047 (standardized Balance). The book's λ_r from 10⁻² to 10⁴ is ours from "
        "6·10⁻⁵ to 62 (we stop at 30: SGD with momentum 0.9 and lr 0.1 diverges past 38)",
        "mapping": RIDGE_MAP,
        "config": {
            **_CREDIT,
            "reg": {"kind": "l2"},
            "optim": {
                "lr": 0.1,
                "momentum": 0.9,
                "batch_size": 360,
                "epochs": 500,
                "val_fraction": 0.1,
            },
        },  # fmt: skip
        "sweep": {"lam_min": 1e-4, "lam_max": 30.0, "k": 32},
    },
    "credit_lasso": {
        "title": "ISLR Figure 6.6: lasso paths on Credit, and the order predictors enter",
        "about": "The lasso drops predictors one by one as λ grows. Coming from large λ "
        "(book): Rating enters first, then Student and Limit almost together, shortly "
        "followed by Income.",
        "source": "ISLR (2nd ed.) §6.2.2, Figure 6.6: lasso on Credit, standardized "
        "coefficients against glmnet's λ_g",
        "published": "from large λ: Rating, then Student and Limit almost together, then Income",
        "ours": "on all 400 people, as the book fits, the exact path takes Rating first "
        "(λ = 1.73; glmnet's λ_g = 397), Student (0.521; 119.5) and Limit (0.508; 116.6) "
        "almost together, then Income (0.249; 57.2): the book's order. On the 324 people the "
        "models fit here Limit (1.70) and Rating (1.31) swap, then Student (0.60) and Income "
        "(0.24): Limit and Rating are near-duplicates (correlation 0.997) whose correlations "
        "with Balance differ by 0.002, so which comes first depends on the sample",
        "mapping": LASSO_MAP,
        "config": {
            **_CREDIT,
            "reg": {"kind": "l1"},
            "optim": {
                "lr": 0.3,
                "momentum": 0.0,
                "batch_size": 360,
                "epochs": 1000,
                "val_fraction": 0.1,
            },
        },  # fmt: skip
        "sweep": {"lam_min": 1e-3, "lam_max": 10.0, "k": 32},
    },
    "hitters_ridge": {
        "title": "ISLR lab 6.5.2 on Hitters: ridge, λ by 10-fold cross-validation",
        "about": "Ridge on the 19 predictors of the 263 players with a salary: every "
        "coefficient shrinks, none is 0. λ is chosen by 10-fold cross-validation, as in the "
        "lab (λ_min and the one-standard-error λ).",
        "source": "ISLR (2nd ed.) lab 6.5.2: glmnet ridge on Hitters, 19 predictors",
        "published": "all 19 coefficients non-zero at the cross-validated λ",
        "ours": "all 19 non-zero at every λ; 10-fold CV on the 200 training players: λ_min "
        "= 1.16 (test loss 0.42, standardized Salary, 63 test players), λ_1se = 20 (0.65); "
        "the validation split's λ* = 2.6 (test 0.42)",
        "mapping": RIDGE_MAP,
        "config": {
            **_HITTERS,
            "reg": {"kind": "l2"},
            "optim": {"lr": 0.05, "momentum": 0.9, "batch_size": 200, "epochs": 1000},
        },
        "sweep": {"lam_min": 1e-4, "lam_max": 30.0, "k": 32, "choose": "10-fold"},
    },
    "hitters_lasso": {
        "title": "ISLR lab 6.5.2 on Hitters: the lasso at the cross-validated λ keeps some "
        "predictors",
        "about": "Lasso on Hitters: as λ grows predictors leave the model; at the λ chosen "
        "by 10-fold cross-validation only some remain, fewer at the one-standard-error λ.",
        "source": "ISLR (2nd ed.) lab 6.5.2: glmnet lasso on Hitters, λ by 10-fold "
        "cross-validation",
        "published": "at the λ chosen by 10-fold cross-validation the lasso keeps only some "
        "of the 19 predictors",
        "ours": "10-fold CV: λ_min = 0.116, where the lasso refitted on the 200 training "
        "players keeps 6 of 19 (Hits, Walks, CRuns, CRBI, PutOuts, Division_W), test loss "
        "0.42; λ_1se = 0.51 keeps 3 (Hits, Walks, CRBI), test 0.62. The validation split's "
        "λ* = 0.16 keeps the same 6 (test 0.41). From large λ the exact path takes CRBI, "
        "Walks, Hits, PutOuts, Division_W, CRuns first",
        "mapping": LASSO_MAP,
        "config": {
            **_HITTERS,
            "reg": {"kind": "l1"},
            "optim": {"lr": 0.07, "momentum": 0.0, "batch_size": 200, "epochs": 2000},
        },
        "sweep": {"lam_min": 1e-3, "lam_max": 10.0, "k": 32, "choose": "10-fold"},
    },
    "khan_lasso": {
        "title": "Khan's genes: how many the lasso keeps, and test accuracy",
        "about": "p ≫ n: 2,308 genes, 63 training tumours, 4 classes. A softmax with a "
        "proximal L1 penalty keeps a handful of genes at large λ and still classifies the "
        "20 test tumours.",
        "source": "ISLR (2nd ed.) Khan data (Khan et al. 2001): 63 training / 20 test "
        "tumours, 2,308 genes",
        "published": "the book's lab classifies the 20 test tumours with a linear support "
        "vector classifier on all 2,308 genes",
        "ours": "26 genes at λ = 0.1 classify all 20 test tumours (and the 63 training "
        "ones); 9 genes at λ = 0.25: 17 of 20; none at λ = 0.63. The validation choice "
        "(13 of the 63 held out) is the smallest λ, 10⁻³: 1,491 genes, 20 of 20",
        "mapping": "multinomial logistic: our λ = 1/(n·C) against scikit-learn's "
        "LogisticRegression(C) (Learn page)",
        "config": {
            "data": {"name": "khan", "n_train": 63, "n_test": 20},
            "model": {"init": "zeros"},
            "reg": {"kind": "l1"},
            "optim": {"lr": 0.1, "batch_size": 63, "epochs": 200, "val_fraction": 0.2},
        },
        "sweep": {"lam_min": 1e-3, "lam_max": 1.0, "k": 16},
    },
}


def sweep_preset(name: str) -> tuple[TrainConfig, dict[str, Any]]:
    """The config of preset ``name`` (its data set's catalog defaults under its own
    fields) and its sweep settings (``lam_min``, ``lam_max``, ``k``).

    Raises:
        ValueError: for an unknown name, listing the known ones.
    """
    if name not in SWEEP_PRESETS:
        raise ValueError(f"unknown preset {name!r}: choose one of {', '.join(SWEEP_PRESETS)}")
    p = SWEEP_PRESETS[name]
    flat = {
        f"{section}.{key}": value
        for section, fields in p["config"].items()
        for key, value in fields.items()
    }
    data = flat["data.name"]
    cfg = TrainConfig().replace(**{**CATALOG[data].defaults, **flat})
    return cfg, dict(p["sweep"])
