"""Models: dropout, normalization layers, which parameters are penalized."""

import pytest
import torch
from torch import nn

import regcore
from regcore.data.datasets import Stream, make_generator
from regcore.engine.models import SeededDropout, build_model, penalized_parameters


def _model(**model):
    cfg = regcore.load_config({"data": {"name": "moons", "n_train": 40}, "model": model})
    return build_model(
        cfg,
        2,
        2,
        init=make_generator(0, Stream.INIT),
        dropout=make_generator(0, Stream.DROPOUT),
        regression=False,
    )


def test_models_dropout_is_identity_in_eval_and_scales_in_train():
    drop = SeededDropout(0.5, torch.Generator().manual_seed(0))
    x = torch.ones(1000, 50)
    drop.eval()
    assert torch.equal(drop(x), x)
    drop.train()
    out = drop(x)
    assert set(out.unique().tolist()) == {0.0, 2.0}
    assert abs(out.mean().item() - 1.0) < 0.05


def test_models_mlp_with_dropout_is_deterministic_in_eval():
    model = _model(kind="mlp", hidden=[32], dropout=0.5).eval()
    x = torch.randn(8, 2)
    assert torch.equal(model(x), model(x))


def test_models_batchnorm_uses_running_statistics_in_eval():
    model = _model(kind="mlp", hidden=[16], norm="batch")
    bn = next(m for m in model if isinstance(m, nn.BatchNorm1d))
    x = torch.randn(64, 2) * 3 + 1
    model.train()
    model(x)
    model.eval()
    h = model[0](x)
    expected = (h - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps) * bn.weight + bn.bias
    torch.testing.assert_close(model[1](h), expected)
    batch_stats = (h - h.mean(0)) / torch.sqrt(h.var(0, unbiased=False) + bn.eps)
    assert not torch.allclose(model[1](h), batch_stats, atol=1e-3)


@pytest.mark.parametrize("norm", ["layer", "group"])
def test_models_layer_and_group_norm_agree_in_train_and_eval(norm):
    model = _model(kind="mlp", hidden=[16, 8], norm=norm)
    x = torch.randn(10, 2)
    train_out = model.train()(x)
    eval_out = model.eval()(x)
    torch.testing.assert_close(train_out, eval_out)


def test_models_norm_and_bias_parameters_are_not_penalized():
    model = _model(kind="mlp", hidden=[16], norm="layer")
    weights = penalized_parameters(model, penalize_bias=False)
    assert [tuple(p.shape) for p in weights] == [(16, 2), (2, 16)]
    with_bias = penalized_parameters(model, penalize_bias=True)
    assert len(with_bias) == 4
    ln = next(m for m in model if isinstance(m, nn.LayerNorm))
    assert all(p is not ln.weight and p is not ln.bias for p in with_bias)


@pytest.mark.parametrize("norm", ["none", "batch", "instance", "group", "layer"])
def test_models_cnn_trains_on_digits(norm):
    cfg = regcore.load_config(
        {
            "data": {"name": "digits", "n_train": 64, "n_test": 32},
            "model": {"kind": "cnn", "norm": norm},
            "optim": {"name": "adam", "lr": 0.01, "batch_size": 16, "epochs": 2},
        }
    )
    res = regcore.fit(cfg)
    assert res.metrics["epochs_run"] == 2 and not res.diverged
    assert "conv1" in res.weights and "test_acc" in res.metrics


def test_models_penalize_bias_changes_the_penalty():
    base = {"optim": {"epochs": 1}, "reg": {"kind": "l2", "lam": 1.0}, "dtype": "float64"}
    off = regcore.fit(regcore.load_config(base))
    on = regcore.fit(regcore.load_config({**base, "reg": {**base["reg"], "penalize_bias": True}}))
    assert off.history["penalty"][0] != on.history["penalty"][0]


def test_models_batchnorm_skips_a_last_minibatch_of_one_and_refuses_batch_one():
    base = {
        "data": {"name": "moons", "n_train": 21},
        "model": {"kind": "mlp", "hidden": [8], "norm": "batch"},
        "optim": {"batch_size": 10, "epochs": 2},
    }
    res = regcore.fit(regcore.load_config(base))
    assert res.metrics["epochs_run"] == 2
    with pytest.raises(ValueError, match="optim.batch_size = 1 cannot train with model.norm"):
        regcore.load_config({**base, "optim": {"batch_size": 1}})
