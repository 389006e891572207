"""Real browser: the Dropout & norm page trains its default and shows two decision surfaces.

Run with ``pytest -m e2e tests/e2e/test_dropout.py``; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.e2e
ERROR = '[data-testid="stException"]'
CHART = '[data-testid="stPlotlyChart"]'


@pytest.mark.parametrize("width,height", [(1400, 1000), (1024, 768)])
def test_dropout_default_trains_and_draws_surfaces(browser, server, width, height) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{server.url}/dropout")
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        page.get_by_role("button", name="Train all", exact=True).click()
        page.get_by_text("Decision surfaces").wait_for(timeout=120_000)
        page.wait_for_function(
            f"() => document.querySelectorAll('{CHART}').length >= 3", timeout=60_000
        )
        assert page.locator(ERROR).count() == 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(800)
        page.screenshot(path=str(SCREENSHOTS / f"dropout_default_{width}.png"), full_page=True)
    finally:
        page.close()
