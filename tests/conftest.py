"""Shared test setup: one torch thread (faster for tiny models, and deterministic), and the
time estimate's built-in constants (``REGLAB_CALIBRATE=0``): page tests then do not spend
seconds timing this machine, and whether a run fits the budget does not depend on how busy
the machine is."""

import os

import torch

torch.set_num_threads(1)
os.environ.setdefault("REGLAB_CALIBRATE", "0")
# page tests share one process-wide queue: its line and start rate are not what they test
os.environ.setdefault("REGLAB_MAX_WAITING", "1000")
os.environ.setdefault("REGLAB_MAX_WAIT_S", "100000")
os.environ.setdefault("REGLAB_STARTS_PER_MIN", "100000")
