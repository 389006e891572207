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
    """The note as markdown: a heading line and one bullet per change."""
    items = "\n".join(f"- {n}" for n in notes)
    return f"**Done to this table** (the run's export lists the same):\n{items}"


def draw_note(slot, cfg: TrainConfig) -> None:
    """Fill ``slot`` (an ``st.empty``) with the note of ``cfg``'s table, if it has one."""
    notes = table_notes(cfg)
    if notes:
        slot.info(note_text(notes))
