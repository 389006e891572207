"""Widgets built from regcore's BOUNDS / CHOICES / CATALOG, so the UI and validation agree.

Widget values live in ``st.session_state`` under ``f"{prefix}_{dotted.field}"``
(e.g. ``pg_reg.lam``). The last valid config of a page is kept under
``f"{prefix}_cfg"`` and re-seeds the widgets when the user comes back to the page.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from regcore.core import BOUNDS, CATALOG, CHOICES, INT_FIELDS, OPEN_LOW, TrainConfig
from regcore.links import SweepSettings, dataset_config
from ui.kit.messages import say
from ui.kit.typed import forget, number_box

DATASET_LABELS = {name: d.label for name, d in CATALOG.items()}  # menus read the catalog
REAL_SIZES = {name: d.n_available for name, d in CATALOG.items() if d.n_available}


def log_options(lo: float, hi: float, *, zero: bool = False) -> list[float]:
    """1-3-10 steps from ``lo`` to ``hi`` (both powers of ten), with 0 first if asked."""
    out = [0.0] if zero else []
    e = round(math.log10(lo))
    while 10.0**e <= hi * 1.0001:
        out += [float(f"{m * 10.0**e:.12g}") for m in (1, 3) if m * 10.0**e <= hi * 1.0001]
        e += 1
    return out


_SWEEP = SweepSettings()  # every λ slider spans the λ sweep's default range, 0 first
LAM_OPTIONS = log_options(_SWEEP.lam_min, _SWEEP.lam_max, zero=True)
LR_OPTIONS = log_options(1e-5, 10.0)


def fmt(x: float) -> str:
    """A short label for a number on a log slider."""
    return "0" if x == 0 else f"{x:g}"


def _bound(x: float) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


def key(prefix: str, field: str) -> str:
    """The session-state key of a widget."""
    return f"{prefix}_{field}"


def seed_state(prefix: str, cfg: TrainConfig, *, overwrite: bool = False) -> None:
    """Write a config into the page's widget keys (only missing keys unless ``overwrite``)."""
    for field, value in cfg.flat().items():
        if field == "model.hidden":
            value = ", ".join(str(h) for h in value)
        if overwrite or key(prefix, field) not in st.session_state:
            st.session_state[key(prefix, field)] = value
            forget(f"{key(prefix, field)}__typed")  # a refused typed text gives way to it


def on_dataset_change(prefix: str) -> None:
    """Callback of the data-set select: load that data set's defaults (seeds and device kept)."""
    name = st.session_state[key(prefix, "data.name")]
    seed_state(prefix, dataset_config(name).replace(**_keep(prefix)), overwrite=True)


def _keep(prefix: str) -> dict[str, Any]:
    # what a data-set switch should not reset: seeds and device
    return {
        f: st.session_state[key(prefix, f)]
        for f in ("seed", "data.seed", "device")
        if key(prefix, f) in st.session_state
    }


def number(
    prefix: str,
    field: str,
    label: str,
    *,
    hi: float | None = None,
    hi_why: str | None = None,
    help: str | None = None,
) -> float | int:
    """A number field checked against ``BOUNDS[field]`` (and ``hi`` when smaller).

    Every number field is a text box read on the server (:func:`ui.kit.typed.number_box`):
    a browser's number field reads "0,5" as 5 and "1,5" as 15. A decimal field (noise, true
    weight) reads a decimal comma; a whole number's field (samples, epochs, seeds) reads no
    comma ("1,5" and "1,000" are refused, :func:`ui.kit.typed.read_whole`), reads "1e3" as
    1000 and refuses "2.5" (:func:`check_number`) instead of rounding. A value not allowed
    is not clamped: it stays on screen with a message naming the bound, recorded by
    :func:`problems` so the page disables Train, and the last valid value is returned for
    the fields that depend on it. A cleared field shows its last value again.

    Args:
        hi: a tighter upper bound than BOUNDS (e.g. the rows a data set has).
        hi_why: why ``hi`` applies, for the message (e.g. "digits has 1,797 samples").
    """
    lo, top = BOUNDS[field]
    if hi is not None and hi < top:
        top = hi
    else:
        hi_why = None
    is_int = field in INT_FIELDS
    k = key(prefix, field)
    if not is_int:
        current = st.session_state.get(k)
        if not isinstance(current, int | float) or isinstance(current, bool):
            st.session_state[k] = float(lo)
        allowed = f"allowed {_range(field, top)}"
        help_text = f"{help} ({allowed})" if help else allowed.capitalize()
        number_box(prefix, field, label, k, check_number, help=help_text)
        return float(st.session_state[k])
    return _whole(prefix, field, label, k, top, hi_why, help)


def _whole(
    prefix: str, field: str, label: str, k: str, top: float, hi_why: str | None, help: str | None
) -> int:
    # the held value (an int at k) changes only to a typed value its check allows; it is
    # checked again on every run, as a tighter bound (rows left, features) can move under it
    lo = int(BOUNDS[field][0])
    last = st.session_state.get(f"{k}__last")
    current = st.session_state.get(k)
    if current is None or isinstance(current, bool) or not isinstance(current, int | float):
        current = last if last is not None else lo
    st.session_state[k] = int(current) if float(current).is_integer() else float(current)
    allowed = _range(field, top)
    help_text = f"{help} (allowed {allowed})" if help else f"Allowed {allowed}"
    check = functools.partial(check_number, hi=top, hi_why=hi_why)
    bad = number_box(prefix, field, label, k, check, help=help_text, whole=allowed)
    problem = bad or check_number(field, float(st.session_state[k]), label, top, hi_why)
    if problem is None:
        st.session_state[f"{k}__last"] = int(st.session_state[k])
        return int(st.session_state[k])
    if bad is None:  # the held value itself no longer fits (a bound moved): said here
        say("error", problem)
        st.session_state.setdefault(f"{prefix}__problems", {})[field] = problem
    fallback = last if last is not None and lo <= last <= top else min(max(lo, 0), top)
    return int(max(lo, fallback))


def check_number(
    field: str, value: float, label: str, hi: float | None = None, hi_why: str | None = None
) -> str | None:
    """None when ``value`` is allowed for ``field``, else a message naming label and bound."""
    lo, top = BOUNDS[field]
    top = min(top, hi) if hi is not None else top
    is_int = field in INT_FIELDS
    shown = f"{value:.10g}"
    if not math.isfinite(value):
        return f"{label}: {shown} is not a finite number: allowed {_range(field, top)}"
    if is_int and not float(value).is_integer():
        return f"{label}: {shown} is not a whole number: allowed {_range(field, top)}"
    low = value <= lo if field in OPEN_LOW else value < lo
    if low or value > top:
        why = f" ({hi_why})" if hi_why and value > top else ""
        return f"{label}: {shown} is out of range{why}: allowed {_range(field, top)}"
    return None


def _range(field: str, top: float) -> str:
    lo = BOUNDS[field][0]
    cast: Callable[[Any], Any] = int if field in INT_FIELDS else float
    if field in OPEN_LOW:
        return f"greater than {_bound(cast(lo))}, up to {_bound(cast(top))}"
    return f"{_bound(cast(lo))} to {_bound(cast(top))}"


def problems(prefix: str) -> dict[str, str]:
    """The number fields of this page's current run that hold a value not allowed."""
    return st.session_state.get(f"{prefix}__problems", {})


def problems_note(prefix: str) -> str | None:
    """What the main area says while fields hold values not allowed: which fields, not
    their messages again (each is under its field in the sidebar); None when none do."""
    found = problems(prefix)
    if not found:
        return None
    names = ", ".join(dict.fromkeys(msg.split(":")[0] for msg in found.values()))
    return f"Not allowed in the sidebar: {names} (the message is under the field)."


def clear_problems(prefix: str) -> None:
    """Forget last run's field problems (call before drawing the fields)."""
    st.session_state[f"{prefix}__problems"] = {}


def slider(
    prefix: str,
    field: str,
    label: str,
    *,
    step: float,
    hi: float | None = None,
    help: str | None = None,
) -> float:
    """A slider bounded by ``BOUNDS[field]`` (and ``hi`` when smaller)."""
    lo, top = BOUNDS[field]
    top = min(top, hi) if hi is not None else top
    k = key(prefix, field)
    st.session_state[k] = float(min(max(float(st.session_state.get(k, lo)), lo), top))
    return st.slider(label, float(lo), float(top), step=step, key=k, help=help)


def log_slider(
    prefix: str, field: str, label: str, options: list[float], help: str | None = None
) -> float:
    """A select slider over log-spaced ``options`` (a value from a link is slotted in), and
    under it a text box that takes any typed value inside ``BOUNDS[field]`` (λ = 6,
    lr = 0.0015; 0,5 reads 0.5): the two show the same value. A typed value not allowed
    (−1, 1e9, 0 for the learning rate, 1,000) stays in the box with a message naming the
    bound and is recorded in :func:`problems`, so Train is disabled rather than training the
    slider's old value; a cleared box goes back to the slider's value."""
    k = key(prefix, field)
    value = float(st.session_state.get(k, options[0]))
    opts = sorted(set(options) | {value})
    st.session_state[k] = value
    out = st.select_slider(
        label,
        options=opts,
        key=k,
        format_func=fmt,
        help=help,
        on_change=forget,  # moving the slider replaces a refused typed value
        args=(f"{k}__typed",),
    )
    short = label.split(" (")[0]
    number_box(
        prefix,
        field,
        f"{short}, typed",
        k,
        check_number,
        name=short,
        help=f"type any value: allowed {_range(field, BOUNDS[field][1])}",
    )
    return out


def choice(
    prefix: str,
    field: str,
    label: str,
    options: tuple[str, ...] | None = None,
    labels: Mapping[str, str] | None = None,
    on_change: Callable | None = None,
    help: str | None = None,
) -> str:
    """A selectbox over ``CHOICES[field]`` (or the subset ``options``)."""
    opts = list(options or CHOICES[field])
    k = key(prefix, field)
    if st.session_state.get(k) not in opts:
        st.session_state[k] = opts[0]
    return st.selectbox(
        label,
        opts,
        key=k,
        help=help,
        on_change=on_change,
        args=(prefix,) if on_change else None,
        format_func=(lambda v: labels.get(v, v)) if labels else str,
    )
