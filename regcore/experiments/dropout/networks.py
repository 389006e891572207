"""Dropout and normalization experiments: side by side, a dropout-rate sweep, small batches.

Side by side (``compare_nets``) follows regcore.experiments.comparison: the data set is made once
and handed to every run, and all runs share ``cfg.seed``, so initial weights and
minibatch order are identical; only the network's regularization differs
(dropout rate, normalization layer, L2 penalty or decoupled weight decay). For
2-D data sets each run also streams decision surfaces (regcore.experiments.surfaces) at a
bounded number of epochs, and the finished run is probed layer by layer in train
and eval mode (regcore.experiments.dropout.layers_probe).

The dropout sweep picks its best p by *validation* loss: a validation split is
carved once from the training data (never the test set), every run trains on
the rest, and the test loss of the chosen p is reported beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from regcore.core import RunResult, StopSignal, TrainConfig, load_config, stop_requested
from regcore.data import (
    Dataset,
    carve_validation,  # noqa: F401  (re-exported)
    make_dataset,
)
from regcore.engine import fit
from regcore.experiments.dropout.layers_probe import (
    LayerProbe,
    dropout_conventions,
    first_dropout_input,
    probe_layers,
)
from regcore.experiments.surfaces import (
    Grid,
    Surface,
    boundary_crossings,
    class_regions,
    grid_for,
    is_2d,
    surface,
    surface_epochs,
)

OnEvent = Callable[[tuple[int, Any]], None]
PROBE_BATCH = 64  # samples in the fixed batch of the train/eval probe

_NORM_NAMES = {"batch": "batch norm", "layer": "layer norm", "group": "group norm"}


@dataclass(frozen=True, kw_only=True)
class NetVariant:
    """One network of a comparison: the regularization fields that differ from the base."""

    dropout: float = 0.0  # model.dropout, the drop probability p
    norm: str = "none"  # model.norm
    reg: str = "none"  # reg.kind: none | l2 | weight_decay
    lam: float = 0.0  # reg.lam (ignored for reg "none")
    label: str = ""  # display name; empty: derived

    def changes(self) -> dict[str, Any]:
        """The dotted-path changes this variant makes to a base config."""
        return {
            "model.dropout": float(self.dropout),
            "model.norm": self.norm,
            "reg.kind": self.reg,
            "reg.lam": 0.0 if self.reg == "none" else float(self.lam),
        }

    def apply(self, base: TrainConfig) -> TrainConfig:
        """The validated config of this variant (raises ValueError naming a bad field)."""
        return base.replace(**self.changes())


def net_label(cfg: TrainConfig) -> str:
    """A short name: ``no dropout``, ``dropout 0.5``, ``dropout 0.5 + batch norm + L2 λ=1e-3``."""
    m, r = cfg.model, cfg.reg
    parts = [f"dropout {m.dropout:g}" if m.dropout > 0 else "no dropout"]
    if m.norm != "none":
        parts.append(_NORM_NAMES.get(m.norm, f"{m.norm} norm"))
    if r.kind == "l2":
        parts.append(f"L2 λ={r.lam:g}")
    elif r.kind == "weight_decay":
        parts.append(f"weight decay λ={r.lam:g}")
    elif r.kind != "none":
        parts.append(f"{r.kind} λ={r.lam:g}")
    return " + ".join(parts)


@dataclass(frozen=True)
class NetCompareResult:
    """The runs of a network comparison, in variant order, with surfaces and probes."""

    base: TrainConfig
    configs: tuple[TrainConfig, ...]
    labels: tuple[str, ...]
    runs: tuple[RunResult, ...]
    grid: Grid | None = None  # 2-D sets only
    surfaces: tuple[Surface, ...] = ()  # final surface per finished run (2-D sets)
    probes: tuple[tuple[LayerProbe, ...], ...] = ()  # per run: train vs eval per layer
    conventions: tuple[dict[str, float] | None, ...] = ()  # per run: dropout conventions
    points: dict[str, list] = field(default_factory=dict)  # 2-D train/test inputs and labels
    stopped: bool = False
    seconds: float = 0.0


def plan_nets(
    base: TrainConfig, variants: Sequence[NetVariant]
) -> tuple[tuple[TrainConfig, ...], tuple[str, ...]]:
    """The validated configs and display labels of a comparison (ValueError names a field)."""
    configs = tuple(v.apply(base) for v in variants)
    labels = tuple(v.label or net_label(c) for v, c in zip(variants, configs, strict=True))
    return configs, labels


def points_of(ds: Dataset) -> dict[str, list]:
    """Train and test inputs and labels of a 2-D set, as plain lists for figures."""
    return {
        "train_x": ds.X_train.tolist(),
        "train_y": ds.y_train.tolist(),
        "test_x": ds.X_test.tolist(),
        "test_y": ds.y_test.tolist(),
    }


def compare_nets(
    base: TrainConfig | dict | str | None,
    variants: Sequence[NetVariant],
    stop: StopSignal = None,
    on_event: OnEvent | None = None,
    max_frames: int = 20,
) -> NetCompareResult:
    """Train each variant of ``base`` on one shared data set, init and batch order.

    Args:
        base: the config every variant starts from (anything ``load_config`` takes).
        variants: at most four networks; all validated before any training.
        stop: an ``Event`` or callable that ends the current run and the comparison.
        on_event: called with ``(run index, StepMetrics)`` after every epoch and, for
            2-D sets, ``(run index, Surface)`` at most ``max_frames`` times per run.
        max_frames: bound on the live surfaces per run.

    Returns:
        A :class:`NetCompareResult`.
    """
    base = load_config(base)
    if not 1 <= len(variants) <= 4:
        raise ValueError(f"{len(variants)} configurations: compare 1 to 4 side by side")
    configs, labels = plan_nets(base, variants)
    data = make_dataset(base)
    grid = grid_for(data) if is_2d(data) else None
    frames = surface_epochs(base.optim.epochs, max_frames)
    batch = data.X_train[:PROBE_BATCH]
    runs, finals, probes, convs = [], [], [], []
    stopped, t0 = False, time.perf_counter()
    for i, cfg in enumerate(configs):
        if stop_requested(stop):
            stopped = True
            break
        kept: dict[str, Any] = {}

        def probe(model, epoch, final, i=i, kept=kept):
            if final:
                kept["probe"] = tuple(probe_layers(model, batch))
                entry = first_dropout_input(model, batch)
                kept["conv"] = None if entry is None else dropout_conventions(entry[1], entry[0])
            if grid is not None and (final or epoch in frames):
                surf = surface(model, grid, epoch, final)
                kept["surface"] = surf
                if on_event is not None and not final:
                    on_event((i, surf))

        emit = None if on_event is None else (lambda ev, i=i: on_event((i, ev)))
        run = fit(cfg, stop=stop, on_epoch=emit, data=data, probe=probe)
        runs.append(run)
        probes.append(kept.get("probe", ()))
        convs.append(kept.get("conv"))
        if "surface" in kept:
            finals.append(kept["surface"])
        if run.stopped:
            stopped = True
            break
    return NetCompareResult(
        base=base,
        configs=configs,
        labels=labels,
        runs=tuple(runs),
        grid=grid,
        surfaces=tuple(finals),
        probes=tuple(probes),
        conventions=tuple(convs),
        points=points_of(data) if grid is not None else {},
        stopped=stopped,
        seconds=time.perf_counter() - t0,
    )


def summary_rows(res: NetCompareResult) -> list[dict[str, Any]]:
    """One row per run: final train/test loss and accuracy, the generalization gap and, for
    2-D sets, the boundary's length in grid steps and the number of class regions
    (``regcore.experiments.surfaces``: islands around single points make both larger)."""
    rows = []
    for i, (label, run) in enumerate(zip(res.labels, res.runs, strict=False)):
        m = run.metrics
        # what the comparison is about first (gaps, the boundary's shape): at 1024 px
        # the table's right-hand columns need scrolling
        row: dict[str, Any] = {"configuration": label}
        row["loss gap (test − train)"] = m["test_loss"] - m["train_loss"]
        classify = run.task == "classification"
        if classify:
            row["acc gap (train − test)"] = m["train_acc"] - m["test_acc"]
        if i < len(res.surfaces):  # 2-D sets: how long and broken up the boundary is
            row["boundary length"] = boundary_crossings(res.surfaces[i])
            row["class regions"] = class_regions(res.surfaces[i])
        row.update({"train loss": m["train_loss"], "test loss": m["test_loss"]})
        if classify:
            row.update({"train acc": m["train_acc"], "test acc": m["test_acc"]})
        if run.best_epoch is not None:
            row["kept epoch"] = run.best_epoch
        row["epochs run"] = m["epochs_run"]
        row["seconds"] = m["seconds"]
        rows.append(row)
    return rows
