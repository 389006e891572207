"""Pages' own settings in links: the λ sweep's range, K, R, and the comparison's runs.

The run config travels as ``regcore.links`` writes it; a page adds its settings under
its own prefix, each checked against ``PAGE_KEYS`` (bounds or choices) so a bad or
hostile value is named and dropped like any config field. A comparison link is written
relative to its comparison's base config (``compare.mode``), so ``?compare.mode=digits``
alone opens the digits comparison as the page does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from regcore.core import BOUNDS, CHOICES

_KINDS = CHOICES["reg.kind"]
_LAM_LO, _LAM_HI = 1e-6, BOUNDS["reg.lam"][1]
NET_REGS = ("none", "l2", "weight_decay")  # what a network of the Dropout & norm page adds

# key: ("float" | "int" | "bool" | "choice" | "kinds" | "choices" | "floats", low or
# choices, high); "kinds" are distinct, "choices" one per network (repeats allowed)
PAGE_KEYS: dict[str, tuple[str, Any, Any]] = {
    "sweep.lam_min": ("float", _LAM_LO, _LAM_HI),
    "sweep.lam_max": ("float", _LAM_LO, _LAM_HI),
    "sweep.k": ("int", 4, 256),
    "sweep.repeats": ("int", 1, 32),
    "sweep.bias_variance": ("bool", None, None),
    "compare.mode": ("choice", None, None),  # a key of regcore.compare_presets.COMPARISONS
    "compare.runs": ("kinds", _KINDS, None),
    "compare.solver": ("choice", CHOICES["reg.l1_solver"], None),
    "compare.shared": ("bool", None, None),
    "compare.lams": ("floats", 0.0, _LAM_HI),
    # the Dropout & norm page's networks, one entry each (regcore.dropout_links)
    "dropout.p": ("floats", 0.0, BOUNDS["model.dropout"][1]),
    "dropout.norm": ("choices", CHOICES["model.norm"], None),
    "dropout.reg": ("choices", NET_REGS, None),
    "dropout.lam": ("floats", 0.0, _LAM_HI),
}


def _modes() -> tuple[str, ...]:
    from regcore.experiments import COMPARISONS

    return tuple(COMPARISONS)


def check_page_value(key: str, text: str) -> Any:
    """The decoded value of a page setting in a link.

    Raises:
        ValueError: naming the setting, the value and what is allowed.
    """
    kind, lo, hi = PAGE_KEYS[key]
    shown = repr(text if len(text) <= 40 else text[:39] + "…")
    if kind == "bool":
        if text not in ("true", "false"):
            raise ValueError(f"{key} = {shown} in the link is not valid: use true or false")
        return text == "true"
    if kind == "choice":
        options = lo if lo is not None else _modes()
        if text not in options:
            raise ValueError(
                f"{key} = {shown} in the link is not allowed: choose one of {', '.join(options)}"
            )
        return text
    if kind == "choices":
        parts = text.split(",")
        if not 1 <= len(parts) <= 4 or any(p not in lo for p in parts):
            raise ValueError(
                f"{key} = {shown} in the link is not valid: one to four comma-separated "
                f"values from {', '.join(lo)}"
            )
        return parts
    if kind == "kinds":
        parts = [p for p in text.split(",") if p]
        bad = [p for p in parts if p not in lo]
        if bad or len(parts) != len(set(parts)) or len(parts) > len(lo):
            raise ValueError(
                f"{key} = {shown} in the link is not valid: a comma-separated list of distinct "
                f"regularizers from {', '.join(lo)}"
            )
        return parts
    try:
        values = [float(p) for p in text.split(",")] if kind == "floats" else [float(text)]
    except ValueError:
        values = [math.nan]
    each = "numbers" if kind == "floats" else "a number"
    whole = kind == "int"
    if (
        not values
        or any(
            not math.isfinite(v) or v < lo or v > hi or (whole and not v.is_integer())
            for v in values
        )
        or len(values) > len(_KINDS)
    ):
        what = "a whole number" if whole else each
        raise ValueError(
            f"{key} = {shown} in the link is not valid: allowed {what} from {lo:g} to {hi:g}"
        )
    if kind == "floats":
        return values
    return int(values[0]) if whole else values[0]


def read_page(params: Mapping[str, str], prefix: str) -> tuple[dict[str, Any], list[str]]:
    """The page settings under ``prefix`` (``"sweep"``, ``"compare"``) in a link, decoded.

    Returns:
        (values by short name, one message per bad setting left out).
    """
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, text in params.items():
        if key.startswith(prefix + ".") and key in PAGE_KEYS:
            try:
                values[key.split(".", 1)[1]] = check_page_value(key, str(text))
            except ValueError as exc:
                problems.append(str(exc))
    return values, problems


@dataclass(frozen=True, kw_only=True)
class SweepSettings:
    """The λ sweep page's own settings: a log-spaced λ range of K points, R repeats."""

    lam_min: float = 1e-4  # smallest λ
    lam_max: float = 100.0  # largest λ
    k: int = 32  # λ points, log-spaced
    repeats: int = 1  # fresh data and init per repeat
    bias_variance: bool = True  # also retrain for the bias–variance panel (known truth)

    def __post_init__(self) -> None:
        for name in ("lam_min", "lam_max", "k", "repeats"):
            check_page_value(f"sweep.{name}", encode(getattr(self, name)))
        if self.lam_min > self.lam_max:
            raise ValueError(
                f"sweep.lam_min = {self.lam_min:g} exceeds sweep.lam_max = {self.lam_max:g}: "
                "the smallest λ must not exceed the largest"
            )

    def lambdas(self) -> list[float]:
        """K log-spaced strengths from ``lam_min`` to ``lam_max`` (one when they are equal)."""
        lo, hi, k = self.lam_min, self.lam_max, self.k
        from regcore.sweeps import log_grid  # lazily: links load without torch

        return log_grid(lo, hi, k)

    def to_params(self) -> dict[str, str]:
        """The settings that differ from the defaults, as link fields."""
        base = SweepSettings()
        return {
            f"sweep.{name}": encode(getattr(self, name))
            for name in ("lam_min", "lam_max", "k", "repeats", "bias_variance")
            if getattr(self, name) != getattr(base, name)
        }

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> tuple[SweepSettings, list[str]]:
        """The settings of a link (bad ones named and left at their defaults)."""
        values, problems = read_page(params, "sweep")
        try:
            return cls(**values), problems
        except ValueError as exc:
            return cls(), [*problems, str(exc)]


def encode(value: Any) -> str:
    """A page setting as written in a link."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(encode(v) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True, kw_only=True)
class CompareSettings:
    """The L1 vs L2 page's own settings (its base config travels as config fields)."""

    mode: str = "regularizers"  # a key of COMPARISONS
    runs: tuple[str, ...] = ("none", "l1", "l2")  # regularizers mode: the kinds compared
    solver: str = "proximal"  # regularizers mode: the L1 solver of every L1 run
    shared: bool = True  # one λ for all runs (modes that allow one each)
    lams: tuple[float, ...] = field(default=())  # per penalized run, when not shared

    def to_params(self) -> dict[str, str]:
        """The settings that differ from the defaults (the mode always), as link fields."""
        base = CompareSettings()
        out = {"compare.mode": self.mode}
        for name in ("runs", "solver", "shared", "lams"):
            if getattr(self, name) != getattr(base, name):
                out[f"compare.{name}"] = encode(getattr(self, name))
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> tuple[CompareSettings, list[str]]:
        """The settings of a link (bad ones named and left at their defaults)."""
        values, problems = read_page(params, "compare")
        for name in ("runs", "lams"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values), problems
