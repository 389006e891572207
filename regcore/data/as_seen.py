"""A data set as the model sees it, for another tool: one table, and the inputs' names."""

from __future__ import annotations

from regcore.core import TrainConfig
from regcore.data.datasets import Dataset, make_dataset


def dataset_frame(cfg: TrainConfig, ds: Dataset | None = None):
    """The data set as the model sees it: a DataFrame with split, x0…x{d−1}, y.

    Args:
        cfg: the run's config. ds: its data set, when already made.
    """
    import pandas as pd

    ds = ds if ds is not None else make_dataset(cfg)
    cols = [f"x{i}" for i in range(ds.n_features)]
    parts = []
    for split, X, y in (("train", ds.X_train, ds.y_train), ("test", ds.X_test, ds.y_test)):
        frame = pd.DataFrame(X.numpy(), columns=cols)
        frame.insert(0, "split", split)
        frame["y"] = y.numpy()
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def named(ds: Dataset) -> tuple[str, ...]:
    """The inputs' names when they say more than their position (not x0, x1, …)."""
    names = tuple(ds.feature_names)
    return () if names == tuple(f"x{i}" for i in range(len(names))) else names
