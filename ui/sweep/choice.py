"""The λ sweep's sentence about its choice of λ, and the warning when it rests on too little.

The judgement (held-out count, spread over repeats, λ that cannot be told apart, repeats that
disagree) is regcore.sweeps.assess_choice; this module only words it.
"""

from __future__ import annotations

import math

from regcore.core import spec
from regcore.sweeps import MIN_HELD_OUT, ChoiceReport, Spread, SweepResult, assess_choice


def _band(s: Spread, repeats: int) -> str:
    """`` ± 0.137 (mean ± std over 3 repeats; median 0.0887, repeats from … to …)``, or ``""``
    with one repeat: what follows the mean."""
    if repeats < 2 or s.std is None or not math.isfinite(s.std):
        return ""
    text = f" ± {s.std:.3g} (mean ± std over {repeats} repeats"
    if s.disagrees and s.median is not None:
        text += f"; median {s.median:.3g}, repeats from {s.low:.3g} to {s.high:.3g}"
    return text + ")"


def _factor(s: Spread) -> str:
    r = s.ratio or math.inf
    return "over 10⁶" if r >= 1e6 else f"{r:,.0f}"


def _doubts(r: ChoiceReport) -> list[str]:
    out = []
    if r.few_held_out:
        out.append(
            f"each validation loss is a mean over only {r.n_val} held-out samples (fewer "
            f"than {MIN_HELD_OUT})"
        )
    if r.undetermined and r.tied is not None:
        lo, hi = r.tied
        out.append(
            f"every λ from {lo:.3g} to {hi:.3g} has a mean validation loss within one "
            f"standard error (std/√{r.repeats}) of λ\\*'s, so the data cannot tell them apart"
        )
    if r.test.disagrees and r.test.median is not None:
        out.append(
            f"its repeats' test losses are a factor {_factor(r.test)} apart, so the mean is "
            f"one repeat's number: read the median, {r.test.median:.3g}"
        )
    return out


def choice_note(res: SweepResult) -> str | None:
    """The λ chosen on validation, its test loss, and how far to trust them, in words
    (None: nothing to choose)."""
    if spec(res.config.reg).role == "none":
        return None
    r, c = assess_choice(res), res.choice()
    if r is None or c is None:
        if not res.n_val:
            return "This sweep was saved before sweeps held out a validation split: no λ is chosen."
        return None
    text = (
        f"**λ\\* = {r.lam:.3g}** chosen on validation — the lowest "
        f"{'mean ' if r.repeats > 1 else ''}validation loss, {r.val.mean:.3g}"
        f"{_band(r.val, r.repeats)}, on {r.n_val} training samples held out (the models fit "
        f"the other {r.n_fit}). **Its test loss: {r.test.mean:.3g}**{_band(r.test, r.repeats)}"
    )
    doubts = _doubts(r)
    if not doubts:
        text += ". The test set played no part in the choice, so this is an honest estimate."
        if r.repeats == 1:
            text += " (One repeat: add repeats to see how much λ\\* and its test loss move.)"
    else:
        text += (
            ". The test set played no part in the choice, but the choice itself is "
            "uncertain, so this is no honest estimate of the best λ's test loss: "
            + "; ".join(doubts)
            + "."
        )
    if c.get("lam_by_test") is not None and c["lam_by_test"] != c["lam"]:
        text += (
            f" Picking the λ with the lowest *test* loss would give λ = {c['lam_by_test']:.3g} "
            f"and report {c['test_loss_by_test']:.3g}, a number made optimistic by the choice "
            "itself ([why](learn#choosing-on-the-test-set))."
        )
    return text


def held_out_warning(res: SweepResult) -> str | None:
    """A warning when the validation split is below ``MIN_HELD_OUT`` samples (else None)."""
    if spec(res.config.reg).role == "none":
        return None
    r = assess_choice(res)
    if r is None or not r.few_held_out:
        return None
    rse = math.sqrt(2.0 / max(r.n_val, 1))
    return (
        f"λ\\* rests on {r.n_val} held-out samples, fewer than {MIN_HELD_OUT}. A validation "
        f"loss averaged over {r.n_val} samples is itself noisy — for squared errors its "
        f"relative standard error is about √(2/{r.n_val}) ≈ {rse:.0%} — which is more than "
        "the differences between neighbouring λ it ranks. Train on more samples (the "
        f"validation share is optim.val_fraction = {res.config.optim.val_fraction:g} of "
        "them) or add repeats to see how much λ\\* moves."
    )
