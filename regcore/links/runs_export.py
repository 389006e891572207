"""Several runs as one file: the runs a page overlays, for a spreadsheet or a notebook.

- ``runs_curves_csv``: one row per run and epoch, the run's number and label first, so a
  spreadsheet's pivot (or ``pandas.DataFrame.pivot``) puts the runs side by side.
- ``runs_json``: ``{"runs": [...]}``, each run as :func:`regcore.links.export.run_json`
  writes one (portable config, history, final weights, metrics) plus its number, its
  label and the settings that differ between the runs; with ``format``, ``version`` and
  a SHA-256 ``checksum`` like every JSON export of the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from regcore.core import HISTORY_KEYS, RunResult
from regcore.links.export import _pack, write_csv
from regcore.links.portable import portable_dict

RUNS_FORMAT = "regularization-lab runs"


def runs_curves_csv(
    results: Sequence[RunResult], labels: Sequence[str], numbers: Sequence[int]
) -> str:
    """One row per run and epoch: ``run``, ``label``, then every per-epoch series any of
    the runs has (a series a run lacks, such as validation loss, is empty in its rows).

    Args:
        results: the runs. labels: what differs between them, one per run.
        numbers: each run's number in its session (the ``run`` column).
    """
    keys = [k for k in HISTORY_KEYS if any(r.history.get(k) for r in results)]
    rows: list[list[Any]] = []
    for result, label, n in zip(results, labels, numbers, strict=True):
        h = result.history
        for i in range(len(h.get("epoch", []))):
            rows.append([n, label, *(_at(h.get(k), i) for k in keys)])
    return write_csv(["run", "label", *keys], rows)


def _at(values: Sequence[Any] | None, i: int) -> Any:
    return values[i] if values and i < len(values) else None


def runs_json(
    results: Sequence[RunResult],
    labels: Sequence[str],
    numbers: Sequence[int],
    *,
    settings: Sequence[dict[str, Any]] | None = None,
    file_names: Sequence[str | None] | None = None,
) -> str:
    """The runs as one JSON document (see the module's docstring).

    Args:
        results, labels, numbers: as in :func:`runs_curves_csv`.
        settings: per run, the differing settings as ``{dotted.field: value}``.
        file_names: per run, the user's own name of its CSV file (None: not a CSV run).
    """
    names = list(file_names) if file_names is not None else [None] * len(results)
    extra = list(settings) if settings is not None else [{} for _ in results]
    runs = []
    for result, label, n, name, diff in zip(results, labels, numbers, names, extra, strict=True):
        body = result.to_dict()
        body["config"] = portable_dict(result.config, name)
        body["image_shape"] = list(result.image_shape) if result.image_shape else None
        runs.append({"run": n, "label": label, "settings": dict(diff), **body})
    return _pack(RUNS_FORMAT, {"runs": runs})
