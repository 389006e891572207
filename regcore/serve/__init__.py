"""Serving many users: the job queue, a job, time estimates and the Ray backend.

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.serve.estimate import (
    Calibration,
    Interrupted,
    calibrate,
    describe_seconds,
    estimate_seconds,
)
from regcore.serve.job import Job, Limits
from regcore.serve.queue import JobQueue, Refused, budget_message
from regcore.serve.ray_backend import RayBackend

__all__ = [
    "Calibration",
    "Interrupted",
    "Job",
    "JobQueue",
    "Limits",
    "RayBackend",
    "Refused",
    "budget_message",
    "calibrate",
    "describe_seconds",
    "estimate_seconds",
]
