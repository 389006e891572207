"""First-layer weights as images: the mosaic's layout and one panel per run."""

import numpy as np

from regcore.experiments import Variant, compare
from regcore.figures import fig_unit_images
from regcore.figures.units import unit_mosaic


def test_figures_units_mosaic_tiles_units_one_pixel_apart():
    w = np.arange(3 * 4, dtype=float).reshape(3, 4)  # 3 units of 2 × 2
    m = unit_mosaic(w, (2, 2), per_row=2)
    assert m.shape == (5, 5)
    assert m[0:2, 0:2].tolist() == [[0, 1], [2, 3]] and m[0:2, 3:5].tolist() == [[4, 5], [6, 7]]
    assert m[3:5, 0:2].tolist() == [[8, 9], [10, 11]]
    assert np.isnan(m[2]).all() and np.isnan(m[:, 2]).all() and np.isnan(m[3:, 3:]).all()


def test_figures_units_one_panel_per_run_on_mnist():
    base = {
        "data": {"name": "mnist", "n_train": 100, "n_test": 50},
        "model": {"kind": "mlp", "hidden": [12], "activation": "sigmoid"},
        "optim": {"epochs": 1, "batch_size": 50},
    }
    res = compare(base, [Variant(kind="l1", lam=0.01), Variant(kind="l2", lam=0.01)])
    fig = fig_unit_images(res)
    assert [t.type for t in fig.data] == ["heatmap", "heatmap"]
    z = np.array(fig.data[0].z, dtype=float)
    assert z.shape == (2 * 29 - 1, 6 * 29 - 1)  # 12 units of 28 × 28 in two rows of six
    assert fig.data[0].zmid == 0 and "exact zeros" in fig.layout.annotations[0].text
