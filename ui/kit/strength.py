"""The regularizer's strength in words: what a switch of regularizer set λ to, and a plain
note when a run's λ zeroes every weight or none (with one click to a λ that shows L1).

The numbers are regcore's (``regcore.core.starting_lam``); the wording is here.
"""

from __future__ import annotations

import streamlit as st

from regcore.core import BOUNDS, REGULARIZERS, RunResult, starting_lam
from regcore.figures import reg_label
from ui.kit.typed import forget
from ui.kit.widgets import key


def _note_key(prefix: str) -> str:
    return f"{prefix}_lam_note"


def set_lam(prefix: str, lam: float, note: str | None = None) -> None:
    """Put ``lam`` in the λ slider and its typed box (a callback: before the widgets draw)."""
    k = key(prefix, "reg.lam")
    st.session_state[k] = float(lam)
    forget(f"{k}__typed")
    st.session_state[_note_key(prefix)] = (float(lam), note) if note else None


def on_reg_change(prefix: str) -> None:
    """Callback of the regularizer select: start from that kind's λ on the current data."""
    kind = st.session_state[key(prefix, "reg.kind")]
    name = st.session_state.get(key(prefix, "data.name"), "linear")
    lam = starting_lam(kind, name)
    old = st.session_state.get(key(prefix, "reg.lam"))
    if lam is None or old is None or float(old) == lam:
        st.session_state[_note_key(prefix)] = None
        return
    why = (
        "where some weights become exactly 0, not all"
        if REGULARIZERS[kind].l1_solvers
        else "this data set's usual strength"
    )
    set_lam(
        prefix, lam, f"λ set to {lam:g} for {reg_label(kind)} on this data ({why}); was {old:g}."
    )


def lam_note(prefix: str) -> None:
    """Under the λ slider: what the last switch of regularizer (or the button) did to λ,
    while λ is still that value."""
    held = st.session_state.get(_note_key(prefix))
    if held and held[0] == st.session_state.get(key(prefix, "reg.lam")):  # λ not moved since
        st.caption(held[1])


def zeros_note(prefix: str, result: RunResult) -> None:
    """Say plainly when an L1 run's λ made every weight exactly 0, or none, and offer a λ
    that shows L1's effect (some weights 0, the rest kept) and the L1 vs L2 page."""
    reg, data = result.config.reg, result.config.data
    if not REGULARIZERS[reg.kind].l1_solvers or reg.l1_solver != "proximal":
        return
    zero = result.metrics.get("zero_fraction")
    if zero is None or 0.0 < zero < 1.0 or reg.lam == 0:
        return
    start = starting_lam(reg.kind, data.name) or reg.lam
    if zero >= 1.0:
        target = start if start < reg.lam else reg.lam / 10
        text = (
            f"λ = {reg.lam:g} set **every weight exactly 0**: the model predicts a constant "
            "(its bias) and shows nothing of L1 but the end of its path. L1's lesson — some "
            f"weights exactly 0, the others kept — shows at a smaller λ: try {target:g}."
        )
    else:
        target = start if start > reg.lam else min(reg.lam * 10, BOUNDS["reg.lam"][1])
        text = (
            f"λ = {reg.lam:g} set **no weight exactly 0**: too weak to show L1's zeros on this "
            f"data. Try a larger λ: {target:g}."
        )
    st.warning(text)
    left, right = st.columns([1, 1.4])
    left.button(
        f"Use λ = {target:g}",
        key=f"{prefix}_use_lam",
        on_click=set_lam,
        args=(prefix, target, f"λ set to {target:g}: press Train."),
    )
    if right.button("L1 vs L2 side by side", key=f"{prefix}_to_compare"):
        st.switch_page("pages/compare.py")
