"""Configs in links: the fields that differ from the defaults as a URL query string.

``to_query(cfg)`` writes them (lists comma-separated, None as ``null``) and
``from_query`` reads them back through the same validation as any config, so a
hand-edited link gets the same field-naming messages. ``data.path`` never travels
in a link (LINK_FORBIDDEN): a shared link cannot point the server at a file.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from regcore.bounds import BOUNDS, INT_FIELDS, LINK_FORBIDDEN, NULLABLE
from regcore.config import TrainConfig


def to_query(cfg: TrainConfig) -> str:
    """A short URL query string holding the fields that differ from the defaults."""
    default = TrainConfig().flat()
    items = []
    for key, value in cfg.flat().items():
        if value != default[key] and key not in LINK_FORBIDDEN:
            items.append((key, encode_value(value)))
    return urllib.parse.urlencode(items)


def encode_value(value: Any) -> str:
    """A config value as it is written in a link (lists comma-separated, None as null)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value) if not isinstance(value, float) else repr(value)


def from_query(query: str | dict[str, str]) -> TrainConfig:
    """Parse a query string (or a dict of its values) written by :func:`to_query`."""
    pairs = urllib.parse.parse_qsl(query) if isinstance(query, str) else list(query.items())
    default = TrainConfig().flat()
    flat: dict[str, Any] = {}
    for key, text in pairs:
        if key not in default:
            raise ValueError(f"unknown field {key} in the link")
        if key in LINK_FORBIDDEN:
            raise ValueError(f"{key} cannot come from a link: upload the file on the page")
        flat[key] = _decode(key, str(text), default[key])
    return TrainConfig.from_flat(flat)


def _decode(key: str, text: str, like: Any) -> Any:
    if text == "null" and key in NULLABLE:
        return None
    try:
        if isinstance(like, bool):
            if text not in ("true", "false"):
                raise ValueError
            return text == "true"
        if isinstance(like, list):
            return [int(v) for v in text.strip("[] ").split(",") if v.strip()]
        if key in INT_FIELDS:
            return int(text)
        if isinstance(like, float) or key in BOUNDS:
            return float(text)
    except ValueError:
        raise ValueError(
            f"{key} = {text!r} in the link is not valid: {_allowed(key, like)}"
        ) from None
    return text


def _allowed(key: str, like: Any) -> str:
    """What a link may give for ``key``, in words."""
    if isinstance(like, bool):
        return "use true or false"
    if key in BOUNDS:
        lo, hi = BOUNDS[key]
        kind = "whole numbers" if key in INT_FIELDS else "numbers"
        each = ", comma-separated" if isinstance(like, list) else ""
        return f"allowed {kind} from {lo:g} to {hi:g}{each}"
    return "use a text value"
