"""Every awkward upload gets a plain-words message naming what was found, or trains."""

from __future__ import annotations

import numpy as np
import pytest

import regcore
from regcore.data.tables import read_csv_table, sniff_delimiter
from ui.kit import upload

REFUSED = {
    "one row": (b"a,b,y\n1,2,3\n", "1 data row under its header: it needs at least 2"),
    "header only": (b"a,b,y\n", "no data rows"),
    "constant int target": (b"a,y\n1,3\n2,3\n3,3\n", "same value ('3') in every row"),
    "constant float target": (b"a,y\n1,2.5\n2,2.5\n", "same value ('2.5') in every row"),
    "inf feature": (b"a,y\n1,2.5\ninf,3.1\n", "column 'a' holds an infinite value at line 3"),
    "-inf target": (b"a,y\n1,2.5\n2,-inf\n3,1\n", "'y' holds an infinite value at line 3"),
    "only empty features": (b"b,y\n,2.5\n,3.1\n", "no usable feature column besides the target"),
    "binary junk": (bytes(range(256)) * 4, "not a CSV text file (it holds binary data"),
    "xlsx": (b"PK\x03\x04" + b"\x00" * 64, "looks like an Excel workbook"),
    "ragged": (b"a,y\n1,2\n3,4,5\n", "line 3 has 3 fields where the header has 2"),
    "open quote": (b'a,y\n1,"2\n', "never closed"),
    "one target left": (b"a,y\n1,2\n3,\n", "only 1 row has a y: it needs at least 2"),
    "empty": (b"  \n", "the CSV file is empty"),
}
TRAINS = {
    "semicolons": (b"a;b;y\n1;2;3.5\n4;5;6.1\n7;8;9.2\n", [[1, 2], [4, 5], [7, 8]]),
    "semicolons, decimal comma": (
        b"a;b;y\n1,5;2;3,5\n4;5,2;6,1\n7;8;9,2\n",
        [[1.5, 2], [4, 5.2], [7, 8]],
    ),
    "tabs": (b"a\tb\ty\n1\t2\t3.5\n4\t5\t6.1\n", [[1, 2], [4, 5]]),
    "bars": (b"a|b|y\n1|2|3.5\n4|5|6.1\n", [[1, 2], [4, 5]]),
    "BOM": (b"\xef\xbb\xbfa,b,y\n1,2,3.5\n4,5,6.1\n", [[1, 2], [4, 5]]),
    "Latin-1": ("größe,b,y\n1,2,3.5\n4,5,6.1\n".encode("latin-1"), [[1, 2], [4, 5]]),
    "UTF-16": ("a,b,y\n1,2,3.5\n4,5,6.1\n".encode("utf-16"), [[1, 2], [4, 5]]),
    "spaces": (b"a, b, y\n 1, 2, 3.5\n4 ,5 ,6.1\n", [[1, 2], [4, 5]]),
}


@pytest.mark.parametrize("name", REFUSED)
def test_csv_upload_refused_in_plain_words(name):
    data, words = REFUSED[name]
    with pytest.raises(ValueError) as info:
        read_csv_table(data, "y")
    text = str(info.value)
    assert words in text
    assert "codec" not in text and "np.float64" not in text and "Error" not in text


@pytest.mark.parametrize("name", TRAINS)
def test_csv_upload_read_and_trained(name, tmp_path):
    data, X = TRAINS[name]
    table = read_csv_table(data, "y")
    np.testing.assert_allclose(table.X, X)
    assert table.task == "regression" and table.feature_names[-1] == "b"
    cfg = {
        "data": {"name": "csv", "path": None, "target": "y", "n_train": 1, "n_test": 1},
        "model": {"kind": "linear"},
        "optim": {"batch_size": 1, "epochs": 2},
    }
    path = tmp_path / "upload.csv"
    path.write_bytes(data)
    cfg["data"]["path"] = str(path)
    result = regcore.fit(cfg)
    assert np.isfinite(result.metrics["test_loss"])


def test_csv_latin1_text_labels_keep_their_letters():
    table = read_csv_table("a,y\n1,groß\n2,klein\n3,groß\n".encode("latin-1"), "y")
    assert table.task == "classification" and table.class_names == ("groß", "klein")


def test_csv_delimiter_sniffed_from_consistent_lines():
    assert sniff_delimiter("a;b;c\n1;2;3\n") == ";"
    assert sniff_delimiter("a,b\n1,5;2\n") == ","
    assert sniff_delimiter("abc\n1\n") == ","  # nothing splits it: say what was found


def test_csv_one_column_says_what_was_found():
    with pytest.raises(ValueError, match="one column .'a:b:y'.*commas, semicolons or tabs"):
        upload._inspect.__wrapped__(b"a:b:y\n1:2:3\n4:5:6\n")


def test_csv_one_row_is_refused_before_the_size_fields():
    with pytest.raises(ValueError, match="1 data row"):
        upload._inspect.__wrapped__(b"a,y\n1,2\n")
    assert upload._inspect.__wrapped__(b"a;y\n1;2\n3;4\n") == (("a", "y"), 2, 2)
