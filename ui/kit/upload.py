"""A user's CSV upload: checked once, stored under a server-chosen name, never a user path.

The file's bytes are saved as ``<sha256>.csv`` in one upload folder of this
process, so a config's ``data.path`` only ever names a file the server wrote (a
link can never carry a path: ``regcore.core.config.LINK_FORBIDDEN``). The folder keeps
at most ``MAX_FILES`` uploads, the oldest removed first.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from regcore.core import BOUNDS, TrainConfig
from regcore.data import load_table, read_csv_table, read_frame_header
from ui.kit.warm import warm_tables

MAX_FILES = 200
UPLOAD_DIR = Path(tempfile.gettempdir()) / "reglab-uploads"
NO_FILE = (
    "No CSV file yet: upload one in the sidebar (at most 10 MB; a table with one target "
    "column: text categories, identifier columns and missing cells are handled, and the "
    "page says how). A file the uploader marks in red was refused, e.g. as too big."
)


@dataclass(frozen=True)
class Upload:
    """An uploaded CSV file as stored on the server."""

    path: str  # where the server saved it
    name: str  # the user's file name, for display
    columns: tuple[str, ...]
    n_rows: int  # rows read: at most regcore.data.MAX_ROWS, a seeded sample of a longer file
    n_file: int  # the file's data rows


def _store(data: bytes) -> Path:
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    path = UPLOAD_DIR / f"{hashlib.sha256(data).hexdigest()}.csv"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        old = sorted(UPLOAD_DIR.glob("*.csv"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-MAX_FILES]:
            stale.unlink(missing_ok=True)
    return path


@st.cache_data(max_entries=32, show_spinner=False)
def _inspect(data: bytes) -> tuple[tuple[str, ...], int, int]:
    """Columns, rows read and the file's data rows; raises ValueError for a file that does
    not parse (one with too many columns before its rows are read)."""
    read = read_frame_header(data)
    frame = read.frame
    if frame.shape[1] < 2:
        raise ValueError(
            f"the file has one column ({str(frame.columns[0])[:40]!r}): it needs at least one "
            "feature column besides the target; separate columns with commas, semicolons or tabs"
        )
    return tuple(frame.columns), len(frame), read.n_file


@st.cache_data(max_entries=32, show_spinner=False)
def _check(data: bytes, target: str, seed: int = 0) -> str | None:
    """None when the file trains with this target, else the message naming column and row."""
    try:
        read_csv_table(data, target, seed=seed)
    except ValueError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class TargetChoice:
    """The target column as last set, kept across files (not a widget's key)."""

    column: str | None = None
    path: str | None = None  # the file it was set on
    chosen: bool = False  # by the user or a link; False: a file's last column, by default


def target_for(
    columns: tuple[str, ...], path: str, current: str | None, last: TargetChoice
) -> tuple[str | None, TargetChoice]:
    """The target of a file: never a column the user did not choose, except a default
    while nothing was chosen.

    Args:
        columns: the file's columns.
        path: where the file is stored (its identity).
        current: the target box's value now (None when empty).
        last: the choice as the previous run left it.

    Returns:
        (the box's value, or None: the user must choose; the new ``TargetChoice``).
    """
    if current is not None and current != last.column:  # picked in the box, or by a link
        last = TargetChoice(column=current, path=path, chosen=True)
    if last.chosen:
        return (last.column if last.column in columns else None), last
    return columns[-1], TargetChoice(column=columns[-1], path=path)


def _target(prefix: str, up: Upload) -> tuple[str | None, str | None]:
    """Draw the target select of ``up``; (target, a caption) or (None, the question)."""
    k, s = f"{prefix}_data.target", f"{prefix}_target_choice"
    value, last = target_for(
        up.columns, up.path, st.session_state.get(k), st.session_state.get(s, TargetChoice())
    )
    st.session_state[s] = last
    # Written on every run, so the box always arrives with its value: a box the browser
    # draws afresh (after a new file) otherwise shows its first option while the server
    # holds another, and the next click sends that option back as if chosen.
    st.session_state[k] = value
    target = st.selectbox(
        "target column", up.columns, key=k, index=None, placeholder="choose the target column"
    )
    if target is None:
        return None, (
            f"{up.name} has no column {last.column!r}, the target chosen before: choose "
            "its target column in the sidebar"
        )
    if not last.chosen:
        return target, f"Target column **{target}**: the file's last column (choose another)."
    if last.path != up.path:
        return target, f"Target column **{target}**: kept from the earlier file."
    return target, None


def file_name(prefix: str, path: str | None) -> str | None:
    """The user's own name of the file the server stored at ``path`` (None: not known)."""
    return st.session_state.get(f"{prefix}_upload_names", {}).get(path) if path else None


@st.cache_data(max_entries=32, show_spinner=False)
def usable_rows(
    path: str, target: str, missing: str, seed: int = 0
) -> tuple[int | None, str | None]:
    """(rows the table keeps for this target and choice of missing values, None), or
    (None, the message) when it cannot be used so. A file longer than
    ``regcore.data.MAX_ROWS`` counts the rows of its sample drawn with ``seed``."""
    try:
        return len(load_table(path, target, missing, seed).y), None
    except ValueError as exc:
        return None, str(exc)


def csv_upload(prefix: str, seed: int = 0) -> tuple[Upload | None, str | None, str | None]:
    """Draw the uploader and the target select; ``seed``: the data seed (the rows of a file
    longer than ``regcore.data.MAX_ROWS`` that are read).

    A new file keeps the target chosen before when it has that column; otherwise the box
    is empty and the page asks for one (never a silent default).

    Returns:
        (upload, target, None) when the file is usable, else (upload or None, None, message).
    """
    k = f"{prefix}_data.target"
    if k in st.session_state:  # keep the choice while no box is drawn (no file, a bad file)
        st.session_state[k] = st.session_state[k]
    file = st.file_uploader(
        "CSV file (a table with one target column)",
        type=["csv"],
        key=f"{prefix}_upload",
        help="At most 10 MB. The task is inferred from the target: text labels or up to "
        "10 integer values mean classification, anything else regression. Text columns "
        "become 0/1 columns, identifier columns and rows without a target are left out, "
        "missing values are filled; a note under the settings lists every change.",
    )
    if file is None:
        return None, None, NO_FILE
    warm_tables()  # pandas reads it: imported once, under a lock
    data = file.getvalue()
    try:
        columns, n_rows, n_file = _inspect(data)
    except ValueError as exc:
        return None, None, f"{file.name}: {exc}"
    path = str(_store(data))
    up = Upload(path=path, name=file.name, columns=columns, n_rows=n_rows, n_file=n_file)
    # the user's name of each stored file: an exported config names it (ui.kit.exports)
    st.session_state.setdefault(f"{prefix}_upload_names", {})[up.path] = file.name
    target, note = _target(prefix, up)
    if target is None:
        return up, None, note
    if note:
        st.caption(note)
    problem = _check(data, target, seed)
    if problem:
        return up, None, f"{file.name}: {problem}"
    return up, target, None


def split_sizes(rows: int) -> tuple[int, int]:
    """The training and test sizes filled in for a table of ``rows`` usable rows: 80/20,
    each within its bound (``BOUNDS``), so a long file is never refused for a number the
    user did not type.
    """
    n_train = max(1, min(round(0.8 * rows), rows - 1, int(BOUNDS["data.n_train"][1])))
    n_test = max(1, min(rows - n_train, round(0.2 * rows), int(BOUNDS["data.n_test"][1])))
    return n_train, n_test


def data_seed(prefix: str) -> int:
    """The data seed as its field holds it now (drawn further down the sidebar): it picks
    the rows read from a file longer than ``regcore.data.MAX_ROWS``."""
    k = f"{prefix}_data.seed"  # ui.kit.widgets.key
    lo, hi = BOUNDS["data.seed"]
    for value in (st.session_state.get(k), st.session_state.get(f"{k}__last")):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if float(value).is_integer() and lo <= value <= hi:
                return int(value)
    return TrainConfig().data.seed
