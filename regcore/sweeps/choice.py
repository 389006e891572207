"""How far to trust the λ a sweep chooses on validation: held-out count, spread, outliers.

A sweep picks λ* with the lowest mean validation loss (regcore.sweeps.lambda_sweep). That
choice is free of the test set, so its test loss is not biased by it, but it can still be
noise. :func:`assess_choice` says how uncertain it is, from the sweep alone:

- **Few held-out samples.** The validation loss is a mean over ``n_val`` samples. For squared
  errors of Gaussian residuals its relative standard error is √(2/n_val) (the variance of a
  χ²₁ is 2): 26 % at 30 samples, 82 % at 3; an accuracy on n samples has a standard error up
  to 0.5/√n, 9 points at 30. Neighbouring λ of a sweep's grid differ in validation loss by a
  few to some tens of percent, so below ``MIN_HELD_OUT = 30`` the noise of each λ's
  validation loss is as large as the differences the choice ranks.
- **Spread over repeats.** With R > 1 repeats (fresh data and init each) the standard error of
  λ*'s mean validation loss is std/√R. Every λ whose mean validation loss lies within one
  standard error of λ*'s cannot be told apart from it (the one-standard-error idea of
  cross-validation, Hastie, Tibshirani & Friedman, *Elements of Statistical Learning* §7.10).
  When those λ span ``UNDETERMINED_SPAN = 10`` (a decade) or more, the choice is not
  determined by the data.
- **Repeats that disagree by orders of magnitude.** When the largest of λ*'s per-repeat test
  losses is ``OUTLIER_RATIO = 10`` or more times the smallest, the mean is one repeat's
  number: the median is reported beside it.

The choice is called an *honest estimate* only when none of these holds.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MIN_HELD_OUT = 30  # fewer validation samples than this: the choice is flagged as weak
UNDETERMINED_SPAN = 10.0  # λ within one standard error spanning this factor: undetermined
OUTLIER_RATIO = 10.0  # per-repeat max / min at λ* from this on: the median is reported


@dataclass(frozen=True, kw_only=True)
class Spread:
    """One loss of λ* over the repeats: mean, std, median and range (None: one repeat)."""

    mean: float
    std: float | None = None
    median: float | None = None
    low: float | None = None  # smallest repeat
    high: float | None = None  # largest repeat

    @property
    def ratio(self) -> float | None:
        """Largest / smallest repeat (inf when the smallest is 0; None: one repeat)."""
        if self.low is None or self.high is None:
            return None
        return math.inf if self.low <= 0 < self.high else self.high / max(self.low, 1e-300)

    @property
    def disagrees(self) -> bool:
        """Whether the repeats differ by ``OUTLIER_RATIO`` or more (report the median)."""
        r = self.ratio
        return r is not None and r >= OUTLIER_RATIO


@dataclass(frozen=True, kw_only=True)
class ChoiceReport:
    """What a sweep's choice of λ rests on, and whether it may be called honest."""

    lam: float  # λ*, the lowest mean validation loss
    n_val: int  # training samples held out (per repeat)
    n_fit: int  # training samples the models fit (per repeat)
    repeats: int
    val: Spread  # λ*'s validation loss over the repeats
    test: Spread  # λ*'s test loss over the repeats
    tied: tuple[float, float] | None  # smallest and largest λ within one standard error
    few_held_out: bool  # n_val < MIN_HELD_OUT

    @property
    def undetermined(self) -> bool:
        """Whether the λ within one standard error of λ* span a decade or more."""
        if self.tied is None:
            return False
        lo, hi = self.tied
        return hi > 0 and (lo <= 0 or hi / lo >= UNDETERMINED_SPAN)

    @property
    def honest(self) -> bool:
        """Whether the choice may be called an honest estimate: enough held-out samples,
        λ* set apart from the others by more than its standard error, and repeats that
        agree within ``OUTLIER_RATIO`` on its test loss."""
        return not (self.few_held_out or self.undetermined or self.test.disagrees)


def spread(mean: float, values: Sequence[float] | None, std: float | None = None) -> Spread:
    """A :class:`Spread` of ``mean`` and its per-repeat ``values`` (finite ones count)."""
    finite = [float(v) for v in values or () if v is not None and math.isfinite(v)]
    if len(finite) < 2:
        return Spread(mean=mean, std=std)
    return Spread(
        mean=mean,
        std=std if std is not None else statistics.stdev(finite),
        median=statistics.median(finite),
        low=min(finite),
        high=max(finite),
    )


def tied_range(
    lambdas: Sequence[float], rows: Sequence[dict[str, Any]], best: int, repeats: int
) -> tuple[float, float] | None:
    """The smallest and largest λ whose mean validation loss is within one standard error
    (std/√R at λ*) of λ*'s; None with one repeat (no spread to measure)."""
    sd = rows[best].get("val_loss_std")
    if repeats < 2 or sd is None or not math.isfinite(sd):
        return None
    limit = rows[best]["val_loss"] + sd / math.sqrt(repeats)
    near = [
        lam
        for lam, r in zip(lambdas, rows, strict=True)
        if not r.get("diverged") and math.isfinite(r.get("val_loss", math.nan))
        if r["val_loss"] <= limit
    ]
    return min(near), max(near)


def assess_choice(result: Any) -> ChoiceReport | None:
    """How far λ* of a :class:`~regcore.sweeps.SweepResult` can be trusted (None: no choice).

    Args:
        result: a finished (or stopped) sweep with a validation split.

    Returns:
        A :class:`ChoiceReport`: the held-out count, λ*'s validation and test loss over the
        repeats (mean, std, median, range), the λ within one standard error, and the flags.
    """
    c = result.choice()
    if c is None:
        return None
    k, row, per = c["index"], result.rows[c["index"]], result.by_repeat
    return ChoiceReport(
        lam=c["lam"],
        n_val=c["n_val"],
        n_fit=c["n_fit"],
        repeats=result.repeats,
        val=spread(row["val_loss"], _at(per, "val_loss", k), row.get("val_loss_std")),
        test=spread(row["test_loss"], _at(per, "test_loss", k), row.get("test_loss_std")),
        tied=tied_range(result.lambdas, result.rows, k, result.repeats),
        few_held_out=c["n_val"] < MIN_HELD_OUT,
    )


def _at(per: dict[str, list[list[float]]], key: str, k: int) -> list[float] | None:
    values = per.get(key)
    return values[k] if values is not None and k < len(values) else None
