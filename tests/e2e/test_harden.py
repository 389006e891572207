"""Real browser: user text in messages is never a link; typed numbers; the projector layout.

Run with ``pytest -m e2e tests/e2e/test_harden.py``.
"""

from __future__ import annotations

import urllib.parse

import pytest

ALERT = '[data-testid="stAlert"]'
ERROR_BOX = '[data-testid="stAlertContentError"]'
CHART = '[data-testid="stPlotlyChart"]'


@pytest.mark.parametrize("path", ["playground", "sweep", "compare", "learn"])
def test_link_text_is_shown_literally_never_as_a_link(browser_page, server, path) -> None:
    query = urllib.parse.urlencode(
        {
            "data.name": "[log in again](https://evil.example/login)",
            "__proto__": "1",
            "www.evil.example": "a@evil.example",
        }
    )
    page = browser_page(f"{server.url}/{path}?{query}", 1024, 768, settle_ms=1500)
    page.wait_for_selector(ALERT, timeout=30_000)
    assert page.locator(f"{ALERT} a").count() == 0  # no link of any kind in a message
    assert page.locator(f"{ALERT} strong", has_text="proto").count() == 0  # not bold
    assert "proto" in " ".join(page.locator(ALERT).all_inner_texts())


def test_typed_numbers_read_as_typed_and_refused_with_the_bound(browser_page, server) -> None:
    """Chromium's number field turned a typed 1,5 training samples into 15: the box is text."""
    page = browser_page(f"{server.url}/playground", 1024, 768, settle_ms=1500)
    box = page.get_by_role("textbox", name="training samples")
    box.fill("1,5")
    box.press("Enter")
    page.wait_for_selector(f"{ERROR_BOX}:has-text(\"'1,5' is not a whole number\")", timeout=30_000)
    assert page.get_by_role("button", name="Train", exact=True).is_disabled()
    assert box.input_value() == "1,5" and "data.n_train=15" not in page.url
    box.fill("1e3")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('data.n_train=1000')")
    epochs = page.get_by_role("textbox", name="epochs", exact=True)
    epochs.fill("2.5")
    epochs.press("Enter")
    page.wait_for_selector(f"{ERROR_BOX}:has-text('not a whole number')", timeout=30_000)
    assert page.get_by_role("button", name="Train", exact=True).is_disabled()
    epochs.fill("5000")
    epochs.press("Enter")
    page.wait_for_selector(f"{ERROR_BOX}:has-text('allowed 1 to 2,000')", timeout=30_000)
    assert page.get_by_role("button", name="Train", exact=True).is_disabled()


def test_typed_decimal_comma_is_never_a_different_number(browser_page, server) -> None:
    """Chromium's number field turned a typed 0,5 into 05: λ = 5 trained. The box is text."""
    page = browser_page(f"{server.url}/playground", 1024, 768, settle_ms=1500)
    for name, text, query in (
        ("strength λ, typed", "0,5", "reg.lam=0.5"),
        ("learning rate, typed", "0,0015", "optim.lr=0.0015"),
    ):
        box = page.get_by_role("textbox", name=name)
        box.fill(text)
        box.press("Enter")
        page.wait_for_function(f"() => location.search.includes('{query}')", timeout=30_000)
        page.get_by_text(f"read {text} as").wait_for(timeout=30_000)
    box = page.get_by_role("textbox", name="strength λ, typed")
    box.fill("1,000")
    box.press("Enter")
    page.wait_for_selector(f"{ERROR_BOX}:has-text('thousands separator')", timeout=30_000)
    assert page.get_by_role("button", name="Train", exact=True).is_disabled()
    assert "reg.lam=0.5" in page.url


@pytest.mark.parametrize(
    ("path", "button", "present"),
    [
        ("playground", "Train", False),
        ("playground", "Train", True),
        ("dropout?optim.epochs=60&dropout.p=0.0,0.8", "Train all", False),  # a short default
    ],
)
def test_projector_main_chart_above_the_fold(browser_page, server, path, button, present) -> None:
    sep = "&" if "?" in path else "?"
    url = f"{server.url}/{path}" + (f"{sep}present=1" if present else "")
    page = browser_page(url, 1024, 768, settle_ms=1500)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_selector(CHART, timeout=120_000)
    page.wait_for_timeout(1500)
    if button == "Train all":  # the Dropout page: measure its finished surfaces
        page.get_by_text("Decision surfaces").wait_for(timeout=120_000)
        page.wait_for_timeout(1500)
    top = page.locator(f"{CHART} >> visible=true").first.bounding_box()["y"]
    assert top < 768 * 0.6, top  # the loss curves start in the top part of the screen
    if present:
        assert "present=1" in page.url
        assert page.get_by_text("Regularizer").first.is_hidden()  # sidebar collapsed
