"""The L1 vs L2 page's own settings: which comparison, and its runs' regularizers and λ.

A comparison link is written relative to its comparison's base config (``compare.mode``,
``regcore.experiments.COMPARISONS``), so ``?compare.mode=digits`` alone opens the digits
comparison as the page does. The page's widgets read their defaults from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from regcore.core import BOUNDS, CHOICES, TrainConfig
from regcore.experiments import COMPARISONS
from regcore.links.scheme import Key, LinkSettings, register


@register
@dataclass(frozen=True, kw_only=True)
class CompareSettings(LinkSettings):
    """The L1 vs L2 page's own settings (its base config travels as config fields)."""

    prefix: ClassVar[str] = "compare"
    keys: ClassVar[Mapping[str, Key]] = {
        "mode": Key("choice", tuple(COMPARISONS)),
        "runs": Key("kinds", CHOICES["reg.kind"]),
        "solver": Key("choice", CHOICES["reg.l1_solver"]),
        "shared": Key("bool"),
        "lams": Key("floats", 0.0, BOUNDS["reg.lam"][1]),
    }
    always: ClassVar[tuple[str, ...]] = ("mode",)  # marks the page's links

    mode: str = "regularizers"  # a key of COMPARISONS
    runs: tuple[str, ...] = ("none", "l1", "l2")  # regularizers mode: the kinds compared
    solver: str = "proximal"  # regularizers mode: the L1 solver of every L1 run
    shared: bool = True  # one λ for all runs (modes that allow one each)
    lams: tuple[float, ...] = field(default=())  # per penalized run, when not shared

    @classmethod
    def start(cls, params: Mapping[str, str]) -> TrainConfig | None:
        """The comparison's base config, unless the link names another data set."""
        preset = COMPARISONS.get(params.get("compare.mode", ""))
        if preset is None:
            return None
        base = preset.config()
        if "data.name" not in params or base.data.name == params["data.name"]:
            return base
        return None
