"""The CSV target across uploads: a fixed file keeps the target the user chose.

Uploading a refused file (an infinite cell in a feature column) and then the corrected,
all-numeric file left the "target column" box on the file's first column while the link
still named the chosen one, and Train trained on that column without a word.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import link_of

HEAD = "age,sex,bmi,bp,target"
ROWS = [f"{20 + i},{i % 2},{20 + i % 9},{80 + i % 13},{100 + 7 * i % 31}" for i in range(40)]
FIXED = (HEAD + "\n" + "\n".join(ROWS) + "\n").encode()
# one infinite cell in a feature column (a text cell is read as missing and filled now)
REFUSED = FIXED.replace(b"\n21,1,", b"\n21,inf,", 1)


def _upload(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader(key="pg_upload").set_value((name, data, "text/csv")).run()
    assert not at.exception


def _shown(at: AppTest) -> str | None:
    """What the browser's target box shows even when it draws the box afresh: the value
    the server sends with it, else the option at the box's default index."""
    proto = at.selectbox(key="pg_data.target").proto
    if proto.set_value:
        return proto.raw_value or None
    return proto.options[proto.default] if proto.HasField("default") else None


def test_a_fixed_file_keeps_the_chosen_target(open_page) -> None:
    at = open_page(None, {"data.name": "csv", "data.target": "target"})
    _upload(at, "diabetes.csv", REFUSED)
    assert any("infinite value" in e.value for e in at.error)
    _upload(at, "diabetes.csv", FIXED)
    assert at.selectbox(key="pg_data.target").value == "target"
    # the browser redraws the box after a new file: it must show "target", not "age"
    assert _shown(at) == "target"
    at.run()
    assert _shown(at) == "target"
    assert link_of(at)["data.target"] == "target"
    assert not at.error
    assert not at.button(key="pg_train").disabled


def test_a_file_without_the_chosen_target_asks_for_one(open_page) -> None:
    at = open_page(None, {"data.name": "csv"})
    _upload(at, "diabetes.csv", FIXED)
    at.selectbox(key="pg_data.target").set_value("bmi").run()
    renamed = FIXED.replace(b",bmi,", b",mass,", 1)
    _upload(at, "renamed.csv", renamed)
    box = at.selectbox(key="pg_data.target")
    assert box.value is None  # no silent default: the user picks
    assert at.button(key="pg_train").disabled
    assert any("bmi" in m.value and "target" in m.value for m in [*at.error, *at.warning])
    box.set_value("target").run()
    assert not at.exception
    assert not at.button(key="pg_train").disabled
    assert link_of(at)["data.target"] == "target"


@pytest.mark.parametrize("first", ["target", "bp"])
def test_a_new_file_with_the_chosen_column_keeps_it(open_page, first: str) -> None:
    at = open_page(None, {"data.name": "csv"})
    _upload(at, "a.csv", FIXED)
    at.selectbox(key="pg_data.target").set_value(first).run()
    _upload(at, "b.csv", FIXED.replace(b"\n20,0,", b"\n20,1,", 1))
    assert at.selectbox(key="pg_data.target").value == first
    assert _shown(at) == first
