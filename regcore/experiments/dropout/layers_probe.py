"""Train mode against eval mode, layer by layer, with numbers (no figures).

``probe_layers`` pushes one fixed batch through a copy of a trained network.
Each layer gets *the same input* in both modes (the eval-mode activations of the
layers before it), so a difference between its two outputs is that layer's own
doing:

- dropout (inverted, PyTorch's convention): in train mode a share ≈ p of the
  units is zeroed and the survivors are scaled by exactly 1/(1−p); in eval mode
  it is the identity;
- BatchNorm: train mode normalizes with the batch's own mean and (biased)
  variance, eval mode with the running estimates gathered while training;
- LayerNorm and GroupNorm normalize each sample over its own features: the same
  output in both modes.

``dropout_conventions`` states the two conventions numerically (Srivastava et
al. 2014, §10 and Fig. 2): the original paper's keeps units with probability
1−p without scaling while training and multiplies by 1−p at test time; the
inverted one scales survivors by 1/(1−p) while training and does nothing at
test time. In both, the expected training-time activation equals the test-time
activation.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import torch
from torch import nn

from regcore.engine import SeededDropout

PROBE_SEED = 12345  # the probe's own dropout masks: never the run's stream


@dataclass(frozen=True)
class LayerProbe:
    """One layer's output for the same input in train and eval mode."""

    index: int  # position in the network
    name: str  # e.g. "Dropout(p=0.5)"
    kind: str  # linear | activation | dropout | batch | layer | group | other
    train_mean: float
    train_std: float
    eval_mean: float
    eval_std: float
    max_abs_diff: float  # max |train-mode output − eval-mode output|
    extra: dict[str, float] = field(default_factory=dict)  # kind-specific numbers


def _kind(layer: nn.Module) -> str:
    if isinstance(layer, SeededDropout | nn.Dropout):
        return "dropout"
    if isinstance(layer, nn.BatchNorm1d | nn.BatchNorm2d):
        return "batch"
    if isinstance(layer, nn.LayerNorm):
        return "layer"
    if isinstance(layer, nn.GroupNorm):
        return "group"
    if isinstance(layer, nn.Linear | nn.Conv2d):
        return "linear"
    if isinstance(layer, nn.ReLU | nn.Tanh | nn.Sigmoid):
        return "activation"
    return "other"


def _name(layer: nn.Module) -> str:
    if isinstance(layer, SeededDropout):
        return f"Dropout(p={layer.p:g})"
    text = repr(layer)
    return text if len(text) <= 40 else type(layer).__name__


def _dropout_numbers(layer: nn.Module, x: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    alive = x != 0
    zeroed = alive & (y == 0)
    survivors = alive & (y != 0)
    scale = (y[survivors] / x[survivors]).mean() if survivors.any() else torch.tensor(1.0)
    p = float(layer.p)
    return {
        "p": p,
        "zero_fraction": float(zeroed.sum() / alive.sum().clamp_min(1)),
        "survivor_scale": float(scale),
        "formula_scale": 1.0 / (1.0 - p),
    }


def _batchnorm_numbers(layer: nn.Module, x: torch.Tensor) -> dict[str, float]:
    dims = [0] + list(range(2, x.dim()))
    mean, var = x.mean(dims), x.var(dims, unbiased=False)
    rm, rv = layer.running_mean, layer.running_var
    return {
        "batch_mean_avg": float(mean.mean()),
        "running_mean_avg": float(rm.mean()),
        "batch_var_avg": float(var.mean()),
        "running_var_avg": float(rv.mean()),
        "max_abs_mean_gap": float((mean - rm).abs().max()),
        "batch_size": float(x.shape[0]),
    }


def probe_layers(model: nn.Module, X: torch.Tensor, seed: int = PROBE_SEED) -> list[LayerProbe]:
    """Per-layer train-mode and eval-mode outputs of a copy of ``model`` on batch ``X``.

    Args:
        model: an ``nn.Sequential`` (regcore.engine.models); it is not changed (a copy is
            probed, so BatchNorm's running statistics stay as they were).
        X: one batch of inputs, shape (n, d); BatchNorm needs n ≥ 2.
        seed: seed of the probe's own dropout masks.

    Returns:
        One :class:`LayerProbe` per layer, in forward order.
    """
    net = copy.deepcopy(model)
    g = torch.Generator().manual_seed(seed)
    for layer in net.modules():
        if isinstance(layer, SeededDropout):
            layer.generator = g
    param = next(net.parameters())
    x = X.to(device=param.device, dtype=param.dtype)
    out: list[LayerProbe] = []
    with torch.no_grad():
        for i, layer in enumerate(net):
            kind = _kind(layer)
            extra = _batchnorm_numbers(layer, x) if kind == "batch" else {}
            layer.eval()  # first: a train-mode BatchNorm pass moves the running statistics
            y_eval = layer(x)
            layer.train()
            y_train = layer(x)
            if kind == "dropout":
                extra = _dropout_numbers(layer, x, y_train)
            out.append(
                LayerProbe(
                    index=i,
                    name=_name(layer),
                    kind=kind,
                    train_mean=float(y_train.mean()),
                    train_std=float(y_train.std(unbiased=False)),
                    eval_mean=float(y_eval.mean()),
                    eval_std=float(y_eval.std(unbiased=False)),
                    max_abs_diff=float((y_train - y_eval).abs().max()),
                    extra=extra,
                )
            )
            x = y_eval
    return out


def dropout_conventions(
    x: torch.Tensor, p: float, masks: int = 4_000, seed: int = PROBE_SEED, max_units: int = 512
) -> dict[str, float]:
    """Expected training activation against the test activation, for both conventions.

    Args:
        x: activations entering a dropout layer, any shape (non-negative or not).
        p: drop probability, 0 ≤ p < 1. masks: Monte-Carlo masks averaged.
        seed: seed of the masks. max_units: only the first this many units (of the
            flattened ``x``) are used, which bounds the work to masks × max_units.

    Returns:
        Averages over the units of ``x``: ``input``; for the inverted convention
        ``inverted_train_mc`` (mean over masks of x·m/(1−p)) and ``inverted_test`` (x);
        for the original ``original_train_mc`` (mean of x·m) and ``original_test``
        ((1−p)·x); the largest per-unit |Monte-Carlo − test| of each
        (``inverted_max_err``, ``original_max_err``) and its standard error bound
        ``mc_se`` (max_x |x|·sqrt(p(1−p)/masks)/(1−p)).
    """
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout p = {p} is out of range: allowed 0 to below 1")
    x = x.detach().to("cpu", torch.float64).reshape(-1)[:max_units]
    g = torch.Generator().manual_seed(seed)
    keep = (torch.rand((masks, x.numel()), generator=g, dtype=torch.float64) >= p).double()
    original_mc = (x * keep).mean(0)
    inverted_mc = original_mc / (1.0 - p)
    original_test = (1.0 - p) * x
    se = float(x.abs().max()) * (p * (1 - p) / masks) ** 0.5 / (1.0 - p) if p > 0 else 0.0
    return {
        "p": p,
        "input": float(x.mean()),
        "inverted_train_mc": float(inverted_mc.mean()),
        "inverted_test": float(x.mean()),
        "original_train_mc": float(original_mc.mean()),
        "original_test": float(original_test.mean()),
        "inverted_max_err": float((inverted_mc - x).abs().max()),
        "original_max_err": float((original_mc - original_test).abs().max()),
        "mc_se": se,
    }


def first_dropout_input(model: nn.Module, X: torch.Tensor) -> tuple[float, torch.Tensor] | None:
    """(p, eval-mode activations entering the first dropout layer on batch X), or None."""
    param = next(model.parameters())
    x = X.to(device=param.device, dtype=param.dtype)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for layer in model:
                if _kind(layer) == "dropout":
                    return float(layer.p), x
                x = layer(x)
    finally:
        model.train(was_training)
    return None
