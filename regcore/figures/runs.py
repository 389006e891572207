"""Naming several runs by what differs between them: "λ = 0" against "λ = 3", "L1" against "L2".

Pure functions of configs: a legend or a list of runs says only the settings that differ
between the runs it shows, each in the words and symbols the app uses elsewhere (the
regularizer's short name, λ, the data set's label). A setting that cannot change a run
(λ of "no regularization", a dropout rate on a linear model) is left out of that run's
label. ``data_difference`` names the data settings that differ: runs on different data
have different test sets, so their losses are not comparable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from regcore.core import CATALOG, REGULARIZERS, TrainConfig, ineffective

JOIN = " · "  # between the settings of one label (a comma belongs to lists such as hidden widths)
FIRST = ("reg.kind", "reg.lam")  # named first: what a lecture on regularization varies
# A setting's short name in a label ("" = the value alone says it: "L1", "SGD", "moons").
SHORT = {
    "data.name": "",
    "data.path": "file",
    "data.n_train": "n train",
    "data.n_test": "n test",
    "data.n_features": "d",
    "data.seed": "data seed",
    "data.true_w": "true w",
    "data.true_b": "true b",
    "data.n_informative": "informative",
    "data.n_classes": "classes",
    "model.kind": "",
    "model.activation": "",
    "model.dropout": "dropout p",
    "model.init_std": "init σ",
    "reg.l1_ratio": "α",
    "reg.l1_solver": "",
    "optim.name": "",
    "optim.batch_size": "batch",
    "optim.early_stopping_patience": "patience",
    "optim.val_fraction": "validation share",
}
_UNSET = object()  # a value no field has: probes whether a field applies to a config


def number(v: float) -> str:
    """A short number: 3, 0.5, 0.001, 1e-5 (not 1e-05)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    text = f"{v:g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def setting_text(field: str, flat: Mapping[str, Any], file_name: str | None = None) -> str:
    """One setting of a config as a label says it ("λ = 3", "L1", "n train = 40").

    Args:
        field: a dotted field (``"reg.lam"``).
        flat: the config, as ``TrainConfig.flat()``.
        file_name: the user's own name of a CSV run's file (``data.path`` is the server's).
    """
    value = flat[field]
    if field == "reg.kind":
        return REGULARIZERS[value].name if value in REGULARIZERS else str(value)
    if field == "reg.lam":
        reg = REGULARIZERS.get(flat["reg.kind"])
        name = reg.strength.label if reg is not None else "λ"
        return f"{'λ' if name == 'strength λ' else name} = {number(value)}"
    if field == "data.name":
        return CATALOG[value].label if value in CATALOG else str(value)
    if field == "data.path":
        return f"file {file_name or os.path.basename(str(value))}"
    if field == "model.kind":
        return "linear" if value == "linear" else str(value).upper()
    if field == "model.hidden":
        return "hidden " + ("–".join(str(w) for w in value) or "none")
    if field == "optim.name":
        return str(value).upper()
    if field == "optim.early_stopping_patience" and value is None:
        return "no early stopping"
    if field == "reg.penalize_bias":
        return "bias penalized" if value else "bias not penalized"
    short = SHORT.get(field, field.rsplit(".", 1)[-1].replace("_", " "))
    text = number(value) if isinstance(value, int | float) else str(value)
    return f"{short} = {text}" if short else text


def applies(field: str, flat: Mapping[str, Any]) -> bool:
    """Whether ``field`` can change the run of ``flat`` (λ of "none" cannot, nor a dropout
    rate on a linear model): the catalog's own rule, asked with a value no field has."""
    if field == "reg.lam":
        return flat["reg.kind"] != "none"
    default = TrainConfig().flat()
    named = {key for key, _ in ineffective({**flat, field: _UNSET}, default)}
    return field not in named


def differing_fields(configs: Sequence[TrainConfig]) -> list[str]:
    """The dotted fields whose values differ between ``configs`` (λ and the regularizer
    first, then in the config's order); [] for one config or identical ones."""
    flats = [c.flat() for c in configs]
    if len(flats) < 2:
        return []
    fields = [f for f in flats[0] if any(fl[f] != flats[0][f] for fl in flats[1:])]
    return [f for f in FIRST if f in fields] + [f for f in fields if f not in FIRST]


def run_labels(
    configs: Sequence[TrainConfig],
    file_names: Sequence[str | None] | None = None,
    numbers: Sequence[int] | None = None,
) -> list[str]:
    """One label per run naming only what differs between the runs ("λ = 0", "λ = 3").

    Args:
        configs: the runs' configs, in the order of the labels.
        file_names: the user's name of each run's CSV file (None: not a CSV run).
        numbers: each run's number in its session; two runs whose labels would be the
            same (the same settings trained twice) get theirs appended ("L2 · λ = 3 (#4)").

    Returns:
        Labels such as "L1 · λ = 0.1"; when nothing differs (one run, or identical
        settings), the regularizer and its λ.
    """
    fields = differing_fields(configs) or list(FIRST)
    names = list(file_names) if file_names is not None else [None] * len(configs)
    labels = []
    for cfg, file_name in zip(configs, names, strict=True):
        flat = cfg.flat()
        parts = [setting_text(f, flat, file_name) for f in fields if applies(f, flat)]
        labels.append(JOIN.join(parts) or setting_text("reg.kind", flat))
    if numbers is not None:
        labels = [
            f"{label} (#{n})" if labels.count(label) > 1 else label
            for label, n in zip(labels, numbers, strict=True)
        ]
    return labels


def data_difference(configs: Sequence[TrainConfig]) -> list[str]:
    """The data settings that differ between ``configs`` ("n train", "file"), in the
    labels' words; [] when every run saw the same data (and so the same test set)."""
    fields = [f for f in differing_fields(configs) if f.startswith("data.")]
    out = []
    for f in fields:
        short = SHORT.get(f, f.split(".", 1)[1].replace("_", " "))
        out.append(short or "data set")
    return out
