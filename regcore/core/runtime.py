"""Run-time plumbing shared by every engine: stop signals and device resolution."""

from __future__ import annotations

import threading
from collections.abc import Callable

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
