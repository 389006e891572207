"""Dropout & norm → Bias–variance: its runs trained at once against one after another.

Runs ``regcore.sweeps.bias_variance_dropout`` on the tab's default (3 drop probabilities ×
R fresh training sets × 2 starts, 200 epochs of an MLP 1→128→128→1 with Adam) twice per
round in one process: the batched path (regcore.batched.dropout) and the sequential path
it replaced (``can_batch_dropout`` forced False), alternating, and prints for each the
minimum and median wall and CPU time, the ratio new/old, the largest difference of their
decompositions, and the estimate the tab shows (default constants). Asserts nothing.

    python benchmarks/bench_biasvar_dropout.py [--sets R] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from regcore.links import BIAS_VARIANCE  # noqa: E402
from regcore.serve import bias_variance_dropout_work  # noqa: E402
from regcore.serve.estimate import seconds_of  # noqa: E402
from regcore.sweeps import biasvar  # noqa: E402


def _timed(cfg, rates, sets, batched: bool):
    keep = biasvar.can_batch_dropout
    if not batched:
        biasvar.can_batch_dropout = lambda c: False
    try:
        w, c = time.perf_counter(), time.process_time()
        res = biasvar.bias_variance_dropout(cfg, rates, sets)
        return time.perf_counter() - w, time.process_time() - c, res
    finally:
        biasvar.can_batch_dropout = keep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", type=int, default=BIAS_VARIANCE.repeats)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    cfg, rates = BIAS_VARIANCE.config(), list(BIAS_VARIANCE.rates)
    _timed(cfg.replace(**{"optim.epochs": 2}), rates, 2, True)  # warm both paths
    _timed(cfg.replace(**{"optim.epochs": 2}), rates, 2, False)
    times: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    for _ in range(args.rounds):
        for name in ("old", "new"):
            wall, cpu, res = _timed(cfg, rates, args.sets, name == "new")
            times[name].append((wall, cpu))
            times[f"{name}_res"] = res  # type: ignore[assignment]
    runs = len(rates) * args.sets * biasvar.INITS
    print(f"{len(rates)} p × {args.sets} sets × {biasvar.INITS} starts = {runs} runs, "
          f"{cfg.optim.epochs} epochs, {args.rounds} rounds")  # fmt: skip
    for name in ("old", "new"):
        walls, cpus = zip(*times[name], strict=True)
        print(f"{name}: wall min {min(walls):.2f} s median {statistics.median(walls):.2f} s; "
              f"CPU min {min(cpus):.2f} s")  # fmt: skip
    w_old, w_new = (min(w for w, _ in times[n]) for n in ("old", "new"))
    c_old, c_new = (min(c for _, c in times[n]) for n in ("old", "new"))
    print(f"ratio new/old: wall {w_new / w_old:.3f}, CPU {c_new / c_old:.3f}")
    old, new = times["old_res"], times["new_res"]  # type: ignore[misc]
    diff = max(
        abs(a - b)
        for key in ("bias2", "variance", "total", "measured")
        for a, b in zip(getattr(old, key), getattr(new, key), strict=True)
    )
    print(f"largest difference of bias², variance, total, measured: {diff:.2e}")
    est = seconds_of(bias_variance_dropout_work(cfg, rates, args.sets))
    print(f"estimate (default constants): {est:.2f} s against {w_new:.2f} s measured")


if __name__ == "__main__":
    main()
