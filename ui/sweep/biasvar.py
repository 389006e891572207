"""The λ sweep's bias–variance chart and what it measured (regcore.sweeps.bias_variance)."""

from __future__ import annotations

import streamlit as st

from regcore.core import TrainConfig, load_config
from regcore.figures import bias_variance_definitions, fig_bias_variance
from regcore.links import bias_variance_demo_link
from regcore.sweeps import BIAS_VARIANCE_DEMO, BiasVarianceResult
from ui.kit import present

TITLE = "test error = bias² + variance + noise"


def draw_bias_variance(bv: BiasVarianceResult, cfg: TrainConfig, main: bool = False) -> None:
    """The chart (one legend line per term) and a caption under it (``cfg``: the sweep's).
    ``main``: the page's main figure (a demo's): compact, its terms' lines in the caption."""
    if all(bv.diverged or [False]):
        st.caption("bias–variance: training diverged at every λ on the fresh training sets")
        return
    if main:
        present.chart(fig_bias_variance(bv, TITLE, compact=True), key="sw_bv_chart", main=True)
        st.caption("  \n".join(bias_variance_definitions(bv)))
    else:
        present.chart(fig_bias_variance(bv, TITLE))
    st.caption(bias_variance_note(bv, cfg))


def bias_variance_note(bv: BiasVarianceResult, cfg: TrainConfig) -> str:
    """What the bias–variance chart measured, its lowest total, and (on other data) the
    demo's link."""
    best = bv.best_index()
    text = (
        f"Each λ retrained on {bv.repeats} fresh training sets × {bv.inits} random starts "
        f"(initial weights and batch order) = {bv.repeats * bv.inits} models; the variance "
        "is split by the law of total variance (Neal et al. 2018). Unbiased estimates: a "
        "term near 0 can dip below it by sampling error."
    )
    if best is not None:
        b = bv.bias2[best]
        v = bv.variance[best]
        text += f" Lowest total {bv.total[best]:.3g} at λ = {bv.lambdas[best]:.3g} "
        text += f"(bias² {b:.3g}, variance {v:.3g}, noise {bv.noise:.3g})."
    if cfg != load_config(BIAS_VARIANCE_DEMO):
        no_u = best is None or not 0 < best < len(bv.total) - 1
        text += (
            (" No U here." if no_u else "")
            + " The textbook picture (bias² rising, variance falling, a U in their sum): "
            f"the [bias–variance demo]({bias_variance_demo_link()})."
        )
    return text
