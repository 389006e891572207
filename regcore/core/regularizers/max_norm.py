"""Max-norm: after each optimizer step, every unit's incoming weights are projected onto
the ball ‖w_j‖₂ ≤ c, where c is ``reg.lam`` (Srebro & Shraibman 2005; used with dropout
by Hinton et al. 2012 and Srivastava et al. 2014, §5.1).

- A unit is one output of a layer: a row of an ``nn.Linear`` weight (out, in), or one
  output channel of a conv weight (out, in, kh, kw) with its in·kh·kw weights.
- The projection is w_j ← w_j · c / max(‖w_j‖₂, c): a unit longer than c is scaled to
  length c, a unit inside the ball is left exactly as it is (its factor is exactly 1).
- A larger c is a *weaker* constraint: c above every unit's norm changes nothing. c = 0
  is refused (it would set every weight to 0 at the first step); allowed: greater than 0,
  up to reg.lam's bound.
- Biases and normalization-layer parameters are not constrained, so
  ``reg.penalize_bias`` has no effect and is refused as such.
- It is a constraint, not a penalty: nothing is added to the loss and Ω = 0 is reported.
"""

from __future__ import annotations

import torch

from regcore.core.regularizers.base import Lam, Regularizer, Strength


def project_(rows: torch.Tensor, lr: float, lam: Lam) -> None:
    """In place: each row w_j of ``rows`` (…, units, fan_in) ← w_j · c / max(‖w_j‖₂, c).

    Args:
        rows: the units' incoming weights, a view of the trained tensor.
        lr: unused (the radius does not scale with the step).
        lam: c, a float or a tensor broadcastable to (…, units, 1).
    """
    norms = torch.linalg.vector_norm(rows, dim=-1, keepdim=True)
    if isinstance(lam, torch.Tensor):
        rows.mul_(lam / torch.maximum(norms, lam))
    else:
        rows.mul_(lam / norms.clamp_min(lam))


REGULARIZER = Regularizer(
    kind="max_norm",
    label="max-norm constraint",
    name="max-norm",
    color="#332288",  # Tol's indigo: the Okabe–Ito colours are taken
    role="constraint",
    l1_share=0.0,
    omega="— (a constraint: ‖w_j‖₂ ≤ c for every unit j)",
    step="after the step each unit's incoming weights w_j ← w_j·c / max(‖w_j‖₂, c), c = λ",
    effect="no unit's weight vector grows longer than c; shorter ones are untouched",
    strength=Strength(
        label="max norm c",
        help=(
            "c, the largest length ‖w_j‖₂ a unit's incoming weights may have: a larger c is "
            "a weaker constraint (above every unit's length it changes nothing). Biases are "
            "not constrained."
        ),
        low_open=True,
        why="the max-norm radius c = 0 would set every weight to 0",
    ),
    on_bias=False,
    after_units=project_,
)
