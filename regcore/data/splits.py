"""The validation split: one carving of the training data, shared by every choice.

Early stopping (regcore.train), the dropout page's choice of p
(regcore.experiments.dropout.rate_sweep) and the λ sweep's choice of λ (regcore.sweep) all hold out
the same samples: a share ``optim.val_fraction`` of the training split (at least
one sample), picked by one ``torch.randperm`` on the ``VALIDATION`` stream of
``data.seed``. The test split is never read here, so a choice made on validation
loss leaves the test loss an honest estimate of the chosen model.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from regcore.core import TrainConfig
from regcore.data.datasets import Dataset, Stream, make_generator


def split_val(cfg: TrainConfig, ds: Dataset) -> tuple[int, torch.Tensor]:
    """How many training samples are held out, and the order that picks them.

    Args:
        cfg: gives ``optim.val_fraction`` and ``data.seed``.
        ds: the data set; only the number of training rows is read.

    Returns:
        ``(n_val, order)``: ``order`` is a permutation of the ``n_train`` training
        rows; ``order[:n_val]`` is the validation split, ``order[n_val:]`` the rows
        the model fits.
    """
    n = ds.X_train.shape[0]
    n_val = max(1, round(n * cfg.optim.val_fraction))
    order = torch.randperm(n, generator=make_generator(cfg.data.seed, Stream.VALIDATION))
    return n_val, order


def carve_validation(cfg: TrainConfig, ds: Dataset) -> tuple[Dataset, Dataset]:
    """Split the training data into (fit set, validation set); the test set stays as is.

    Both returned sets keep ``ds``'s test split (and what is known of the truth); the
    validation one holds the held-out samples as its *training* tensors, so a model
    is evaluated on them with ``val.X_train`` / ``val.y_train``.

    Raises:
        ValueError: when ``data.n_train`` leaves no sample to fit.
    """
    n_val, order = split_val(cfg, ds)
    n = ds.X_train.shape[0]
    if n - n_val < 1:
        raise ValueError(
            f"data.n_train = {n} is too small to hold out a validation split: "
            "use at least 2 samples"
        )
    fit_idx, val_idx = order[n_val:], order[:n_val]
    return (
        replace(ds, X_train=ds.X_train[fit_idx], y_train=ds.y_train[fit_idx]),
        replace(ds, X_train=ds.X_train[val_idx], y_train=ds.y_train[val_idx]),
    )
