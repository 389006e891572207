"""The MNIST-size MLP experiment (EXPERIMENTS.md §3) as comparison presets."""

import pytest

from regcore.experiments.compare_presets import COMPARISONS
from regcore.experiments.comparison import compare, summary


@pytest.mark.parametrize("name", ["mnist_mlp", "digits_mlp"])
def test_mlp_presets_use_the_source_settings(name):
    preset = COMPARISONS[name]
    cfgs = [v.apply(preset.config()) for v in preset.variants]
    for cfg in cfgs:
        assert cfg.model.kind == "mlp" and cfg.model.hidden == (200,)
        assert cfg.model.activation == "sigmoid" and not cfg.reg.penalize_bias
        o = cfg.optim
        assert (o.name, o.lr, o.batch_size, o.epochs, o.momentum) == ("sgd", 0.1, 64, 20, 0.0)
    assert [(c.reg.kind, c.reg.lam) for c in cfgs] == [("none", 0.0), ("l2", 0.01), ("l1", 1e-4)]
    assert cfgs[2].reg.l1_solver == "subgradient"  # the source adds λ·sign(W) to the gradient
    assert preset.reference == (0.9188, 0.8514, 0.8947) and preset.reference_note
    if name == "mnist_mlp":
        d = cfgs[0].data
        assert (d.name, d.n_train, d.n_features, d.n_classes) == ("classification", 20_000, 784, 10)


def test_mlp_presets_mnist_size_runs_its_three_configurations():
    preset = COMPARISONS["mnist_mlp"]
    res = compare(preset.config().replace(**{"optim.epochs": 1}), preset.variants)
    rows = summary(res)
    assert [r["status"] for r in rows] == ["done"] * 3
    none, l2, l1 = rows
    assert all(0.6 < r["test acc"] < 1.0 for r in rows)  # learns, not saturated
    assert l2["‖w‖₂"] < none["‖w‖₂"] and l1["‖w‖₁"] < none["‖w‖₁"]
