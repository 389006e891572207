"""Each misconception demo runs and its numbers make the point it claims."""

from __future__ import annotations

import torch
from torch import nn

from regcore.data.datasets import make_generator
from regcore.engine.models import SeededDropout
from regcore.experiments import misconceptions as m
from regcore.experiments import misconceptions_layers as ml


def test_misconception_weight_decay_equals_l2_not_l1():
    r = m.weight_decay_is_l2()
    assert r.values["diff_l2"] <= 1e-12
    assert r.values["diff_l1"] > 1e-2
    assert "is L2" in r.verdict


def test_misconception_l1loss_is_a_data_loss():
    r = m.l1loss_is_data_loss()
    v = r.values
    assert abs(v["l1loss"] - v["mean_abs_residual"]) < 1e-12
    assert abs(v["l1loss"] - v["weight_l1"]) > 0.1
    assert v["zeros_l1loss"] == 0 and v["zeros_penalty"] >= v["d"] // 4


def test_misconception_adam_l2_is_not_adamw_but_sgd_is():
    v = m.adam_l2_is_not_adamw().values
    assert v["diff_adam"] > 1e-2
    assert v["diff_sgd"] <= 1e-12


def test_misconception_subgradient_leaves_no_exact_zeros():
    v = m.subgradient_no_zeros().values
    assert v["zeros_subgradient"] == 0
    assert v["zeros_proximal"] >= v["d"] // 4


def test_misconception_dropout_scales_while_training_and_is_identity_in_eval():
    v = ml.dropout_scaling(p=0.5).values
    assert v["kept_value"] == 2.0 and v["eval_is_identity"] == 1.0
    assert abs(v["train_mean"] - 1.0) < 0.02 and abs(v["kept_fraction"] - 0.5) < 0.02
    assert v["old_convention_value"] == 0.5


def test_seeded_dropout_follows_torch_dropout_convention():
    x = torch.ones(1_000, dtype=torch.float64)
    ours = SeededDropout(0.25, make_generator(0, 3)).train()(x)
    with torch.random.fork_rng():  # torch's own layer needs the global generator: fenced off
        torch.manual_seed(0)
        theirs = nn.Dropout(0.25).train()(x)
    assert set(ours.unique().tolist()) == set(theirs.unique().tolist()) == {0.0, 1 / 0.75}


def test_misconception_batchnorm_differs_in_eval():
    v = ml.batchnorm_eval().values
    assert abs(v["train_mean"]) < 1e-12 and abs(v["train_std"] - 1.0) < 1e-4
    assert v["eval_once_diff"] > 1.0
    assert 0 < v["eval_later_diff"] < v["eval_once_diff"]


def test_misconception_torch_decays_biases_and_norm_parameters():
    v = ml.decays_biases_and_norms().values
    assert abs(v["mean_pred_groups"] - v["target_mean"]) < 1e-2
    assert v["target_mean"] - v["mean_pred_all"] > 0.1
    assert v["bias_all"] < v["bias_groups"] and v["gamma_all"] < v["gamma_groups"]


def test_misconception_lambda_on_test_is_optimistic_validation_is_not():
    v = ml.lambda_on_test(n_sets=400).values
    optimism_test = v["new_by_test"] - v["reported_by_test"]
    optimism_val = v["new_by_val"] - v["reported_by_val"]
    assert optimism_test > 0.2
    assert abs(optimism_val) < optimism_test / 3


def test_misconception_results_have_rows_and_a_verdict():
    for demo in (m.weight_decay_is_l2, ml.batchnorm_eval, ml.dropout_scaling):
        r = demo()
        assert r.rows and all(len(row) == 2 for row in r.rows)
        assert r.verdict.endswith(".")
