"""Real browser: a link written by a page on one server, opened on another server in a fresh
browser context, trains the same experiment: the final numbers the two pages export are
equal, and equal to ``regcore`` run in this process on what the link decodes to.

Per page (Playground, λ sweep, L1 vs L2 and its scikit-learn comparison) with small
settings in the link so each case trains in seconds. The writer and the reader are two
servers started for this module (the reader has never seen the writer's sessions).
"""

from __future__ import annotations

import csv
import io
import json
import math
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

import regcore
from regcore.experiments.compare_presets import COMPARISONS
from regcore.experiments.comparison import Variant, compare, summary
from regcore.links import CompareSettings, SweepSettings
from regcore.links.export import compare_csv, sweep_csv
from tests.conftest import Server
from tests.e2e.conftest import copied_link, train_and_open_files

RTOL = 1e-5  # float32 sums on a server's threads against this process's single thread

CASES = [
    (
        "/playground?reg.lam=6.0&optim.lr=0.0015&optim.epochs=40&seed=2",
        "Train",
        "Config, command and",
        "run (JSON)",
    ),
    (
        "/sweep?data.name=polynomial&reg.kind=l1&sweep.k=6&sweep.bias_variance=false",
        "Sweep",
        "Config, command and",
        "sweep (CSV, row per λ)",
    ),
    (
        "/compare?compare.mode=regularizers&compare.runs=l1,l2&optim.epochs=50",
        "Train all",
        "Configs, commands and",
        "comparison (CSV)",
    ),
    (
        "/compare?compare.mode=sklearn_sparsity&optim.epochs=40",
        "Train all",
        "Configs, commands and",
        "comparison (CSV)",
    ),
]


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> Iterator[Server]:
    """A second server: the one the shared links are opened on."""
    with Server(tmp_path_factory.mktemp("reader") / "streamlit.log") as srv:
        yield srv


def _train_and_download(browser_page, url: str, button: str, done: str, download: str, tmp: Path):
    """Open ``url`` in a fresh context, train, download ``download``; returns (text, link)."""
    page = train_and_open_files(browser_page(url), button, done, timeout_ms=180_000)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=download).click()
    path = tmp / f"{len(list(tmp.iterdir()))}-{info.value.suggested_filename}"
    info.value.save_as(path)
    link = copied_link(page)
    page.close()  # the next page trains on the other server: free this one first
    return path.read_text(encoding="utf-8"), link


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _close(a: object, b: object) -> bool:
    try:
        x, y = float(a), float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(a) == str(b)
    return (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=RTOL, abs_tol=1e-9)


def _same_rows(got: list[dict], want: list[dict], skip: tuple[str, ...] = ("seconds",)) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        for key in w:
            if key not in skip:
                assert _close(g.get(key), w[key]), (key, g.get(key), w[key])


def _in_process(path: str, link: str) -> object:
    """What ``regcore`` computes for the link, in this process: the run's metrics, the
    sweep's rows or the comparison's table, in the page's export format."""
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
    cfg = regcore.from_query(params)
    if path.startswith("/playground"):
        return regcore.fit(cfg).metrics
    if path.startswith("/sweep"):
        settings, problems = SweepSettings.from_params(params)
        assert not problems
        res = regcore.sweep(cfg, settings.lambdas(), repeats=settings.repeats)
        return _rows(sweep_csv(res.rows))
    settings, problems = CompareSettings.from_params(params)
    assert not problems
    preset = COMPARISONS[settings.mode]
    variants = preset.variants
    if settings.mode == "regularizers":  # one λ for all: the base's (the link's reg.lam)
        variants = tuple(Variant(kind=k, l1_solver=settings.solver) for k in settings.runs)
    return _rows(compare_csv(summary(compare(cfg, variants))))


@pytest.mark.parametrize(("path", "button", "done", "download"), CASES)
def test_share_link_on_another_server_reproduces_the_numbers(
    browser_page, server, reader, tmp_path, path, button, done, download
) -> None:
    first, link = _train_and_download(
        browser_page, server.url + path, button, done, download, tmp_path
    )
    assert link.startswith(server.url)
    moved = reader.url + link[len(server.url) :]
    second, link2 = _train_and_download(browser_page, moved, button, done, download, tmp_path)
    assert urllib.parse.urlsplit(link2).query == urllib.parse.urlsplit(link).query
    want = _in_process(path, link)
    if download == "run (JSON)":
        a, b = json.loads(first)["metrics"], json.loads(second)["metrics"]
        keys = ("train_loss", "test_loss", "weight_l2", "weight_l1", "zero_fraction")
        assert [a[k] for k in keys] == [b[k] for k in keys]  # the same final numbers
        for k in keys:
            assert _close(a[k], want[k]), (k, a[k], want[k])
        return
    timeless = [{k: v for k, v in r.items() if k != "seconds"} for r in _rows(first)]
    assert [{k: v for k, v in r.items() if k != "seconds"} for r in _rows(second)] == timeless
    _same_rows(_rows(first), want)
