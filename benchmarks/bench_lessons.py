"""Time each lesson demo: what its page trains when the lesson path opens it (issue 22,
item 3: at most about 5 s on the 2-core machine). Asserts nothing about time.

Each case decodes the demo's link (``regcore.lessons.lesson_link``) as its page does and
runs what the page's job runs for it: the Playground's fit, L1 vs L2's comparison, the λ
sweep with its exact path (and bias–variance where the link asks), the Dropout & norm
page's networks side by side or its Small batches tab. Columns: wall and CPU seconds of
the demo, and of the check at a right answer (what **Check** trains), with the load
average beside them: on a shared machine the wall time stretches with the load.

    python benchmarks/bench_lessons.py [--only KEY]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from regcore.engine import fit  # noqa: E402
from regcore.experiments import Variant, compare, compare_nets, small_batches  # noqa: E402
from regcore.lessons import LESSONS, check_answer, demo_config, lesson_link  # noqa: E402
from regcore.links import CompareSettings, DropoutSettings, SweepSettings  # noqa: E402
from regcore.sweeps import bias_variance, exact_path, fit_split, sweep  # noqa: E402
from tests.unit.test_lessons import RIGHT  # noqa: E402 (a right answer per lesson)


def demo_job(key: str) -> Callable[[], Any]:
    """What the demo's page trains for the demo's link."""
    link, page, cfg = lesson_link(key), LESSONS[key].page, demo_config(key)
    if page == "compare":
        s, _ = CompareSettings.from_params(link)
        return lambda: compare(cfg, [Variant(kind=k) for k in s.runs])
    if page == "sweep":
        s, _ = SweepSettings.from_params(link)
        lams = s.lambdas()

        def run_sweep() -> Any:
            out = sweep(cfg, lams, repeats=s.repeats)
            exact_path(cfg, lams, data=fit_split(cfg))
            if s.bias_variance:
                bias_variance(cfg, lams, repeats=SweepSettings.bias_variance_sets(s.repeats))
            return out

        return run_sweep
    if page == "dropout":
        s, _ = DropoutSettings.from_params(link)
        if s.tab == "small":
            return lambda: small_batches(cfg)
        return lambda: compare_nets(cfg, s.nets)
    return lambda: fit(cfg)


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="a lesson key")
    args = parser.parse_args()
    print(f"{'lesson':16} {'demo wall':>9} {'cpu':>6} {'check wall':>10} {'cpu':>6}  load")
    for key in LESSONS:
        if args.only and args.only != key:
            continue
        demo = _timed(demo_job(key))
        check = _timed(lambda key=key: check_answer(key, RIGHT[key]))
        load = os.getloadavg()[0]
        print(
            f"{key:16} {demo[0]:9.2f} {demo[1]:6.2f} {check[0]:10.2f} {check[1]:6.2f}  {load:.1f}"
        )


if __name__ == "__main__":
    main()
