"""A file longer than a run can use (the issue's 7.5 MB, 786,432 rows) is read as a seeded
sample, said in the note; the sizes filled in are within the bounds and it trains."""

from __future__ import annotations

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.app.conftest import wait_for_job

P = "pg"
ROWS = 786_432


def _digits_csv(n_rows: int, n_cols: int = 5) -> bytes:
    """``n_rows`` rows of single digits, 10 bytes a row at 5 columns (7.5 MB)."""
    cells = np.random.default_rng(0).integers(0, 10, size=(n_rows, n_cols), dtype=np.uint8)
    out = np.empty((n_rows, 2 * n_cols), dtype=np.uint8)
    out[:, 0::2] = cells + ord("0")
    out[:, 1::2] = ord(",")
    out[:, -1] = ord("\n")
    header = ",".join([f"x{i}" for i in range(n_cols - 1)] + ["y"]) + "\n"
    return header.encode() + out.tobytes()


def _note(at: AppTest) -> str:
    boxes = [e for e in at.expander if "Done to this table" in e.label]
    assert len(boxes) == 1, [e.label for e in at.expander]
    return "\n".join(m.value for m in boxes[0].markdown)


def test_upload_large_file_is_sampled_said_and_trains(open_page) -> None:
    data = _digits_csv(ROWS)
    assert len(data) // 2**20 == 7
    at = open_page(None, {"data.name": "csv"})
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("2").run()
    at.file_uploader(key=f"{P}_upload").set_value(("big.csv", data, "text/csv"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "40,000 of 786,432 rows, drawn at random; seed 0 (the data seed)" in _note(at)
    assert at.text_input(key=f"{P}_data.n_train__typed").value == "20000"  # the bound, not 629,146
    assert at.text_input(key=f"{P}_data.n_test__typed").value == "8000"
    assert not at.button(key=f"{P}_train").disabled
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not at.exception and not at.error, [e.value for e in at.error]
    result = at.session_state[f"{P}_result"]
    assert result.config.data.n_train == 20_000 and result.task == "classification"
    assert any("40,000 of 786,432 rows, drawn at random" in s for s in result.data_notes)
