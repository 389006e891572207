"""ISLR's Credit, Hitters and Khan: shipped files, read by the table code an upload uses."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

import regcore
from regcore.core import CATALOG
from regcore.data.islr import FILES, islr_table

CREDIT_NAMES = (
    "Income", "Limit", "Rating", "Cards", "Age", "Education", "Gender_Male", "Student_Yes",
    "Married_Yes", "Ethnicity_African American", "Ethnicity_Asian", "Ethnicity_Caucasian",
)  # fmt: skip


def _cfg(name: str, n_train: int, n_test: int):
    return regcore.load_config(
        {"data": {"name": name, "n_train": n_train, "n_test": n_test}, "optim": {"batch_size": 5}}
    )


def test_islr_files_are_isl_p_060_as_the_readme_says():
    readme = (FILES / "README.md").read_text()
    assert "version 0.6.0" in readme and "Redistribution and use" in readme
    for line in re.findall(r"\| `(\S+)` \| `(\S+)`[^|]*\| `([0-9a-f]{64})` \|", readme):
        here, _, digest = line
        data = (FILES / here).read_bytes()
        if here.endswith(".gz"):
            import gzip

            data = gzip.decompress(data)
        assert hashlib.sha256(data).hexdigest() == digest, here


def test_islr_credit_is_400_people_with_coded_categories():
    ds = regcore.make_dataset(_cfg("credit", 300, 100))
    assert ds.feature_names == CREDIT_NAMES and ds.task == "regression"
    assert ds.X_train.shape == (300, 12) and ds.X_test.shape == (100, 12)
    assert "left out: 'ID' (a row number: 1, 2, … in file order)" in ds.notes
    students = ds.X_train[:, CREDIT_NAMES.index("Student_Yes")]
    assert len(torch.unique(students)) == 2  # one 0/1 column, standardized
    with pytest.raises(ValueError, match="exceeds the 400 usable rows"):
        regcore.make_dataset(_cfg("credit", 350, 51))


def test_islr_hitters_is_263_players_with_19_predictors():
    plan, pools = islr_table("hitters")
    assert pools is None and len(plan.y) == 263 and plan.target == "Salary"
    ds = regcore.make_dataset(_cfg("hitters", 200, 63))
    assert ds.n_features == 19
    assert ds.feature_names[-3:] == ("League_N", "Division_W", "NewLeague_N")
    assert "59 of 322 rows have no Salary: left out (263 remain)" in ds.notes
    raw = pd.read_csv(FILES / "Hitters.csv").dropna(subset=["Salary"])
    assert sorted(plan.y) == sorted(raw.Salary)


def test_islr_khan_is_the_books_63_20_split_of_2308_genes():
    ds = regcore.make_dataset(_cfg("khan", 63, 20))
    assert ds.X_train.shape == (63, 2308) and ds.X_test.shape == (20, 2308)
    assert ds.task == "classification" and ds.n_classes == 4
    assert torch.bincount(ds.y_train).tolist() == [8, 23, 12, 20]  # classes 1-4, as the book
    assert torch.bincount(ds.y_test).tolist() == [3, 6, 6, 5]
    xtest = pd.read_csv(FILES / "Khan_xtest.csv.gz").to_numpy()
    xtrain = pd.read_csv(FILES / "Khan_xtrain.csv.gz").to_numpy()
    mu, sd = xtrain.mean(0), xtrain.std(0)
    want = np.sort(((xtest - mu) / sd)[:, 0])  # the test rows, scaled by the training rows
    np.testing.assert_allclose(np.sort(ds.X_test[:, 0].numpy()), want, rtol=1e-10)
    with pytest.raises(ValueError, match="exceeds the 63 rows of ISLR's Khan table's fixed"):
        regcore.make_dataset(_cfg("khan", 64, 19))


def test_islr_sets_are_in_the_catalog_with_their_widths():
    for name, width in (("credit", 12), ("hitters", 19), ("khan", 2308)):
        assert CATALOG[name].width == width
        ds = regcore.make_dataset(_cfg(name, 20, 10))
        assert ds.n_features == width


def test_islr_credit_reads_as_an_upload_of_the_same_file(tmp_path: Path):
    path = tmp_path / "Credit.csv"
    path.write_bytes((FILES / "Credit.csv").read_bytes())
    up = regcore.load_config(
        {
            "data": {"name": "csv", "path": str(path), "target": "Balance", "n_train": 300,
                     "n_test": 100},
            "optim": {"batch_size": 5},
        }
    )  # fmt: skip
    a, b = regcore.make_dataset(up), regcore.make_dataset(_cfg("credit", 300, 100))
    assert a.feature_names == b.feature_names
    torch.testing.assert_close(a.X_train, b.X_train, rtol=0, atol=0)
    torch.testing.assert_close(a.y_test, b.y_test, rtol=0, atol=0)
