"""Ready demos as links: the page and its query, so a lesson or a button opens them."""

from __future__ import annotations

import urllib.parse

from regcore.core import load_config
from regcore.links.codec import link_params
from regcore.links.pages.sweep import SweepSettings
from regcore.sweeps import BIAS_VARIANCE_DEMO, BIAS_VARIANCE_DEMO_LAMBDAS


def bias_variance_demo_params() -> dict[str, str]:
    """The λ sweep's link fields of the textbook bias–variance picture
    (regcore.sweeps.BIAS_VARIANCE_DEMO: 30 features, 20 samples, σ = 1, λ 10⁻³ to 10)."""
    lo, hi, k = BIAS_VARIANCE_DEMO_LAMBDAS
    settings = SweepSettings(lam_min=lo, lam_max=hi, k=k, bias_variance=True, first="bias_variance")
    return link_params(load_config(BIAS_VARIANCE_DEMO), settings.to_params())


def bias_variance_demo_link() -> str:
    """The relative URL of the demo: ``sweep?data.n_features=30&…``."""
    return "sweep?" + urllib.parse.urlencode(list(bias_variance_demo_params().items()))
