"""The one catalog of data sets, and which settings have an effect on which run.

``CATALOG`` holds each data set's facts once: its label, task, the ``data.*`` fields
it reads, its input width when that is fixed, and the defaults (data, model and
optimizer) that make it train well in seconds. The engine (data widths, work
estimate), the link codec (links are written relative to these defaults), the CLI
(``python -m regcore datasets``) and the app's widgets all read this table; there is
no second list.

``ineffective(flat)`` names the settings that cannot change a run (a dropout rate on
a linear model, a class count on a regression set, ...); validation refuses them
with the reason, and the app never sends them (``drop_ineffective``).
Anchors: scikit-learn's ``_parameter_constraints``, nanoGPT's ``config_args``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from regcore.core.regularizers import REGULARIZERS


@dataclass(frozen=True)
class DataSetInfo:
    """One data set's facts: what it is, what it reads, what trains it well."""

    name: str
    label: str  # short label for menus
    task: str  # regression | classification | inferred (csv: from its target column)
    uses: tuple[str, ...]  # data.* fields it reads besides n_train, n_test, seed
    defaults: Mapping[str, Any] = field(default_factory=dict)  # dotted fields over TrainConfig's
    width: int | None = None  # input width when fixed (else data.n_features)
    n_available: int | None = None  # samples in the bundled file (real sets)
    split: tuple[int, int] | None = None  # a fixed (train, test) split: the most of each
    models: tuple[str, ...] = ("linear", "mlp")  # model kinds it trains


_TWO_D = MappingProxyType(
    {
        "data.n_train": 200,
        "data.n_test": 500,
        "data.noise": 0.2,
        "model.kind": "mlp",
        "model.hidden": [32, 32],
        "reg.kind": "l2",
        "reg.lam": 0.001,
        # SGD with momentum, not Adam: Adam + L2 drives every weight without a data gradient
        # (dead ReLUs) to ~0, so "L2" would look sparse (50 % near zero on moons).
        "optim.name": "sgd",
        "optim.lr": 0.03,  # with momentum 0.9 a step of 0.3: lr 0.1 made the curves jagged
        "optim.momentum": 0.9,
        "optim.batch_size": 20,
        "optim.epochs": 100,
    }
)
_LINEAR_USES = ("n_features", "noise", "true_w", "true_b")

_ENTRIES = (
    # The textbook weight-decay experiment is TrainConfig's own default: no changes.
    DataSetInfo("linear", "linear (200 features, textbook)", "regression", _LINEAR_USES),
    DataSetInfo(
        "sparse_linear",
        "sparse linear (5 true weights)",
        "regression",
        (*_LINEAR_USES, "n_informative"),
        {
            "data.n_train": 100,
            "data.noise": 0.1,
            "data.true_w": 1.0,
            "data.n_informative": 5,
            "model.init": "zeros",
            "reg.kind": "l1",
            "reg.lam": 0.1,
            "optim.lr": 0.01,
            "optim.batch_size": 10,
            "optim.epochs": 200,
        },
    ),
    DataSetInfo(
        "polynomial",
        "polynomial fit of sin(πx)",
        "regression",
        ("n_features", "noise"),
        {
            "data.n_train": 15,
            "data.n_test": 200,
            "data.n_features": 12,
            "data.noise": 0.2,
            "model.init": "zeros",
            "reg.lam": 0.001,
            "optim.lr": 0.05,
            "optim.batch_size": 15,
            "optim.epochs": 500,
        },
    ),
    DataSetInfo(
        "classification",
        "MNIST-like classes (synthetic)",
        "classification",
        ("n_features", "noise", "n_classes"),
        {
            "data.n_train": 200,
            "data.n_test": 500,
            "data.n_features": 20,
            "data.n_classes": 3,
            "data.noise": 0.1,
            "reg.lam": 0.01,
            "optim.lr": 0.1,
            "optim.batch_size": 20,
            "optim.epochs": 50,
        },
    ),
    DataSetInfo("moons", "two moons (2-D)", "classification", ("noise",), _TWO_D, width=2),
    DataSetInfo("circles", "circles (2-D)", "classification", ("noise",), _TWO_D, width=2),
    DataSetInfo("xor", "XOR (2-D)", "classification", ("noise",), _TWO_D, width=2),
    DataSetInfo("spiral", "spiral (2-D)", "classification", ("noise",), _TWO_D, width=2),
    DataSetInfo(
        "digits",
        "digits 8×8 (1,797 images)",
        "classification",
        (),
        {
            "data.n_train": 1000,
            "data.n_test": 797,
            "model.kind": "mlp",
            "model.hidden": [64],
            "reg.lam": 0.01,
            "optim.lr": 0.1,
            "optim.batch_size": 64,
            "optim.epochs": 20,
        },
        width=64,
        n_available=1797,
        models=("linear", "mlp", "cnn"),
    ),
    DataSetInfo(
        "digits_binary",
        "digits 0–4 vs 5–9 (2 classes)",
        "classification",
        (),
        {
            "data.n_train": 1_437,
            "data.n_test": 360,
            "model.init": "zeros",
            "reg.kind": "l1",
            "reg.lam": 0.001,
            "optim.lr": 0.5,
            "optim.batch_size": 1_437,
            "optim.epochs": 500,
        },
        width=64,
        n_available=1797,
    ),
    DataSetInfo(
        "breast_cancer",
        "breast cancer (569 patients)",
        "classification",
        (),
        {
            "data.n_train": 400,
            "data.n_test": 169,
            "reg.kind": "l1",
            "reg.lam": 0.01,
            "optim.lr": 0.05,
            "optim.batch_size": 20,
            "optim.epochs": 50,
        },
        width=30,
        n_available=569,
    ),
    DataSetInfo(
        "diabetes",
        "diabetes (442 patients)",
        "regression",
        (),
        {
            "data.n_train": 300,
            "data.n_test": 142,
            "reg.lam": 0.1,
            "optim.lr": 0.01,
            "optim.batch_size": 10,
            "optim.epochs": 100,
        },
        width=10,
        n_available=442,
    ),
    DataSetInfo(
        "mnist",
        "MNIST 28×28 (5,000 real images)",
        "classification",
        (),
        {
            "data.n_train": 4_000,
            "data.n_test": 1_000,
            "model.kind": "mlp",
            "model.hidden": [128],
            "reg.lam": 1e-4,
            "optim.lr": 0.1,
            "optim.batch_size": 64,
            "optim.epochs": 10,
        },
        width=784,
        n_available=5_000,
    ),
    DataSetInfo(
        "credit",
        "ISLR Credit (400 people)",
        "regression",
        (),
        {
            "data.n_train": 300,
            "data.n_test": 100,
            "model.init": "zeros",
            "reg.lam": 0.01,
            "optim.lr": 0.1,
            "optim.momentum": 0.9,
            "optim.batch_size": 300,
            "optim.epochs": 300,
        },
        width=12,  # 6 numbers, Gender/Student/Married 0/1, Ethnicity 3 columns (ID left out)
        n_available=400,
    ),
    DataSetInfo(
        "hitters",
        "ISLR Hitters (263 players)",
        "regression",
        (),
        {
            "data.n_train": 200,
            "data.n_test": 63,
            "model.init": "zeros",
            "reg.lam": 0.01,
            "optim.lr": 0.1,
            "optim.momentum": 0.9,
            "optim.batch_size": 200,
            "optim.epochs": 300,
        },
        width=19,  # League, Division, NewLeague as 0/1 columns
        n_available=263,  # the players with a salary
    ),
    DataSetInfo(
        "khan",
        "ISLR Khan genes (2,308 genes, 83 tumours)",
        "classification",
        (),
        {
            "data.n_train": 63,
            "data.n_test": 20,
            "model.init": "zeros",
            "reg.kind": "l1",
            "reg.lam": 0.01,
            "optim.lr": 0.1,
            "optim.batch_size": 63,
            "optim.epochs": 200,
        },
        width=2_308,  # all genes: BOUNDS' 1,000 caps generated widths (regcore.data.islr)
        n_available=83,
        split=(63, 20),  # the book's own split
    ),
    DataSetInfo(
        "csv",
        "your CSV file (upload)",
        "inferred",
        ("path", "target", "missing"),
        {
            "model.init": "torch",
            "reg.lam": 0.01,
            "optim.name": "adam",
            "optim.lr": 0.01,
            "optim.batch_size": 16,
            "optim.epochs": 50,
        },
        width=1_000,  # its largest allowed width (the file decides)
    ),
)
CATALOG: Mapping[str, DataSetInfo] = MappingProxyType({d.name: d for d in _ENTRIES})
DATA_FIELDS = ("n_features", "noise", "true_w", "true_b", "n_informative", "n_classes")
DATA_FIELDS += ("path", "target", "missing")


def info(name: str) -> DataSetInfo:
    """The catalog entry of data set ``name`` (ValueError listing the known ones)."""
    if name not in CATALOG:
        raise ValueError(f"data.name = {name!r} is not allowed: choose one of {', '.join(CATALOG)}")
    return CATALOG[name]


def _users(fld: str) -> str:
    return "data.name = " + " or ".join(repr(d.name) for d in _ENTRIES if fld in d.uses)


# regularizer facts from regcore.core.regularizers: kinds that mix L1 and L2 (their α is
# reg.l1_ratio), kinds with an L1 share (solved by reg.l1_solver), kinds that act on biases
_MIXES = tuple(k for k, r in REGULARIZERS.items() if r.l1_share is None)
_WITH_L1 = tuple(k for k, r in REGULARIZERS.items() if r.l1_solvers)
_ON_BIAS = tuple(k for k, r in REGULARIZERS.items() if r.on_bias)


def _kinds(kinds: tuple[str, ...]) -> str:
    return "reg.kind = " + " or ".join(f"'{k}'" for k in kinds)


_NOT_LINEAR = "mlp and cnn models"
# (field, does it have an effect given the other settings?, to what it applies)
_RULES: tuple[tuple[str, Callable[[Mapping[str, Any]], bool], str], ...] = (
    ("model.hidden", lambda f: f["model.kind"] == "mlp", "mlp models"),
    ("model.activation", lambda f: f["model.kind"] != "linear", _NOT_LINEAR),
    ("model.dropout", lambda f: f["model.kind"] != "linear", _NOT_LINEAR),
    ("model.norm", lambda f: f["model.kind"] != "linear", _NOT_LINEAR),
    (
        "model.init_std",
        lambda f: f["model.init"] in ("normal", "auto"),
        "model.init = 'normal' (or 'auto' on a linear regression model)",
    ),
    ("reg.l1_ratio", lambda f: f["reg.kind"] in _MIXES, _kinds(_MIXES)),
    ("reg.l1_solver", lambda f: f["reg.kind"] in _WITH_L1, _kinds(_WITH_L1)),
    ("reg.penalize_bias", lambda f: f["reg.kind"] in _ON_BIAS, _kinds(_ON_BIAS)),
    ("optim.momentum", lambda f: f["optim.name"] == "sgd", "optim.name = 'sgd'"),
)


def ineffective(flat: Mapping[str, Any], default: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The settings of a flat config that cannot change its run, each with the reason.

    Args:
        flat: a config as ``{dotted.field: value}`` (see ``TrainConfig.to_dict``).
        default: ``TrainConfig()`` in the same form; a field at its default is never named.

    Returns:
        ``[(field, reason), ...]`` in table order, e.g.
        ``("model.dropout", "model.dropout applies to mlp and cnn models, not to
        model.kind = 'linear'")``.
    """
    out: list[tuple[str, str]] = []
    ds = CATALOG.get(flat["data.name"])
    if ds is not None:
        for name in DATA_FIELDS:
            key, value = f"data.{name}", flat[f"data.{name}"]
            if name in ds.uses or value == default[key]:
                continue
            if name == "n_features" and value == ds.width:
                continue  # naming the set's own width is harmless
            out.append((key, f"{key} applies to {_users(name)}, not to '{ds.name}'"))
    for key, applies, where in _RULES:
        if flat[key] != default[key] and not applies(flat):
            out.append((key, f"{key} applies to {where}, {_context(key, flat)}"))
    return out


def _context(key: str, flat: Mapping[str, Any]) -> str:
    section = key.split(".")[0]
    ctx = {"model": "model.kind", "reg": "reg.kind", "optim": "optim.name"}[section]
    if key == "model.init_std":
        ctx = "model.init"
    return f"not to {ctx} = {flat[ctx]!r}"


def drop_ineffective(flat: Mapping[str, Any], default: Mapping[str, Any]) -> dict[str, Any]:
    """``flat`` with every setting that has no effect put back to its default."""
    out = dict(flat)
    for key, _ in ineffective(flat, default):
        out[key] = default[key]
    return out
