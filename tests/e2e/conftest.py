"""Real-browser fixtures: Debian's Chromium and one fixture that opens a page of the app.

The live server itself (``server``, ``fresh_server``) is in tests/conftest.py.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TITLE = '[data-testid="stMain"] h1'  # every page's title: the page has drawn
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"  # no script running


def app_pages() -> list[tuple[str, str]]:
    """(url path, title) of every page listed in app.py, read from its source.

    Finds each ``st.Page("pages/x.py", ...)`` or ``_page("pages/x.py", "Title", ...)``
    call, so a page added to app.py is covered without touching this test.
    """
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and str(first.value).startswith("pages/"):
            title = next((kw.value.value for kw in node.keywords if kw.arg == "title"), None)
            if title is None and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                title = node.args[1].value
            pages.append((Path(first.value).stem, str(title or Path(first.value).stem)))
    return pages


def screenshot(page, name: str, full_page: bool = True, settle_ms: int = 600) -> None:
    """Save ``artifacts/screenshots/<name>.png`` after ``settle_ms`` (plotly's layout)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def train_and_open_files(page, button: str, done: str, timeout_ms: int = 120_000):
    """Press ``button`` once the page has settled, wait for the result's files expander
    (its label starts with ``done``) and open it; returns the page. A screenshot
    ``train_failed.png`` is kept when no result comes."""
    page.get_by_role("button", name=button, exact=True).wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.get_by_role("button", name=button, exact=True).click()
    try:
        page.get_by_text(done).first.wait_for(timeout=timeout_ms)
    except Exception:
        screenshot(page, "train_failed", settle_ms=0)
        raise
    # the result's script run has ended: elements of the run before it are gone (while a
    # run is still drawing, its earlier elements can stand where later ones will go)
    page.wait_for_function(IDLE, timeout=timeout_ms)
    page.get_by_text(done).first.click()
    page.wait_for_timeout(1000)  # the expander's code blocks are drawn
    return page


def copied_link(page) -> str:
    """The link the page's **Copy link** dialog shows (the dialog is closed again)."""
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_timeout(800)
    code = page.locator('[data-testid="stCode"]').all_inner_texts()
    page.keyboard.press("Escape")
    return next(t for t in code if t.startswith("http")).strip()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def browser_page(browser) -> Iterator[Callable[..., object]]:
    """Opens a URL in a new page and waits until the page's title is drawn.

    ``browser_page(url, width=1400, height=1000, idle=False, settle_ms=0)``: each page has a
    browser context of its own (no cookies or session shared with another page); ``idle``
    also waits until no script runs, ``settle_ms`` waits that much longer. Every page opened
    is closed after the test, so a test closes one itself only to free it early.
    """
    opened = []

    def open_(url: str, width: int = 1400, height: int = 1000, *, idle=False, settle_ms=0):
        page = browser.new_page(viewport={"width": width, "height": height})
        opened.append(page)
        page.goto(url)
        page.wait_for_selector(TITLE, timeout=60_000)
        if idle:
            page.wait_for_function(IDLE, timeout=60_000)
        if settle_ms:
            page.wait_for_timeout(settle_ms)
        return page

    yield open_
    for page in opened:
        page.context.close()  # a page from browser.new_page owns its context
