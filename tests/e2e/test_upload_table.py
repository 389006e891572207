"""Real browser: ISLR's Hitters (text columns, 59 missing salaries) uploads on the Playground,
the page says in one note what was done to it, and it trains."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.e2e.conftest import screenshot

ERROR = '[data-testid="stException"]'
HITTERS = ROOT / "regcore/data/islr/Hitters.csv"


def test_upload_hitters_says_what_was_done_and_trains(browser_page, server) -> None:
    # the target comes with the link, as a teacher's shared link would carry it (choosing it in
    # the box is tested in tests/app/test_upload_table.py and tests/e2e/test_pages.py)
    url = f"{server.url}/playground?data.name=csv&data.target=Salary"
    page = browser_page(url, width=1024, height=768)
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"][accept*=".csv"]')
    uploader.set_input_files(str(HITTERS))
    page.get_by_text("59 of 322 rows have no Salary: left out (263 remain)").wait_for(
        timeout=60_000
    )
    assert page.get_by_text("Done to this table to make it usable").count() == 1
    page.get_by_text("League (A/N → League_N = 0/1)", exact=False).wait_for(timeout=10_000)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("trained on").first.wait_for(timeout=120_000)
    page.get_by_text("of 19 weights exactly 0").first.wait_for(timeout=30_000)
    assert page.locator(ERROR).count() == 0
    screenshot(page, "playground_hitters", full_page=False)
