"""Results as files: CSV for spreadsheets, JSON that the app and the CLI read back.

- A run: ``run_curves_csv`` (one row per epoch), ``run_weights_csv`` (one row per
  final weight: layer, index, value) and ``run_json`` (config + result).
- A sweep: ``sweep_csv`` (one row per λ) and ``sweep_json``.
- A comparison: ``compare_csv`` (one row per run).

Every text cell of every CSV goes through ``neutralize``: a cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so a
spreadsheet shows it as text and never runs it as a formula (OWASP "CSV injection").
Numbers are written as numbers.

A JSON export carries ``format``, ``version`` and a SHA-256 ``checksum`` of its
content; ``load_run_json`` / ``load_sweep_json`` check all three and every field
they read, and say what is wrong with a wrong, truncated or edited file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from regcore.core import HISTORY_KEYS, RunResult, SweepResult, json_safe, load_config
from regcore.links.cv_export import cv_body, cv_columns, load_cv
from regcore.links.portable import portable_dict
from regcore.sweeps import CVResult

RUN_FORMAT = "regularization-lab run"
SWEEP_FORMAT = "regularization-lab sweep"
VERSION = 1
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_JSON_BYTES = 50_000_000


def neutralize(cell: Any) -> Any:
    """A CSV cell that a spreadsheet cannot run: text starting with a formula character
    gets a leading apostrophe; numbers, None and other text pass unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with every text cell (header included) neutralized; None is empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # quotes any cell holding \r or \n
    writer.writerow([neutralize(str(h)) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ""  # repr: every digit, read back exactly
    if isinstance(v, int):
        return v
    return neutralize(str(v))


def run_curves_csv(result: RunResult) -> str:
    """One row per epoch: epoch, train/test (and validation) loss, penalty, ‖w‖, zeros."""
    keys = [k for k in HISTORY_KEYS if result.history.get(k)]
    n = len(result.history.get("epoch", []))
    rows = ([result.history[k][i] for k in keys] for i in range(n))
    return write_csv(keys, rows)


def run_weights_csv(result: RunResult) -> str:
    """One row per final weight: layer name, index within the flattened layer, value."""
    rows = (
        (layer, i, float(w))
        for layer, values in result.weights.items()
        for i, w in enumerate(values)
    )
    return write_csv(("layer", "index", "value"), rows)


def compare_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """A comparison's table (``regcore.experiments.comparison.summary``), one row per run."""
    header = list(rows[0]) if rows else ["run"]
    return write_csv(header, ([r.get(k) for k in header] for r in rows))


def sweep_csv(rows: Sequence[Mapping[str, Any]], cv: CVResult | None = None) -> str:
    """A sweep's rows (``SweepResult.rows``), one per λ, every column they share; with
    ``cv``, its k-fold cross-validation's ``cv_*`` columns (regcore.links.cv_export)."""
    header: list[str] = []
    for r in rows:
        header += [k for k in r if k not in header]
    extra = cv_columns(cv, len(rows))
    table = (
        [r.get(k) for k in header] + [c[i] for c in extra.values()] for i, r in enumerate(rows)
    )
    return write_csv(header + list(extra), table)


def _checksum(body: Mapping[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pack(fmt: str, body: dict[str, Any]) -> str:
    body = json_safe(body)
    head = {"format": fmt, "version": VERSION, "checksum": _checksum(body)}
    return json.dumps({**head, **body}, indent=1, ensure_ascii=False)


def run_json(result: RunResult, file_name: str | None = None) -> str:
    """The run as JSON: ``result.to_dict()`` (config, history, weights, metrics, ...)
    with ``format``, ``version`` and ``checksum``; ``load_run_json`` reads it back.
    The config is the portable one (regcore.links.portable): a CSV run names
    ``file_name``, the user's file, not the server's stored copy."""
    body = result.to_dict()
    body["config"] = portable_dict(result.config, file_name)
    body["image_shape"] = list(result.image_shape) if result.image_shape else None
    return _pack(RUN_FORMAT, body)


def sweep_json(
    result: Any,
    settings: Mapping[str, Any] | None = None,
    file_name: str | None = None,
    cv: CVResult | None = None,
) -> str:
    """The sweep as JSON: ``SweepResult.to_dict()`` plus the page's settings (its config
    portable, as in :func:`run_json`) and, with ``cv``, its cross-validation as ``cv``."""
    body = result.to_dict()
    body["config"] = portable_dict(result.config, file_name)
    body["settings"] = dict(settings or {})
    if cv is not None:
        body["cv"] = cv_body(cv)
    return _pack(SWEEP_FORMAT, body)


def _unpack(data: bytes | str, fmt: str, what: str) -> dict[str, Any]:
    """The checked body of an export; ValueError saying what is wrong."""
    if isinstance(data, bytes):
        if len(data) > MAX_JSON_BYTES:
            raise ValueError(
                f"the file has {len(data):,} bytes: allowed at most {MAX_JSON_BYTES:,}"
            )
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("the file is not UTF-8 text: export the JSON again") from None
    try:
        raw = json.loads(data)
    except RecursionError:
        raise ValueError("the file is nested too deeply to be an export") from None
    except json.JSONDecodeError as exc:
        # cut short: the error at the very end, or within the token the cut split ("14." of
        # 14.25 fails at its point, "tru" at its start, an open string where it opens)
        near_end = exc.pos >= len(data.rstrip()) - 32 or exc.msg.startswith("Unterminated")
        cut = " (the file looks cut short)" if near_end else ""
        raise ValueError(
            f"the file is not valid JSON{cut}: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != fmt:
        got = raw.get("format") if isinstance(raw, dict) else type(raw).__name__
        raise ValueError(
            f"this is not a {what} exported by Regularization Lab: its format is "
            f"{str(got)[:40]!r}, expected {fmt!r}"
        )
    if raw.get("version") != VERSION:
        raise ValueError(f"version = {str(raw.get('version'))[:20]!r} is not supported: {VERSION}")
    body = {k: v for k, v in raw.items() if k not in ("format", "version", "checksum")}
    if raw.get("checksum") != _checksum(body):
        raise ValueError(
            "checksum does not match the content: the file was changed after it was "
            "exported (export it again from the app or the CLI)"
        )
    return body


def _numbers(value: Any, where: str, n: int | None = None) -> list[float | None]:
    if not isinstance(value, list) or not all(
        v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in value
    ):
        raise ValueError(f"{where} must be a list of numbers")
    if n is not None and len(value) != n:
        raise ValueError(f"{where} has {len(value)} values, expected {n} (one per epoch)")
    return value


def load_run_json(data: bytes | str) -> RunResult:
    """A run exported by :func:`run_json`, to show again without training.

    Raises:
        ValueError: naming what is wrong (not JSON, cut short, another format, a
            changed file, a bad config field, a missing or malformed part).
    """
    body = _unpack(data, RUN_FORMAT, "run")
    try:
        cfg = load_config(body.get("config"))
    except ValueError as exc:
        raise ValueError(f"config: {exc}") from None
    hist = body.get("history")
    if not isinstance(hist, dict) or "epoch" not in hist:
        raise ValueError("history is missing or has no epoch list")
    n = len(_numbers(hist["epoch"], "history.epoch"))
    if n > cfg.optim.epochs:
        raise ValueError(f"history has {n} epochs, more than optim.epochs = {cfg.optim.epochs}")
    for key in ("train_loss", "test_loss", "penalty"):
        _numbers(hist.get(key), f"history.{key}", n)
    weights = body.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise ValueError("weights is missing: expected final weights per layer")
    for layer, values in weights.items():
        _numbers(values, f"weights.{layer}")
    metrics = body.get("metrics")
    if not isinstance(metrics, dict) or "test_loss" not in metrics:
        raise ValueError("metrics is missing or has no test_loss")
    shape = body.get("image_shape")
    return RunResult(
        config=cfg,
        history=hist,
        weights=weights,
        metrics=metrics,
        snapshots=body.get("snapshots") or {},
        true_w=body.get("true_w"),
        task=body.get("task", "regression"),
        stopped=bool(body.get("stopped")),
        diverged_epoch=body.get("diverged_epoch"),
        best_epoch=body.get("best_epoch"),
        image_shape=tuple(shape) if shape else None,
        data_notes=_texts(body.get("data_notes"), "data_notes"),
    )


def _texts(value: Any, where: str) -> tuple[str, ...]:
    """A list of texts (a table's notes, its column names); () when absent."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where} must be a list of texts")
    return tuple(value)


def load_sweep_json(data: bytes | str) -> tuple[SweepResult, dict[str, Any]]:
    """A sweep exported by :func:`sweep_json`: (SweepResult, the page's settings).

    Raises:
        ValueError: naming what is wrong, as :func:`load_run_json`.
    """
    result, settings, _ = load_sweep_export(data)
    return result, settings


def load_sweep_export(
    data: bytes | str,
) -> tuple[SweepResult, dict[str, Any], CVResult | None]:
    """As :func:`load_sweep_json`, with the sweep's cross-validation (None: the file has
    none, as files exported before it was saved)."""
    body = _unpack(data, SWEEP_FORMAT, "sweep")
    try:
        cfg = load_config(body.get("config"))
    except ValueError as exc:
        raise ValueError(f"config: {exc}") from None
    lambdas = _numbers(body.get("lambdas"), "lambdas")
    if not lambdas or any(v is None or v < 0 for v in lambdas):
        raise ValueError("lambdas must be a non-empty list of strengths λ ≥ 0")
    rows = body.get("rows")
    if not isinstance(rows, list) or len(rows) != len(lambdas):
        raise ValueError("rows must be a list with one row per λ")
    for k, row in enumerate(rows):
        _check_row(row, k, lambdas[k])
    weights = body.get("weights")
    if not isinstance(weights, list) or len(weights) != len(lambdas):
        raise ValueError("weights must hold one set of layers per λ")
    for k, layers in enumerate(weights):
        if not isinstance(layers, dict):
            raise ValueError(f"weights[{k}] must map layer names to lists of numbers")
        for layer, values in layers.items():
            _numbers(values, f"weights[{k}].{str(layer)[:40]}")
    history = body.get("history") or {}
    if not isinstance(history, dict):
        raise ValueError("history must map a metric to one curve per λ")
    for key, curves in history.items():
        if not isinstance(curves, list) or len(curves) != len(lambdas):
            raise ValueError(f"history.{str(key)[:40]} must hold one curve per λ")
        for k, curve in enumerate(curves):
            _numbers(curve, f"history.{str(key)[:40]}[{k}]")
    rows = [{k: (math.nan if v is None else v) for k, v in r.items()} for r in rows]
    by_repeat = _by_repeat(body.get("by_repeat") or {}, len(lambdas))
    split = {key: body.get(key, 0) for key in ("n_fit", "n_val")}  # 0: exported before
    for key, v in split.items():
        if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= cfg.data.n_train:
            raise ValueError(f"{key} = {str(v)[:20]!r} must be a count of training samples")
    result = SweepResult(
        **split,
        config=cfg,
        lambdas=[float(v) for v in lambdas],
        rows=rows,
        weights=weights,
        stopped=bool(body.get("stopped")),
        repeats=int(body.get("repeats", 1)),
        by_repeat=by_repeat,
        history={
            k: [[math.nan if x is None else x for x in c] for c in v] for k, v in history.items()
        },
        true_w=body.get("true_w"),
        task=body.get("task", "regression"),
        batched=bool(body.get("batched", True)),
        feature_names=_texts(body.get("feature_names"), "feature_names"),
        data_notes=_texts(body.get("data_notes"), "data_notes"),
    )
    _check_choice(body.get("choice"), result)
    settings = body.get("settings") if isinstance(body.get("settings"), dict) else {}
    return result, settings, load_cv(body.get("cv"), result.lambdas, cfg.data.n_train)


def _by_repeat(raw: Any, n: int) -> dict[str, list[list[float]]]:
    """A sweep's per-repeat losses (``{"val_loss": [[per repeat] per λ], ...}``), checked."""
    if not isinstance(raw, dict) or not set(raw) <= {"val_loss", "test_loss"}:
        raise ValueError("by_repeat must map val_loss / test_loss to one list of repeats per λ")
    out = {}
    for key, per_lam in raw.items():
        if not isinstance(per_lam, list) or len(per_lam) != n:
            raise ValueError(f"by_repeat.{key} must hold one list of repeats per λ")
        out[key] = [
            [math.nan if v is None else v for v in _numbers(vals, f"by_repeat.{key}[{k}]")]
            for k, vals in enumerate(per_lam)
        ]
    return out


ROW_TEXT = {"device"}  # the only text column of a sweep row
ROW_FLAGS = {"diverged"}


def _check_row(row: Any, k: int, lam: float | None) -> None:
    """A sweep row: numbers (or null) everywhere but its device and diverged flag."""
    if not isinstance(row, dict) or "test_loss" not in row:
        raise ValueError(f"rows[{k}] needs a test_loss")
    if row.get("lam") != lam:
        raise ValueError(f"rows[{k}].lam = {str(row.get('lam'))[:20]} differs from lambdas[{k}]")
    for key, v in row.items():
        ok = (
            isinstance(v, str)
            if key in ROW_TEXT
            else isinstance(v, bool)
            if key in ROW_FLAGS
            else v is None or (isinstance(v, int | float) and not isinstance(v, bool))
        )
        if not ok:
            raise ValueError(f"rows[{k}].{str(key)[:40]} = {str(v)[:20]!r} is not a number")


def _check_choice(saved: Any, result: Any) -> None:
    """The saved choice of λ must be the one its rows give (lowest validation loss)."""
    if saved is None:
        return
    if not isinstance(saved, dict):
        raise ValueError("choice must be an object with the chosen lam")
    mine = result.choice()
    if mine is None or saved.get("lam") != mine["lam"]:
        want = "none" if mine is None else f"λ = {mine['lam']:.4g}"
        raise ValueError(
            f"choice.lam = {str(saved.get('lam'))[:20]} is not the λ with the lowest "
            f"validation loss in the rows ({want}): the file was edited"
        )
