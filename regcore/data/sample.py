"""A table longer than a run can use, read as a seeded sample of its rows, one chunk at a time.

A run trains on at most ``BOUNDS["data.n_train"]`` rows and tests on at most
``BOUNDS["data.n_test"]``, so a file with more rows than both together (``MAX_ROWS``) is
read as ``MAX_ROWS`` of them, drawn at random: never refused for a size the user did not
choose, and never held whole in memory. Each row gets a key, a hash of the data seed and
its place in the file (splitmix64's finaliser, a bijection on 64-bit words), and the rows
with the smallest keys are kept, in file order: a uniform sample without replacement that
depends on the file and the seed only — not on the chunk size or the library reading it —
so the page, an exported config and ``python -m regcore`` on the same file draw the same
rows. Memory is one chunk plus at most twice the sample.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from regcore.core import BOUNDS

MAX_TRAIN = int(BOUNDS["data.n_train"][1])
MAX_TEST = int(BOUNDS["data.n_test"][1])
MAX_ROWS = MAX_TRAIN + MAX_TEST  # rows of a file read: the most a run can use
CHUNK_CELLS = 200_000  # cells parsed at a time


def row_keys(seed: int, start: int, n: int) -> np.ndarray:
    """The sampling keys of rows ``start … start + n - 1`` of a file (uint64, all distinct).

    Args:
        seed: the data seed (``data.seed``).
        start: the first row's place among the file's data rows (0: the first).
        n: how many rows.
    """
    offset = np.uint64(((seed + 1) * 0x9E3779B97F4A7C15) % 2**64)
    z = np.arange(start, start + n, dtype=np.uint64) + offset
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def chunk_rows(n_columns: int) -> int:
    """Rows parsed at a time for a table of ``n_columns`` columns."""
    return max(100, CHUNK_CELLS // max(1, n_columns))


def sample_chunks(chunks: Iterable[Any], k: int, seed: int) -> tuple[Any, int]:
    """The rows of ``chunks`` with the ``k`` smallest :func:`row_keys`, in file order.

    Args:
        chunks: DataFrames, the file's data rows in order (``pandas.read_csv(chunksize=)``).
        k: rows to keep (every row when the file has at most ``k``).
        seed: the data seed.

    Returns:
        (the kept rows, indexed by their place in the file; the file's number of rows).
    """
    import pandas as pd

    parts: list[Any] = []
    keys: list[np.ndarray] = []
    held = n = 0
    for chunk in chunks:
        chunk.index = pd.RangeIndex(n, n + len(chunk))
        parts.append(chunk)
        keys.append(row_keys(seed, n, len(chunk)))
        held += len(chunk)
        n += len(chunk)
        if held > 2 * k:
            parts, keys = _smallest(parts, keys, k)
            held = k
    if not parts:
        return None, 0
    if held > k:
        parts, keys = _smallest(parts, keys, k)
    frame = parts[0] if len(parts) == 1 else pd.concat(parts)
    return frame, n


def _smallest(parts: list[Any], keys: list[np.ndarray], k: int):
    import pandas as pd

    frame = pd.concat(parts)
    every = np.concatenate(keys)
    keep = np.sort(np.argpartition(every, k - 1)[:k])  # positions, so file order
    return [frame.iloc[keep]], [every[keep]]


def sample_note(n_kept: int, n_file: int, seed: int) -> str:
    """The note's line for a sampled file."""
    return (
        f"{n_kept:,} of {n_file:,} rows, drawn at random; seed {seed} (the data seed): a run "
        f"uses at most {MAX_TRAIN:,} rows to train and {MAX_TEST:,} to test"
    )
