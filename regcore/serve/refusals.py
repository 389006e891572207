"""Why the queue refuses a run, in words for the user: too large for the budget, too many
starts this minute, too long a wait, a full line (see ``JobQueue.submit``)."""

from __future__ import annotations

import time


class Refused(Exception):
    """A run the queue will not take now; ``str(exc)`` is the message for the user.

    ``reason`` is ``busy`` (it would wait too long, or the line is full), ``rate`` (too
    many starts this minute), ``budget`` (estimated over the per-run budget) or
    ``duplicate`` (one per page);
    ``retry_s`` says when trying again makes sense (None: not by waiting).
    """

    def __init__(self, reason: str, message: str, retry_s: float | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.retry_s = retry_s
        self.retry_at = time.time() + retry_s if retry_s is not None else None


def _fmt_s(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.2g} s"
    if seconds < 100:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min" if seconds < 600 else f"{seconds / 60:.0f} min"


def budget_message(estimate_s: float, budget_s: float) -> str:
    """The refusal of a run estimated at ``estimate_s`` over a ``budget_s`` budget."""
    return (
        f"this run is too large for this server: about {_fmt_s(estimate_s)} here, over the "
        f"{_fmt_s(budget_s)} a run may take; reduce the epochs, the training samples or the "
        f"model's widths (about {_ratio(estimate_s / budget_s)}× less work fits)"
    )


def rate_message(per_minute: int, retry_s: float) -> str:
    """The refusal of a start beyond ``per_minute``, saying when the next is allowed."""
    return (
        f"at most {per_minute} runs a minute per visitor: the next is allowed in "
        f"{max(retry_s, 1):.0f} s"
    )


def wait_message(wait_s: float, max_wait_s: float, retry_s: float) -> str:
    """The refusal of a run that would wait ``wait_s`` for a slot, over ``max_wait_s``."""
    return (
        f"the server is busy: this run would wait about {_fmt_s(wait_s)} for a training "
        f"slot, over the {_fmt_s(max_wait_s)} a run may wait here; try again in about "
        f"{_fmt_s(max(retry_s, 1))} (a smaller run may start sooner)"
    )


def busy_message(running: int, queued: int, retry_s: float) -> str:
    """The refusal when the line holds the most runs it may (its memory guard)."""
    return (
        f"the server is busy ({running} training, {queued} waiting, the most it holds): "
        f"try again in a moment (about {_fmt_s(max(retry_s, 1))})"
    )


def _ratio(x: float) -> str:
    return f"{x:.1f}" if x < 10 else f"{x:,.0f}"
