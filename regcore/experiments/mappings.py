"""Other tools' regularization strengths mapped onto ours (DESIGN.md, the Learn page).

Ours: J = mean data loss + λ·Ω(w), Ω = α‖w‖₁ + (1−α)·½‖w‖² (α = 1: L1, α = 0: L2).

scikit-learn's ``LogisticRegression(C=c, penalty=..., l1_ratio=r)`` minimizes
c·Σᵢ CEᵢ + r‖v‖₁ + (1−r)·½‖v‖², with r = 1 for ``"l1"`` and r = 0 for ``"l2"``
(the intercept is not penalized with the ``saga`` and ``lbfgs`` solvers, as ours is not).
Dividing by n·c gives mean CE + (1/(n·c))·(penalty):

- 3+ classes (multinomial): its W is our softmax's W, so λ = 1/(n·c) and α = r.
- 2 classes: it keeps one vector v, our softmax two rows w₀, w₁ whose logits differ by
  v = w₁ − w₀. Any L2 share makes our minimizer symmetric, w₁ = −w₀ = v/2 (and from zero
  initial weights every step keeps it so, L1 included), so ‖W‖₁ = ‖v‖₁ and
  ½‖W‖² = ¼‖v‖²: matching λα = r/(n·c) and λ(1−α)/2 = (1−r)/(n·c) gives
  λ = (2 − r)/(n·c) and α = r/(2 − r) — λ = 1/(n·c) for L1, 2/(n·c) for L2.

Checked against scikit-learn in ``tests/unit/test_sklearn_mappings.py``.
"""

from __future__ import annotations

from typing import NamedTuple

_R = {"l1": 1.0, "l2": 0.0}  # scikit-learn's penalty name -> its L1 share


class Strength(NamedTuple):
    """Our regularizer for another tool's setting: ``reg.kind``, ``reg.lam``, ``reg.l1_ratio``."""

    kind: str  # l1 | l2 | elastic_net
    lam: float  # λ
    l1_ratio: float  # α (1 for L1, 0 for L2)

    def reg(self) -> dict[str, float | str]:
        """The config's ``reg`` section; α only for elastic net (elsewhere it has no effect)."""
        out: dict[str, float | str] = {"kind": self.kind, "lam": self.lam}
        if self.kind == "elastic_net":
            out["l1_ratio"] = self.l1_ratio
        return out

    def changes(self) -> dict[str, float | str]:
        """The same as dotted changes, for ``TrainConfig.replace``."""
        return {f"reg.{k}": v for k, v in self.reg().items()}


def from_sklearn_logistic(
    C: float, n: int, penalty: str = "l2", l1_ratio: float = 0.5, n_classes: int = 2
) -> Strength:
    """Our λ (and α) for scikit-learn's ``LogisticRegression(C, penalty, l1_ratio)``.

    Args:
        C: scikit-learn's inverse strength (> 0). n: training samples it is fitted on.
        penalty: ``"l1"``, ``"l2"`` or ``"elasticnet"``. l1_ratio: its r (elasticnet only).
        n_classes: 2 (its one vector v) or more (multinomial, our parametrization).

    Returns:
        The :class:`Strength` with the same minimizer (for 2 classes: w₁ − w₀ = v).

    Raises:
        ValueError: naming the argument and what is allowed.
    """
    for name, value, ok, allowed in (
        ("C", C, C > 0, "a number > 0"),
        ("n", n, n >= 1, "a whole number ≥ 1"),
        ("n_classes", n_classes, n_classes >= 2, "a whole number ≥ 2"),
    ):
        if not ok:
            raise ValueError(f"{name} = {value!r}: allowed {allowed}")
    if penalty not in (*_R, "elasticnet"):
        raise ValueError(f"penalty = {penalty!r}: allowed 'l1', 'l2' or 'elasticnet'")
    r = _R.get(penalty, float(l1_ratio))
    if not 0.0 <= r <= 1.0:
        raise ValueError(f"l1_ratio = {l1_ratio!r}: allowed 0 to 1")
    kind = {"l1": "l1", "l2": "l2"}.get(penalty, "elastic_net")
    if n_classes > 2:
        return Strength(kind, 1.0 / (n * C), r)
    return Strength(kind, (2.0 - r) / (n * C), r / (2.0 - r))
