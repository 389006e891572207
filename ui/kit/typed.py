"""Decimal numbers typed as text and read on the server, so the browser cannot change them.

A browser's number field keeps only what it reads as part of a number: Chromium turns a
typed "0,5" into "05", so λ typed as 0,5 trained λ = 5 and a learning rate of 0,003 trained
3. The boxes for decimal fields (λ, learning rate, noise, true weight and bias) are text
fields read by :func:`read_number`: a decimal comma ("0,5") reads as 0.5 and the page says
so; a comma that could group thousands ("1,000") is refused, naming it; anything else that
is not a plain number is refused. Never a different number than the one typed.

Whole-number fields (samples, features, epochs, batch size, seeds) are typed boxes too,
read by :func:`read_whole`: Chromium's number field turned a typed "1,5" training samples
into 15. There a comma is never read: "1,5" is refused as not a whole number, and "1,000"
is refused as ambiguous (1 with a decimal comma, 1000 with a thousands comma: both whole
and both in range, a guess could train 1000 times the size meant); "1000" and "1e3" read
as 1000.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

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


def read_whole(text: str | None, label: str, allowed: str) -> float | None:
    """The number in a whole-number field's typed box: no comma is ever read.

    Args:
        text: what the box holds.
        label: the field's name, for the messages.
        allowed: the field's range as the messages state it ("1 to 20,000").

    Returns:
        The value typed (a float: "2.5" or "1e999" is returned for the field's check to
        refuse with its range), or None for an empty box.

    Raises:
        ValueError: a text with a comma or that is not a number; the message names the
            label, quotes the text and states the allowed range.
    """
    s = (text or "").strip()
    if not s:
        return None
    if _PLAIN.fullmatch(s):
        return float(s)
    quoted = clip(s, 40)
    if _GROUPED.fullmatch(s):
        raise ValueError(
            f"{label}: {quoted!r} has a comma that could be a thousands separator "
            f"({s.replace(',', '')}) or a decimal comma: type it without a comma: allowed "
            f"{allowed}"
        )
    comma = " (no comma or point)" if "," in s else ""
    raise ValueError(
        f"{label}: {quoted!r} is not a whole number: type digits{comma}, allowed {allowed}"
    )


def shown(value: float) -> str:
    """A value as its box shows it (a whole number's every digit)."""
    return str(value) if isinstance(value, int) else f"{value:.10g}"


def number_box(
    prefix: str,
    field: str,
    label: str,
    value_key: str,
    check: Check,
    *,
    name: str | None = None,
    help: str | None = None,
    whole: str | None = None,
    say_in: Any = None,
) -> str | None:
    """A text box for the number held at ``st.session_state[value_key]``.

    The box shows that value; a typed value that ``check(field, value, name)`` allows
    replaces it (a decimal comma read with a note under the box); one it refuses stays in
    the box as typed, its message under the box and in the page's problems (Train off);
    a cleared box shows the held value again.

    Args:
        label: the box's label; name: the field's name in messages (default: label).
        whole: for a whole-number field, its allowed range as messages state it: the box
            is read by :func:`read_whole` and holds an int.
        say_in: where its refusal or note is said (default: under the box); a box in a
            narrow column of a row says it under the row instead.

    Returns:
        The refusal shown, or None.
    """
    box = f"{value_key}__typed"
    bad_key, note_key = f"{box}__problem", f"{box}__note"
    if box not in st.session_state:  # the box was hidden: what it held is gone with it
        forget(box)
    bad = st.session_state.get(bad_key)
    if bad is None:
        held = st.session_state[value_key]
        st.session_state[box] = shown(held if whole and isinstance(held, int) else float(held))
    st.text_input(
        label,
        key=box,
        on_change=_read_box,
        args=(box, value_key, field, name or label, check, whole),
        help=help,
    )
    with say_in if say_in is not None else nullcontext():
        if bad is not None:
            say("error", bad)
        elif st.session_state.get(note_key):
            say("caption", st.session_state[note_key])
    if bad is not None:
        st.session_state.setdefault(f"{prefix}__problems", {})[field] = bad
    return bad


def forget(box: str) -> None:
    """Drop a box's refusal and note (its held value moved, e.g. by a slider)."""
    st.session_state.pop(f"{box}__problem", None)
    st.session_state.pop(f"{box}__note", None)


def _read_box(
    box: str, value_key: str, field: str, label: str, check: Check, whole: str | None
) -> None:
    forget(box)
    text = st.session_state.get(box)
    try:
        if whole:
            value, note = read_whole(text, label, whole), None
        else:
            value, note = read_number(text, label)
    except ValueError as exc:
        st.session_state[f"{box}__problem"] = str(exc)
        return
    if value is None:  # a cleared box shows the held value again
        return
    problem = check(field, value, label)
    if problem is not None:
        st.session_state[f"{box}__problem"] = problem
        return
    st.session_state[value_key] = int(value) if whole else value
    if note:
        st.session_state[f"{box}__note"] = note


def bounded_box(
    prefix: str,
    key: str,
    label: str,
    lo: float,
    hi: float,
    *,
    whole: bool = True,
    help: str | None = None,
    say_in: Any = None,
) -> float | None:
    """A typed box for a page's own number at ``st.session_state[key]`` within ``lo`` to
    ``hi`` (a tab's repeats, the epochs of a comparison, a lesson's answer), read as
    :func:`number_box` reads the config's fields: never a different number than the one
    typed (a browser's number field turned a typed "1,5" into 15).

    Returns:
        The value (an int when ``whole``), or None while the box holds a refused text: its
        message is under the box (or in ``say_in``) and the caller keeps its button off.
        The refusal is also in the page's problems (``f"{prefix}__problems"``) until the
        box holds a good value.
    """
    bound = (lambda x: f"{int(x):,}") if whole else (lambda x: f"{x:g}")
    allowed = f"{bound(lo)} to {bound(hi)}"
    held = st.session_state.get(key)
    if not isinstance(held, int | float) or isinstance(held, bool) or not lo <= held <= hi:
        st.session_state[key] = int(lo) if whole else float(lo)
    elif whole and not isinstance(held, int):
        st.session_state[key] = int(held)

    def check(field: str, value: float, name: str) -> str | None:
        if whole and math.isfinite(value) and not float(value).is_integer():
            return f"{name}: {value:.10g} is not a whole number: allowed {allowed}"
        if lo <= value <= hi:
            return None
        return f"{name}: {value:.10g} is out of range: allowed {allowed}"

    text = f"{help} (allowed {allowed})" if help else f"Allowed {allowed}"
    bad = number_box(
        prefix, key, label, key, check, help=text, whole=allowed if whole else None, say_in=say_in
    )
    found = st.session_state.setdefault(f"{prefix}__problems", {})
    if bad is None:
        found.pop(key, None)
        return st.session_state[key]
    return None
