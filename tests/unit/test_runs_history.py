"""The Playground's run history: the last eight, pinned runs kept, clear, slim results."""

from __future__ import annotations

import numpy as np

from regcore.core import RunResult, TrainConfig
from ui.playground.history import MAX_PINNED, MAX_RECENT, RunHistory, labels, settings


def _result(lam: float = 3.0, n: int = 4) -> RunResult:
    cfg = TrainConfig().replace(**{"reg.lam": lam})
    return RunResult(
        config=cfg,
        history={"epoch": [1, 2], "train_loss": [1.0, 0.5], "test_loss": [2.0, 1.5]},
        weights={"linear": [0.5] * n},
        metrics={"test_loss": 1.5, "weight_l2": 1.0},
        snapshots={"epochs": [0, 2], "layers": {"linear": [[0.0] * n, [0.5] * n]}},
    )


def test_history_keeps_the_last_eight() -> None:
    h = RunHistory()
    for i in range(MAX_RECENT + 3):
        h.add(_result(float(i)))
    assert h.numbers() == list(range(4, MAX_RECENT + 4))
    assert h.next_number == MAX_RECENT + 4


def test_history_pinned_run_outlives_the_eight() -> None:
    h = RunHistory()
    h.add(_result(0.0))
    assert h.pin([1]) is None
    for i in range(MAX_RECENT + 2):
        h.add(_result(float(i + 1)))
    assert h.numbers()[0] == 1 and len(h.numbers()) == MAX_RECENT + 1
    h.pin([])  # unpinned: the oldest of nine loose runs falls out
    assert 1 not in h.numbers() and len(h.numbers()) == MAX_RECENT


def test_history_pins_at_most_eight() -> None:
    h = RunHistory()
    for i in range(MAX_PINNED):
        h.add(_result(float(i)))
    assert h.pin(h.numbers()) is None
    h.add(_result(10.0))
    message = h.pin(h.numbers())
    assert message is not None and "at most" in message
    assert h.pinned == set(range(1, MAX_PINNED + 1))


def test_history_clear_forgets_all_but_pinned() -> None:
    h = RunHistory()
    for lam in (0.0, 1.0, 3.0):
        h.add(_result(lam))
    h.pin([2])
    h.show([1, 2, 3])
    h.clear()
    assert h.numbers() == [2] and h.shown == [2]


def test_history_new_run_joins_an_overlay() -> None:
    h = RunHistory()
    h.add(_result(0.0))
    h.add(_result(3.0))
    h.add(_result(1.0))
    assert h.shown == []  # nothing overlaid: the new run is not overlaid either
    h.show([2, 1])
    h.add(_result(0.1))
    assert h.shown == [1, 2, 4]
    assert [r.number for r in h.shown_runs()] == [1, 2, 4]


def test_history_keeps_weights_slim_not_snapshots() -> None:
    h = RunHistory()
    result = _result(n=1000)
    kept = h.add(result)
    assert kept.slim.snapshots == {} and kept.slim.weights == {}
    assert kept.weights["linear"].dtype == np.float32 and kept.weights["linear"].size == 1000
    assert kept.result().weights["linear"] == result.weights["linear"]
    assert h.current() == 1


def test_history_labels_name_what_differs() -> None:
    h = RunHistory()
    h.add(_result(0.0))
    h.add(_result(3.0))
    h.add(_result(3.0))
    assert labels(h.runs) == ["λ = 0", "λ = 3 (#2)", "λ = 3 (#3)"]
    assert settings(h.runs[:2]) == [{"reg.lam": 0.0}, {"reg.lam": 3.0}]
