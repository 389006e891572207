"""Batched training: M = R·K models (K strengths λ × R repeats) as one computation.

- ``loop``: :func:`train_batched`, the epoch loop, divergence masking, outputs.
- ``linear``: linear / softmax models as one stacked parameter tensor.
- ``subspace``: linear regression by plain SGD trained in the span of its rows.
- ``mlp``: plain MLPs with a written-out grouped backward.
- ``dropout``: those MLPs with a drop probability per model and the single run's masks.
- ``update``: the regularizer and optimizer step of every model at once.
"""

from regcore.batched.dropout import can_batch_dropout
from regcore.batched.loop import BatchedOutput, can_batch, train_batched

__all__ = ["BatchedOutput", "can_batch", "can_batch_dropout", "train_batched"]
