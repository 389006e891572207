"""Figures shared between identical results: the same content, the same figure; any
difference in a number, a figure of its own."""

from __future__ import annotations

import dataclasses

import regcore
from regcore.figures import (
    fig_loss_curves,
    fig_weight_hist,
    fig_weight_hist_over_epochs,
    fingerprint,
    shared_figure,
)
from regcore.figures.memo import is_shared
from ui.kit import present

SMALL = {"optim.epochs": 5}


def _fit(**over):
    return regcore.fit(regcore.TrainConfig().replace(**{**SMALL, **over}))


def test_identical_runs_share_one_figure_and_any_difference_gets_its_own() -> None:
    a, b, other = _fit(), _fit(), _fit(**{"reg.lam": 0.5})
    assert a is not b and fingerprint(a) == fingerprint(b) != fingerprint(other)
    fig = shared_figure(fig_loss_curves, a, best_epoch=a.best_epoch)
    assert shared_figure(fig_loss_curves, b, best_epoch=b.best_epoch) is fig
    assert is_shared(fig)
    assert shared_figure(fig_loss_curves, other, best_epoch=None) is not fig
    assert shared_figure(fig_loss_curves, a, show_penalty=True) is not fig  # other options
    assert shared_figure(fig_weight_hist, a) is not fig  # another builder
    # the shared figure is the one the builder draws
    assert fig.to_plotly_json() == fig_loss_curves(a, best_epoch=a.best_epoch).to_plotly_json()


def test_identical_runs_differ_only_in_timings_which_no_shared_figure_draws() -> None:
    a, b = _fit(), _fit()
    assert a.history["seconds"] != b.history["seconds"]  # wall clock: never the same
    for build in (fig_loss_curves, fig_weight_hist, fig_weight_hist_over_epochs):
        assert build(a).to_plotly_json() == build(b).to_plotly_json()


def test_one_changed_number_anywhere_changes_the_fingerprint() -> None:
    a = _fit()
    weights = {k: list(v) for k, v in a.weights.items()}
    first = next(iter(weights))
    weights[first][0] += 1e-12
    history = {k: list(v) for k, v in a.history.items()}
    history["test_loss"][-1] = None  # a None among floats
    for changed in (
        dataclasses.replace(a, weights=weights),
        dataclasses.replace(a, history=history),
        dataclasses.replace(a, best_epoch=3),
        dataclasses.replace(a, metrics={**a.metrics, "test_loss": 0.0}),
    ):
        assert fingerprint(changed) != fingerprint(a)


def test_a_shared_figure_is_scaled_once_and_never_changed() -> None:
    a = _fit()
    fig = shared_figure(fig_loss_curves, a)
    before = fig.to_plotly_json()
    shown = present._shown(fig, True, True)  # presentation mode, the main figure
    assert shown is not fig and present._shown(fig, True, True) is shown
    assert shown.layout.height <= present.MAIN_HEIGHT_PRESENT
    assert fig.to_plotly_json() == before
    fresh = fig_loss_curves(a)  # not shared: a copy of its own each time
    assert present._shown(fresh, True, True) is not present._shown(fresh, True, True)
