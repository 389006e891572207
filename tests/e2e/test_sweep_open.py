"""Browser: the λ sweep stars the λ chosen on validation, and a saved sweep.json opens
again without retraining; a tampered or truncated file is named and changes nothing."""

from __future__ import annotations

import json
import re

import regcore
from regcore.links import export
from regcore.sweeps.lambda_sweep import log_grid
from tests.e2e.conftest import screenshot

ERROR = '[data-testid="stException"]'
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"][accept*="json"]'


def _lambda_star(page) -> str:
    text = page.get_by_text("chosen on validation").first.inner_text()
    return re.search(r"λ\* = (\S+)", text).group(1)


def test_sweep_stars_validation_choice_and_reopens_a_saved_sweep(browser_page, server, tmp_path):
    saved = regcore.sweep({"optim": {"epochs": 30}}, log_grid(1e-3, 30.0, 8))
    text = export.sweep_json(saved, {"lam_min": 1e-3, "lam_max": 30.0, "k": 8, "repeats": 1})
    good = tmp_path / "good.json"
    good.write_text(text)
    tampered = tmp_path / "tampered.json"
    raw = json.loads(text)
    raw["rows"][0]["test_loss"] = 0.001  # an edit without a new checksum
    tampered.write_text(json.dumps(raw))
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 3])

    page = browser_page(f"{server.url}/sweep")
    page.get_by_role("button", name="Sweep", exact=True).click()
    page.get_by_text("chosen on validation").first.wait_for(timeout=90_000)
    before = _lambda_star(page)
    page.get_by_text("Open a saved sweep (JSON)").click()
    uploader = page.locator(UPLOAD)
    for path, reason in ((tampered, "checksum does not match"), (cut, "cut short")):
        uploader.set_input_files(str(path))
        page.get_by_text(reason).first.wait_for(timeout=30_000)
        assert _lambda_star(page) == before  # what the page showed is kept
    uploader.set_input_files(str(good))
    page.get_by_text("Opened from good.json").wait_for(timeout=30_000)
    choice = saved.choice()
    assert _lambda_star(page) == f"{choice['lam']:.3g}"
    page.get_by_text(f"Its test loss: {choice['test_loss']:.3g}").wait_for(timeout=10_000)
    page.get_by_text("8 × 1 models × 30 epochs").wait_for(timeout=10_000)  # its settings
    lam_range = page.locator('[data-testid="stMain"] [data-testid="stSlider"]').first.inner_text()
    assert lam_range.split()[3:5] == ["0.001", "30"]  # the thumbs, then the ends 1e-4, 100
    assert page.locator(ERROR).count() == 0
    screenshot(page, "sweep_opened", full_page=False, settle_ms=0)
