"""Time one epoch of the engine's MLP against the source's numpy network (EXPERIMENTS.md §3).

The experiment: 784 → 200 sigmoid → 10 softmax on the synthetic MNIST stand-in
(20,000 × 784 training samples, 10 classes), SGD lr 0.1, batch 64, L2 λ = 0.01 on the
weight matrices. In one process, on one thread, in interleaved rounds:

- ``engine``: one epoch of ``regcore.train`` (float32, the default), *including* the
  engine's per-epoch evaluation (train and test loss and accuracy over the whole splits,
  ‖w‖ statistics, the penalty) — the time between two of its progress events;
- ``numpy``: one epoch of a faithful numpy version of the source's network: float64
  weights and data, per-minibatch forward, softmax cross-entropy gradient, backward,
  the L2 gradient λ·W added to each weight matrix's gradient, the SGD update, then the
  test accuracy of the epoch (what the source prints);
- ``floor``: the float32 matrix products the engine cannot avoid, timed alone: per
  training step the first layer's forward x·W₁ᵀ, its weight gradient δ₁ᵀ·x and the
  output layer's forward a·W₂ᵀ (the three products per step), plus the evaluation's
  forward products over the training and test sets.

Prints the median seconds per epoch of each, the ratio engine / numpy (target ≤ 0.5) and
the engine's multiple of the floor (aim ≤ 1.5); asserts nothing about time.

    python benchmarks/bench_mlp.py [--rounds 5] [--n-test 10000] [--dtype float32]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy loads its BLAS: one thread

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import regcore  # noqa: E402
from regcore.data import make_dataset  # noqa: E402


def experiment(n_test: int, dtype: str, epochs: int) -> regcore.TrainConfig:
    """The MNIST-size experiment's config with L2 λ = 0.01."""
    return regcore.load_config(
        {
            "data": {
                "name": "classification",
                "n_train": 20_000,
                "n_test": n_test,
                "n_features": 784,
                "n_classes": 10,
                "noise": 0.0,
            },
            "model": {"kind": "mlp", "hidden": [200], "activation": "sigmoid"},
            "reg": {"kind": "l2", "lam": 0.01},
            "optim": {"name": "sgd", "lr": 0.1, "batch_size": 64, "epochs": epochs},
            "dtype": dtype,
            "device": "cpu",
        }
    )


class NumpyMLP:
    """The source's network in numpy: float64, sigmoid hidden layer, softmax output.

    Weights are drawn U(±1/√fan_in) (PyTorch's default, so both start alike); the
    penalty ½·λ·ΣW² covers the weight matrices only, its gradient λ·W is added to
    each matrix's gradient before the SGD update.
    """

    def __init__(self, sizes: list[int], lam: float, lr: float, batch: int, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.W, self.b = [], []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            bound = 1.0 / np.sqrt(fan_in)
            self.W.append(self.rng.uniform(-bound, bound, (fan_in, fan_out)))
            self.b.append(self.rng.uniform(-bound, bound, fan_out))
        self.lam, self.lr, self.batch = lam, lr, batch

    def forward(self, X: np.ndarray) -> list[np.ndarray]:
        """Activations of every layer; the last is the softmax output."""
        acts = [X]
        for i, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            z = acts[-1] @ W + b
            if i < len(self.W) - 1:
                acts.append(1.0 / (1.0 + np.exp(-z)))
            else:
                z -= z.max(axis=1, keepdims=True)
                e = np.exp(z)
                acts.append(e / e.sum(axis=1, keepdims=True))
        return acts

    def step(self, X: np.ndarray, y: np.ndarray) -> float:
        """One SGD step on a minibatch; returns its data loss (mean cross-entropy)."""
        acts = self.forward(X)
        n = X.shape[0]
        prob = acts[-1]
        loss = float(-np.log(prob[np.arange(n), y] + 1e-12).mean())
        delta = prob.copy()
        delta[np.arange(n), y] -= 1.0
        delta /= n
        for i in range(len(self.W) - 1, -1, -1):
            gW = acts[i].T @ delta + self.lam * self.W[i]
            gb = delta.sum(axis=0)
            if i > 0:
                a = acts[i]
                delta = (delta @ self.W[i].T) * a * (1.0 - a)
            self.W[i] -= self.lr * gW
            self.b[i] -= self.lr * gb
        return loss

    def epoch(self, X: np.ndarray, y: np.ndarray, X_test: np.ndarray, y_test: np.ndarray):
        """One pass in a fresh random order; returns (mean minibatch loss, test accuracy)."""
        order = self.rng.permutation(X.shape[0])
        losses = []
        for start in range(0, X.shape[0], self.batch):
            idx = order[start : start + self.batch]
            losses.append(self.step(X[idx], y[idx]))
        test_acc = float((self.forward(X_test)[-1].argmax(axis=1) == y_test).mean())
        return float(np.mean(losses)), test_acc


def floor_epoch(X: torch.Tensor, X_test: torch.Tensor, hidden: int, classes: int, batch: int):
    """The products the engine cannot avoid in one epoch (see the module docstring)."""
    d = X.shape[1]
    W1, W2 = torch.randn(hidden, d) * 0.03, torch.randn(classes, hidden) * 0.1
    z = torch.empty(batch, hidden)
    g = torch.empty(hidden, d)
    o = torch.empty(batch, classes)
    t0 = time.perf_counter()
    for start in range(0, X.shape[0] - batch + 1, batch):
        xb = X[start : start + batch]
        torch.mm(xb, W1.T, out=z)
        torch.mm(z, W2.T, out=o)
        torch.mm(z.T, xb, out=g)
    t_train = time.perf_counter() - t0
    t0 = time.perf_counter()
    for data in (X, X_test):
        for chunk in data.split(4096):
            torch.mm(chunk, W1.T) @ W2.T
    return t_train, time.perf_counter() - t0


def main() -> None:
    """Run the interleaved rounds and print seconds per epoch and ratios."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--n-test", type=int, default=10_000)
    ap.add_argument("--dtype", default="float32", choices=("float32", "float64"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    cfg = experiment(args.n_test, args.dtype, args.rounds + 1)
    t0 = time.perf_counter()
    ds = make_dataset(cfg)
    t_data = time.perf_counter() - t0
    Xn, yn = ds.X_train.numpy(), ds.y_train.numpy()
    Xn_te, yn_te = ds.X_test.numpy(), ds.y_test.numpy()
    net = NumpyMLP([784, 200, 10], cfg.reg.lam, cfg.optim.lr, cfg.optim.batch_size, seed=0)
    run = regcore.train(cfg, data=ds)
    next(run)  # set-up and a first epoch, not timed
    net.epoch(Xn, yn, Xn_te, yn_te)
    X32, X32_te = ds.X_train.float(), ds.X_test.float()
    times: dict[str, list[float]] = {"engine": [], "numpy": [], "floor": [], "floor_eval": []}
    for r in range(args.rounds):
        t0 = time.perf_counter()
        ev = next(run)
        times["engine"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        np_loss, np_acc = net.epoch(Xn, yn, Xn_te, yn_te)
        times["numpy"].append(time.perf_counter() - t0)
        f_train, f_eval = floor_epoch(X32, X32_te, 200, 10, cfg.optim.batch_size)
        times["floor"].append(f_train)
        times["floor_eval"].append(f_eval)
        print(
            f"round {r + 1}: engine {times['engine'][-1]:.3f} s (test acc {ev.test_acc:.4f}), "
            f"numpy {times['numpy'][-1]:.3f} s (test acc {np_acc:.4f}), "
            f"floor {f_train:.3f} + {f_eval:.3f} s",
            flush=True,
        )
    run.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    floor = med["floor"] + med["floor_eval"]
    print(f"\nMLP 784→200 sigmoid→10, 20,000 × 784, n_test {args.n_test}, batch 64, one thread")
    print(f"making the data set: {t_data:.2f} s (once per run, not in the epochs)")
    print(f"engine ({args.dtype}, per-epoch evaluation included): {med['engine']:.3f} s/epoch")
    print(f"numpy (float64, the source's network):       {med['numpy']:.3f} s/epoch")
    print(f"ratio engine / numpy: {med['engine'] / med['numpy']:.2f}  (target ≤ 0.5)")
    print(
        f"floor: {med['floor']:.3f} s (3 products per step) + {med['floor_eval']:.3f} s "
        f"(evaluation's products) = {floor:.3f} s"
    )
    print(
        f"engine / floor: {med['engine'] / floor:.2f}  (aim ≤ 1.5); "
        f"engine / training products alone: {med['engine'] / med['floor']:.2f}"
    )
    print(
        f"floor / numpy: {floor / med['numpy']:.2f}  (the best ratio an engine that evaluates "
        "both splits every epoch could reach here)"
    )


if __name__ == "__main__":
    main()
