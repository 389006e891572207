"""The Learn page's ISLR section: the book's ridge and lasso figures, one click each on the
λ sweep page, with the book's λ against ours."""

from __future__ import annotations

import streamlit as st

from regcore.experiments import SWEEP_PRESETS, sweep_preset
from regcore.links import SweepSettings
from ui.kit.controls import link_params
from ui.kit.messages import literal

INTRO = """
The book's tables ship with the app (ISLP 0.6.0's files, BSD licence): **Credit** (400
people, target Balance), **Hitters** (the 263 players with a salary) and **Khan** (2,308
genes, the book's 63/20 split). They are read as an upload of the same file would be: text
columns coded 0/1, rows without a target left out, and the page says so.

Our λ against the book's (inputs and target standardized on the training rows): its ridge
`RSS + λ_r‖β‖²` (eq. 6.5) is ours at **λ = 2·λ_r/n**; glmnet's lasso
`(1/2n)·RSS + λ_g‖β‖₁`, with the target in its own units, is ours at **λ = 2·λ_g/s_y**
(s_y: the target's standard deviation). Both are tested against scikit-learn's `Ridge` and
`Lasso` on the same data.
"""


def render() -> None:
    """The section: its intro, then one box per preset with an *Open in λ sweep* button."""
    st.subheader("The textbook's ridge and lasso figures (ISLR)")
    st.markdown(INTRO)
    for name, item in SWEEP_PRESETS.items():
        with st.container(border=True):
            left, right = st.columns([3.3, 1.7], vertical_alignment="center")
            left.markdown(f"**{item['title']}**  \n{item['about']}")
            text = f"Source: {item['source']}. Book: {item['published']}. Ours: {item['ours']}."
            left.caption(literal(f"{text} λ mapping: {item['mapping']}.", 1200))
            if right.button("Open in λ sweep", key=f"learn_sweep_{name}"):
                cfg, sweep = sweep_preset(name)
                query = link_params(cfg, SweepSettings(**sweep).to_params())
                st.switch_page("pages/sweep.py", query_params=query)
