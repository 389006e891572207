"""Exports: CSV cells a spreadsheet never runs, JSON that reads back, and bad files named."""

from __future__ import annotations

import csv
import io
import json

import pytest

import regcore
from regcore.links import export
from tests.unit.conftest import reseal

TINY = {"optim": {"epochs": 4}}


@pytest.fixture(scope="module")
def run() -> regcore.RunResult:
    return regcore.fit(TINY)


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_export_csv_neutralizes_formula_text(text):
    out = export.write_csv(["label", "value"], [[text, -1.5]])
    row = list(csv.reader(io.StringIO(out, newline="")))[1]
    assert row[0] == "'" + text and row[1] == "-1.5"  # numbers stay numbers


def test_export_csv_neutralizes_headers_and_comparison_labels():
    out = export.compare_csv([{"=run": "=HYPERLINK(1)", "‖w‖₂": 0.5, "ok": True}])
    header, row = list(csv.reader(io.StringIO(out)))
    assert header[0] == "'=run" and row == ["'=HYPERLINK(1)", "0.5", "true"]


def test_export_run_csvs_hold_curves_and_weights(run):
    curves = list(csv.DictReader(io.StringIO(export.run_curves_csv(run))))
    assert [int(r["epoch"]) for r in curves] == [1, 2, 3, 4]
    assert float(curves[-1]["test_loss"]) == run.history["test_loss"][-1]
    weights = list(csv.DictReader(io.StringIO(export.run_weights_csv(run))))
    assert len(weights) == sum(len(v) for v in run.weights.values())
    first = run.weights["linear1"][0]
    assert weights[0]["layer"] == "linear1" and float(weights[0]["value"]) == first


def test_export_run_json_reads_back(run):
    back = export.load_run_json(export.run_json(run))
    assert back.config == run.config
    assert back.metrics["test_loss"] == run.metrics["test_loss"]
    assert back.history["train_loss"] == run.history["train_loss"]


def _edit(text: str, change) -> str:
    raw = json.loads(text)
    change(raw)
    return json.dumps(raw)


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda t: t[: len(t) // 2], "cut short"),
        (lambda t: "hello", "not valid JSON"),
        (lambda t: "[1, 2]", "format is 'list'"),
        (lambda t: _edit(t, lambda r: r.update(format="other")), "format is 'other'"),
        (lambda t: _edit(t, lambda r: r.update(version=9)), "version = '9'"),
        (lambda t: _edit(t, lambda r: r["metrics"].update(test_loss=0.0)), "checksum"),
        (lambda t: _edit(t, lambda r: r["config"]["reg"].update(lam=5.0)), "checksum"),
        (lambda t: "[" * 100_000, "nested too deeply"),
    ],
)
def test_export_wrong_truncated_or_tampered_files_are_named(run, make, needle):
    with pytest.raises(ValueError, match=needle):
        export.load_run_json(make(export.run_json(run)))


def test_export_resealed_but_broken_file_names_the_field(run):
    """A file edited and re-checksummed still gets every field it uses checked."""
    text = export.run_json(run)
    with pytest.raises(ValueError, match=r"config: reg\.lam = -1"):
        export.load_run_json(reseal(text, lambda r: r["config"]["reg"].update(lam=-1)))
    with pytest.raises(ValueError, match=r"history\.test_loss has 3 values, expected 4"):
        export.load_run_json(reseal(text, lambda r: r["history"]["test_loss"].pop()))
    with pytest.raises(ValueError, match="weights is missing"):
        export.load_run_json(reseal(text, lambda r: r.update(weights={})))


def test_export_sweep_csv_and_json_read_back():
    res = regcore.sweep(TINY, [0.01, 0.1, 1.0])
    rows = list(csv.DictReader(io.StringIO(export.sweep_csv(res.rows))))
    assert [float(r["lam"]) for r in rows] == [0.01, 0.1, 1.0]
    back, settings = export.load_sweep_json(export.sweep_json(res, {"k": 3}))
    assert settings == {"k": 3} and back.lambdas == res.lambdas
    assert [r["test_loss"] for r in back.rows] == [r["test_loss"] for r in res.rows]
    with pytest.raises(ValueError, match="not a sweep"):
        export.load_sweep_json(export.run_json(regcore.fit(TINY)))
