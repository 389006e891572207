"""The Dropout & norm page's default teaches at a glance: measured, not asserted.

Trained exactly as the page trains its default (``page_config`` of the default data set,
the default networks), on three data-and-run seeds: without dropout the decision
boundary is longer (it bends around single noisy training points) and the
generalization gap is larger than with dropout. Over seeds 0-7 (see the README row)
every seed went this way; three keep the test short.
"""

from __future__ import annotations

import pytest
import torch

from regcore.experiments.dropout.networks import compare_nets
from regcore.experiments.surfaces import Surface, boundary_crossings, class_regions
from regcore.links import DropoutSettings, page_config

DEFAULT_SET = "xor"


def test_dropout_default_is_the_page_default():
    nets = DropoutSettings().nets
    assert [n.dropout for n in nets] == [0.0, 0.8]
    assert page_config(DEFAULT_SET).data.name == DEFAULT_SET


def test_boundary_measures_on_hand_made_surfaces():
    n = 21
    half = tuple(tuple(float(j > 10) for j in range(n)) for _ in range(n))
    straight = Surface(epoch=1, prob=half)
    island = tuple(
        tuple(1.0 if j > 10 or (i - 5) ** 2 + (j - 4) ** 2 <= 4 else 0.0 for j in range(n))
        for i in range(n)
    )
    assert boundary_crossings(straight) == n and class_regions(straight) == 2
    wiggly = Surface(epoch=1, prob=island)
    assert boundary_crossings(wiggly) > n and class_regions(wiggly) == 3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dropout_default_boundary_is_longer_and_gap_larger_without_dropout(seed):
    torch.manual_seed(0)  # nothing should read the global generator; this makes sure
    base = page_config(DEFAULT_SET).replace(**{"data.seed": seed, "seed": seed})
    res = compare_nets(base, DropoutSettings().nets, max_frames=1)
    plain, dropped = res.runs
    lengths = [boundary_crossings(s) for s in res.surfaces]
    assert lengths[0] > lengths[1], lengths

    def gap(run):
        return run.metrics["test_loss"] - run.metrics["train_loss"]

    assert gap(plain) > 1.5 * gap(dropped), (gap(plain), gap(dropped))
    assert plain.metrics["train_acc"] == 1.0  # it fits every noisy training point
