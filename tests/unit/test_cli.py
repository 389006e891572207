"""Command line: summaries, outputs, and one-line user errors with exit status 2."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from regcore.cli import main, parse_lambdas
from regcore.links import export

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "regcore", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_cli_train_default_prints_the_weight_decay_result(tmp_path):
    out = tmp_path / "r.json"
    proc = _run("train", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "‖w‖₂ 0.35" in proc.stdout and "device cpu" in proc.stdout
    result = json.loads(out.read_text())
    assert set(result) >= {"config", "history", "weights", "metrics"}
    assert len(result["history"]["train_loss"]) == 100


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"reg": {"lam": -1}}', "reg.lam = -1 is out of range"),
        ('{"reg": {"lam": 1', "not valid JSON"),
        ('{"colour": 1}', "unknown field colour"),
        ('{"optim": {"lr": 0}}', "optim.lr = 0"),
    ],
)
def test_cli_user_errors_are_one_line_with_status_2(tmp_path, capsys, content, needle):
    path = tmp_path / "c.json"
    path.write_text(content)
    assert main(["train", str(path)]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_missing_file_and_bad_arguments(capsys):
    assert main(["train", "/no/such/file.json"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and err.count("\n") == 1
    assert main(["sweep", "x.json"]) == 2  # --lambdas is required
    assert "--lambdas" in capsys.readouterr().err


def test_cli_sweep_writes_one_row_per_lambda(tmp_path, capsys):
    cfg = tmp_path / "c.json"
    cfg.write_text('{"optim": {"epochs": 5}}')
    out = tmp_path / "rows.csv"
    assert main(["sweep", str(cfg), "--lambdas", "1e-3:1e1:4", "--out", str(out)]) == 0
    lines = out.read_text().strip().splitlines()
    assert len(lines) == 5 and lines[0].startswith("lam,")
    assert main(["sweep", str(cfg), "--lambdas", "1:1000:3"]) == 2
    assert "reg.lam = 1000" in capsys.readouterr().err


def test_cli_parse_lambdas_is_log_spaced_and_checked():
    assert parse_lambdas("1e-2:1e2:5") == pytest.approx([1e-2, 1e-1, 1, 10, 100])
    assert parse_lambdas("0,0.5") == [0.0, 0.5]
    for bad in ("0:1:5", "1:2", "a:b:c", "-1", ""):
        with pytest.raises(Exception, match="--lambdas"):
            parse_lambdas(bad)


def test_cli_data_writes_split_features_and_target(tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text('{"data": {"n_features": 3}}')
    out = tmp_path / "d.csv"
    assert main(["data", str(cfg), "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "split,x0,x1,x2,y" and len(lines) == 121


def test_cli_schema_shows_every_bound(capsys):
    from regcore.core.bounds import BOUNDS

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    for key, (lo, hi) in BOUNDS.items():
        node = schema["properties"]
        for part in key.split("."):
            node = node[part] if part in node else node[part]
            node = node.get("properties", node)
        target = node.get("items", node)
        assert target.get("maximum") == hi, key
        assert lo in (target.get("minimum"), target.get("exclusiveMinimum")), key


def test_cli_presets_list_and_show(capsys):
    from regcore.experiments.presets import PRESETS

    assert main(["presets"]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in PRESETS)
    assert main(["presets", "sparse_lasso"]) == 0
    assert json.loads(capsys.readouterr().out)["data"]["name"] == "sparse_linear"
    assert main(["presets", "nope"]) == 2


def test_cli_sweep_folds_adds_the_cross_validated_choices(tmp_path, capsys):
    cfg = tmp_path / "c.json"
    cfg.write_text('{"optim": {"epochs": 5}}')
    assert main(["sweep", str(cfg), "--lambdas", "1e-2:1e1:4", "--folds", "5"]) == 0
    out = capsys.readouterr().out
    assert "5-fold CV: λ_min = " in out and "5-fold CV: λ_1se = " in out
    saved = tmp_path / "s.json"
    assert (
        main(["sweep", str(cfg), "--lambdas", "1e-2:1e1:4", "--folds", "5", "--out", str(saved)])
        == 0
    )
    capsys.readouterr()
    cv = export.load_sweep_export(saved.read_text())[2]  # the file keeps the CV
    assert cv is not None and cv.folds == 5 and len(cv.cv_loss) == 4
    assert main(["sweep", str(cfg), "--lambdas", "1e-2:1e1:4", "--folds", "1"]) == 2
    assert "--folds 1 is out of range" in capsys.readouterr().err


def test_cli_data_writes_a_table_as_the_model_sees_it_and_says_what_was_done(tmp_path, capsys):
    table = tmp_path / "t.csv"
    rows = "\n".join(
        f"{i},{'' if i == 4 else i * 2},{'yes' if i % 2 else 'no'},{i}.5" for i in range(1, 21)
    )
    table.write_text(f"id,a,flag,y\n{rows}\n")
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({
        "data": {"name": "csv", "path": str(table), "target": "y", "n_train": 15, "n_test": 5},
        "optim": {"batch_size": 5},
    }))  # fmt: skip
    out = tmp_path / "seen.csv"
    assert main(["data", str(cfg), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "columns: x0 = a, x1 = flag_yes" in text
    assert "  - left out: 'id' (a row number: 1, 2, … in file order)" in text
    assert "  - 1 missing value filled from the training rows" in text
    seen = pd.read_csv(out)
    assert list(seen.columns) == ["split", "x0", "x1", "y"] and len(seen) == 20
    train = seen[seen.split == "train"]
    assert abs(train.x0.mean()) < 1e-12 and abs(train.y.std(ddof=0) - 1) < 1e-12
