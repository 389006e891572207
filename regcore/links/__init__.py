"""How a run leaves the app and comes back: the link codec, the pages' link schemes, result files.

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.links import export
from regcore.links.codec import (
    dataset_config,
    effective,
    flat,
    from_query,
    link_params,
    read_link,
    to_query,
)
from regcore.links.dropout import (
    DATA_SETS,
    DEFAULT_SET,
    SLOTS,
    SLOTS_ON,
    DropoutSettings,
    is_page_link,
    page_config,
)
from regcore.links.export import load_sweep_json
from regcore.links.pages import CompareSettings, SweepSettings

__all__ = [
    "CompareSettings",
    "DATA_SETS",
    "DEFAULT_SET",
    "DropoutSettings",
    "SLOTS",
    "SLOTS_ON",
    "SweepSettings",
    "dataset_config",
    "effective",
    "export",
    "flat",
    "from_query",
    "is_page_link",
    "link_params",
    "load_sweep_json",
    "page_config",
    "read_link",
    "to_query",
]
