"""The Playground's grouped controls: widgets -> a validated TrainConfig (or a message).

Fields a data set does not use are hidden and take that data set's defaults, so no
combination on screen can fail for a reason the user cannot see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

import regcore
from regcore.core import (
    BOUNDS,
    CATALOG,
    CHOICES,
    MAX_FEATURES_NONLINEAR,
    REGULARIZERS,
    TrainConfig,
    effective,
)
from regcore.figures import reg_label
from regcore.links import link_params as _link_params
from regcore.links import read_link
from ui.kit import present
from ui.kit.messages import say, say_changed
from ui.kit.strength import lam_note, on_reg_change
from ui.kit.table_note import MISSING_LABELS
from ui.kit.typed import bounded_box, forget
from ui.kit.upload import csv_upload, data_seed, split_sizes, usable_rows
from ui.kit.widgets import (
    DATASET_LABELS,
    LAM_OPTIONS,
    LR_OPTIONS,
    REAL_SIZES,
    choice,
    clear_problems,
    dataset_config,
    key,
    log_slider,
    number,
    on_dataset_change,
    problems_note,
    seed_state,
    slider,
)

Explain = Callable[[ValueError], str]  # a refused config's exception -> what to say


def init_state(prefix: str, explain: Explain = str) -> dict[str, str] | None:
    """Seed the widgets: from the link when it changed (a shared link, a Learn preset),
    else from the page's last config. What the link asked for and this server changed
    (:func:`fit_to_server`) is said, and so is every field left out; a run too large for
    the server is said by ``explain`` (the page passes the one that knows this machine's
    estimate, ``ui.live.stream.problem_text``).

    Returns:
        The link's usable fields when this run brought a new link (the page reads its
        own settings from them), else None.
    """
    params = st.query_params.to_dict()
    fresh = None
    if params and params != st.session_state.get(f"{prefix}_link_seen"):
        st.session_state[f"{prefix}_link_seen"] = params
        reading = read_link(params)
        changes: list[tuple[str, Any, Any, str]] = []
        fresh = reading.kept
        if reading.config is not None:
            cfg, changes = fit_to_server(reading.config)
            st.session_state[f"{prefix}_cfg"] = cfg
            seed_state(prefix, cfg, overwrite=True)
        for text in reading.problems:
            link_problem(text if reading.too_large is None else explain(reading.too_large))
        say_changed(changes)
    seed_state(prefix, st.session_state.get(f"{prefix}_cfg") or TrainConfig())
    return fresh


def link_problem(text: str) -> None:
    """Say which setting of a link was left out and why (the text shown literally)."""
    lead = "" if text.startswith("this run is too large") else "Left out of the link's settings: "
    say("warning", lead + text)


def fit_to_server(cfg: TrainConfig) -> tuple[TrainConfig, list[tuple[str, Any, Any, str]]]:
    """A link's config changed where this server or the data set cannot do what it asks.

    Returns:
        (config, changes): ``changes`` as ``(field, asked, used, why)`` for
        :func:`ui.messages.say_changed` — a device this server lacks becomes ``auto``;
        sizes above what a bundled data set has are cut to an 80/20 split of it.
    """
    changes: list[tuple[str, Any, Any, str]] = []
    new: dict[str, Any] = {}
    devices = regcore.available_devices()
    if cfg.device not in devices:
        why = f"this server has no {cfg.device.upper()} device; it has {', '.join(devices[1:])}"
        changes.append(("device", cfg.device, "auto", why))
        new["device"] = "auto"
    cap = REAL_SIZES.get(cfg.data.name)
    d = cfg.data
    split = CATALOG[d.name].split
    if split and (d.n_train > split[0] or d.n_test > split[1]):
        why = f"{d.name}'s own split has {split[0]} training and {split[1]} test rows"
        for field, asked, most in (
            ("n_train", d.n_train, split[0]),
            ("n_test", d.n_test, split[1]),
        ):
            if asked > most:
                changes.append((f"data.{field}", asked, most, why))
                new[f"data.{field}"] = most
        new["optim.batch_size"] = min(cfg.optim.batch_size, new.get("data.n_train", d.n_train))
    elif cap and d.n_train + d.n_test > cap:
        n_test = min(d.n_test, max(1, cap // 5))
        n_train = min(d.n_train, cap - n_test)
        n_test = min(d.n_test, cap - n_train)
        why = f"{cfg.data.name} has {cap:,} samples"
        for field, asked, used in (("n_train", d.n_train, n_train), ("n_test", d.n_test, n_test)):
            if asked != used:
                changes.append((f"data.{field}", asked, used, why))
                new[f"data.{field}"] = used
        new["optim.batch_size"] = min(cfg.optim.batch_size, n_train)
    return (cfg.replace(**new) if new else cfg), changes


def link_params(cfg: TrainConfig, page: dict[str, str] | None = None) -> dict[str, str]:
    """The link of a config (``regcore.links.link_params``: relative to its data set's
    defaults) plus a page's own settings."""
    return _link_params(cfg, page)


def write_link(prefix: str, cfg: TrainConfig, page: dict[str, str] | None = None) -> None:
    """Put the config (and the page's own settings) in the address bar, for sharing."""
    params = link_params(cfg, page)
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
    st.session_state[f"{prefix}_link_seen"] = params


def controls(prefix: str, explain: Explain = str) -> tuple[TrainConfig | None, str | None]:
    """Draw the controls in the sidebar and build the config.

    Args:
        prefix: the page's session-state prefix. explain: says why a config is refused
            (as :func:`init_state`'s).

    Returns:
        (config, None) when valid, else (None, the validation message).
    """
    values: dict[str, Any] = {}
    sb = st.sidebar
    clear_problems(prefix)
    full = not present.enabled()  # presentation mode: only the regularizer stays open
    with sb.expander("Regularizer", expanded=True):  # first: what every page is about
        values.update(_reg_fields(prefix))
    with sb.expander("Data set", expanded=full):
        name = choice(
            prefix,
            "data.name",
            "data set",
            labels=DATASET_LABELS,
            on_change=on_dataset_change,
        )
        data_values, problem = _data_fields(prefix, name)
        values.update(data_values)
    with sb.expander("Model", expanded=False):
        values.update(_model_fields(prefix, name))
    with sb.expander("Optimizer", expanded=full):
        values.update(_optim_fields(prefix, values["data.n_train"]))
    with sb.expander("Seed and device", expanded=False):
        values["seed"] = number(prefix, "seed", "run seed (init, batch order)")
        values["data.seed"] = number(prefix, "data.seed", "data seed (the sample drawn)")
        devices = tuple(regcore.available_devices())
        values["device"] = choice(
            prefix, "device", "device", devices, help=f"this server has: {', '.join(devices[1:])}"
        )
    typed = problems_note(prefix)
    last = st.session_state.get(f"{prefix}_cfg")
    base = last if last is not None and last.data.name == name else dataset_config(name)
    if typed:  # a field holds a value not allowed: never train the previous one instead
        return None, typed
    try:  # settings the hidden widgets held (dropout of a former MLP) go back to defaults
        cfg = effective({**base.flat(), **values})
    except ValueError as exc:
        return None, explain(exc)
    st.session_state[f"{prefix}_cfg"] = cfg
    return (None, problem) if problem else (cfg, None)


def _data_fields(prefix: str, name: str) -> tuple[dict[str, Any], str | None]:
    out: dict[str, Any] = {"data.name": name}
    cap, problem = REAL_SIZES.get(name), None
    if name == "csv":
        seed = data_seed(prefix)
        up, target, problem = csv_upload(prefix, seed)
        out["data.missing"] = choice(
            prefix,
            "data.missing",
            "missing feature values",
            labels=MISSING_LABELS,
            help="Rows without a target are always left out. A missing feature value is "
            "filled from the training rows (numbers: their mean; text: the most frequent "
            "value), or its whole row is left out.",
        )
        out.update({"data.path": up.path if up else None, "data.target": target})
        cap = up.n_rows if up else None
        if up is not None and target is not None:
            cap, problem = usable_rows(up.path, target, out["data.missing"], seed)
            cap, problem = cap or up.n_rows, f"{up.name}: {problem}" if problem else None
        seen = (up.path, target, out["data.missing"]) if up else None
        if seen and st.session_state.get(f"{prefix}_upload_seen") != seen:
            st.session_state[f"{prefix}_upload_seen"] = seen  # a new table: 80/20 split
            n_train, n_test = split_sizes(cap)
            for field, n in (("data.n_train", n_train), ("data.n_test", n_test)):
                st.session_state[key(prefix, field)] = n
                forget(f"{key(prefix, field)}__typed")  # a refused typed size gives way
    rows = None
    if cap:
        rows = f"the file has {cap:,} usable rows" if name == "csv" else f"{name} has {cap:,} rows"
        if name == "csv" and up is not None and up.n_file > up.n_rows:
            rows = f"the sample read from the file's {up.n_file:,} rows has {cap:,} usable ones"
    split = CATALOG[name].split
    if split:  # a fixed split (Khan's 63/20): at most each of its sides
        out["data.n_train"] = number(
            prefix,
            "data.n_train",
            "training samples",
            hi=split[0],
            hi_why=f"{name}'s own split has {split[0]} training rows",
        )
        out["data.n_test"] = number(
            prefix,
            "data.n_test",
            "test samples",
            hi=split[1],
            hi_why=f"{name}'s own split has {split[1]} test rows",
        )
    else:
        out["data.n_train"] = number(
            prefix,
            "data.n_train",
            "training samples",
            hi=cap - 1 if cap else None,
            hi_why=f"{rows}; at least 1 is kept for testing" if cap else None,
        )
        out["data.n_test"] = number(
            prefix,
            "data.n_test",
            "test samples",
            hi=cap - out["data.n_train"] if cap else None,
            hi_why=f"{rows}, {out['data.n_train']:,} of them for training" if cap else None,
        )
    uses = CATALOG[name].uses  # the fields this data set reads
    if "n_features" in uses:
        label = "polynomial degree" if name == "polynomial" else "features"
        hi = None if "true_w" in uses else MAX_FEATURES_NONLINEAR
        out["data.n_features"] = number(prefix, "data.n_features", label, hi=hi)
    if "noise" in uses:
        what = "label noise (share flipped)" if name == "classification" else "noise (std)"
        out["data.noise"] = number(prefix, "data.noise", what)
    if "true_w" in uses:
        out["data.true_w"] = number(prefix, "data.true_w", "true weight value")
        out["data.true_b"] = number(prefix, "data.true_b", "true bias")
    if "n_informative" in uses:
        if st.session_state.get(key(prefix, "data.n_informative")) is None:  # None means 5
            st.session_state[key(prefix, "data.n_informative")] = min(5, out["data.n_features"])
        out["data.n_informative"] = number(
            prefix,
            "data.n_informative",
            "non-zero true weights",
            hi=out["data.n_features"],
            hi_why="at most one per feature",
        )
    if "n_classes" in uses:
        out["data.n_classes"] = number(prefix, "data.n_classes", "classes")
    return out, problem


def _model_fields(prefix: str, name: str) -> dict[str, Any]:
    kinds = CATALOG[name].models
    kind = choice(prefix, "model.kind", "model", kinds)
    out: dict[str, Any] = {"model.kind": kind, "model.hidden": []}
    if kind == "mlp":
        if not str(st.session_state.get(key(prefix, "model.hidden"), "")).strip():
            st.session_state[key(prefix, "model.hidden")] = "64, 64"  # a starting MLP
        text = st.text_input("hidden widths (comma-separated)", key=key(prefix, "model.hidden"))
        out["model.hidden"] = _widths(text)
    if kind != "linear":
        out["model.activation"] = choice(prefix, "model.activation", "activation")
        out["model.dropout"] = slider(prefix, "model.dropout", "dropout p", step=0.05)
        norms = CHOICES["model.norm"] if kind == "cnn" else CHOICES["model.norm"][:-1]
        out["model.norm"] = choice(prefix, "model.norm", "normalization", norms)
    out["model.init"] = choice(prefix, "model.init", "initial weights")
    return out


def _widths(text: str) -> list[Any]:
    """Widths as ints where they parse (so −5 gets the range message), else the text."""
    out: list[Any] = []
    for part in (p.strip() for p in text.strip("[]() ").replace(";", ",").split(",")):
        if part:
            try:
                out.append(int(part))
            except ValueError:
                out.append(part)
    return out


def _reg_fields(prefix: str) -> dict[str, Any]:
    labels = {k: reg_label(k) for k in CHOICES["reg.kind"]}
    kind = choice(prefix, "reg.kind", "regularizer", labels=labels, on_change=on_reg_change)
    out: dict[str, Any] = {"reg.kind": kind}
    row = REGULARIZERS[kind]
    if row.role != "none":
        strength = row.strength  # what λ means for this kind (max-norm: the radius c > 0)
        options = [x for x in LAM_OPTIONS if x > 0] if strength.low_open else LAM_OPTIONS
        label = f"{strength.label} (log scale)"
        out["reg.lam"] = log_slider(prefix, "reg.lam", label, options, help=strength.help)
        lam_note(prefix)
    if row.l1_share is None:  # a mix of L1 and L2: its share α
        out["reg.l1_ratio"] = slider(prefix, "reg.l1_ratio", "L1 share α", step=0.05)
    if row.l1_solvers:
        out["reg.l1_solver"] = choice(
            prefix,
            "reg.l1_solver",
            "L1 solver",
            help=(
                "proximal: soft-threshold after each step (exact zeros); "
                "subgradient: |w| in the loss (weights hover near 0)"
            ),
        )
    if row.on_bias:
        out["reg.penalize_bias"] = st.toggle(
            "penalize biases too", key=key(prefix, "reg.penalize_bias")
        )
    return out


def _optim_fields(prefix: str, n_train: int) -> dict[str, Any]:
    out: dict[str, Any] = {"optim.name": choice(prefix, "optim.name", "optimizer")}
    out["optim.lr"] = log_slider(prefix, "optim.lr", "learning rate (log scale)", LR_OPTIONS)
    if out["optim.name"] == "sgd":
        out["optim.momentum"] = slider(prefix, "optim.momentum", "momentum", step=0.01, hi=0.99)
    wanted = number(prefix, "optim.batch_size", "batch size", help="samples per step")
    out["optim.batch_size"] = min(wanted, n_train)  # kept as entered for when n grows again
    if wanted > n_train:
        st.caption(f"batch size {wanted} > {n_train} training samples: full batches of {n_train}")
    out["optim.epochs"] = number(prefix, "optim.epochs", "epochs")
    k = key(prefix, "optim.early_stopping_patience")
    st.session_state[k] = int(st.session_state.get(k) or 0)  # None (off) shows as 0
    patience = bounded_box(
        prefix,
        k,
        "early-stopping patience (0 = off)",
        0,
        BOUNDS["optim.early_stopping_patience"][1],
        help="Stop after this many epochs without a better validation loss and keep the best "
        "epoch's weights; the validation split (optim.val_fraction) is carved from the "
        "training data, never the test set",
    )
    out["optim.early_stopping_patience"] = int(patience or 0) or None  # refused: Train off
    return out
