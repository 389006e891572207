"""AppTest: the Playground keeps the session's runs and overlays λ = 0 against λ = 3."""

from __future__ import annotations

import csv
import io
import json

from streamlit.testing.v1 import AppTest

from tests.app.conftest import chart_specs, wait_for_job
from ui.playground import history, runs

P = "pg"


def _train(at: AppTest, lam: float) -> None:
    at.select_slider(key=f"{P}_reg.lam").set_value(lam).run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not at.exception and not at.error


def test_playground_runs_overlay_lambda_0_against_3(playground: AppTest) -> None:
    at = playground
    _train(at, 0.0)
    _train(at, 3.0)
    h = at.session_state[f"{P}_runs"]
    assert h.numbers() == [1, 2]
    assert any("Runs of this session" in s.value for s in at.subheader)
    table = next(m.value for m in at.markdown if "| # | settings |" in m.value)
    assert "λ = 0" in table and "λ = 3" in table
    pair = at.button(key=f"{P}_runs_pair")  # one click under the charts overlays the two
    assert "#1 λ = 0 and #2 λ = 3" in pair.label
    pair.click().run()
    assert not at.exception
    assert at.multiselect(key=f"{P}_runs_shown").value == [1, 2]
    specs = {s["layout"]["xaxis"]["title"]["text"]: s for s in chart_specs(at)}
    curves = specs["epoch (solid: test, dashed: train)"]
    names = [t["name"] for t in curves["data"]]
    assert names == ["λ = 0", "λ = 0 (train)", "λ = 3", "λ = 3 (train)"]
    colors = {t["name"]: t["line"]["color"] for t in curves["data"]}
    assert colors["λ = 0"] == colors["λ = 0 (train)"] != colors["λ = 3"]
    hist = specs["final weight value"]
    assert [t["name"] for t in hist["data"]] == ["λ = 0", "λ = 3", "true weights"]  # same data
    assert {b.label for b in at.get("download_button")} >= {
        "overlaid curves (CSV)",
        "overlaid runs (JSON)",
    }
    shown = h.shown_runs()  # what the buttons write, made as they make it
    rows = list(csv.DictReader(io.StringIO(runs.overlay_csv(shown, history.labels(shown), [1, 2]))))
    assert {(r["run"], r["label"]) for r in rows} == {("1", "λ = 0"), ("2", "λ = 3")}
    assert len(rows) == 200
    doc = json.loads(runs.overlay_json(shown))
    assert [(r["run"], r["settings"]) for r in doc["runs"]] == [
        (1, {"reg.lam": 0.0}),
        (2, {"reg.lam": 3.0}),
    ]
    assert doc["runs"][0]["metrics"]["weight_l2"] > 10 * doc["runs"][1]["metrics"]["weight_l2"]
    # a third run joins the overlay; clearing the choice brings back the single-run charts
    _train(at, 0.1)
    assert [t["name"] for t in chart_specs(at)[0]["data"]][::2] == ["λ = 0", "λ = 3", "λ = 0.1"]
    at.multiselect(key=f"{P}_runs_shown").set_value([1, 3]).run()
    assert [t["name"] for t in chart_specs(at)[0]["data"]][::2] == ["λ = 0", "λ = 0.1"]
    at.multiselect(key=f"{P}_runs_shown").set_value([]).run()
    assert [t["name"] for t in chart_specs(at)[0]["data"]][:2] == ["train", "test"]
    assert {"train loss", "test loss", "‖w‖₂"} <= {m.label for m in at.metric}


def test_playground_runs_on_other_data_warn_pin_and_clear(playground: AppTest) -> None:
    at = playground
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("3").run()
    _train(at, 0.0)
    at.text_input(key=f"{P}_data.n_train__typed").set_value("40").run()
    _train(at, 0.0)
    at.button(key=f"{P}_runs_pair").click().run()
    assert any("Different data (n train)" in w.value for w in at.warning)
    legend = [t["name"] for t in chart_specs(at)[0]["data"]][::2]
    assert legend == ["n train = 20", "n train = 40"]
    hist = [t["name"] for t in chart_specs(at)[1]["data"]]
    assert hist == ["n train = 20", "n train = 40"]  # data differ: no shared true weights
    at.multiselect(key=f"{P}_runs_pinned").set_value([1]).run()
    at.button(key=f"{P}_runs_clear").click().run()
    assert not at.exception
    assert at.session_state[f"{P}_runs"].numbers() == [1]
