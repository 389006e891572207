"""A file longer than a run can use is read as a seeded sample, stated in the note; one with
too many columns is refused, by count and limit, before its rows are read."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import regcore
from regcore.cli import main
from regcore.core import BOUNDS
from regcore.data import MAX_ROWS, load_table, read_frame_header
from regcore.data import tables as tables_module
from regcore.data.sample import row_keys, sample_chunks
from regcore.links import portable_config
from ui.kit.upload import split_sizes


def _long_csv(n: int, seed: int = 0) -> bytes:
    """``n`` rows: a row number ``i`` (so each kept row says where it came from), a feature,
    a regression target."""
    x = np.random.default_rng(seed).normal(size=n).round(4)
    lines = "\n".join(f"{i},{v},{2 * v + 0.5:.4f}" for i, v in enumerate(x))
    return f"i,x,y\n{lines}\n".encode()


def test_csv_sample_row_keys_are_distinct_and_depend_on_the_seed_only():
    keys = row_keys(7, 0, 100_000)
    assert len(np.unique(keys)) == len(keys)
    np.testing.assert_array_equal(row_keys(7, 500, 10), keys[500:510])
    assert not np.array_equal(row_keys(8, 0, 1000), keys[:1000])


@pytest.mark.parametrize("size", [7, 100, 1000, 5000])
def test_csv_sample_is_the_same_whatever_the_chunk_size(size):
    frame = pd.DataFrame({"i": np.arange(5000)})
    chunks = (frame.iloc[s : s + size].copy() for s in range(0, 5000, size))
    kept, n = sample_chunks(chunks, 300, seed=3)
    whole, _ = sample_chunks([frame.copy()], 300, seed=3)
    assert n == 5000 and len(kept) == 300
    np.testing.assert_array_equal(kept["i"].to_numpy(), whole["i"].to_numpy())
    np.testing.assert_array_equal(kept.index.to_numpy(), kept["i"].to_numpy())  # file places
    assert np.all(np.diff(kept["i"].to_numpy()) > 0)  # file order


def test_csv_sample_is_uniform_over_the_file():
    kept, _ = sample_chunks([pd.DataFrame({"i": np.arange(100_000)})], 10_000, seed=0)
    counts = np.histogram(kept["i"], bins=10, range=(0, 100_000))[0]
    assert np.all(np.abs(counts - 1000) < 150), counts  # about 5 standard deviations


def test_csv_sample_a_long_file_is_read_to_the_bounds_and_said():
    n = MAX_ROWS + 10_000
    assert MAX_ROWS == BOUNDS["data.n_train"][1] + BOUNDS["data.n_test"][1]
    read = read_frame_header(_long_csv(n), seed=5)
    assert read.n_file == n and len(read.frame) == MAX_ROWS
    rows = read.frame["i"].astype(int).to_numpy()
    np.testing.assert_array_equal(rows, read.frame.index.to_numpy())
    plan = load_table(_long_csv(n), "y", seed=5)
    assert plan.notes[0] == (
        f"{MAX_ROWS:,} of {n:,} rows, drawn at random; seed 5 (the data seed): a run uses at "
        "most 20,000 rows to train and 20,000 to test"
    )
    again = read_frame_header(_long_csv(n), seed=5).frame
    other = read_frame_header(_long_csv(n), seed=6).frame
    assert again.equals(read.frame) and not other.index.equals(read.frame.index)


def test_csv_sample_a_file_within_the_bounds_is_read_whole():
    read = read_frame_header(_long_csv(1000), seed=5)
    assert read.n_file == 1000 and len(read.frame) == 1000
    assert not any("drawn at random" in s for s in load_table(_long_csv(1000), "y").notes)


def test_csv_sample_messages_name_the_line_in_the_file(monkeypatch):
    monkeypatch.setattr(tables_module, "MAX_ROWS", 50)
    data = _long_csv(1000)
    kept = read_frame_header(data, seed=2).frame.index.to_numpy()
    row = int(kept[10])  # a kept row: make its feature '?'
    lines = data.decode().splitlines()
    lines[row + 1] = f"{row},?,1.0"
    plan = load_table("\n".join(lines).encode(), "y", seed=2)
    assert f"x: 1 cell that is not a number (such as '?' at line {row + 2}) read as missing" in (
        plan.notes
    )


def test_csv_sample_the_exported_config_and_the_command_line_draw_the_same_rows(
    tmp_path, monkeypatch
):
    path = tmp_path / "stored.csv"  # the server's copy; the user's file is big.csv
    path.write_bytes(_long_csv(MAX_ROWS + 5000))
    cfg = regcore.load_config(
        {
            "data": {
                "name": "csv",
                "path": str(path),
                "target": "y",
                "n_train": 400,
                "n_test": 100,
                "seed": 9,
            }
        }
    )
    exported = json.loads(portable_config(cfg, "big.csv"))
    assert exported["data"]["seed"] == 9 and exported["data"]["path"] == "big.csv"
    (tmp_path / "big.csv").write_bytes(path.read_bytes())
    (tmp_path / "config.json").write_text(json.dumps(exported))
    monkeypatch.chdir(tmp_path)
    assert main(["data", "config.json", "--out", "seen.csv"]) == 0
    ds = regcore.make_dataset(cfg)  # what the page trains on
    assert any(
        f"{MAX_ROWS:,} of {MAX_ROWS + 5000:,} rows, drawn at random; seed 9" in s for s in ds.notes
    )
    seen = pd.read_csv(tmp_path / "seen.csv")
    train = seen[seen.split == "train"]
    np.testing.assert_allclose(train[["x0", "x1"]].to_numpy(), ds.X_train.numpy(), rtol=1e-6)
    np.testing.assert_allclose(train["y"].to_numpy(), ds.y_train.numpy(), rtol=1e-6)


def test_csv_sample_too_many_columns_refused_by_count_before_reading_rows():
    header = ",".join(f"c{i}" for i in range(100_000))
    row = ",".join("1" for _ in range(100_000))
    with pytest.raises(ValueError) as info:
        read_frame_header(f"{header}\n{row}\n{row}\n".encode())
    assert "the CSV file has 100,000 columns: allowed at most 1,001" in str(info.value)


@pytest.mark.parametrize("rows", [2, 3, 10, 263, 30_000, MAX_ROWS, 786_432])
def test_csv_sample_sizes_filled_in_are_within_bounds(rows):
    n_train, n_test = split_sizes(rows)
    assert 1 <= n_train <= BOUNDS["data.n_train"][1] and 1 <= n_test <= BOUNDS["data.n_test"][1]
    assert n_train + n_test <= rows
    if rows <= 25_000:
        assert n_train + n_test == rows  # 80/20 of a table within the bounds
