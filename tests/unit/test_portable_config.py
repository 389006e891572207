"""A CSV run's exported config names the user's file, not the server's stored copy, holds only
the data fields a CSV run reads, and reproduces the page's run from a folder holding both."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import regcore
from regcore.links import export
from regcore.links.portable import portable_config

ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC = ("n_features", "noise", "true_w", "true_b", "n_informative", "n_classes")
ROWS = "\n".join(f"{i % 7},{(i * 3) % 5},{(i % 7) * 0.5 - (i % 3):.2f}" for i in range(40))


def _server_copy(tmp_path: Path) -> Path:
    stored = tmp_path / "server" / "reglab-uploads" / ("ab" * 32 + ".csv")
    stored.parent.mkdir(parents=True)
    stored.write_text("age,bmi,target\n" + ROWS + "\n")
    return stored


def _csv_config(path: Path) -> regcore.TrainConfig:
    return regcore.dataset_config("csv").replace(
        **{"data.path": str(path), "data.target": "target", "data.n_train": 30, "data.n_test": 10}
    )


def test_portable_config_names_the_users_file_and_only_fields_a_csv_run_reads(tmp_path):
    cfg = _csv_config(_server_copy(tmp_path))
    out = json.loads(portable_config(cfg, "my diabetes.csv"))
    assert out["data"]["path"] == "my diabetes.csv"
    assert "reglab-uploads" not in json.dumps(out)
    assert not set(SYNTHETIC) & set(out["data"]), out["data"]
    assert set(out["data"]) == {"name", "n_train", "n_test", "path", "target", "missing", "seed"}
    assert regcore.load_config(out) == cfg.replace(**{"data.path": "my diabetes.csv"})
    # a browser's file name is a bare name; anything else keeps only its last part
    assert json.loads(portable_config(cfg, "../../etc/x.csv"))["data"]["path"] == "x.csv"
    # name unknown: never the server's folder, at most the stored file's own name
    assert json.loads(portable_config(cfg))["data"]["path"] == "ab" * 32 + ".csv"


def test_portable_config_leaves_other_data_sets_as_they_are():
    cfg = regcore.dataset_config("moons")
    assert portable_config(cfg, "ignored.csv") == cfg.to_json()


def test_run_json_of_a_csv_run_carries_the_portable_config(tmp_path):
    cfg = _csv_config(_server_copy(tmp_path)).replace(**{"optim.epochs": 2})
    result = regcore.fit(cfg)
    body = json.loads(export.run_json(result, file_name="mine.csv"))
    assert body["config"] == json.loads(portable_config(cfg, "mine.csv"))
    again = export.load_run_json(export.run_json(result, file_name="mine.csv"))
    assert again.config.data.path == "mine.csv" and again.metrics == result.metrics


def test_portable_csv_config_reproduces_the_page_from_the_users_folder(tmp_path):
    stored = _server_copy(tmp_path)
    cfg = _csv_config(stored)
    page = regcore.fit(cfg)  # what the page trained on its stored copy
    home = tmp_path / "home"
    home.mkdir()
    (home / "diabetes.csv").write_bytes(stored.read_bytes())  # the user's own file
    (home / "config.json").write_text(portable_config(cfg, "diabetes.csv"))
    proc = subprocess.run(
        [sys.executable, "-m", "regcore", "train", "config.json", "--out", "result.json"],
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    cli = export.load_run_json((home / "result.json").read_text())
    for key in ("train_loss", "test_loss", "weight_l2", "zero_fraction"):
        assert cli.metrics[key] == page.metrics[key], key
