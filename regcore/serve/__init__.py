"""Serving many users: the job queue, a job and its run spec, refusals, time estimates and
the Ray backend.

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
from regcore.serve.queue import JobQueue
from regcore.serve.ray_backend import RayBackend
from regcore.serve.refusals import Refused, budget_message
from regcore.serve.spec import FitSpec

__all__ = [
    "Calibration",
    "FitSpec",
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
