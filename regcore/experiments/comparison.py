"""Side-by-side comparisons: several regularizers on one data set, init and batch order.

Every variant of a comparison is the base config with a few fields changed
(regularizer kind, λ, L1 solver, optimizer); nothing else differs. The data set
is made once and handed to every run (``regcore.fit(..., data=...)``), and all
runs share ``cfg.seed``, so the initial weights and the order of the minibatches
are identical across runs (regcore.data's independent INIT and BATCH streams).

Two facts the optimizer comparisons show (DESIGN.md, Loshchilov & Hutter 2019):

- plain SGD with an L2 penalty λ·½‖w‖² steps w ← w − lr·(g + λw), exactly what
  decoupled decay w ← w(1 − lr·λ) followed by w ← w − lr·g gives: the two runs
  coincide (to rounding);
- Adam divides the L2 gradient λw by its running RMS, AdamW does not: at the
  same λ they end at different weights.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from regcore.core import (
    RunResult,
    StepMetrics,
    StopSignal,
    TrainConfig,
    effective,
    load_config,
    spec,
    stop_requested,
)
from regcore.data import make_dataset
from regcore.engine import NEAR_ZERO, fit

OnEpoch = Callable[[int, StepMetrics], None]


@dataclass(frozen=True, kw_only=True)
class Variant:
    """One run of a comparison: the fields that differ from the base config.

    ``None`` keeps the base's value. ``key`` picks the colour and label of the run
    (a key of ``regcore.figures.style.REG_COLORS``); empty means "derive it".
    """

    kind: str = "none"  # reg.kind
    lam: float | None = None  # reg.lam (ignored for kind "none")
    l1_solver: str | None = None  # reg.l1_solver
    l1_ratio: float | None = None  # reg.l1_ratio (elastic net)
    optim: str | None = None  # optim.name
    label: str = ""  # display name; empty: derived from the fields
    key: str = ""  # colour key; empty: derived from the fields

    def changes(self) -> dict[str, Any]:
        """The dotted-path changes this variant makes to a base config."""
        out: dict[str, Any] = {"reg.kind": self.kind}
        if self.kind == "none":
            out["reg.lam"] = 0.0
        elif self.lam is not None:
            out["reg.lam"] = float(self.lam)
        for path, value in (
            ("reg.l1_solver", self.l1_solver),
            ("reg.l1_ratio", self.l1_ratio),
            ("optim.name", self.optim),
        ):
            if value is not None:
                out[path] = value
        return out

    def apply(self, base: TrainConfig) -> TrainConfig:
        """The validated config of this variant (raises ValueError naming a bad field).

        Settings the variant makes moot (an L1 solver on its L2 run, the base's momentum
        under its Adam) go back to their defaults, as the page's runs share one solver.
        """
        return effective({**base.flat(), **self.changes()})


def color_key(cfg: TrainConfig) -> str:
    """The colour key of a run: its reg kind, refined where a page contrasts variants."""
    kind, opt, key = cfg.reg.kind, cfg.optim.name, spec(cfg.reg).color_key
    if kind == "l1" and cfg.reg.l1_solver == "subgradient":
        return "l1_subgradient"
    if kind == "l2" and opt in ("adam", "adamw"):
        return "adam_l2"
    if kind == "weight_decay" and opt in ("adam", "adamw"):
        return "adamw"
    return key


_OPT_NAMES = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW"}


def run_label(cfg: TrainConfig, solver: bool = False) -> str:
    """A short display name: ``L1 λ=0.1``, ``L1 subgradient λ=0.1``, ``Adam + L2 λ=0.1``.

    Args:
        cfg: the run's config. solver: name the L1 solver even when it is the default.
    """
    r, opt = cfg.reg, cfg.optim.name
    name = spec(r).name
    if r.kind == "weight_decay" and opt == "adamw":
        name = "AdamW"
    elif opt != "sgd":
        name = f"{_OPT_NAMES[opt]} + {name}"
    if spec(r).l1_solvers and (solver or r.l1_solver == "subgradient"):
        name += f" {r.l1_solver}"
    if spec(r).l1_share is None:  # a mix: name its α
        name += f" α={r.l1_ratio:g}"
    return name if r.kind == "none" else f"{name} λ={r.lam:g}"


@dataclass(frozen=True)
class CompareResult:
    """The runs of a comparison, in variant order.

    ``runs`` may be shorter than ``configs`` when a stop request ended the
    comparison early; the last run is then the one that was stopped.
    """

    base: TrainConfig
    configs: tuple[TrainConfig, ...]
    labels: tuple[str, ...]
    keys: tuple[str, ...]  # colour keys, see color_key
    runs: tuple[RunResult, ...]
    stopped: bool = False
    seconds: float = 0.0
    true_w: tuple[float, ...] | None = None

    @property
    def histories(self) -> list[dict[str, list[float]]]:
        return [r.history for r in self.runs]

    @property
    def classify(self) -> bool:
        return bool(self.runs) and self.runs[0].task == "classification"

    def flat_weights(self, i: int) -> list[float]:
        """All penalized weights of run ``i``, layers concatenated in forward order."""
        return [w for layer in self.runs[i].weights.values() for w in layer]


def compare(
    base: TrainConfig | dict | str | None,
    variants: Sequence[Variant],
    stop: StopSignal = None,
    on_epoch: OnEpoch | None = None,
) -> CompareResult:
    """Train each variant of ``base`` in turn on one shared data set.

    Args:
        base: the config every variant starts from (anything ``load_config`` takes).
        variants: the runs to make; each config is validated before any training.
        stop: an ``Event`` or callable; when set, the current run ends before its
            next epoch and no further run starts.
        on_epoch: called as ``on_epoch(variant_index, StepMetrics)`` after every epoch.

    Returns:
        A :class:`CompareResult` with one :class:`RunResult` per finished variant.
    """
    base = load_config(base)
    configs, labels, keys = plan(base, variants)
    data = make_dataset(base)
    runs: list[RunResult] = []
    stopped, t0 = False, time.perf_counter()
    for i, cfg in enumerate(configs):
        if stop_requested(stop):
            stopped = True
            break
        callback = None if on_epoch is None else _bind(on_epoch, i)
        run = fit(cfg, stop=stop, on_epoch=callback, data=data)
        runs.append(run)
        if run.stopped:
            stopped = True
            break
    return CompareResult(
        base=base,
        configs=configs,
        labels=labels,
        keys=keys,
        runs=tuple(runs),
        stopped=stopped,
        seconds=time.perf_counter() - t0,
        true_w=None if data.true_w is None else tuple(data.true_w.tolist()),
    )


def plan(
    base: TrainConfig, variants: Sequence[Variant]
) -> tuple[tuple[TrainConfig, ...], tuple[str, ...], tuple[str, ...]]:
    """The validated configs, display labels and colour keys of a comparison, in order.

    Raises:
        ValueError: naming the field of the first invalid variant.
    """
    configs = tuple(v.apply(base) for v in variants)
    solvers = {c.reg.l1_solver for c in configs if spec(c.reg).l1_solvers}
    labels = tuple(
        v.label or run_label(c, solver=len(solvers) > 1)
        for v, c in zip(variants, configs, strict=True)
    )
    keys = tuple(v.key or color_key(c) for v, c in zip(variants, configs, strict=True))
    return configs, labels, keys


def _bind(on_epoch: OnEpoch, i: int) -> Callable[[StepMetrics], None]:
    return lambda ev: on_epoch(i, ev)


def support_recovery(
    weights: Sequence[float], true_w: Sequence[float], tol: float = 0.0
) -> dict[str, float]:
    """Precision and recall of the non-zero weights against the true support.

    A weight counts as selected when ``|w| > tol`` (``tol = 0``: exactly non-zero).

    Returns:
        ``precision`` (selected that are truly non-zero / selected; 1 when none is
        selected), ``recall`` (truly non-zero that are selected / truly non-zero),
        and the counts ``selected``, ``true_support``, ``true_positives``.
    """
    if len(weights) != len(true_w):
        raise ValueError(f"{len(weights)} weights against {len(true_w)} true weights")
    sel = [abs(w) > tol for w in weights]
    truth = [t != 0 for t in true_w]
    tp = sum(s and t for s, t in zip(sel, truth, strict=True))
    n_sel, n_true = sum(sel), sum(truth)
    return {
        "precision": tp / n_sel if n_sel else 1.0,
        "recall": tp / n_true if n_true else 1.0,
        "selected": n_sel,
        "true_support": n_true,
        "true_positives": tp,
    }


def max_difference(a: RunResult, b: RunResult) -> dict[str, float]:
    """Largest absolute differences between two runs' final weights and curves.

    Returns:
        ``weights`` (max |w_a − w_b| over every penalized weight) and, per history
        key both runs have (``train_loss``, ``test_loss``, ``weight_l2``...), the
        max over the epochs both ran.
    """
    wa = [w for layer in a.weights.values() for w in layer]
    wb = [w for layer in b.weights.values() for w in layer]
    if len(wa) != len(wb):
        raise ValueError(f"the runs have {len(wa)} and {len(wb)} weights: not comparable")
    out = {"weights": max((abs(x - y) for x, y in zip(wa, wb, strict=True)), default=0.0)}
    for key in ("train_loss", "test_loss", "weight_l2", "train_acc", "test_acc"):
        if key in a.history and key in b.history:
            pairs = zip(a.history[key], b.history[key], strict=False)
            out[key] = max((abs(x - y) for x, y in pairs), default=0.0)
    return out


def summary(result: CompareResult) -> list[dict[str, Any]]:
    """One table row per run: norms, zero counts, losses (or accuracies), seconds."""
    rows = []
    for i, run in enumerate(result.runs):
        m = run.metrics
        n = int(m.get("n_weights", len(result.flat_weights(i))))
        row: dict[str, Any] = {
            "run": result.labels[i],
            "‖w‖₂": m["weight_l2"],
            "‖w‖₁": m["weight_l1"],
            "exact zeros": f"{round(m['zero_fraction'] * n)} / {n}",
            f"|w| < {NEAR_ZERO:g}": f"{round(m['near_zero_fraction'] * n)} / {n}",
        }
        if run.task == "classification":
            row.update({"train acc": m["train_acc"], "test acc": m["test_acc"]})
        row.update({"train loss": m["train_loss"], "test loss": m["test_loss"]})
        if result.true_w is not None:
            rec = support_recovery(result.flat_weights(i), result.true_w)
            row.update({"support precision": rec["precision"], "support recall": rec["recall"]})
        row["seconds"] = m["seconds"]
        row["status"] = _status(run)
        rows.append(row)
    return rows


def _status(run: RunResult) -> str:
    if run.diverged:
        return f"diverged at epoch {run.diverged_epoch}"
    if run.stopped:
        return f"stopped after {run.metrics['epochs_run']} epochs"
    return "done"
