"""ISLR's tables, shipped as small files (``islr/README.md``: source, version, licence).

``credit`` and ``hitters`` are read exactly as an upload of the same file is
(``regcore.data.tables.load_table``): Credit's ``ID`` is left out as a row number, its
``Gender``, ``Student``, ``Married`` become 0/1 columns and ``Ethnicity`` three; Hitters'
59 players without a ``Salary`` are left out and ``League``, ``Division``, ``NewLeague``
become 0/1 columns (19 predictors). ``khan`` is the book's own split — 63 training and 20
test tumours, 2,308 genes, classes 1–4 — planned by the same code
(``regcore.data.prepare.plan_table``) from its four files.

Khan keeps all 2,308 genes: ``BOUNDS``' 1,000 caps the width of *generated* sets
(``data.n_features``), which khan does not read; its width is fixed by the book's file, and
a run's cost is still capped by ``MAX_WORK``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from regcore.data.prepare import TablePlan, plan_table
from regcore.data.tables import load_table

FILES = Path(__file__).parent / "islr"
TABLES = {"credit": ("Credit.csv", "Balance"), "hitters": ("Hitters.csv", "Salary")}
KHAN_SPLIT = (63, 20)


@functools.lru_cache(maxsize=4)
def islr_table(name: str) -> tuple[TablePlan, tuple[np.ndarray, np.ndarray] | None]:
    """The plan of ISLR table ``name`` and its fixed (train, test) row pools (None: any).

    Cached: the files never change; callers never modify a plan.
    """
    if name in TABLES:
        file, target = TABLES[name]
        return load_table(FILES / file, target), None
    if name != "khan":
        raise ValueError(f"{name!r} is not an ISLR table: choose one of credit, hitters, khan")
    import pandas as pd

    parts = []
    for split in ("train", "test"):
        X = pd.read_csv(FILES / f"Khan_x{split}.csv.gz")
        y = pd.read_csv(FILES / f"Khan_y{split}.csv")["x"].rename("y")
        parts.append(pd.concat([X, y], axis=1))
    frame = pd.concat(parts, ignore_index=True)
    note = "the book's own split: 63 training, 20 test tumours; all 2,308 genes"
    plan = plan_table(frame, "y", notes=(note,), max_features=frame.shape[1] - 1)
    n_train, n_test = KHAN_SPLIT
    return plan, (np.arange(n_train), np.arange(n_train, n_train + n_test))
