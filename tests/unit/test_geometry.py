"""The two-weight geometry: exact solutions, the per-step hook, trajectories and the figure."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest
import torch

from regcore.experiments.geometry import (
    GeometryConfig,
    make_data,
    penalty,
    quadratic,
    run_geometry,
    solve,
)
from regcore.figures.geometry import ball, fig_geometry, loss_ellipse


@pytest.fixture(scope="module")
def res():
    return run_geometry(GeometryConfig(lam=2.0, rho=0.5))


def _objective(C, c, w, lam, kind, alpha=0.5):
    w = torch.tensor(w, dtype=torch.float64)
    return float(w @ C @ w - 2 * c @ w) + lam * penalty(tuple(w.tolist()), kind, alpha)


def test_geometry_make_data_has_the_exact_correlation():
    X, y = make_data(GeometryConfig(rho=-0.7, n=50))
    C, _, _ = quadratic(X, y)
    torch.testing.assert_close(C, torch.tensor([[1.0, -0.7], [-0.7, 1.0]], dtype=torch.float64))
    assert abs(float(X.mean(0).abs().max())) < 1e-12 and abs(float(y.mean())) < 1e-12


@pytest.mark.parametrize("kind", ["l1", "l2", "elastic_net"])
@pytest.mark.parametrize("rho", [-0.6, 0.0, 0.8])
def test_geometry_solve_beats_every_nearby_point(kind, rho):
    C, c, _ = quadratic(*make_data(GeometryConfig(rho=rho)))
    for lam in (0.3, 1.5, 4.0):
        w = solve(C, c, lam, kind)
        best = _objective(C, c, w, lam, kind)
        for dx in (-1e-3, 0.0, 1e-3):
            for dy in (-1e-3, 0.0, 1e-3):
                assert best <= _objective(C, c, (w[0] + dx, w[1] + dy), lam, kind) + 1e-12


def test_geometry_solve_l2_is_ridge_and_l1_reaches_an_axis():
    C, c, _ = quadratic(*make_data(GeometryConfig(rho=0.5)))
    lam = 1.3
    ridge = torch.linalg.solve(2 * C + lam * torch.eye(2, dtype=C.dtype), 2 * c)
    torch.testing.assert_close(
        torch.tensor(solve(C, c, lam, "l2"), dtype=torch.float64), ridge, rtol=0, atol=1e-12
    )
    assert 0.0 not in solve(C, c, 4.0, "l2")
    assert solve(C, c, 4.0, "l1").count(0.0) >= 1  # large λ: exactly on an axis
    assert solve(C, c, 0.1, "l1").count(0.0) == 0


def test_geometry_trajectories_end_on_their_exact_solutions(res):
    t, s = res.trajectories, res.solutions
    assert s["l1"].count(0.0) == 1 and 0.0 not in s["l2"]  # λ = 2: L1 on an axis, L2 off
    for run, kind in (("l1_proximal", "l1"), ("l2", "l2")):
        end = (t[run]["w1"][-1], t[run]["w2"][-1])
        assert math.dist(end, s[kind]) < 1e-6, run
        assert len(t[run]["w1"]) == res.steps + 1
    assert t["l1_proximal"]["w2"][-1] == 0.0  # proximal: exactly on the axis
    assert t["l1_subgradient"]["w2"][-1] != 0.0  # subgradient: hovers beside it
    assert {t[r]["w1"][0] for r in t} == {t["l2"]["w1"][0]}  # one shared start
    assert 0 < res.axis_lam < 2.0


def test_geometry_config_rejects_out_of_range_values():
    with pytest.raises(ValueError, match="rho"):
        GeometryConfig(rho=0.99)
    with pytest.raises(ValueError, match="lam"):
        GeometryConfig(lam=-1.0)


@pytest.mark.parametrize("kind", ["l1", "l2", "elastic_net"])
def test_ball_passes_through_the_point_it_is_drawn_for(kind):
    w = (1.2, -0.4)
    xs, ys = ball(kind, penalty(w, kind, 0.5), 0.5)
    for x, y in zip(xs, ys, strict=True):
        assert penalty((x, y), kind, 0.5) == pytest.approx(penalty(w, kind, 0.5), rel=1e-9)
    assert min(math.dist(w, p) for p in zip(xs, ys, strict=True)) < 0.02


def test_fig_geometry_draws_contours_balls_paths_and_trajectories(res):
    fig = fig_geometry(res)
    contour = [t for t in fig.data if isinstance(t, go.Contour)]
    assert len(contour) == 1 and len(contour[0].z) == len(res.grid["w2"])
    assert len(contour[0].z[0]) == len(res.grid["w1"])
    names = [t.name for t in fig.data]
    for kind_label in ("L1 (lasso)", "L2 (ridge)", "elastic net"):
        shapes = ("diamond", "disk", "ball")
        ball_trace = next(
            t
            for t in fig.data
            if t.name.startswith(kind_label) and any(x in t.name for x in shapes)
        )
        sol = next(t for t in fig.data if t.name.startswith(kind_label) and "solution" in t.name)
        pts = list(zip(ball_trace.x, ball_trace.y, strict=True))
        assert min(math.dist((sol.x[0], sol.y[0]), p) for p in pts) < 0.02
    path = next(t for t in fig.data if t.name.startswith("L1 (lasso): exact path"))
    assert path.y[-1] == 0.0 or path.x[-1] == 0.0  # at the largest λ, on an axis
    trained = [n for n in names if n.startswith("trained")]
    assert len(trained) == 3
    ends = {t.name: (t.x[-1], t.y[-1]) for t in fig.data if t.name.startswith("trained")}
    assert math.dist(ends["trained: L1, proximal"], res.solutions["l1"]) < 1e-6
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.title.text == "w1"


def test_loss_ellipse_has_the_loss_of_its_point(res):
    w = res.solutions["l1"]
    c11, c12, c22 = res.C
    xs, ys = loss_ellipse(res, w)

    def excess(p):
        d0, d1 = p[0] - res.ols[0], p[1] - res.ols[1]
        return c11 * d0 * d0 + 2 * c12 * d0 * d1 + c22 * d1 * d1

    for p in zip(xs[::20], ys[::20], strict=True):
        assert excess(p) == pytest.approx(excess(w), rel=1e-9)
