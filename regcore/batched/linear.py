"""Grouped parameters of R·K models and their hand-written forward/backward passes.

Three layouts, each one batched matmul per layer for all K models of a repeat:

- ``LinearNet`` (``model.kind = "linear"``): the K weight matrices and biases are
  stacked as columns of one tensor P of shape (R, d+1, K·C) against inputs with a
  column of ones, so a step is ``bmm`` → residual → ``bmm`` and, for plain SGD,
  a fused in-place update (3 tensor ops a step).
- ``SubspaceNet`` (regcore.batched.subspace): linear regression by plain SGD with
  n ≪ d trains the same models on coordinates in the span of the training rows.
  This is what makes a 64-λ sweep cheaper than one textbook-style autograd run.
- ``MLPNet`` (plain MLPs): see regcore.batched.mlp.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import torch

from regcore.batched.base import BatchedNet, Step
from regcore.core import StepPlan, TrainConfig
from regcore.data import Dataset, Stream, make_generator
from regcore.engine import build_model, weight_layers

BLOCK_BYTES = 8 << 20  # minibatches of several epochs gathered at once, up to this size


def initial_layers(cfg: TrainConfig, seeds: Sequence[int], ds: Dataset):
    """Per layer: (weights (R, out, in), biases (R, out)) from ``build_model``, and names."""
    per_seed = []
    for seed in seeds:
        model = build_model(
            cfg,
            ds.n_features,
            ds.out_dim,
            init=make_generator(seed, Stream.INIT),
            dropout=make_generator(seed, Stream.DROPOUT),
            image_shape=ds.image_shape,
            regression=ds.task == "regression",
        )
        per_seed.append(
            [(lay.weight.detach(), lay.bias.detach()) for _, lay in weight_layers(model)]
        )
    names = [name for name, _ in weight_layers(model)]
    layers = [
        (torch.stack([s[i][0] for s in per_seed]), torch.stack([s[i][1] for s in per_seed]))
        for i in range(len(per_seed[0]))
    ]
    return layers, names


class LinearNet(BatchedNet):
    """Linear / softmax models: one parameter tensor P (R, d+1, K·C), bias in the last row."""

    def __init__(self, cfg, seeds, ds: Dataset, lams: torch.Tensor, data, dev, dt):
        W, b = initial_layers(cfg, seeds, ds)[0][0]
        self.names = ["linear1"]
        R, C, d = W.shape[0], W.shape[1], W.shape[2]
        K = lams.numel()
        self.R, self.K, self.C, self.d = R, K, C, d
        P0 = torch.cat([W.transpose(1, 2), b[:, None, :]], dim=1)  # (R, d+1, C)
        # P is a view of Pbuf, whose extra last row of ones meets a −y column appended to
        # each regression batch: one plain mm then gives the residual X̃b·P − y.
        self.Pbuf = torch.ones(R, d + 2, K * C, dtype=dt, device=dev)
        self.Pbuf[:, : d + 1] = P0.to(dev, dt).repeat(1, 1, K)
        self.P = self.Pbuf[:, : d + 1]
        lam_cols = lams.repeat_interleave(C)
        self.lam = torch.zeros(1, d + 1, K * C, dtype=dt, device=dev)
        self.lam[:, :d] = lam_cols
        if cfg.reg.penalize_bias:
            self.lam[:, d] = lam_cols
        Xtr, ytr, Xte, yte, Xva, yva = data
        self.classify = ds.task == "classification"
        one = torch.ones(R, 1, 1, dtype=dt, device=dev)
        self.Xtr = torch.cat([Xtr, one.expand(R, Xtr.shape[1], 1)], dim=2)
        self.ytr = ytr
        # rows of every evaluated split, in the order of self.splits (test last)
        parts = [("train", Xtr, ytr), ("val", Xva, yva), ("test", Xte, yte)]
        parts = [p for p in parts if p[1] is not None]
        self.splits = [name for name, _, _ in parts]
        Xall = torch.cat([X for _, X, _ in parts], dim=1)
        self.Xall = torch.cat([Xall, one.expand(R, Xall.shape[1], 1)], dim=2)
        self.yall = torch.cat([y for _, _, y in parts], dim=1)
        self.avg = torch.zeros(len(parts), Xall.shape[1], dtype=dt, device=dev)
        start = 0
        for i, (_, X, _) in enumerate(parts):  # row i of avg: the mean over split i
            self.avg[i, start : start + X.shape[1]] = 1.0 / X.shape[1]
            start += X.shape[1]
        self.test_start = Xall.shape[1] - Xte.shape[1]
        self.sub = None
        if self.classify:
            self.eye = torch.eye(C, dtype=dt, device=dev)

    def parameters(self) -> list[torch.Tensor]:
        return [self.P]

    def penalty_lams(self) -> list[torch.Tensor | None]:
        return [self.lam]

    def unit_rows(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Column (model, class) of P's weight rows is one unit: (R, K·C, d), λ (1, K·C, 1)."""
        return [(self.P[:, : self.d].transpose(1, 2), self.lam[:, :1].transpose(1, 2))]

    def batches(self, orders: torch.Tensor, bs: int) -> Iterator[list]:
        """Per epoch, the minibatches (xᵀ, x, target); orders is (epochs, R, n).

        Batches of several epochs are gathered with one indexing op and split
        into views with one call, to keep Python work per step small.
        """
        E, R, n = orders.shape
        per = max(1, min(E, BLOCK_BYTES // max(1, self.Xtr[0].numel() * self.Xtr.element_size())))
        rows = torch.arange(R, device=orders.device)[:, None, None]
        for e0 in range(0, E, per):
            idx = orders[e0 : e0 + per].permute(1, 0, 2)  # (R, Eb, n)
            Xe, ye = self.Xtr[rows, idx], self.ytr[rows, idx]  # (R, Eb, n, d+1), (R, Eb, n)
            if self.classify:
                tgt = self.eye[ye][:, :, :, None, :]  # one-hot (R, Eb, n, 1, C)
            else:
                Xe, tgt = torch.cat([Xe, -ye[..., None]], dim=-1), None  # (R, Eb, n, d+2)
            Eb, d1 = idx.shape[1], self.d + 1
            if n % bs == 0:  # whole block at once: batches never straddle epochs
                nb = n // bs  # unbind makes all views in one C++ call (split is slower)
                Xb = Xe.reshape(R, Eb * nb, bs, -1).transpose(0, 1)  # (batches, R, bs, ·)
                if R == 1:  # 2-D views: mm is cheaper to call than bmm
                    Xb = Xb[:, 0]
                tb = [None] * (Eb * nb)
                if tgt is not None:
                    tb = tgt.reshape(R, Eb * nb, bs, *tgt.shape[3:]).transpose(0, 1)
                    tb = (tb[:, 0] if R == 1 else tb).unbind(0)
                b = list(
                    zip(Xb[..., :d1].transpose(-1, -2).unbind(0), Xb.unbind(0), tb, strict=True)
                )
                for e in range(Eb):
                    yield b[e * nb : (e + 1) * nb]
                continue
            for e in range(Eb):
                xe = Xe[:, e] if R > 1 else Xe[0, e]
                xs = xe.split(bs, -2)
                te = [None] * len(xs)
                if tgt is not None:
                    te = (tgt[:, e] if R > 1 else tgt[0, e]).split(bs, -3)  # along the rows
                yield list(zip(xe[..., :d1].transpose(-1, -2).split(bs, -1), xs, te, strict=True))

    def snapshot_buffer(self, chunk: int) -> list[torch.Tensor]:
        """A (chunk, R, d+1, K·C) buffer laid out as (R, d+1, chunk, K·C) in memory, so
        that T snapshots are one (R, d+1, T·K·C) matrix for a single matmul."""
        R, d1, KC = self.P.shape
        return [self.P.new_empty(R, d1, chunk, KC).permute(2, 0, 1, 3)]

    def residual(self, xb, tb, P: torch.Tensor | None = None) -> tuple[torch.Tensor, float]:
        """dz with dL/dout = scale · dz, shape ([R,] B, K·C); 2-D batches go with P[0]."""
        P = self.P if P is None else P
        B = xb.shape[-2]
        if not self.classify:  # xb carries the −y column
            return torch.matmul(xb, self.Pbuf[0] if xb.dim() == 2 else self.Pbuf), 2.0 / B
        out = torch.matmul(xb, P)
        dz = torch.softmax(out.view(*out.shape[:-1], self.K, self.C), -1) - tb
        return dz.view(out.shape), 1.0 / B

    def backward(self, xbT, xb, tb) -> list[torch.Tensor]:
        P = self.P[0] if xb.dim() == 2 else self.P
        dz, scale = self.residual(xb, tb, P)
        return [torch.matmul(xbT, dz).mul_(scale).view(self.P.shape)]

    def fused_sgd_step(self, plan: StepPlan, xbT, xb, tb) -> bool:
        """Plain SGD with the L2 share or decay folded in: P ← a·P − lr·scale·xᵀdz, then
        the maps after the step (3–4 tensor ops a step for all models)."""
        flat = xb.dim() == 2  # one repeat: 2-D views of P and of the λ tensors
        P = self.P[0] if flat else self.P
        dz, scale = self.residual(xb, tb, P)
        f = plan.params[0]
        fold, thr, nthr = f.fold, f.threshold, f.neg_threshold
        if fold is not None:
            P.mul_(fold[0] if flat else fold)
        if flat:
            P.addmm_(xbT, dz, alpha=-plan.lr * scale)
        else:
            P.baddbmm_(xbT, dz, alpha=-plan.lr * scale)
        if thr is not None:
            t, nt = (thr[0], nthr[0]) if flat else (thr, nthr)
            P.sub_(torch.minimum(torch.maximum(P, nt), t))
        if plan.units:
            plan.units[0].units_(self.unit_rows()[0][0])
        return True

    def epoch_trainer(self, step: Step, plan: StepPlan, batch_size: int) -> Callable[[list], None]:
        """Plain SGD with nothing after the step also evaluates in the reachable subspace
        (:meth:`use_subspace`); one repeat of a regression takes the tightest loop."""
        if not (plan.fused and not plan.after):
            return super().epoch_trainer(step, plan, batch_size)
        fold = plan.params[0].fold
        decay = fold if fold is not None else torch.ones_like(self.lam)
        self.use_subspace(decay[:, 0], -(-self.Xtr.shape[1] // batch_size))
        if self.classify or self.R != 1:
            return super().epoch_trainer(step, plan, batch_size)
        P, Pbuf, a, alpha = self.P[0], self.Pbuf[0], decay[0], -2 * plan.lr

        def epoch(batches: list) -> None:
            """p ← (1 − lr·λ)·p − lr·(2/B)·X̃bᵀ(X̃b·p − y) for every column of P (d+1, K);
            each batch row ends in −y and Pbuf = [P; 1], so ``xb @ Pbuf`` is the residual."""
            for xbT, xb, _ in batches:
                dz = torch.mm(xb, Pbuf)
                P.mul_(a)
                P.addmm_(xbT, dz, alpha=alpha / xb.shape[0])

        return epoch

    def model_mask(self, alive: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        return alive.repeat_interleave(self.C, dim=1)[:, None, :]  # columns: (model, class)

    def use_subspace(self, decay: torch.Tensor, steps_per_epoch: int) -> None:
        """Evaluate snapshots in the subspace the training can reach (plain SGD only;
        linear regression trains in that subspace: regcore.batched.subspace).

        With p ← a·p − lr·X̃bᵀ·r (a = 1 − lr·λ on weights, 1 on the bias), every
        update lies in V = span(training rows, e_bias) and the initial weights'
        part u orthogonal to V only shrinks: p_t = Q·α_t + a^t·u with α_t = Qᵀp_t.
        Outputs are X̃Q·α_t + a^t·X̃u: per model and epoch O(N·dim V) work instead
        of O(N·d).
        """
        R, d1, n = self.R, self.d + 1, self.Xtr.shape[1]
        if n + 1 >= d1 // 2:
            return
        f64 = torch.float64
        e_b = torch.zeros(R, d1, 1, dtype=f64, device=self.P.device)
        e_b[:, -1] = 1.0
        Q = torch.linalg.qr(torch.cat([self.Xtr.transpose(1, 2).to(f64), e_b], dim=2))[0]
        P0 = self.P[:, :, : self.C].to(f64)
        u = P0 - Q @ (Q.transpose(1, 2) @ P0)
        X = self.Xall.to(f64)
        XQ, Xu = X @ Q, (X @ u).repeat(1, 1, self.K)  # (R, N, m), (R, N, K·C)
        self.sub = {
            "Qt": Q.transpose(1, 2).to(self.P.dtype),
            "XQ": XQ,
            "Xu": Xu,
            "a": decay.reshape(-1).to(f64),
            "nb": steps_per_epoch,
        }

    def _coords(self, Pm: torch.Tensor) -> torch.Tensor:
        """α = QᵀP of snapshots Pm (R, d+1, T, K·C) as (R, m, T·K·C) float64, one bmm."""
        R, d1 = Pm.shape[:2]
        return torch.bmm(self.sub["Qt"], Pm.reshape(R, d1, -1)).to(torch.float64)

    def _shrink(self, first_epoch: int, T: int) -> torch.Tensor:
        """a^t for the T epochs from first_epoch, flattened to (T·K·C,), float64."""
        a, nb = self.sub["a"], self.sub["nb"]
        steps = nb * torch.arange(
            first_epoch, first_epoch + T, dtype=torch.float64, device=a.device
        )
        return a[None, :].pow(steps[:, None]).reshape(-1)

    def _predict(self, Pm: torch.Tensor, first_epoch: int) -> torch.Tensor:
        """Outputs (R, N, T·K·C) of snapshots Pm (R, d+1, T, K·C) on every split's rows."""
        R, d1 = Pm.shape[:2]
        if self.sub is None or first_epoch < 1:
            return torch.bmm(self.Xall, Pm.reshape(R, d1, -1))
        s = self._shrink(first_epoch, Pm.shape[2])
        Xu = self.sub["Xu"].repeat(1, 1, Pm.shape[2])
        z = torch.bmm(self.sub["XQ"], self._coords(Pm)) + s * Xu
        return z.to(Pm.dtype)

    def evaluate(
        self, snaps: list[torch.Tensor] | None = None, first_epoch: int = 0
    ) -> dict[str, torch.Tensor]:
        """Data losses (accuracies), ‖w‖₂ and zero share of T snapshots: (T, R, K) each.

        All T·K models are evaluated on train, validation (if any) and test rows with one
        batched matmul.
        """
        P = self.P[None] if snaps is None else snaps[0]  # (T, R, d+1, K·C)
        Pm = P.permute(1, 2, 0, 3)  # (R, d+1, T, K·C): the buffer's memory layout
        T, R, K, C = P.shape[0], self.R, self.K, self.C
        first = first_epoch if snaps is not None else 0
        out: dict[str, torch.Tensor] = {}
        if self.classify:
            z = self._predict(Pm, first).view(R, -1, T * K, C)
            y = self.yall[:, :, None, None].expand(R, -1, T * K, 1)
            nll = -torch.log_softmax(z, -1).gather(-1, y)[..., 0]
            acc = (z.argmax(-1) == y[..., 0]).to(z.dtype)
            means = torch.bmm(self.avg.expand(R, -1, -1), torch.cat([nll, acc], dim=2))
            for i, split in enumerate(self.splits):
                out[f"{split}_acc"] = means[:, i, T * K :]
            means = means[:, :, : T * K]
        else:
            z = self._predict(Pm, first)
            means = torch.bmm(self.avg.expand(R, -1, -1), (z - self.yall[..., None]).square_())
        for i, split in enumerate(self.splits):
            out[f"{split}_loss"] = means[:, i]
        out = {k: v.view(R, T, K).transpose(0, 1) for k, v in out.items()}
        w = Pm[:, : self.d].reshape(R, self.d, T, K, C)
        out["weight_l2"] = w.square().sum((1, 4)).sqrt().transpose(0, 1)
        out["zero_fraction"] = torch.zeros_like(out["weight_l2"])
        if w.numel() and bool(w.abs().amin() == 0):  # counting is slow: only if there are any
            out["zero_fraction"] = ((w == 0).sum((1, 4)).to(w.dtype) / (self.d * C)).transpose(0, 1)
        return out

    def outputs_test(self) -> torch.Tensor:
        return (
            torch.bmm(self.Xall[:, self.test_start :], self.P)
            .view(self.R, -1, self.K, self.C)[..., 0]
            .transpose(1, 2)
        )

    def weights(self) -> list[torch.Tensor]:
        """(R, K, C, d) weights."""
        return [self.P[:, : self.d].view(self.R, self.d, self.K, self.C).permute(0, 2, 3, 1)]
