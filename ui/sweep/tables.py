"""The λ sweep on a table: paths named by its columns, the order a lasso takes them in, and
how many inputs a sparse classifier keeps (ISLR's Credit, Hitters and Khan figures)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from regcore.core import SweepResult, l1_share
from regcore.figures import can_name, entries_text, fig_inputs_kept, fig_named_paths
from regcore.figures import sweep as figs
from regcore.sweeps import CVResult, ExactPath, kept_inputs
from ui.kit import present


def paths_figure(src: Any, exact: ExactPath | None, epochs: int | None) -> Any:
    """The coefficient paths: named by the table's columns where it has them."""
    title = "coefficient paths"
    if can_name(src):
        return fig_named_paths(src, exact, epochs=epochs, title=title)
    return figs.fig_coef_paths(src, exact, epochs=epochs, title=title)


def draw_table_parts(res: SweepResult, exact: ExactPath | None, cv: CVResult | None = None) -> None:
    """Below the panels: the lasso's order of entry and what it keeps at the cross-validated
    λ, and a sparse classifier's inputs kept."""
    text = entries_text(exact, res.feature_names, res.n_fit)
    if text and can_name(res):
        st.markdown(text)
        if cv is not None and cv.choice() is not None:
            st.markdown(kept_text(res, cv))
    cfg = res.config
    sparse = l1_share(cfg.reg) > 0
    if cfg.model.kind == "linear" and res.task == "classification" and sparse:
        what = "genes" if cfg.data.name == "khan" else "inputs"
        title = f"{what} the model keeps, and its test accuracy"
        present.chart(fig_inputs_kept(res, title, what=what))


def kept_text(res: SweepResult, cv: CVResult) -> str:
    """What the exact lasso keeps on the whole training split at λ_min and λ_1se."""
    c = cv.choice()
    lams = [c["min"]["lam"], c["1se"]["lam"]]
    kept = kept_inputs(res.config, lams)
    d, names = len(res.feature_names), res.feature_names
    parts = [
        f"at {tag} = {lam:.3g}, {len(js)} of {d} ({', '.join(names[j] for j in js) or 'none'})"
        for tag, lam, js in zip(("λ_min", "λ_1se"), lams, kept, strict=True)
    ]
    return (
        f"Refitted on all {cv.n_train:,} training samples after {cv.folds}-fold "
        "cross-validation, the exact lasso keeps " + "; ".join(parts) + "."
    )
