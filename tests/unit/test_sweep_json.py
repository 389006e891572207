"""A sweep's exports carry its validation column and chosen λ; a saved sweep reads back
as it was, and a wrong, truncated or edited file is refused with what is wrong."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

import regcore
from regcore.cli import choice_line, main
from regcore.links import export
from tests.unit.conftest import reseal

TINY = {"optim": {"epochs": 4}, "data": {"n_features": 30}}
DROPOUT = {  # the sequential fallback (dropout), classification
    "data": {"name": "moons", "n_train": 30, "n_test": 20},
    "model": {"kind": "mlp", "hidden": [8], "dropout": 0.2},
    "optim": {"epochs": 2, "lr": 0.1},
}


@pytest.fixture(scope="module")
def res():
    return regcore.sweep(TINY, [0.01, 0.3, 3.0], repeats=2)


def test_sweep_csv_has_the_validation_column(res):
    rows = list(csv.DictReader(io.StringIO(export.sweep_csv(res.rows))))
    assert {"val_loss", "val_loss_std", "test_loss"} <= set(rows[0])
    assert [float(r["val_loss"]) for r in rows] == pytest.approx([r["val_loss"] for r in res.rows])


@pytest.mark.parametrize("raw", [TINY, DROPOUT])
def test_sweep_json_round_trip_keeps_validation_and_the_choice(raw):
    res = regcore.sweep(raw, [0.01, 0.3])
    text = export.sweep_json(res, {"k": 2})
    saved = json.loads(text)
    assert saved["choice"]["lam"] == res.lambdas[res.best_index]
    assert saved["choice"]["rule"] == "lowest mean validation loss"
    assert saved["n_val"] == res.n_val > 0
    back, settings = export.load_sweep_json(text)
    assert settings == {"k": 2} and (back.n_fit, back.n_val) == (res.n_fit, res.n_val)
    assert back.best_index == res.best_index and back.choice() == res.choice()
    assert [r["val_loss"] for r in back.rows] == [r["val_loss"] for r in res.rows]
    assert back.history["val_loss"] == [list(c) for c in res.history["val_loss"]]


def test_load_sweep_json_refuses_wrong_truncated_and_edited_files(res):
    text = export.sweep_json(res)
    with pytest.raises(ValueError, match="cut short"):
        export.load_sweep_json(text[: len(text) // 2])
    with pytest.raises(ValueError, match="not a sweep"):
        export.load_sweep_json(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match="not valid JSON"):
        export.load_sweep_json(b"\x00\x01 not json")
    edited = text.replace(f'"lam": {res.rows[0]["lam"]!r}', '"lam": 0.02', 1)
    assert edited != text
    with pytest.raises(ValueError, match="checksum does not match"):
        export.load_sweep_json(edited)


def test_load_sweep_json_refuses_resealed_edits_naming_the_field(res):
    text = export.sweep_json(res)
    k = res.best_index
    other = (k + 1) % len(res.lambdas)
    cases = [
        (lambda r: r["choice"].update(lam=r["lambdas"][other]), r"choice\.lam .* edited"),
        (lambda r: r["rows"][1].update(val_loss="=1+1"), r"rows\[1\]\.val_loss .* not a number"),
        (lambda r: r["rows"][2].update(lam=99.0), r"rows\[2\]\.lam = 99.0 differs"),
        (lambda r: r.update(n_val=-3), r"n_val = '-3' must be a count"),
        (lambda r: r["history"]["val_loss"][0].append("x"), r"history\.val_loss\[0\]"),
        (lambda r: r["weights"][0].update(linear1=["w"]), r"weights\[0\]\.linear1"),
        (lambda r: r["config"]["optim"].update(lr=-1), r"config: optim\.lr"),
        (lambda r: r.update(lambdas=[]), "lambdas must be a non-empty"),
    ]
    for change, message in cases:
        with pytest.raises(ValueError, match=message):
            export.load_sweep_json(reseal(text, change))


def test_a_sweep_saved_before_validation_still_opens_without_a_choice(res):
    def old(r):
        for row in r["rows"]:
            row.pop("val_loss"), row.pop("val_loss_std")
        r["history"].pop("val_loss")
        for key in ("choice", "n_fit", "n_val"):
            r.pop(key)

    back, _ = export.load_sweep_json(reseal(export.sweep_json(res), old))
    assert back.best_index is None and back.n_val == 0


def test_cli_choice_line_names_the_validation_choice_and_its_test_loss(res):
    line = choice_line(res)
    c = res.choice()
    assert line.startswith(f"λ* = {c['lam']:.4g} chosen on validation")
    assert f"its test loss {c['test_loss']:.4g}" in line and f"{res.n_val} of the" in line
    assert math.isfinite(c["test_loss"])


def test_cli_sweep_prints_and_writes_the_validation_choice(tmp_path, capsys):
    cfg = tmp_path / "config.json"
    cfg.write_text('{"optim": {"epochs": 5}}')
    out = tmp_path / "rows.json"
    assert main(["sweep", str(cfg), "--lambdas", "0.01:1:3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    back, _ = export.load_sweep_json(out.read_text())
    assert back.n_val == 4 and back.best_index is not None
    assert " val " in printed.splitlines()[0] and choice_line(back) in printed
    assert main(["sweep", str(cfg), "--lambdas", "0.01,1", "--out", str(tmp_path / "r.csv")]) == 0
    header = (tmp_path / "r.csv").read_text().splitlines()[0].split(",")
    assert "val_loss" in header
