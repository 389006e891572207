"""Shared test setup: one torch thread (faster for tiny models, and deterministic)."""

import torch

torch.set_num_threads(1)
