"""Data sets: every set builds, deterministically, with the documented shapes and truth."""

import numpy as np
import pytest
import torch

import regcore
from regcore.core.bounds import DATASETS
from regcore.core.catalog import CATALOG


def _cfg(**data):
    batch = min(5, data.get("n_train", 20))
    return regcore.load_config({"data": data, "optim": {"batch_size": batch}})


@pytest.mark.parametrize("name", [n for n in DATASETS if n != "csv"])
def test_data_every_set_builds_and_is_deterministic(name):
    width = {} if CATALOG[name].width else {"n_features": 10}  # only where the set reads it
    cfg = _cfg(name=name, n_train=30, n_test=20, **width)
    a, b = regcore.make_dataset(cfg), regcore.make_dataset(cfg)
    assert torch.equal(a.X_train, b.X_train) and torch.equal(a.y_test, b.y_test)
    assert a.X_train.shape[0] == 30 and a.X_test.shape[0] == 20
    assert torch.isfinite(a.X_train).all() and torch.isfinite(a.X_test).all()
    other = regcore.make_dataset(_cfg(name=name, n_train=30, n_test=20, **width, seed=1))
    assert not torch.equal(a.X_train, other.X_train)
    if a.task == "classification":
        assert a.y_train.dtype == torch.int64 and a.n_classes >= 2
    regcore.fit(cfg.replace(**{"optim.epochs": 1}), data=a)


def test_data_linear_truth_is_part_of_the_set():
    ds = regcore.make_dataset(_cfg())
    assert ds.true_w.shape == (200,) and torch.all(ds.true_w == 0.01) and ds.true_b == 0.05
    resid = ds.y_test - ds.y_test_clean
    assert 0.005 < resid.std().item() < 0.02


def test_data_sparse_linear_has_n_informative_nonzeros():
    ds = regcore.make_dataset(_cfg(name="sparse_linear", n_informative=7, true_w=2.0))
    assert int((ds.true_w != 0).sum()) == 7 and set(ds.true_w.abs().unique().tolist()) == {0, 2}


def test_data_classification_reaches_the_mnist_size():
    ds = regcore.make_dataset(
        _cfg(name="classification", n_train=20_000, n_test=100, n_features=784, n_classes=10)
    )
    assert ds.X_train.shape == (20_000, 784) and set(ds.y_train.unique().tolist()) == set(range(10))


def test_data_real_sets_are_standardized_and_bounded():
    ds = regcore.make_dataset(_cfg(name="digits", n_train=1000, n_test=797))
    assert ds.image_shape == (8, 8) and ds.n_classes == 10
    mean = ds.X_train.mean(0)
    assert torch.allclose(mean, torch.zeros_like(mean), atol=1e-9)
    with pytest.raises(ValueError, match="exceeds the 1797 samples"):
        regcore.make_dataset(_cfg(name="digits", n_train=1000, n_test=1000))
    diab = regcore.make_dataset(_cfg(name="diabetes", n_train=300, n_test=142))
    assert diab.task == "regression" and abs(diab.y_train.std(unbiased=False).item() - 1) < 1e-9


def test_data_csv_infers_the_task(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,b,label\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,dog\n")
    ds = regcore.make_dataset(_cfg(name="csv", path=str(path), target="label", n_train=3, n_test=1))
    assert ds.task == "classification" and ds.n_classes == 2 and ds.n_features == 2
    path.write_text("a,b,y\n1,2,0.5\n3,4,1.7\n5,6,2.2\n7,8,3.9\n")
    ds = regcore.make_dataset(_cfg(name="csv", path=str(path), target="y", n_train=3, n_test=1))
    assert ds.task == "regression"


@pytest.mark.parametrize(
    ("text", "target", "needle"),
    [
        ("", "y", "empty"),
        ("a,y\n1,2\n3,4\n", "z", "target column 'z' is not in the CSV file"),
        ("a,y\n1,2\n3,\n", "y", "only 1 row has a y"),
        ("a,y\n1,2\ninf,3\n", "y", "column 'a' holds an infinite value at line 3"),
        ("a,y\n1,2\n", "y", "at least 2"),
        ('a,y\n1,"2\n', "y", "cannot be parsed"),
    ],
)
def test_data_csv_errors_name_column_and_row(tmp_path, text, target, needle):
    path = tmp_path / "d.csv"
    path.write_text(text)
    cfg = _cfg(name="csv", path=str(path), target=target, n_train=1, n_test=1)
    with pytest.raises(ValueError, match=needle):
        regcore.make_dataset(cfg)


def test_data_csv_without_file_says_which_field_and_without_target_takes_the_last(tmp_path):
    with pytest.raises(ValueError, match="data.path is empty"):
        regcore.make_dataset(_cfg(name="csv"))
    path = tmp_path / "d.csv"
    path.write_text("a,b,c\n1,2,0.5\n3,4,1.7\n5,7,2.2\n")
    ds = regcore.make_dataset(_cfg(name="csv", path=str(path), n_train=2, n_test=1))
    assert ds.feature_names == ("a", "b")
    assert "target: the last column, 'c' (none was chosen)" in ds.notes


def test_data_csv_accepts_bytes():
    from regcore.data.tables import read_csv_table

    table = read_csv_table(b"x,y\n1,0.1\n2,0.3\n3,0.2\n", "y")
    np.testing.assert_allclose(table.X[:, 0], [1, 2, 3])


def test_data_frame_matches_what_the_model_sees():
    from regcore.data import dataset_frame

    cfg = _cfg(name="polynomial", n_train=10, n_test=5, n_features=3)
    frame = dataset_frame(cfg)
    ds = regcore.make_dataset(cfg)
    assert list(frame.columns) == ["split", "x0", "x1", "x2", "y"]
    np.testing.assert_allclose(
        frame[frame.split == "train"][["x0", "x1", "x2"]].to_numpy(), ds.X_train.numpy()
    )


def test_data_classification_is_an_mnist_like_stand_in():
    """Pixels in [−1, 1]; classes overlap: a nearest-centroid rule is far from perfect."""
    ds = regcore.make_dataset(
        _cfg(name="classification", n_train=2000, n_test=1000, n_features=784, n_classes=10)
    )
    assert float(ds.X_train.min()) >= -1.0 and float(ds.X_train.max()) <= 1.0
    centroids = torch.stack([ds.X_train[ds.y_train == c].mean(0) for c in range(10)])
    hits = torch.cdist(ds.X_test, centroids).argmin(1) == ds.y_test
    assert 0.6 < hits.double().mean().item() < 0.95
