"""Bias² + variance + noise matches the measured expected test error within sampling error."""

from __future__ import annotations

import pytest
import torch

import regcore
from regcore.sweeps.biasvar import bias_variance, fresh_datasets

CASES = {
    "linear": {"data": {"noise": 1.0, "n_train": 40, "n_features": 20}, "optim": {"epochs": 30}},
    "sparse_linear": {
        "data": {"name": "sparse_linear", "noise": 0.5, "n_train": 50, "n_features": 30},
        "reg": {"kind": "l1"},
        "optim": {"epochs": 30},
    },
    "polynomial": {
        "data": {"name": "polynomial", "n_features": 6, "n_train": 30, "noise": 0.3},
        "model": {"init": "zeros"},
        "optim": {"lr": 0.05, "epochs": 100},
    },
}


def _assert_identity(bv, k: int) -> None:
    """bias² + variance + noise is the total, and the measured error is within 4 SE of it."""
    total = bv.bias2[k] + bv.variance[k] + bv.noise
    assert bv.total[k] == pytest.approx(total)
    assert abs(bv.measured[k] - total) < 4 * bv.identity_se[k]


@pytest.mark.parametrize("name", list(CASES))
def test_biasvar_identity_holds_within_sampling_error(name):
    bv = bias_variance(CASES[name], [1e-3, 0.1, 1.0, 10.0], repeats=32)
    for k in range(4):
        _assert_identity(bv, k)
        # unbiased estimates: a bias² near 0 may dip below it by sampling error only
        assert bv.bias2[k] > -0.1 * bv.variance[k] and bv.variance[k] >= 0


def test_biasvar_strong_penalty_trades_variance_for_bias():
    poly = {
        "data": {"name": "polynomial", "n_features": 10, "n_train": 15, "noise": 0.3},
        "model": {"init": "zeros"},
        "optim": {"lr": 0.05, "epochs": 300, "batch_size": 15},
    }
    bv = bias_variance(poly, [1e-4, 1.0], repeats=16)
    assert bv.variance[1] < bv.variance[0] and bv.bias2[1] > bv.bias2[0]
    assert bv.noise == pytest.approx(0.09)


def test_biasvar_fresh_sets_share_the_truth_and_the_test_inputs():
    cfg = regcore.load_config(CASES["sparse_linear"])
    sets, f = fresh_datasets(cfg, 3)
    truth = regcore.make_dataset(cfg).true_w
    assert all(torch.equal(s.true_w, truth) for s in sets)
    assert torch.equal(sets[0].X_test, sets[2].X_test)
    assert not torch.equal(sets[0].X_train, sets[1].X_train)
    assert torch.allclose(sets[0].X_test @ truth + cfg.data.true_b, f)


def test_biasvar_needs_a_known_truth():
    with pytest.raises(ValueError, match="data.name"):
        bias_variance({"data": {"name": "moons"}}, [0.1], repeats=4)


NET = {
    "data": {"name": "polynomial", "n_features": 1, "n_train": 30, "n_test": 60, "noise": 0.3},
    "model": {"kind": "mlp", "hidden": [32], "activation": "tanh"},
    "reg": {"kind": "none", "lam": 0.0},
    "optim": {"name": "adam", "lr": 0.01, "batch_size": 10, "epochs": 12},
}


def test_biasvar_identity_holds_for_an_mlp_with_dropout():
    from regcore.sweeps.biasvar import bias_variance_dropout

    done = []
    bv = bias_variance_dropout(NET, [0.0, 0.5], repeats=3, on_progress=lambda a, b: done.append(a))
    assert bv.over == "model.dropout" and bv.rates == [0.0, 0.5]
    assert done == list(range(1, 13))  # epochs of the 12 runs trained at once
    assert bv.repeats == 3 and bv.inits == 2
    for k in range(2):
        _assert_identity(bv, k)
        assert bv.variance[k] > 0
        assert bv.var_data[k] + bv.var_init[k] == pytest.approx(bv.variance[k])


def test_biasvar_over_lambda_accepts_normalized_mlps_sequentially():
    cfg = {**NET, "model": {**NET["model"], "norm": "layer", "dropout": 0.2}, "reg": {"kind": "l2"}}
    bv = bias_variance(cfg, [1e-3, 1.0], repeats=3)
    assert bv.over == "reg.lam" and bv.rates is None and len(bv.bias2) == 2
    for k in range(2):
        assert abs(bv.measured[k] - bv.total[k]) < 4 * bv.identity_se[k]


def test_bias_variance_marks_diverged_lambdas() -> None:
    import regcore
    from regcore.sweeps.biasvar import bias_variance

    # 5 features: the data loss is stable at lr 0.1; the penalty's own step lr·λ = 10 > 2 is not
    cfg = regcore.load_config({"data": {"n_features": 5}, "optim": {"lr": 0.1}})
    res = bias_variance(cfg, [1e-3, 100.0], repeats=2)
    assert res.diverged == [False, True]
    calm = bias_variance(regcore.load_config({}), [1e-3, 1.0], repeats=2)
    assert calm.diverged == [False, False]


def _synthetic(D: int, n_init: int, g: torch.Generator, b=0.5, sd_data=0.8, sd_init=0.3):
    """Predictions f + b + a_d + e_di: bias² b², var_data sd_data², var_init sd_init²."""
    K, m = 1, 50
    f = torch.randn(m, generator=g, dtype=torch.float64)
    a = sd_data * torch.randn(D, 1, K, m, generator=g, dtype=torch.float64)
    e = sd_init * torch.randn(D, n_init, K, m, generator=g, dtype=torch.float64)
    return f + b + a + e, f


def test_variance_split_sums_to_the_total_and_each_part_is_unbiased():
    from regcore.sweeps.decompose import decompose

    g = torch.Generator().manual_seed(0)
    sums = torch.zeros(3, dtype=torch.float64)
    n = 400
    for _ in range(n):
        pred, f = _synthetic(6, 3, g)
        y = f + 0.1 * torch.randn(6, f.numel(), generator=g, dtype=torch.float64)
        bv = decompose(pred, y, f, 0.01, False, lambdas=[1.0], rates=None, over="reg.lam")
        # (a) the data and init parts add up to the variance, and with bias² to the
        # plug-in mean squared deviation from the truth (the law of total variance)
        assert bv.var_data[0] + bv.var_init[0] == pytest.approx(bv.variance[0])
        plug_in = (pred - f).pow(2).mean().item()
        assert bv.bias2[0] + bv.variance[0] == pytest.approx(plug_in)
        sums += torch.tensor([bv.bias2[0], bv.var_data[0], bv.var_init[0]])
    # each estimate's mean over 400 draws is within a few standard errors of the truth
    assert (sums / n).tolist() == pytest.approx([0.25, 0.64, 0.09], abs=0.02)


def test_one_start_per_set_leaves_the_variance_unsplit():
    from regcore.sweeps.decompose import decompose

    pred, f = _synthetic(8, 1, torch.Generator().manual_seed(1))
    bv = decompose(pred, pred[:, 0, 0], f, 0.0, False, lambdas=[1.0], rates=None, over="x")
    assert bv.var_data is None and bv.var_init is None and bv.inits == 1
    assert bv.bias2[0] + bv.variance[0] == pytest.approx((pred - f).pow(2).mean().item())


def _demo():
    from regcore.sweeps import BIAS_VARIANCE_DEMO, BIAS_VARIANCE_DEMO_LAMBDAS, log_grid

    return bias_variance(BIAS_VARIANCE_DEMO, log_grid(*BIAS_VARIANCE_DEMO_LAMBDAS), repeats=16)


def test_demo_draws_the_textbook_picture():
    """(b) bias² rises and variance falls with λ; (c) their sum has a U: its lowest point is
    inside the grid, clear of both ends by many standard errors; the identity holds."""
    bv = _demo()
    se = max(bv.identity_se)
    K = len(bv.lambdas)
    assert not any(bv.diverged) and bv.inits == 2 and bv.repeats == 16
    for k in range(K):
        _assert_identity(bv, k)
        assert bv.var_data[k] + bv.var_init[k] == pytest.approx(bv.variance[k])
    # (b) over the grid's ends, and step by step within noise
    assert bv.bias2[-1] > 3 * bv.bias2[0] and bv.variance[-1] < bv.variance[0] / 5
    assert all(b2 >= b1 - se for b1, b2 in zip(bv.bias2, bv.bias2[1:], strict=False))
    assert all(v2 <= v1 + se for v1, v2 in zip(bv.variance, bv.variance[1:], strict=False))
    # the random start matters only at small λ: the data leave 10 of 30 directions free
    assert bv.var_init[0] > 0.5 and bv.var_init[-1] < 1e-3
    # (c) the U
    best = bv.best_index()
    assert 0 < best < K - 1
    assert min(bv.total[0], bv.total[-1]) - bv.total[best] > 10 * se


def test_textbook_default_variance_at_small_lambda_is_the_initialization():
    """On the weight-decay chapter's data the N(0, 1) start in the 180 directions 20 samples
    leave free is nearly all of the variance at small λ; weight decay removes it."""
    bv = bias_variance({}, [1e-4, 100.0], repeats=8)
    assert bv.var_init[0] > 0.95 * bv.variance[0] and bv.var_init[0] > 100
    assert bv.variance[1] < 0.01


def test_demo_link_opens_the_demo_with_its_chart_first():
    from regcore.links import SweepSettings, bias_variance_demo_link, bias_variance_demo_params
    from regcore.sweeps import BIAS_VARIANCE_DEMO, BIAS_VARIANCE_DEMO_LAMBDAS, log_grid

    params = bias_variance_demo_params()
    assert regcore.from_query(params) == regcore.load_config(BIAS_VARIANCE_DEMO)
    settings, problems = SweepSettings.from_params(params)
    assert not problems and settings.bias_variance and settings.first == "bias_variance"
    assert settings.lambdas() == pytest.approx(log_grid(*BIAS_VARIANCE_DEMO_LAMBDAS))
    assert bias_variance_demo_link().startswith("sweep?") and "sweep.first=" in (
        bias_variance_demo_link()
    )


def test_estimate_counts_every_start():
    from regcore.serve import bias_variance_dropout_work, bias_variance_work
    from regcore.serve.estimate import seconds_of

    cfg = regcore.load_config({})
    one, two = (seconds_of(bias_variance_work(cfg, 32, 16, i)) for i in (1, 2))
    assert two > 1.5 * one
    net = regcore.load_config(NET)  # trained at once: more models, shared steps
    one, two = (seconds_of(bias_variance_dropout_work(net, [0.0, 0.5], 4, i)) for i in (1, 2))
    assert two > one
    norm = net.replace(**{"model.norm": "layer"})  # one run after another
    one, two = (seconds_of(bias_variance_dropout_work(norm, [0.0, 0.5], 4, i)) for i in (1, 2))
    assert two > 1.8 * one
