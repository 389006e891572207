"""Linear regression with plain SGD, trained in the span of its training rows.

With plain SGD (no momentum) and no penalty, L2 or decoupled weight decay, one step
of one model is ``w ← a·w − lr·(2/B)·X_bᵀr``, ``b ← a_b·b − lr·(2/B)·Σr`` with the
residual ``r = X_b·w + b − y_b``, ``a = 1 − lr·λ`` (1 without a penalty) and
``a_b = a`` only when the bias is penalized. Every data gradient lies in the span V
of the training rows, so after t steps

    w_t = Q·α_t + s_t·u,   s_t = a^t,

where Q (d × m, m ≤ n) is an orthonormal basis of V and u is the part of the initial
weights orthogonal to V (only shrunk by the decay). The models are trained on the
coordinates c = (1, b, α, s): a step costs O(B·m) per model instead of O(B·d), the
same three tensor ops as in the full space. With n ≪ d (the weight-decay experiment:
20 samples, 200 features) this makes a K-λ sweep several times cheaper.

A split's mean squared error is ‖Z·c‖²/N for the rows z = (−y, 1, Qᵀx, uᵀx), which
for the test split is ‖R·c‖²/N with Z = Q_z·R (R: (m+3) × (m+3)), and ‖w‖² = ‖α‖² +
s²‖u‖²: evaluating every epoch of every model costs O(m·(n + m)) each, however many
test rows there are. Features that are zero
in every training row keep exactly zero rows in Q, so a weight that the full-space
run leaves at exactly 0 is exactly 0 here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import torch

from regcore.batched.base import CHUNK_BYTES, BatchedNet, Step
from regcore.batched.linear import BLOCK_BYTES, initial_layers
from regcore.core import StepPlan, TrainConfig, only_scales
from regcore.data import Dataset


def uses_subspace(cfg: TrainConfig, ds: Dataset) -> bool:
    """Whether a sweep of ``cfg`` on ``ds`` trains in the row span (see module doc):
    linear regression, plain SGD, a step that only scales the weights (no L1 share, no
    map after the step: none, L2 or decoupled decay), and n + 1 < (d + 1) / 2."""
    o = cfg.optim
    return (
        cfg.model.kind == "linear"
        and ds.task == "regression"
        and o.name == "sgd"
        and o.momentum == 0.0
        and only_scales(cfg.reg)
        and ds.X_train.shape[0] + 1 < (ds.n_features + 1) // 2
    )


class SubspaceNet(BatchedNet):
    """R·K linear regressions as coordinates A (R, m+3, K): rows (1, b, α₁…α_m, s)."""

    C = 1  # outputs per model

    def __init__(self, cfg, seeds, ds: Dataset, lams: torch.Tensor, data, dev, dt):
        W, b = initial_layers(cfg, seeds, ds)[0][0]  # (R, 1, d), (R, 1)
        self.names, self.classify = ["linear1"], False
        f64 = torch.float64
        Xtr, ytr, Xte, yte, Xva, yva = (None if t is None else t.to(f64) for t in data)
        R, n, d = Xtr.shape
        K = lams.numel()
        # per repeat, an orthonormal basis of the rows over the features they use
        used = Xtr.ne(0).any(1)  # (R, d)
        Q = torch.zeros(R, d, n, dtype=f64, device=dev)
        for r in range(R):
            q = torch.linalg.qr(Xtr[r][:, used[r]].T)[0]  # (d_used, ≤ n)
            Q[r, used[r], : q.shape[1]] = q
        w0 = W[:, 0].to(dev, f64)  # (R, d)
        u = w0 - (Q @ (Q.transpose(1, 2) @ w0[..., None]))[..., 0]
        m = n
        self.R, self.K, self.d, self.m = R, K, d, m
        # state: column k of A[r] is model (r, k)
        A = torch.empty(R, m + 3, K, dtype=f64, device=dev)
        A[:, 0], A[:, 1] = 1.0, b.to(dev, f64)[:, :1]
        A[:, 2 : m + 2] = (Q.transpose(1, 2) @ w0[..., None]).expand(R, m, K)
        A[:, m + 2] = 1.0
        self.A = A.to(dt)
        A2 = self.A[0] if R == 1 else self.A  # one repeat: 2-D views, mm is cheaper than bmm
        # the views a step reads and writes: rows (1, b, α) meet the batch, (b, α, s) decay,
        # (b, α) take the data gradient
        self.views = (A2[..., : m + 2, :], A2[..., 1:, :], A2[..., 1 : m + 2, :])
        # rows (−y, 1, Qᵀx, uᵀx); uᵀx = 0 for training rows (u ⟂ V)
        ones = torch.ones(R, 1, 1, dtype=f64, device=dev)

        def rows(X, y, train: bool):
            ux = torch.zeros_like(y) if train else (X @ u[..., None])[..., 0]
            return torch.cat(
                [-y[..., None], ones.expand(R, X.shape[1], 1), X @ Q, ux[..., None]], dim=2
            )

        Ztr, Zte = rows(Xtr, ytr, True), rows(Xte, yte, False)
        self.Ztr = Ztr[..., : m + 2].to(dt)  # the last coordinate s never meets a training row
        self.Zte = Zte.to(dt)
        # ‖Z·c‖²/N per split as ‖L·c‖² with L = [Z_train/√n; R_val/√n_val; R_test/√n_test],
        # where Z_split = Q_z·R_split: one matmul of at most n + 2(m + 3) rows evaluates
        # every split (validation rows, like test rows, are not training rows: uᵀx ≠ 0)
        blocks = [Ztr / n**0.5]
        self.n_val_rows = 0
        if Xva is not None:
            Rva = torch.linalg.qr(rows(Xva, yva, False), mode="r")[1]
            self.n_val_rows = Rva.shape[1]
            blocks.append(Rva / Xva.shape[1] ** 0.5)
        blocks.append(torch.linalg.qr(Zte, mode="r")[1] / Xte.shape[1] ** 0.5)
        self.L = torch.cat(blocks, dim=1)
        self.u2 = u.square().sum(1, keepdim=True)  # (R, 1)
        self.Q, self.u = Q.to(dt), u.to(dt)
        self.fixed = ~used  # features zero in every training row: w_j = s·u_j exactly
        self.lam = torch.zeros(2, K, dtype=dt, device=dev)  # rows: bias, weights
        self.lam[1] = lams
        if cfg.reg.penalize_bias:
            self.lam[0] = lams
        self.dec: torch.Tensor | None = None
        self.lr = cfg.optim.lr
        # float64 temporaries of evaluating one snapshot (kept small: see _Tracker)
        self.eval_bytes = R * K * (self.L.shape[1] + 2 * (m + 3)) * 8

    def parameters(self) -> list[torch.Tensor]:
        return [self.A]

    def penalty_lams(self) -> list[torch.Tensor | None]:
        return [self.lam]

    def n_params(self) -> int:
        return self.d + 1

    def epoch_trainer(self, step: Step, plan: StepPlan, batch_size: int) -> Callable[[list], None]:
        self.set_decay(plan.params[0].fold)  # uses_subspace: plain SGD, the fold is the step
        return self.sgd_epoch

    def snapshot_chunk(self, epochs: int, streaming: bool) -> int:
        chunk = 1 if streaming else CHUNK_BYTES // max(1, self.eval_bytes)
        return max(1, min(epochs, chunk))

    def set_decay(self, decay: torch.Tensor | None) -> None:
        """Per-model factors (bias row, weight row), the kernel's fold; None: no decay."""
        if decay is None:
            return
        self.dec = torch.cat([decay[:1], decay[1:].expand(self.m + 1, self.K)])  # (m+2, K)

    def model_mask(self, alive: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        return alive[:, None, :]

    def batches(self, orders: torch.Tensor, bs: int) -> Iterator[list]:
        """Per epoch, the minibatches (zᵀ of the trained rows, z, step factor).

        The rows of several epochs are gathered with one indexing op, transposed with
        one copy and split into views with one ``unbind``.
        """
        E, R, n = orders.shape
        w, lr = self.Ztr.shape[-1], self.lr
        per = max(1, min(E, BLOCK_BYTES // max(1, 2 * R * n * w * self.Ztr.element_size())))
        rows = torch.arange(R, device=orders.device)[:, None, None]
        for e0 in range(0, E, per):
            Ze = self.Ztr[rows, orders[e0 : e0 + per].permute(1, 0, 2)]  # (R, Eb, n, w)
            Eb = Ze.shape[1]
            if n % bs == 0:
                nb = n // bs
                Zb = Ze.reshape(R, Eb * nb, bs, w)
                Zb = Zb[0] if R == 1 else Zb.transpose(0, 1).contiguous()
                ZbT = Zb[..., 1:].transpose(-1, -2).contiguous()
                alpha = -2.0 * lr / bs
                trips = list(zip(ZbT.unbind(0), Zb.unbind(0), [alpha] * (Eb * nb), strict=True))
                for e in range(Eb):
                    yield trips[e * nb : (e + 1) * nb]
                continue
            for e in range(Eb):
                zs = Ze[0, e].split(bs, 0) if R == 1 else Ze[:, e].split(bs, 1)
                yield [(z[..., 1:].transpose(-1, -2), z, -2.0 * lr / z.shape[-2]) for z in zs]

    def sgd_epoch(self, batches: list) -> None:
        """One epoch of plain SGD: residual, decay, data step (three ops a batch)."""
        Ar, Ad, Ag = self.views
        mm, mul, add = (torch.mm, Ad.mul_, Ag.addmm_)
        if self.R > 1:
            mm, add = torch.bmm, Ag.baddbmm_
        dec = self.dec
        if dec is None:
            for zT, z, alpha in batches:
                add(zT, mm(z, Ar), alpha=alpha)
            return
        for zT, z, alpha in batches:
            dz = mm(z, Ar)
            mul(dec)
            add(zT, dz, alpha=alpha)

    def snapshot_buffer(self, chunk: int) -> list[torch.Tensor]:
        """(chunk, R, m+3, K) laid out as (R, m+3, chunk, K): T snapshots are one matrix."""
        R, w, K = self.A.shape
        return [self.A.new_empty(R, w, chunk, K).permute(2, 0, 1, 3)]

    def evaluate(
        self, snaps: list[torch.Tensor] | None = None, first_epoch: int = 0
    ) -> dict[str, torch.Tensor]:
        """Train, validation (if any) and test MSE, ‖w‖₂ and zero share of T snapshots:
        (T, R, K) each."""
        A = self.A[None] if snaps is None else snaps[0]  # (T, R, m+3, K)
        T, R, w, K = A.shape
        Cm = A.permute(1, 2, 0, 3).reshape(R, w, T * K)  # the buffer's memory layout
        C = Cm.to(torch.float64)
        Y = torch.bmm(self.L, C).square_()  # (R, rows, T·K)
        n, m, nv = self.Ztr.shape[1], self.m, self.n_val_rows
        norm2 = C[:, 2 : m + 2].square().sum(1) + C[:, m + 2].square() * self.u2
        out = {
            "train_loss": Y[:, :n].sum(1).to(A.dtype),
            "test_loss": Y[:, n + nv :].sum(1).to(A.dtype),
            "weight_l2": norm2.sqrt().to(A.dtype),
            "zero_fraction": torch.zeros(R, T * K, dtype=A.dtype, device=A.device),
        }
        # a row whose squared residual overflows the run's dtype is where the full-space
        # run sees a non-finite loss (the mean itself may still fit)
        if nv:
            out["val_loss"] = Y[:, n : n + nv].sum(1).to(A.dtype)
        over = Y[:, :n].amax(1) * n > torch.finfo(A.dtype).max
        out["train_loss"].masked_fill_(over, torch.inf)
        if bool(self.fixed.any()):  # only these weights can be exactly 0: w_j = s·u_j
            s = Cm[:, -1]  # (R, T·K)
            zero = (self.u[:, :, None] * s[:, None, :] == 0) & self.fixed[:, :, None]
            out["zero_fraction"] = zero.sum(1).to(A.dtype) / self.d
        return {k: v.view(R, T, K).transpose(0, 1) for k, v in out.items()}

    def outputs_test(self) -> torch.Tensor:
        """(R, K, n_test) predictions of the current models."""
        return torch.bmm(self.Zte[..., 1:], self.A[:, 1:]).transpose(1, 2)

    def weights(self) -> list[torch.Tensor]:
        """(R, K, 1, d) weights w = Q·α + s·u."""
        m = self.m
        W = torch.bmm(self.Q, self.A[:, 2 : m + 2]) + self.u[:, :, None] * self.A[:, None, m + 2]
        return [W.transpose(1, 2)[:, :, None, :]]
