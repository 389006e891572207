"""Peak memory of one CSV upload: what the Playground does with a file, in a fresh process.

Each case writes a file of at most 10 MB (the upload limit) to a temporary folder, then
a subprocess imports what the server has loaded (Streamlit, regcore, pandas,
scikit-learn), takes its peak resident memory as the baseline, and runs the page's upload
path on the file: the uploader's inspection, the check with the target, the usable rows,
the note's data set (``make_dataset`` of the config the page fills in). It prints the
peak over that baseline, and the seconds the path took, or the message a refused file got.

    python benchmarks/bench_upload_memory.py            # every case
    python benchmarks/bench_upload_memory.py wide rows  # some of them
    python benchmarks/bench_upload_memory.py --root /path/to/other/checkout rows

Wall seconds on a shared machine are inflated by other processes: compare CPU seconds.
On the 2-core machine (before → after the sampled, chunked reader; MB over a baseline of
about 408 MB, CPU s): rows 271 → 61 MB, 13.1 → 2.1 s; rows10 303 → 74 MB, 16.0 → 2.4 s;
wide 356 → 47 MB, 13.8 → 0.15 s; cells 415 → 183 MB, 12.6 → 7.4 s.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 10 * 1024 * 1024


def _rows_file(path: Path, n_rows: int = 786_432, n_cols: int = 5) -> None:
    """The issue's file: 786,432 rows of single digits (7.5 MB at 5 columns)."""
    import numpy as np

    digits = np.random.default_rng(0).integers(0, 10, size=(n_rows, n_cols))
    header = ",".join([f"x{i}" for i in range(n_cols - 1)] + ["y"])
    body = "\n".join(",".join(map(str, r)) for r in digits.tolist())
    path.write_text(header + "\n" + body + "\n")


def _wide_file(path: Path, n_cols: int = 100_000) -> None:
    """100,000 columns, as many rows of 1s as fit in 10 MB."""
    header = ",".join(f"c{i}" for i in range(n_cols)) + "\n"
    row = ",".join("1" for _ in range(n_cols)) + "\n"
    n = max(1, (LIMIT - len(header)) // len(row))
    path.write_text(header + row * n)


def _cells_file(path: Path) -> None:
    """The most cells under the row cap: 40,000 rows × 85 columns of two digits."""
    import numpy as np

    n_rows, n_cols = 40_000, 85
    cells = np.random.default_rng(0).integers(10, 100, size=(n_rows, n_cols))
    header = ",".join([f"x{i}" for i in range(n_cols - 1)] + ["y"])
    body = "\n".join(",".join(map(str, r)) for r in cells.tolist())
    path.write_text(header + "\n" + body + "\n")


CASES = {
    "rows": (_rows_file, "786,432 rows × 5 columns of digits (the issue's 7.5 MB file)"),
    "rows10": (lambda p: _rows_file(p, 873_000, 6), "873,000 rows × 6 columns (10 MB)"),
    "wide": (_wide_file, "100,000 columns × 48 rows (10 MB)"),
    "cells": (_cells_file, "40,000 rows × 85 columns of two digits (10 MB)"),
}

CHILD = r"""
import json, resource, sys, time
import streamlit, pandas, sklearn.compose, sklearn.impute, sklearn.preprocessing
import regcore
from regcore.core import BOUNDS
from ui.kit import upload
def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
path = sys.argv[1]
data = open(path, "rb").read()
base = peak_mb()
t0, c0 = time.perf_counter(), time.process_time()
out = {"file_mb": round(len(data) / 2**20, 2)}
try:
    columns, n_rows = upload._inspect(data)[:2]
    stored = str(upload._store(data))
    target = columns[-1]
    problem = upload._check(data, target)
    if problem:
        raise ValueError(problem)
    cap, problem = upload.usable_rows(stored, target, "fill")
    if problem:
        raise ValueError(problem)
    n_train = max(1, min(round(0.8 * cap), cap - 1, int(BOUNDS["data.n_train"][1])))
    n_test = max(1, min(cap - n_train, round(0.2 * cap), int(BOUNDS["data.n_test"][1])))
    cfg = regcore.load_config({"data": {"name": "csv", "path": stored, "target": target,
                                        "n_train": n_train, "n_test": n_test}})
    ds = regcore.make_dataset(cfg)
    out["rows"] = [n_rows, cap, n_train, n_test]
    out["notes"] = [n for n in ds.notes if "rows" in n]
except ValueError as exc:
    out["refused"] = str(exc)[:160]
out["seconds"] = round(time.perf_counter() - t0, 2)
out["cpu_seconds"] = round(time.process_time() - c0, 2)
out["baseline_mb"] = round(base)
out["peak_over_baseline_mb"] = round(peak_mb() - base)
print(json.dumps(out))
"""


def main(names: list[str]) -> None:
    root = ROOT
    if names[:1] == ["--root"]:
        root, names = Path(names[1]).resolve(), names[2:]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(CASES):
            make, what = CASES[name]
            path = Path(tmp) / f"{name}.csv"
            make(path)
            run = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                cwd=root,
                capture_output=True,
                text=True,
                env={"PYTHONPATH": str(root), "TMPDIR": tmp, "PATH": "/usr/bin:/bin"},
            )
            if run.returncode:
                print(f"{name}: failed\n{run.stderr[-2000:]}")
                continue
            print(f"{name}: {what}\n  {json.loads(run.stdout.strip().splitlines()[-1])}")


if __name__ == "__main__":
    main(sys.argv[1:])
