"""The Dropout & norm page's open tab and its settings travel in its link: written only
where they differ from the tab's defaults, read back to the same settings, and a bad or
misplaced one named and dropped (the networks and the other settings kept)."""

from __future__ import annotations

from dataclasses import replace

import pytest

import regcore
from regcore.links import TABS, DropoutSettings, read_link

SPECS = {name: spec for name, (_, spec) in TABS.items() if spec is not None}
CHANGED = {
    "sweep": {"rates": (0.0, 0.5), "repeats": 5, "epochs": 40},
    "small": {"epochs": 30, "metric": "test_acc"},
    "biasvar": {"rates": (0.1, 0.9), "repeats": 6},
}


def test_dropout_tab_links_side_by_side_writes_no_tab():
    assert "dropout.tab" not in DropoutSettings().to_params()
    settings, problems = DropoutSettings.from_params(DropoutSettings().to_params())
    assert settings.tab == "side" and settings.open_tab() is None and not problems


@pytest.mark.parametrize("name", list(SPECS))
def test_dropout_tab_links_each_tab_round_trips_its_settings(name):
    spec = SPECS[name]
    assert set(CHANGED[name]) == set(spec.linked)  # every setting a tab has is tried
    tab = replace(spec, **CHANGED[name])
    params = DropoutSettings(tab=name, tab_settings=tab).to_params()
    assert params["dropout.tab"] == name
    assert {k for k in params if k.startswith("dropout.tab_")} == {
        f"dropout.tab_{k}" for k in CHANGED[name]
    }
    back, problems = DropoutSettings.from_params(params)
    assert not problems and back.tab == name and back.open_tab() == tab
    assert regcore.from_query(params) == regcore.from_query(DropoutSettings().to_params())


@pytest.mark.parametrize("name", list(SPECS))
def test_dropout_tab_links_a_tab_at_its_defaults_writes_only_its_name(name):
    params = DropoutSettings(tab=name, tab_settings=SPECS[name]).to_params()
    assert params == {"dropout.p": "0.0,0.8", "dropout.tab": name}


@pytest.mark.parametrize(
    "query,named",
    [
        ("dropout.tab=small&dropout.tab_rates=0.5", "has no effect on the Small batches"),
        ("dropout.tab=sweep&dropout.tab_repeats=30", "from 1 to 20"),
        ("dropout.tab=biasvar&dropout.tab_repeats=1", "from 2 to 32"),
        ("dropout.tab=sweep&dropout.tab_rates=0.55", "not offered"),
        ("dropout.tab_epochs=9", "has no effect on the Side by side"),
        ("dropout.tab=nowhere", "dropout.tab"),
    ],
)
def test_dropout_tab_links_bad_tab_settings_are_named_and_dropped(query, named):
    reading = read_link(f"dropout.p=0,0.3&{query}")
    assert reading.config is not None
    assert any(named in p for p in reading.problems), reading.problems
    settings, _ = DropoutSettings.from_params(reading.kept)
    assert [n.dropout for n in settings.nets] == [0.0, 0.3]


def test_dropout_tab_links_a_bad_setting_keeps_the_tabs_others():
    settings, problems = DropoutSettings.from_params(
        {
            "dropout.p": "0",
            "dropout.tab": "sweep",
            "dropout.tab_repeats": "99",
            "dropout.tab_epochs": "7",
        }
    )
    assert len(problems) == 1 and "dropout.tab_repeats" in problems[0]
    assert settings.tab == "sweep" and settings.open_tab().epochs == 7
    assert settings.open_tab().repeats == SPECS["sweep"].repeats
