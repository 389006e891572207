"""A user's CSV file read into a numeric table, with messages a person can act on.

The task is inferred from the target column: integer-valued with at most
``MAX_CLASSES`` distinct values, or non-numeric (text labels), means
classification; anything else is regression. Feature columns must be numeric
and complete; the first offending column (and row) is named.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_CLASSES = 10
MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 1_000


@dataclass(frozen=True)
class CsvTable:
    """Numeric features and target of a CSV file."""

    X: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) float64 (regression) or int64 class indices
    task: str  # "regression" | "classification"
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]  # labels in index order; () for regression


def read_csv_table(source: str | bytes | Path | None, target: str | None) -> CsvTable:
    """Read and check a CSV file.

    Args:
        source: a path, or the file's bytes (an upload).
        target: the name of the target column.

    Raises:
        ValueError: for an unreadable or empty file, an unknown target, a
            non-numeric feature column or a missing value, naming column and row.
    """
    raw = _read_bytes(source)
    if not target:
        raise ValueError("data.target is empty: name the CSV file's target column")
    frame = read_frame(raw)
    _check_shape(frame, target)
    features = [c for c in frame.columns if c != target]
    numeric = {col: _check_column(frame, col, numeric=True) for col in features}
    _check_column(frame, target, numeric=False)
    X = np.column_stack([numeric[c] for c in features]).astype(np.float64)
    y, task, classes = _target(frame[target], target)
    return CsvTable(X=X, y=y, task=task, feature_names=tuple(features), class_names=classes)


def read_frame(raw: bytes):
    """The file's text table (every cell a string, missing cells NaN), in plain-word errors.

    Handles a UTF-8 byte-order mark, UTF-16, Latin-1 / Windows-1252 text, and columns
    separated by commas, semicolons (then a decimal comma is read as a point), tabs or
    bars; refuses binary files (a spreadsheet, an image) and files with fewer than two
    data rows, saying what was found.
    """
    import pandas as pd

    text = decode_text(raw)
    if not text.strip():
        raise ValueError("the CSV file is empty: it needs a header row and at least 2 rows")
    sep = sniff_delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, skipinitialspace=True, engine="python"
        )
    except pd.errors.EmptyDataError:
        raise ValueError(
            "the CSV file has no header row: its first line names the columns"
        ) from None
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ValueError(
            f"the CSV file cannot be parsed as a table: {_parser_words(exc)}"
        ) from None
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    if sep == ";" and _decimal_comma(frame):
        frame = frame.apply(lambda col: col.str.replace(",", ".", regex=False))
    if len(frame) < 2:
        rows = "no data rows" if len(frame) == 0 else "1 data row"
        raise ValueError(
            f"the CSV file has {rows} under its header: it needs at least 2 (one to train "
            "on, one to test on)"
        )
    return frame


def decode_text(raw: bytes) -> str:
    """The file's bytes as text; ValueError in plain words for a file that is not text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError(
                "the CSV file starts like UTF-16 text but is not: save it as UTF-8"
            ) from None
    kind = _binary_kind(raw)
    if kind:
        raise ValueError(
            f"this file is not a CSV text file ({kind}): save it from your spreadsheet as "
            "“CSV (comma-separated)” and upload that"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # Latin-1 / Windows text: é, ö, ß


def _binary_kind(raw: bytes) -> str | None:
    head = raw[:4096]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if b"\x00" in head or controls > max(2, len(head) // 100):
        pos = next(i for i, b in enumerate(head) if b < 9 or 13 < b < 32)
        return f"it holds binary data, such as byte 0x{head[pos]:02x} at position {pos}"
    return None


_MAGIC = (
    (b"PK\x03\x04", "it looks like an Excel workbook or a zip archive"),
    (b"\xd0\xcf\x11\xe0", "it looks like an old Excel or Word file"),
    (b"%PDF", "it looks like a PDF document"),
    (b"\x89PNG", "it looks like a PNG image"),
    (b"\xff\xd8\xff", "it looks like a JPEG image"),
    (b"\x1f\x8b", "it looks like a gzip archive"),
)
DELIMITERS = (",", ";", "\t", "|")
_DELIM_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}


def sniff_delimiter(text: str) -> str:
    """The column separator: the one of ``DELIMITERS`` that splits the first lines into
    the same number (at least 2) of fields, the most fields winning; a comma when none."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_fields = ",", 1
    for sep in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=sep)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        agree = sum(c == counts[0] for c in counts) / len(counts)
        if agree >= 0.9 and counts[0] > best_fields:
            best, best_fields = sep, counts[0]
    return best


def _decimal_comma(frame) -> bool:
    """Whether a ;-separated file writes decimals with a comma ("2,5")."""
    sample = frame.head(50).stack().astype(str)
    return bool(sample.str.fullmatch(r"\s*[-+]?\d*,\d+([eE][-+]?\d+)?\s*").any())


def _parser_words(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unreadable"
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if m:
        want, line, saw = m.groups()
        return f"line {line} has {saw} fields where the header has {want}"
    if "end of data" in text or "EOF" in text:
        return 'a quote (") opens a cell and is never closed'
    return text[:200]


def _read_bytes(source: str | bytes | Path | None) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        if not source:
            raise ValueError("data.path is empty: data.name = 'csv' needs the CSV file to read")
        try:
            with open(source, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise ValueError(f"cannot read CSV file {str(source)!r}: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ValueError(
            f"the CSV file is larger than {MAX_BYTES // 2**20} MB: allowed at most that"
        )
    return data


def _check_shape(frame, target: str | None) -> None:
    if frame.shape[1] > MAX_COLUMNS + 1:
        raise ValueError(
            f"the CSV file has {frame.shape[1]} columns: allowed at most {MAX_COLUMNS + 1}"
        )
    if target not in frame.columns:
        cols = ", ".join(frame.columns[:20])
        raise ValueError(f"target column {target!r} is not in the CSV file: its columns are {cols}")
    if frame.shape[1] < 2:
        raise ValueError(
            f"the CSV file has one column ({_shown(frame.columns[0])}): it needs at least one "
            "feature column besides the target; columns are separated by commas, "
            "semicolons or tabs"
        )
    if frame.shape[0] < 2:
        raise ValueError(f"the CSV file has {frame.shape[0]} data rows: it needs at least 2")


def _check_column(frame, col: str, *, numeric: bool) -> np.ndarray | None:
    import pandas as pd

    values = frame[col]
    missing = values.isna().to_numpy()
    if missing.all():
        raise ValueError(f"column {_shown(col)} is empty (no value in any row): drop it")
    if missing.any():
        row = int(np.argmax(missing)) + 2  # the file's line: 1-based, after the header
        raise ValueError(f"column {_shown(col)} has a missing value at line {row}: fill or drop it")
    if not numeric:
        return None
    converted = pd.to_numeric(values.str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(converted)
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(
            f"column {_shown(col)} is not numeric: line {row + 2} holds "
            f"{_shown(values.iloc[row])}; features must be numbers"
        )
    inf = ~np.isfinite(converted)
    if inf.any():
        row = int(np.argmax(inf))
        raise ValueError(
            f"column {_shown(col)} holds an infinite value at line {row + 2} "
            f"({_shown(values.iloc[row])}): features must be finite numbers"
        )
    return converted


def _shown(value: object, limit: int = 40) -> str:
    """A cell or header quoted for a message: the text itself, cut to ``limit``."""
    text = str(value)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "'" + text + "'"


def _target(values, name: str) -> tuple[np.ndarray, str, tuple[str, ...]]:
    import pandas as pd

    values = values.str.strip()
    if values.nunique() < 2:
        raise ValueError(
            f"the target column {_shown(name)} holds the same value ({_shown(values.iloc[0])}) "
            "in every row: there is nothing to learn; pick another target column"
        )
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.isna().any():  # text labels
        classes = tuple(sorted(str(v) for v in values.unique()))
        return _classes(values, classes, name)
    arr = numeric.to_numpy(dtype=np.float64)
    inf = ~np.isfinite(arr)
    if inf.any():
        row = int(np.argmax(inf))
        raise ValueError(
            f"the target column {_shown(name)} holds an infinite value at line {row + 2} "
            f"({_shown(values.iloc[row])}): fill or drop it"
        )
    uniq = np.unique(arr)
    if np.all(arr == np.round(arr)) and len(uniq) <= MAX_CLASSES:
        classes = tuple(str(int(v)) for v in uniq)
        return _classes(pd.Series([str(int(v)) for v in arr]), classes, name)
    return arr, "regression", ()


def _classes(
    values, classes: tuple[str, ...], name: str
) -> tuple[np.ndarray, str, tuple[str, ...]]:
    if len(classes) > MAX_CLASSES:
        raise ValueError(
            f"the target column {_shown(name)} has {len(classes)} distinct text labels: a "
            f"classification target may have at most {MAX_CLASSES}"
        )
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[str(v)] for v in values], dtype=np.int64)
    return y, "classification", classes
