"""A training run as the queue holds it: what to fit, what to watch, whose page it is.

    spec = FitSpec(config=cfg, key="pg", probe=probe)
    job = queue.submit_fit(spec, estimate_s=1.2)   # the job runs spec.run(stop, emit)

A page hands the queue this spec instead of a closure, so a reader (or a tool) can follow
a run from the page's form to the training loop: ``JobQueue.submit_fit`` →
``Backend.execute`` → :meth:`FitSpec.run` → ``engine.fit``. Work that is not one
training run (a sweep, a comparison) is still submitted as ``fn(stop, emit)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from regcore.core import RunResult, StepMetrics, StopSignal, TrainConfig, resolve_device
from regcore.data import Dataset
from regcore.engine import Probe, fit


@dataclass(frozen=True, kw_only=True)
class FitSpec:
    """One ``engine.fit`` of ``config`` for the page slot ``key``."""

    config: TrainConfig  # the validated run
    key: str | None = None  # the owner's slot (a page): one unfinished job per (owner, key)
    probe: Probe | None = None  # probe(model, epoch, final), as in engine.fit (surfaces)
    data: Dataset | None = None  # a prepared data set (the one the probe's grid is made for)
    label: str = ""  # a name for logs (default: the key)

    @property
    def gpu(self) -> bool:
        """Whether the run trains on CUDA here (it then takes one of the GPU slots)."""
        try:
            return resolve_device(self.config.device).type == "cuda"
        except ValueError:
            return False

    def run(self, stop: StopSignal, emit: Callable[[StepMetrics], None]) -> RunResult:
        """Train to the end or until ``stop`` is set, passing each epoch's event to ``emit``."""
        return fit(self.config, stop=stop, on_epoch=emit, data=self.data, probe=self.probe)
