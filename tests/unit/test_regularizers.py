"""regcore.core.regularizers: the one table and the kernel both engines call."""

import pytest
import torch

from regcore.core.bounds import CHOICES
from regcore.core.config import RegConfig
from regcore.core.regularizers import (
    REGULARIZERS,
    l1_threshold,
    omega,
    penalty_grad,
    sgd_shrink,
    shrink_factor,
    soft_threshold_,
    step_factors,
)
from regcore.figures.style import REG_COLORS, reg_color, reg_label

CASES = [
    RegConfig(kind=k, lam=0.7, l1_ratio=0.3, l1_solver=s)
    for k in REGULARIZERS
    for s in ("proximal", "subgradient")
]


def test_regularizers_table_is_what_config_ui_and_figures_read():
    assert CHOICES["reg.kind"] == tuple(REGULARIZERS)
    for kind, r in REGULARIZERS.items():
        assert r.color_key in REG_COLORS and reg_color(kind) == REG_COLORS[r.color_key]
        assert reg_label(kind) == r.label
        assert r.role in ("none", "penalty", "decoupled", "constraint")
        assert set(r.l1_solvers) <= set(CHOICES["reg.l1_solver"])


@pytest.mark.parametrize("reg", CASES, ids=lambda r: f"{r.kind}-{r.l1_solver}")
def test_regularizers_penalty_grad_is_autograd_of_the_in_loss_part(reg):
    w = torch.tensor([[-1.5, 0.0, 0.25], [2.0, -0.1, 3.0]], dtype=torch.float64)
    p = w.clone().requires_grad_(True)
    in_loss = omega(reg, [p]) * reg.lam
    if l1_threshold(reg, 0.1, reg.lam):  # proximal: the L1 share leaves the loss
        a = reg.l1_ratio if reg.kind == "elastic_net" else 1.0
        in_loss = in_loss - reg.lam * a * p.abs().sum()
    if in_loss.requires_grad:
        in_loss.backward()
    want = p.grad if p.grad is not None else torch.zeros_like(w)
    got = penalty_grad(reg, w, reg.lam)
    torch.testing.assert_close(got if got is not None else torch.zeros_like(w), want)


@pytest.mark.parametrize("reg", CASES, ids=lambda r: f"{r.kind}-{r.l1_solver}")
def test_regularizers_kernel_takes_a_lambda_per_model(reg):
    lams = torch.tensor([0.0, 0.5, 2.0], dtype=torch.float64)
    w = torch.randn(3, 4, 5, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    lam_t = lams[:, None, None]  # leading model dimension
    g = penalty_grad(reg, w, lam_t)
    t = l1_threshold(reg, 0.1, lam_t)
    shrink = shrink_factor(reg, 0.1, lam_t)
    for k, lam in enumerate(lams.tolist()):
        gk = penalty_grad(reg, w[k], lam)
        if g is None:
            assert gk is None
        else:
            torch.testing.assert_close(g[k], gk, rtol=0, atol=0)
        tk = l1_threshold(reg, 0.1, lam)
        assert float(t[k] if isinstance(t, torch.Tensor) else t) == pytest.approx(tk)
        sk = shrink_factor(reg, 0.1, lam)
        assert (shrink is None) == (sk is None)


def test_regularizers_soft_threshold_matches_the_formula():
    w = torch.tensor([-2.0, -0.3, 0.0, 0.2, 0.5, 1.0], dtype=torch.float64)
    want = w.sign() * (w.abs() - 0.3).clamp_min(0.0)
    p = w.clone()
    soft_threshold_(p, 0.3)
    assert torch.equal(p, want)
    rows = torch.stack([w, w])
    soft_threshold_(rows, torch.tensor([[0.3], [0.0]], dtype=torch.float64))
    assert torch.equal(rows[0], want) and torch.equal(rows[1], w)


@pytest.mark.parametrize("kind", ["l2", "weight_decay", "elastic_net"])
def test_regularizers_sgd_shrink_folds_the_l2_share_into_one_factor(kind):
    reg = RegConfig(kind=kind, lam=0.7, l1_ratio=0.3, l1_solver="proximal")
    w = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    data_grad = torch.tensor([0.1, 0.2, -0.3], dtype=torch.float64)
    lr = 0.05
    g = penalty_grad(reg, w, reg.lam)
    decay = shrink_factor(reg, lr, reg.lam)
    step = (w * decay if decay is not None else w) - lr * (data_grad + (0 if g is None else g))
    fused = sgd_shrink(reg, lr, reg.lam) * w - lr * data_grad
    torch.testing.assert_close(fused, step, rtol=1e-14, atol=1e-15)
    assert sgd_shrink(RegConfig(kind="none"), lr, 1.0) is None


def test_regularizers_no_engine_branches_on_a_kind():
    """Engines read the kernel's StepFactors: no comparison in regcore/engine or
    regcore/batched names a reg.kind ("none" is also model.norm's, so it is left out)."""
    import ast
    from pathlib import Path

    kinds = set(REGULARIZERS) - {"none"}
    root = Path(__file__).resolve().parents[2] / "regcore"
    found = []
    for path in [*root.glob("engine/*.py"), *root.glob("batched/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                names = {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)}
                found += [f"{path.name}:{node.lineno}" for _ in names & kinds]
    assert not found


@pytest.mark.parametrize("reg", CASES, ids=lambda r: f"{r.kind}-{r.l1_solver}")
def test_regularizers_step_factors_take_a_lambda_per_model(reg):
    lams = torch.tensor([0.0, 0.5, 2.0], dtype=torch.float64)
    w = torch.randn(3, 4, 5, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    many = w.clone()
    f = step_factors(reg, 0.1, lams[:, None, None])
    f.after_step_(many, many)
    for k, lam in enumerate(lams.tolist()):
        one = w[k].clone()
        fk = step_factors(reg, 0.1, lam)
        fk.after_step_(one)
        assert torch.equal(many[k], one)
        for name in ("decay", "fold"):
            a, b = getattr(f, name), getattr(fk, name)
            assert (a is None) == (b is None)
            if a is not None:
                assert float(a[k]) == b
