"""Seconds a person would notice: waiting for a run about to end, and plotly warmed up.

A page's script thread may wait for a job that should end within a fraction of a second
(``finish_soon``) rather than draw its live view and poll: the Playground default trains in
about 20 ms, and through the live view its result took four script runs and 0.5 to 1 s
(``benchmarks/bench_latency.py``).
"""

from __future__ import annotations

import plotly.io

from regcore.core import RunResult, TrainConfig
from regcore.figures import fig_loss_curves, fig_weight_hist
from ui.live.runner import Job, get_runner


def finish_soon(j: Job, within: float) -> bool:
    """True once ``j`` has finished, after waiting at most ``within`` s for it when it
    should end by then (queued: its wait in line plus its estimate at the current load;
    running: its time left at its measured pace). Blocks only the calling script thread."""
    if j.finished:
        return True
    slow = get_runner().slowdown()
    if j.status == "queued":
        expect = j.wait_s() + (j.estimate_s if j.estimate_s is not None else within) * slow
    else:
        expect = j.remaining_s(slow)
    return expect <= within and j.wait(within)


def warm_figures() -> None:
    """Build and serialize a tiny result's curves and histogram once, on this thread: plotly
    loads a trace type's validators on first use (about 0.25 s of CPU for these two), which
    the first result drawn in this process would otherwise pay before its first element."""
    history = {"epoch": [1, 2], "train_loss": [1.0, 0.5], "test_loss": [1.0, 0.6]}
    tiny = RunResult(TrainConfig(), history, {"w": [0.0, 0.1, -0.1]}, {})
    for fig in (fig_loss_curves(tiny), fig_weight_hist(tiny)):
        plotly.io.to_json(fig, validate=False)
