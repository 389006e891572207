"""Real browser: every tab is linkable and the copy control is visible without hovering.

A tab's link (the address bar after clicking the tab and setting its settings) opens that
tab with those settings in a fresh browser context; on every page with a "Copy link", the
box's copy button is shown with the pointer elsewhere. Screenshots at 1024 × 768 go to
artifacts/screenshots/ (``pytest -m e2e tests/e2e/test_tab_links.py``).
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
W, H = 1024, 768
OPEN_TAB = '[role="tab"][aria-selected="true"]'
COPY = '[data-testid="stCode"] [data-testid="stElementToolbarButton"] button'
SHOWN = """b => { for (let e = b; e && e.dataset.testid !== 'stCode'; e = e.parentElement) {
  const s = getComputedStyle(e);
  if (s.visibility !== 'visible' || s.opacity === '0' || s.display === 'none') return false; }
  return b.getBoundingClientRect().width > 0; }"""


def test_tab_links_a_tabs_link_opens_that_tab_with_its_settings(browser_page, server) -> None:
    page = browser_page(f"{server.url}/dropout", W, H)
    page.get_by_role("tab", name="Small batches").click()
    page.wait_for_url("**dropout.tab=small**", timeout=30_000)
    page.get_by_role("tabpanel").get_by_text("Small batches: epochs, metric").click()  # folded
    epochs = page.get_by_role("tabpanel").get_by_role("textbox", name="epochs")
    epochs.fill("30")
    epochs.press("Enter")
    page.wait_for_url("**dropout.tab_epochs=30**", timeout=30_000)
    page.get_by_role("tabpanel").get_by_text("test accuracy").click()
    page.wait_for_url("**dropout.tab_metric=test_acc**", timeout=30_000)
    fresh = browser_page(page.url, W, H)  # a context of its own: nothing but the link
    fresh.get_by_role("button", name="Train 9 runs").wait_for(timeout=30_000)
    assert fresh.locator(OPEN_TAB).inner_text().strip() == "Small batches"
    fresh.get_by_role("tabpanel").get_by_text("Small batches: epochs, metric").click()
    assert fresh.get_by_role("tabpanel").get_by_role("textbox", name="epochs").input_value() == "30"
    assert fresh.get_by_role("tabpanel").get_by_role("radio", name="test accuracy").is_checked()
    screenshot(fresh, "tab_link_small_batches_1024", full_page=False)


@pytest.mark.parametrize("path", ["playground", "compare", "sweep", "dropout"])
def test_tab_links_the_copy_button_is_visible_without_hover(browser_page, server, path) -> None:
    query = "?dropout.p=0.0,0.8&dropout.tab=biasvar" if path == "dropout" else ""
    page = browser_page(f"{server.url}/{path}{query}", W, H)
    page.get_by_role("button", name="Copy link").click()  # hidden tabs' ones do not count
    button = page.locator(f"{COPY} >> visible=true").first
    button.wait_for(timeout=30_000)
    page.mouse.move(W - 5, H - 5)  # the pointer away from it
    page.wait_for_timeout(400)
    assert button.evaluate(SHOWN)
    box = page.locator('[data-testid="stCode"] >> visible=true').first.inner_text()
    assert f"/{path}" in box
    if path == "dropout":
        assert page.locator(OPEN_TAB).inner_text().strip() == "Bias–variance"
        assert "dropout.tab=biasvar" in box
    screenshot(page, f"copy_link_{path}_1024", full_page=False)
