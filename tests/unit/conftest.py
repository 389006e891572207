"""Unit-test helpers shared by more than one module."""

from __future__ import annotations

import json
from collections.abc import Callable

from regcore.links import export


def reseal(text: str, change: Callable[[dict], object]) -> str:
    """Edit a saved run's or sweep's JSON and recompute its checksum, as a careful forger would."""
    raw = json.loads(text)
    change(raw)
    body = {k: v for k, v in raw.items() if k not in ("format", "version", "checksum")}
    raw["checksum"] = export._checksum(body)
    return json.dumps(raw)
