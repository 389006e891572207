"""Typed decimal numbers are read as typed: a decimal comma as a decimal point, with a note;
a comma that could be a thousands separator refused, naming it; never a different number."""

import pytest

from ui.kit.typed import read_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.5", 0.5), (" 6 ", 6.0), ("1e-3", 1e-3), ("-1", -1.0), (".25", 0.25), ("3.", 3.0)],
)
def test_ui_typed_plain_numbers_read_as_typed(text, value):
    assert read_number(text, "strength λ") == (value, None)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0,5", 0.5), ("0,003", 0.003), ("1,5", 1.5), (",5", 0.5), ("0,500", 0.5), ("2,5e-3", 2.5e-3)],
)
def test_ui_typed_decimal_comma_reads_as_a_point_and_says_so(text, value):
    got, note = read_number(text, "strength λ")
    assert got == pytest.approx(value, rel=1e-15)
    assert note == f"strength λ: read {text} as {value:.10g} (a decimal comma)"


@pytest.mark.parametrize("text", ["1,000", "12,345", "3,000,000"])
def test_ui_typed_thousands_like_comma_is_refused_naming_it(text):
    with pytest.raises(ValueError, match="comma that could be a decimal comma or a thousands"):
        read_number(text, "strength λ")


@pytest.mark.parametrize("text", ["1,000.5", "0,5,1", "abc", "1 000", "1_000", "inf", "0x10"])
def test_ui_typed_anything_else_is_refused(text):
    with pytest.raises(ValueError, match=r"strength λ: .* is not a number|thousands"):
        read_number(text, "strength λ")


def test_ui_typed_empty_box_is_no_value():
    assert read_number("  ", "x") == (None, None)
    assert read_number(None, "x") == (None, None)
