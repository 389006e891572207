"""Real browser: a link copied from each page, opened on a fresh server in a fresh browser
context, trains the identical experiment and shows the same final numbers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
TILE = '[data-testid="stMetricValue"]'
CODE = '[data-testid="stCode"]'


def _train(browser, url: str, button: str, done: str):
    """Open ``url`` in a new browser context, press ``button``, open the result's files
    expander; returns (page, context)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(url)
    page.get_by_role("button", name=button, exact=True).wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_text(done).first.wait_for(timeout=120_000)
    page.get_by_text(done).first.click()
    page.wait_for_timeout(1000)
    return page, ctx


def _copied_link(page) -> str:
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_timeout(800)
    link = next(t for t in page.locator(CODE).all_inner_texts() if t.startswith("http"))
    page.keyboard.press("Escape")
    return link.strip()


@pytest.mark.parametrize(
    ("path", "button", "done"),
    [
        ("/playground?reg.lam=6.0&optim.lr=0.0015&seed=2", "Train", "Config, command and"),
        ("/sweep?data.name=polynomial&reg.kind=l1&sweep.k=6", "Sweep", "Config, command and"),
        (
            "/compare?compare.mode=regularizers&compare.runs=l1,l2&optim.epochs=50",
            "Train all",
            "Configs, commands and",
        ),
    ],
)
def test_share_link_opened_in_a_fresh_browser_trains_the_same(
    browser, fresh_server, path, button, done
) -> None:
    first, ctx1 = _train(browser, fresh_server.url + path, button, done)
    link = _copied_link(first)
    assert link.startswith(fresh_server.url)
    tiles, codes = first.locator(TILE).all_inner_texts(), first.locator(CODE).all_inner_texts()
    ctx1.close()
    second, ctx2 = _train(browser, link, button, done)
    try:
        assert second.locator(TILE).all_inner_texts() == tiles  # the same final numbers
        again = [c for c in second.locator(CODE).all_inner_texts() if not c.startswith("http")]
        assert again == [c for c in codes if not c.startswith("http")]  # configs, commands
        assert any(c.lstrip().startswith("{") for c in again)
    finally:
        ctx2.close()
