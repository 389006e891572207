"""The Playground's runs of this session: the last eight, the pinned ones, the ones overlaid.

Session state (``f"{prefix}_runs"``, a :class:`RunHistory`) that :func:`remember` feeds
with each result the page shows (trained or opened from a file). Each run keeps only what
the overlays and the exports need: its config, per-epoch history, metrics and final
weights (as float32 arrays), not its weight snapshots per epoch. At most
``MAX_RECENT`` runs that are not pinned and ``MAX_PINNED`` pinned ones are kept: a
session holds at most 16 runs whatever it trains.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import streamlit as st

from regcore.core import RunResult, TrainConfig
from regcore.figures import differing_fields, run_labels
from ui.kit.upload import file_name

MAX_RECENT = 8  # runs kept that are not pinned: the newest eight
MAX_PINNED = 8  # pinned runs: kept when older runs fall out of the eight


@dataclass(frozen=True)
class KeptRun:
    """One run of the session, slimmed: its result without snapshots or weights, and the
    final weights as float32 arrays (a quarter of a list of Python floats' size)."""

    number: int  # its number in this session: #1, #2, ...
    slim: RunResult  # snapshots and weights dropped
    weights: dict[str, np.ndarray]  # final weights per layer, float32
    file_name: str | None = None  # the user's name of a CSV run's file

    @classmethod
    def of(cls, number: int, result: RunResult, file_name: str | None = None) -> KeptRun:
        """Keep ``result`` as run ``number``."""
        weights = {k: np.asarray(v, dtype=np.float32) for k, v in result.weights.items()}
        slim = dataclasses.replace(result, snapshots={}, weights={})
        return cls(number=number, slim=slim, weights=weights, file_name=file_name)

    @property
    def config(self) -> TrainConfig:
        return self.slim.config

    def result(self) -> RunResult:
        """The run as a ``RunResult`` (no snapshots) for its exports."""
        weights = {k: [float(x) for x in v] for k, v in self.weights.items()}
        return dataclasses.replace(self.slim, weights=weights)


@dataclass
class RunHistory:
    """The session's runs, oldest first, which are pinned, and which are overlaid."""

    runs: list[KeptRun] = field(default_factory=list)
    pinned: set[int] = field(default_factory=set)
    shown: list[int] = field(default_factory=list)  # overlaid on the charts, in run order
    next_number: int = 1
    last: Any = None  # the result last added (compared by identity: each is added once)

    def add(self, result: RunResult, file_name: str | None = None) -> KeptRun:
        """Keep ``result`` as the newest run; while runs are overlaid, it joins them. The
        oldest run not pinned falls out once more than ``MAX_RECENT`` are not pinned."""
        kept = KeptRun.of(self.next_number, result, file_name)
        self.next_number += 1
        self.runs.append(kept)
        if self.shown:
            self.shown.append(kept.number)
        self.last = result
        loose = [r.number for r in self.runs if r.number not in self.pinned]
        self._drop(set(loose[:-MAX_RECENT]))
        return kept

    def _drop(self, numbers: set[int]) -> None:
        self.runs = [r for r in self.runs if r.number not in numbers]
        self.shown = [n for n in self.shown if n not in numbers]

    def numbers(self) -> list[int]:
        """The numbers of the runs kept, oldest first."""
        return [r.number for r in self.runs]

    def pin(self, numbers: list[int]) -> str | None:
        """Pin exactly ``numbers`` (of runs kept); a message when over ``MAX_PINNED``
        (the first ``MAX_PINNED`` are pinned)."""
        wanted = [n for n in numbers if n in self.numbers()]
        self.pinned = set(wanted[:MAX_PINNED])
        if len(wanted) > MAX_PINNED:
            return f"at most {MAX_PINNED} runs can be pinned: unpin one first"
        loose = [r.number for r in self.runs if r.number not in self.pinned]
        self._drop(set(loose[:-MAX_RECENT]))  # unpinning may leave more than eight
        return None

    def show(self, numbers: list[int]) -> None:
        """Overlay exactly ``numbers`` (of runs kept) on the charts; [] shows the current
        run alone."""
        self.shown = [n for n in self.numbers() if n in numbers]

    def clear(self) -> None:
        """Forget every run that is not pinned."""
        self._drop({n for n in self.numbers() if n not in self.pinned})

    def shown_runs(self) -> list[KeptRun]:
        """The runs overlaid, oldest first."""
        return [r for r in self.runs if r.number in self.shown]

    def current(self) -> int | None:
        """The number of the run last added (the one the page shows) if still kept."""
        if self.last is None:
            return None
        newest = self.next_number - 1
        return newest if newest in self.numbers() else None


def labels(runs: list[KeptRun]) -> list[str]:
    """What differs between ``runs``, one label each (regcore.figures.run_labels)."""
    return run_labels(
        [r.config for r in runs], [r.file_name for r in runs], [r.number for r in runs]
    )


def settings(runs: list[KeptRun]) -> list[dict[str, Any]]:
    """Per run, the settings that differ between ``runs`` as ``{dotted.field: value}``."""
    fields = differing_fields([r.config for r in runs])
    return [{f: r.config.flat()[f] for f in fields} for r in runs]


def history(prefix: str) -> RunHistory:
    """This page's run history in this session (made on first use)."""
    return st.session_state.setdefault(f"{prefix}_runs", RunHistory())


def remember(prefix: str) -> None:
    """Add the page's result (``f"{prefix}_result"``) to its history, once."""
    result = st.session_state.get(f"{prefix}_result")
    h = history(prefix)
    if result is not None and result is not h.last:
        h.add(result, file_name(prefix, result.config.data.path))
