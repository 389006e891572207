"""The bias–variance figures: each term's line says what it is; the U's bottom is starred."""

from __future__ import annotations

import pytest

from regcore.figures import fig_bias_variance, fig_bias_variance_dropout
from regcore.figures.biasvar import BIAS, NOISE, TOTAL, VAR_DATA, VAR_INIT, VARIANCE
from regcore.sweeps import BiasVarianceResult


def _bv(**kw) -> BiasVarianceResult:
    base = dict(
        lambdas=[0.01, 0.1, 1.0, 10.0],
        bias2=[0.1, 0.2, 0.6, 1.5],
        variance=[1.5, 0.8, 0.3, 0.1],
        var_data=[1.0, 0.7, 0.3, 0.1],
        var_init=[0.5, 0.1, 0.0, 0.0],
        noise=1.0,
        total=[2.6, 2.0, 1.9, 2.6],
        measured=[2.5, 2.1, 1.9, 2.6],
        measured_std=[0.1] * 4,
        identity_se=[0.02] * 4,
        repeats=16,
        n_test=100,
        inits=2,
    )
    return BiasVarianceResult(**{**base, **kw})


def test_fig_bias_variance_names_each_term_and_stars_the_lowest_total():
    fig = fig_bias_variance(_bv())
    names = [t.name for t in fig.data]
    assert names[:5] == [BIAS[0], VAR_DATA[0], VAR_INIT[0], NOISE[0], TOTAL[0]]
    assert all(":" in n for n in names[:5])  # "term: what it is"
    assert names[5].startswith("measured") and names[6] == "lowest total (λ = 1)"
    assert list(fig.data[6].x) == [1.0] and list(fig.data[6].y) == [1.9]
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type != "log"
    assert list(fig.data[5].error_y.array) == pytest.approx([0.04] * 4)
    assert fig.layout.legend.orientation == "v"  # one line per term


def test_fig_bias_variance_unsplit_wide_range_and_diverged_points():
    bv = _bv(
        var_data=None,
        var_init=None,
        inits=1,
        total=[180.0, 1e35, 0.02, 0.018],
        diverged=[False, True, False, False],
        bias2=[-0.3, 1e34, 0.01, 0.017],
    )
    fig = fig_bias_variance(bv)
    assert VARIANCE[0] in [t.name for t in fig.data]
    assert fig.layout.yaxis.type == "log"  # the total spans 10⁴: log axis
    for trace in fig.data:
        assert 0.1 not in list(trace.x)  # the diverged λ is left out
    bias = next(t for t in fig.data if t.name == BIAS[0])
    assert 0.01 not in list(bias.x)  # a negative estimate has no place on a log axis
    assert not any(t.name.startswith("lowest") for t in fig.data)  # the minimum is an end


def test_fig_bias_variance_dropout_draws_the_same_parts_against_p():
    bv = _bv(lambdas=[0.0] * 4, rates=[0.0, 0.2, 0.4, 0.6], over="model.dropout")
    fig = fig_bias_variance_dropout(bv)
    assert [t.name for t in fig.data][:3] == [BIAS[0], VAR_DATA[0], VAR_INIT[0]]
    assert list(fig.data[0].x) == [0.0, 0.2, 0.4, 0.6]
    assert fig.data[-1].name == "lowest total (p = 0.40)"


def test_fig_bias_variance_dropout_draws_the_finished_points_of_a_stopped_measurement():
    nan = float("nan")
    bv = _bv(
        lambdas=[0.0] * 4,
        rates=[0.0, 0.2, 0.4, 0.6],
        over="model.dropout",
        stopped=True,
        total=[2.6, 2.0, nan, nan],
        measured=[2.5, 2.1, nan, nan],
        bias2=[0.1, 0.2, nan, nan],
    )
    fig = fig_bias_variance_dropout(bv)
    total = next(t for t in fig.data if t.name == TOTAL[0])
    assert list(total.x) == [0.0, 0.2] and bv.best_index() == 1
    assert not any(t.name.startswith("lowest") for t in fig.data)  # an end, not a U


def test_fig_bias_variance_compact_fits_a_main_figure_with_short_names():
    from regcore.figures.biasvar import definitions, short

    fig = fig_bias_variance(_bv(), "t", compact=True)
    assert fig.layout.height == 400 and fig.layout.legend.yref != "container"
    names = [t.name for t in fig.data]
    assert names[:3] == ["bias²", "variance: data", "variance: start"]
    assert names[-1] == "lowest total (λ 1)"
    assert [short(d) for d in definitions(_bv())] == names[:5]
