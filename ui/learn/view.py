"""The Learn page's misconceptions section: each myth, the fact, and a one-click live demo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from regcore.experiments import DemoResult
from regcore.experiments import misconceptions as m
from regcore.experiments import misconceptions_layers as ml
from ui.live.runner import Refused
from ui.live.stream import in_line

P = "learn_myth"  # session-state / widget prefix


@dataclass(frozen=True)
class Myth:
    """One misconception: what is often said, what is true, and the demo that shows it."""

    myth: str
    fact: str
    demo: Callable[[], DemoResult]


MYTHS: dict[str, Myth] = {
    "weight_decay_l1": Myth(
        "`optimizer(weight_decay=λ)` adds an L1 penalty.",
        "It adds λ·w to every gradient: the gradient of the **L2** penalty λ·½‖w‖².",
        m.weight_decay_is_l2,
    ),
    "l1loss_penalty": Myth(
        "`nn.L1Loss` is an L1 penalty on the weights.",
        "It is a **data loss**, the mean |prediction − target|; it never looks at the weights.",
        m.l1loss_is_data_loss,
    ),
    "adam_l2_adamw": Myth(
        "Adam with an L2 penalty is AdamW.",
        "Adam divides the penalty's gradient by its running scale; AdamW's decay is not "
        "divided. Equal only for plain SGD.",
        m.adam_l2_is_not_adamw,
    ),
    "subgradient_zeros": Myth(
        "L1 by (sub)gradient descent gives exact zeros.",
        "The subgradient λ·sign(w) overshoots 0 each step; exact zeros come from the "
        "**proximal** step (soft-thresholding).",
        m.subgradient_no_zeros,
    ),
    "dropout_test_scaling": Myth(
        "At test time dropout multiplies activations by 1−p.",
        "That is the original convention. PyTorch scales kept units by 1/(1−p) **while "
        "training** and is the identity in eval mode.",
        ml.dropout_scaling,
    ),
    "batchnorm_eval": Myth(
        "BatchNorm behaves the same in eval mode.",
        "Training normalizes with the batch's statistics, eval with running averages: "
        "outputs differ, and one sample cannot be normalized in training mode.",
        ml.batchnorm_eval,
    ),
    "bias_norm_decay": Myth(
        "PyTorch leaves biases and normalization parameters alone.",
        "The optimizer decays **every** parameter it is given; well-known training scripts "
        "put biases and norm parameters in a `weight_decay=0` group. (regcore penalizes "
        "weights only.)",
        ml.decays_biases_and_norms,
    ),
    "lambda_on_test": Myth(
        "Pick λ with the lowest test loss.",
        "Then the test loss is no longer an honest estimate: choose λ on a validation split "
        "(or cross-validation) and report the test loss once.",
        ml.lambda_on_test,
    ),
}


CHOOSING_ANCHOR = "choosing-on-the-test-set"  # the λ sweep page links here


def choosing_lambda() -> None:
    """Why a λ (p, epoch) is chosen on validation data, in plain words, with its demo."""
    st.subheader("Why λ is never chosen on the test set", anchor=CHOOSING_ANCHOR)
    n = list(MYTHS).index("lambda_on_test") + 1
    st.markdown(
        f"""
The test set has one job: to say how the finished model does on data it has never seen.
Try many λ and keep the one with the lowest **test** loss, and the test set has helped choose
the model. Some λ look good on those particular test points by luck, and taking the minimum
picks out exactly that luck — the more λ you try, the more luck — so the lowest test loss is
**optimistic**: new data will not confirm it.

So every choice in this app is made on a **validation split** carved from the training data
(a share `optim.val_fraction`, 20 % by default: the same samples for early stopping, the
dropout page's p and the λ sweep). The λ sweep trains every λ on the rest, stars the λ with
the lowest validation loss (λ\\*), and only then reads that one λ's test loss — an honest
estimate, because the test set took no part in the choice. Cross-validation does the same
with every sample taking a turn in the validation split.

Misconception {n} below (*{MYTHS["lambda_on_test"].myth}*) measures it: **Run demo**
picks λ on many small test sets and compares what they report with the same models' loss on
new data, then does the same for λ chosen on validation.
"""
    )


@st.cache_data(show_spinner=False, max_entries=16)
def run_demo(key: str) -> DemoResult:
    """Run one demo (deterministic: the same numbers every time, so cached per key),
    through the queue like every run (it counts against the K training slots)."""
    return in_line(MYTHS[key].demo, label=f"myth {key}", key=f"{P}_demo")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a literal bar, not a column break


def _show(res: DemoResult) -> None:
    table = "| measured | value |\n|---|---|\n" + "\n".join(
        f"| {_cell(what)} | {_cell(value)} |" for what, value in res.rows
    )
    st.markdown(table)
    st.success(res.verdict)


def render() -> None:
    """The section: one bordered box per myth, each with its own Run button."""
    st.subheader("Misconceptions, each with a live demo")
    st.caption(
        "Said in tutorials and even textbooks. Each button trains or runs the real thing on a "
        "small fixed batch and shows the numbers."
    )
    for n, (key, item) in enumerate(MYTHS.items(), 1):
        with st.container(border=True):
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(f"**{n}. Myth: {item.myth}**  \n{item.fact}")
            if right.button("Run demo", key=f"{P}_{key}"):
                with st.spinner("Running…"):
                    try:
                        st.session_state[f"{P}_{key}_result"] = run_demo(key)
                    except (Refused, RuntimeError) as exc:
                        st.warning(f"Not run: {exc}")
            res = st.session_state.get(f"{P}_{key}_result")
            if res is not None:
                _show(res)
