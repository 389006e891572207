"""Run-time plumbing shared by every engine: stop signals, device resolution, CPU threads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch

StopSignal = threading.Event | Callable[[], bool] | None


def stop_requested(stop: StopSignal) -> bool:
    """Whether ``stop`` (an Event, a callable or None) asks a run to stop now."""
    if stop is None:
        return False
    if isinstance(stop, threading.Event):
        return stop.is_set()
    return bool(stop())


def _mps() -> bool:
    return getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()


def resolve_device(name: str) -> torch.device:
    """``auto`` takes CUDA, then MPS, then CPU; an unavailable device is an error.

    Args:
        name: ``auto``, ``cpu``, ``cuda`` or ``mps``.

    Returns:
        The :class:`torch.device` to train on.
    """
    cuda, mps = torch.cuda.is_available(), _mps()
    if name == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if (name == "cuda" and not cuda) or (name == "mps" and not mps):
        raise ValueError(f"device = '{name}' is not available on this machine: use auto or cpu")
    return torch.device(name)


def available_devices() -> list[str]:
    """The device names this machine can run: always ``auto`` and ``cpu``."""
    out = ["auto", "cpu"]
    if torch.cuda.is_available():
        out.append("cuda")
    if _mps():
        out.append("mps")
    return out


@contextmanager
def cpu_threads(n: int) -> Iterator[None]:
    """Run the block with ``n`` torch intra-op CPU threads on the calling thread, then
    restore the count it had.

    A run's numbers depend on the thread count (a batch-norm mean or a matrix product
    splits its sum into as many partial sums as threads), so the config's ``threads`` pins
    it wherever the run trains: a job of the server's queue, a notebook or the CLI. The
    setting is per calling thread (OpenMP), so two jobs on two threads keep their own.
    """
    before = torch.get_num_threads()
    if before != n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)


def pin_threads(n: int) -> None:
    """Set ``n`` torch CPU threads on the calling thread if it has another count (a
    generator that yields between epochs calls it again when resumed)."""
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
