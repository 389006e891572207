"""A published loss beside ours is stated in one unit (the textbook's ½·MSE is not our MSE)."""

import re

from regcore.experiments.presets import PRESETS, Check

# "0.010 as ½·MSE", "0.021 as MSE": a loss figure and the unit it is in
FIGURE = re.compile(r"(\d+(?:\.\d+)?) as (½·MSE|MSE)")
LOSS = re.compile(r"(?:train|test) loss[^.;]*?(\d+\.\d+)")


def _figures(text: str) -> dict[str, float]:
    return {unit: float(v) for v, unit in FIGURE.findall(text)}


def test_presets_published_loss_sits_beside_ours_in_one_unit():
    """Every loss figure of a sourced preset's Published / Ours names its unit, and each unit
    the published figure is given in has our figure in it too, agreeing within the check."""
    sourced = {n: p for n, p in PRESETS.items() if "source" in p}
    compared = 0
    for name, item in sourced.items():
        published, ours = item["published"], item["ours"]
        if not LOSS.search(published):
            continue  # no published loss (a norm, or curves only)
        theirs, mine = _figures(published), _figures(ours)
        assert theirs, (name, "the published loss names no unit", published)
        assert set(theirs) <= set(mine), (name, "ours lacks a unit the source's is in", ours)
        loss = next(c for c in item["checks"] if c.metric.endswith("_loss"))
        for unit, value in theirs.items():
            scale = 0.5 if unit == "½·MSE" else 1.0  # our metrics are MSE
            assert Check(loss.metric, scale * loss.value, loss.rtol).holds(value), (name, unit)
            assert abs(mine[unit] - scale * loss.value) <= 0.01 * scale * loss.value, (name, unit)
        compared += 1
    assert compared >= 1  # the textbook's λ_d = 10 run states a published test loss


def test_presets_textbook_wd_10_states_half_mse_and_mse():
    item = PRESETS["textbook_wd_10"]
    assert _figures(item["published"]) == {"½·MSE": 0.010, "MSE": 0.020}
    assert _figures(item["ours"]) == {"MSE": 0.021, "½·MSE": 0.0105}
