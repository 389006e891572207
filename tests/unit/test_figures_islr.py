"""Named coefficient paths, the lasso's order of entry and the inputs a classifier keeps,
on hand-made sweeps."""

from __future__ import annotations

import regcore
from regcore.core import SweepResult
from regcore.figures import can_name, entries_text, fig_inputs_kept, fig_named_paths, inputs_kept
from regcore.sweeps import ExactPath

LAMS = [0.01, 0.1, 1.0, 10.0]
NAMES = ("Income", "Limit", "Rating", "Cards", "Student_Yes")


def _paths(names=NAMES) -> SweepResult:
    cfg = regcore.load_config({"reg": {"kind": "l1"}})
    coefs = [[-0.6, 0.9, 0.4, 0.05, 0.3], [-0.4, 0.8, 0.5, 0.0, 0.2], [0, 0.3, 0.4, 0, 0], [0] * 5]
    rows = [{"lam": lam, "val_loss": 1.0, "test_loss": 1.0} for lam in LAMS]
    return SweepResult(
        config=cfg,
        lambdas=LAMS,
        rows=rows,
        weights=[{"linear1": c} for c in coefs],
        feature_names=names,
    )


def test_fig_named_paths_names_the_first_lasso_entrants_and_every_path_on_hover():
    res = _paths()
    exact = ExactPath(
        LAMS, [w["linear1"] for w in res.weights], "lasso", entries=[(2, 1.7), (1, 0.5), (4, 0.3)]
    )
    assert can_name(res)
    fig = fig_named_paths(res, exact, epochs=100, title="coefficient paths")
    assert fig.layout.xaxis.type == "log"
    notes = {a.text: a.y for a in fig.layout.annotations}  # bottom to top, nudged apart
    assert list(notes) == ["<b>Student_Yes</b>", "<b>Rating</b>", "<b>Limit</b>"]
    assert notes["<b>Rating</b>"] - notes["<b>Student_Yes</b>"] >= 0.1 * 1.5 - 1e-12
    hovers = " ".join(t.hovertemplate or "" for t in fig.data)
    for name in NAMES:
        assert f"{name} = " in hovers
    assert [t.name for t in fig.data if t.showlegend is not False] == ["trained", "exact minimizer"]
    assert len(fig.data) == 2 * len(NAMES) + 2  # trained and exact per input, two legend keys


def test_fig_named_paths_ridge_names_the_largest():
    res = _paths()
    fig = fig_named_paths(res, None, title="paths")
    labels = {a.text.strip("<b>/") for a in fig.layout.annotations}
    assert labels == {"Income", "Limit", "Rating", "Student_Yes"}  # Cards is the smallest


def test_fig_named_paths_only_for_named_inputs():
    assert not can_name(_paths(names=()))
    assert not can_name(_paths(names=NAMES[:3]))  # 5 weights, 3 names: not one per input


def test_entries_text_says_the_order_from_large_lambda():
    exact = ExactPath(LAMS, [[0] * 5] * 4, "lasso", entries=[(2, 1.73), (4, 0.52), (1, 0.51)])
    text = entries_text(exact, NAMES, n_fit=324)
    assert text.startswith("Coming from large λ, the exact lasso path (on the 324 samples")
    assert text.index("**Rating**") < text.index("**Student_Yes**") < text.index("**Limit**")
    assert entries_text(None, NAMES) is None


def test_fig_inputs_kept_counts_inputs_with_any_nonzero_class_weight():
    cfg = regcore.load_config({"data": {"name": "khan", "n_train": 63, "n_test": 20},
                               "optim": {"batch_size": 63}})  # fmt: skip
    d = 2308
    w_small = [0.0] * (4 * d)
    w_small[5] = 1.0  # gene 5, class 0
    w_small[d + 5] = -1.0  # gene 5 again, class 1: still one gene
    w_small[3 * d + 7] = 0.5  # gene 7, class 3
    rows = [{"lam": lam, "test_acc": acc} for lam, acc in ((0.01, 1.0), (1.0, 0.3))]
    res = SweepResult(
        config=cfg,
        lambdas=[0.01, 1.0],
        rows=rows,
        weights=[{"linear1": w_small}, {"linear1": [0.0] * (4 * d)}],
        task="classification",
        feature_names=tuple(f"V{i + 1}" for i in range(d)),
    )
    assert inputs_kept(res) == [2, 0]
    fig = fig_inputs_kept(res, "genes kept", what="genes")
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.overlaying == "y"
    assert [t.name for t in fig.data] == ["genes kept", "test accuracy"]
    assert list(fig.data[0].y) == [2.0]  # no place for 0 on a log axis
