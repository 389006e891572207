"""Proximal L1 with Adam and AdamW converges to the stated objective J = data_loss + λ·Ω.

Adam moves entry i by lr·m̂_i/(√v̂_i + ε), so its soft-threshold is lr·λ·α/(√v̂_i + ε)
(regcore.core.regularizers.adaptive). With the plain lr·λ·α the runs below ended 0.14
(lasso) and 0.067 (elastic net) away from scikit-learn's fit, with no exact zeros.
"""

import pytest
import torch

import regcore
from regcore.core import adam_denoms, preconditions, step_factors
from regcore.core.config import OptimConfig, RegConfig
from tests.unit.test_prox_momentum import (  # the same data, objectives and check
    DATA,
    REGS,
    assert_engines_reach_sklearn,
)


def test_preconditions_is_adam_and_adamw_only():
    assert not preconditions(OptimConfig(name="sgd", momentum=0.9))
    assert preconditions(OptimConfig(name="adam")) and preconditions(OptimConfig(name="adamw"))
    reg = RegConfig(kind="l1", lam=0.3)
    assert step_factors(reg, 0.1, 0.3, adaptive=True).preconditioned
    assert not step_factors(reg, 0.1, 0.3).preconditioned
    assert not step_factors(RegConfig(kind="l2"), 0.1, 0.3, adaptive=True).preconditioned


def test_adam_denoms_are_torch_adams_step_divisor():
    g = torch.Generator().manual_seed(0)
    w = torch.nn.Parameter(torch.randn(5, 3, generator=g, dtype=torch.float64))
    opt = torch.optim.Adam([w], lr=0.1, betas=(0.8, 0.99), eps=1e-6)
    assert adam_denoms(opt, [w]) == [None]
    for _ in range(3):
        before = w.detach().clone()
        w.grad = torch.randn(5, 3, generator=g, dtype=torch.float64)
        opt.step()
        (d,) = adam_denoms(opt, [w])
        st = opt.state[w]
        step = float(st["step"])
        m_hat = st["exp_avg"] / (1 - 0.8**step)
        assert torch.equal(d, (st["exp_avg_sq"].sqrt() / (1 - 0.99**step) ** 0.5).add_(1e-6))
        torch.testing.assert_close(before - w.detach(), 0.1 * m_hat / d, rtol=1e-14, atol=0)


def test_preconditioned_threshold_is_t_over_denom_per_entry():
    f = step_factors(RegConfig(kind="l1"), 0.1, 0.5, adaptive=True)
    p = torch.tensor([0.2, -0.2, 0.01, 0.3], dtype=torch.float64)
    d = torch.tensor([0.5, 0.5, 0.1, 1.0], dtype=torch.float64)
    f.entries_(p, d)  # thresholds 0.1, 0.1, 0.5, 0.05
    torch.testing.assert_close(p, torch.tensor([0.1, -0.1, 0.0, 0.25], dtype=torch.float64))
    assert p[2].item() == 0.0


def _cfg(optim: str, reg: dict) -> regcore.TrainConfig:
    return regcore.load_config(
        {
            "data": DATA,
            "model": {"init": "zeros"},
            "reg": reg,
            "optim": {"name": optim, "lr": 0.05, "batch_size": 60, "epochs": 800},
            "dtype": "float64",
            "device": "cpu",
        }
    )


@pytest.mark.parametrize("optim", ["adam", "adamw"])
@pytest.mark.parametrize("kind", list(REGS))
def test_prox_adam_converges_to_sklearns_fit_at_the_same_lambda(kind, optim, monkeypatch):
    reg, make = REGS[kind]
    cfg = _cfg(optim, reg)
    assert_engines_reach_sklearn(cfg, make, monkeypatch)
