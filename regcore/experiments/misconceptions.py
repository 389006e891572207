"""Common misconceptions about regularization in PyTorch, each checked by a small real run.

Every demo is a function returning a :class:`DemoResult`: the numbers it measured
(``values``, for tests and tables), rows to show and a one-line verdict built from
those numbers. All randomness comes from explicit generators (``make_generator``);
everything runs in float64 on the CPU in well under a second.

Sources for the facts checked: PyTorch's ``torch.optim.SGD`` / ``AdamW`` and
``nn.Dropout`` / ``nn.BatchNorm1d`` documentation; Loshchilov & Hutter (2019)
for Adam + L2 ≠ AdamW; Srivastava et al. (2014) for dropout's original test-time
scaling by 1−p; nanoGPT's ``configure_optimizers`` for decay-free parameter groups.
The layer demos (dropout, BatchNorm, parameter groups) are in
``regcore.experiments.misconceptions_layers``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from regcore.core import soft_threshold_
from regcore.data import make_generator
from regcore.engine import fit

SEED = 0


@dataclass(frozen=True)
class DemoResult:
    """What one demo measured: named numbers, rows to show, and the verdict they support."""

    key: str
    values: dict[str, float]
    rows: tuple[tuple[str, str], ...]  # (what was measured, the number as shown)
    verdict: str


def regression(n: int = 40, d: int = 20, k: int = 4, seed: int = SEED, noise: float = 0.5):
    """A fixed regression batch: X ~ N(0, 1)^(n×d), y = X·w* + ε with k non-zero w*_i = 1."""
    g = make_generator(seed, 10)
    X = torch.randn(n, d, generator=g, dtype=torch.float64)
    w = torch.zeros(d, dtype=torch.float64)
    w[:k] = 1.0
    y = X @ w + noise * torch.randn(n, generator=g, dtype=torch.float64)
    return X, y


def _start(d: int, seed: int = SEED) -> torch.Tensor:
    return 0.3 * torch.randn(d, generator=make_generator(seed, 11), dtype=torch.float64)


def _sgd(X, y, loss_fn, *, weight_decay=0.0, lr=0.05, steps=200, prox=0.0) -> torch.Tensor:
    """Full-batch SGD on a bias-free linear model from the shared start; returns w."""
    w = nn.Parameter(_start(X.shape[1]))
    opt = torch.optim.SGD([w], lr=lr, weight_decay=weight_decay)
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(X @ w, y, w).backward()
        opt.step()
        if prox:
            with torch.no_grad():
                soft_threshold_(w, lr * prox)
    return w.detach()


def _tiny(x: float) -> str:
    """A difference at rounding level, as shown: 0 is said to be exact."""
    return "0 (exactly)" if x == 0 else f"{x:.1e}"


def _zeros(w: torch.Tensor) -> int:
    return int((w == 0).sum())


def weight_decay_is_l2(lam: float = 0.1) -> DemoResult:
    """``SGD(weight_decay=λ)`` against an L2 penalty λ·½‖w‖² and an L1 penalty λ‖w‖₁."""
    X, y = regression()
    wd = _sgd(X, y, lambda out, t, w: F.mse_loss(out, t), weight_decay=lam)
    l2 = _sgd(X, y, lambda out, t, w: F.mse_loss(out, t) + lam * 0.5 * w.pow(2).sum())
    l1 = _sgd(X, y, lambda out, t, w: F.mse_loss(out, t) + lam * w.abs().sum())
    v = {
        "diff_l2": float((wd - l2).abs().max()),
        "diff_l1": float((wd - l1).abs().max()),
        "norm_wd": float(wd.norm()),
        "norm_l2": float(l2.norm()),
        "norm_l1": float(l1.norm()),
    }
    rows = (
        ("largest |w_wd − w_L2| after 200 steps", _tiny(v["diff_l2"])),
        ("largest |w_wd − w_L1| after 200 steps", f"{v['diff_l1']:.3f}"),
        (
            "‖w‖₂: weight_decay / L2 penalty / L1 penalty",
            f"{v['norm_wd']:.4f} / {v['norm_l2']:.4f} / {v['norm_l1']:.4f}",
        ),
    )
    verdict = (
        f"SGD(weight_decay={lam:g}) matched the L2 penalty λ·½‖w‖² to {_tiny(v['diff_l2'])} and "
        f"missed the L1 penalty by {v['diff_l1']:.2f}: weight_decay is L2."
    )
    return DemoResult("weight_decay_l1", v, rows, verdict)


def l1loss_is_data_loss(lam: float = 0.2) -> DemoResult:
    """``nn.L1Loss`` measures |prediction − target|; it never looks at the weights."""
    X, y = regression()
    w0 = _start(X.shape[1])
    residual = X @ w0 - y
    by_l1loss = _sgd(X, y, lambda out, t, w: nn.L1Loss()(out, t), steps=400)
    penalized = _sgd(X, y, lambda out, t, w: F.mse_loss(out, t), steps=400, prox=lam)
    v = {
        "l1loss": float(nn.L1Loss()(X @ w0, y)),
        "mean_abs_residual": float(residual.abs().mean()),
        "weight_l1": float(w0.abs().sum()),
        "zeros_l1loss": _zeros(by_l1loss),
        "zeros_penalty": _zeros(penalized),
        "d": X.shape[1],
    }
    d = X.shape[1]
    rows = (
        ("nn.L1Loss()(X·w, y) at the start", f"{v['l1loss']:.4f}"),
        ("mean |X·w − y| (the residuals)", f"{v['mean_abs_residual']:.4f}"),
        ("‖w‖₁ (what an L1 penalty measures)", f"{v['weight_l1']:.4f}"),
        ("exact zeros after training on nn.L1Loss", f"{v['zeros_l1loss']} / {d}"),
        (
            f"exact zeros with MSE + L1 penalty λ = {lam:g} (proximal)",
            f"{v['zeros_penalty']} / {d}",
        ),
    )
    verdict = (
        f"nn.L1Loss equals the mean absolute residual ({v['l1loss']:.3f}), not ‖w‖₁ "
        f"({v['weight_l1']:.3f}); training on it left {v['zeros_l1loss']} zero weights, the L1 "
        f"penalty {v['zeros_penalty']}: it is a (robust) data loss, not a penalty."
    )
    return DemoResult("l1loss_penalty", v, rows, verdict)


def _linear_config(**reg) -> dict:
    return {
        "data": {
            "name": "sparse_linear",
            "n_train": 40,
            "n_test": 200,
            "n_features": 30,
            "n_informative": 4,
            "true_w": 1.0,
            "noise": 0.5,
            "true_b": 0.0,
        },
        "model": {"kind": "linear"},
        "reg": reg,
        "optim": {"name": "sgd", "lr": 0.05, "batch_size": 10, "epochs": 50},
        "dtype": "float64",
        "device": "cpu",
    }


def _flat(result) -> torch.Tensor:
    return torch.tensor(
        [x for layer in result.weights.values() for x in layer], dtype=torch.float64
    )


def adam_l2_is_not_adamw(lam: float = 0.1, lr: float = 0.1) -> DemoResult:
    """regcore runs: Adam with an L2 penalty λ against AdamW with decoupled decay λ."""
    base = _linear_config()
    base["optim"] = {**base["optim"], "lr": lr}
    adam = fit(
        {**base, "reg": {"kind": "l2", "lam": lam}, "optim": {**base["optim"], "name": "adam"}}
    )
    adamw = fit(
        {
            **base,
            "reg": {"kind": "weight_decay", "lam": lam},
            "optim": {**base["optim"], "name": "adamw"},
        }
    )
    sgd_l2 = fit({**base, "reg": {"kind": "l2", "lam": lam}})
    sgd_wd = fit({**base, "reg": {"kind": "weight_decay", "lam": lam}})
    a, b = _flat(adam), _flat(adamw)
    v = {
        "diff_adam": float((a - b).abs().max()),
        "diff_sgd": float((_flat(sgd_l2) - _flat(sgd_wd)).abs().max()),
        "norm_adam_l2": float(a.norm()),
        "norm_adamw": float(b.norm()),
        "test_adam_l2": adam.metrics["test_loss"],
        "test_adamw": adamw.metrics["test_loss"],
    }
    rows = (
        ("largest |w_Adam+L2 − w_AdamW| (same λ, lr, data, start)", f"{v['diff_adam']:.3f}"),
        ("‖w‖₂: Adam + L2 / AdamW", f"{v['norm_adam_l2']:.3f} / {v['norm_adamw']:.3f}"),
        ("test loss: Adam + L2 / AdamW", f"{v['test_adam_l2']:.3f} / {v['test_adamw']:.3f}"),
        ("with plain SGD: largest |w_L2 − w_decay|", _tiny(v["diff_sgd"])),
    )
    verdict = (
        f"With SGD the L2 penalty and decoupled decay agree to {_tiny(v['diff_sgd'])}; with Adam "
        f"they end {v['diff_adam']:.2f} apart, because Adam rescales the penalty's gradient per "
        "weight and AdamW's decay is not rescaled: Adam + L2 is not AdamW."
    )
    return DemoResult("adam_l2_adamw", v, rows, verdict)


def subgradient_no_zeros(lam: float = 0.2) -> DemoResult:
    """regcore runs: L1 by subgradient against L1 by proximal steps, same everything else."""
    sub = fit(_linear_config(kind="l1", lam=lam, l1_solver="subgradient"))
    prox = fit(_linear_config(kind="l1", lam=lam, l1_solver="proximal"))
    d = len(_flat(sub))
    v = {
        "zeros_subgradient": sub.metrics["zero_fraction"] * d,
        "zeros_proximal": prox.metrics["zero_fraction"] * d,
        "near_subgradient": sub.metrics["near_zero_fraction"] * d,
        "smallest_subgradient": float(_flat(sub).abs().min()),
        "d": d,
    }
    rows = (
        (
            "exact zeros: subgradient / proximal",
            f"{v['zeros_subgradient']:.0f} / {v['zeros_proximal']:.0f} of {d}",
        ),
        ("subgradient weights with |w| < 10⁻³", f"{v['near_subgradient']:.0f} of {d}"),
        ("smallest |w| the subgradient run reached", f"{v['smallest_subgradient']:.1e}"),
    )
    verdict = (
        f"Subgradient L1 left {v['zeros_subgradient']:.0f} exact zeros (its weights jitter around "
        f"0, the smallest at {v['smallest_subgradient']:.0e}); proximal steps left "
        f"{v['zeros_proximal']:.0f} of {d} exactly 0."
    )
    return DemoResult("subgradient_zeros", v, rows, verdict)
