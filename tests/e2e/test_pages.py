"""Real browser on one server: warm-server deep links, the L1 vs L2 and sweep defaults, a CSV.

Run with ``pytest -m e2e tests/e2e``. Screenshots go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import app_pages, screenshot

ERROR = '[data-testid="stException"]'
CHART = '[data-testid="stPlotlyChart"]'


def test_deep_links_work_on_a_warm_server_and_keep_the_link(browser_page, server) -> None:
    for _ in range(2):  # the second round finds the server already warm
        for stem, _title in app_pages():
            page = browser_page(f"{server.url}/{stem}")
            page.wait_for_timeout(500)
            assert page.locator('[role="dialog"]').count() == 0, f"/{stem}: page not found"
            assert page.url.split("?")[0].rstrip("/").endswith(f"/{stem}")
            assert page.locator(ERROR).count() == 0
            page.close()  # ten pages in all: each is freed once checked
    page = browser_page(f"{server.url}/playground?reg.kind=l1&reg.lam=0.1")
    page.wait_for_timeout(800)
    assert "reg.kind=l1" in page.url and "/playground" in page.url
    assert page.locator('[role="dialog"]').count() == 0


def test_compare_default_shows_l1_zeros_against_l2(browser_page, server) -> None:
    page = browser_page(f"{server.url}/compare")
    page.get_by_role("button", name="Train all", exact=True).click()
    page.get_by_text("195 / 200").first.wait_for(state="attached", timeout=90_000)
    page.wait_for_function(
        f"() => document.querySelectorAll('{CHART}').length >= 4", timeout=60_000
    )
    assert page.locator(ERROR).count() == 0
    screenshot(page, "compare_default")


def test_sweep_default_draws_the_validation_curve_and_paths(browser_page, server) -> None:
    page = browser_page(f"{server.url}/sweep")
    page.get_by_role("button", name="Sweep", exact=True).click()
    page.get_by_text("λ for the weight histogram").wait_for(timeout=90_000)
    page.wait_for_function(
        f"() => document.querySelectorAll('{CHART}').length >= 5", timeout=60_000
    )
    assert page.locator(ERROR).count() == 0
    screenshot(page, "sweep_default")
    # clicking a point of the loss curve opens that λ's weight histogram
    thumb = page.locator('[data-testid="stSliderThumbValue"]').last
    best = thumb.inner_text()
    point = page.locator(CHART).first.locator(".scatterlayer .trace .points path").nth(5)
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "(best) => { const t = document.querySelectorAll("
        "'[data-testid=\"stSliderThumbValue\"]'); return t[t.length - 1].innerText != best; }",
        arg=best,
        timeout=30_000,
    )
    assert thumb.inner_text() == "0.000928"  # the 6th of 32 λ from 1e-4 to 1e2
    assert page.locator(ERROR).count() == 0


def test_csv_upload_trains_and_bad_csv_names_the_row(browser_page, server, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    rows = [f"{i % 7},{(i * 3) % 5},{'yes' if i % 2 else 'no'}" for i in range(60)]
    good.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n1,2,3\n4,inf,5\n6,7,8\n")  # a text cell would be encoded
    page = browser_page(f"{server.url}/playground?data.name=csv")
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"][accept*=".csv"]')
    uploader.set_input_files(str(bad))
    page.get_by_text("holds an infinite value at line 3").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Train", exact=True).is_disabled()
    uploader.set_input_files(str(good))  # a single-file uploader: replaces the file
    page.get_by_text("holds an infinite value at line 3").wait_for(state="detached", timeout=30_000)
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("test accuracy").first.wait_for(timeout=60_000)
    page.get_by_text("trained on").first.wait_for(timeout=60_000)
    assert page.locator(ERROR).count() == 0
    screenshot(page, "playground_csv")
    # the shown config and command name the user's good.csv, never the server's copy,
    # and the config holds no synthetic set's fields
    page.get_by_text("Config, command and downloads").click()
    codes = page.locator('[data-testid="stCode"]')
    codes.first.wait_for(timeout=10_000)
    shown = "\n".join(codes.all_inner_texts())
    assert '"path": "good.csv"' in shown and "reads good.csv beside config.json" in shown
    assert "reglab-uploads" not in shown
    assert '"true_w"' not in shown and '"n_features"' not in shown


def test_csv_fixed_file_trains_the_chosen_target(browser_page, server, tmp_path: Path) -> None:
    """A refused file, then the corrected one: the box and the run keep ``data.target``
    (the browser drew the fresh box on its first column, and Train trained on that)."""
    from sklearn.datasets import load_diabetes

    table = load_diabetes(as_frame=True, scaled=False).frame  # age, sex, ..., target
    fixed, refused = tmp_path / "diabetes.csv", tmp_path / "diabetes_text.csv"
    table.to_csv(fixed, index=False)
    bad = table.astype({"sex": float})
    bad.loc[0, "sex"] = float("inf")  # refused: an infinite cell (a text column is encoded now)
    bad.to_csv(refused, index=False)
    for _ in range(3):  # the wrong column came about 3 times in 4
        page = browser_page(f"{server.url}/playground?data.name=csv")
        uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"][accept*=".csv"]')
        uploader.set_input_files(str(refused))
        page.get_by_text("infinite value").first.wait_for(timeout=30_000)
        uploader.set_input_files(str(fixed))
        page.get_by_text("infinite value").first.wait_for(state="detached", timeout=30_000)
        box = page.get_by_role("combobox", name="target column")
        page.wait_for_timeout(1_000)
        assert box.input_value() == "target"
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("trained on").first.wait_for(timeout=60_000)
        assert box.input_value() == "target"
        assert "data.target=target" in page.url
        page.close()  # three pages in a row: each is freed once checked
