"""User text in messages is shown literally: escaped Markdown, one line, truncated."""

import re

import pytest

from regcore.core.bounds import TooLargeError
from regcore.links.codec import read_link
from regcore.serve import too_large_message
from ui.kit.controls import fit_to_server
from ui.kit.messages import changed_note, clip, literal

LINK = "[log in again](https://evil.example/login)"


def _plain(md: str) -> str:
    """What the reader sees: escapes resolved, zero-width spaces invisible."""
    return md.replace("\\", "").replace("\u200b", "")


def _unescaped(md: str, chars: str) -> list[str]:
    """Characters of ``chars`` in ``md`` not preceded by a backslash escape."""
    return re.findall(rf"(?<!\\)[{re.escape(chars)}]", md)


def test_messages_literal_link_is_not_a_link():
    md = literal(f"data.name = {LINK!r} is not allowed")
    assert not _unescaped(md, "[]<")
    assert "https://" not in md  # no bare autolink either
    assert _plain(md) == f"data.name = {LINK!r} is not allowed"


@pytest.mark.parametrize(
    "text",
    ["__proto__", "**bold**", "~~x~~", "`code`", "<b>x</b>", "$x^2$", ":red[x]", "&amp;", "a|b"],
)
def test_messages_literal_escapes_markdown(text):
    md = literal(text)
    assert not _unescaped(md, "*~`<>$[]&|")
    assert not re.search(r"(?<![\\A-Za-z0-9])_", md)
    assert _plain(md) == text


@pytest.mark.parametrize(
    "text", ["# head", "- item", "1. item", "> quote", "www.evil.example", "a@b.com"]
)
def test_messages_literal_escapes_block_starts_and_bare_domains(text):
    md = literal(text)
    assert md != text and _plain(md) == text


def test_messages_literal_keeps_our_own_wording_readable():
    text = "data.n_train = 5 is out of range: allowed 1 to 20,000 (optim.batch_size)"
    assert literal(text) == text


def test_messages_long_text_is_cut_and_one_line():
    md = literal("a\nb" + "x" * 5000)
    assert "\n" not in md and len(md) < 400 and "5,003 characters" in md
    assert clip("a\u202eb\u200bc") == "abc"  # no bidi override or invisible characters


def test_messages_changed_note_names_field_values_and_reason():
    assert changed_note([]) is None
    note = changed_note([("device", "cuda", "auto", "this server has no CUDA device")])
    assert note == "Changed for you: device cuda → auto (this server has no CUDA device)."


def test_link_too_large_run_says_so_first_and_offers_nothing():
    params = {
        "model.kind": "mlp",
        "model.hidden": "1024,1024,1024,1024,1024,1024",
        "data.n_train": "20000",
        "optim.epochs": "2000",
    }
    reading = read_link(params)
    cfg, problems = reading.config, reading.problems
    assert cfg is None and len(problems) == 1
    assert "too large" in problems[0] and "hidden is empty" not in problems[0]
    # the time it would take is this machine's calibrated estimate, said by the front end
    assert reading.too_large is not None and reading.too_large.config is not None
    assert re.search(r"about [\d,]+ (days|hours) here", too_large_message(reading.too_large))


def test_link_mlp_fields_are_kept_together_when_another_field_is_bad():
    reading = read_link({"model.kind": "mlp", "model.hidden": "8,4", "reg.lam": "-1"})
    cfg, problems = reading.config, reading.problems
    assert cfg is not None and cfg.model.kind == "mlp" and cfg.model.hidden == (8, 4)
    assert len(problems) == 1 and "reg.lam" in problems[0]


def test_link_device_the_server_lacks_is_changed_with_a_note(monkeypatch):
    import regcore

    monkeypatch.setattr(regcore, "available_devices", lambda: ["auto", "cpu"])
    fitted, changes = fit_to_server(read_link({"device": "cuda"}).config)
    assert fitted.device == "auto"
    assert changes and changes[0][:3] == ("device", "cuda", "auto")


def test_link_digits_sizes_are_cut_to_what_the_set_has_with_a_note():
    reading = read_link({"data.name": "digits", "data.n_train": "5000"})
    assert not reading.problems
    fitted, changes = fit_to_server(reading.config)
    d = fitted.data
    assert d.n_train + d.n_test <= 1797 and d.n_test >= 300  # a real test set, not 1 sample
    assert ("data.n_train", 5000, d.n_train) == changes[0][:3]
    assert "1,797" in changes[0][3]


def test_too_large_error_is_a_value_error():
    assert issubclass(TooLargeError, ValueError)
