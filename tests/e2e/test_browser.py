"""Real browser (Playwright + Debian's Chromium): deep links on a fresh server, live training.

Run with ``pytest -m e2e tests/e2e``. Screenshots go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from tests.e2e.conftest import IDLE, SCREENSHOTS, app_pages, screenshot

PAGES = app_pages()
SHELL_CAPTION = "Regularization Lab"  # the sidebar line app.py writes on every page
ERROR = '[data-testid="stException"]'


def test_app_lists_pages() -> None:
    stems = [stem for stem, _ in PAGES]
    assert "playground" in stems and len(stems) == len(set(stems))


@pytest.mark.parametrize(("stem", "title"), PAGES, ids=[s for s, _ in PAGES])
def test_deep_link_on_a_fresh_server_runs_the_shell(browser_page, fresh_server, stem, title):
    page = browser_page(f"{fresh_server.url}/{stem}", 1600, 1400, idle=True)
    page.wait_for_timeout(1000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert SHELL_CAPTION in sidebar.inner_text(), "app.py's shared sidebar is missing"
    nav = page.locator('[data-testid="stSidebarNav"] a')
    assert nav.count() == len(PAGES), "navigation is not app.py's page list"
    assert title in page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert page.locator(ERROR).count() == 0
    # the page may write its settings into the query string; the path must stay its own
    path = urllib.parse.urlparse(page.url).path
    assert path.rstrip("/").endswith(f"/{stem}") or stem == PAGES[0][0]
    screenshot(page, f"page_{stem}", settle_ms=0)


WATCH = """() => {
  if (window.__obs) window.__obs.disconnect();
  window.__marks = {};
  const t0 = performance.now();
  const seen = (sel) => document.querySelector(sel) !== null;
  const obs = new MutationObserver(() => {
    const m = window.__marks;
    const now = performance.now() - t0;
    // the click's script run has begun: the old elements turn stale, or the status shows
    const stale = seen('[data-stale="true"]') || seen('[data-testid="stStatusWidget"]');
    const progress = seen('[data-testid="stProgress"]');
    if (m.ran === undefined && (stale || progress)) m.ran = now;
    if (m.ran === undefined) return;
    const traces = document.querySelectorAll(
      '[data-testid="stPlotlyChart"] .scatterlayer .trace').length;
    const done = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
      .some((e) => e.textContent.includes("trained on"));  // the finished result's caption
    // first feedback: the progress bar, or the result's caption (a small run is drawn in
    // the click's own script run, with no live view: ui.live.stream.settle)
    if (m.feedback === undefined && (progress || (done && !stale))) m.feedback = now;
    if (m.final === undefined && done && traces >= 2 && !stale && !progress) m.final = now;
  });
  obs.observe(document.body, {childList: true, subtree: true, attributes: true});
  window.__obs = obs;
}"""


def _train_once(page) -> tuple[float, float]:
    """Click Train; seconds until the first feedback (progress bar or result) shows and
    until the final curves are drawn."""
    page.evaluate(WATCH)
    page.get_by_role("button", name="Train", exact=True).click()
    page.wait_for_function("() => window.__marks.final !== undefined", timeout=60_000)
    marks = page.evaluate("() => window.__marks")
    return marks["feedback"] / 1000, marks["final"] / 1000


def test_playground_trains_the_default_live(browser_page, fresh_server) -> None:
    page = browser_page(f"{fresh_server.url}/playground", 1600, 1400, idle=True)
    page.get_by_role("button", name="Train", exact=True).wait_for(timeout=30_000)
    first = _train_once(page)  # includes loading plotly.js into the page
    assert page.locator(ERROR).count() == 0
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 2
    assert "reg.kind" not in page.url  # the default config: a short link
    page.wait_for_function(IDLE, timeout=30_000)
    page.wait_for_timeout(500)
    second = _train_once(page)
    screenshot(page, "playground_trained", settle_ms=800)  # plotly finishes its layout
    page.get_by_text("over epochs").click()
    screenshot(page, "playground_over_epochs", settle_ms=800)
    assert page.locator(ERROR).count() == 0
    page.get_by_role("button", name="Overlay on one chart").click()  # the two runs, one chart
    page.get_by_text("Runs overlaid").wait_for(timeout=30_000)
    page.wait_for_function(IDLE, timeout=30_000)
    legend = page.locator('[data-testid="stPlotlyChart"] .legendtext').all_text_contents()
    assert legend.count("L2 · λ = 3 (#1)") == 2 and legend.count("L2 · λ = 3 (#2)") == 2, legend
    assert page.get_by_text("the runs coincide").count() == 1  # the same settings twice
    screenshot(page, "playground_overlay", settle_ms=800)
    assert page.locator(ERROR).count() == 0
    timings = {
        "first_click_to_feedback_s": round(first[0], 2),
        "first_click_to_final_curve_s": round(first[1], 2),
        "second_click_to_feedback_s": round(second[0], 2),
        "second_click_to_final_curve_s": round(second[1], 2),
    }
    (SCREENSHOTS.parent / "timings.json").write_text(json.dumps(timings, indent=2))
    print(timings)
    assert first[0] < 5.0 and second[0] < 5.0, timings
