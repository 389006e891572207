"""Runs overlaid on one chart: labels of what differs, the two figures, the runs' files."""

from __future__ import annotations

import csv
import io
import json

from regcore.core import RunResult, TrainConfig
from regcore.figures import (
    RUN_COLORS,
    data_difference,
    differing_fields,
    fig_overlay_curves,
    fig_overlay_hist,
    run_labels,
)
from regcore.links import runs_curves_csv, runs_json

L2 = TrainConfig()


def _cfg(**changes: object) -> TrainConfig:
    return L2.replace(**changes)


def _run(cfg: TrainConfig, test: list[float], val: bool = False) -> RunResult:
    history = {
        "epoch": [1, 2, 3],
        "train_loss": [1.0, 0.5, 0.25],
        "test_loss": test,
    }
    if val:
        history["val_loss"] = [1.1, 0.6, 0.3]
    return RunResult(
        config=cfg,
        history=history,
        weights={"linear": [0.0, 0.5, -1.0]},
        metrics={"test_loss": test[-1], "weight_l2": 1.1},
    )


def test_run_labels_name_only_what_differs() -> None:
    assert run_labels([_cfg(**{"reg.lam": 0.0}), L2]) == ["λ = 0", "λ = 3"]
    l1 = _cfg(**{"reg.kind": "l1", "reg.lam": 0.1})
    assert run_labels([L2, l1]) == ["L2 · λ = 3", "L1 · λ = 0.1"]
    assert run_labels([L2]) == ["L2 · λ = 3"]  # nothing differs: the regularizer and λ
    assert run_labels([_cfg(**{"reg.lam": 1e-5}), L2])[0] == "λ = 1e-5"


def test_run_labels_leave_out_settings_a_run_ignores() -> None:
    none = _cfg(**{"reg.kind": "none"})
    assert run_labels([_cfg(**{"reg.lam": 0.1}), none]) == ["L2 · λ = 0.1", "none"]
    mlp = _cfg(**{"model.kind": "mlp", "model.hidden": [8], "model.dropout": 0.2})
    labels = run_labels([L2, mlp])
    assert labels == ["linear", "MLP · hidden 8 · dropout p = 0.2"]


def test_run_labels_tell_apart_identical_settings_by_number() -> None:
    assert run_labels([L2, L2], numbers=[4, 7]) == ["L2 · λ = 3 (#4)", "L2 · λ = 3 (#7)"]


def test_differing_fields_put_lambda_first_and_data_difference_names_data() -> None:
    a, b = L2, _cfg(**{"data.n_train": 40, "reg.lam": 1.0})
    assert differing_fields([a, b]) == ["reg.lam", "data.n_train"]
    assert data_difference([a, b]) == ["n train"]
    assert data_difference([a, _cfg(**{"reg.lam": 0.0})]) == []
    assert run_labels([a, b], file_names=[None, None]) == [
        "λ = 3 · n train = 20",
        "λ = 1 · n train = 40",
    ]


def test_fig_overlay_curves_one_colour_per_run_test_solid_train_dashed() -> None:
    runs = [_run(_cfg(**{"reg.lam": 0.0}), [2.0, 3.0, 4.0]), _run(L2, [2.0, 1.0, 0.0])]
    fig = fig_overlay_curves(runs, ["λ = 0", "λ = 3"], loss_name="MSE")
    assert [t.name for t in fig.data] == ["λ = 0", "λ = 0 (train)", "λ = 3", "λ = 3 (train)"]
    assert [t.line.color for t in fig.data] == [RUN_COLORS[0]] * 2 + [RUN_COLORS[1]] * 2
    assert [t.line.dash for t in fig.data] == ["solid", "dash", "solid", "dash"]
    assert [t.showlegend for t in fig.data] == [True, False, True, False]
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.title.text == "MSE (log scale)"
    assert fig.data[2].y[-1] is None  # a 0 loss is a gap on a log axis
    only_test = fig_overlay_curves(runs, ["a", "b"], show_train=False, colors=["#000000"] * 2)
    assert [t.name for t in only_test.data] == ["a", "b"]
    assert only_test.data[1].line.color == "#000000"


def test_fig_overlay_curves_many_runs_put_the_legend_below() -> None:
    runs = [_run(_cfg(**{"reg.lam": float(i)}), [1.0, 0.5, 0.2]) for i in range(5)]
    fig = fig_overlay_curves(runs, [f"λ = {i}" for i in range(5)])
    assert fig.layout.legend.yref == "container"  # the "bottom" placement of base_layout
    assert len({t.line.color for t in fig.data}) == 5


def test_fig_overlay_hist_shared_bins_centred_on_zero_and_zeros_named() -> None:
    wide, narrow = [-3.0, -1.0, 0.5, 2.0, 3.0], [0.0, 0.0, 0.01, -0.02]
    fig = fig_overlay_hist([wide, narrow], ["λ = 0", "λ = 3"])
    assert [t.name for t in fig.data] == ["λ = 0", "λ = 3 (2 of 4 exactly 0)"]
    assert list(fig.data[0].x) == list(fig.data[1].x)  # the same bins for both runs
    x = list(fig.data[1].x)
    zero_bin = min(range(len(x)), key=lambda i: abs(x[i]))
    assert abs(x[zero_bin]) < 1e-12 and fig.data[1].y[zero_bin] == 4
    assert sum(fig.data[0].y) == 5 and fig.data[0].line.shape == "hvh"
    logged = fig_overlay_hist([wide, narrow], ["a", "b"], log_count=True)
    assert logged.layout.yaxis.type == "log" and 0 in logged.data[1].y  # drops to the foot


def test_fig_overlay_hist_marks_the_shared_true_weights_as_a_single_run_does() -> None:
    a, b, truth = [0.9, 0.1, -0.8, 0.05], [0.5, 0.0, -0.4, 0.0], [1.0, 0.0, -1.0, 0.0]
    fig = fig_overlay_hist([a, b], ["λ = 0", "λ = 3"], true_w=truth)
    marks = fig.data[-1]
    assert [t.name for t in fig.data] == ["λ = 0", "λ = 3 (2 of 4 exactly 0)", "true weights"]
    assert marks.line.dash == "dot" and marks.showlegend is not False  # named in the legend
    assert [x for x in marks.x if x is not None] == [-1.0, -1.0, 0.0, 0.0, 1.0, 1.0]
    assert max(y for y in marks.y if y is not None) == max(max(t.y) for t in fig.data[:2])
    logged = fig_overlay_hist([a, b], ["a", "b"], true_w=truth, log_count=True)
    assert logged.data[-1].name == "true weights"  # from the log axis's foot, as a single run's
    other_layer = fig_overlay_hist([a + [0.2], b + [0.1]], ["a", "b"], true_w=truth)
    assert "true weights" not in [t.name for t in other_layer.data]  # not these weights'


def test_runs_curves_csv_has_a_run_column_and_every_series() -> None:
    runs = [_run(_cfg(**{"reg.lam": 0.0}), [2.0, 3.0, 4.0]), _run(L2, [2.0, 1.0, 0.5], val=True)]
    rows = list(csv.DictReader(io.StringIO(runs_curves_csv(runs, ["λ = 0", "λ = 3"], [1, 2]))))
    assert len(rows) == 6
    assert list(rows[0])[:3] == ["run", "label", "epoch"]
    assert [(r["run"], r["label"]) for r in rows[::3]] == [("1", "λ = 0"), ("2", "λ = 3")]
    assert rows[0]["val_loss"] == "" and rows[3]["val_loss"] == "1.1"
    assert rows[5]["test_loss"] == "0.5"


def test_runs_json_holds_each_run_with_its_label_and_settings() -> None:
    runs = [_run(_cfg(**{"reg.lam": 0.0}), [2.0, 3.0, 4.0]), _run(L2, [2.0, 1.0, 0.5])]
    doc = json.loads(
        runs_json(
            runs,
            ["λ = 0", "λ = 3"],
            [1, 2],
            settings=[{"reg.lam": 0.0}, {"reg.lam": 3.0}],
        )
    )
    assert doc["format"] == "regularization-lab runs" and len(doc["checksum"]) == 64
    assert [r["label"] for r in doc["runs"]] == ["λ = 0", "λ = 3"]
    assert doc["runs"][1]["settings"] == {"reg.lam": 3.0}
    assert doc["runs"][0]["config"]["reg"]["lam"] == 0.0
    assert doc["runs"][0]["weights"]["linear"] == [0.0, 0.5, -1.0]
