"""Plain MLPs with dropout as R·K grouped models: K drop probabilities p_k × R runs.

Model (r, k) is the single-run network of ``cfg`` with ``model.dropout = p_k`` and run seed
``seeds[r]``: the same initial weights and batch order as :class:`MLPNet`, and the same
dropout masks as ``regcore.engine.models.SeededDropout`` draws them — after each hidden
activation, in train mode only, ``u = torch.rand(batch, width)`` on the run's own
``Stream.DROPOUT`` generator, unit kept where ``u ≥ p``, scaled by 1/(1 − p). The K
models of one run draw from that one generator in the same order (one ``u`` per hidden
layer per step), so they share ``u`` and differ only in the threshold p_k; p = 0 keeps every
unit (the single run has no dropout layer then and draws nothing, which changes none of
its numbers: the generator serves dropout alone). The backward pass is written out as
autograd takes it (``(g / (1 − p)) · mask``), so model (r, k) equals ``regcore.fit`` to
float round-off (the grouped matmuls sum in another order): tests/unit/test_batched_dropout.py.

Normalization layers and early stopping stay with the single-run engine.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from regcore.batched.mlp import MLPNet
from regcore.core import TrainConfig
from regcore.data import Dataset, Stream, make_generator


def can_batch_dropout(cfg: TrainConfig) -> bool:
    """Whether :class:`DropoutMLPNet` trains ``cfg`` (at any drop probability): an MLP with
    no normalization and no early stopping."""
    m = cfg.model
    return m.kind == "mlp" and m.norm == "none" and cfg.optim.early_stopping_patience is None


class DropoutMLPNet(MLPNet):
    """:class:`MLPNet` with a drop probability per k (``rates``, K) after every hidden
    activation; every model has the same λ (``lams`` holds it K times)."""

    def __init__(
        self, cfg, seeds, ds: Dataset, lams: torch.Tensor, data, dev, dt, rates: Sequence[float]
    ):
        super().__init__(cfg.replace(**{"model.dropout": 0.0}), seeds, ds, lams, data, dev, dt)
        if len(rates) != self.K:
            raise ValueError(f"{len(rates)} drop probabilities for {self.K} models")
        self.p = torch.tensor([float(p) for p in rates], dtype=dt, device=dev)[None, :, None]
        keep = [1.0 - float(p) for p in rates]  # in float64, then cast: as the single run's
        self.scale = torch.tensor(keep, dtype=dt, device=dev)[None, :, None, None]
        self.gens = [make_generator(s, Stream.DROPOUT) for s in seeds]
        self.dev, self.dt = dev, dt

    def _masks(self, n: int, width: int) -> torch.Tensor:
        """(R, K, n, width) keep masks (1.0 or 0.0) of one dropout layer, one draw per run."""
        u = torch.stack([torch.rand((n, width), generator=g, dtype=self.dt) for g in self.gens]).to(
            self.dev
        )
        return (u[:, None] >= self.p[..., None]).to(self.dt)

    def _forward_train(self, X: torch.Tensor):
        """As ``forward`` with dropout: outputs, the activations (before dropout), the
        dropped activations and the masks, per hidden layer."""
        R, n, _ = X.shape
        K, h0 = self.W[0].shape[1], self.W[0].shape[2]
        z = torch.bmm(X, self.W[0].reshape(R, K * h0, -1).transpose(1, 2))
        z = z.reshape(R, n, K, h0).permute(0, 2, 1, 3) + self.b[0][:, :, None]
        acts, drops, masks = [], [], []
        for W, b in zip(self.W[1:], self.b[1:], strict=True):
            a = self.act(z)
            m = self._masks(n, a.shape[-1])
            d = a * m / self.scale
            acts.append(a)
            drops.append(d)
            masks.append(m)
            z = torch.matmul(d, W.transpose(-1, -2)) + b[:, :, None]
        return z, acts, drops, masks

    def backward(self, _xT, X, y) -> list[torch.Tensor]:
        out, acts, drops, masks = self._forward_train(X)
        dz = self._output_grad(out, y)
        gW, gb = [None] * len(self.W), [None] * len(self.W)
        for i in range(len(self.W) - 1, 0, -1):
            gW[i], gb[i] = torch.matmul(dz.transpose(-1, -2), drops[i - 1]), dz.sum(-2)
            g = torch.matmul(dz, self.W[i]) / self.scale * masks[i - 1]
            dz = g * self._act_grad(acts[i - 1])
        R, K, n, h0 = dz.shape
        gW[0] = torch.bmm(dz.permute(0, 1, 3, 2).reshape(R, K * h0, n), X).reshape(R, K, h0, -1)
        gb[0] = dz.sum(-2)
        return [*gW, *gb]
