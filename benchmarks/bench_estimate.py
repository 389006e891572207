"""Estimate ÷ actual for every page's and tab's kinds of work (issue 19, item 3).

Each case runs what the page's job runs (the Playground's fit with its decision surfaces,
the λ sweep with its exact path and bias–variance, L1 vs L2's comparison, the Dropout
page's side by side and tabs), in this process on one torch thread as a server job with
K = cores trains, after the estimate the page shows for it
(regcore.serve.workloads with the constants this machine's start-up calibration
measures, as the server's warm thread does).

Columns: the estimate alone (s); the run's CPU time on its thread (what the run cost,
whatever else the machine is doing) and its wall time; ``est/cpu`` — the estimate's
ratio to the work done, the figure the target (0.5–2×) is checked on; and
``now/wall``: the estimate stretched as the server stretches it for the time "now" — by
the stretch (wall ÷ CPU) measured on the case before, as the queue measures its
trainings (regcore.serve.pace), on the first case by the load average — over the wall
time. Asserts nothing about time.

    python benchmarks/bench_estimate.py [--defaults] [--only SUBSTRING]

``--defaults`` keeps the built-in constants (REGLAB_CALIBRATE=0) instead of calibrating.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import regcore  # noqa: E402
from regcore import from_query  # noqa: E402
from regcore.core import TrainConfig  # noqa: E402
from regcore.data import make_dataset  # noqa: E402
from regcore.experiments import (  # noqa: E402
    NetVariant,
    Variant,
    compare,
    compare_nets,
    dropout_sweep,
    grid_for,
    is_2d,
    plan,
    plan_nets,
    small_batches,
    surface,
    surface_epochs,
)
from regcore.experiments.compare_presets import (  # noqa: E402
    DEFAULT_BASE,
    DIGITS_BASE,
    MLP_VARIANTS,
    MNIST_MLP_BASE,
)
from regcore.links import BIAS_VARIANCE, SMALL_BATCHES, SweepSettings, page_config  # noqa: E402
from regcore.serve import Calibration, calibrate, seconds_of, slowdown  # noqa: E402
from regcore.serve import workloads as wl  # noqa: E402
from regcore.serve.pace import stretch_of  # noqa: E402
from regcore.sweeps import (  # noqa: E402
    bias_variance,
    bias_variance_dropout,
    exact_path,
    fit_split,
    log_grid,
    sweep,
)

Case = tuple[str, Callable[[], object], dict[str, float]]
TARGET = (0.5, 2.0)


def playground(cfg: TrainConfig) -> Callable[[], object]:
    """The Playground's job (ui.playground.surface.start): surfaces on 2-D sets."""
    ds = make_dataset(cfg)
    if cfg.data.name not in wl.TWO_D or not is_2d(ds):
        return lambda: regcore.fit(cfg)
    grid, frames = grid_for(ds), surface_epochs(cfg.optim.epochs)

    def probe(model, epoch, final) -> None:
        if final or epoch in frames:
            surface(model, grid, epoch, final)

    return lambda: regcore.fit(cfg, data=ds, probe=probe, on_epoch=lambda ev: None)


def _sets(repeats: int) -> int:
    """The bias–variance panel's fresh training sets for R repeats (its page's rule)."""
    return SweepSettings.bias_variance_sets(repeats)


def sweep_job(cfg: TrainConfig, k: int, repeats: int, sets: int = 0) -> Callable[[], object]:
    """The λ sweep page's job (ui.sweep.view.job_fn), streaming its progress; ``sets`` > 0:
    with bias–variance on that many fresh training sets."""
    lams = log_grid(1e-4, 100.0, k)

    def run() -> None:
        sweep(cfg, lams, repeats=repeats, on_epoch=lambda ev: None)
        exact_path(cfg, lams, data=fit_split(cfg))
        if sets:
            bias_variance(cfg, lams, repeats=sets, on_epoch=lambda ev: None)

    return run


def cases() -> list[Case]:
    """The fixed set: every page and tab's kinds of work, each a few seconds at most."""
    pg = TrainConfig()
    big = pg.replace(**{"data.n_train": 4000, "optim.epochs": 300})
    moons = from_query({"data.name": "moons", "optim.epochs": "1500"})
    adam = from_query({"data.name": "moons", "optim.name": "adam", "optim.momentum": "0"})
    adam = adam.replace(**{"optim.lr": 0.01, "optim.epochs": 300})
    digits = from_query({"data.name": "digits"})
    poly = from_query({"data.name": "polynomial", "optim.epochs": "2000"})
    pmlp = from_query({"data.name": "polynomial", "model.kind": "mlp", "model.hidden": "32,32"})
    pmlp = pmlp.replace(**{"optim.epochs": 200})
    drop = moons.replace(**{"model.dropout": 0.2, "optim.epochs": 20})
    base = regcore.load_config(DEFAULT_BASE)
    vs = (Variant(kind="none"), Variant(kind="l1", lam=0.1), Variant(kind="l2", lam=0.1))
    dig = regcore.load_config(DIGITS_BASE)
    dvs = (Variant(kind="l1", lam=0.01), Variant(kind="l2", lam=0.01))
    mnist = regcore.load_config(MNIST_MLP_BASE).replace(**{"optim.epochs": 2})
    xor = page_config("xor")
    nets = (NetVariant(), NetVariant(dropout=0.8))
    rs, rates = xor.replace(**{"optim.epochs": 50}), [0.0, 0.4, 0.8]
    sb, bv = SMALL_BATCHES.config(), BIAS_VARIANCE.config()  # the tabs' own networks
    return [
        ("Playground default (linear fast path)", playground(pg), wl.run_work(pg)),
        ("Playground 4,000 samples × 300 epochs", playground(big), wl.run_work(big)),
        ("Playground moons MLP 1,500 ep (MLP fast)", playground(moons), wl.run_work(moons)),
        ("Playground moons MLP Adam (autograd)", playground(adam), wl.run_work(adam)),
        ("Playground digits MLP (MLP fast)", playground(digits), wl.run_work(digits)),
        (
            "λ sweep default + bias–variance",
            sweep_job(pg, 32, 1, _sets(1)),
            wl.sweep_work(pg, 32, 1, _sets(1)),
        ),
        (
            "λ sweep polynomial 128×8, 2,000 ep + b–v",
            sweep_job(poly, 128, 8, _sets(8)),
            wl.sweep_work(poly, 128, 8, _sets(8)),
        ),
        (
            "λ sweep MLP 16 λ (batched MLP)",
            sweep_job(pmlp, 16, 1),
            wl.sweep_work(pmlp, 16, 1),
        ),
        (
            "λ sweep dropout MLP 4 λ (one run each)",
            sweep_job(drop, 4, 1),
            wl.sweep_work(drop, 4, 1),
        ),
        (
            "L1 vs L2 default (3 linear runs)",
            lambda: compare(base, vs),
            wl.comparison_work(plan(base, vs)[0]),
        ),
        (
            "L1 vs L2 digits (linear softmax)",
            lambda: compare(dig, dvs),
            wl.comparison_work(plan(dig, dvs)[0]),
        ),
        (
            "MNIST-size preset, 2 of 20 epochs",
            lambda: compare(mnist, MLP_VARIANTS),
            wl.comparison_work(plan(mnist, MLP_VARIANTS)[0]),
        ),
        (
            "Dropout side by side default",
            lambda: compare_nets(xor, nets),
            wl.networks_work(plan_nets(xor, nets)[0]),
        ),
        (
            "Dropout rate sweep 3 p × 2 R × 50 ep",
            lambda: dropout_sweep(rs, rates, 2),
            wl.rate_sweep_work(rs, rates, 2),
        ),
        ("Dropout small batches (9 runs)", lambda: small_batches(sb), wl.small_batches_work(sb)),
        (
            "Dropout bias–variance 2 p × 2 R",
            lambda: bias_variance_dropout(bv, [0.0, 0.5], 2),
            wl.bias_variance_dropout_work(bv, [0.0, 0.5], 2),
        ),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--defaults", action="store_true", help="built-in constants, no calibration")
    ap.add_argument("--only", default="", help="run the cases whose name contains this")
    args = ap.parse_args()
    torch.set_num_threads(1)  # a server job's threads with K = cores
    t0 = time.perf_counter()
    cal = Calibration() if args.defaults else calibrate()
    print(f"calibration: {time.perf_counter() - t0:.1f} s; load {os.getloadavg()[0]:.2f}")
    head = ("case", "estimate", "cpu", "wall", "est/cpu", "now/wall")
    print("{:44s} {:>8s} {:>7s} {:>7s} {:>7s} {:>8s}".format(*head))
    fails, slow = 0, slowdown(threads=1)
    for name, run, terms in cases():
        if args.only not in name:
            continue
        est = seconds_of(terms, cal)
        w0, c0 = time.perf_counter(), time.thread_time()
        run()
        cpu, wall = time.thread_time() - c0, time.perf_counter() - w0
        ratio = est / cpu
        ok = TARGET[0] <= ratio <= TARGET[1]
        fails += not ok
        print(
            f"{name:44s} {est:8.2f} {cpu:7.2f} {wall:7.2f} {ratio:7.2f} {est * slow / wall:8.2f}"
            f"  {'PASS' if ok else 'FAIL'}",
            flush=True,
        )
        slow = max(1.0, stretch_of(wall, cpu) or slow)  # what the next case is stretched by
    print(
        f"{fails} outside {TARGET[0]}–{TARGET[1]}×; total {time.perf_counter() - t0:.0f} s, "
        f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
