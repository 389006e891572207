"""The Dropout & norm page's controls: data, network and optimizer, and up to four networks."""

from __future__ import annotations

from typing import Any

import streamlit as st

from regcore.config import TrainConfig
from regcore.dropout import NetVariant
from ui.widgets import LAM_OPTIONS, LR_OPTIONS, choice, fmt, key, log_slider, number

DATA_SETS = ("moons", "circles", "xor", "spiral", "classification", "digits")
SET_LABELS = {
    "moons": "two moons (2-D)",
    "circles": "circles (2-D)",
    "xor": "XOR (2-D)",
    "spiral": "spiral (2-D)",
    "classification": "Gaussian classes (d features)",
    "digits": "digits 8×8",
}
# The default teaches at a glance: a wide MLP (2 × 256 ReLU) on 30 noisy moons, Adam for
# 300 full-batch epochs. Without dropout it fits every noisy point (train loss ≈ 0.01, a
# sharp, fully confident boundary); with p = 0.5 the test loss and the generalization gap
# are about halved (measured on 6 data seeds × 2 run seeds, every one in that direction).
_BASE = {
    "data.name": "moons",
    "data.n_train": 30,
    "data.n_test": 500,
    "data.noise": 0.35,
    "model.kind": "mlp",
    "model.hidden": [256, 256],
    "model.activation": "relu",
    "reg.kind": "none",
    "reg.lam": 0.0,
    "optim.name": "adam",
    "optim.lr": 0.001,
    "optim.batch_size": 30,
    "optim.epochs": 300,
}
SET_DEFAULTS: dict[str, dict[str, Any]] = {
    "moons": {},
    "circles": {"data.n_train": 40, "data.noise": 0.2, "optim.batch_size": 40},
    "xor": {"data.n_train": 40, "data.noise": 0.2, "optim.batch_size": 40},
    "spiral": {"data.n_train": 100, "data.noise": 0.12, "optim.batch_size": 100},
    "classification": {
        "data.n_train": 200,
        "data.n_test": 1000,
        "data.n_features": 20,
        "data.n_classes": 4,
        "data.noise": 0.2,
        "optim.batch_size": 50,
        "optim.epochs": 100,
    },
    "digits": {
        "data.n_train": 300,
        "data.n_test": 1000,
        "optim.batch_size": 50,
        "optim.epochs": 60,
    },
}
SLOTS = (
    NetVariant(),
    NetVariant(dropout=0.5),
    NetVariant(norm="batch"),
    NetVariant(reg="weight_decay", lam=0.001),
)
SLOTS_ON = (True, True, False, False)
DROP_OPTIONS = [round(0.1 * k, 1) for k in range(10)]
NORMS = ("none", "batch", "layer", "group")
REGS = {"none": "none", "l2": "L2 penalty", "weight_decay": "weight decay"}


def set_config(name: str) -> TrainConfig:
    """The starting network config of a data set on this page."""
    fields = {**_BASE, "data.name": name, **SET_DEFAULTS[name]}
    if name == "digits":  # real images: no synthetic noise to set
        fields.pop("data.noise")
    return TrainConfig().replace(**fields)


def _seed(prefix: str, name: str, overwrite: bool) -> None:
    cfg = set_config(name)
    for field, value in cfg.flat().items():
        if field == "model.hidden":
            value = ", ".join(str(h) for h in value)
        if overwrite or key(prefix, field) not in st.session_state:
            st.session_state[key(prefix, field)] = value
    st.session_state.setdefault(key(prefix, "patience"), 0)


def _on_set(prefix: str) -> None:
    _seed(prefix, st.session_state[key(prefix, "data.name")], overwrite=True)


def _widths(text: str) -> list[Any]:
    out: list[Any] = []
    for part in (p.strip() for p in str(text).strip("[]() ").split(",")):
        if part:
            out.append(int(part) if part.lstrip("-").isdigit() else part)
    return out


def base_controls(prefix: str) -> tuple[TrainConfig | None, str | None]:
    """Data, network and optimizer shared by every configuration: (config, problem)."""
    _seed(prefix, "moons", overwrite=False)
    c = st.columns(4)
    with c[0]:
        name = choice(prefix, "data.name", "data set", DATA_SETS, SET_LABELS, on_change=_on_set)
    values: dict[str, Any] = {"data.name": name}
    with c[1]:
        values["data.n_train"] = number(prefix, "data.n_train", "training samples")
    with c[2]:
        if name != "digits":
            values["data.noise"] = number(prefix, "data.noise", "noise", step=0.05)
    with c[3]:
        values["optim.epochs"] = number(prefix, "optim.epochs", "epochs")
    c = st.columns(4)
    with c[0]:
        kinds = ("mlp", "cnn") if name == "digits" else ("mlp",)
        values["model.kind"] = choice(prefix, "model.kind", "network", kinds)
        if values["model.kind"] == "mlp":
            text = st.text_input("hidden widths", key=key(prefix, "model.hidden"))
            values["model.hidden"] = _widths(text)
        else:  # the small CNN: two 3×3 conv layers (8, 16 channels), no hidden widths
            values["model.hidden"] = []
            st.caption("conv 3×3 ×8 → pool → conv 3×3 ×16 → pool → linear")
    with c[1]:
        values["model.activation"] = choice(prefix, "model.activation", "activation")
        values["optim.name"] = choice(prefix, "optim.name", "optimizer")
    with c[2]:
        values["optim.lr"] = log_slider(prefix, "optim.lr", "learning rate", LR_OPTIONS)
        bs = number(prefix, "optim.batch_size", "batch size")
        values["optim.batch_size"] = min(bs, values["data.n_train"])
    with c[3]:
        patience = st.number_input(
            "early-stopping patience (0 = off)",
            0,
            1000,
            key=key(prefix, "patience"),
            help="Stop after this many epochs without a better validation loss and keep the "
            "best epoch's weights. The validation split (20 %) is carved from the training "
            "data, never the test set.",
        )
        values["optim.early_stopping_patience"] = int(patience) or None
        values["seed"] = number(prefix, "seed", "run seed (init, batch order, masks)")
    try:
        return set_config(name).replace(**values), None
    except ValueError as exc:
        return None, str(exc)


def variant_controls(prefix: str) -> list[NetVariant]:
    """Up to four configurations, one column each: on/off, dropout p, norm, L2 or decay."""
    out = []
    for i, (col, slot) in enumerate(zip(st.columns(4), SLOTS, strict=True)):
        with col.container(border=True):
            on = st.toggle(f"net {i + 1}", value=SLOTS_ON[i], key=f"{prefix}_on{i}")
            p = st.select_slider(
                "dropout p", DROP_OPTIONS, value=slot.dropout, key=f"{prefix}_p{i}", disabled=not on
            )
            norm = st.selectbox(
                "normalization",
                NORMS,
                index=NORMS.index(slot.norm),
                key=f"{prefix}_norm{i}",
                disabled=not on,
            )
            reg = st.selectbox(
                "penalty / decay",
                list(REGS),
                index=list(REGS).index(slot.reg),
                format_func=REGS.get,
                key=f"{prefix}_reg{i}",
                disabled=not on,
            )
            lam = slot.lam
            if reg != "none":
                lam = st.select_slider(
                    "λ",
                    LAM_OPTIONS[1:],
                    value=slot.lam or 1e-3,
                    format_func=fmt,
                    key=f"{prefix}_lam{i}",
                    disabled=not on,
                )
            if on:
                out.append(NetVariant(dropout=p, norm=norm, reg=reg, lam=lam))
    return out
