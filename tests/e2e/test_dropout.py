"""Real browser: the Dropout & norm page trains its default and shows the decision surfaces
and the gap table; a shared link of the page opens the same networks in a fresh browser.

Run with ``pytest -m e2e tests/e2e/test_dropout.py``; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot

ERROR = '[data-testid="stException"]'
CHART = '[data-testid="stPlotlyChart"]'
TABLE = '[data-testid="stTable"]'  # a wide table: wrapped to the page (ui.kit.tables)


@pytest.mark.parametrize("width,height", [(1400, 1000), (1024, 768)])
def test_dropout_default_trains_and_draws_surfaces(browser_page, server, width, height) -> None:
    page = browser_page(f"{server.url}/dropout", width, height)
    assert "dropout.p=" in page.url  # the page's state is in its link from the start
    page.get_by_role("button", name="Train all", exact=True).click()
    page.get_by_text("Decision surfaces").wait_for(timeout=180_000)
    page.wait_for_function(
        f"() => document.querySelectorAll('{CHART}').length >= 3", timeout=60_000
    )
    assert page.locator(ERROR).count() == 0
    top = page.locator(f"{CHART} >> visible=true").first.bounding_box()["y"]
    assert top < height, top  # the surfaces start above the fold
    table = page.locator(TABLE).first
    table.wait_for(timeout=30_000)
    assert table.is_visible()
    assert page.get_by_text("solid: test, dashed: train").is_visible()
    screenshot(page, f"dropout_default_{width}", settle_ms=800)


def test_dropout_shared_link_opens_the_same_networks(browser_page, server) -> None:
    query = "data.name=xor&optim.epochs=5&dropout.p=0.0,0.3,0.0&dropout.norm=none,batch,none"
    page = browser_page(f"{server.url}/dropout?{query}", 1024, 768)  # a context of its own
    page.get_by_text("3 configurations × 5 epochs").wait_for(timeout=30_000)
    page.get_by_role("button", name="Train all", exact=True).click()
    page.get_by_text("Decision surfaces").wait_for(timeout=120_000)
    page.locator(TABLE).first.wait_for(timeout=30_000)
    # the panels' titles (SVG text), once plotly has drawn them: the chart's element comes
    # first, its text a moment later
    surfaces = page.locator(CHART).filter(has_text="no dropout").first
    surfaces.wait_for(timeout=30_000)
    titles = surfaces.inner_text()
    assert "dropout 0.3 + batch norm" in titles and "no dropout" in titles
    assert page.locator(ERROR).count() == 0
