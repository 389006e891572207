"""The peak memory of one upload is bounded: the 10 MB worst cases, in a fresh process.

``benchmarks/bench_upload_memory.py`` measures the page's whole upload path (figures in its
docstring); this test runs the engine's part of it — reading, planning, encoding and the
run's data set — on the two worst shapes the issue names: 100,000 columns, and a long
file of digits (786,432 rows).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.app.test_upload_large import ROWS, _digits_csv

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 250  # over the process's own baseline: issue 20's bound for an upload

CHILD = r"""
import json, resource, sys
import pandas, sklearn.compose, sklearn.impute, sklearn.preprocessing
import regcore
from regcore.data import load_table, read_csv_table
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = peak()
out = {}
try:
    read_csv_table(sys.argv[1], None)
except ValueError as exc:
    out["wide"] = str(exc)
table = read_csv_table(sys.argv[2], "y")
cfg = regcore.load_config({"data": {"name": "csv", "path": sys.argv[2], "target": "y",
                                    "n_train": 20000, "n_test": 8000}})
ds = regcore.make_dataset(cfg)
out["rows"] = [len(table.y), len(ds.y_train)]
out["peak_mb"] = peak() - base
print(json.dumps(out))
"""


def _wide(path: Path, n_cols: int = 100_000) -> None:
    header = ",".join(f"c{i}" for i in range(n_cols)) + "\n"
    row = ",".join("1" for _ in range(n_cols)) + "\n"
    path.write_text(header + row * ((10 * 2**20 - len(header)) // len(row)))


def _long(path: Path, n_rows: int = ROWS) -> None:
    path.write_bytes(_digits_csv(n_rows))  # 786,432 rows of 5 digits: 7.5 MB


def test_upload_memory_peak_of_the_worst_10_mb_files_is_bounded(tmp_path):
    wide, long = tmp_path / "wide.csv", tmp_path / "long.csv"
    _wide(wide)
    _long(long)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(wide), str(long)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "the CSV file has 100,000 columns: allowed at most 1,001" in out["wide"]
    assert out["rows"] == [40_000, 20_000]
    assert out["peak_mb"] <= PEAK_MB, out
