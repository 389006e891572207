"""Tables as people have them: each rule on a small table, against scikit-learn's own
transformers fitted on the same training rows, and the note saying exactly what was done."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import regcore
from regcore.data.encode import encode, table_rows
from regcore.data.tables import load_table, read_csv_table

TABLE = b"""ID,name,age,smoker,region,income,y
1,Ann,34,yes,north,52.5,1.5
2,Bob,,no,south,48.0,2.1
3,Cem,51,no,east,,3.3
4,Dia,28,yes,north,39.5,0.7
5,Eli,45,no,,61.0,
6,Fay,39,yes,south,44.0,1.9
7,Gus,62,no,east,58.5,2.8
8,Hal,30,no,north,41.0,1.1
9,Ida,47,yes,south,49.5,2.6
10,Jon,55,no,east,53.0,3.0
11,Kim,33,yes,north,38.0,0.9
12,Lee,41,no,south,47.5,2.2
"""


def _sklearn(frame: pd.DataFrame, train: np.ndarray, numeric: list[str], text: list[str]):
    """The reference: the same transformers, fitted on the same rows."""
    onehot = OneHotEncoder(drop="if_binary", handle_unknown="ignore", sparse_output=False)
    ct = ColumnTransformer(
        [
            ("n", SimpleImputer(strategy="mean"), numeric),
            ("t", make_pipeline(SimpleImputer(strategy="most_frequent"), onehot), text),
        ],
        verbose_feature_names_out=False,
    )
    ct.fit(frame.iloc[train])
    return ct.transform(frame), tuple(ct.get_feature_names_out())


def _reference_frame() -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(TABLE))
    frame = frame[frame.y.notna()].reset_index(drop=True)  # rows without a target: out
    return frame[["age", "income", "smoker", "region"]]


def test_tables_encoding_and_filling_match_sklearn_fitted_on_the_training_rows():
    plan = load_table(TABLE, "y")
    assert plan.numeric == ("age", "income") and plan.text == ("smoker", "region")
    train = np.arange(8)  # the first 8 kept rows train; the imputer sees only them
    enc = encode(plan, train, np.arange(len(plan.y)))
    want, names = _sklearn(_reference_frame(), train, ["age", "income"], ["smoker", "region"])
    np.testing.assert_allclose(enc.X, want)
    assert enc.feature_names == names
    assert names == ("age", "income", "smoker_yes", "region_east", "region_north", "region_south")
    ages = _reference_frame().age.to_numpy()
    assert enc.X[1, 0] == pytest.approx(np.nanmean(ages[:8]))  # Bob: the training mean


def test_tables_yes_no_is_one_column_and_many_values_one_each():
    enc = read_csv_table(TABLE, "y")
    smoker = enc.X[:, enc.feature_names.index("smoker_yes")]
    assert set(smoker) == {0.0, 1.0}
    assert sum(n.startswith("region_") for n in enc.feature_names) == 3


def test_tables_identifier_and_row_number_columns_are_left_out_and_said():
    table = read_csv_table(TABLE, "y")
    assert "name" not in table.feature_names and "ID" not in table.feature_names
    left = next(n for n in table.notes if n.startswith("left out: "))
    assert "'ID' (a row number: 1, 2, … in file order)" in left
    assert "'name' (an identifier: 11 different texts in 11 rows)" in left


def test_tables_missing_target_rows_are_left_out():
    plan = load_table(TABLE, "y")
    assert len(plan.y) == 11
    assert "1 of 12 rows have no y: left out (11 remain)" in plan.notes


def test_tables_drop_leaves_out_rows_with_a_missing_feature():
    plan = load_table(TABLE, "y", missing="drop")
    assert len(plan.y) == 9  # Bob (age), Cem (income) out; Eli had no target
    assert not plan.features.isna().any().any()
    assert any("2 rows with a missing feature value left out" in n for n in plan.notes)


def test_tables_no_header_is_detected_and_the_last_column_is_the_target():
    data = b"1.5,2,0.3\n2.5,1,0.7\n3.0,4,1.1\n4.5,3,1.6\n"
    table = read_csv_table(data, None)
    assert table.feature_names == ("x0", "x1") and table.X.shape == (4, 2)
    np.testing.assert_allclose(table.y, [0.3, 0.7, 1.1, 1.6])
    assert table.notes[0].startswith("no header row: the first line holds only numbers")
    assert "target: the last column, 'x2' (none was chosen)" in table.notes


def test_tables_a_column_that_becomes_too_many_says_the_count_and_the_limit():
    rows = "\n".join(f"{i % 7},c{i % 1100},{i * 0.1}" for i in range(2500))
    with pytest.raises(ValueError) as info:
        read_csv_table(f"a,code,y\n{rows}\n".encode(), "y")
    text = str(info.value)
    assert "after one-hot encoding the table has 1,101 feature columns" in text
    assert "allowed at most 1,000" in text and "'code' becomes 1,100" in text


def test_tables_a_few_non_numbers_in_a_numeric_column_are_missing_values():
    rows = "\n".join(f"{'?' if i == 7 else i * 1.5},{i % 3},{i * 0.2}" for i in range(30))
    table = read_csv_table(f"hp,cyl,y\n{rows}\n".encode(), "y")
    assert table.feature_names == ("hp", "cyl")
    assert any(
        n.startswith("hp: 1 cell that is not a number (such as '?' at line 9)") for n in table.notes
    )
    assert any("1 missing value filled" in n for n in table.notes)


def test_tables_unusable_tables_get_a_clear_message():
    with pytest.raises(ValueError, match="no usable feature column.*'name' .an identifier"):
        read_csv_table(("name,y\n" + "\n".join(f"p{i},{i % 3}.5" for i in range(12))).encode(), "y")
    with pytest.raises(ValueError, match="same value .'2'. in every row"):
        read_csv_table(b"a,y\n1,2\n3,2\n4,\n", "y")


def test_tables_note_lists_exactly_what_was_done(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(TABLE)
    cfg = regcore.load_config(
        {
            "data": {"name": "csv", "path": str(path), "target": "y", "n_train": 8, "n_test": 3},
            "optim": {"batch_size": 4},
        }
    )
    ds = regcore.make_dataset(cfg)
    assert ds.notes == (
        "1 of 12 rows have no y: left out (11 remain)",
        "target y: numbers, so a regression",
        "left out: 'ID' (a row number: 1, 2, … in file order); 'name' (an identifier: 11 "
        "different texts in 11 rows)",
        "two-valued text coded as one 0/1 column: smoker (no/yes → smoker_yes = 0/1)",
        "text one-hot encoded: region (3 values → 3 columns)",
        "2 missing values filled from the training rows (numbers: their mean; text: their "
        "most frequent value): age 1, income 1",
        "features standardized with the training rows' mean and standard deviation, and so "
        "is the target y",
    )
    assert ds.feature_names[2] == "smoker_yes" and ds.n_features == 6


def test_tables_run_fits_encoders_on_its_training_rows_only():
    """The run's rows: seeded; the imputer's mean is that of the training rows."""
    plan = load_table(TABLE, "y")
    g = torch.Generator().manual_seed(3)
    y, order, enc = table_rows(plan, 6, 5, g)
    age = plan.features.age.to_numpy(dtype=float)
    train_mean = np.nanmean(age[order[:6]])
    missing = np.flatnonzero(np.isnan(age[order]))
    assert len(missing) == 1 and enc.X[missing[0], 0] == pytest.approx(train_mean)
    np.testing.assert_array_equal(y, plan.y[order])


def test_tables_category_seen_only_in_test_rows_is_all_zeros():
    rows = [
        f"{i},{'a' if i < 6 else 'b'},{'c' if i == 9 else 'd' if i % 2 else 'e'},{i}.5"
        for i in range(10)
    ]
    plan = load_table(("x,g,h,y\n" + "\n".join(rows) + "\n").encode(), "y")
    enc = encode(plan, np.arange(6), np.arange(10))  # the training rows lack g = 'b', h = 'c'
    assert enc.feature_names == ("x", "g_a", "h_e")  # g: one value in training, h: two
    assert "test rows with a category the training rows lack, coded as all zeros: g 4, h 1" in (
        enc.notes
    )


def test_tables_notes_travel_in_the_exported_result(tmp_path):
    from regcore.links import export

    path = tmp_path / "t.csv"
    path.write_bytes(TABLE)
    cfg = {
        "data": {"name": "csv", "path": str(path), "target": "y", "n_train": 8, "n_test": 3},
        "optim": {"batch_size": 4, "epochs": 2},
    }
    result = regcore.fit(cfg)
    assert result.data_notes == regcore.make_dataset(regcore.load_config(cfg)).notes
    back = export.load_run_json(export.run_json(result))
    assert back.data_notes == result.data_notes and back.to_dict()["data_notes"][0].startswith(
        "1 of 12 rows have no y"
    )
    assert "data_notes" not in regcore.fit({"optim": {"epochs": 1}}).to_dict()  # generated data
