"""Max-norm (regcore.core.regularizers.max_norm): the projection's closed form, its config
rules, and the same weights from every engine (autograd, the linear and MLP fast paths,
the batched sweep) in float64."""

from __future__ import annotations

import json
import sys

import pytest
import torch

import regcore
from regcore.batched import can_batch, train_batched
from regcore.batched.subspace import uses_subspace
from regcore.cli import main
from regcore.core.config import RegConfig
from regcore.core.regularizers import REGULARIZERS, omega, step_factors
from regcore.data.datasets import make_dataset
from regcore.engine import linear as fastpath
from regcore.engine.autograd import AUTOGRAD
from regcore.engine.mlp import MLP
from regcore.sweeps.lambda_sweep import sweep

TRAIN = sys.modules["regcore.engine.loop"]
TOL = {"rtol": 1e-10, "atol": 1e-12}
C = 0.3

LINEAR = {
    "data": {"name": "linear", "n_train": 20, "n_test": 15, "n_features": 30},
    "optim": {"lr": 0.01, "epochs": 8},
}
SOFTMAX = {
    "data": {"name": "classification", "n_train": 26, "n_test": 9, "n_features": 4, "n_classes": 3},
    "optim": {"batch_size": 6, "lr": 0.5, "epochs": 8},
}
MLP_CFG = {
    "data": {"name": "moons", "n_train": 40, "n_test": 20, "noise": 0.2},
    "model": {"kind": "mlp", "hidden": [12, 6], "activation": "tanh"},
    "optim": {"batch_size": 8, "lr": 0.3, "epochs": 8},
}
MLP_REGRESSION = {
    "data": {"name": "polynomial", "n_train": 23, "n_test": 15, "n_features": 4, "noise": 0.2},
    "model": {"kind": "mlp", "hidden": [9], "activation": "sigmoid"},
    "optim": {"batch_size": 5, "lr": 0.1, "epochs": 6},
}


def _cfg(base: dict, lam: float = C, **optim) -> regcore.TrainConfig:
    raw = {k: dict(v) for k, v in base.items()}
    raw["optim"] = {**raw["optim"], **optim}
    reg = {"kind": "max_norm", "lam": lam}
    return regcore.load_config({**raw, "reg": reg, "dtype": "float64", "device": "cpu"})


def _autograd(cfg: regcore.TrainConfig, monkeypatch) -> regcore.RunResult:
    with monkeypatch.context() as m:
        m.setattr(fastpath, "applies", lambda _cfg: False)
        m.setattr(TRAIN, "can_fast", lambda _cfg: False)
        assert TRAIN.pick_engine(cfg) is AUTOGRAD
        return regcore.fit(cfg)


def _assert_same_weights(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        torch.testing.assert_close(
            torch.as_tensor(a[name], dtype=torch.float64).flatten(),
            torch.as_tensor(b[name], dtype=torch.float64).flatten(),
            **TOL,
        )


def _batched(cfg: regcore.TrainConfig, lams: list[float], repeats: int = 1) -> list[dict]:
    """Per repeat and λ, the batched net's final weights by layer name."""
    cfgs = [
        cfg.replace(**{"seed": cfg.seed + r, "data.seed": cfg.data.seed + r})
        for r in range(repeats)
    ]
    out = train_batched(
        cfg, lams, [make_dataset(c) for c in cfgs], [c.seed for c in cfgs], torch.device("cpu")
    )
    return [
        {name: w[r, k] for name, w in zip(out.layer_names, out.weights, strict=True)}
        for r in range(repeats)
        for k in range(len(lams))
    ], cfgs


def _row_norms(weights: dict, units: int) -> torch.Tensor:
    """‖w_j‖₂ of every unit of the first layer."""
    first = torch.tensor(next(iter(weights.values())), dtype=torch.float64)
    return torch.linalg.vector_norm(first.reshape(units, -1), dim=1)


def test_max_norm_projection_scales_a_long_unit_to_c_and_leaves_a_short_one_alone():
    W = torch.tensor([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0], [-0.6, 0.8]], dtype=torch.float64)
    p = W.clone()
    step_factors(RegConfig(kind="max_norm", lam=1.0), 0.1, 1.0).after_step_(p)
    torch.testing.assert_close(
        p[0], torch.tensor([0.6, 0.8], dtype=torch.float64), rtol=2.3e-16, atol=0
    )
    assert torch.linalg.vector_norm(p[0]).item() == pytest.approx(1.0, rel=1e-15)
    assert torch.equal(p[1:], W[1:])  # inside the ball, at its centre, on its surface: untouched
    bias = torch.tensor([5.0, -7.0], dtype=torch.float64)
    step_factors(RegConfig(kind="max_norm", lam=1.0), 0.1, 1.0).after_step_(bias)
    assert torch.equal(bias, torch.tensor([5.0, -7.0], dtype=torch.float64))  # a bias: no unit


def test_max_norm_projects_each_conv_output_channel_and_takes_a_c_per_model():
    g = torch.Generator().manual_seed(0)
    conv = torch.randn(4, 3, 2, 2, generator=g, dtype=torch.float64)
    p = conv.clone()
    step_factors(RegConfig(kind="max_norm", lam=1.5), 0.1, 1.5).after_step_(p)
    before = torch.linalg.vector_norm(conv.flatten(1), dim=1)
    after = torch.linalg.vector_norm(p.flatten(1), dim=1)
    torch.testing.assert_close(after, before.clamp_max(1.5), rtol=1e-14, atol=0)
    # batched: models in the leading dimension, one c each, the same numbers as one by one
    cs = torch.tensor([0.5, 2.0, 100.0], dtype=torch.float64)
    rows = torch.randn(3, 5, 7, generator=g, dtype=torch.float64)
    many = rows.clone()
    f = step_factors(RegConfig(kind="max_norm"), 0.1, cs[:, None, None])
    f.units_(many)
    for k, c in enumerate(cs.tolist()):
        one = rows[k].clone()
        step_factors(RegConfig(kind="max_norm", lam=c), 0.1, c).units_(one)
        assert torch.equal(many[k], one)


def test_max_norm_is_a_constraint_not_a_penalty():
    reg = RegConfig(kind="max_norm", lam=0.5)
    f = step_factors(reg, 0.1, 0.5)
    assert f.grad(torch.ones(3)) is None and f.decay is None and f.fold is None
    assert f.threshold is None and f.units_ is not None
    assert float(omega(reg, [torch.ones(2, 2)])) == 0.0
    res = regcore.fit(_cfg(LINEAR))
    assert set(res.history["penalty"]) == {0.0}
    row = REGULARIZERS["max_norm"]
    assert row.role == "constraint" and row.exact_path is None and not row.on_bias


def test_max_norm_refuses_c_zero_and_a_bias_setting_with_the_allowed_range():
    with pytest.raises(
        ValueError, match=r"reg.lam = 0.0 .* 'max_norm': allowed greater than 0, up to 100"
    ):
        regcore.load_config({"reg": {"kind": "max_norm", "lam": 0}})
    with pytest.raises(ValueError, match="reg.penalize_bias applies to"):
        regcore.load_config({"reg": {"kind": "max_norm", "penalize_bias": True}})
    with pytest.raises(ValueError, match="reg.l1_solver applies to"):
        regcore.load_config({"reg": {"kind": "max_norm", "l1_solver": "subgradient"}})
    with pytest.raises(ValueError, match="allowed greater than 0"):
        sweep(_cfg(LINEAR), [0.0, 1.0])


@pytest.mark.parametrize(
    ("base", "c", "optim"),
    [
        (LINEAR, 0.02, {}),  # plain SGD: the fused regression step
        (LINEAR, 0.02, {"momentum": 0.8}),  # torch.optim's step through the kernel
        (LINEAR, 0.02, {"name": "adam"}),
        (SOFTMAX, C, {}),  # three units, fused
    ],
    ids=["regression-sgd", "regression-momentum", "regression-adam", "softmax-sgd"],
)
def test_max_norm_linear_fast_path_autograd_and_batched_give_the_same_weights(
    base, c, optim, monkeypatch
):
    cfg = _cfg(base, lam=c, **optim)
    assert TRAIN.pick_engine(cfg) is fastpath.LINEAR
    fast, slow = regcore.fit(cfg), _autograd(cfg, monkeypatch)
    _assert_same_weights(fast.weights, slow.weights)
    for key in ("train_loss", "test_loss", "weight_l2"):
        torch.testing.assert_close(
            torch.tensor(fast.history[key]), torch.tensor(slow.history[key]), **TOL
        )
    norms = _row_norms(fast.weights, 1 if base is LINEAR else 3)
    assert bool((norms <= c * (1 + 1e-12)).all()) and norms.max().item() == pytest.approx(c)
    assert can_batch(cfg) and not uses_subspace(cfg, make_dataset(cfg))
    lams = [0.005, c, 5.0]
    batched, cfgs = _batched(cfg, lams, repeats=2)
    for i, w in enumerate(batched):
        ref = regcore.fit(cfgs[i // len(lams)].replace(**{"reg.lam": lams[i % len(lams)]}))
        _assert_same_weights(w, ref.weights)


@pytest.mark.parametrize(
    ("base", "optim"),
    [(MLP_CFG, {}), (MLP_CFG, {"momentum": 0.5}), (MLP_REGRESSION, {})],
    ids=["classify-sgd", "classify-momentum", "regression-sgd"],
)
def test_max_norm_mlp_fast_path_autograd_and_batched_give_the_same_weights(
    base, optim, monkeypatch
):
    cfg = _cfg(base, lam=0.8, **optim)
    assert TRAIN.pick_engine(cfg) is MLP
    fast, slow = regcore.fit(cfg), _autograd(cfg, monkeypatch)
    _assert_same_weights(fast.weights, slow.weights)
    torch.testing.assert_close(
        torch.tensor(fast.history["test_loss"]), torch.tensor(slow.history["test_loss"]), **TOL
    )
    norms = _row_norms(fast.weights, base["model"]["hidden"][0])
    assert bool((norms <= 0.8 * (1 + 1e-12)).all()) and norms.max().item() == pytest.approx(0.8)
    lams = [0.2, 0.8]
    batched, cfgs = _batched(cfg, lams)
    for k, w in enumerate(batched):
        _assert_same_weights(w, regcore.fit(cfg.replace(**{"reg.lam": lams[k]})).weights)


def test_max_norm_sweep_through_the_public_api_and_a_larger_c_is_weaker():
    res = sweep(_cfg(LINEAR, epochs=20), [0.005, 0.02, 10.0])
    assert res.batched
    l2 = [row["weight_l2"] for row in res.rows]
    assert l2[0] == pytest.approx(0.005) and l2[1] == pytest.approx(0.02) and l2[2] > 0.1


def test_max_norm_goes_through_links_and_the_cli(tmp_path, capsys):
    cfg = _cfg(LINEAR)
    query = regcore.to_query(cfg)
    assert "reg.kind=max_norm" in query and regcore.from_query(query) == cfg
    with pytest.raises(ValueError, match="allowed greater than 0"):
        regcore.from_query("reg.kind=max_norm&reg.lam=0")
    reading = regcore.read_link("reg.kind=max_norm&reg.lam=0")
    assert reading.config.reg.kind == "max_norm" and "reg.lam" in reading.problems[0]
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"reg": {"kind": "max_norm", "lam": 0.05}}))
    out = tmp_path / "r.json"
    assert main(["train", str(path), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["config"]["reg"]["kind"] == "max_norm"
    assert result["metrics"]["weight_l2"] == pytest.approx(0.05)
    assert (
        main(["sweep", str(path), "--lambdas", "1e-2:1:3", "--out", str(tmp_path / "s.csv")]) == 0
    )
    path.write_text(json.dumps({"reg": {"kind": "max_norm", "lam": 0}}))
    capsys.readouterr()
    assert main(["train", str(path)]) == 2
    err = capsys.readouterr().err
    assert "allowed greater than 0, up to 100" in err and err.count("\n") == 1


def test_max_norm_has_its_row_in_the_learn_table_and_the_figures():
    from regcore.figures.style import reg_color, reg_label
    from ui.playground.views import regularizer_table

    assert reg_color("max_norm") == REGULARIZERS["max_norm"].color
    assert reg_label("max_norm") == "max-norm constraint"
    assert "| max-norm constraint (`max_norm`) | — (a constraint" in regularizer_table()
