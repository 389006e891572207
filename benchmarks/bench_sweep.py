"""Time a batched λ sweep against a textbook loop and against sequential engine runs.

On the default config (the weight-decay experiment: 20 × 200, batch 5, 100 epochs,
float32, CPU, one thread), in the same process:

- one textbook-style single-λ run, written as the from-scratch chapter (d2l §3.7)
  writes it: ``DataLoader`` batches, per-parameter autograd, a manual SGD update in a
  Python loop, train/test loss every 5 epochs;
- 64 sequential ``regcore.fit`` runs (one per λ, the data made once);
- one 64-λ batched ``regcore.sweep``; then K = 256 and R × K = 4 × 64;
- one ``regcore.fit`` run (the Playground's default run: the linear fast path,
  regcore.engine.linear) and the same run through the generic autograd loop.

Prints CPU times and ratios (the median of ``--reps`` runs each, one thread); asserts
nothing about time.
Targets: sweep(64) ≤ 0.1 × one textbook run and ≥ 20× faster than 64 fits (issue 6);
one engine run ≤ 0.25 × one textbook run (issue 10).

    python benchmarks/bench_sweep.py [--reps 5] [--mlp]

``--mlp`` also times three ways to train 64 grouped MLPs (200→32→1, SGD, L2; the
training loop alone): the engine's written-out backward, the same grouped forward
with ``torch.autograd.grad``, and ``torch.func.vmap`` over ``grad(functional_call)``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import regcore  # noqa: E402
from regcore.data.datasets import make_dataset  # noqa: E402
from regcore.engine import linear as fastpath  # noqa: E402

LAMBDAS = (1e-3, 1e2)


def textbook_run(cfg: regcore.TrainConfig, lambd: float, loader: bool = True) -> float:
    """One run as the from-scratch chapter writes it; returns ‖w‖₂ (a sanity value)."""
    ds = make_dataset(cfg)
    bs, lr, epochs = cfg.optim.batch_size, cfg.optim.lr, cfg.optim.epochs
    Xtr, ytr = ds.X_train.float(), ds.y_train.float().reshape(-1, 1)
    Xte, yte = ds.X_test.float(), ds.y_test.float().reshape(-1, 1)
    train_iter = DataLoader(TensorDataset(Xtr, ytr), bs, shuffle=True)
    test_iter = DataLoader(TensorDataset(Xte, yte), bs, shuffle=False)
    w = torch.normal(0, 1, size=(Xtr.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)

    def net(X):
        return torch.matmul(X, w) + b

    def loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def evaluate_loss(data_iter):
        total, count = 0.0, 0
        for X, y in data_iter:
            out = net(X)
            lv = loss(out, y.reshape(out.shape))
            total, count = total + float(lv.sum().detach()), count + lv.numel()
        return total / count

    batches = list(train_iter) if not loader else None
    for epoch in range(epochs):
        for X, y in train_iter if loader else batches:
            lv = loss(net(X), y) + lambd * torch.sum(w.pow(2)) / 2
            lv.sum().backward()
            with torch.no_grad():
                for param in (w, b):
                    param -= lr * param.grad / bs
                    param.grad.zero_()
        if loader and (epoch + 1) % 5 == 0:
            evaluate_loss(train_iter), evaluate_loss(test_iter)
    return float(w.detach().norm())


def generic_fit(cfg: regcore.TrainConfig) -> None:
    """One run through the generic autograd loop (the fast path switched off)."""
    applies = fastpath.applies
    fastpath.applies = lambda cfg: False
    try:
        regcore.fit(cfg)
    finally:
        fastpath.applies = applies


def sequential_fits(cfg: regcore.TrainConfig, lambdas: list[float]) -> None:
    data = make_dataset(cfg)
    for lam in lambdas:
        regcore.fit(cfg.replace(**{"reg.lam": lam}), data=data)


def timed(fns: dict[str, object], reps: int) -> dict[str, tuple[float, float]]:
    """(min, median) CPU seconds of each function, the functions taking turns in every
    round so that a burst of load from other processes hits them all alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(reps):
        for name, fn in fns.items():
            t0 = time.process_time()  # CPU time: on a shared machine wall time measures others
            fn()
            times[name].append(time.process_time() - t0)
    return {name: (min(ts), statistics.median(ts)) for name, ts in times.items()}


def logspace(k: int) -> list[float]:
    return torch.logspace(*(torch.tensor(LAMBDAS).log10().tolist()), k).tolist()


def mlp_variants(reps: int) -> None:
    """CPU time of three batched MLP training loops (K = 64, 100 epochs, batch 5)."""
    from torch.func import functional_call, grad, vmap

    from regcore.batched import loop as B
    from regcore.batched.mlp import MLPNet
    from regcore.batched.update import Rule

    cfg = regcore.load_config({"model": {"kind": "mlp", "hidden": [32]}, "device": "cpu"})
    lams, ds, dev = torch.tensor(logspace(64)), make_dataset(cfg), torch.device("cpu")
    X, y, lr, K = ds.X_train.float(), ds.y_train.float(), cfg.optim.lr, 64
    model = torch.nn.Sequential(torch.nn.Linear(200, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    names = [n for n, _ in model.named_parameters()]

    def engine() -> None:
        net = MLPNet(
            cfg, [0], ds, lams, B._stack([ds], dev, torch.float32, False), dev, torch.float32
        )
        rule = Rule(cfg, net.penalty_lams())
        for batches in net.batches(B._orders([0], 20, 100, dev), 5):
            for xbT, xb, tb in batches:
                rule.update(net, xbT, xb, tb)

    def loop(step) -> None:
        params = [p.detach()[None].repeat(K, *([1] * p.dim())).clone() for p in model.parameters()]
        g = torch.Generator().manual_seed(0)
        for _ in range(100):
            order = torch.randperm(20, generator=g)
            for s in range(0, 20, 5):
                grads = step(params, X[order[s : s + 5]], y[order[s : s + 5]])
                with torch.no_grad():
                    for i, (p, gp) in enumerate(zip(params, grads, strict=True)):
                        pen = lams.view(-1, *([1] * (p.dim() - 1))) * p if i % 2 == 0 else 0
                        p -= lr * (gp + pen)

    def loss_fn(params, xb, yb):
        out = functional_call(model, dict(zip(names, params, strict=True)), (xb,))[:, 0]
        return ((out - yb) ** 2).mean()

    def autograd_step(params, xb, yb):
        ps = [p.requires_grad_() for p in params]
        h = torch.relu(torch.matmul(xb, ps[0].transpose(1, 2)) + ps[1][:, None])
        out = (torch.matmul(h, ps[2].transpose(1, 2)) + ps[3][:, None])[..., 0]
        grads = torch.autograd.grad(((out - yb) ** 2).mean(1).sum(), ps)
        for p in ps:
            p.requires_grad_(False)
        return grads

    vmapped = vmap(grad(loss_fn), in_dims=(0, None, None))
    for name, fn in (
        ("written-out backward (engine)", engine),
        ("grouped forward + autograd.grad", lambda: loop(autograd_step)),
        ("vmap(grad(functional_call))", lambda: loop(vmapped)),
    ):
        fn()
        times = []
        for _ in range(reps):
            t0 = time.process_time()
            fn()
            times.append(time.process_time() - t0)
        print(f"MLP K=64, {name:34s} {statistics.median(times) * 1e3:8.1f} ms CPU")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--mlp", action="store_true", help="also time three batched MLP loops")
    args = p.parse_args()
    reps = args.reps
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cfg = regcore.load_config({"device": "cpu", "dtype": "float32"})
    regcore.sweep(cfg, logspace(8))  # warm-up (lazy imports, allocator)
    t = timed(
        {
            "textbook single-λ run (DataLoader, eval every 5)": lambda: textbook_run(cfg, 3.0),
            "textbook loop, bare (no DataLoader, no eval)": lambda: textbook_run(
                cfg, 3.0, loader=False
            ),
            "one regcore.fit run (fast path)": lambda: regcore.fit(cfg),
            "one regcore.fit run (generic autograd loop)": lambda: generic_fit(cfg),
            "batched sweep K=64": lambda: regcore.sweep(cfg, logspace(64)),
            "batched sweep K=256": lambda: regcore.sweep(cfg, logspace(256)),
            "batched sweep R×K=4×64": lambda: regcore.sweep(cfg, logspace(64), repeats=4),
        },
        reps,
    )
    t.update(
        timed(
            {"64 sequential regcore.fit runs": lambda: sequential_fits(cfg, logspace(64))},
            max(1, reps // 3),
        )
    )
    print(
        f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"config: 20x200, batch 5, 100 epochs, float32, cpu; CPU ms (min / median of {reps})"
    )
    for name, (lo, med) in t.items():
        print(f"{name:50s} {lo * 1e3:8.1f} / {med * 1e3:8.1f} ms")
    book, bare = (
        t["textbook single-λ run (DataLoader, eval every 5)"],
        t["textbook loop, bare (no DataLoader, no eval)"],
    )
    s64, seq = t["batched sweep K=64"], t["64 sequential regcore.fit runs"]
    for label, num, den, target in (
        ("fit / textbook run", t["one regcore.fit run (fast path)"], book, "(target ≤ 0.25)"),
        (
            "generic-loop fit / textbook run",
            t["one regcore.fit run (generic autograd loop)"],
            book,
            "",
        ),
        ("sweep(64) / textbook run", s64, book, "(target ≤ 0.1)"),
        ("sweep(64) / bare textbook loop", s64, bare, ""),
        ("sweep(256) / textbook run", t["batched sweep K=256"], book, ""),
        ("sweep(4×64) / textbook run", t["batched sweep R×K=4×64"], book, ""),
    ):
        print(
            f"ratio {label:32s} = {num[0] / den[0]:6.3f} (min) {num[1] / den[1]:6.3f} "
            f"(median) {target}"
        )
    print(
        f"speed-up 64 fits / sweep(64)           = {seq[0] / s64[0]:6.1f}× (min) "
        f"{seq[1] / s64[1]:6.1f}× (median) (target ≥ 20×)"
    )
    if args.mlp:
        mlp_variants(reps)


if __name__ == "__main__":
    main()
