"""Train vs eval behaviour of each layer, against the formulas."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from regcore.engine.models import SeededDropout
from regcore.experiments.dropout.layers_probe import (
    dropout_conventions,
    first_dropout_input,
    probe_layers,
)


def _by_kind(probes, kind):
    return [p for p in probes if p.kind == kind]


def test_probe_layers_dropout_zeroes_p_and_scales_survivors_exactly():
    g = torch.Generator().manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 400), nn.ReLU(), SeededDropout(0.3, g), nn.Linear(400, 2))
    X = torch.randn(64, 4, generator=torch.Generator().manual_seed(1))
    (drop,) = _by_kind(probe_layers(net, X), "dropout")
    assert drop.extra["p"] == 0.3
    assert drop.extra["survivor_scale"] == pytest.approx(1 / 0.7, rel=1e-5)
    assert drop.extra["formula_scale"] == pytest.approx(1 / 0.7)
    # 64·400 units, about half alive after ReLU: the zeroed share is 0.3 ± 4 s.e.
    assert abs(drop.extra["zero_fraction"] - 0.3) < 4 * (0.3 * 0.7 / 12_000) ** 0.5
    assert drop.eval_mean == pytest.approx(
        _by_kind(probe_layers(net, X), "activation")[0].eval_mean
    )


def test_probe_layers_dropout_is_identity_in_eval_mode():
    net = nn.Sequential(nn.Linear(3, 8), SeededDropout(0.5, torch.Generator().manual_seed(0)))
    X = torch.randn(5, 3)
    probes = probe_layers(net, X)
    lin_eval = probes[0].eval_mean
    assert probes[1].eval_mean == pytest.approx(lin_eval)
    assert probes[1].max_abs_diff > 0  # train mode changed the activations


def test_probe_layers_batchnorm_uses_batch_stats_in_train_running_in_eval():
    torch.manual_seed(0)
    bn = nn.BatchNorm1d(3)
    bn.running_mean.copy_(torch.tensor([1.0, -2.0, 0.5]))
    bn.running_var.copy_(torch.tensor([4.0, 0.25, 1.0]))
    net = nn.Sequential(nn.Identity(), bn)
    X = torch.randn(32, 3, generator=torch.Generator().manual_seed(2), dtype=torch.float32) * 3 + 5
    probes = probe_layers(net, X)
    p = probes[1]
    assert p.kind == "batch"
    # train mode: batch statistics, so each feature has mean 0 and (biased) std 1
    assert p.train_mean == pytest.approx(0.0, abs=1e-5)
    assert p.train_std == pytest.approx(1.0, abs=1e-3)
    expected_eval = (X - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)
    assert p.eval_mean == pytest.approx(float(expected_eval.mean()), rel=1e-5)
    assert p.extra["batch_mean_avg"] == pytest.approx(float(X.mean(0).mean()), rel=1e-5)
    assert p.extra["running_mean_avg"] == pytest.approx(float(bn.running_mean.mean()))
    assert p.extra["batch_var_avg"] == pytest.approx(float(X.var(0, unbiased=False).mean()))
    # the probed copy leaves the model's running statistics untouched
    assert torch.equal(bn.running_mean, torch.tensor([1.0, -2.0, 0.5]))


@pytest.mark.parametrize("norm", [nn.LayerNorm(6), nn.GroupNorm(2, 6)])
def test_probe_layers_layer_and_group_norm_identical_in_both_modes(norm):
    net = nn.Sequential(nn.Linear(4, 6), norm)
    probes = probe_layers(net, torch.randn(8, 4))
    assert probes[1].max_abs_diff == 0.0
    assert probes[1].train_mean == probes[1].eval_mean


def test_dropout_conventions_expectations_match_test_activations():
    x = torch.rand(500, dtype=torch.float64) * 2
    c = dropout_conventions(x, 0.5, masks=4_000)
    assert c["inverted_test"] == pytest.approx(c["input"])
    assert c["original_test"] == pytest.approx(0.5 * c["input"])
    assert c["inverted_max_err"] < 5 * c["mc_se"]
    assert c["original_max_err"] < 5 * c["mc_se"] * 0.5 + 1e-12
    assert c["inverted_train_mc"] == pytest.approx(c["inverted_test"], rel=0.01)
    assert c["original_train_mc"] == pytest.approx(c["original_test"], rel=0.01)
    with pytest.raises(ValueError, match="dropout p"):
        dropout_conventions(x, 1.0)


def test_first_dropout_input_none_without_dropout():
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    assert first_dropout_input(net, torch.randn(4, 2)) is None
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), SeededDropout(0.2, torch.Generator()))
    p, x = first_dropout_input(net, torch.randn(4, 2))
    assert p == 0.2 and x.shape == (4, 3) and (x >= 0).all()
