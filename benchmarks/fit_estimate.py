"""Fit the time estimate's reference constants (regcore.serve.estimate.Calibration) here.

Times a design of small runs and sweeps that vary one cost at a time (epochs, batch size,
test rows, widths, depth, optimizer, dropout and norm layers, models, repeats, the subspace
and the classifier paths; each a fraction of a second), on one torch thread and the thread's
CPU clock (the fastest of three), and solves for the constants by non-negative least
squares on relative errors, with a weak pull towards the current values (so that a cost
the design barely touches keeps its value). Prints each constant's new value and the
design's estimate ÷ measured after the fit. Run it on the reference machine after an
engine changes, and paste the constants into ``Calibration``; check them with
``benchmarks/bench_estimate.py``, whose cases this design does not contain.

    python benchmarks/fit_estimate.py [--prior 0.3]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import fields
from pathlib import Path

import numpy as np
import torch
from scipy.optimize import nnls

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_estimate import playground  # noqa: E402

import regcore  # noqa: E402
from regcore import from_query  # noqa: E402
from regcore.core import TrainConfig  # noqa: E402
from regcore.experiments import NetVariant, compare_nets, dropout_sweep, plan_nets  # noqa: E402
from regcore.links import page_config  # noqa: E402
from regcore.serve import Calibration, seconds_of  # noqa: E402
from regcore.serve import workloads as wl  # noqa: E402
from regcore.serve.costs import data_terms, run_terms  # noqa: E402
from regcore.sweeps import bias_variance, log_grid, sweep  # noqa: E402

MNIST_SHAPES = {
    "data.name": "classification",
    "data.n_train": 3000,
    "data.n_test": 100,
    "data.n_features": 784,
    "data.n_classes": 10,
    "model.kind": "mlp",
    "model.hidden": [200],
    "model.activation": "sigmoid",
    "optim.batch_size": 64,
}
ADAM = {"optim.name": "adam", "optim.momentum": 0.0, "optim.lr": 0.01}


def single_runs() -> list[TrainConfig]:
    """Single runs on each engine, each varying what its cost should follow."""
    lin, moons = TrainConfig(), from_query({"data.name": "moons"})
    mn = TrainConfig().replace(**MNIST_SHAPES)
    q = from_query
    return [
        lin,
        lin.replace(**{"optim.batch_size": 1, "optim.epochs": 50}),
        lin.replace(**{"data.n_train": 1000, "optim.epochs": 10}),
        lin.replace(**{"data.n_test": 5000, "optim.epochs": 50}),
        lin.replace(**{"data.n_features": 1000, "data.n_train": 3000, "data.n_test": 100}).replace(
            **{"optim.batch_size": 64, "optim.epochs": 3}
        ),
        mn.replace(
            **{"model.kind": "linear", "model.hidden": [], "model.activation": "relu"}
        ).replace(**{"optim.epochs": 3}),
        lin.replace(**{"data.n_train": 200, "optim.momentum": 0.9, "optim.epochs": 20}),
        lin.replace(**{"data.n_train": 200, "optim.name": "adam", "optim.epochs": 20}),
        q({"data.name": "sparse_linear", "optim.batch_size": "100", "optim.epochs": "200"}),
        q({"data.name": "digits", "model.kind": "linear", "optim.epochs": "5"}),
        moons.replace(**{"optim.epochs": 30}),
        moons.replace(**{"optim.momentum": 0.0, "optim.batch_size": 5, "optim.epochs": 10}),
        moons.replace(**{"optim.momentum": 0.0, "model.hidden": [128, 128], "optim.epochs": 10}),
        mn.replace(**{"optim.epochs": 2}),
        mn.replace(**{"optim.epochs": 2, "data.n_test": 5000}),
        q({"data.name": "polynomial", "model.kind": "mlp", "model.hidden": "32,32"}).replace(
            **{"optim.epochs": 100}
        ),
        q({"data.name": "digits", "optim.epochs": "5"}),
        moons.replace(**{**ADAM, "optim.epochs": 20}),
        moons.replace(**{**ADAM, "optim.batch_size": 200, "data.n_test": 5000}).replace(
            **{"optim.epochs": 20}
        ),
        moons.replace(
            **{"optim.momentum": 0.0, "model.dropout": 0.2, "optim.batch_size": 5}
        ).replace(**{"optim.epochs": 10}),
        moons.replace(**{"model.norm": "batch", "optim.epochs": 20}),
        moons.replace(**{**ADAM, "model.hidden": [32] * 4, "optim.epochs": 10}),
        page_config("xor").replace(**{"optim.epochs": 50}),
        mn.replace(**{**ADAM, "optim.lr": 0.001, "optim.epochs": 1}),
        mn.replace(**{"reg.kind": "l1", "reg.lam": 1e-4, "reg.l1_solver": "subgradient"}).replace(
            **{"optim.epochs": 1}
        ),
        mn.replace(**{"optim.momentum": 0.9, "optim.epochs": 1}),
        mn.replace(**{"model.dropout": 0.2, "optim.epochs": 1}),
        q({"data.name": "polynomial", "data.n_features": "1", "data.n_train": "20"})
        .replace(**{"model.kind": "mlp", "model.hidden": [128, 128], "model.activation": "tanh"})
        .replace(**{**ADAM, "optim.batch_size": 10, "optim.epochs": 50}),
        q({"data.name": "moons", "data.n_train": "64", "model.norm": "batch"}).replace(
            **{"optim.batch_size": 2, "optim.epochs": 3, "optim.momentum": 0.0}
        ),
        q({"data.name": "digits", "model.kind": "cnn", "optim.epochs": "2"}),
        mn.replace(**{"data.n_train": 20000, "data.n_test": 10000, "optim.epochs": 1}).replace(
            **{"optim.batch_size": 20000}
        ),
        lin.replace(**{"optim.early_stopping_patience": 10, "data.n_train": 200}).replace(
            **{"optim.epochs": 30}
        ),
        lin.replace(**{"dtype": "float64", "data.n_train": 200, "optim.epochs": 30}),
    ]


def design() -> list[tuple[str, dict[str, float], object]]:
    """(name, predicted counts, the timed run) for every run, composite and sweep."""
    out = []
    for c in single_runs():
        name = f"fit {c.data.name} {c.model.kind} {list(c.model.hidden)} {c.optim.name} "
        name += f"bs{c.optim.batch_size} E{c.optim.epochs}"
        out.append((name, {**run_terms(c), **data_terms(c)}, lambda c=c: regcore.fit(c)))
    m = from_query({"data.name": "moons", "optim.epochs": "100"})
    out.append(("Playground moons with surfaces E100", wl.run_work(m), playground(m)))
    x = page_config("xor").replace(**{"optim.epochs": 50})
    nets = (NetVariant(), NetVariant(dropout=0.8))
    side = wl.networks_work(plan_nets(x, nets)[0])
    out.append(("side by side xor E50", side, lambda: compare_nets(x, nets)))
    x30, ps = x.replace(**{"optim.epochs": 30}), [0.0, 0.5]
    out.append(
        ("rate sweep xor E30", wl.rate_sweep_work(x30, ps, 2), lambda: dropout_sweep(x30, ps, 2))
    )
    lin, poly = TrainConfig(), from_query({"data.name": "polynomial"})
    pm = from_query({"data.name": "polynomial", "model.kind": "mlp", "model.hidden": "32,32"})
    n400 = lin.replace(**{"data.n_train": 400})
    cls = from_query({"data.name": "classification", "model.kind": "linear"})
    digits = from_query({"data.name": "digits", "model.kind": "linear"})
    sweeps = [
        ("default", lin, 32, 1, 100, False),
        ("default", lin, 128, 1, 50, False),
        ("default R4", lin, 32, 4, 50, False),
        ("linear n400", n400, 32, 1, 10, False),
        ("linear n400", n400, 128, 1, 10, False),
        ("linear n400 l1", n400.replace(**{"reg.kind": "l1"}), 32, 1, 10, False),
        ("polynomial", poly, 128, 1, 300, False),
        ("polynomial R8", poly, 128, 8, 300, False),
        ("polynomial b–v R8", poly, 128, 8, 300, True),
        ("default b–v R8", lin, 32, 8, 50, True),
        ("classification linear", cls, 32, 1, 10, False),
        ("polynomial MLP", pm, 16, 1, 50, False),
        ("polynomial MLP", pm, 64, 1, 50, False),
        ("moons MLP", from_query({"data.name": "moons"}), 16, 1, 5, False),
        ("digits linear", digits, 16, 1, 3, False),
    ]
    for name, c, k, r, epochs, bv in sweeps:
        c = c.replace(**{"optim.epochs": epochs})
        out.append((f"sweep {name} K{k} E{epochs}", *_sweep(c, k, r, bv)))
    return out


def _sweep(c: TrainConfig, k: int, r: int, bv: bool):
    lams = log_grid(1e-4, 100.0, k)
    n = c.data.n_train
    n_val = 0 if bv else max(1, round(n * c.optim.val_fraction))
    terms = wl.models_work(c, k, r, n - n_val, n_val)
    if bv:
        return terms, lambda: bias_variance(c, lams, repeats=r, on_epoch=lambda e: None)
    return terms, lambda: sweep(c, lams, repeats=r, on_epoch=lambda e: None)


def cpu_min(run, reps: int = 3) -> float:
    run()
    best = math.inf
    for _ in range(reps):
        t0 = time.thread_time()
        run()
        best = min(best, time.thread_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--prior", type=float, default=0.3, help="pull towards the current values")
    args = ap.parse_args()
    torch.set_num_threads(1)
    cal = Calibration()
    rows = [(name, terms, cpu_min(run)) for name, terms, run in design()]
    names = sorted({k for _, terms, _ in rows for k in terms})
    A = np.array([[terms.get(k, 0.0) * getattr(cal, k) for k in names] for _, terms, _ in rows])
    t = np.array([s for _, _, s in rows])
    w = 1.0 / t  # relative errors: a 10 ms run counts as much as a 1 s one
    lam = args.prior
    x, _ = nnls(
        np.vstack([A * w[:, None], lam * np.eye(len(names))]),
        np.concatenate([t * w, lam * np.ones(len(names))]),
    )
    new = {k: getattr(cal, k) * v for k, v in zip(names, x, strict=True)}
    for k in names:
        print(f"    {k}: float = {new[k]:.1e}".replace("e-0", "e-"))
    fitted = Calibration(**{f.name: getattr(cal, f.name) for f in fields(cal)} | new)
    ratios = []
    for name, terms, s in rows:
        e = seconds_of(terms, fitted)
        ratios.append(e / s)
        print(f"{name:52s} {s:8.4f} s  estimate {e:8.4f}  {e / s:5.2f}")
    r = np.array(ratios)
    print(f"estimate ÷ measured from {r.min():.2f} to {r.max():.2f}")


if __name__ == "__main__":
    main()
