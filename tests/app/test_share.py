"""Share and reproduce: each page's link holds its full state (page → link →
``regcore.from_query`` → the same config), and the shown command reproduces the numbers."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import regcore
from regcore.links import SweepSettings, export
from tests.app.conftest import link_of, wait_for_job
from tests.conftest import ROOT


def _cli(*args: str, cwd: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "regcore", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
    )
    assert proc.returncode == 0, proc.stderr


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-9)


def test_share_playground_link_and_command_reproduce_the_page(open_page, tmp_path):
    at = open_page("pages/playground.py", "data.name=moons&model.kind=linear&optim.epochs=12")
    at.selectbox(key="pg_reg.kind").set_value("l1").run()
    at.text_input(key="pg_seed__typed").set_value("3").run()
    at.button(key="pg_train").click().run()
    wait_for_job(at, "pg")
    assert not at.exception
    result = at.session_state["pg_result"]
    assert regcore.from_query(link_of(at)) == result.config  # page → link → same config
    shown = [c.value for c in at.code]
    assert result.config.to_json() in shown
    assert any(c.startswith("python -m regcore train config.json") for c in shown)
    (tmp_path / "config.json").write_text(result.config.to_json())
    _cli("train", "config.json", "--out", "result.json", cwd=tmp_path)
    again = export.load_run_json((tmp_path / "result.json").read_text())
    for key in ("train_loss", "test_loss", "weight_l2", "zero_fraction", "test_acc"):
        assert _close(again.metrics[key], result.metrics[key]), key


def test_share_playground_bad_link_values_are_named_and_the_rest_kept(open_page):
    at = open_page("pages/playground.py", "reg.lam=0.5&optim.lr=abc&model.dropout=0.3&seed=4")
    warnings = " ".join(w.value for w in at.warning)
    assert "optim.lr = 'abc'" in warnings and "model.dropout applies to" in warnings
    cfg = at.session_state["pg_cfg"]
    assert cfg.reg.lam == 0.5 and cfg.seed == 4 and cfg.optim.lr == 0.003
    assert regcore.from_query(link_of(at)) == cfg


def test_share_sweep_link_holds_range_k_r_and_command_reproduces(open_page, tmp_path):
    query = "data.name=polynomial&reg.kind=l1&sweep.lam_min=0.003&sweep.lam_max=3.0&sweep.k=5"
    at = open_page("pages/sweep.py", query)
    assert at.slider(key="sw_k").value == 5
    at.button(key="sw_go").click().run()
    wait_for_job(at, "sw")
    assert not at.exception
    out = at.session_state["sw_result"]
    res = out.sweep
    link = link_of(at)
    assert regcore.from_query(link) == res.config
    settings, problems = SweepSettings.from_params(link)
    assert not problems and settings.lambdas() == res.lambdas and len(res.lambdas) == 5
    command = next(c.value for c in at.code if c.value.startswith("python -m regcore sweep"))
    (tmp_path / "config.json").write_text(res.config.to_json())
    _cli(*command.split()[3:-2], "--out", "rows.json", cwd=tmp_path)
    rows = json.loads((tmp_path / "rows.json").read_text())["rows"]
    assert [r["lam"] for r in rows] == res.lambdas
    for mine, theirs in zip(res.rows, rows, strict=True):
        assert _close(mine["test_loss"], theirs["test_loss"])


def test_share_lambda_and_lr_take_typed_values_inside_bounds(open_page):
    """The textbook mapping needs λ = 6 and lr = 0.0015, which the 1-3-10 sliders lack."""
    at = open_page("pages/playground.py")
    at.text_input(key="pg_reg.lam__typed").set_value("6").run()
    at.text_input(key="pg_optim.lr__typed").set_value("0.0015").run()
    assert not at.exception
    cfg = at.session_state["pg_cfg"]
    assert (cfg.reg.lam, cfg.optim.lr) == (6.0, 0.0015)
    assert at.select_slider(key="pg_reg.lam").value == 6.0
    assert regcore.from_query(link_of(at)) == cfg
