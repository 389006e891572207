"""The λ mappings the Learn page states, checked against scikit-learn at convergence."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, LogisticRegression, Ridge

import regcore
from regcore.experiments.mappings import from_sklearn_logistic
from regcore.sweeps.paths import exact_path


def _full_batch(data: dict, reg: dict, lr: float, epochs: int) -> regcore.TrainConfig:
    n = data["n_train"]
    return regcore.load_config(
        {
            "data": data,
            "model": {"init": "zeros"},
            "reg": reg,
            "optim": {"lr": lr, "batch_size": n, "epochs": epochs},
            "dtype": "float64",
        }
    )


def test_mapping_ridge_alpha_is_n_lambda_over_two():
    # our objective's exact minimizer; that training reaches it is proven once, in
    # test_train.py::test_train_l2_matches_closed_form_ridge
    lam = 0.4
    cfg = _full_batch(
        {"n_train": 50, "n_features": 8, "true_w": 1.0, "noise": 0.3},
        {"kind": "l2", "lam": lam},
        0.1,
        1,
    )
    w = np.array(exact_path(cfg, [lam]).coefs[0])
    ds = regcore.make_dataset(cfg)
    ridge = Ridge(alpha=50 * lam / 2, tol=1e-12).fit(ds.X_train, ds.y_train)
    np.testing.assert_allclose(w, ridge.coef_, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("l1_ratio", [0.3, 0.7])
def test_mapping_elastic_net_alpha_is_lambda_over_two(l1_ratio):
    lam = 0.2
    data = {
        "name": "sparse_linear",
        "n_train": 80,
        "n_features": 15,
        "true_w": 1.0,
        "noise": 0.3,
        "n_informative": 4,
    }
    cfg = _full_batch(data, {"kind": "elastic_net", "lam": lam, "l1_ratio": l1_ratio}, 0.1, 2000)
    w = np.array(regcore.fit(cfg).weights["linear1"])
    ds = regcore.make_dataset(cfg)
    enet = ElasticNet(alpha=lam / 2, l1_ratio=l1_ratio, tol=1e-12, max_iter=100_000)
    enet.fit(ds.X_train, ds.y_train)
    np.testing.assert_allclose(w, enet.coef_, rtol=0, atol=1e-6)
    assert set(np.flatnonzero(w)) == set(np.flatnonzero(enet.coef_))


def test_mapping_logistic_regression_c():
    """regcore.experiments.mappings.from_sklearn_logistic, L2. Binary: sklearn's one vector is
    v = w₁ − w₀ of our two-class softmax, λ = 2/(n·C). Multinomial: the same parametrization
    as ours, λ = 1/(n·C). (L1 and elastic net, binary: tests/unit/test_sklearn_sparsity.py.)"""
    data = {"name": "breast_cancer", "n_train": 400, "n_test": 169}
    s = from_sklearn_logistic(0.1, 400, "l2")
    assert s.lam == pytest.approx(0.05)
    W = np.array(regcore.fit(_full_batch(data, s.reg(), 1.0, 1000)).weights["linear1"])
    W = W.reshape(2, -1)
    ds = regcore.make_dataset(_full_batch(data, s.reg(), 1.0, 1))
    binary = LogisticRegression(C=0.1, tol=1e-12, max_iter=10_000)
    binary.fit(ds.X_train, ds.y_train)
    np.testing.assert_allclose(W[1] - W[0], binary.coef_[0], rtol=0, atol=1e-4)
    data = {"name": "digits", "n_train": 300, "n_test": 100}
    s = from_sklearn_logistic(1 / 15, 300, "l2", n_classes=10)
    assert s.lam == pytest.approx(0.05)
    W = np.array(regcore.fit(_full_batch(data, s.reg(), 1.0, 800)).weights["linear1"])
    ds = regcore.make_dataset(_full_batch(data, s.reg(), 1.0, 1))
    multi = LogisticRegression(C=1 / 15, tol=1e-12, max_iter=20_000)
    multi.fit(ds.X_train, ds.y_train)
    np.testing.assert_allclose(W.reshape(10, -1), multi.coef_, rtol=0, atol=1e-4)
