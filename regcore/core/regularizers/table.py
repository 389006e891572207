"""The one table of regularizer kinds: config choices, widgets, legends and the Learn page
read it. Adding a kind is one module beside this one and one entry here."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from regcore.core.regularizers.base import Regularizer
from regcore.core.regularizers.elastic_net import REGULARIZER as ELASTIC_NET
from regcore.core.regularizers.l1 import REGULARIZER as L1
from regcore.core.regularizers.l2 import REGULARIZER as L2
from regcore.core.regularizers.max_norm import REGULARIZER as MAX_NORM
from regcore.core.regularizers.none import REGULARIZER as NONE
from regcore.core.regularizers.weight_decay import REGULARIZER as WEIGHT_DECAY

_KINDS = (NONE, L1, L2, ELASTIC_NET, WEIGHT_DECAY, MAX_NORM)  # menus list them in this order
REGULARIZERS: Mapping[str, Regularizer] = MappingProxyType({r.kind: r for r in _KINDS})


def spec(reg: Any) -> Regularizer:
    """The table row of ``reg.kind`` (``reg``: a RegConfig or anything with ``kind``)."""
    return REGULARIZERS[reg.kind]
