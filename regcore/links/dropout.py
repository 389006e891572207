"""The Dropout & norm page's starting configs and its own link settings (the networks).

The page's base config of each data set lives here, beside the catalog, so a link of
the page means the same run in the app, a notebook and on the command line: a link
with ``dropout.*`` settings is written relative to :func:`page_config` of its data
set (``regcore.links.start_config``), and ``from_query`` decodes it to the base config
every network starts from. The networks travel as parallel lists, one entry per
network: ``dropout.p`` (always written: it marks the page's links), ``dropout.norm``,
``dropout.reg`` and ``dropout.lam`` (written when some network uses them).

    ?dropout.p=0.0,0.8                      the default: no dropout vs p = 0.8 on XOR
    ?data.name=moons&dropout.p=0,0.5,0&dropout.reg=none,none,weight_decay&dropout.lam=0,0,0.01

:func:`configs_from_query` gives the configs the page trains for a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from regcore.core import BOUNDS, TrainConfig
from regcore.experiments import NetVariant, plan_nets
from regcore.links.pages import read_page

DATA_SETS = ("moons", "circles", "xor", "spiral", "classification", "digits")
PAGE_SETS_2D = ("moons", "circles", "xor", "spiral")
MAX_NETS = 4

# The default teaches at a glance (measured over data and run seeds 0-7; the README row
# and tests/repro/test_dropout_default.py): a wide MLP (2 × 128 ReLU) on 40 noisy XOR
# points, Adam lr 0.005, full batch, 500 epochs. Without dropout it fits every training
# point, pushing fingers of one class into the other around single noisy points; with
# p = 0.8 the four quadrants stay straight and soft, and the generalization gap (test −
# train loss) is several times smaller. On 40 points a wide net needs a high rate: at
# the classic p = 0.5 the gap shrinks as much but a finger is sometimes left.
DEFAULT_SET = "xor"
_BASE: dict[str, Any] = {
    "data.name": DEFAULT_SET,
    "data.n_train": 40,
    "data.n_test": 300,
    "data.noise": 0.25,
    "model.kind": "mlp",
    "model.hidden": [128, 128],
    "model.activation": "relu",
    "reg.kind": "none",
    "reg.lam": 0.0,
    "optim.name": "adam",
    "optim.lr": 0.005,
    "optim.momentum": 0.0,
    "optim.batch_size": 40,
    "optim.epochs": 500,
}
SET_DEFAULTS: dict[str, dict[str, Any]] = {
    "moons": {"data.n_train": 30, "data.noise": 0.35, "optim.batch_size": 30},
    "circles": {"data.noise": 0.2},
    "xor": {},
    "spiral": {"data.n_train": 100, "data.noise": 0.12, "optim.batch_size": 100},
    "classification": {
        "data.n_train": 200,
        "data.n_test": 1000,
        "data.n_features": 20,
        "data.n_classes": 4,
        "data.noise": 0.2,
        "optim.lr": 0.001,
        "optim.batch_size": 50,
        "optim.epochs": 100,
    },
    "digits": {
        "data.n_train": 300,
        "data.n_test": 1000,
        "optim.lr": 0.001,
        "optim.batch_size": 50,
        "optim.epochs": 60,
    },
}
# The four slots of the page: nets 1 and 2 are on by default.
SLOTS = (
    NetVariant(),
    NetVariant(dropout=0.8),
    NetVariant(norm="batch"),
    NetVariant(reg="weight_decay", lam=0.001),
)
SLOTS_ON = (True, True, False, False)


def page_config(name: str) -> TrainConfig:
    """The Dropout & norm page's starting base config of data set ``name``."""
    if name not in SET_DEFAULTS:
        raise ValueError(f"data.name = {name!r} is not on this page: choose one of {DATA_SETS}")
    fields = {**_BASE, "data.name": name, **SET_DEFAULTS[name]}
    if name == "digits":  # real images: no synthetic noise to set
        fields.pop("data.noise")
    return TrainConfig().replace(**fields)


def _encode(values: tuple[Any, ...]) -> str:
    return ",".join(repr(float(v)) if isinstance(v, float) else str(v) for v in values)


@dataclass(frozen=True, kw_only=True)
class DropoutSettings:
    """The networks the page compares (its base config travels as config fields)."""

    nets: tuple[NetVariant, ...] = field(default=(SLOTS[0], SLOTS[1]))

    def __post_init__(self) -> None:
        if not 1 <= len(self.nets) <= MAX_NETS:
            raise ValueError(
                f"dropout.p lists {len(self.nets)} networks: compare 1 to {MAX_NETS} side by side"
            )
        lo, hi = BOUNDS["model.dropout"]
        for i, net in enumerate(self.nets, 1):
            if not lo <= net.dropout <= hi:
                raise ValueError(
                    f"dropout.p of network {i} = {net.dropout:g} is not allowed: "
                    f"from {lo:g} to {hi:g}"
                )
            if net.reg == "none" and net.lam != 0:
                raise ValueError(
                    f"dropout.lam of network {i} = {net.lam:g} has no effect: its "
                    "dropout.reg is none (use 0, or l2 / weight_decay)"
                )

    def to_params(self) -> dict[str, str]:
        """The networks as link fields (``dropout.p`` always; the rest when used)."""
        out = {"dropout.p": _encode(tuple(float(n.dropout) for n in self.nets))}
        if any(n.norm != "none" for n in self.nets):
            out["dropout.norm"] = _encode(tuple(n.norm for n in self.nets))
        if any(n.reg != "none" for n in self.nets):
            out["dropout.reg"] = _encode(tuple(n.reg for n in self.nets))
            out["dropout.lam"] = _encode(tuple(float(n.lam) for n in self.nets))
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> tuple[DropoutSettings, list[str]]:
        """The networks of a link; bad settings are named and the defaults used instead.

        Returns:
            (settings, one message per setting left out).
        """
        values, problems = read_page(params, "dropout")
        lists = {k: list(values[k]) for k in ("p", "norm", "reg", "lam") if k in values}
        if not lists:
            return cls(), problems
        n = len(next(iter(lists.values())))
        bad = [k for k, v in lists.items() if len(v) != n]
        if bad:
            return cls(), [
                *problems,
                f"dropout.{bad[0]} lists {len(lists[bad[0]])} networks where "
                f"dropout.{next(iter(lists))} lists {n}: give one entry per network",
            ]
        nets = tuple(
            NetVariant(
                dropout=float(lists.get("p", [0.0] * n)[i]),
                norm=lists.get("norm", ["none"] * n)[i],
                reg=lists.get("reg", ["none"] * n)[i],
                lam=float(lists.get("lam", [0.0] * n)[i]),
            )
            for i in range(n)
        )
        try:
            return cls(nets=nets), problems
        except ValueError as exc:
            return cls(), [*problems, str(exc)]


def is_page_link(params: Mapping[str, str]) -> bool:
    """Whether a link is the Dropout & norm page's (it holds a ``dropout.*`` setting)."""
    return any(str(k).startswith("dropout.") for k in params)


def configs_from_query(query: str | Mapping[str, str]) -> tuple[TrainConfig, ...]:
    """The configs the page trains for a link: its base config with each network applied.

    Raises:
        ValueError: naming the first bad field or setting.
    """
    from regcore.links.codec import _pairs, from_query

    params = _pairs(query)
    base = from_query(params)
    settings, problems = DropoutSettings.from_params(params)
    if problems:
        raise ValueError(problems[0])
    configs, _ = plan_nets(base, settings.nets)
    return configs
