"""A table as people have it, made usable — never silently: one code path for an upload,
``data.name = "csv"`` and the bundled tables (ISLR's Credit, Hitters, Khan).

:func:`plan_table` decides what can be decided before the split, from the whole file:

- rows with a missing target are left out;
- a column is numeric when its cells are numbers (a few cells that are not, such as '?',
  are read as missing and named); a column named like an index ('ID', 'Unnamed: 0')
  counting 0 or 1, 2, 3, … in file order, or with a different whole number in every row,
  is left out, as is an empty column;
- a text column is left out when it is an identifier (a different value in more than
  half of its rows, at least 10, such as a name) or holds one value; any other is one-hot
  encoded;
- with ``data.missing = "drop"`` every row with a missing feature value is left out.

:func:`encode` fits scikit-learn's ``ColumnTransformer`` on the training rows only:
``SimpleImputer`` (numbers: the training mean; text: the training split's most frequent
value) and ``OneHotEncoder(drop="if_binary")`` (a yes/no column becomes one 0/1 column; a
category met only in test rows is all zeros). Every step adds a line to the table's note,
the one list the page shows and the result carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_CLASSES = 10  # a classification target's labels
MAX_FEATURES = 1_000  # feature columns after encoding: BOUNDS' largest data.n_features
MAX_FILE_COLUMNS = 1_001  # columns of a file, target included
ID_SHARE = 0.5  # a text column with a different value in more than this share of rows: an id
ID_MIN_ROWS = 10  # ... when it has at least this many values (a tiny table's texts are kept)
NUMBER_SHARE = 0.9  # numbers in at least this share of cells: numeric, the rest missing
MISSING = ("fill", "drop")  # data.missing


@dataclass(frozen=True)
class TablePlan:
    """A table's usable rows and columns, decided before the split."""

    features: Any  # DataFrame: kept rows × used columns (floats; text cells or NaN)
    y: np.ndarray  # (n,) float64 (regression) or int64 class indices
    task: str  # "regression" | "classification"
    class_names: tuple[str, ...]  # labels in index order; () for regression
    target: str
    numeric: tuple[str, ...]  # numeric feature columns, in file order
    text: tuple[str, ...]  # text feature columns to one-hot encode, in file order
    notes: tuple[str, ...]  # what was done so far, in words
    max_features: int = MAX_FEATURES  # feature columns allowed after encoding


@dataclass(frozen=True)
class Encoded:
    """Rows of a table as numbers, by encoders fitted on its training rows."""

    X: np.ndarray  # (rows, d) float64
    feature_names: tuple[str, ...]
    notes: tuple[str, ...]


def plan_table(
    frame: Any,
    target: str,
    missing: str = "fill",
    notes: tuple[str, ...] = (),
    max_features: int = MAX_FEATURES,
) -> TablePlan:
    """Decide the rows and the role of each column of ``frame`` (see the module docstring).

    Args:
        frame: a DataFrame of text cells (missing: NaN) or numbers, in file order.
        target: the target column's name.
        missing: ``"fill"`` or ``"drop"`` (rows with a missing feature value left out).
        notes: lines already said about the table (a missing header row).
        max_features: feature columns allowed after encoding (a bundled table's own width).

    Returns:
        A :class:`TablePlan`.

    Raises:
        ValueError: a table that cannot be used, naming what is wrong and what to do.
    """
    import pandas as pd

    _check_shape(frame, target, max(max_features + 1, MAX_FILE_COLUMNS))
    notes = list(notes)
    n_file = len(frame)
    raw_y = frame[target]
    has_y = ~raw_y.isna().to_numpy()
    if not has_y.any():
        raise ValueError(f"the target column {_shown(target)} is empty: pick another target")
    if not has_y.all():
        k = int((~has_y).sum())
        notes.append(f"{k:,} of {n_file:,} rows have no {target}: left out ({n_file - k:,} remain)")
        if has_y.sum() < 2:
            raise ValueError(
                f"only {int(has_y.sum())} row has a {target}: it needs at least 2 (one to "
                "train on, one to test on)"
            )
    # the file's line of each kept row (after the header); a sampled file's rows keep their
    # place in the file as the index (regcore.data.sample)
    lines = np.asarray(frame.index, dtype=np.int64)[has_y] + 2
    y, task, classes = _target(raw_y[has_y].reset_index(drop=True), target, lines)
    if task == "regression":
        notes.append(f"target {target}: numbers, so a regression")
    else:
        shown = ", ".join(classes[:10])
        notes.append(f"target {target}: {len(classes)} classes ({shown}), so a classification")
    cols: dict[str, Any] = {}
    numeric, text, left_out = [], [], []
    for name in (c for c in frame.columns if c != target):
        role, values, why = _column(frame[name], has_y, lines, name, notes)
        if role == "number":
            numeric.append(name)
        elif role == "text":
            text.append(name)
        else:
            left_out.append(f"{_shown(name)} ({why})")
            continue
        cols[name] = values
    if left_out:
        notes.append("left out: " + "; ".join(left_out))
    if not cols:
        raise ValueError(
            "the table has no usable feature column besides the target"
            + (f" (left out: {'; '.join(left_out)})" if left_out else "")
            + ": it needs at least one column of numbers or categories"
        )
    features = pd.DataFrame(cols)
    if missing == "drop":
        features, y = _drop_incomplete(features, y, notes)
    return TablePlan(
        features=features,
        y=y,
        task=task,
        class_names=classes,
        target=target,
        numeric=tuple(numeric),
        text=tuple(text),
        notes=tuple(notes),
        max_features=max_features,
    )


def _check_shape(frame: Any, target: str, most: int) -> None:
    if frame.shape[1] > most:
        raise ValueError(f"the CSV file has {frame.shape[1]:,} columns: allowed at most {most:,}")
    if target not in frame.columns:
        cols = ", ".join(str(c) for c in frame.columns[:20])
        raise ValueError(f"target column {target!r} is not in the CSV file: its columns are {cols}")
    if frame.shape[1] < 2:
        raise ValueError(
            f"the CSV file has one column ({_shown(frame.columns[0])}): it needs at least one "
            "feature column besides the target; columns are separated by commas, "
            "semicolons or tabs"
        )


def _column(col: Any, keep: np.ndarray, lines: np.ndarray, name: str, notes: list[str]):
    """(role, values of the kept rows, why left out) of one feature column."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(col):
        full = col.to_numpy(dtype=np.float64)
        cells = None
    else:
        cells = col.str.strip()
        full = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=np.float64)
    why = _numeric_id(full, name)
    if why:
        return "left", None, why
    values = full[keep]
    present = ~col[keep].isna().to_numpy()
    if not present.any():
        return "left", None, "empty"
    bad = present & np.isnan(values)
    if not bad.any() or bad.sum() <= (1 - NUMBER_SHARE) * present.sum():
        _finite(values, lines, name)
        if bad.any():
            first = int(np.argmax(bad))
            k = int(bad.sum())
            what = f"{k} cells that are not numbers" if k > 1 else "1 cell that is not a number"
            notes.append(
                f"{name}: {what} (such as {_shown(cells[keep].iloc[first])} at line "
                f"{lines[first]}) read as missing"
            )
        return "number", values, None
    texts = cells[keep].reset_index(drop=True)
    distinct = texts.nunique()
    if distinct == 1:
        return "left", None, f"one value, {_shown(texts.dropna().iloc[0])}, in every row"
    if present.sum() >= ID_MIN_ROWS and distinct > ID_SHARE * present.sum():
        return (
            "left",
            None,
            f"an identifier: {distinct:,} different texts in {present.sum():,} rows",
        )
    return "text", texts.to_numpy(dtype=object), None


ID_NAMES = re.compile(r"(|unnamed: \d+|id|index|row|rownames|#|no\.?|.*[ _]id)", re.IGNORECASE)


def _numeric_id(values: np.ndarray, name: str) -> str | None:
    """Why a column named like an index ('ID', 'Unnamed: 0', '') is one: it counts 0 or 1,
    2, 3, … in file order, or holds a different whole number in every row; else None (a
    day or a year counted so is a feature: its name says so)."""
    n = len(values)
    if n < 3 or not ID_NAMES.fullmatch(str(name).strip()) or np.isnan(values).any():
        return None
    if values[0] in (0.0, 1.0) and np.array_equal(values, values[0] + np.arange(n)):
        return f"a row number: {values[0]:.0f}, {values[0] + 1:.0f}, … in file order"
    if np.all(values == np.round(values)) and len(np.unique(values)) == n:
        return "an identifier: a different whole number in every row"
    return None


def _finite(values: np.ndarray, lines: np.ndarray, name: str) -> None:
    inf = np.isinf(values)
    if inf.any():
        row = int(np.argmax(inf))
        raise ValueError(
            f"column {_shown(name)} holds an infinite value at line {lines[row]}: features "
            "must be finite numbers"
        )


def _drop_incomplete(features: Any, y: np.ndarray, notes: list[str]):
    complete = ~features.isna().any(axis=1).to_numpy()
    k = int((~complete).sum())
    if not k:
        return features, y
    if complete.sum() < 2:
        raise ValueError(
            f"{k:,} of {len(y):,} rows have a missing feature value, leaving "
            f"{int(complete.sum())}: fill them instead (data.missing = 'fill')"
        )
    notes.append(
        f"{k:,} rows with a missing feature value left out (data.missing = 'drop'; "
        f"{int(complete.sum()):,} remain)"
    )
    return features[complete].reset_index(drop=True), y[complete]


def _target(values: Any, name: str, lines: np.ndarray) -> tuple[np.ndarray, str, tuple[str, ...]]:
    """The target as numbers or class indices, and the task it implies."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(values):
        numeric = values.astype(np.float64)
        values = values.astype(str)
    else:
        values = values.str.strip()
        numeric = pd.to_numeric(values, errors="coerce")
    if values.nunique() < 2:
        raise ValueError(
            f"the target column {_shown(name)} holds the same value ({_shown(values.iloc[0])}) "
            "in every row: there is nothing to learn; pick another target column"
        )
    if numeric.isna().any():  # text labels
        return _classes(values, tuple(sorted(str(v) for v in values.unique())), name)
    arr = numeric.to_numpy(dtype=np.float64)
    inf = ~np.isfinite(arr)
    if inf.any():
        row = int(np.argmax(inf))
        raise ValueError(
            f"the target column {_shown(name)} holds an infinite value at line {lines[row]} "
            f"({_shown(values.iloc[row])}): fill or drop it"
        )
    uniq = np.unique(arr)
    if np.all(arr == np.round(arr)) and len(uniq) <= MAX_CLASSES:
        classes = tuple(str(int(v)) for v in uniq)
        return _classes(pd.Series([str(int(v)) for v in arr]), classes, name)
    return arr, "regression", ()


def _classes(values: Any, classes: tuple[str, ...], name: str):
    if len(classes) > MAX_CLASSES:
        raise ValueError(
            f"the target column {_shown(name)} has {len(classes)} distinct text labels: a "
            f"classification target may have at most {MAX_CLASSES}"
        )
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[str(v)] for v in values], dtype=np.int64)
    return y, "classification", classes


def _shown(value: object, limit: int = 40) -> str:
    """A cell or header quoted for a message: the text itself, cut to ``limit``."""
    text = str(value)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "'" + text + "'"
