"""Typed decimal numbers are read as typed: a decimal comma as a decimal point, with a note;
a comma that could be a thousands separator refused, naming it; never a different number."""

import pytest

from ui.kit.typed import read_number, read_whole


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


@pytest.mark.parametrize(("text", "value"), [("1000", 1000.0), (" 15 ", 15.0), ("1e3", 1000.0)])
def test_ui_typed_whole_numbers_read_as_typed(text, value):
    assert read_whole(text, "training samples", "1 to 20,000") == value


def test_ui_typed_whole_number_never_reads_a_comma():
    """Chromium's number field read a typed 1,5 training samples as 15."""
    with pytest.raises(ValueError) as refused:
        read_whole("1,5", "training samples", "1 to 20,000")
    assert str(refused.value) == (
        "training samples: '1,5' is not a whole number: type digits (no comma or point), "
        "allowed 1 to 20,000"
    )
    with pytest.raises(ValueError, match="'1,000' has a comma that could be a thousands "):
        read_whole("1,000", "training samples", "1 to 20,000")  # 1 or 1000: both whole


@pytest.mark.parametrize("text", ["abc", "1 000", "0x10", "1,000.5"])
def test_ui_typed_whole_number_refusals_name_the_field_and_range(text):
    with pytest.raises(ValueError, match=r"^epochs: .* allowed 1 to 2,000$"):
        read_whole(text, "epochs", "1 to 2,000")


def test_ui_typed_whole_fraction_goes_on_to_the_range_check():
    assert read_whole("2.5", "epochs", "1 to 2,000") == 2.5  # check_number refuses it
    assert read_whole("", "epochs", "1 to 2,000") is None
