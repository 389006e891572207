"""L1 against L2 in weight space: a two-weight linear regression, solved exactly and trained.

The objective is the product's own (DESIGN.md) with two weights and an
unpenalized bias, on centred data (so the bias stays 0 and drops out):

    J(w) = (1/n)‖Xw − y‖² + λ·Ω(w),   Ω ∈ {‖w‖₁, ½‖w‖², α‖w‖₁ + (1−α)·½‖w‖²}

With C = XᵀX/n and c = Xᵀy/n this is ½wᵀAw − bᵀw + t‖w‖₁ + const with
A = 2C + λ(1−α)I, b = 2c, t = λα. In two dimensions its minimizer is found
exactly by trying every support and sign pattern (Tibshirani 1996, §2; Hastie,
Tibshirani & Friedman, *ESL* §3.4.3 for the picture of the diamond and the disk).

The features are drawn from ``N(0, [[1, ρ], [ρ, 1]])`` and then transformed so
that their sample covariance is exactly that matrix: the loss contours are
ellipses whose axes the correlation ρ stretches. Trajectories come from
:func:`regcore.fit` with full-batch SGD (one step per epoch), read after every step.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, fields

import torch

from regcore.data import Dataset, make_generator
from regcore.engine import fit

# One table for this demo's numbers: (low, high), inclusive.
BOUNDS: dict[str, tuple[float, float]] = {
    "lam": (0.0, 5.0),
    "rho": (-0.9, 0.9),
    "l1_ratio": (0.05, 0.95),
    "n": (10, 1_000),
    "noise": (0.0, 5.0),
    "seed": (0, 2**31 - 1),
}
KINDS = ("l1", "l2", "elastic_net")  # the three exact solutions and balls
RUNS = ("l1_proximal", "l1_subgradient", "l2")  # the trained trajectories
TRUE_W = (2.0, 0.6)
INIT_SEED, INIT_STD = 7, 1.5  # regcore draws the start (-1.12, 2.79): off both axes
LR_SHARE = 0.8  # lr = LR_SHARE / (largest curvature): stable, and a visible path at ρ = 0
TOL = 1e-9  # trajectories run until GD's contraction reaches this (or MAX_STEPS)
MAX_STEPS = 2_000


@dataclass(frozen=True, kw_only=True)
class GeometryConfig:
    """The two-weight regression drawn on the L1 vs L2 page."""

    lam: float = 1.0  # λ of every penalty
    rho: float = 0.5  # correlation of the two features
    l1_ratio: float = 0.5  # elastic-net mix α
    n: int = 100  # samples
    noise: float = 0.5  # standard deviation of the noise on y
    seed: int = 0  # data seed

    def __post_init__(self) -> None:
        for f in fields(self):
            lo, hi = BOUNDS[f.name]
            v = getattr(self, f.name)
            if not isinstance(v, int | float) or not lo <= v <= hi:  # NaN fails too
                raise ValueError(f"{f.name} = {v!r} is out of range: allowed {lo:g} to {hi:g}")


@dataclass(frozen=True)
class GeometryResult:
    """Everything the figure draws; weights are (w1, w2) pairs."""

    config: GeometryConfig
    ols: tuple[float, float]  # the unpenalized minimizer
    solutions: dict[str, tuple[float, float]]  # kind -> exact penalized minimizer
    paths: dict[str, dict[str, list[float]]]  # kind -> {"lam", "w1", "w2"}
    trajectories: dict[str, dict[str, list[float]]]  # run -> {"w1", "w2"}, one per step
    grid: dict[str, list]  # {"w1", "w2", "loss"}: data loss on a grid (loss[i][j] at w2[i], w1[j])
    lr: float = 0.0
    steps: int = 0
    axis_lam: float = math.nan  # smallest λ where the exact L1 solution has a zero weight
    C: tuple[float, float, float] = (1.0, 0.0, 1.0)  # XᵀX/n as (c11, c12, c22)
    min_loss: float = 0.0  # the data loss at ``ols``


def make_data(cfg: GeometryConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """Centred features with sample covariance exactly [[1, ρ], [ρ, 1]], and centred targets."""
    g = make_generator(cfg.seed, 0)
    z = torch.randn(cfg.n, 2, generator=g, dtype=torch.float64)
    z = z - z.mean(0)
    whiten = torch.linalg.cholesky(z.T @ z / cfg.n)
    z = torch.linalg.solve_triangular(whiten, z.T, upper=False).T  # zᵀz/n = I exactly
    cov = torch.tensor([[1.0, cfg.rho], [cfg.rho, 1.0]], dtype=torch.float64)
    X = z @ torch.linalg.cholesky(cov).T
    y = X @ torch.tensor(TRUE_W, dtype=torch.float64)
    y = y + cfg.noise * torch.randn(cfg.n, generator=g, dtype=torch.float64)
    return X, y - y.mean()


def quadratic(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
    """(C, c, ȳ²) with data loss (1/n)‖Xw − y‖² = wᵀCw − 2cᵀw + mean(y²)."""
    n = X.shape[0]
    return X.T @ X / n, X.T @ y / n, float((y * y).mean())


def solve(C: torch.Tensor, c: torch.Tensor, lam: float, kind: str, l1_ratio: float = 0.5):
    """The exact minimizer of (1/n)‖Xw − y‖² + λ·Ω(w) for two weights.

    Args:
        C, c: XᵀX/n (2, 2) and Xᵀy/n (2,), float64.
        lam: λ ≥ 0. kind: ``l1``, ``l2`` or ``elastic_net``. l1_ratio: α of the elastic net.

    Returns:
        (w1, w2): every support and sign pattern is tried (in float64 arithmetic);
        the sign-consistent candidate with the lowest objective is the minimizer.
    """
    alpha = {"l1": 1.0, "l2": 0.0}.get(kind, l1_ratio)
    ridge = lam * (1.0 - alpha)
    a11, a12, a22 = 2 * float(C[0, 0]) + ridge, 2 * float(C[0, 1]), 2 * float(C[1, 1]) + ridge
    b1, b2, t = 2 * float(c[0]), 2 * float(c[1]), lam * alpha
    best, best_val = (0.0, 0.0), 0.0
    for s1, s2 in itertools.product((-1.0, 0.0, 1.0), repeat=2):
        if s1 and s2:
            r1, r2 = b1 - t * s1, b2 - t * s2
            det = a11 * a22 - a12 * a12
            w = ((a22 * r1 - a12 * r2) / det, (a11 * r2 - a12 * r1) / det)
        elif s1:
            w = ((b1 - t * s1) / a11, 0.0)
        elif s2:
            w = (0.0, (b2 - t * s2) / a22)
        else:
            continue
        if w[0] * s1 < 0 or w[1] * s2 < 0 or (s1 and not w[0]) or (s2 and not w[1]):
            continue
        quad = 0.5 * (a11 * w[0] ** 2 + 2 * a12 * w[0] * w[1] + a22 * w[1] ** 2)
        val = quad - b1 * w[0] - b2 * w[1] + t * (abs(w[0]) + abs(w[1]))
        if val < best_val:
            best, best_val = w, val
    return best


def penalty(w: tuple[float, float], kind: str, l1_ratio: float) -> float:
    """Ω(w) of ``kind`` (the level of its ball through w)."""
    l1, l2 = abs(w[0]) + abs(w[1]), 0.5 * (w[0] ** 2 + w[1] ** 2)
    alpha = {"l1": 1.0, "l2": 0.0}.get(kind, l1_ratio)
    return alpha * l1 + (1.0 - alpha) * l2


def path_lambdas(lam_max: float, k: int = 81) -> list[float]:
    """k strengths from 0 to ``lam_max`` (denser near 0, where the path moves fastest)."""
    return [lam_max * (i / (k - 1)) ** 2 for i in range(k)]


def _steps(C: torch.Tensor, lr: float) -> int:
    """Full-batch GD steps until the slowest direction contracts to ``TOL``."""
    rate = max(1e-12, lr * 2.0 * float(torch.linalg.eigvalsh(C)[0]))  # L2's λ only helps
    return max(1, min(MAX_STEPS, math.ceil(math.log(TOL) / math.log1p(-min(rate, 0.999)))))


def trajectory(
    cfg: GeometryConfig, X: torch.Tensor, y: torch.Tensor, run: str, lr: float, steps: int
):
    """The weights (w1, w2) of one regcore run: the start, then after every full-batch SGD step
    (one step per epoch, read by :func:`regcore.fit`'s per-epoch probe).

    ``run`` is ``l1_proximal``, ``l1_subgradient`` or ``l2``; every run starts
    from the same weights (drawn by regcore from ``INIT_SEED``) and bias 0.
    """
    kind, _, solver = run.partition("_")
    data = Dataset(X_train=X, y_train=y, X_test=X, y_test=y, task="regression", n_classes=0)
    config = {
        "data": {"name": "linear", "n_train": cfg.n, "n_test": cfg.n, "n_features": 2},
        "model": {"kind": "linear", "init": "normal", "init_std": INIT_STD},
        "reg": {"kind": kind, "lam": cfg.lam, "l1_solver": solver or "proximal"},
        "optim": {"name": "sgd", "lr": lr, "batch_size": cfg.n, "epochs": steps},
        "seed": INIT_SEED,
        "dtype": "float64",
        "device": "cpu",
    }
    w1: list[float] = []
    w2: list[float] = []

    def record(model: torch.nn.Module, epoch: int, final: bool) -> None:
        if final:
            return
        layer = next(m for m in model.modules() if isinstance(m, torch.nn.Linear))
        w = layer.weight.reshape(-1).tolist()
        w1.append(w[0])
        w2.append(w[1])

    result = fit(config, data=data, probe=record)
    start = result.snapshots["layers"]["linear1"][0]  # the weights before the first step
    w1.insert(0, start[0])
    w2.insert(0, start[1])
    return {"w1": w1, "w2": w2}


def run_geometry(cfg: GeometryConfig | None = None) -> GeometryResult:
    """Exact solutions, paths, the loss grid and three trained trajectories for ``cfg``."""
    cfg = cfg or GeometryConfig()
    X, y = make_data(cfg)
    C, c, yy = quadratic(X, y)
    ols = solve(C, c, 0.0, "l2")
    sol = {k: solve(C, c, cfg.lam, k, cfg.l1_ratio) for k in KINDS}
    lams = path_lambdas(BOUNDS["lam"][1])
    paths = {}
    for k in KINDS:
        ws = [solve(C, c, lam, k, cfg.l1_ratio) for lam in lams]
        paths[k] = {"lam": lams, "w1": [w[0] for w in ws], "w2": [w[1] for w in ws]}
    lr = LR_SHARE / (2.0 * float(torch.linalg.eigvalsh(C)[-1]) + cfg.lam)
    steps = _steps(C, lr)
    trajs = {r: trajectory(cfg, X, y, r, lr, steps) for r in RUNS}
    return GeometryResult(
        config=cfg,
        ols=ols,
        solutions=sol,
        paths=paths,
        trajectories=trajs,
        grid=loss_grid(X, y, _extent(ols, sol, trajs, cfg.l1_ratio)),
        lr=lr,
        steps=steps,
        axis_lam=axis_lambda(C, c),
        C=(float(C[0, 0]), float(C[0, 1]), float(C[1, 1])),
        min_loss=yy - float(c[0]) * ols[0] - float(c[1]) * ols[1],
    )


def axis_lambda(C: torch.Tensor, c: torch.Tensor) -> float:
    """The smallest λ at which the exact L1 solution has a weight exactly 0 (bisection)."""
    hi = 2.0 * float(c.abs().max()) + 1e-12  # from here on w = 0
    if 0.0 in solve(C, c, 0.0, "l1"):
        return 0.0
    lo = 0.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if 0.0 in solve(C, c, mid, "l1") else (mid, hi)
    return hi


def ball_radius(w: tuple[float, float], kind: str, l1_ratio: float) -> float:
    """How far the ball Ω(v) = Ω(w) reaches along an axis (its widest extent)."""
    alpha = {"l1": 1.0, "l2": 0.0}.get(kind, l1_ratio)
    level = penalty(w, kind, l1_ratio)
    if alpha >= 1.0:
        return level
    return (-alpha + math.sqrt(alpha**2 + 2 * (1 - alpha) * level)) / (1 - alpha)


def _extent(ols, sol, trajs, l1_ratio) -> tuple[float, float, float, float]:
    r = max(ball_radius(w, k, l1_ratio) for k, w in sol.items())
    xs = [-r, r, float(ols[0])] + [float(w[0]) for w in sol.values()]
    ys = [-r, r, float(ols[1])] + [float(w[1]) for w in sol.values()]
    for t in trajs.values():
        xs += t["w1"]
        ys += t["w2"]
    pad = 0.15 * max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    return min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad


def loss_grid(X: torch.Tensor, y: torch.Tensor, box, k: int = 121) -> dict[str, list]:
    """The data loss (1/n)‖Xw − y‖² on a k×k grid over ``box`` = (x0, x1, y0, y1)."""
    C, c, yy = quadratic(X, y)
    w1 = torch.linspace(box[0], box[1], k, dtype=torch.float64)
    w2 = torch.linspace(box[2], box[3], k, dtype=torch.float64)
    a, b = torch.meshgrid(w2, w1, indexing="ij")
    loss = C[0, 0] * b**2 + 2 * C[0, 1] * a * b + C[1, 1] * a**2 - 2 * (c[0] * b + c[1] * a) + yy
    return {"w1": w1.tolist(), "w2": w2.tolist(), "loss": loss.tolist()}
