"""Real browser: the Lesson page at a projector's 1024 × 768 — one click opens a demo and
trains it, and a Check answers with the app's numbers.

Run with ``pytest -m e2e tests/e2e/test_lessons.py``; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot

expect = pytest.importorskip("playwright.sync_api").expect

ERROR = '[data-testid="stException"]'
CHART = '[data-testid="stPlotlyChart"]'


def test_lesson_demo_opens_and_trains_in_one_click(browser_page, server) -> None:
    page = browser_page(f"{server.url}/lessons", 1024, 768)
    page.get_by_text("1. Weight decay").wait_for(timeout=60_000)
    screenshot(page, "lessons_1024x768", full_page=False)
    page.locator(".st-key-lesson_open_weight_decay button").click()
    page.wait_for_url("**/compare?*compare.runs=none%2Cl2*", timeout=60_000)
    page.locator(CHART).nth(1).wait_for(timeout=90_000)  # trained: histograms and curves
    expect(page.get_by_role("button", name="Train all")).to_be_enabled(timeout=90_000)
    assert page.locator(ERROR).count() == 0
    screenshot(page, "lessons_weight_decay_demo_1024x768", full_page=False)


def test_lesson_check_answers_with_the_numbers(browser_page, server) -> None:
    page = browser_page(f"{server.url}/lessons?present=1", 1024, 768)
    answer = page.locator(".st-key-lesson_weight_decay_answer__typed input")
    answer.wait_for(timeout=60_000)
    answer.fill("10")
    answer.press("Enter")
    page.wait_for_timeout(500)
    page.locator(".st-key-lesson_check_weight_decay button").click()
    page.get_by_text("Yes. λ = 10: test loss").wait_for(timeout=90_000)
    assert page.locator(ERROR).count() == 0
    screenshot(page, "lessons_check_present_1024x768", full_page=False)
