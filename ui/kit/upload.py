"""A user's CSV upload: checked once, stored under a server-chosen name, never a user path.

The file's bytes are saved as ``<sha256>.csv`` in one upload folder of this
process, so a config's ``data.path`` only ever names a file the server wrote (a
link can never carry a path: ``regcore.config.LINK_FORBIDDEN``). The folder keeps
at most ``MAX_FILES`` uploads, the oldest removed first.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from regcore.data import read_csv_table, read_frame

MAX_FILES = 200
UPLOAD_DIR = Path(tempfile.gettempdir()) / "reglab-uploads"
NO_FILE = (
    "No CSV file yet: upload one in the sidebar (at most 10 MB; numeric feature columns and "
    "one target column). A file the uploader marks in red was refused, e.g. as too big."
)


@dataclass(frozen=True)
class Upload:
    """An uploaded CSV file as stored on the server."""

    path: str  # where the server saved it
    name: str  # the user's file name, for display
    columns: tuple[str, ...]
    n_rows: int


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
def _inspect(data: bytes) -> tuple[tuple[str, ...], int]:
    """Columns and data-row count; raises ValueError for a file that does not parse."""
    frame = read_frame(data)
    if frame.shape[1] < 2:
        raise ValueError(
            f"the file has one column ({str(frame.columns[0])[:40]!r}): it needs at least one "
            "feature column besides the target; separate columns with commas, semicolons or tabs"
        )
    return tuple(frame.columns), len(frame)


@st.cache_data(max_entries=32, show_spinner=False)
def _check(data: bytes, target: str) -> str | None:
    """None when the file trains with this target, else the message naming column and row."""
    try:
        read_csv_table(data, target)
    except ValueError as exc:
        return str(exc)
    return None


def csv_upload(prefix: str) -> tuple[Upload | None, str | None, str | None]:
    """Draw the uploader and the target select.

    Returns:
        (upload, target, None) when the file is usable, else (upload or None, None, message).
    """
    file = st.file_uploader(
        "CSV file (numeric features, one target column)",
        type=["csv"],
        key=f"{prefix}_upload",
        help="At most 10 MB. The task is inferred from the target: text labels or up to "
        "10 integer values mean classification, anything else regression.",
    )
    if file is None:
        return None, None, NO_FILE
    data = file.getvalue()
    try:
        columns, n_rows = _inspect(data)
    except ValueError as exc:
        return None, None, f"{file.name}: {exc}"
    up = Upload(path=str(_store(data)), name=file.name, columns=columns, n_rows=n_rows)
    k = f"{prefix}_data.target"
    if st.session_state.get(k) not in columns:
        st.session_state[k] = columns[-1]
    target = st.selectbox("target column", columns, key=k)
    problem = _check(data, target)
    if problem:
        return up, None, f"{file.name}: {problem}"
    return up, target, None
