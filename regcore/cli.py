"""Command line: ``python -m regcore {train,sweep,data,schema,presets}``.

A user error (bad JSON, bad field, out-of-range value, unreadable file) exits
with status 2 and one line on stderr; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

USER_ERROR = 2


class UserError(Exception):
    """A mistake in the command's input, reported as one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UserError(f"{self.prog}: {message} (see --help)")


def parse_lambdas(spec: str) -> list[float]:
    """``A:B:K`` → K log-spaced values from A to B (both > 0); or a comma list.

    Raises:
        UserError: naming what is wrong and the accepted forms.
    """
    from regcore.sweeps import log_grid

    try:
        if ":" in spec:
            a, b, k = spec.split(":")
            lo, hi, n = float(a), float(b), int(k)
            if not (lo > 0 and hi > 0 and n >= 1 and math.isfinite(lo) and math.isfinite(hi)):
                raise ValueError
            return log_grid(lo, hi, n)
        values = [float(v) for v in spec.split(",") if v.strip()]
        if not values or not all(math.isfinite(v) and v >= 0 for v in values):
            raise ValueError
        return values
    except ValueError:
        raise UserError(
            f"--lambdas {spec!r} is not valid: use A:B:K (K log-spaced values, A and B > 0) "
            "or a comma-separated list of λ ≥ 0"
        ) from None


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m regcore", description="Regularization Lab engine")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    t = sub.add_parser("train", help="train one config and print a summary")
    t.add_argument("config", nargs="?", help="config JSON file (default: the default config)")
    t.add_argument("--out", help="write the result JSON here")
    s = sub.add_parser("sweep", help="train one model per λ")
    s.add_argument("config", help="config JSON file")
    s.add_argument("--lambdas", required=True, help="A:B:K log-spaced, or a comma list")
    s.add_argument("--repeats", type=int, default=1, help="fresh data and init per λ (1-32)")
    s.add_argument("--out", help="write rows here (.csv or .json)")
    s.add_argument(
        "--folds", type=int, default=0, help="also choose λ by k-fold cross-validation (2-20)"
    )
    d = sub.add_parser("data", help="write the data set as the model sees it")
    d.add_argument("config", help="config JSON file")
    d.add_argument("--out", required=True, help="CSV file to write")
    sub.add_parser("schema", help="print the config's JSON schema with defaults and bounds")
    ds = sub.add_parser("datasets", help="list the data sets (the catalog) and their defaults")
    ds.add_argument("name", nargs="?", help="print this data set's starting config")
    pr = sub.add_parser("presets", help="list the named example configs")
    pr.add_argument("name", nargs="?", help="print this preset's full config")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _build_parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except (UserError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERROR
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _load(path: str | None):
    from regcore.core import load_config

    if path is None:
        return load_config({})
    if not Path(path).is_file():
        raise UserError(f"cannot read config file {path!r}: no such file")
    return load_config(Path(path))


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {path!r}: {exc.strerror}") from None


def _cmd_train(args: argparse.Namespace) -> int:
    from regcore.engine import fit
    from regcore.links import export

    result = fit(_load(args.config))
    m = result.metrics
    cfg = result.config
    print(
        f"{cfg.data.name} · {cfg.model.kind} · {cfg.reg.kind} λ={cfg.reg.lam:g} · "
        f"{cfg.optim.name} lr={cfg.optim.lr:g} · {m['epochs_run']} epochs"
    )
    if result.diverged:
        print(f"diverged at epoch {result.diverged_epoch}: lower the learning rate")
    line = f"train loss {m['train_loss']:.4g}  test loss {m['test_loss']:.4g}"
    if "test_acc" in m:
        line += f"  train acc {m['train_acc']:.3f}  test acc {m['test_acc']:.3f}"
    print(line)
    print(
        f"‖w‖₂ {m['weight_l2']:.4g}  ‖w‖₁ {m['weight_l1']:.4g}  "
        f"zeros {m['zero_fraction']:.1%} ({round(m['zero_fraction'] * m['n_weights'])}"
        f"/{m['n_weights']})  near-zero {m['near_zero_fraction']:.1%}"
    )
    print(f"device {m['device']}  {m['seconds']:.2f} s")
    _print_notes(result.data_notes)
    if args.out:  # the app's export format: the app's "open a run" shows it again
        _write(args.out, export.run_json(result))
        print(f"result written to {args.out}")
    return 1 if result.diverged else 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from regcore.links import export
    from regcore.sweeps import cross_validate, sweep

    cfg = _load(args.config)
    if not 1 <= args.repeats <= 32:
        raise UserError(f"--repeats {args.repeats} is out of range: allowed 1 to 32")
    if args.folds and not 2 <= args.folds <= 20:
        raise UserError(f"--folds {args.folds} is out of range: allowed 2 to 20")
    result = sweep(cfg, parse_lambdas(args.lambdas), repeats=args.repeats)  # checks each λ
    rows = result.rows
    cv = None
    if args.folds:
        cv = cross_validate(cfg, result.lambdas, args.folds, repeats=args.repeats)
    if args.out and args.out.lower().endswith(".json"):
        _write(args.out, export.sweep_json(result, cv=cv))
    elif args.out:
        _write(args.out, export.sweep_csv(rows, cv))  # text cells neutralized for spreadsheets
    for row in rows:
        print(
            f"λ={row['lam']:<10.4g} train {row['train_loss']:<10.4g} "
            f"val {row['val_loss']:<10.4g} test {row['test_loss']:<10.4g} "
            f"‖w‖₂ {row['weight_l2']:<9.4g} zeros {row['zero_fraction']:.1%}"
        )
    print(choice_line(result))
    if cv is not None:
        print(_cv_line(cv, args.folds))
    return 0


def _cv_line(cv: Any, folds: int) -> str:
    """λ_min and λ_1se of k-fold cross-validation with their test losses, in two lines."""
    c = cv.choice()
    if c is None:
        return "no λ chosen by cross-validation: every λ diverged"
    lo, se = c["min"], c["1se"]
    return (
        f"{folds}-fold CV: λ_min = {lo['lam']:.4g} (CV loss {lo['cv_loss']:.4g} ± "
        f"{lo['cv_se']:.2g}), test loss {lo['test_loss']:.4g}\n"
        f"{folds}-fold CV: λ_1se = {se['lam']:.4g} (CV loss {se['cv_loss']:.4g}), "
        f"test loss {se['test_loss']:.4g} (refitted on all training samples)"
    )


def choice_line(result: Any) -> str:
    """The λ a sweep chooses on validation and its test loss, in one line."""
    c = result.choice()
    if c is None:
        return "no λ chosen: every λ diverged"
    line = (
        f"λ* = {c['lam']:.4g} chosen on validation ({c['n_val']} of the training samples "
        f"held out, models fit {c['n_fit']}): validation loss {c['val_loss']:.4g}, "
        f"its test loss {c['test_loss']:.4g}"
    )
    return line + "".join(f"\ncaution: {text}" for text in _cautions(result))


def _cautions(result: Any) -> list[str]:
    """Why a sweep's choice of λ is uncertain (regcore.sweeps.assess_choice), in short lines."""
    from regcore.sweeps import MIN_HELD_OUT, assess_choice

    r = assess_choice(result)
    out = []
    if r is None:
        return out
    if r.few_held_out:
        out.append(f"{r.n_val} held-out samples, fewer than {MIN_HELD_OUT}: a weak choice")
    if r.undetermined and r.tied is not None:
        out.append(f"λ from {r.tied[0]:.4g} to {r.tied[1]:.4g} within one standard error")
    if r.test.disagrees and r.test.median is not None:
        out.append(
            f"test loss over repeats from {r.test.low:.4g} to {r.test.high:.4g}: "
            f"median {r.test.median:.4g}"
        )
    return out


def _cmd_data(args: argparse.Namespace) -> int:
    from regcore.data import dataset_frame, make_dataset, named

    cfg = _load(args.config)
    ds = make_dataset(cfg)
    frame = dataset_frame(cfg, ds)
    try:
        frame.to_csv(args.out, index=False)
    except OSError as exc:
        raise UserError(f"cannot write {args.out!r}: {exc.strerror}") from None
    print(f"{len(frame)} rows × {frame.shape[1]} columns written to {args.out}")
    names = named(ds)
    if names:
        print("columns: " + ", ".join(f"x{i} = {n}" for i, n in enumerate(names[:50])))
    _print_notes(ds.notes)
    return 0


def _print_notes(notes: Sequence[str]) -> None:
    """What was done to a table to make it usable, one line each."""
    if notes:
        print("done to the table:")
        for line in notes:
            print(f"  - {line}")


def schema() -> dict[str, Any]:
    """The config's JSON schema: every field with its type, default, bounds or choices."""
    from regcore.core import BOUNDS, CHOICES, NULLABLE, OPEN_LOW, SECTIONS, TrainConfig

    def field_schema(key: str, default: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"default": default}
        if key in CHOICES:
            out.update(type="string", enum=list(CHOICES[key]))
        elif key in BOUNDS:
            lo, hi = BOUNDS[key]
            kind = "integer" if isinstance(default, int) or default is None else "number"
            bound = {"exclusiveMinimum" if key in OPEN_LOW else "minimum": lo, "maximum": hi}
            if isinstance(default, list):
                out.update(type="array", items={"type": "integer", **bound}, maxItems=6)
            else:
                out.update(type=[kind, "null"] if key in NULLABLE else kind, **bound)
        elif isinstance(default, bool):
            out["type"] = "boolean"
        else:
            out["type"] = ["string", "null"] if key in NULLABLE else "string"
        return out

    defaults = TrainConfig().to_dict()
    props: dict[str, Any] = {}
    for name, value in defaults.items():
        if name in SECTIONS:
            section = {k: field_schema(f"{name}.{k}", v) for k, v in value.items()}
            props[name] = {"type": "object", "additionalProperties": False, "properties": section}
        else:
            props[name] = field_schema(name, value)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Regularization Lab run config",
        "type": "object",
        "additionalProperties": False,
        "properties": props,
    }


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(schema(), indent=2, ensure_ascii=False))
    return 0


def _cmd_presets(args: argparse.Namespace) -> int:
    from regcore.experiments import PRESETS, preset

    if args.name:
        print(preset(args.name).to_json())
        return 0
    width = max(len(n) for n in PRESETS)
    for name, p in PRESETS.items():
        print(f"{name:<{width}}  {p['title']}: {p['about']}")
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    from regcore.core import CATALOG
    from regcore.links import dataset_config

    if args.name:
        print(dataset_config(args.name).to_json())
        return 0
    width = max(len(n) for n in CATALOG)
    for name, d in CATALOG.items():
        reads = ", ".join(d.uses) or "sizes only"
        print(f"{name:<{width}}  {d.label}; {d.task}; reads {reads}")
    return 0


_COMMANDS = {
    "train": _cmd_train,
    "sweep": _cmd_sweep,
    "data": _cmd_data,
    "schema": _cmd_schema,
    "presets": _cmd_presets,
    "datasets": _cmd_datasets,
}
