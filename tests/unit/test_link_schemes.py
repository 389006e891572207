"""The registry of page schemes: a page's link settings registered in one place, read and
written by a codec that names no page."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

import regcore
from regcore.core import TrainConfig
from regcore.experiments import COMPARISONS
from regcore.links import (
    SCHEMES,
    CompareSettings,
    DropoutSettings,
    Key,
    LinkSettings,
    SweepSettings,
    dataset_config,
    encode_value,
    from_query,
    read_link,
    register,
    to_query,
)


@dataclass(frozen=True, kw_only=True)
class ToySettings(LinkSettings):
    """A page the codec has never heard of: its links start from a moons config of 7 epochs."""

    prefix: ClassVar[str] = "toy"
    keys: ClassVar[Mapping[str, Key]] = {
        "n": Key("int", 1, 9),
        "kinds": Key("kinds", ("a", "b", "c")),
        "on": Key("bool"),
        "w": Key("floats", 0.0, 1.0),
    }
    always: ClassVar[tuple[str, ...]] = ("n",)

    n: int = 3
    kinds: tuple[str, ...] = ("a",)
    on: bool = False
    w: tuple[float, ...] = (0.5,)

    def __post_init__(self) -> None:
        if self.on and self.n > 5:
            raise ValueError(f"toy.on needs toy.n ≤ 5, not {self.n}")

    @classmethod
    def start(cls, params: Mapping[str, str]) -> TrainConfig | None:
        return toy_base() if cls.in_link(params) else None


def toy_base() -> TrainConfig:
    return dataset_config("moons").replace(**{"optim.epochs": 7})


@pytest.fixture
def toy() -> Iterator[type[ToySettings]]:
    register(ToySettings)
    yield ToySettings
    SCHEMES.pop("toy")


def test_link_schemes_unregistered_page_settings_are_unknown_fields():
    reading = read_link("toy.n=5&seed=2")
    assert reading.problems == ["unknown field toy.n in the link"]
    assert reading.config is not None and reading.config.seed == 2


def test_link_schemes_a_registered_toy_page_round_trips(toy):
    cfg = toy_base().replace(**{"reg.lam": 0.5, "seed": 4})
    settings = toy(n=5, kinds=("b", "c"), on=True, w=(0.1, 0.9))
    query = to_query(cfg, settings.to_params())
    assert "data.name" not in query and "optim.epochs" not in query  # written over its start
    assert "toy.n=5&toy.kinds=b%2Cc&toy.on=true&toy.w=0.1%2C0.9" in query
    assert from_query(query) == regcore.from_query(query) == cfg
    params = dict(urllib.parse.parse_qsl(query))
    assert toy.from_params(params) == (settings, [])
    assert from_query("toy.n=3") == toy_base()
    assert toy().to_params() == {"toy.n": "3"}  # the defaults, and the key that marks the page


def test_link_schemes_a_toy_pages_bad_settings_are_named_and_dropped(toy):
    reading = read_link("toy.on=true&toy.n=12&toy.kinds=a,a&seed=2")
    assert reading.config == toy_base().replace(**{"seed": 2})  # the page kept: toy.on
    assert reading.kept == {"toy.on": "true", "seed": "2"}
    assert reading.problems == [
        "toy.n = '12' in the link is not valid: allowed a whole number from 1 to 9",
        "toy.kinds = 'a,a' in the link is not valid: a comma-separated list of distinct "
        "regularizers from a, b, c",
    ]
    with pytest.raises(ValueError, match="toy.on needs toy.n ≤ 5, not 7"):
        from_query("toy.n=7&toy.on=true")  # valid alone, not together
    assert toy.from_params({"toy.n": "7", "toy.on": "true"})[0] == toy()


def test_link_schemes_a_prefix_is_registered_once_and_never_a_config_section(toy):
    clash = type("Clash", (ToySettings,), {})
    with pytest.raises(ValueError, match="'toy' is taken by ToySettings"):
        register(clash)
    section = type("Section", (ToySettings,), {"prefix": "reg"})
    with pytest.raises(ValueError, match="'reg' is a config section"):
        register(section)
    assert register(ToySettings) is ToySettings  # registering again is harmless


def test_link_schemes_the_codec_names_no_page():
    source = (Path(regcore.__file__).parent / "links" / "codec.py").read_text(encoding="utf-8")
    assert list(SCHEMES) == ["sweep", "dropout", "compare"]
    for prefix in SCHEMES:
        assert f"{prefix}." not in source and f'"{prefix}"' not in source, prefix


@pytest.mark.parametrize("scheme", [SweepSettings, CompareSettings, DropoutSettings])
def test_link_schemes_each_pages_defaults_write_the_shortest_link(scheme):
    params = scheme().to_params()
    assert set(params) == {f"{scheme.prefix}.{n}" for n in scheme.always} or scheme is (
        DropoutSettings  # its networks always travel
    )
    assert scheme.from_params(params) == (scheme(), [])
    for key, text in params.items():
        scheme.keys[key.split(".", 1)[1]].decode(key, text)


def test_link_schemes_the_compare_pages_default_mode_is_its_first_comparison():
    assert CompareSettings().mode == next(iter(COMPARISONS))  # the radio's first option


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (0.1, "0.1"),
        (3, "3"),
        ((1, 2), "1,2"),
        ([0.0, 1e-4], "0.0,0.0001"),
    ],
)
def test_link_schemes_one_value_encoder(value, text):
    assert encode_value(value) == text


def test_link_schemes_sweep_choose_travels_and_gives_k():
    from regcore.links import SweepSettings

    assert SweepSettings().choose == "validation" and SweepSettings().folds() == 0
    s = SweepSettings(choose="10-fold")
    assert s.to_params() == {"sweep.choose": "10-fold"} and s.folds() == 10
    back, problems = SweepSettings.from_params({"sweep.choose": "7-fold"})
    assert back.choose == "validation" and "validation, 5-fold, 10-fold" in problems[0]
