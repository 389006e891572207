"""Real browser: the geometry view on the L1 vs L2 page and the Learn page's misconceptions.

Run with ``pytest -m e2e tests/e2e/test_teach.py``; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot

ERROR = '[data-testid="stException"]'
CHART = '[data-testid="stPlotlyChart"]'


@pytest.mark.parametrize("size", [(1400, 1000), (1024, 768)])
def test_geometry_view_puts_l1_on_an_axis_and_moves_it_off_at_small_lambda(
    browser_page, server, size
) -> None:
    page = browser_page(f"{server.url}/compare", *size)
    heading = page.get_by_text("Why L1 gives exact zeros")
    heading.wait_for(timeout=60_000)
    page.get_by_text("on an axis from λ").wait_for(timeout=90_000)  # default λ = 2
    page.get_by_text("shared start").first.wait_for(state="attached", timeout=30_000)
    assert page.locator(ERROR).count() == 0
    page.locator(CHART).last.scroll_into_view_if_needed()
    screenshot(page, f"compare_geometry_{size[0]}x{size[1]}", full_page=False)
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="λ (all three")
    thumb = slider.get_by_role("slider")
    thumb.focus()
    thumb.press("Home")  # λ = 0 ... then a few steps up: small λ, L1 off the axes
    for _ in range(6):
        thumb.press("ArrowRight")
    page.get_by_text("off the axes").wait_for(timeout=90_000)
    assert page.locator(ERROR).count() == 0


def test_learn_misconception_demo_shows_its_numbers(browser_page, server) -> None:
    page = browser_page(f"{server.url}/learn", 1024, 768)
    page.get_by_text("Misconceptions, each with a live demo").wait_for(timeout=60_000)
    page.get_by_role("button", name="Run demo").first.click()
    page.get_by_text("weight_decay is L2").wait_for(timeout=90_000)
    page.get_by_role("button", name="Run demo").nth(4).click()  # dropout
    page.get_by_text("passes inputs unchanged in eval").wait_for(timeout=90_000)
    assert page.locator(ERROR).count() == 0
    page.get_by_text("Misconceptions, each with a live demo").scroll_into_view_if_needed()
    screenshot(page, "learn_misconceptions")
