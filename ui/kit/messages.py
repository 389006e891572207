"""Messages that may hold user text, shown literally, and notes on settings changed for the user.

Streamlit renders the body of ``st.error`` / ``st.warning`` / ``st.info`` /
``st.caption`` / ``st.markdown`` as Markdown: a link's value such as
``[log in again](https://evil.example/login)`` would become a clickable link inside
the app's own message, ``__proto__`` a bold "proto", ``$x$`` formula. Anything a
user typed, linked or uploaded (query keys and values, file names, CSV headers,
typed text, and every message that quotes them, such as a config's ValueError)
goes through :func:`literal` or :func:`say`: every Markdown-significant character
is escaped, line breaks become spaces, and long text is cut to ``LIMIT`` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import streamlit as st

LIMIT = 300  # characters of one message: enough for any message of ours, not for a payload
# Escaped wherever they appear: links and images ("[", "]"), emphasis ("*", "~"), code ("`"),
# HTML and entities ("<", ">", "&"), LaTeX ("$"), tables ("|"), e-mail autolinks ("@") and
# the escape itself. Others only where they mean something, so "data.n_train = 5" and
# "allowed: 1 to 5" read the same in the page's text as in the code that wrote them.
_ALWAYS = re.compile(r"([\\`*\[\]<>&$~|@])")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")  # "__bold__", not "n_train"
_COLON = re.compile(r":(?=\S)")  # ":red[", ":smile:", "https://" (not "allowed: 1")
_WWW = re.compile(r"(?i)\b(www)\.")  # a GFM autolink without a scheme
_LEADING = re.compile(r"^(\s*)([#>=+-]|\d+(?=[.)]))")  # heading, quote, list at the start
_ZWSP = "\u200b"
_SPACE = re.compile(r"[\s\u2028\u2029\u0085]+")
_KINDS = {"error": st.error, "warning": st.warning, "info": st.info, "caption": st.caption}


def clip(text: Any, limit: int = LIMIT) -> str:
    """``text`` as one line of at most ``limit`` characters (an ellipsis marks a cut)."""
    flat = _SPACE.sub(" ", str(text)).strip()
    flat = "".join(ch for ch in flat if ch.isprintable())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + f"… ({len(flat):,} characters in all)"


def literal(text: Any, limit: int = LIMIT) -> str:
    """``text`` as Markdown that renders exactly as the characters typed: no link, no bold,
    no HTML, no formula, no emoji; one line, at most ``limit`` characters (then "…")."""
    out = _ALWAYS.sub(r"\\\1", clip(text, limit))
    out = _UNDERSCORE.sub(r"\\_", out)
    # Streamlit links "https://…", "www.…" and "a@b.co" even when escaped (its autolinking
    # runs on the text after escapes are resolved): a zero-width space breaks each pattern.
    out = _COLON.sub("\\\\:" + _ZWSP, out)
    out = _WWW.sub(r"\1" + _ZWSP + r"\\.", out)
    out = out.replace("\\@", "\\@" + _ZWSP)
    m = _LEADING.match(out)
    if m and m.group(2)[0].isdigit():  # "1. x" / "1) x": escape the dot or parenthesis
        end = m.end()
        return out[:end] + "\\" + out[end:]
    return _LEADING.sub(r"\1\\\2", out, count=1)


def say(kind: str, text: Any, *, limit: int = LIMIT, where: Any = None) -> None:
    """Show ``text`` literally as an ``error``, ``warning``, ``info`` or ``caption``.

    Args:
        kind: which Streamlit element.
        text: the message (it may quote user text anywhere in it).
        limit: longest message shown, in characters.
        where: a container (column, sidebar, expander) to draw into; the page if None.
    """
    body = literal(text, limit)
    if where is not None:
        getattr(where, kind)(body)
    else:
        _KINDS[kind](body)


def changed_note(changes: Iterable[tuple[str, Any, Any, str]]) -> str | None:
    """One sentence per setting changed for the user, or None when nothing changed.

    Args:
        changes: ``(field or label, value asked for, value used, why)`` tuples.
    """
    parts = [
        f"{clip(name, 60)} {clip(_value(asked), 60)} → {clip(_value(used), 60)} ({clip(why, 160)})"
        for name, asked, used, why in changes
    ]
    if not parts:
        return None
    return "Changed for you: " + "; ".join(parts) + "."


def say_changed(changes: Iterable[tuple[str, Any, Any, str]], *, where: Any = None) -> None:
    """Show :func:`changed_note` as an info box (literal text), when anything changed."""
    note = changed_note(changes)
    if note:
        say("info", note, limit=2 * LIMIT, where=where)


def _value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)
