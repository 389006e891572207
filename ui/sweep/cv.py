"""The λ sweep page's cross-validation: the sidebar choice of how λ is chosen, and the
k-fold CV curve with its note (the engine is regcore.sweeps.cross_validate)."""

from __future__ import annotations

import streamlit as st

from regcore.figures import fig_cv_curve
from regcore.links import SweepSettings
from regcore.sweeps import CVProgress, CVResult
from ui.kit import present

CHOOSE = SweepSettings.keys["choose"].lo
CV_PHASE = "cross-validation"  # tags the events of the k-fold phase of a sweep's job
CHOOSE_HELP = (
    "validation: one split of the training data held out (the sweep's own curves); "
    "k-fold: every training sample is held out once, k models per λ trained at once, "
    "and λ is also chosen by the one-standard-error rule"
)


def choose_control(prefix: str) -> str:
    """The sidebar's "choose λ by" radio: validation split, 5-fold or 10-fold CV."""
    st.session_state.setdefault(f"{prefix}_choose", SweepSettings().choose)
    return st.sidebar.radio(
        "choose λ by",
        CHOOSE,
        key=f"{prefix}_choose",
        horizontal=True,
        persist_state="session",
        help=CHOOSE_HELP,
    )


def cv_note(cv: CVResult) -> str | None:
    """One paragraph: λ_min and λ_1se with their CV and test losses."""
    c = cv.choice()
    if c is None:
        return None
    lo, se = c["min"], c["1se"]
    return (
        f"**{cv.folds}-fold cross-validation** on the {cv.n_train} training samples: "
        f"λ_min = {lo['lam']:.3g} (CV loss {lo['cv_loss']:.3g} ± {lo['cv_se']:.2g}) has test "
        f"loss **{lo['test_loss']:.3g}**; the one-standard-error rule takes the largest λ "
        f"within one standard error of that minimum, λ_1se = {se['lam']:.3g} (CV loss "
        f"{se['cv_loss']:.3g}), test loss **{se['test_loss']:.3g}**. Test losses are of the "
        "models refitted on all training samples at that λ; the test set played no part."
    )


def draw_cv(cv: CVResult | None) -> None:
    """The CV curve and its note, when the sweep was cross-validated."""
    if cv is None:
        return
    note = cv_note(cv)
    if note:
        st.markdown(note)
    title = f"{cv.folds}-fold cross-validation: CV loss ± 1 standard error"
    present.chart(fig_cv_curve(cv, title))


def cv_progress(ev: CVProgress) -> tuple[float, str]:
    """The live bar during cross-validation: (share done, a line such as "cross-validation:
    folds 1–5 of 5, 32 λ at once, epoch 40 / 100 · 1.2 s elapsed · about 1.8 s left")."""
    text = f"cross-validation: {ev.stage}, epoch {ev.epoch} / {ev.epochs}"
    text += f" · {ev.seconds:.1f} s elapsed"
    if 0 < ev.share < 1:
        text += f" · about {ev.seconds / ev.share * (1 - ev.share):.1f} s left"
    return min(max(ev.share, 0.0), 1.0), text
