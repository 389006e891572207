"""Decimal numbers typed as text and read on the server, so the browser cannot change them.

A browser's number field keeps only what it reads as part of a number: Chromium turns a
typed "0,5" into "05", so λ typed as 0,5 trained λ = 5 and a learning rate of 0,003 trained
3. The boxes for decimal fields (λ, learning rate, noise, true weight and bias) are text
fields read by :func:`read_number`: a decimal comma ("0,5") reads as 0.5 and the page says
so; a comma that could group thousands ("1,000") is refused, naming it; anything else that
is not a plain number is refused. Never a different number than the one typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from ui.kit.messages import clip, say

Check = Callable[[str, float, str], str | None]  # (field, value, label) -> refusal or None

_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(e[+-]?\d+)?", re.IGNORECASE)
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+")  # 1,000 or 12,345,678: a thousands comma?


def read_number(text: str | None, label: str) -> tuple[float | None, str | None]:
    """The number in a typed box.

    Args:
        text: what the box holds.
        label: the field's name, for the messages.

    Returns:
        (value, note): value None for an empty box; note says how a decimal comma was read
        (``"0,5"`` → 0.5), else None.

    Raises:
        ValueError: a text that is not one number, or whose comma could mean two numbers;
            the message names the label, quotes the text and says what to type.
    """
    s = (text or "").strip()
    if not s:
        return None, None
    if _PLAIN.fullmatch(s):
        return float(s), None
    quoted = clip(s, 40)
    if _GROUPED.fullmatch(s):
        raise ValueError(
            f"{label}: {quoted!r} has a comma that could be a decimal comma or a thousands "
            f"separator: type it without a comma ({s.replace(',', '.')} or {s.replace(',', '')})"
        )
    if _DECIMAL_COMMA.fullmatch(s):
        value = float(s.replace(",", "."))
        return value, f"{label}: read {quoted} as {value:.10g} (a decimal comma)"
    comma = " (a point for decimals, no commas)" if "," in s else ""
    raise ValueError(f"{label}: {quoted!r} is not a number: type e.g. 0.5 or 1e-3{comma}")


def shown(value: float) -> str:
    """A value as its box shows it."""
    return f"{value:.10g}"


def number_box(
    prefix: str,
    field: str,
    label: str,
    value_key: str,
    check: Check,
    *,
    name: str | None = None,
    help: str | None = None,
) -> str | None:
    """A text box for the decimal number held at ``st.session_state[value_key]``.

    The box shows that value; a typed value that ``check(field, value, name)`` allows
    replaces it (a decimal comma read with a note under the box); one it refuses stays in
    the box as typed, its message under the box and in the page's problems (Train off);
    a cleared box shows the held value again.

    Args:
        label: the box's label; name: the field's name in messages (default: label).

    Returns:
        The refusal shown, or None.
    """
    box = f"{value_key}__typed"
    bad_key, note_key = f"{box}__problem", f"{box}__note"
    if box not in st.session_state:  # the box was hidden: what it held is gone with it
        forget(box)
    bad = st.session_state.get(bad_key)
    if bad is None:
        st.session_state[box] = shown(float(st.session_state[value_key]))
    st.text_input(
        label,
        key=box,
        on_change=_read_box,
        args=(box, value_key, field, name or label, check),
        help=help,
    )
    if bad is not None:
        say("error", bad)
        st.session_state.setdefault(f"{prefix}__problems", {})[field] = bad
    elif st.session_state.get(note_key):
        say("caption", st.session_state[note_key])
    return bad


def forget(box: str) -> None:
    """Drop a box's refusal and note (its held value moved, e.g. by a slider)."""
    st.session_state.pop(f"{box}__problem", None)
    st.session_state.pop(f"{box}__note", None)


def _read_box(box: str, value_key: str, field: str, label: str, check: Check) -> None:
    forget(box)
    try:
        value, note = read_number(st.session_state.get(box), label)
    except ValueError as exc:
        st.session_state[f"{box}__problem"] = str(exc)
        return
    if value is None:  # a cleared box shows the held value again
        return
    problem = check(field, value, label)
    if problem is not None:
        st.session_state[f"{box}__problem"] = problem
        return
    st.session_state[value_key] = value
    if note:
        st.session_state[f"{box}__note"] = note
