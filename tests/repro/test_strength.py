"""Each regularizer's starting strength shows its effect: L1's zeroes some, not all."""

import pytest

import regcore
from regcore.core import BOUNDS, CATALOG, L1_START, REGULARIZERS, starting_lam
from regcore.links import dataset_config


def test_starting_lam_table_names_known_sets_and_allowed_lambdas():
    lo, hi = BOUNDS["reg.lam"]
    for name, lam in L1_START.items():
        assert name in CATALOG and lo <= lam <= hi, name
    assert starting_lam("none", "linear") is None
    assert starting_lam("l2", "linear") == 3.0 and starting_lam("weight_decay", "linear") == 3.0
    for kind, reg in REGULARIZERS.items():
        for name in CATALOG:
            lam = starting_lam(kind, name)
            assert lam is None or lo <= lam <= hi, (kind, name)
            if reg.l1_solvers and name in L1_START:
                assert lam == L1_START[name]


@pytest.mark.parametrize(
    ("name", "zeros"),
    [
        ("linear", 0.635),
        ("sparse_linear", 0.63),
        ("polynomial", 7 / 12),
        ("classification", 0.217),
        ("moons", 0.326),
    ],
)
def test_l1_starting_strength_zeroes_some_not_all(name, zeros):
    """The measured share of exact zeros at L1_START (and 100 % at 10× λ on linear)."""
    cfg = dataset_config(name).replace(**{"reg.kind": "l1", "reg.lam": L1_START[name]})
    got = regcore.fit(cfg).metrics["zero_fraction"]
    assert got == pytest.approx(zeros, abs=0.03)
    if name == "linear":
        full = regcore.fit(cfg.replace(**{"reg.lam": 3.0})).metrics["zero_fraction"]
        assert full == 1.0
        net = cfg.replace(**{"reg.kind": "elastic_net"})
        assert regcore.fit(net).metrics["zero_fraction"] == pytest.approx(0.52, abs=0.03)
