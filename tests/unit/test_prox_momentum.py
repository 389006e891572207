"""Proximal L1 with SGD momentum converges to the stated objective J = data_loss + λ·Ω.

Heavy-ball SGD (v ← μ·v + g, w ← prox_t(w − lr·v)) settles at v = g/(1 − μ), so the
threshold is t = lr·λ·α/(1 − μ) (regcore.core.regularizers.kernel.l1_threshold); with
t = lr·λ·α the runs below ended at scikit-learn's lasso for λ·(1 − μ), 0.13 away from λ's.
"""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso

import regcore
from regcore.core import sgd_momentum, step_factors
from regcore.core.config import OptimConfig, RegConfig
from regcore.core.regularizers import l1_threshold
from regcore.engine import linear as fastpath

LAM = 0.2
DATA = {
    "name": "sparse_linear",
    "n_train": 60,
    "n_features": 12,
    "true_w": 1.0,
    "noise": 0.3,
    "n_informative": 4,
}
REGS = {
    "l1": ({"kind": "l1", "lam": LAM}, lambda: Lasso(alpha=LAM / 2)),
    "elastic_net": (
        {"kind": "elastic_net", "lam": LAM, "l1_ratio": 0.5},
        lambda: ElasticNet(alpha=LAM / 2, l1_ratio=0.5),
    ),
}


def test_l1_threshold_divides_by_one_minus_the_sgd_momentum():
    reg = RegConfig(kind="elastic_net", lam=0.3, l1_ratio=0.4)
    assert l1_threshold(reg, 0.1, 0.3) == pytest.approx(0.1 * 0.3 * 0.4)
    assert l1_threshold(reg, 0.1, 0.3, 0.75) == pytest.approx(0.1 * 0.3 * 0.4 / 0.25)
    f = step_factors(reg, 0.1, 0.3, momentum=0.75)
    assert f.threshold == pytest.approx(0.048) and f.l2 == pytest.approx(0.3 * 0.6)
    assert l1_threshold(RegConfig(kind="l1", l1_solver="subgradient"), 0.1, 0.3, 0.75) == 0.0


def test_sgd_momentum_is_sgds_setting_only():
    assert sgd_momentum(OptimConfig(name="sgd", momentum=0.9)) == 0.9
    assert sgd_momentum(OptimConfig(name="adam", momentum=0.9)) == 0.0
    assert sgd_momentum(OptimConfig(name="adamw", momentum=0.9)) == 0.0


@pytest.mark.parametrize("kind", list(REGS))
def test_prox_momentum_sgd_converges_to_sklearns_fit_at_the_same_lambda(kind, monkeypatch):
    reg, make = REGS[kind]
    cfg = regcore.load_config(
        {
            "data": DATA,
            "model": {"init": "zeros"},
            "reg": reg,
            "optim": {"lr": 0.05, "momentum": 0.9, "batch_size": 60, "epochs": 800},
            "dtype": "float64",
            "device": "cpu",
        }
    )
    assert_engines_reach_sklearn(cfg, make, monkeypatch)


def assert_engines_reach_sklearn(cfg, make, monkeypatch) -> None:
    """The linear fast path and the autograd loop both reach scikit-learn's coefficients
    (``make()``'s estimator on the same training split) with its support, and each other."""
    ds = regcore.make_dataset(cfg)
    ref = make().set_params(tol=1e-14, max_iter=100_000).fit(ds.X_train, ds.y_train).coef_
    assert fastpath.applies(cfg)
    fast = np.array(regcore.fit(cfg).weights["linear1"])
    with monkeypatch.context() as m:
        m.setattr(fastpath, "applies", lambda cfg: False)
        generic = np.array(regcore.fit(cfg).weights["linear1"])
    for w in (fast, generic):
        np.testing.assert_allclose(w, ref, rtol=0, atol=1e-12)
        assert set(np.flatnonzero(w)) == set(np.flatnonzero(ref))
    np.testing.assert_allclose(fast, generic, rtol=0, atol=1e-13)
