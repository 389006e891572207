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
from typing import Any, NamedTuple

import numpy as np

from regcore.data.encode import encode
from regcore.data.prepare import MAX_FILE_COLUMNS, TablePlan, plan_table
from regcore.data.sample import MAX_ROWS, chunk_rows, sample_chunks, sample_note

MAX_BYTES = 10 * 1024 * 1024


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
    source: str | bytes | Path | None, target: str | None, missing: str = "fill", seed: int = 0
) -> CsvTable:
    """Read a CSV file and make it usable (``regcore.data.prepare``), fitted on every row.

    This is the upload's check: a file that passes trains. A run fits the encoders on
    its training split only (``regcore.data.prepare.table_parts``).

    Args:
        source: a path, or the file's bytes (an upload).
        target: the name of the target column; None: the last column.
        missing: ``"fill"`` (missing features filled) or ``"drop"`` (such rows left out).
        seed: the data seed: which rows of a file longer than ``MAX_ROWS`` are read.

    Raises:
        ValueError: for a file that cannot be used, naming column, row and what to do.
    """
    plan = load_table(source, target, missing, seed)
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
    source: str | bytes | Path | None, target: str | None, missing: str = "fill", seed: int = 0
) -> TablePlan:
    """The file's :class:`regcore.data.prepare.TablePlan`: rows, column roles and target.

    A file longer than ``MAX_ROWS`` is read as a sample of that many rows drawn with
    ``seed`` (:mod:`regcore.data.sample`), and the note says so.
    """
    read = read_frame_header(_read_bytes(source), seed)
    frame = read.frame
    notes = []
    if read.n_file > len(frame):
        notes.append(sample_note(len(frame), read.n_file, seed))
    if read.no_header:
        notes.append(
            f"no header row: the first line holds only numbers, so it is read as data and "
            f"the columns are named x0 … x{frame.shape[1] - 1}"
        )
    if target is None:
        target = str(frame.columns[-1])
        notes.append(f"target: the last column, {_shown(target)} (none was chosen)")
    return plan_table(frame, target, missing, notes=tuple(notes))


class FileFrame(NamedTuple):
    """A CSV file read as text cells: its rows (a seeded sample of a long file) and shape."""

    frame: Any  # DataFrame of text cells (missing: NaN), indexed by each row's place in the file
    no_header: bool  # the first line held only numbers, so it was read as data
    n_file: int  # the file's data rows (more than len(frame) when sampled)


def read_frame(raw: bytes, seed: int = 0):
    """The file's text table (every cell a string, missing cells NaN), in plain-word errors.

    Handles a UTF-8 byte-order mark, UTF-16, Latin-1 / Windows-1252 text, and columns
    separated by commas, semicolons (then a decimal comma is read as a point), tabs or
    bars; a first line of numbers only is data, not a header (columns ``x0…``); refuses
    binary files (a spreadsheet, an image), files with more than ``MAX_FILE_COLUMNS``
    columns (before reading their rows) and files with fewer than two data rows, saying
    what was found. A file longer than ``MAX_ROWS`` rows gives a sample of that many,
    drawn with ``seed``.
    """
    return read_frame_header(raw, seed).frame


def read_frame_header(raw: bytes, seed: int = 0) -> FileFrame:
    """:func:`read_frame`'s table, whether the file had no header row, and its row count."""
    import pandas as pd

    text = decode_text(raw)
    if not text.strip():
        raise ValueError("the CSV file is empty: it needs a header row and at least 2 rows")
    head = _head_lines(text, 50)
    sep = sniff_delimiter("\n".join(head))
    _check_width(head, sep)
    data = text.encode("utf-8")
    del text
    options = dict(sep=sep, dtype=str, skipinitialspace=True, encoding="utf-8")
    try:
        names = pd.read_csv(io.BytesIO(data), nrows=0, **options).columns
        no_header = _numbers_only([_clean(c) for c in names], sep)
        with pd.read_csv(
            io.BytesIO(data),
            header=None if no_header else 0,
            chunksize=chunk_rows(len(names)),
            **options,
        ) as chunks:
            frame, n_file = sample_chunks(chunks, MAX_ROWS, seed)
    except pd.errors.EmptyDataError:
        raise ValueError(
            "the CSV file has no header row: its first line names the columns"
        ) from None
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ValueError(
            f"the CSV file cannot be parsed as a table: {_parser_words(exc)}"
        ) from None
    if n_file < 2:
        rows = "no data rows" if n_file == 0 else "1 data row"
        raise ValueError(
            f"the CSV file has {rows} under its header: it needs at least 2 (one to train "
            "on, one to test on)"
        )
    if no_header:
        frame.columns = [f"x{i}" for i in range(frame.shape[1])]
    else:
        frame.columns = [_clean(c) for c in frame.columns]
    if sep == ";" and _decimal_comma(frame):
        frame = frame.apply(lambda col: col.str.replace(",", ".", regex=False))
    return FileFrame(frame, no_header, n_file)


def _clean(name: object) -> str:
    return str(name).strip().lstrip("\ufeff")


def _head_lines(text: str, k: int) -> list[str]:
    """The first ``k`` lines of ``text``, without splitting the rest of it."""
    end = 0
    for _ in range(k):
        end = text.find("\n", end) + 1
        if not end:
            end = len(text)
            break
    return text[:end].splitlines()[:k]


def _check_width(head: list[str], sep: str) -> None:
    """Refuse a file with more columns than allowed before reading its rows."""
    try:
        first = next(csv.reader(head, delimiter=sep), [])
    except csv.Error:
        return  # a header field too long for the csv module: the parser says what is wrong
    if len(first) > MAX_FILE_COLUMNS:
        raise ValueError(
            f"the CSV file has {len(first):,} columns: allowed at most {MAX_FILE_COLUMNS:,} "
            f"(a target and up to {MAX_FILE_COLUMNS - 1:,} features)"
        )


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
