"""Property-based fuzz tests: every input runs or is refused with a message, never a traceback.

Configs (dicts, JSON text), link query strings, typed numbers, message text and CSV
files are drawn at random, hostile values included (huge integers, NaN, deep nesting,
Markdown, control characters, binary bytes). Each must give a config (or a table) or
a ``ValueError`` with a short message; nothing else may escape, and nothing may hang
(every example has a deadline).
"""

from __future__ import annotations

import json
import math
import re
import urllib.parse

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regcore
from regcore.core.bounds import BOUNDS, CHOICES, INT_FIELDS
from regcore.core.config import TrainConfig, _check_number, default_flat, load_config
from regcore.data.tables import read_csv_table
from regcore.links.codec import from_query, read_link, to_query
from ui.kit.messages import LIMIT, literal
from ui.kit.widgets import check_number

FIELDS = sorted(default_flat())
FAST = settings(max_examples=100, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=-3, max_value=3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.sampled_from(["[x](https://evil.example)", "__proto__", "1e3", "2.5", "-0", "null"]),
)
values = st.one_of(
    hostile_scalars,
    st.sampled_from([v for c in CHOICES.values() for v in c]),
    st.lists(st.one_of(st.integers(-5, 2000), st.text(max_size=5)), max_size=8),
    st.dictionaries(st.text(max_size=5), hostile_scalars, max_size=3),
)


@st.composite
def raw_configs(draw) -> dict:
    """A config dict: mostly real field names with hostile values, some unknown keys."""
    out: dict = {}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=8, unique=True)):
        section, _, leaf = name.rpartition(".")
        target = out.setdefault(section, {}) if section else out
        if isinstance(target, dict):
            target[leaf] = draw(values)
    if draw(st.booleans()):
        out[draw(st.text(max_size=10))] = draw(values)
    return out


def _message_ok(exc: BaseException) -> None:
    text = str(exc)
    assert isinstance(exc, ValueError), f"{type(exc).__name__}: {text}"
    assert text and len(text) < 1000 and "Traceback" not in text
    assert "np.float64" not in text


@FAST
@given(raw_configs())
def test_fuzz_config_dicts_load_or_say_why(raw):
    try:
        cfg = load_config(raw)
    except Exception as exc:  # noqa: BLE001  (the property: only ValueError escapes)
        _message_ok(exc)
    else:
        assert isinstance(cfg, TrainConfig)
        assert load_config(json.loads(cfg.to_json())) == cfg  # what was accepted round-trips


@FAST
@given(st.text(max_size=300))
def test_fuzz_config_text_loads_or_says_why(text):
    try:
        load_config("{" + text)  # always read as JSON text, never as a path
    except Exception as exc:  # noqa: BLE001
        _message_ok(exc)


@FAST
@given(
    st.dictionaries(
        st.one_of(st.sampled_from(FIELDS), st.text(max_size=30)),
        st.one_of(st.text(max_size=60), st.integers().map(str), st.floats().map(repr)),
        max_size=12,
    )
)
def test_fuzz_link_params_give_a_config_or_messages(params):
    reading = read_link(params)  # never raises
    assert reading.config is None or isinstance(reading.config, TrainConfig)
    assert all(isinstance(p, str) and len(p) < 1000 for p in reading.problems)
    if reading.config is None or reading.problems:
        assert reading.problems  # nothing dropped without a word
    try:
        cfg = from_query(params)
    except Exception as exc:  # noqa: BLE001
        _message_ok(exc)
    else:
        assert from_query(to_query(cfg)) == cfg


@FAST
@given(st.text(max_size=400))
def test_fuzz_raw_query_strings(query):
    reading = read_link(query)
    assert reading.config is None or isinstance(reading.config, TrainConfig)
    try:
        from_query(urllib.parse.quote(query, safe="=&"))
    except Exception as exc:  # noqa: BLE001
        _message_ok(exc)


@settings(max_examples=40, deadline=5000)
@given(
    st.dictionaries(
        st.sampled_from(FIELDS),
        st.sampled_from(["-1", "0", "1", "1e9", "nan", "inf", "mlp", "64,64", "true", "x"]),
        min_size=5,
        max_size=40,
    )
)
def test_fuzz_many_bad_link_fields_stay_quick(params):
    read_link(params)  # under the deadline even with many fields to sort out


@FAST
@given(st.sampled_from(sorted(BOUNDS)), st.floats(allow_nan=True, allow_infinity=True))
def test_fuzz_typed_numbers_checked_against_bounds(field, value):
    problem = check_number(field, value, "the field")
    lo, hi = BOUNDS[field]
    whole = float(value).is_integer() if math.isfinite(value) else False
    inside = math.isfinite(value) and lo <= value <= hi and (field not in INT_FIELDS or whole)
    if problem is None:
        assert inside
        _check_number(field, int(value) if field in INT_FIELDS else value)  # the config agrees
    else:
        assert problem.startswith("the field: ") and "allowed" in problem


@FAST
@given(st.text(max_size=6000))
def test_fuzz_messages_are_literal_and_short(text):
    md = literal(text)
    assert "\n" not in md and len(md) <= 2 * LIMIT + 60
    assert not re.search(r"(?<!\\)(\\\\)*[\[\]`*<>$|~&@]", md.replace("\\\\", ""))


csv_cells = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "inf", "-inf", "NaN", "x", "1,5", '"', "é", " 2 "]),
)


@st.composite
def csv_files(draw) -> bytes:
    sep = draw(st.sampled_from([",", ";", "\t", "|", ":"]))
    cols = draw(st.integers(1, 4))
    header = [draw(st.text(min_size=1, max_size=8).filter(str.strip)) for _ in range(cols - 1)]
    rows = [[draw(csv_cells) for _ in range(cols)] for _ in range(draw(st.integers(0, 6)))]
    text = "\n".join(sep.join(r) for r in [[*header, "y"], *rows])
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(enc, errors="replace")


@pytest.fixture(scope="module")
def tables_imported() -> None:
    """Read one table before the fuzzing: the reader imports pandas and scikit-learn lazily
    (issue 20: not at the server's start), which would spend the first example's deadline."""
    read_csv_table(b"a,y\n1,2\n3,4\n", "y")


@FAST
@given(st.one_of(csv_files(), st.binary(max_size=2000)))
def test_fuzz_csv_files_read_or_refused_in_words(tables_imported, data):
    try:
        table = read_csv_table(data, "y")
    except Exception as exc:  # noqa: BLE001
        _message_ok(exc)
        assert "codec" not in str(exc)
    else:
        assert table.X.shape[0] == table.y.shape[0] >= 2
        assert np.isfinite(table.X).all()


@settings(max_examples=12, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "data.name": st.sampled_from(["linear", "polynomial", "moons", "classification"]),
            "reg.kind": st.sampled_from(CHOICES["reg.kind"]),
            "reg.lam": st.sampled_from([0.0, 1e-3, 1.0, 100.0]),
            "optim.name": st.sampled_from(CHOICES["optim.name"]),
            "optim.lr": st.sampled_from([1e-4, 0.1, 10.0]),
            "optim.epochs": st.integers(1, 3),
        }
    )
)
def test_fuzz_accepted_small_configs_train_to_the_end(changes):
    base = regcore.links.dataset_config(changes["data.name"])
    try:  # as the page builds it: settings without effect on this run go back to defaults
        cfg = regcore.core.effective({**base.flat(), **changes})
    except Exception as exc:  # noqa: BLE001
        _message_ok(exc)
        return
    result = regcore.fit(cfg)
    assert result.metrics["diverged"] or np.isfinite(result.metrics["test_loss"])
