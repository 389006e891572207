"""The Playground's per-data-set defaults and the CSV upload store (no browser needed)."""

import pytest

from regcore.core.bounds import CHOICES
from ui.kit import upload
from ui.kit.widgets import dataset_config


@pytest.mark.parametrize("name", CHOICES["data.name"])
def test_ui_every_data_set_has_valid_defaults(name):
    assert dataset_config(name).data.name == name


def test_ui_upload_is_stored_under_a_server_chosen_name(tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "UPLOAD_DIR", tmp_path)
    monkeypatch.setattr(upload, "MAX_FILES", 2)
    paths = [upload._store(f"a,y\n{i},1\n{i},2\n".encode()) for i in range(3)]
    assert all(p.parent == tmp_path and p.suffix == ".csv" for p in paths)
    assert len(list(tmp_path.glob("*.csv"))) == 2  # the oldest is removed
    assert upload._store(b"a,y\n2,1\n2,2\n") == paths[2]  # same bytes, same file


def test_ui_upload_checks_name_the_problem():
    assert upload._inspect.__wrapped__(b"a,b,y\n1,2,3\n4,5,6\n") == (("a", "b", "y"), 2, 2)
    with pytest.raises(ValueError, match="empty"):
        upload._inspect.__wrapped__(b"  ")
    problem = upload._check.__wrapped__(b"a,y\n1,2\ninf,3\n", "y")
    assert "column 'a' holds an infinite value at line 3" in problem
    assert upload._check.__wrapped__(b"a,y\n1,2\n3,3\n", "y") is None


def test_ui_upload_target_is_never_changed_without_a_choice():
    from ui.kit.upload import TargetChoice, target_for

    cols = ("age", "sex", "bmi", "target")
    # a first file, nothing chosen: its last column, marked as a default
    value, last = target_for(cols, "a", None, TargetChoice())
    assert (value, last) == ("target", TargetChoice(column="target", path="a"))
    # a link or the user names a column: it is kept on the next file that has it
    value, last = target_for(cols, "a", "bmi", last)
    assert (value, last.chosen) == ("bmi", True)
    assert target_for(cols, "b", "bmi", last) == ("bmi", last)
    # a file without it: the box is empty (the user must choose), the choice remembered
    value, kept = target_for(("age", "mass", "target"), "c", "bmi", last)
    assert (value, kept) == (None, last)
    # ...until the user picks one
    value, last = target_for(("age", "mass", "target"), "c", "target", kept)
    assert (value, last) == ("target", TargetChoice(column="target", path="c", chosen=True))
    # a default is not a choice: a new file takes its own last column
    value, last = target_for(("x", "y"), "d", None, TargetChoice())
    assert target_for(("u", "label"), "e", "y", last)[0] == "label"
