"""The command a page shows reproduces the page's numbers to the last digit.

The page trains in a job of the server's queue (one torch thread per job on a 2-core
server); ``python -m regcore train`` runs in a fresh process whose torch would take every
core. A batch-norm mean or a matrix product splits its sum into one partial sum per thread,
so the config's ``threads`` (default 1) pins the count wherever the run trains. Compared
exactly (==): every metric but the wall time, every epoch of every curve, every weight.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from regcore.core import RunResult
from regcore.experiments import COMPARISONS, compare, compare_nets
from regcore.links import DropoutSettings, configs_from_query, export, from_query
from regcore.serve import JobQueue, Limits

ROOT = Path(__file__).resolve().parents[2]
# The link: network 3 is batch norm (test loss 3.7036 on the page, 3.7188 by the
# command before the fix), network 2 dropout 0.5.
DROPOUT_LINK = "dropout.p=0.0,0.5,0.0&dropout.norm=none,none,batch"


def _on_the_queue(fn):
    """``fn(stop, emit)`` as a page runs it: a job of the queue, one thread per job."""
    queue = JobQueue(Limits(max_jobs=2, cpus=2, max_waiting=4))
    assert queue.threads_per_job == 1
    try:
        job = queue.submit(fn, label="repro")
        assert job.wait(600), "the page's job did not finish"
        assert job.error is None, job.error
        return job.result
    finally:
        queue.shutdown()


def _command(config_json: str, tmp_path: Path, name: str) -> RunResult:
    """``python -m regcore train NAME.json --out NAME.out.json`` in a fresh process whose
    torch starts with 2 threads (as on the 2-core machine the issue was found on)."""
    (tmp_path / f"{name}.json").write_text(config_json)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"}
    proc = subprocess.run(
        [sys.executable, "-m", "regcore", "train", f"{name}.json", "--out", f"{name}.out.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return export.load_run_json((tmp_path / f"{name}.out.json").read_text())


def _assert_identical(page: RunResult, cli: RunResult) -> None:
    for key, value in page.metrics.items():
        if key not in ("seconds", "device"):
            assert cli.metrics[key] == value, (key, value, cli.metrics[key])
    for key, curve in page.history.items():
        if key != "seconds":
            assert list(cli.history[key]) == list(curve), key
    assert {k: list(v) for k, v in cli.weights.items()} == page.weights


@pytest.mark.parametrize("net", [2, 1], ids=["batch_norm", "dropout_0.5"])
def test_dropout_page_command_reproduces_each_network_exactly(net, tmp_path):
    settings, problems = DropoutSettings.from_params(dict(parse_qsl(DROPOUT_LINK)))
    assert not problems
    configs, base = configs_from_query(DROPOUT_LINK), from_query(DROPOUT_LINK)
    res = _on_the_queue(lambda stop, emit: compare_nets(base, settings.nets, stop=stop))
    page = res.runs[net]
    assert page.config == configs[net] and page.config.threads == 1
    _assert_identical(page, _command(page.config.to_json(), tmp_path, f"net{net + 1}"))


def test_compare_page_l1_vs_l2_commands_reproduce_exactly(tmp_path):
    preset = COMPARISONS["regularizers"]
    variants = tuple(v for v in preset.variants if v.kind in ("l1", "l2"))
    res = _on_the_queue(lambda stop, emit: compare(preset.base, variants, stop=stop))
    assert [c.reg.kind for c in res.configs] == ["l1", "l2"]
    for i, run in enumerate(res.runs):
        _assert_identical(run, _command(run.config.to_json(), tmp_path, f"run{i + 1}"))
