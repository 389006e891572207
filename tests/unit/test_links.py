"""The data-set catalog, the one link codec, and settings refused where they have no effect."""

from __future__ import annotations

import urllib.parse

import pytest

import regcore
from regcore.core import effective
from regcore.core.bounds import CHOICES, DATASETS
from regcore.core.catalog import CATALOG
from regcore.links import CompareSettings, SweepSettings
from regcore.links.codec import dataset_config, from_query, read_link, to_query


@pytest.mark.parametrize("name", list(CATALOG))
def test_links_each_data_set_link_is_its_name_alone(name):
    cfg = dataset_config(name)
    query = to_query(cfg)
    assert query == ("" if name == "linear" else f"data.name={name}")
    assert from_query(query) == cfg
    assert cfg.model.kind in CATALOG[name].models


def test_links_catalog_is_the_one_list_of_data_sets():
    assert DATASETS == tuple(CATALOG) == CHOICES["data.name"]
    from ui.kit.widgets import DATASET_LABELS

    assert DATASET_LABELS == {n: d.label for n, d in CATALOG.items()}


def test_links_hand_written_moons_link_means_the_same_run_everywhere():
    """The issue's example: `?data.name=moons` is the catalog's MLP in the engine too."""
    cfg = from_query("data.name=moons&reg.lam=0.01")
    assert cfg.model.kind == "mlp" and cfg.model.hidden == (32, 32)
    assert cfg.optim.lr == 0.03 and cfg.reg.lam == 0.01  # the catalog's, not TrainConfig's 0.003
    assert regcore.from_query(to_query(cfg)) == cfg


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"model": {"dropout": 0.3}}, "model.dropout applies to mlp and cnn models"),
        ({"model": {"norm": "batch"}}, "model.norm applies to mlp and cnn models"),
        ({"model": {"hidden": [8]}}, "model.hidden applies to mlp models"),
        ({"model": {"activation": "tanh"}}, "model.activation applies to mlp and cnn"),
        ({"model": {"init": "zeros", "init_std": 0.1}}, "model.init_std applies to model.init"),
        ({"data": {"n_classes": 3}}, "data.n_classes applies to data.name = 'classification'"),
        ({"data": {"n_informative": 3}}, "data.n_informative applies to data.name ="),
        ({"data": {"name": "digits", "n_train": 50, "noise": 0.3}}, "data.noise applies to"),
        ({"reg": {"l1_ratio": 0.2}}, "reg.l1_ratio applies to reg.kind = 'elastic_net'"),
        ({"reg": {"l1_solver": "subgradient"}}, "reg.l1_solver applies to reg.kind = 'l1'"),
        ({"reg": {"kind": "none", "penalize_bias": True}}, "reg.penalize_bias applies to"),
        ({"optim": {"name": "adam", "momentum": 0.9}}, "optim.momentum applies to optim.name"),
    ],
)
def test_links_settings_without_effect_are_refused_naming_field_and_why(changes, needle):
    with pytest.raises(ValueError, match="has no effect here") as err:
        regcore.load_config(changes)
    assert needle in str(err.value)


def test_links_settings_with_effect_are_accepted():
    regcore.load_config({"model": {"kind": "mlp", "hidden": [4], "dropout": 0.3}, "data": {}})
    regcore.load_config({"data": {"name": "moons", "n_features": 2}})  # its own width: harmless
    regcore.load_config({"reg": {"kind": "elastic_net", "l1_ratio": 0.2}})


def test_links_effective_puts_moot_settings_back_to_defaults():
    mlp = dataset_config("moons").replace(**{"model.dropout": 0.3}).flat()
    cfg = effective({**mlp, "model.kind": "linear", "model.hidden": [], "optim.name": "adam"})
    assert cfg.model.dropout == 0.0 and cfg.optim.momentum == 0.0
    assert from_query(to_query(cfg)) == cfg


def test_links_link_of_a_linear_model_on_moons_drops_the_mlp_defaults():
    cfg = from_query("data.name=moons&model.kind=linear")
    assert cfg.model.hidden == () and cfg.optim.momentum == 0.9
    assert to_query(cfg) == "data.name=moons&model.kind=linear"


@pytest.mark.parametrize(
    ("query", "kept", "needle"),
    [
        ("data.name=evil&reg.lam=1", {"reg.lam": 1.0}, "data.name = 'evil'"),
        ("reg.lam=1e999&optim.lr=0.01", {"optim.lr": 0.01}, "reg.lam = inf is not finite"),
        ("data.path=/etc/passwd&reg.lam=2", {"reg.lam": 2.0}, "data.path cannot come from"),
        ("%3Cscript%3E=1&reg.kind=l1", {"reg.kind": "l1"}, "unknown field <script>"),
        ("optim.epochs=99999999999999&seed=3", {"seed": 3}, "optim.epochs"),
        ("model.dropout=0.5&reg.lam=0.5", {"reg.lam": 0.5}, "model.dropout applies to"),
        ("sweep.k=3&reg.lam=2", {"reg.lam": 2.0}, "sweep.k = '3'"),
        ("compare.mode=__import__&reg.lam=2", {"reg.lam": 2.0}, "compare.mode"),
        ("reg.kind=" + "x" * 5000 + "&seed=2", {"seed": 2}, "reg.kind"),
    ],
)
def test_links_hostile_values_are_named_and_dropped_rest_kept(query, kept, needle):
    reading = read_link(query)
    assert reading.config is not None
    got = reading.config.flat()
    assert all(got[k] == v for k, v in kept.items())
    assert len(reading.problems) == 1 and needle in reading.problems[0]
    assert len(reading.problems[0]) < 400  # a 5000-character value is not echoed whole


def test_links_too_many_fields_are_refused_whole():
    query = "&".join(f"k{i}=1" for i in range(500))
    reading = read_link(query)
    assert reading.config is None and "at most" in reading.problems[0]


def test_links_sweep_settings_round_trip_and_stay_out_of_the_config():
    s = SweepSettings(lam_min=0.01, lam_max=10.0, k=16, repeats=4, bias_variance=False)
    cfg = dataset_config("polynomial").replace(**{"reg.kind": "l1"})
    query = to_query(cfg, s.to_params())
    params = dict(urllib.parse.parse_qsl(query))
    assert SweepSettings.from_params(params) == (s, [])
    assert from_query(query) == cfg
    assert len(s.lambdas()) == 16 and s.lambdas()[0] == 0.01
    bad, problems = SweepSettings.from_params({"sweep.lam_min": "5", "sweep.lam_max": "1"})
    assert bad == SweepSettings() and "sweep.lam_min = 5 exceeds" in problems[0]


def test_links_compare_link_is_written_over_its_comparison_base():
    from regcore.experiments.compare_presets import COMPARISONS

    base = COMPARISONS["digits"].config().replace(**{"optim.epochs": 7})
    s = CompareSettings(mode="digits", shared=False, lams=(0.01, 0.1))
    query = to_query(base, s.to_params())
    assert "data.name" not in query and "optim.epochs=7" in query
    assert from_query(query) == base
    assert CompareSettings.from_params(dict(urllib.parse.parse_qsl(query))) == (s, [])
    assert from_query("compare.mode=digits") == COMPARISONS["digits"].config()


def test_links_cli_lists_the_catalog(capsys):
    from regcore.cli import main

    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in CATALOG)
    assert main(["datasets", "moons"]) == 0
    assert regcore.load_config(capsys.readouterr().out) == dataset_config("moons")
