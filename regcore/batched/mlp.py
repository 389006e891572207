"""Plain MLPs (no dropout, no norm) as R·K grouped models with a written-out backward.

Weights of shape (R, K, out, in); the first layer is one ``bmm`` of
the shared batch against K·h stacked rows, deeper layers ``matmul`` over (R, K).
Backward is written out (``x @ Wᵀ + b`` and relu/tanh/sigmoid). Measured
(``python benchmarks/bench_sweep.py --mlp``: K = 64, MLP 200→32→1, 20 samples,
batch 5, 100 epochs, float32, one thread, CPU time of the training loop alone, on
the shared 2-core machine): this hand-written grouped backward 0.17–0.22 s; the
same grouped forward with ``torch.autograd.grad`` 0.41–0.50 s; ``torch.func.vmap``
over ``grad(functional_call)`` 0.52–0.61 s. So the grouped route with a written-out
backward is the one kept.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch

from regcore.batched.base import BatchedNet
from regcore.batched.linear import initial_layers
from regcore.data import Dataset
from regcore.engine import model_weight_stats

ACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


class MLPNet(BatchedNet):
    """Plain MLPs (no dropout, no norm): weights (R, K, out, in), biases (R, K, out)."""

    def __init__(self, cfg, seeds, ds: Dataset, lams: torch.Tensor, data, dev, dt):
        layers, self.names = initial_layers(cfg, seeds, ds)
        K = self.K = lams.numel()
        self.W = [w.to(dev, dt)[:, None].repeat(1, K, 1, 1).contiguous() for w, _ in layers]
        self.b = [b.to(dev, dt)[:, None].repeat(1, K, 1).contiguous() for _, b in layers]
        self.act, self.act_name = ACT[cfg.model.activation], cfg.model.activation
        self.classify = ds.task == "classification"
        self.Xtr, self.ytr, self.Xte, self.yte, self.Xva, self.yva = data
        self.lamW = lams[None, :, None, None]
        self.lamb = lams[None, :, None] if cfg.reg.penalize_bias else None
        self.R = self.Xtr.shape[0]

    def parameters(self) -> list[torch.Tensor]:
        return [*self.W, *self.b]

    def penalty_lams(self) -> list[torch.Tensor | None]:
        return [self.lamW] * len(self.W) + [self.lamb] * len(self.b)

    def unit_rows(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        return [(W, self.lamW) for W in self.W]  # rows of (R, K, out, in): the units

    def snapshot_chunk(self, epochs: int, streaming: bool) -> int:
        return 1  # evaluate runs one snapshot at a time anyway

    def batches(self, orders: torch.Tensor, bs: int) -> Iterator[list]:
        rows = torch.arange(self.R, device=orders.device)[:, None]
        for order in orders:
            Xe, ye = self.Xtr[rows, order], self.ytr[rows, order]
            yield list(zip(Xe.split(bs, 1), Xe.split(bs, 1), ye.split(bs, 1), strict=True))

    def forward(self, X: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """X (R, n, d) -> outputs (R, K, n, out) and the hidden activations."""
        R, n, _ = X.shape
        K, h0 = self.W[0].shape[1], self.W[0].shape[2]
        z = torch.bmm(X, self.W[0].reshape(R, K * h0, -1).transpose(1, 2))
        z = z.reshape(R, n, K, h0).permute(0, 2, 1, 3) + self.b[0][:, :, None]
        acts = []
        for W, b in zip(self.W[1:], self.b[1:], strict=True):
            a = self.act(z)
            acts.append(a)
            z = torch.matmul(a, W.transpose(-1, -2)) + b[:, :, None]
        return z, acts

    def _output_grad(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """d(mean data loss)/d(output) of every model on the batch (cross-entropy or MSE)."""
        n = out.shape[-2]
        if self.classify:
            yy = y[:, None, :, None].expand(*out.shape[:-1], 1)
            p = torch.softmax(out, dim=-1)
            return p.scatter_add(-1, yy, torch.full_like(p[..., :1], -1.0)) / n
        return ((2.0 / n) * (out[..., 0] - y[:, None, :]))[..., None]

    def backward(self, _xT, X, y) -> list[torch.Tensor]:
        out, acts = self.forward(X)
        dz = self._output_grad(out, y)
        gW, gb = [None] * len(self.W), [None] * len(self.W)
        for i in range(len(self.W) - 1, 0, -1):
            a = acts[i - 1]
            gW[i], gb[i] = torch.matmul(dz.transpose(-1, -2), a), dz.sum(-2)
            dz = torch.matmul(dz, self.W[i]) * self._act_grad(a)
        R, K, n, h0 = dz.shape
        gW[0] = torch.bmm(dz.permute(0, 1, 3, 2).reshape(R, K * h0, n), X).reshape(R, K, h0, -1)
        gb[0] = dz.sum(-2)
        return [*gW, *gb]

    def _act_grad(self, a: torch.Tensor) -> torch.Tensor:
        if self.act_name == "relu":
            return (a > 0).to(a.dtype)
        if self.act_name == "tanh":
            return 1 - a * a
        return a * (1 - a)

    def _loss(self, X, y):
        out = self.forward(X)[0]
        if self.classify:
            yy = y[:, None, :, None].expand(*out.shape[:-1], 1)
            loss = -torch.log_softmax(out, dim=-1).gather(-1, yy).squeeze(-1).mean(-1)
            return loss, (out.argmax(-1) == y[:, None, :]).to(out.dtype).mean(-1)
        return (out[..., 0] - y[:, None, :]).pow(2).mean(-1), None

    def evaluate(
        self, snaps: list[torch.Tensor] | None = None, first_epoch: int = 0
    ) -> dict[str, torch.Tensor]:
        """As ``LinearNet.evaluate``: (T, R, K) per key, one snapshot at a time."""
        if snaps is not None:
            live = self.parameters()
            evs = []
            for t in range(snaps[0].shape[0]):
                self._set([s[t] for s in snaps])
                evs.append(self.evaluate())
            self._set(live)
            return {k: torch.cat([e[k] for e in evs]) for k in evs[0]}
        tr, tr_acc = self._loss(self.Xtr, self.ytr)
        te, te_acc = self._loss(self.Xte, self.yte)
        st = model_weight_stats(self.W, lead=2)
        out = {
            "train_loss": tr,
            "test_loss": te,
            "weight_l2": st["weight_l2"],
            "zero_fraction": st["zero_fraction"],
        }
        if self.classify:
            out.update(train_acc=tr_acc, test_acc=te_acc)
        if self.Xva is not None:
            out["val_loss"], va_acc = self._loss(self.Xva, self.yva)
            if self.classify:
                out["val_acc"] = va_acc
        return {k: v[None] for k, v in out.items()}

    def _set(self, params: list[torch.Tensor]) -> None:
        n = len(self.W)
        self.W, self.b = list(params[:n]), list(params[n:])

    def outputs_test(self) -> torch.Tensor:
        return self.forward(self.Xte)[0][..., 0]

    def weights(self) -> list[torch.Tensor]:
        return self.W
