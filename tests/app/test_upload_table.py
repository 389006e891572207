"""A real table with text and missing cells (ISLR's Hitters) uploads, says what was done to
it in one note, and trains."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import wait_for_job

P = "pg"
HITTERS = Path(__file__).resolve().parents[2] / "regcore/data/islr/Hitters.csv"


def _note(at: AppTest) -> str:
    boxes = [e for e in at.expander if "Done to this table" in e.label]
    assert len(boxes) == 1, [e.label for e in at.expander]  # one note, not one per change
    return "\n".join(m.value for m in boxes[0].markdown)


def test_upload_table_hitters_with_text_and_missing_cells_trains(open_page) -> None:
    at = open_page(None, {"data.name": "csv"})
    at.file_uploader(key=f"{P}_upload").set_value(("Hitters.csv", HITTERS.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception and not at.error
    at.selectbox(key=f"{P}_data.target").set_value("Salary").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    note = _note(at)
    assert "59 of 322 rows have no Salary: left out (263 remain)" in note
    assert "League (A/N → League_N = 0/1)" in note and "Division (E/W" in note
    assert at.text_input(key=f"{P}_data.n_train__typed").value == "210"  # 80 % of the 263 rows
    assert at.text_input(key=f"{P}_data.n_test__typed").value == "53"
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("5").run()
    at.button(key=f"{P}_train").click().run()
    wait_for_job(at, P)
    assert not at.exception and not at.error
    result = at.session_state[f"{P}_result"]
    assert result.config.data.target == "Salary" and result.task == "regression"
    assert sum(map(len, result.weights.values())) == 19  # 16 numbers + 3 coded text columns
    assert "59 of 322 rows have no Salary: left out (263 remain)" in result.data_notes
    assert _note(at)  # still one note after training


def test_upload_table_drop_rows_with_missing_values_is_a_choice(open_page) -> None:
    at = open_page(None, {"data.name": "csv"})
    rows = "\n".join(
        f"{i},{'' if i % 5 == 0 else i * 2},{'yes' if i % 2 else 'no'},{i * 0.5}"
        for i in range(1, 41)
    )
    at.file_uploader(key=f"{P}_upload").set_value(
        ("t.csv", f"a,b,flag,y\n{rows}\n".encode(), "text/csv")
    )
    at.run()
    assert "8 missing values filled" in _note(at)
    at.selectbox(key=f"{P}_data.missing").set_value("drop").run()
    assert not at.exception and not at.error
    assert "8 rows with a missing feature value left out" in _note(at)
    assert at.text_input(key=f"{P}_data.n_train__typed").value == "26"  # 80 % of the 32 left


def test_upload_table_that_cannot_be_used_says_why_and_nothing_else(open_page) -> None:
    at = open_page(None, {"data.name": "csv"})
    at.text_input(key=f"{P}_optim.epochs__typed").set_value("7").run()  # entered before the file
    at.file_uploader(key=f"{P}_upload").set_value(
        ("bad.csv", b"a,b,y\n1,2,3\n4,inf,5\n6,7,8\n", "text/csv")
    )
    at.run()
    errors = [e.value for e in at.error]
    assert any("column 'b' holds an infinite value at line 3" in e for e in errors), errors
    assert not any("out of range" in e for e in errors)  # the split follows the new file
    assert at.button(key=f"{P}_train").disabled
    assert at.text_input(key=f"{P}_optim.epochs__typed").value == "7"  # nothing entered is lost
