"""Misconception demos on layers and protocol: dropout, BatchNorm, decayed biases, λ on test.

See :mod:`regcore.experiments.misconceptions` for the result type and the sources. Each demo
reads its numbers from a fixed batch made by an explicit generator; nothing here
touches torch's global random generator.
"""

from __future__ import annotations

import torch
from torch import nn

from regcore.data import Dataset, make_generator
from regcore.engine import SeededDropout, fit
from regcore.experiments.misconceptions import SEED, DemoResult, regression


def dropout_scaling(p: float = 0.5, n: int = 100_000) -> DemoResult:
    """Inverted dropout: kept units are scaled by 1/(1−p) while training; eval is the identity."""
    x = torch.ones(n, dtype=torch.float64)
    drop = SeededDropout(p, make_generator(SEED, 20))  # nn.Dropout's rule, with our generator
    train_out = drop.train()(x)
    eval_out = nn.Dropout(p).eval()(x)  # torch's own layer: eval draws nothing
    kept = train_out[train_out != 0]
    v = {
        "kept_value": float(kept.max()),
        "kept_fraction": float(kept.numel() / n),
        "train_mean": float(train_out.mean()),
        "eval_value": float(eval_out.max()),
        "eval_is_identity": float(torch.equal(eval_out, x)),
        "old_convention_value": 1.0 - p,
    }
    rows = (
        (f"training, p = {p:g}: value of a kept unit (input 1)", f"{v['kept_value']:.4f}"),
        ("training: share of units kept", f"{v['kept_fraction']:.4f}"),
        ("training: mean output over the batch", f"{v['train_mean']:.4f}"),
        ("nn.Dropout in eval mode: output", f"{v['eval_value']:.4f} (identity)"),
        ("what ×(1−p) at test time would give", f"{v['old_convention_value']:.4f}"),
    )
    verdict = (
        f"PyTorch scales kept units by 1/(1−p) = {v['kept_value']:g} while training (mean "
        f"{v['train_mean']:.3f}) and passes inputs unchanged in eval; multiplying by 1−p at test "
        f"time as well would feed the next layer {1 - p:g}, not the 1 it trained on."
    )
    return DemoResult("dropout_test_scaling", v, rows, verdict)


def batchnorm_eval(n: int = 16, passes: int = 200) -> DemoResult:
    """BatchNorm normalizes by the batch's statistics in training, by running ones in eval."""
    g = make_generator(SEED, 21)
    X = 5.0 + 2.0 * torch.randn(n, 3, generator=g, dtype=torch.float64)
    bn = nn.BatchNorm1d(3).to(torch.float64).requires_grad_(False)
    train_out = bn.train()(X)
    eval_once = bn.eval()(X)
    bn.train()
    for _ in range(passes - 1):
        bn(X)
    eval_later = bn.eval()(X)
    try:
        bn.train()(X[:1])
        single = "works"
    except ValueError:
        single = "error: needs more than 1 sample"
    v = {
        "train_mean": float(train_out.mean()),
        "train_std": float(train_out.std(unbiased=False)),
        "eval_once_mean": float(eval_once.mean()),
        "eval_once_diff": float((eval_once - train_out).abs().max()),
        "eval_later_diff": float((eval_later - train_out).abs().max()),
        "single_sample_eval": float(bn.eval()(X[:1]).abs().max()),
    }
    rows = (
        ("training mode: output mean / std", f"{v['train_mean']:.3f} / {v['train_std']:.3f}"),
        ("eval after 1 batch: output mean", f"{v['eval_once_mean']:.3f}"),
        ("eval after 1 batch: largest |eval − train| output", f"{v['eval_once_diff']:.3f}"),
        (f"eval after {passes} batches: largest |eval − train|", f"{v['eval_later_diff']:.4f}"),
        ("one sample in training mode", single),
    )
    verdict = (
        f"On the same batch, eval-mode outputs differed from training-mode ones by up to "
        f"{v['eval_once_diff']:.2f} after one batch (running statistics start at mean 0, var 1) "
        f"and still by {v['eval_later_diff']:.3f} after {passes} (the running variance is the "
        "unbiased one): BatchNorm is not the same in eval."
    )
    return DemoResult("batchnorm_eval", v, rows, verdict)


def _bn_linear(d: int) -> nn.Sequential:
    g = make_generator(SEED, 22)
    model = nn.Sequential(nn.BatchNorm1d(d), nn.Linear(d, 1)).to(torch.float64)
    with torch.no_grad():
        model[1].weight.copy_(0.1 * torch.randn(1, d, generator=g, dtype=torch.float64))
        model[1].bias.zero_()
    return model


def _train_groups(X, y, lam: float, groups: bool, steps: int = 300, lr: float = 0.1):
    model = _bn_linear(X.shape[1])
    if groups:  # as nanoGPT's configure_optimizers: decay matrices only
        decay = [p for p in model.parameters() if p.dim() >= 2]
        rest = [p for p in model.parameters() if p.dim() < 2]
        params = [{"params": decay, "weight_decay": lam}, {"params": rest, "weight_decay": 0.0}]
    else:
        params = [{"params": list(model.parameters()), "weight_decay": lam}]
    opt = torch.optim.SGD(params, lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.mse_loss(model(X).squeeze(1), y).backward()
        opt.step()
    return model


def decays_biases_and_norms(lam: float = 0.5, intercept: float = 3.0) -> DemoResult:
    """``SGD(model.parameters(), weight_decay=λ)`` decays biases and BatchNorm's γ, β too.

    Model: BatchNorm1d → Linear. With biases and norm parameters in a no-decay group the
    intercept is free, so at convergence the mean prediction equals the mean target.
    """
    X, y = regression()
    y = y + intercept
    every = _train_groups(X, y, lam, groups=False)
    grouped = _train_groups(X, y, lam, groups=True)
    every.requires_grad_(False)
    grouped.requires_grad_(False)
    mean_all, mean_groups = float(every(X).mean()), float(grouped(X).mean())
    v = {
        "target_mean": float(y.mean()),
        "mean_pred_all": mean_all,
        "mean_pred_groups": mean_groups,
        "bias_all": float(every[1].bias),
        "bias_groups": float(grouped[1].bias),
        "gamma_all": float(every[0].weight.mean()),
        "gamma_groups": float(grouped[0].weight.mean()),
    }
    rows = (
        ("mean target", f"{v['target_mean']:.3f}"),
        ("mean prediction: every parameter decayed", f"{v['mean_pred_all']:.3f}"),
        ("mean prediction: biases and norms in a no-decay group", f"{v['mean_pred_groups']:.3f}"),
        ("output bias: decayed / no-decay group", f"{v['bias_all']:.3f} / {v['bias_groups']:.3f}"),
        (
            "BatchNorm γ (mean): decayed / no-decay group",
            f"{v['gamma_all']:.3f} / {v['gamma_groups']:.3f}",
        ),
    )
    verdict = (
        f"With weight_decay={lam:g} on model.parameters() the bias, BatchNorm's γ and β were "
        f"decayed too: the mean prediction fell to {v['mean_pred_all']:.2f} against a mean "
        f"target of {v['target_mean']:.2f} ({v['mean_pred_groups']:.2f} with a no-decay group). "
        "PyTorch decays every parameter it is given."
    )
    return DemoResult("bias_norm_decay", v, rows, verdict)


LAMBDAS = (0.0, 0.03, 0.1, 0.3, 0.6, 1.0, 2.0, 4.0)


def _l2_run(train, val, lam: float, pool, truth) -> tuple[float, torch.Tensor, float]:
    """One regcore L2 run (validation passed as its test split).

    Returns its validation loss, squared errors on ``pool`` and its exact expected loss on
    new data, ‖w − w*‖² + (b − b*)² + σ² for x ~ N(0, I), ``truth`` = (w*, b*, σ).
    """
    (Xt, yt), (Xv, yv) = train, val
    data = Dataset(X_train=Xt, y_train=yt, X_test=Xv, y_test=yv, task="regression", n_classes=0)
    n, d = Xt.shape
    cfg = {
        "data": {"name": "linear", "n_train": n, "n_test": Xv.shape[0], "n_features": d},
        "model": {"kind": "linear"},
        "reg": {"kind": "l2", "lam": lam},
        "optim": {"name": "sgd", "lr": 0.1, "batch_size": n, "epochs": 60},
        "dtype": "float64",
        "device": "cpu",
    }
    out: list = []

    def probe(model: nn.Module, epoch: int, final: bool) -> None:
        if final:
            w, b, sigma = truth
            lin = next(m for m in model.modules() if isinstance(m, nn.Linear))
            out.append((model(pool[0]).squeeze(1) - pool[1]).pow(2))
            exact = (lin.weight.reshape(-1) - w).pow(2).sum() + (lin.bias - b).pow(2).sum()
            out.append(float(exact) + sigma**2)

    result = fit(cfg, data=data, probe=probe)
    return result.metrics["test_loss"], out[0], out[1]


def lambda_on_test(n_sets: int = 1_000, set_size: int = 20) -> DemoResult:
    """Choosing λ by test loss makes the reported test loss optimistic; validation does not.

    Eight L2 runs (regcore) on one training set; λ is chosen either on a validation
    split or on each of ``n_sets`` small test sets, and what that set reports is
    compared with the chosen model's exact expected loss on new data (the data's true
    weights and noise are known).
    """
    n_train, n_val, d, k, sigma = 30, 30, 30, 10, 1.0
    X, y = regression(n_train + n_val + n_sets * set_size, d=d, k=k, noise=sigma)
    w_true = torch.zeros(d, dtype=torch.float64)
    w_true[:k] = 1.0
    cut = [n_train, n_train + n_val]
    parts = list(zip(torch.tensor_split(X, cut), torch.tensor_split(y, cut), strict=True))
    val_loss, test_err, fresh = [], [], []
    for lam in LAMBDAS:
        v, pool, new = _l2_run(parts[0], parts[1], lam, parts[2], (w_true, 0.0, sigma))
        val_loss.append(v)
        test_err.append(pool.reshape(n_sets, set_size).mean(1))
        fresh.append(new)
    tests = torch.stack(test_err)  # (K, n_sets)
    new_loss = torch.tensor(fresh)
    pick = tests.argmin(0)  # λ picked on each test set
    by_test = float(tests.min(0).values.mean()), float(new_loss[pick].mean())
    k_val = min(range(len(LAMBDAS)), key=val_loss.__getitem__)
    by_val = float(tests[k_val].mean()), float(new_loss[k_val])
    v = {
        "reported_by_test": by_test[0],
        "new_by_test": by_test[1],
        "reported_by_val": by_val[0],
        "new_by_val": by_val[1],
        "lam_val": LAMBDAS[k_val],
        "best_new": float(new_loss.min()),
    }
    rows = (
        (f"λ chosen on validation ({n_val} points)", f"{v['lam_val']:g}"),
        (
            f"λ picked on each {set_size}-point test set: reported test loss (mean of {n_sets})",
            f"{v['reported_by_test']:.3f}",
        ),
        ("… the same models' expected loss on new data", f"{v['new_by_test']:.3f}"),
        ("λ from validation: reported test loss", f"{v['reported_by_val']:.3f}"),
        ("… its expected loss on new data", f"{v['new_by_val']:.3f}"),
    )
    verdict = (
        f"Picking λ by test loss reported {v['reported_by_test']:.3f} on average while those "
        f"models lose {v['new_by_test']:.3f} on new data (too rosy by "
        f"{v['new_by_test'] - v['reported_by_test']:.3f}); with λ from validation the test set "
        f"reports {v['reported_by_val']:.3f} against {v['new_by_val']:.3f}: a fair estimate."
    )
    return DemoResult("lambda_on_test", v, rows, verdict)
