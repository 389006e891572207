"""Real browser: a link copied from each page, opened on a fresh server in a fresh browser
context, trains the identical experiment and shows the same final numbers."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import copied_link, train_and_open_files

TILE = '[data-testid="stMetricValue"]'
CODE = '[data-testid="stCode"]'


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
    browser_page, fresh_server, path, button, done
) -> None:
    first = train_and_open_files(browser_page(fresh_server.url + path), button, done)
    link = copied_link(first)
    assert link.startswith(fresh_server.url)
    tiles, codes = first.locator(TILE).all_inner_texts(), first.locator(CODE).all_inner_texts()
    first.close()
    second = train_and_open_files(browser_page(link), button, done)  # a context of its own
    assert second.locator(TILE).all_inner_texts() == tiles  # the same final numbers
    again = [c for c in second.locator(CODE).all_inner_texts() if not c.startswith("http")]
    assert again == [c for c in codes if not c.startswith("http")]  # configs, commands
    assert any(c.lstrip().startswith("{") for c in again)
