"""The one note that says everything done to a table (an upload, ISLR's) to make it usable.

The notes are the data set's own (``regcore.data``: ``Dataset.notes``), made by the same
code that trains, so the page says exactly what the run does; a run's export and the
command line's ``data`` carry the same list.
"""

from __future__ import annotations

import streamlit as st

from regcore.core import TrainConfig
from regcore.data import make_dataset

TABLE_SETS = ("csv", "credit", "hitters", "khan")  # data sets made from a table
MISSING_LABELS = {
    "fill": "fill from the training rows",
    "drop": "leave the row out",
}


@st.cache_data(max_entries=32, show_spinner=False)
def table_notes(cfg: TrainConfig) -> tuple[str, ...]:
    """The data set's notes for this config (() when it cannot be made: its message is
    shown where the config is checked)."""
    try:
        return tuple(make_dataset(cfg).notes)
    except ValueError:
        return ()


def note_text(notes: tuple[str, ...]) -> str:
    """The note's body as markdown: one bullet per change."""
    return "\n".join(f"- {n}" for n in notes)


def draw_note(cfg: TrainConfig | None, *, expanded: bool) -> None:
    """The one note on the page: what was done to ``cfg``'s table (nothing for other sets).

    Args:
        cfg: the page's config (None: no valid config, nothing to say).
        expanded: open (before the first result) or folded under its title.
    """
    if cfg is None or cfg.data.name not in TABLE_SETS:
        return
    notes = table_notes(cfg)
    if notes:
        title = f"Done to this table to make it usable: {len(notes)} steps (the export lists them)"
        with st.expander(title, expanded=expanded, icon=":material/table_chart:"):
            st.markdown(note_text(notes))
