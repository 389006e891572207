"""ISLR's presets on the λ sweep reproduce what their texts state (islr_presets.SWEEP_PRESETS)."""

from __future__ import annotations

import numpy as np
import pytest

import regcore
from regcore.experiments import SWEEP_PRESETS, sweep_preset
from regcore.figures import inputs_kept
from regcore.sweeps import exact_path, fit_split, log_grid, sweep


def _run(name: str):
    cfg, s = sweep_preset(name)
    lams = log_grid(s["lam_min"], s["lam_max"], s["k"])
    res = sweep(cfg, lams)
    exact = exact_path(cfg, lams, data=fit_split(cfg)) if res.task == "regression" else None
    return res, exact


def _weights(res) -> np.ndarray:
    return np.array([next(iter(w.values())) for w in res.weights])


def test_islr_every_sweep_preset_states_its_sources_and_mapping():
    for item in SWEEP_PRESETS.values():
        assert item["ours"] and item["published"] and item["mapping"] and item["source"]


def test_islr_credit_ridge_shrinks_all_together_and_names_the_books_four():
    res, exact = _run("credit_ridge")
    assert not (_weights(res) == 0).any()  # ridge: no exact zeros at any λ
    top = np.argsort(-np.abs(np.array(exact.coefs)).max(0))[:4]
    assert {res.feature_names[j] for j in top} == {"Limit", "Income", "Rating", "Student_Yes"}
    c = res.choice()
    assert c["lam"] == pytest.approx(0.030, rel=0.05) and c["test_loss"] == pytest.approx(
        0.047, rel=0.05
    )


def test_islr_credit_lasso_order_on_the_fit_split():
    res, exact = _run("credit_lasso")
    names = [res.feature_names[j] for j, _ in exact.entries[:4]]
    assert names == ["Limit", "Rating", "Student_Yes", "Income"]
    lams = [lam for _, lam in exact.entries[:4]]
    np.testing.assert_allclose(lams, [1.70, 1.31, 0.596, 0.241], rtol=0.01)


def test_islr_hitters_ridge_keeps_all_19():
    res, _ = _run("hitters_ridge")
    c = res.choice()
    assert (_weights(res)[c["index"]] != 0).all()
    assert c["lam"] == pytest.approx(2.6, rel=0.05)
    assert c["test_loss"] == pytest.approx(0.42, rel=0.05)


def test_islr_hitters_lasso_keeps_six_at_the_validation_choice():
    res, exact = _run("hitters_lasso")
    c = res.choice()
    kept = {res.feature_names[j] for j in np.flatnonzero(_weights(res)[c["index"]])}
    assert kept == {"Hits", "Walks", "CRuns", "CRBI", "PutOuts", "Division_W"}
    assert c["lam"] == pytest.approx(0.156, rel=0.05)
    assert c["test_loss"] == pytest.approx(0.41, rel=0.05)
    first = [res.feature_names[j] for j, _ in exact.entries[:6]]
    assert first == ["CRBI", "Walks", "Hits", "PutOuts", "Division_W", "CRuns"]


def test_islr_khan_lasso_keeps_a_handful_of_genes():
    res, _ = _run("khan_lasso")
    kept, lams = inputs_kept(res), res.lambdas
    rows = zip(lams, kept, res.rows, strict=True)
    at = {round(lam, 3): (k, row["test_acc"]) for lam, k, row in rows}
    genes, acc = at[0.1]
    assert 20 <= genes <= 32 and acc == pytest.approx(1.0)  # 26 genes: 20 of 20
    genes, acc = at[0.251]
    assert 6 <= genes <= 12 and acc == pytest.approx(0.85)  # 9 genes: 17 of 20
    assert at[0.631][0] == 0
    c = res.choice()
    assert c["lam"] == pytest.approx(1e-3) and kept[c["index"]] == pytest.approx(1491, rel=0.05)


def test_islr_hitters_ten_fold_cv_keeps_six_then_three_predictors():
    """ISLR lab 6.5.2: λ by 10-fold cross-validation; the lasso refitted on the training
    players at λ_min and at the one-standard-error λ."""
    from regcore.sweeps import cross_validate, kept_inputs

    for name, lam_min, lam_1se in (("hitters_lasso", 0.116, 0.51), ("hitters_ridge", 1.16, 20.0)):
        cfg, s = sweep_preset(name)
        assert s["choose"] == "10-fold"
        cv = cross_validate(cfg, log_grid(s["lam_min"], s["lam_max"], s["k"]), folds=10)
        c = cv.choice()
        assert c["min"]["lam"] == pytest.approx(lam_min, rel=0.05)
        assert c["1se"]["lam"] == pytest.approx(lam_1se, rel=0.05)
        if name == "hitters_lasso":
            assert c["min"]["test_loss"] == pytest.approx(0.42, rel=0.05)
            names = regcore.make_dataset(cfg).feature_names
            kept = [{names[j] for j in js} for js in kept_inputs(cfg, [lam_min, lam_1se])]
            assert kept[0] == {"Hits", "Walks", "CRuns", "CRBI", "PutOuts", "Division_W"}
            assert kept[1] == {"Hits", "Walks", "CRBI"}
