"""Frozen, validated run configuration: the engine's contract (see DESIGN.md).

A run is one JSON document with the sections ``data``, ``model``, ``reg`` and
``optim`` plus ``seed``, ``device``, ``dtype`` and ``threads``. Every field has a default,
and the defaults *are* the classic high-dimensional weight-decay experiment
(200 features, 20 train / 100 test samples, SGD lr 0.003, batch 5, 100 epochs,
L2 with λ = 3). Every number is checked against one table, ``BOUNDS``, and every
string against ``CHOICES``; the UI builds its widgets from the same tables.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regcore.core.bounds import (
    BOUNDS,
    CHOICES,
    INT_FIELDS,
    MAX_FEATURES_NONLINEAR,
    MAX_HIDDEN_LAYERS,
    MAX_WORK,
    NULLABLE,
    OPEN_LOW,
    TooLargeError,
)
from regcore.core.catalog import CATALOG, drop_ineffective, ineffective
from regcore.core.regularizers import strength_problem


@dataclass(frozen=True, kw_only=True)
class DataConfig:
    """Which data set to make and how big. Sizes count samples; noise is a std."""

    name: str = "linear"  # one of DATASETS
    n_train: int = 20  # training samples
    n_test: int = 100  # test samples
    n_features: int = 200  # input dimension; for `polynomial` the degree
    noise: float = 0.01  # std of the additive noise (label noise for classification)
    true_w: float = 0.01  # value of every true weight (linear sets)
    true_b: float = 0.05  # true bias (linear sets)
    n_informative: int | None = None  # non-zero true weights (sparse_linear; None: 5)
    n_classes: int = 2  # classes of the synthetic `classification` set
    path: str | None = None  # csv: path of the user's file
    target: str | None = None  # csv: name of the target column (None: the last column)
    missing: str = "fill"  # csv: a missing feature value is filled ("fill") or its row dropped
    seed: int = 0  # seed of the data draw, independent of the run seed

    def __post_init__(self) -> None:
        _check_section(self, "data")
        if self.name in ("polynomial", "classification"):
            if self.n_features > MAX_FEATURES_NONLINEAR:
                raise ValueError(
                    f"data.n_features = {self.n_features} is too large for "
                    f"data.name = '{self.name}': allowed 1 to {MAX_FEATURES_NONLINEAR}"
                )
        if self.n_informative is not None and self.n_informative > self.n_features:
            raise ValueError(
                f"data.n_informative = {self.n_informative} exceeds data.n_features = "
                f"{self.n_features}: allowed 1 to data.n_features"
            )


@dataclass(frozen=True, kw_only=True)
class ModelConfig:
    """The network: a linear model, an MLP or a small CNN (image sets only)."""

    kind: str = "linear"  # linear | mlp | cnn
    hidden: tuple[int, ...] = ()  # MLP hidden widths (CNN: ignored)
    activation: str = "relu"  # relu | tanh | sigmoid
    dropout: float = 0.0  # drop probability after each hidden layer
    norm: str = "none"  # none | batch | layer | group (| instance for cnn)
    init: str = "auto"  # auto: N(0, init_std²) for linear regression, torch default else
    init_std: float = 1.0  # std of `normal` initial weights

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", tuple(self.hidden))
        _check_section(self, "model")
        if len(self.hidden) > MAX_HIDDEN_LAYERS:
            raise ValueError(
                f"model.hidden has {len(self.hidden)} layers: allowed at most {MAX_HIDDEN_LAYERS}"
            )
        if self.kind == "mlp" and not self.hidden:
            raise ValueError("model.hidden is empty: an mlp needs at least one hidden width")
        if self.norm == "instance" and self.kind != "cnn":
            raise ValueError("model.norm = 'instance' is for model.kind = 'cnn' only")


@dataclass(frozen=True, kw_only=True)
class RegConfig:
    """The regularizer: J = data_loss + lam · Ω(w); see regcore.core.regularizers."""

    kind: str = "l2"  # a key of REGULARIZERS (regcore.core.regularizers: one module each)
    lam: float = 3.0  # strength λ ≥ 0 (what it means and its low end: the kind's Strength)
    l1_ratio: float = 0.5  # elastic-net mix α: Ω = α‖w‖₁ + (1−α)·½‖w‖²
    l1_solver: str = "proximal"  # proximal (exact zeros) | subgradient
    penalize_bias: bool = False  # also penalize biases (never norm-layer parameters)

    def __post_init__(self) -> None:
        _check_section(self, "reg")
        problem = strength_problem(self, self.lam, BOUNDS["reg.lam"][1])
        if problem:
            raise ValueError(problem)


@dataclass(frozen=True, kw_only=True)
class OptimConfig:
    """Optimizer and schedule."""

    name: str = "sgd"  # sgd | adam | adamw
    lr: float = 0.003  # learning rate
    momentum: float = 0.0  # SGD momentum
    batch_size: int = 5  # minibatch size (n_train: full batch)
    epochs: int = 100  # passes over the training set
    early_stopping_patience: int | None = None  # epochs without val improvement
    val_fraction: float = 0.2  # share of training data held out when early stopping

    def __post_init__(self) -> None:
        _check_section(self, "optim")


@dataclass(frozen=True, kw_only=True)
class TrainConfig:
    """One run: data, model, regularizer, optimizer, seed and device."""

    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    reg: RegConfig = field(default_factory=RegConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    seed: int = 0  # run seed: initialization, batch order, dropout masks
    device: str = "auto"  # auto | cpu | cuda | mps
    dtype: str = "float32"  # float32 | float64
    # torch CPU threads the run uses: the numbers depend on it (a sum splits into one partial
    # sum per thread), so the page, a notebook and the CLI all train with this count
    threads: int = 1

    def __post_init__(self) -> None:
        _check_section(self, "")
        check_work(self)  # the real reason first: a too-large run is refused as such
        d, o = self.data, self.optim
        n_fit = d.n_train
        if o.early_stopping_patience is not None:
            n_fit = d.n_train - max(1, round(d.n_train * o.val_fraction))
            if n_fit < 1:
                raise ValueError(
                    f"data.n_train = {d.n_train} is too small to hold out a validation "
                    "split for early stopping: use at least 2 samples"
                )
        if o.batch_size > d.n_train:
            raise ValueError(
                f"optim.batch_size = {o.batch_size} exceeds data.n_train = {d.n_train}: "
                "allowed 1 to data.n_train (full batch)"
            )
        if self.model.norm == "batch" and self.model.kind != "linear" and o.batch_size < 2:
            raise ValueError(
                "optim.batch_size = 1 cannot train with model.norm = 'batch' (batch "
                "statistics need at least 2 samples): use a batch size of 2 or more, or "
                "layer/group norm"
            )
        if self.model.kind == "cnn" and d.name != "digits":
            raise ValueError(
                f"model.kind = 'cnn' needs an image data set: data.name = 'digits', not '{d.name}'"
            )
        object.__setattr__(self, "_flat", _flat_of(self))  # the one flat view, read below
        _check_effective(self)

    def to_dict(self) -> dict[str, Any]:
        """The config as plain JSON-ready data (tuples become lists)."""
        out = dataclasses.asdict(self)
        out["model"]["hidden"] = list(self.model.hidden)
        return out

    def to_json(self) -> str:
        """The config as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2)

    def flat(self) -> dict[str, Any]:
        """The config as ``{dotted.field: value}``, e.g. ``{"reg.lam": 3.0, "seed": 0, ...}``.

        Values are as in :meth:`to_dict` (``model.hidden`` is a list); every field is
        present, in declaration order. Made once, when the config is built; each call
        returns a fresh copy.
        """
        out = dict(self._flat)  # type: ignore[attr-defined]
        out["model.hidden"] = list(out["model.hidden"])
        return out

    @classmethod
    def from_flat(cls, flat: Mapping[str, Any]) -> TrainConfig:
        """The validated config of ``{dotted.field: value}``; missing fields take defaults.

        Each section is built straight from its dotted fields (no nested document).

        Raises:
            ValueError: for an unknown field or a value out of bounds, naming the field.
        """
        raw: dict[str, Any] = {}
        for key, value in flat.items():
            top, dot, name = key.partition(".")
            if dot:
                section = raw.setdefault(top, {})
                if not isinstance(section, dict):
                    raise ValueError(
                        f"{top} must be an object of fields, not {type(section).__name__}"
                    )
                section[name] = value
            else:
                raw[key] = value
        return _build(raw)

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with dotted-path changes, e.g. ``cfg.replace(**{"reg.lam": 0.1})``."""
        return TrainConfig.from_flat({**self.flat(), **changes})


def work(cfg: TrainConfig) -> float:
    """Rough cost of a run: epochs · n_train · (parameters of the model)."""
    d, m = cfg.data, cfg.model
    width = CATALOG[d.name].width or d.n_features
    sizes = [width, *m.hidden] if m.kind == "mlp" else [width]
    out = max(d.n_classes, 10) if d.name not in ("linear", "sparse_linear") else 1
    params = sum(a * b for a, b in zip(sizes, [*sizes[1:], out], strict=True))
    return float(cfg.optim.epochs) * d.n_train * max(params, 1)


def check_work(cfg: TrainConfig) -> None:
    """Refuse a run whose rough cost exceeds ``MAX_WORK`` (a public server's guard)."""
    w = work(cfg)
    if w > MAX_WORK:
        raise TooLargeError(
            f"this run is too large for the server (optim.epochs · data.n_train · "
            f"parameters = {w:.2g}, allowed up to {MAX_WORK:.2g}); reduce the epochs, "
            "training samples, features or hidden widths",
            config=cfg,
        )


def _check_effective(cfg: TrainConfig) -> None:
    """Refuse a setting that cannot change this run (see regcore.core.catalog.ineffective)."""
    values = cfg._flat  # type: ignore[attr-defined]
    found = ineffective(values, default_flat())
    if found:
        key, reason = found[0]
        value = values[key]
        raise ValueError(f"{key} = {_show(value)} has no effect here: {reason}")


SECTIONS: dict[str, type] = {
    "data": DataConfig,
    "model": ModelConfig,
    "reg": RegConfig,
    "optim": OptimConfig,
}


def _check_section(obj: Any, section: str) -> None:
    for f in dataclasses.fields(obj):
        if f.name in SECTIONS and not section:
            continue
        key = f"{section}.{f.name}" if section else f.name
        value = getattr(obj, f.name)
        if value is None and key in NULLABLE:
            continue
        if key in CHOICES:
            if value not in CHOICES[key]:
                allowed = ", ".join(CHOICES[key])
                raise ValueError(f"{key} = {_show(value)} is not allowed: choose one of {allowed}")
        elif key in BOUNDS:
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                _check_number(key, item)
            if not isinstance(value, tuple):
                cast = int if key in INT_FIELDS else float
                object.__setattr__(obj, f.name, cast(value))
        elif f.type in ("bool", bool) and not isinstance(value, bool):
            raise ValueError(f"{key} = {_show(value)} is not allowed: use true or false")
        elif key in NULLABLE and not isinstance(value, str):
            raise ValueError(f"{key} = {_show(value)} is not allowed: use a text value or null")


def _check_number(key: str, value: Any) -> None:
    lo, hi = BOUNDS[key]
    want_int = key in INT_FIELDS
    kind = "a whole number" if want_int else "a number"
    shown = _show(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} = {shown} is not {kind}: allowed {range_words(key)}")
    if want_int and isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{key} = {shown} is not {kind}: allowed {range_words(key)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{key} = {shown} is not finite: allowed {range_words(key)}")
    too_low = value <= lo if key in OPEN_LOW else value < lo
    if too_low or value > hi:
        raise ValueError(f"{key} = {shown} is out of range: allowed {range_words(key)}")


def _show(value: Any, limit: int = 40) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"a {len(str(abs(value)))}-digit number"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def range_words(key: str) -> str:
    """The allowed range of a numeric field in words ("from 1 to 2,000", "greater than 0,
    up to 10"): one wording for the engine's, the links' and the pages' messages."""
    lo, hi = BOUNDS[key]
    if key in OPEN_LOW:
        return f"greater than {lo:g}, up to {hi:g}"
    if key in INT_FIELDS:
        return f"from {int(lo):,} to {int(hi):,}"
    return f"from {lo:g} to {hi:g}"


def _coerce_section(cls: type, section: str, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise ValueError(f"{section} must be an object of fields, not {type(raw).__name__}")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ValueError(
            f"unknown field {section}.{unknown[0]}: allowed {', '.join(sorted(names))}"
        )
    values = dict(raw)
    for key in list(values):
        full = f"{section}.{key}"
        if full in INT_FIELDS and isinstance(values[key], float) and values[key].is_integer():
            values[key] = int(values[key])
    if "hidden" in values:
        hidden = values["hidden"]
        if not isinstance(hidden, list | tuple):
            raise ValueError(f"model.hidden = {hidden!r} is not a list of widths")
        values["hidden"] = tuple(int(h) if _is_whole(h) else h for h in hidden)
    return cls(**values)


def _is_whole(x: Any) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def load_config(source: TrainConfig | dict | str | Path | None = None) -> TrainConfig:
    """Parse and validate a run configuration.

    Args:
        source: a ``TrainConfig`` (returned as is), a dict, JSON text, or the path
            of a JSON file. Missing fields take their defaults; unknown ones fail.

    Returns:
        The validated, frozen ``TrainConfig``.

    Raises:
        ValueError: naming the field, the value given and what is allowed.
    """
    if isinstance(source, TrainConfig):
        return source
    raw = _read_source(source)
    if not isinstance(raw, dict):
        raise ValueError(f"a config must be a JSON object, not {type(raw).__name__}")
    return _build(raw)


def _build(raw: dict[str, Any]) -> TrainConfig:
    """The config of a document ``{section: {field: value}, "seed": ..., ...}``."""
    top = {f.name for f in dataclasses.fields(TrainConfig)}
    unknown = sorted(set(raw) - top)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]}: allowed {', '.join(sorted(top))}")
    kwargs: dict[str, Any] = {}
    for name, value in raw.items():
        if name in SECTIONS:
            kwargs[name] = _coerce_section(SECTIONS[name], name, value)
        elif name in INT_FIELDS and _is_whole(value):
            kwargs[name] = int(value)
        else:
            kwargs[name] = value
    return TrainConfig(**kwargs)


def _read_source(source: dict | str | Path | None) -> Any:
    if source is None:
        return {}
    if isinstance(source, dict):
        return source
    if isinstance(source, Path) or (
        isinstance(source, str) and not source.lstrip().startswith(("{", "["))
    ):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(
                f"cannot read config file {str(path)!r}: {exc.strerror or exc}"
            ) from None
        return _parse_json(text, f"config file {str(path)!r}")
    return _parse_json(source, "config")


def _parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"{what} is nested too deeply to be a config") from None
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def _flat_of(cfg: TrainConfig) -> dict[str, Any]:
    """``{dotted.field: value}`` of a config, read off its fields (``hidden`` a list)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        if f.name in SECTIONS:
            for g in dataclasses.fields(value):
                item = getattr(value, g.name)
                out[f"{f.name}.{g.name}"] = list(item) if isinstance(item, tuple) else item
        else:
            out[f.name] = value
    return out


def effective(values: Mapping[str, Any]) -> TrainConfig:
    """The validated config of ``{dotted.field: value}`` (missing fields take defaults), with
    settings that have no effect on the run (a dropout rate on a linear model, momentum
    under Adam) put back to their defaults, not refused: what a page builds from widgets
    it hides, or a comparison from a base config and a variant's changes."""
    full = {**default_flat(), **values}
    return TrainConfig.from_flat(drop_ineffective(full, default_flat()))


def default_flat() -> dict[str, Any]:
    """``TrainConfig()`` as ``{dotted.field: value}``, read off the field defaults (so the
    checks that run while ``TrainConfig()`` itself is built can use it). A fresh copy."""
    return dict(_default_flat())


@functools.cache
def _default_flat() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(TrainConfig):
        if f.name in SECTIONS:
            for g in dataclasses.fields(SECTIONS[f.name]):
                value = g.default
                out[f"{f.name}.{g.name}"] = list(value) if isinstance(value, tuple) else value
        else:
            out[f.name] = f.default
    return out
