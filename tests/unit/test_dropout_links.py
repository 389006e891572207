"""The Dropout & norm page's link: base config + networks through the one codec."""

from __future__ import annotations

import pytest

import regcore
from regcore.experiments.dropout.networks import NetVariant, plan_nets
from regcore.links import (
    DATA_SETS,
    DEFAULT_SET,
    DropoutSettings,
    configs_from_query,
    page_config,
)
from regcore.links.codec import from_query, read_link, to_query

NETS = (
    NetVariant(),
    NetVariant(dropout=0.3, norm="batch"),
    NetVariant(reg="weight_decay", lam=0.01),
    NetVariant(dropout=0.95, norm="group", reg="l2", lam=0.0015),
)


def _link(base, nets) -> str:
    return to_query(base, DropoutSettings(nets=tuple(nets)).to_params())


@pytest.mark.parametrize("name", DATA_SETS)
def test_dropout_links_default_link_is_short_and_decodes_to_the_page_config(name):
    query = _link(page_config(name), NETS[:2])
    assert query.startswith("data.name=") == (name != DEFAULT_SET)
    assert "optim" not in query and "model" not in query  # relative to the page's defaults
    assert from_query(query) == page_config(name)
    assert configs_from_query(query) == plan_nets(page_config(name), NETS[:2])[0]


@pytest.mark.parametrize(
    "changes",
    [
        {"data.n_train": 50, "optim.batch_size": 50},
        {"data.noise": 0.4},
        {"model.hidden": [64, 32, 16]},
        {"model.activation": "tanh"},
        {"optim.name": "sgd", "optim.momentum": 0.9},
        {"optim.lr": 0.0015},
        {"optim.epochs": 7},
        {"optim.early_stopping_patience": 5},
        {"seed": 3},
    ],
)
def test_dropout_links_each_base_change_round_trips(changes):
    base = page_config("moons").replace(**changes)  # not the default set
    query = _link(base, NETS)
    assert from_query(query) == base
    assert configs_from_query(query) == plan_nets(base, NETS)[0]


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_dropout_links_networks_round_trip(k):
    settings = DropoutSettings(nets=NETS[:k])
    again, problems = DropoutSettings.from_params(settings.to_params())
    assert not problems and again == settings


def test_dropout_links_digits_cnn_round_trips():
    base = page_config("digits").replace(**{"model.kind": "cnn", "model.hidden": []})
    query = _link(base, NETS[1:3])
    assert configs_from_query(query) == plan_nets(base, NETS[1:3])[0]


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ("dropout.p=0,1.5", "dropout.p = '0,1.5' in the link is not valid"),
        ("dropout.p=0,0.5,0,0,0.1", "compare 1 to 4"),
        ("dropout.norm=none,weird", "dropout.norm = 'none,weird'"),
        ("dropout.reg=none,l1", "dropout.reg = 'none,l1'"),
        ("dropout.lam=0,nan", "dropout.lam = '0,nan'"),
        ("dropout.lam=0.1,0", "has no effect"),
        ("dropout.p=0,0.5&dropout.norm=none,none,none", "give one entry per network"),
    ],
)
def test_dropout_links_hostile_values_are_named_and_the_rest_kept(bad, needle):
    good = "data.name=xor&optim.epochs=9&seed=2"
    reading = read_link(f"{good}&{bad}")
    assert any(needle in p for p in reading.problems), reading.problems
    assert reading.config is not None
    assert reading.config.data.name == "xor" and reading.config.optim.epochs == 9
    assert reading.config.seed == 2
    with pytest.raises(ValueError, match="dropout"):
        configs_from_query(f"{good}&{bad}")


def test_dropout_links_other_pages_links_are_untouched():
    assert regcore.from_query("data.name=moons") == regcore.dataset_config("moons")
    assert from_query("dropout.p=0.0") == page_config(DEFAULT_SET)


def test_dropout_links_each_shown_config_reproduces_the_page_numbers():
    """The page shows each network's config and `python -m regcore train` (regcore.fit):
    that reproduces the side-by-side run's numbers exactly."""
    from regcore.experiments.dropout.networks import compare_nets

    base = page_config("moons").replace(**{"optim.epochs": 4, "model.hidden": [16]})
    res = compare_nets(base, NETS[:3])
    for cfg, run in zip(res.configs, res.runs, strict=True):
        again = regcore.fit(regcore.load_config(cfg.to_json()))
        for key in ("train_loss", "test_loss", "train_acc", "test_acc", "weight_l2"):
            assert again.metrics[key] == run.metrics[key], key
