"""A figure built once per identical result: a class pressing Train on the same settings.

Figure builders are pure functions of a result and a few options, and a training run of a
config is deterministic, so every student who trains the lecturer's settings draws the same
figure. :func:`shared_figure` builds it for the first of them and hands the same figure to
the others: on a 2-core server of 60 sessions pressing Train at once, building the Playground
result's two figures was a sixth of each click's CPU, spent in the one interpreter all the
sessions share.

The key is the result's content (:func:`fingerprint`: its config, history, weights,
snapshots and metrics, hashed), never its identity or its config alone: two results that
differ in any number get their own figures. A shared figure must not be changed: copy it
(``regcore.figures.copied``) first.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import plotly.graph_objects as go

from regcore.core import RunResult

TIMINGS = ("seconds",)  # history and metrics keys of wall-clock time, not of the run's numbers
MAX_FIGURES = 48  # a few classes' worth of distinct results; each is tens of kB
_lock = threading.Lock()
_figures: OrderedDict[tuple[Hashable, ...], go.Figure] = OrderedDict()
_prints: dict[int, tuple[weakref.ref, str]] = {}  # id(result) -> (its weak ref, fingerprint)


def fingerprint(result: RunResult) -> str:
    """A hash of everything of ``result`` a figure can show: all of it but its wall-clock
    :data:`TIMINGS` (computed once per result object: a result is not changed after its
    run)."""
    key = id(result)
    with _lock:
        known = _prints.get(key)
    if known is not None and known[0]() is result:
        return known[1]
    h = hashlib.blake2b(digest_size=16)
    _feed(
        h,
        [
            result.config.to_dict(),
            _untimed(result.history),
            result.weights,
            _untimed(result.metrics),
            result.snapshots,
            result.true_w,
            result.task,
            result.stopped,
            result.diverged_epoch,
            result.best_epoch,
            result.image_shape,
            list(result.data_notes),
        ],
    )
    digest = h.hexdigest()
    ref = weakref.ref(result, lambda _r, key=key: _forget(key))
    with _lock:
        _prints[key] = (ref, digest)
    return digest


def _untimed(d: dict[str, Any]) -> dict[str, Any]:
    """``d`` without the run's wall-clock timings, which differ between identical runs and
    which no shared figure draws (tests/unit/test_figures_memo.py)."""
    return {k: v for k, v in d.items() if k not in TIMINGS}


def _forget(key: int) -> None:
    with _lock:
        _prints.pop(key, None)


def _feed(h: Any, x: Any) -> None:
    """Feed ``x`` (nested dicts, lists, numbers, strings, arrays) to the hash ``h``;
    a list of plain numbers goes in as its float64 bytes (fast for long weight lists)."""
    if isinstance(x, dict):
        h.update(b"{%d" % len(x))
        for k in sorted(x, key=repr):
            h.update(repr(k).encode())
            _feed(h, x[k])
        h.update(b"}")
    elif isinstance(x, list | tuple):
        if x and all(type(v) is float for v in x[:8]):
            try:
                h.update(b"[f%d" % len(x))
                h.update(array("d", x).tobytes())
                return
            except TypeError:  # a None or a nested list further on
                pass
        h.update(b"[%d" % len(x))
        for v in x:
            _feed(h, v)
        h.update(b"]")
    elif hasattr(x, "tobytes") and hasattr(x, "dtype"):  # a numpy array
        h.update(f"<{x.dtype}{getattr(x, 'shape', '')}".encode())
        h.update(x.tobytes())
    else:
        h.update(b"(" + repr(x).encode() + b")")


def shared_figure(
    build: Callable[..., go.Figure], result: RunResult, *args: Hashable, **kwargs: Hashable
) -> go.Figure:
    """``build(result, *args, **kwargs)``, built once for every result of the same content
    with the same arguments (the last :data:`MAX_FIGURES` kept). The figure is shared
    between sessions and threads: do not change it."""
    key = (
        build.__module__,
        build.__qualname__,
        fingerprint(result),
        args,
        tuple(sorted(kwargs.items())),
    )
    with _lock:
        fig = _figures.get(key)
        if fig is not None:
            _figures.move_to_end(key)
            return fig
    fig = build(result, *args, **kwargs)  # outside the lock: two threads may both build it
    fig._reglab_shared = True  # noqa: SLF001 - plotly allows private attributes only
    with _lock:
        _figures[key] = fig
        while len(_figures) > MAX_FIGURES:
            _figures.popitem(last=False)
    return fig


def is_shared(fig: Any) -> bool:
    """Whether ``fig`` came from :func:`shared_figure` (it must not be changed)."""
    return bool(getattr(fig, "_reglab_shared", False))
