"""How a run leaves the app and comes back: the link codec, the registry of page schemes
(each page's own link settings and defaults, ``links/pages/``), result files.

Other rooms import from here only; every other module is internal to this one. A new
page's link settings: one module in ``links/pages/`` (a :class:`LinkSettings` dataclass
decorated with :func:`register`), imported in ``links/pages/__init__`` and re-exported here.
"""

from regcore.links import export
from regcore.links.codec import (
    dataset_config,
    from_query,
    link_params,
    params_of,
    read_link,
    to_query,
)
from regcore.links.demos import bias_variance_demo_link, bias_variance_demo_params
from regcore.links.export import load_sweep_export, load_sweep_json
from regcore.links.pages.compare import CompareSettings
from regcore.links.pages.dropout import (
    DATA_SETS,
    DEFAULT_SET,
    NET_NORMS,
    NET_REG_LABELS,
    SET_LABELS,
    SLOTS,
    SLOTS_ON,
    START_LAM,
    DropoutSettings,
    configs_from_query,
    page_config,
)
from regcore.links.pages.sweep import SweepSettings
from regcore.links.pages.tabs import (
    BIAS_VARIANCE,
    METRICS,
    P_OPTIONS,
    RATE_SWEEP,
    SMALL_BATCHES,
    TABS,
    TabSettings,
)
from regcore.links.portable import portable_config
from regcore.links.runs_export import runs_curves_csv, runs_json
from regcore.links.scheme import SCHEMES, Key, LinkSettings, encode_value, register

__all__ = [
    "bias_variance_demo_link",
    "bias_variance_demo_params",
    "BIAS_VARIANCE",
    "CompareSettings",
    "DATA_SETS",
    "DEFAULT_SET",
    "DropoutSettings",
    "Key",
    "LinkSettings",
    "METRICS",
    "NET_NORMS",
    "NET_REG_LABELS",
    "P_OPTIONS",
    "RATE_SWEEP",
    "SCHEMES",
    "SET_LABELS",
    "SLOTS",
    "SLOTS_ON",
    "SMALL_BATCHES",
    "START_LAM",
    "SweepSettings",
    "TABS",
    "TabSettings",
    "configs_from_query",
    "dataset_config",
    "encode_value",
    "export",
    "from_query",
    "link_params",
    "load_sweep_export",
    "load_sweep_json",
    "page_config",
    "params_of",
    "portable_config",
    "read_link",
    "register",
    "runs_curves_csv",
    "runs_json",
    "to_query",
]
