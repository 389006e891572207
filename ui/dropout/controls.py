"""The Dropout & norm page's controls: data, network and optimizer, and up to four networks."""

from __future__ import annotations

from typing import Any

import streamlit as st

from regcore.core import BOUNDS, CATALOG, TrainConfig
from regcore.experiments import NetVariant
from regcore.links import (
    DATA_SETS,
    DEFAULT_SET,
    NET_NORMS,
    NET_REG_LABELS,
    P_OPTIONS,
    SET_LABELS,
    SLOTS,
    SLOTS_ON,
    START_LAM,
    DropoutSettings,
    link_params,
    page_config,
    read_link,
)
from ui.dropout import tabstate
from ui.kit.controls import link_problem
from ui.kit.typed import bounded_box, forget
from ui.kit.widgets import (
    LAM_OPTIONS,
    LR_OPTIONS,
    choice,
    clear_problems,
    fmt,
    key,
    log_slider,
    number,
    problems,
    problems_note,
)


def set_config(name: str) -> TrainConfig:
    """The starting network config of a data set on this page (``regcore.links``)."""
    return page_config(name)


def _seed(prefix: str, cfg: TrainConfig, overwrite: bool) -> None:
    for field, value in cfg.flat().items():
        if field == "model.hidden":
            value = ", ".join(str(h) for h in value)
        if overwrite or key(prefix, field) not in st.session_state:
            st.session_state[key(prefix, field)] = value
            forget(f"{key(prefix, field)}__typed")  # a refused typed text gives way to it
    patience = cfg.optim.early_stopping_patience or 0
    if overwrite or key(prefix, "patience") not in st.session_state:
        st.session_state[key(prefix, "patience")] = patience
        forget(f"{key(prefix, 'patience')}__typed")


def _seed_nets(prefix: str, nets: tuple[NetVariant, ...] | None, overwrite: bool) -> None:
    """Slots 1..k hold the link's networks (on), the rest the slots' own defaults (off)."""
    for i, slot in enumerate(SLOTS):
        on = SLOTS_ON[i] if nets is None else i < len(nets)
        net = nets[i] if nets is not None and i < len(nets) else slot
        values = {"on": on, "p": net.dropout, "norm": net.norm, "reg": net.reg}
        values["lam"] = net.lam if net.reg != "none" else (slot.lam or START_LAM)
        for name, value in values.items():
            if overwrite or f"{prefix}_{name}{i}" not in st.session_state:
                st.session_state[f"{prefix}_{name}{i}"] = value


def init_from_link(prefix: str) -> None:
    """Seed the controls from a new link of this page (its base config and networks), or
    from the page's last link when coming back from another page; a bad or hostile value
    is named and dropped, the rest kept."""
    params = st.query_params.to_dict()
    seen = st.session_state.get(f"{prefix}_link_seen")
    mine = DropoutSettings.in_link(params)
    if seen is not None and not mine:  # another page's, left by a switch
        params = {}
    elif params and not mine:  # config fields alone: the default networks
        params = {**DropoutSettings().to_params(), **params}
    # back from another page, Streamlit has dropped the widgets' state: the page's last
    # link (kept in session state) brings it back
    lost = bool(seen) and f"{prefix}_on0" not in st.session_state
    if lost and not params:
        params = dict(seen)
    if params and (params != seen or lost):
        st.session_state[f"{prefix}_link_seen"] = params
        reading = read_link(params)
        for text in reading.problems:
            link_problem(text)
        cfg = reading.config
        if cfg is not None and cfg.data.name in DATA_SETS:
            _seed(prefix, cfg, overwrite=True)
            nets, _ = DropoutSettings.from_params(reading.kept)
            _seed_nets(prefix, nets.nets, overwrite=True)
            tabstate.seed(prefix, nets, overwrite=True)
        elif cfg is not None:
            link_problem(f"data.name = {cfg.data.name} is not on this page: {', '.join(DATA_SETS)}")
    _seed(prefix, set_config(DEFAULT_SET), overwrite=False)
    _seed_nets(prefix, None, overwrite=False)
    tabstate.seed(prefix, None, overwrite=False)


def write_link(prefix: str, base: TrainConfig, variants: list[NetVariant]) -> dict[str, str]:
    """Put the base config, the networks and the open tab with its settings in the address
    bar; returns the link's fields."""
    tab, settings = tabstate.current(prefix)
    page = DropoutSettings(nets=tuple(variants), tab=tab, tab_settings=settings)
    params = link_params(base, page.to_params())
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
    st.session_state[f"{prefix}_link_seen"] = params
    return params


def _on_set(prefix: str) -> None:
    _seed(prefix, set_config(st.session_state[key(prefix, "data.name")]), overwrite=True)


def _widths(text: str) -> list[Any]:
    out: list[Any] = []
    for part in (p.strip() for p in str(text).strip("[]() ").split(",")):
        if part:
            out.append(int(part) if part.lstrip("-").isdigit() else part)
    return out


def base_controls(prefix: str) -> tuple[TrainConfig | None, str | None]:
    """Data, network and optimizer shared by every configuration (draw in the sidebar):
    (config, problem)."""
    clear_problems(prefix)
    name = choice(prefix, "data.name", "data set", DATA_SETS, SET_LABELS, on_change=_on_set)
    values: dict[str, Any] = {"data.name": name}
    c = st.columns(2)
    with c[0]:
        values["data.n_train"] = number(prefix, "data.n_train", "training samples")
    with c[1]:
        if "noise" in CATALOG[name].uses:
            values["data.noise"] = number(prefix, "data.noise", "noise")
    kinds = tuple(k for k in CATALOG[name].models if k != "linear")
    c = st.columns(2)
    with c[0]:
        values["model.kind"] = choice(prefix, "model.kind", "network", kinds)
    with c[1]:
        if values["model.kind"] == "mlp":
            text = st.text_input("hidden widths", key=key(prefix, "model.hidden"))
            values["model.hidden"] = _widths(text)
        else:  # the small CNN: two 3×3 conv layers (8, 16 channels), no hidden widths
            values["model.hidden"] = []
            st.caption("conv 3×3 ×8 → pool → conv 3×3 ×16 → pool → linear")
    c = st.columns(2)
    with c[0]:
        values["model.activation"] = choice(prefix, "model.activation", "activation")
    with c[1]:
        values["optim.name"] = choice(prefix, "optim.name", "optimizer")
    values["optim.lr"] = log_slider(prefix, "optim.lr", "learning rate", LR_OPTIONS)
    c = st.columns(2)
    with c[0]:
        values["optim.epochs"] = number(prefix, "optim.epochs", "epochs")
    with c[1]:
        bs = number(prefix, "optim.batch_size", "batch size")
        values["optim.batch_size"] = min(bs, values["data.n_train"])
    c = st.columns(2)
    with c[0]:
        patience = bounded_box(
            prefix,
            key(prefix, "patience"),
            "early stopping (0 = off)",
            0,
            BOUNDS["optim.early_stopping_patience"][1],
            help="Patience: stop after this many epochs without a better validation loss and "
            "keep the best epoch's weights. The validation split (20 %) is carved from the "
            "training data, never the test set",
        )
        values["optim.early_stopping_patience"] = int(patience or 0) or None  # refused: off
    with c[1]:
        values["seed"] = number(prefix, "seed", "run seed", help="init, batch order, masks")
    if problems(prefix):
        return None, problems_note(prefix)
    try:
        return set_config(name).replace(**values), None
    except ValueError as exc:
        return None, str(exc)


def variant_controls(prefix: str) -> list[NetVariant]:
    """Up to four configurations (draw in the sidebar): on/off, dropout p, norm, L2 or decay."""
    out = []
    for i in range(len(SLOTS)):
        with st.container(border=True):
            on = st.toggle(f"net {i + 1}", key=f"{prefix}_on{i}")
            if not on:
                continue
            current = float(st.session_state[f"{prefix}_p{i}"])
            p = st.select_slider("dropout p", sorted({*P_OPTIONS, current}), key=f"{prefix}_p{i}")
            c = st.columns(2)
            norm = c[0].selectbox("normalization", NET_NORMS, key=f"{prefix}_norm{i}")
            reg = c[1].selectbox(
                "penalty / decay",
                list(NET_REG_LABELS),
                format_func=NET_REG_LABELS.get,
                key=f"{prefix}_reg{i}",
            )
            lam = 0.0
            if reg != "none":
                current = float(st.session_state[f"{prefix}_lam{i}"])
                lam = st.select_slider(
                    "λ",
                    sorted({*LAM_OPTIONS[1:], current}),
                    format_func=fmt,
                    key=f"{prefix}_lam{i}",
                )
            out.append(NetVariant(dropout=p, norm=norm, reg=reg, lam=lam))
    return out
