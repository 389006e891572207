"""Batched training: M = R·K models (K strengths λ × R repeats) as one computation.

- ``loop``: :func:`train_batched`, the epoch loop, divergence masking, outputs.
- ``linear``: linear / softmax models as one stacked parameter tensor.
- ``subspace``: linear regression by plain SGD trained in the span of its rows.
- ``mlp``: plain MLPs with a written-out grouped backward.
- ``update``: the regularizer and optimizer step of every model at once.
"""

from regcore.batched.loop import BatchedOutput, can_batch, train_batched

__all__ = ["BatchedOutput", "can_batch", "train_batched"]
