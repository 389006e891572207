"""Models: linear, MLP (dropout, batch/layer/group norm) and a small CNN.

Randomness comes only from generators passed in: initial weights from the run's
``Stream.INIT``, dropout masks from its ``Stream.DROPOUT`` (``SeededDropout``).

Which parameters a penalty sees (``penalized_parameters``): the weights of
``nn.Linear`` and ``nn.Conv2d`` layers; their biases only when
``reg.penalize_bias`` is on; normalization-layer affine parameters never.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from regcore.core import TrainConfig

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


class SeededDropout(nn.Module):
    """Inverted dropout whose masks come from an explicit generator.

    Identity in eval mode; in train mode zeroes each unit with probability
    ``p`` and scales the rest by 1/(1−p), like ``nn.Dropout``.
    """

    def __init__(self, p: float, generator: torch.Generator) -> None:
        super().__init__()
        self.p = p
        self.generator = generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = torch.rand(x.shape, generator=self.generator, dtype=x.dtype)
        mask = (keep >= self.p).to(device=x.device, dtype=x.dtype)
        return x * mask / (1.0 - self.p)

    def extra_repr(self) -> str:
        return f"p={self.p}"


def _groups(channels: int) -> int:
    for g in (8, 4, 2):
        if channels % g == 0 and channels > g:
            return g
    return 1


def _norm_1d(kind: str, width: int) -> nn.Module | None:
    if kind == "batch":
        return nn.BatchNorm1d(width)
    if kind == "layer":
        return nn.LayerNorm(width)
    if kind == "group":
        return nn.GroupNorm(_groups(width), width)
    return None


def _norm_2d(kind: str, channels: int) -> nn.Module | None:
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "instance":
        return nn.InstanceNorm2d(channels, affine=True)
    if kind == "group":
        return nn.GroupNorm(_groups(channels), channels)
    if kind == "layer":
        return nn.GroupNorm(1, channels)  # normalizes over (C, H, W), as LayerNorm would
    return None


class Flatten2d(nn.Module):
    """(n, h·w) features to (n, 1, h, w) images."""

    def __init__(self, shape: tuple[int, int]) -> None:
        super().__init__()
        self.shape = shape

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], 1, *self.shape)


def build_model(
    cfg: TrainConfig,
    in_dim: int,
    out_dim: int,
    *,
    init: torch.Generator,
    dropout: torch.Generator,
    image_shape: tuple[int, int] | None = None,
    regression: bool = True,
) -> nn.Sequential:
    """Build and initialize the model of ``cfg.model``.

    Args:
        cfg: the run configuration.
        in_dim: input features d. out_dim: 1 for regression, classes otherwise.
        init: generator for initial weights. dropout: generator for masks.
        image_shape: (h, w) of image inputs, needed by the CNN.
        regression: whether the task is regression (picks the ``auto`` init).

    Returns:
        An ``nn.Sequential`` mapping (n, d) inputs to (n, out_dim) outputs.
    """
    m = cfg.model
    if m.kind == "linear":
        model = nn.Sequential(nn.Linear(in_dim, out_dim))
    elif m.kind == "mlp":
        model = _mlp(cfg, in_dim, out_dim, dropout)
    else:
        if image_shape is None:
            raise ValueError("model.kind = 'cnn' needs an image data set such as digits")
        model = _cnn(cfg, image_shape, out_dim, dropout)
    _initialize(model, cfg, init, regression)
    return model


def _mlp(cfg: TrainConfig, in_dim: int, out_dim: int, g: torch.Generator) -> nn.Sequential:
    m = cfg.model
    layers: list[nn.Module] = []
    width = in_dim
    for h in m.hidden:
        layers.append(nn.Linear(width, h))
        norm = _norm_1d(m.norm, h)
        if norm is not None:
            layers.append(norm)
        layers.append(ACTIVATIONS[m.activation]())
        if m.dropout > 0:
            layers.append(SeededDropout(m.dropout, g))
        width = h
    layers.append(nn.Linear(width, out_dim))
    return nn.Sequential(*layers)


def _cnn(
    cfg: TrainConfig, shape: tuple[int, int], out_dim: int, g: torch.Generator
) -> nn.Sequential:
    m = cfg.model
    layers: list[nn.Module] = [Flatten2d(shape)]
    channels, (h, w) = 1, shape
    for out_ch in (8, 16):
        layers.append(nn.Conv2d(channels, out_ch, kernel_size=3, padding=1))
        norm = _norm_2d(m.norm, out_ch)
        if norm is not None:
            layers.append(norm)
        layers += [ACTIVATIONS[m.activation](), nn.MaxPool2d(2)]
        channels, h, w = out_ch, h // 2, w // 2
    layers.append(nn.Flatten())
    if m.dropout > 0:
        layers.append(SeededDropout(m.dropout, g))
    layers.append(nn.Linear(channels * h * w, out_dim))
    return nn.Sequential(*layers)


def _initialize(model: nn.Module, cfg: TrainConfig, g: torch.Generator, regression: bool) -> None:
    init = cfg.model.init
    if init == "auto":
        init = "normal" if cfg.model.kind == "linear" and regression else "torch"
    with torch.no_grad():
        for layer in model.modules():
            if not isinstance(layer, nn.Linear | nn.Conv2d):
                continue
            if init == "normal":
                layer.weight.normal_(0.0, cfg.model.init_std, generator=g)
                layer.bias.zero_()
            elif init == "zeros":
                layer.weight.zero_()
                layer.bias.zero_()
            else:  # PyTorch's default, drawn from our generator
                nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=g)
                fan_in = layer.weight[0].numel()
                bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
                nn.init.uniform_(layer.bias, -bound, bound, generator=g)


def weight_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The (name, layer) pairs whose weights are penalized, in forward order."""
    out = []
    index = 0
    for layer in model.modules():
        if isinstance(layer, nn.Linear | nn.Conv2d):
            index += 1
            kind = "conv" if isinstance(layer, nn.Conv2d) else "linear"
            out.append((f"{kind}{index}", layer))
    return out


def penalized_parameters(model: nn.Module, penalize_bias: bool) -> list[nn.Parameter]:
    """Weights of linear/conv layers (and their biases if asked); never norm params."""
    params: list[nn.Parameter] = []
    for _, layer in weight_layers(model):
        params.append(layer.weight)
        if penalize_bias and layer.bias is not None:
            params.append(layer.bias)
    return params
