"""Serving many users: the job queue, a job and its run spec, refusals, time estimates and
the Ray backend.

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.serve.calibration import Interrupted, calibrate
from regcore.serve.estimate import (
    Calibration,
    describe_seconds,
    estimate_seconds,
    seconds_of,
    slowdown,
)
from regcore.serve.job import Job, Limits
from regcore.serve.pace import fraction
from regcore.serve.queue import JobQueue
from regcore.serve.ray_backend import RayBackend
from regcore.serve.refusals import Refused, budget_message
from regcore.serve.spec import FitSpec
from regcore.serve.workloads import (
    add_work,
    bias_variance_dropout_work,
    bias_variance_work,
    comparison_work,
    cross_validation_work,
    networks_work,
    rate_sweep_work,
    run_work,
    small_batches_work,
    sweep_work,
    too_large_message,
)

__all__ = [
    "Calibration",
    "FitSpec",
    "Interrupted",
    "Job",
    "JobQueue",
    "Limits",
    "RayBackend",
    "Refused",
    "add_work",
    "bias_variance_dropout_work",
    "bias_variance_work",
    "budget_message",
    "calibrate",
    "comparison_work",
    "cross_validation_work",
    "describe_seconds",
    "estimate_seconds",
    "fraction",
    "networks_work",
    "rate_sweep_work",
    "run_work",
    "seconds_of",
    "slowdown",
    "small_batches_work",
    "sweep_work",
    "too_large_message",
]
