"""A user's CSV file read into a table of text cells, with messages a person can act on.

Reading only: the encoding, the column separator, a missing header row, binary files.
What is then done to the table to make it usable (text columns encoded, identifiers and
rows without a target left out, missing values filled) is ``regcore.data.prepare``'s.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from regcore.data.encode import encode
from regcore.data.prepare import TablePlan, plan_table

MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 1_000  # columns of a file; after encoding, prepare.MAX_FEATURES


@dataclass(frozen=True)
class CsvTable:
    """A table as the model sees it (encoders fitted on all its rows), and what was done."""

    X: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) float64 (regression) or int64 class indices
    task: str  # "regression" | "classification"
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]  # labels in index order; () for regression
    notes: tuple[str, ...] = ()  # every change made to the table, in words


def read_csv_table(
    source: str | bytes | Path | None, target: str | None, missing: str = "fill"
) -> CsvTable:
    """Read a CSV file and make it usable (``regcore.data.prepare``), fitted on every row.

    This is the upload's check: a file that passes trains. A run fits the encoders on
    its training split only (``regcore.data.prepare.table_parts``).

    Args:
        source: a path, or the file's bytes (an upload).
        target: the name of the target column; None: the last column.
        missing: ``"fill"`` (missing features filled) or ``"drop"`` (such rows left out).

    Raises:
        ValueError: for a file that cannot be used, naming column, row and what to do.
    """
    plan = load_table(source, target, missing)
    rows = np.arange(len(plan.y))
    enc = encode(plan, rows, rows)
    return CsvTable(
        X=enc.X,
        y=plan.y,
        task=plan.task,
        feature_names=enc.feature_names,
        class_names=plan.class_names,
        notes=plan.notes + enc.notes,
    )


def load_table(
    source: str | bytes | Path | None, target: str | None, missing: str = "fill"
) -> TablePlan:
    """The file's :class:`regcore.data.prepare.TablePlan`: rows, column roles and target."""
    frame, no_header = read_frame_header(_read_bytes(source))
    notes = []
    if no_header:
        notes.append(
            f"no header row: the first line holds only numbers, so it is read as data and "
            f"the columns are named x0 … x{frame.shape[1] - 1}"
        )
    if target is None:
        target = str(frame.columns[-1])
        notes.append(f"target: the last column, {_shown(target)} (none was chosen)")
    return plan_table(frame, target, missing, notes=tuple(notes))


def read_frame(raw: bytes):
    """The file's text table (every cell a string, missing cells NaN), in plain-word errors.

    Handles a UTF-8 byte-order mark, UTF-16, Latin-1 / Windows-1252 text, and columns
    separated by commas, semicolons (then a decimal comma is read as a point), tabs or
    bars; a first line of numbers only is data, not a header (columns ``x0…``); refuses
    binary files (a spreadsheet, an image) and files with fewer than two data rows,
    saying what was found.
    """
    return read_frame_header(raw)[0]


def read_frame_header(raw: bytes):
    """:func:`read_frame`'s table, and whether the file had no header row."""
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
    no_header = _numbers_only(frame.columns, sep)
    if no_header:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            skipinitialspace=True,
            engine="python",
            header=None,
        )
        frame.columns = [f"x{i}" for i in range(frame.shape[1])]
    if sep == ";" and _decimal_comma(frame):
        frame = frame.apply(lambda col: col.str.replace(",", ".", regex=False))
    if len(frame) < 2:
        rows = "no data rows" if len(frame) == 0 else "1 data row"
        raise ValueError(
            f"the CSV file has {rows} under its header: it needs at least 2 (one to train "
            "on, one to test on)"
        )
    return frame, no_header


def _numbers_only(names, sep: str) -> bool:
    """Whether a header row holds only numbers (then it is a data row)."""
    cells = [str(c).strip() for c in names]
    if sep == ";":
        cells = [c.replace(",", ".") for c in cells]
    try:
        return all(math.isfinite(float(c)) for c in cells)
    except ValueError:
        return False


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


def _shown(value: object, limit: int = 40) -> str:
    """A cell or header quoted for a message: the text itself, cut to ``limit``."""
    text = str(value)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "'" + text + "'"
