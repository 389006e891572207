"""A run's config as a file to run elsewhere: what the Config box, config.json and run.json hold.

A CSV run trains on the server's stored copy of the user's file (``<sha256>.csv`` in the
server's upload folder), a path that exists nowhere else. Its portable config names the
user's own file instead, as a bare name beside ``config.json`` (``python -m regcore train
config.json`` in that folder reads it), and holds only the data fields a CSV run reads: the
synthetic sets' fields (``n_features``, ``true_w``, ...) would be read as if they mattered.
Loading it gives the same config with that path. Other data sets' configs are unchanged.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from regcore.core import CATALOG, TrainConfig

KEPT = ("name", "n_train", "n_test", "seed")  # the data fields every set reads


def portable_dict(cfg: TrainConfig, file_name: str | None = None) -> dict[str, Any]:
    """``cfg.to_dict()``, for a CSV run with ``data.path`` = the user's file name.

    Args:
        cfg: a validated config.
        file_name: the user's name of the uploaded file (its last part is kept); None:
            the stored file's own name, never the server's folder.

    Returns:
        The config as plain JSON-ready data.
    """
    out = cfg.to_dict()
    if cfg.data.name != "csv":
        return out
    uses = CATALOG["csv"].uses
    data = {k: v for k, v in out["data"].items() if k in KEPT or k in uses}
    source = file_name or cfg.data.path
    data["path"] = PurePath(str(source).replace("\\", "/")).name if source else None
    out["data"] = data
    return out


def portable_config(cfg: TrainConfig, file_name: str | None = None) -> str:
    """:func:`portable_dict` as indented JSON text (``cfg.to_json()`` for other sets)."""
    return json.dumps(portable_dict(cfg, file_name), indent=2)
