"""The Dropout & norm page's open tab and its settings, in session state and in the link.

``st.tabs`` tracks its open tab here (Streamlit ≥ 1.50: ``key`` with ``on_change="rerun"``),
so the page reads the open tab at the top of a run and writes it, with that tab's
settings, into its link (``DropoutSettings.tab``, ``tab_settings``), and a link opens
that tab with those settings. The tabs' widgets take their values from session state
only (seeded here), never a default argument as well.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from regcore.links import TABS, DropoutSettings, TabSettings
from ui.kit.typed import forget

SUFFIX = {"sweep": "s", "small": "b", "biasvar": "v"}  # a tab's prefix: the page's + this
LABELS = [label for label, _ in TABS.values()]
NAMES = {label: name for name, (label, _) in TABS.items()}


def tab_key(prefix: str) -> str:
    """The session-state key of the open tab's label."""
    return f"{prefix}_tab"


def _widget_value(name: str, value: Any) -> Any:
    return list(value) if name == "rates" else value


def seed(prefix: str, settings: DropoutSettings | None, overwrite: bool) -> None:
    """Put the link's open tab and its settings in session state (every other tab at its
    defaults); without ``overwrite`` only what is not there yet."""
    tab = settings.tab if settings is not None else "side"
    if overwrite or tab_key(prefix) not in st.session_state:
        st.session_state[tab_key(prefix)] = TABS[tab][0]
    for name, (_, spec) in TABS.items():
        if spec is None:
            continue
        values = settings.open_tab() if settings is not None and name == tab else spec
        for field in spec.linked:
            k = f"{prefix}{SUFFIX[name]}_{field}"
            if overwrite or k not in st.session_state:
                st.session_state[k] = _widget_value(field, getattr(values, field))
                forget(f"{k}__typed")  # a refused typed text gives way to the link's value


def current(prefix: str) -> tuple[str, TabSettings | None]:
    """The open tab and its settings as its widgets hold them now (None: Side by side)."""
    name = NAMES.get(st.session_state.get(tab_key(prefix), ""), "side")
    spec = TABS[name][1]
    if spec is None:
        return name, None
    values = {}
    for field in spec.linked:
        v = st.session_state.get(f"{prefix}{SUFFIX[name]}_{field}", getattr(spec, field))
        values[field] = tuple(sorted(v)) if field == "rates" else v
    try:
        return name, replace(spec, **values)
    except ValueError:  # a value its widget cannot hold: the link keeps the defaults
        return name, spec


def open_tabs(prefix: str) -> list[Any]:
    """The page's tabs, the open one tracked in session state (so links can carry it)."""
    return list(st.tabs(LABELS, key=tab_key(prefix), on_change="rerun"))
