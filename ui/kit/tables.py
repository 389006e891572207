"""Result tables that fit a 1024-px projector: no column cut off at the right edge.

``st.dataframe`` sizes its columns to their contents and scrolls sideways, so a run table
of eleven columns shows seven at 1024 px (the main area is about 640 px wide). A table
wider than :data:`MAX_COLUMNS` is drawn with ``st.table`` instead, which wraps headers and
cells to the page's width — turned on its side (one row per column, one column per run)
when it has few rows — and the sortable ``st.dataframe``, every digit, stays one click
away in an expander.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

MAX_COLUMNS = 6  # what a 1024-px page's main area shows of a run table without scrolling
TURN_UPTO = 4  # rows: a wider table with at most this many is turned on its side
UPRIGHT_COLUMNS = 9  # what a wrapped st.table fits at 1024 px; the rest: the expander


def cell(value: Any) -> str:
    """A table cell as text: floats to 4 significant digits, None as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def fitted(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The rows as ``fit_table`` draws a wide table: cells as text, turned on its side
    (the first column's values become the column heads) when there are few rows, else
    its first :data:`UPRIGHT_COLUMNS` columns."""
    if not rows:
        return []
    columns = list(rows[0])
    if len(rows) > TURN_UPTO:
        return [{c: cell(r.get(c)) for c in columns[:UPRIGHT_COLUMNS]} for r in rows]
    first, heads = columns[0], []
    for i, r in enumerate(rows):  # column heads must differ
        head = cell(r.get(first))
        heads.append(head if head not in heads else f"{head} ({i + 1})")
    return [
        {"": c, **{h: cell(r.get(c)) for h, r in zip(heads, rows, strict=True)}}
        for c in columns[1:]
    ]


def fit_table(rows: Sequence[Mapping[str, Any]], what: str = "the table") -> None:
    """Draw ``rows`` (one dict a row) so every column shows at 1024 px.

    Up to :data:`MAX_COLUMNS` columns: a sortable ``st.dataframe`` (floats to 4 significant
    digits). Wider: a wrapped ``st.table`` (see :func:`fitted`) and the dataframe in an
    expander named after ``what``.
    """
    rows = list(rows)
    nums = [k for k, v in rows[0].items() if isinstance(v, float)] if rows else []
    fmt4 = {k: st.column_config.NumberColumn(format="%.4g") for k in nums}
    if not rows or len(rows[0]) <= MAX_COLUMNS:
        st.dataframe(rows, hide_index=True, column_config=fmt4)
        return
    shown = fitted(rows)
    st.table(shown, hide_index=True)
    rest = [c for c in rows[0] if len(rows) > TURN_UPTO and c not in shown[0]]
    if rest:
        st.caption(f"More columns ({', '.join(rest)}): {what} as data, below.")
    with st.expander(f"{what[0].upper()}{what[1:]} as data: sortable, every digit"):
        st.dataframe(rows, hide_index=True, column_config=fmt4)
