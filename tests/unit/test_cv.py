"""k-fold cross-validation for λ: the folds, the one-standard-error rule, and the CV loss
against scikit-learn's ``cross_val_score`` over the same folds (DESIGN.md's λ mapping)."""

import math

import numpy as np
import pytest
import torch
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score

import regcore
from regcore.data import Stream, make_generator
from regcore.sweeps import cross_validate, kfold, one_se_index


@pytest.mark.parametrize(("n", "k"), [(20, 5), (42, 5), (23, 10)])
def test_cv_folds_are_sklearn_kfold_on_one_shuffled_order(n, k):
    order = torch.randperm(n, generator=make_generator(3, Stream.VALIDATION)).numpy()
    ours = kfold(n, k, seed=3)
    theirs = [order[val] for _, val in KFold(k).split(np.zeros((n, 1)))]
    assert [f.tolist() for f in ours] == [t.tolist() for t in theirs]
    assert sorted(torch.cat(ours).tolist()) == list(range(n))  # every row in one fold


def test_cv_one_se_rule_on_a_hand_made_curve():
    lams = [0.001, 0.01, 0.1, 1.0, 10.0]
    cv = [0.50, 0.40, 0.30, 0.33, 0.90]
    se = [0.01, 0.01, 0.05, 0.01, 0.01]
    assert one_se_index(lams, cv, se) == (2, 3)  # 0.33 ≤ 0.30 + 0.05; 0.90 is not
    assert one_se_index(lams, cv, [0.0] * 5) == (2, 2)  # no noise: the minimum itself
    assert one_se_index(lams, [math.nan, 0.2, math.inf, 0.25, 0.2], [0.1] * 5) == (1, 4)
    assert one_se_index(lams, [math.nan] * 5, se) == (None, None)


def test_cv_ridge_matches_sklearn_cross_val_score_on_the_same_folds():
    # converged full-batch gradient descent: the ridge solution of each fold's 32 rows
    n, k = 40, 5
    cfg = regcore.load_config(
        {
            "data": {
                "name": "linear",
                "n_train": n,
                "n_test": 50,
                "n_features": 5,
                "noise": 0.5,
                "true_w": 1.0,
            },
            "model": {"kind": "linear", "init": "zeros"},
            "reg": {"kind": "l2"},
            "optim": {"name": "sgd", "lr": 0.2, "batch_size": n, "epochs": 1500},
            "dtype": "float64",
        }
    )
    lams = [0.01, 0.3, 3.0]
    res = cross_validate(cfg, lams, folds=k)
    ds = regcore.make_dataset(cfg)
    order = torch.randperm(n, generator=make_generator(cfg.data.seed, Stream.VALIDATION))
    X, y = ds.X_train[order].numpy(), ds.y_train[order].numpy()
    n_fit = n - n // k
    for j, lam in enumerate(lams):
        scores = -cross_val_score(
            Ridge(alpha=n_fit * lam / 2), X, y, cv=KFold(k), scoring="neg_mean_squared_error"
        )
        np.testing.assert_allclose([f[j] for f in res.fold_loss], scores, rtol=1e-6)
        assert res.cv_loss[j] == pytest.approx(scores.mean(), rel=1e-6)
        assert res.cv_se[j] == pytest.approx(scores.std(ddof=1) / math.sqrt(k), rel=1e-5)
        # the refit on all 40 rows gives each choice's test loss
        w = Ridge(alpha=n * lam / 2).fit(ds.X_train.numpy(), ds.y_train.numpy())
        test = np.mean((w.predict(ds.X_test.numpy()) - ds.y_test.numpy()) ** 2)
        assert res.test_loss[j] == pytest.approx(test, rel=1e-6)
    c = res.choice()
    assert c["min"]["index"] == res.index_min and c["1se"]["lam"] >= c["min"]["lam"]


def test_cv_unequal_folds_and_a_sequential_config_run():
    base = {"data": {"n_train": 23}, "optim": {"epochs": 3}}
    res = cross_validate(base, [0.1, 1.0], folds=5)
    assert len(res.fold_loss) == 5 and all(math.isfinite(v) for v in res.cv_loss)
    seq = {
        "data": {"name": "moons", "n_train": 20},
        "model": {"kind": "mlp", "hidden": [4], "dropout": 0.2},
        "optim": {"epochs": 2, "batch_size": 20},
    }
    res = cross_validate(seq, [0.1], folds=5)  # dropout: one fit per model
    assert all(math.isfinite(v) for v in res.cv_loss + res.test_loss)


def test_cv_figure_marks_both_choices_on_a_log_axis():
    from regcore.figures import fig_cv_curve
    from regcore.sweeps import CVResult

    lams = [0.01, 0.1, 1.0, 10.0]
    cv = CVResult(
        lambdas=lams,
        folds=5,
        repeats=1,
        fold_loss=[[0.5, 0.3, 0.32, 0.9]] * 5,
        cv_loss=[0.5, 0.3, 0.32, 0.9],
        cv_se=[0.02, 0.03, 0.02, 0.05],
        test_loss=[0.55, 0.35, 0.33, 0.95],
        index_min=1,
        index_1se=2,
        n_train=20,
    )
    fig = fig_cv_curve(cv)
    names = [t.name for t in fig.data]
    assert names[0] == "5-fold CV loss ± 1 standard error" and len(fig.data) == 4
    assert list(fig.data[0].error_y.array) == [0.02, 0.03, 0.02, 0.05]
    assert "λ_min (lowest CV loss) = 0.1: test loss 0.35" in names
    assert "λ_1se (one standard error) = 1: test loss 0.33" in names
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
