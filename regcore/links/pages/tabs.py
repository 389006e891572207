"""The Dropout & norm page's tabs besides Side by side: each retraining experiment's
settings (``TabSettings``: its widgets' defaults and ranges, its own base config, which
values its link carries) and the tabs in order (``TABS``, their link names and labels).

A link carries the open tab as ``dropout.tab`` and that tab's settings that differ from
its defaults as ``dropout.tab_*`` (``regcore.links.pages.dropout.DropoutSettings``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from regcore.core import BOUNDS, TrainConfig, load_config

P_OPTIONS = tuple(round(0.1 * k, 1) for k in range(10))  # the drop probabilities offered


METRICS = ("test_loss", "test_acc")  # what the Small batches tab plots


@dataclass(frozen=True, kw_only=True)
class TabSettings:
    """A tab's retraining experiment: its widgets' values (the defaults, in the specs below)
    and ranges, its base config, and which of its values its link carries (``linked``)."""

    rates: tuple[float, ...] = ()  # drop probabilities p picked (from P_OPTIONS)
    repeats: int = 1  # repeats R (fresh seeds or fresh training sets)
    repeats_range: tuple[int, int] = (1, 1)
    epochs: int = 1  # epochs of each run
    epochs_range: tuple[int, int] = (1, 1)
    metric: str = METRICS[0]  # what the chart shows (one of METRICS)
    base: Mapping[str, Any] | None = None  # its own network and data (None: side by side's)
    linked: tuple[str, ...] = ()  # the fields its widgets set, written in its link

    def __post_init__(self) -> None:
        bad = [p for p in self.rates if p not in P_OPTIONS]
        if bad:
            raise ValueError(
                f"dropout.tab_rates {bad[0]:g} is not offered: choose from "
                f"{', '.join(f'{p:g}' for p in P_OPTIONS)}"
            )
        for name in ("repeats", "epochs"):
            lo, hi = getattr(self, f"{name}_range")
            if not lo <= getattr(self, name) <= hi:
                raise ValueError(
                    f"dropout.tab_{name} = {getattr(self, name)} is not allowed on this tab: "
                    f"from {lo} to {hi}"
                )
        if self.metric not in METRICS:
            raise ValueError(f"dropout.tab_metric: choose one of {', '.join(METRICS)}")

    def config(self) -> TrainConfig:
        """The tab's own base config (``base``), validated."""
        return load_config(dict(self.base or {}))

    def changed(self, spec: TabSettings) -> dict[str, Any]:
        """Its linked values that differ from the tab's defaults ``spec`` (empty p lists
        are not written: the link then opens the defaults)."""
        return {
            n: getattr(self, n)
            for n in self.linked
            if getattr(self, n) != getattr(spec, n) and getattr(self, n) != ()
        }


# The side-by-side network retrained for each p with R seeds.
RATE_SWEEP = TabSettings(
    rates=(0.0, 0.2, 0.4, 0.6, 0.8),
    repeats=3,
    repeats_range=(1, 20),
    epochs=150,
    epochs_range=BOUNDS["optim.epochs"],
    linked=("rates", "repeats", "epochs"),
)
# BatchNorm against GroupNorm and LayerNorm at batch sizes 2, 4 and 32: 2 × 32 units, 64 moons.
SMALL_BATCHES = TabSettings(
    epochs=15,
    epochs_range=(1, 200),
    linked=("epochs", "metric"),
    base={
        "data": {"name": "moons", "n_train": 64, "n_test": 500, "noise": 0.2},
        "model": {"kind": "mlp", "hidden": [32, 32]},
        "reg": {"kind": "none", "lam": 0.0},
        "optim": {"name": "sgd", "lr": 0.05, "batch_size": 2, "epochs": 15},
    },
)
# Bias² and variance against p: 2 × 128 tanh units fit sin(πx) + noise from 20 samples,
# R training sets × regcore.sweeps.INITS random starts each (4 × 2: the 24 runs of 8 × 1)
BIAS_VARIANCE = TabSettings(
    rates=(0.0, 0.3, 0.6),
    repeats=4,
    repeats_range=(2, 32),
    linked=("rates", "repeats"),
    base={
        "data": {
            "name": "polynomial",
            "n_features": 1,
            "n_train": 20,
            "n_test": 200,
            "noise": 0.3,
        },
        "model": {"kind": "mlp", "hidden": [128, 128], "activation": "tanh"},
        "reg": {"kind": "none", "lam": 0.0},
        "optim": {"name": "adam", "lr": 0.01, "batch_size": 10, "epochs": 200},
    },
)

# The page's tabs in order: link name -> (label, its settings' defaults; None: the networks).
TABS: dict[str, tuple[str, TabSettings | None]] = {
    "side": ("Side by side", None),
    "sweep": ("Dropout-rate sweep", RATE_SWEEP),
    "small": ("Small batches", SMALL_BATCHES),
    "biasvar": ("Bias–variance", BIAS_VARIANCE),
}
TAB_KEYS = ("rates", "repeats", "epochs", "metric")
