"""The λ sweep page's own settings: a log-spaced λ range of K points, R repeats, and how λ
is chosen (one validation split, or k-fold cross-validation).

The run config travels as config fields; these travel under ``sweep.*``, each checked
against its key (``SweepSettings.keys``), so a bad or hostile value is named and dropped
like any config field. The page's widgets read their defaults and bounds from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from regcore.core import BOUNDS
from regcore.links.scheme import Key, LinkSettings, register
from regcore.sweeps import log_grid

LAM_LO, LAM_HI = 1e-6, BOUNDS["reg.lam"][1]  # what a link's λ range may span
CHOOSE = ("validation", "5-fold", "10-fold")  # one held-out split, or k-fold CV (sweeps.cv)
FIRST = ("loss", "bias_variance")  # the chart drawn first: the loss panels, or bias–variance
BIAS_VARIANCE_SETS = 16  # fresh training sets per λ of the bias–variance panel, at least


@register
@dataclass(frozen=True, kw_only=True)
class SweepSettings(LinkSettings):
    """The λ sweep page's own settings: a log-spaced λ range of K points, R repeats, and how λ
    is chosen (one validation split, or k-fold cross-validation)."""

    prefix: ClassVar[str] = "sweep"
    keys: ClassVar[Mapping[str, Key]] = {
        "lam_min": Key("float", LAM_LO, LAM_HI),
        "lam_max": Key("float", LAM_LO, LAM_HI),
        "k": Key("int", 4, 256),
        "repeats": Key("int", 1, 32),
        "bias_variance": Key("bool"),
        "choose": Key("choice", CHOOSE),
        "first": Key("choice", FIRST),
    }

    lam_min: float = 1e-4  # smallest λ
    lam_max: float = 100.0  # largest λ
    k: int = 32  # λ points, log-spaced
    repeats: int = 1  # fresh data and init per repeat
    bias_variance: bool = True  # also retrain for the bias–variance panel (known truth)
    choose: str = "validation"  # how λ is chosen: see CHOOSE
    first: str = "loss"  # the chart on top of the results: see FIRST (a demo's link sets it)

    def __post_init__(self) -> None:
        for name in ("lam_min", "lam_max", "k", "repeats", "choose", "first"):
            self.check_key(name)
        if self.lam_min > self.lam_max:
            raise ValueError(
                f"sweep.lam_min = {self.lam_min:g} exceeds sweep.lam_max = {self.lam_max:g}: "
                "the smallest λ must not exceed the largest"
            )

    def lambdas(self) -> list[float]:
        """K log-spaced strengths from ``lam_min`` to ``lam_max`` (one when they are equal)."""
        return log_grid(self.lam_min, self.lam_max, self.k)

    def folds(self) -> int:
        """k of k-fold cross-validation; 0 when λ is chosen on one validation split."""
        return 0 if self.choose == "validation" else int(self.choose.split("-")[0])

    @staticmethod
    def bias_variance_sets(repeats: int) -> int:
        """Fresh training sets per λ of the bias–variance panel: R repeats, at least 16
        (each trained from regcore.sweeps.INITS random starts)."""
        return max(repeats, BIAS_VARIANCE_SETS)
