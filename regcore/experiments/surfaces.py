"""Decision surfaces of 2-D classifiers: a grid over the data and the model's P(class 1).

A surface is the probability a trained (or training) classifier gives class 1 at
each point of a regular grid that covers the training and test points with a
margin. The grid is fixed per data set (``grid_for``), so every configuration of
a comparison is drawn over the same points and the panels can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from regcore.data import Dataset

GRID_POINTS = 81  # per axis: a smooth picture that costs one small forward pass
MARGIN = 0.15  # share of the data's range added on each side


@dataclass(frozen=True)
class Grid:
    """The grid a surface is evaluated on: ``xs`` (nx,), ``ys`` (ny,) in input units."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def points(self) -> torch.Tensor:
        """All grid points as an (ny·nx, 2) float64 tensor, row-major (y outer, x inner)."""
        xs = torch.tensor(self.xs, dtype=torch.float64)
        ys = torch.tensor(self.ys, dtype=torch.float64)
        gy, gx = torch.meshgrid(ys, xs, indexing="ij")
        return torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)


@dataclass(frozen=True)
class Surface:
    """P(class 1) on a grid after ``epoch`` epochs: ``prob[i][j]`` at (xs[j], ys[i])."""

    epoch: int
    prob: tuple[tuple[float, ...], ...]  # (ny, nx), each in [0, 1]
    final: bool = False  # the weights the run kept (best-validation ones when early stopping)


def is_2d(ds: Dataset) -> bool:
    """Whether a data set can be drawn as a decision surface (2 inputs, 2 classes)."""
    return ds.task == "classification" and ds.n_features == 2 and ds.n_classes == 2


def grid_for(ds: Dataset, points: int = GRID_POINTS, margin: float = MARGIN) -> Grid:
    """A square-cell grid covering the training and test inputs of a 2-D data set.

    Args:
        ds: a data set with two input features.
        points: grid points along each axis. margin: share of the range added per side.

    Returns:
        The :class:`Grid` (``points`` values per axis).
    """
    if ds.n_features != 2:
        raise ValueError(f"a decision surface needs 2 input features, not {ds.n_features}")
    X = torch.cat([ds.X_train, ds.X_test]).to(torch.float64)
    lo, hi = X.min(0).values, X.max(0).values
    pad = margin * (hi - lo).clamp_min(1e-6)
    lo, hi = lo - pad, hi + pad
    axes = [torch.linspace(float(lo[k]), float(hi[k]), points) for k in range(2)]
    return Grid(xs=tuple(axes[0].tolist()), ys=tuple(axes[1].tolist()))


@torch.no_grad()
def class1_probability(model: nn.Module, grid: Grid) -> torch.Tensor:
    """The model's P(class 1) on every grid point, shape (ny, nx), in eval mode.

    The model is put in eval mode for the pass and left in the mode it was in.
    """
    was_training = model.training
    model.eval()
    try:
        param = next(model.parameters())
        out = model(grid.points().to(device=param.device, dtype=param.dtype))
    finally:
        model.train(was_training)
    prob = torch.softmax(out, dim=1)[:, 1] if out.shape[1] > 1 else torch.sigmoid(out[:, 0])
    return prob.reshape(len(grid.ys), len(grid.xs)).to("cpu", torch.float64)


def surface(model: nn.Module, grid: Grid, epoch: int, final: bool = False) -> Surface:
    """A :class:`Surface` of ``model`` on ``grid`` (values rounded to 4 decimals)."""
    prob = class1_probability(model, grid)
    rows = tuple(tuple(round(v, 4) for v in row) for row in prob.tolist())
    return Surface(epoch=epoch, prob=rows, final=final)


def surface_epochs(epochs: int, max_frames: int = 20) -> set[int]:
    """The epochs at which a live surface is computed: at most ``max_frames``, last included.

    Bounds the work (and the redraws) to a fixed number of grid passes per run,
    however long the run.
    """
    step = max(1, -(-epochs // max_frames))
    return {e for e in range(step, epochs + 1, step)} | {epochs}


def boundary_crossings(s: Surface) -> int:
    """How often the predicted class (P ≥ 0.5) changes between neighbouring grid points,
    along every row and every column: the decision boundary's length in grid steps.

    A straight boundary across an n × n grid crosses about n rows and n columns; every
    island or finger around a single training point adds its perimeter.
    """
    cls = torch.tensor(s.prob) >= 0.5
    return int((cls[1:] != cls[:-1]).sum() + (cls[:, 1:] != cls[:, :-1]).sum())


def class_regions(s: Surface) -> int:
    """The number of connected regions (4-neighbour) of the predicted classes on the grid.

    Two half-planes make 2; each island of one class inside the other adds one.
    """
    cls = (torch.tensor(s.prob) >= 0.5).tolist()
    ny, nx = len(cls), len(cls[0]) if cls else 0
    seen = [[False] * nx for _ in range(ny)]
    regions = 0
    for i0 in range(ny):
        for j0 in range(nx):
            if seen[i0][j0]:
                continue
            regions += 1
            seen[i0][j0] = True
            todo = [(i0, j0)]
            while todo:
                i, j = todo.pop()
                for a, b in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                    if 0 <= a < ny and 0 <= b < nx and not seen[a][b] and cls[a][b] == cls[i][j]:
                        seen[a][b] = True
                        todo.append((a, b))
    return regions
