"""Regularization paths: one model per λ on the same data, init and batch order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from regcore.config import TrainConfig, load_config
from regcore.data import make_dataset
from regcore.train import StopSignal, fit


@dataclass(frozen=True)
class SweepResult:
    """One row per λ: final losses and weight statistics, plus final weights."""

    config: TrainConfig
    lambdas: list[float]
    rows: list[dict[str, Any]]
    weights: list[dict[str, list[float]]]
    stopped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"config": self.config.to_dict(), "lambdas": self.lambdas, "rows": self.rows}


def sweep(
    cfg: TrainConfig | dict | str | None, lambdas: Sequence[float], stop: StopSignal = None
) -> SweepResult:
    """Train one model per λ with everything else equal.

    Args:
        cfg: the base configuration; its ``reg.lam`` is replaced by each λ.
        lambdas: the strengths, each within the bounds of ``reg.lam``.
        stop: as in :func:`regcore.train`.
    """
    cfg = load_config(cfg)
    data = make_dataset(cfg)
    rows, weights, stopped = [], [], False
    for lam in lambdas:
        run = fit(cfg.replace(**{"reg.lam": float(lam)}), stop=stop, data=data)
        rows.append({"lam": float(lam), **run.metrics})
        weights.append(run.weights)
        if run.stopped:
            stopped = True
            break
    return SweepResult(config=cfg, lambdas=[float(x) for x in lambdas], rows=rows,
                       weights=weights, stopped=stopped)
