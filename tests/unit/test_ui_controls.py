"""Hidden widths typed on the Playground: numbers parse, so the config names the range."""

from ui.kit.controls import _widths


def test_widths_parse_signed_numbers_brackets_and_empty_parts():
    assert _widths("64, 64") == [64, 64]
    assert _widths("[64, 32]") == [64, 32]
    assert _widths("64,,64") == [64, 64]
    assert _widths("64, -5") == [64, -5]  # regcore then says: out of range, allowed 1 to 1024
    assert _widths("64, abc") == [64, "abc"]
