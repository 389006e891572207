"""Learn: the one objective, how other tools' λ maps onto ours, and one-click presets."""

import streamlit as st

import ui  # noqa: F401
from regcore.experiments import COMPARISONS, PRESETS, preset
from ui.kit.controls import link_params
from ui.kit.messages import literal, say
from ui.learn import islr as learn_islr
from ui.learn import view as learn_view
from ui.playground.views import regularizer_table

st.title("Learn: one objective, every page")
if st.query_params:  # this page trains nothing: say so rather than drop the link silently
    names = ", ".join(sorted(st.query_params.keys()))
    say(
        "info",
        f"This page explains and trains nothing, so the link's settings ({names}) are not used "
        "here: open them on the Playground or the λ sweep.",
    )
    st.query_params.clear()
st.page_link(
    "pages/lessons.py",
    label="A path through the lesson instead: seven points, a demo and a question each",
    icon=":material/route:",
)
st.markdown(
    "Every page, the command line and the tests minimize the same thing: the data loss "
    "plus λ times a penalty on the **weights** (biases and normalization layers are not "
    "penalized unless you ask)."
)
st.latex(
    r"J(w, b) = \underbrace{\tfrac{1}{n}\textstyle\sum_i \ell(f(x_i), y_i)}_{\text{data loss}}"
    r" + \lambda\,\Omega(w)"
)
st.markdown(regularizer_table())
st.markdown(
    """
In an MLP, L2 (and, faster, Adam + L2) also drives the weights of dead ReLU units to 0:
they get no gradient from the data, only the penalty's pull.

The data loss is the mean squared error for regression (`nn.MSELoss()`) and the mean
cross-entropy for classification. The losses on every chart are data losses on the whole
split, in eval mode, after each epoch; the penalty λ·Ω is drawn beside them.
"""
)
st.subheader("The same λ in other tools")
st.markdown(
    """
| tool | its objective | gives our minimizer at |
|---|---|---|
| scikit-learn `Ridge(alpha=a)` | ‖y − Xw‖² + a‖w‖² | a = n·λ/2 |
| scikit-learn `Lasso(alpha=a)` | ‖y − Xw‖²/(2n) + a‖w‖₁ | a = λ/2 |
| scikit-learn `ElasticNet(alpha=a, l1_ratio=r)` | | a = λ/2, r = α |
| d2l's from-scratch weight decay | ½·MSE + (λ_d/2)‖w‖² | λ = 2·λ_d (same trajectory with half the lr) |
| scikit-learn `LogisticRegression(C=c)`, 3+ classes | c·Σᵢ CEᵢ + ½‖W‖² (or ‖W‖₁) | c = 1/(n·λ) |
| scikit-learn `LogisticRegression(C=c)`, 2 classes | one vector v = w₁ − w₀ of our 2-class softmax | c = 2/(n·λ) for L2, 1/(n·λ) for L1; elastic net r: λ = (2−r)/(n·c), α = r/(2−r) |
"""
)
learn_view.choosing_lambda()  # why λ (p, the epoch) is chosen on validation, never on test
st.subheader("Textbook experiments, one click each")
for name, item in PRESETS.items():
    with st.container(border=True):
        left, right = st.columns([3.3, 1.7], vertical_alignment="center")
        left.markdown(f"**{item['title']}**  \n{item['about']}")
        if "source" in item:  # a reproduction: its source, both figures and the λ mapping
            text = f"Source: {item['source']}. Published: {item['published']}. "
            left.caption(literal(f"{text}Ours: {item['ours']}. λ mapping: {item['mapping']}.", 900))
        checks = "; ".join(c.describe() for c in item.get("checks", ()))
        left.caption(literal(f"Reproduced by the tests within: {checks}", 400))
        query = link_params(preset(name))
        if right.button("Open in Playground", key=f"learn_open_{name}"):
            st.switch_page("pages/playground.py", query_params=query)

for mode in ("sklearn_sparsity", "mnist_mlp", "mnist_mlp_normal"):  # on the L1 vs L2 page
    with st.container(border=True):
        left, right = st.columns([3.3, 1.7], vertical_alignment="center")
        c = COMPARISONS[mode]
        left.markdown(f"**{c.title}**  \n{c.about}")
        ref = " / ".join(f"{v:g}" for v in c.reference) if len(c.reference) <= 3 else ""
        text = f"Source: {c.reference_source}" + (
            f", its {c.reference_metric}: {ref}" if ref else ""
        )
        left.caption(literal(f"{text}. Ours, and why they differ: {c.reference_note}", 1200))
        if right.button("Open in L1 vs L2", key=f"learn_open_{mode}"):
            st.switch_page("pages/compare.py", query_params={"compare.mode": mode})

learn_islr.render()  # ISLR's Credit, Hitters and Khan figures on the λ sweep
learn_view.render()  # misconceptions, each with a one-click live demo
