"""The sweep page's click on the loss curve maps to the nearest λ on the log scale."""

from ui.sweep.view import clicked_index

LAMS = [1e-3, 1e-2, 1e-1, 1.0]


def _event(x) -> dict:
    return {"selection": {"points": [{"x": x, "y": 1.0, "curve_number": 0}]}}


def test_clicked_index_nearest_on_the_log_scale():
    assert clicked_index(_event(0.01), LAMS) == 1
    assert clicked_index(_event(0.04), LAMS) == 2  # log-nearer to 0.1 than to 0.01
    assert clicked_index(_event(0.02), LAMS) == 1
    assert clicked_index(_event(50.0), LAMS) == 3


def test_clicked_index_ignores_no_click_and_odd_points():
    assert clicked_index({"selection": {"points": []}}, LAMS) is None
    assert clicked_index(None, LAMS) is None
    assert clicked_index(_event("abc"), LAMS) is None
    assert clicked_index(_event(0.0), LAMS) is None
    assert clicked_index(_event(0.1), []) is None


def test_diverged_note_names_the_lambdas_and_the_sgd_limit():
    import regcore
    from regcore.sweeps.lambda_sweep import SweepResult
    from ui.sweep.view import diverged_note

    cfg = regcore.load_config({"optim": {"lr": 0.1, "momentum": 0.9}})
    lams = [1.0, 10.0, 41.0, 64.0]
    rows = [{"lam": lam, "diverged": lam > 40} for lam in lams]
    res = SweepResult(config=cfg, lambdas=lams, rows=rows, weights=[{}] * 4)
    note = diverged_note(res)
    assert "λ ≥ 41 (2 of 4 strengths)" in note
    assert "beyond 3.8 (2(1 + momentum) with momentum 0.9; here λ > 38)" in note
    decoupled = SweepResult(
        config=cfg.replace(**{"reg.kind": "weight_decay"}), lambdas=lams, rows=rows, weights=[]
    )
    assert "beyond 2 (2 for plain SGD; here λ > 20)" in diverged_note(decoupled)
    calm = [{"lam": lam, "diverged": False} for lam in lams]
    assert diverged_note(SweepResult(config=cfg, lambdas=lams, rows=calm, weights=[])) is None


def test_underflow_note_explains_exact_zeros_under_l2():
    import regcore
    from regcore.sweeps.lambda_sweep import SweepResult
    from ui.sweep.view import underflow_note

    cfg = regcore.load_config({"optim": {"lr": 0.1}})
    rows = [{"lam": 1.0, "zero_fraction": 0.0}, {"lam": 10.0, "zero_fraction": 0.4}]
    res = SweepResult(config=cfg, lambdas=[1.0, 10.0], rows=rows, weights=[])
    assert "underflow" in underflow_note(res) and "λ ≈ 10 at lr 0.1" in underflow_note(res)
    l1 = SweepResult(
        config=cfg.replace(**{"reg.kind": "l1"}), lambdas=[1.0, 10.0], rows=rows, weights=[]
    )
    assert underflow_note(l1) is None  # L1's zeros are the real thing
    none_zero = [{"lam": 1.0, "zero_fraction": 0.0}]
    calm = SweepResult(config=cfg, lambdas=[1.0], rows=none_zero, weights=[])
    assert underflow_note(calm) is None


def test_sweep_view_live_leaves_out_diverging_lambdas() -> None:
    import math

    from regcore.core.results import SweepProgress
    from ui.sweep.view import without_diverging

    ev = SweepProgress(
        epoch=5,
        epochs=10,
        lambdas=(0.01, 0.1, 1.0),
        train_loss=(1e34, 0.02, 0.5),
        test_loss=(1e35, 0.05, 0.6),
        weight_l2=(1e17, 1.0, 0.1),
        zero_fraction=(0.0, 0.0, 0.0),
        seconds=0.1,
        coefs=((1e17, -1e17), (0.5, 0.1), (0.01, 0.0)),
    )
    shown, n = without_diverging(ev)
    assert n == 1 and math.isnan(shown.train_loss[0]) and math.isnan(shown.coefs[0][0])
    assert shown.train_loss[1:] == (0.02, 0.5) and shown.coefs[1] == (0.5, 0.1)
    calm = ev.__class__(**{**ev.__dict__, "train_loss": (0.01, 0.02, 0.5)})
    assert without_diverging(calm) == (calm, 0)
