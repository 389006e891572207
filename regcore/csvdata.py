"""A user's CSV file read into a numeric table, with messages a person can act on.

The task is inferred from the target column: integer-valued with at most
``MAX_CLASSES`` distinct values, or non-numeric (text labels), means
classification; anything else is regression. Feature columns must be numeric
and complete; the first offending column (and row) is named.
"""

from __future__ import annotations

import io
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
    import pandas as pd

    raw = _read_bytes(source)
    if not target:
        raise ValueError("data.target is empty: name the CSV file's target column")
    if not raw.strip():
        raise ValueError("the CSV file is empty: it needs a header row and at least 2 rows")
    try:
        frame = pd.read_csv(io.BytesIO(raw), skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise ValueError(f"the CSV file cannot be parsed: {first}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    _check_shape(frame, target)
    features = [c for c in frame.columns if c != target]
    for col in features:
        _check_column(frame, col, numeric=True)
    _check_column(frame, target, numeric=False)
    X = frame[features].to_numpy(dtype=np.float64)
    y, task, classes = _target(frame[target])
    return CsvTable(X=X, y=y, task=task, feature_names=tuple(features), class_names=classes)


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
        raise ValueError("the CSV file needs at least one feature column besides the target")
    if frame.shape[0] < 2:
        raise ValueError(f"the CSV file has {frame.shape[0]} data rows: it needs at least 2")


def _check_column(frame, col: str, *, numeric: bool) -> None:
    import pandas as pd

    values = frame[col]
    missing = values.isna().to_numpy()
    if missing.any():
        row = int(np.argmax(missing)) + 2  # the file's line: 1-based, after the header
        raise ValueError(f"column {col!r} has a missing value at line {row}: fill or drop it")
    if not numeric:
        return
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna().to_numpy() | ~np.isfinite(
        converted.to_numpy(dtype=float, na_value=np.nan)
    )
    if bad.any():
        row = int(np.argmax(bad)) + 2
        raise ValueError(
            f"column {col!r} is not numeric: line {row} holds {values.iloc[row - 2]!r}; "
            "features must be finite numbers"
        )
    frame[col] = converted


def _target(values) -> tuple[np.ndarray, str, tuple[str, ...]]:
    import pandas as pd

    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.isna().any():  # text labels
        classes = tuple(sorted(str(v) for v in values.unique()))
        return _classes(values.astype(str), classes)
    arr = numeric.to_numpy(dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ValueError("the target column holds a non-finite value (inf): fill or drop it")
    uniq = np.unique(arr)
    if np.all(arr == np.round(arr)) and len(uniq) <= MAX_CLASSES:
        classes = tuple(str(int(v)) for v in uniq)
        return _classes(pd.Series([str(int(v)) for v in arr]), classes)
    return arr, "regression", ()


def _classes(values, classes: tuple[str, ...]) -> tuple[np.ndarray, str, tuple[str, ...]]:
    if len(classes) > MAX_CLASSES:
        raise ValueError(
            f"the target column has {len(classes)} distinct labels: a classification "
            f"target may have at most {MAX_CLASSES}"
        )
    if len(classes) < 2:
        raise ValueError("the target column has a single value: it needs at least 2 classes")
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[str(v)] for v in values], dtype=np.int64)
    return y, "classification", classes
