"""The interface of a batched net: R·K models stacked in the leading dimensions.

Every parameter tensor carries the models in its leading dimensions (R repeats × K
strengths, in a layout the net chooses), so one forward pass, one backward pass and one
update serve all of them. The loop (regcore.batched.loop) and the update
(regcore.batched.update) see a net only through this class, in PyTorch's words:
``parameters()``, ``forward``/``backward``, plus the hooks where nets differ — how an
epoch is trained, how many snapshots are evaluated at once, which entries of a
parameter belong to which model. A net overrides only the hooks it needs.

What the regularizer does in a step reaches a net as the kernel's
:class:`~regcore.core.StepPlan` (per-tensor factors and the learning rate), and the
update as a plain ``step`` function: a net never reads the update's rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import torch

from regcore.core import StepPlan

Step = Callable[[Any, Any, Any], None]  # one step of every model on a minibatch (xᵀ, x, target)

CHUNK_BYTES = 1 << 20  # snapshots evaluated in one batched call, up to this size


class BatchedNet:
    """Base class of the batched nets (``LinearNet``, ``SubspaceNet``, ``MLPNet``)."""

    names: list[str]  # layer names, as regcore.engine.models.weight_layers names them
    classify: bool  # softmax outputs (else one regression output)
    K: int  # strengths λ per repeat

    def parameters(self) -> list[torch.Tensor]:
        """The stacked tensors an update changes in place."""
        raise NotImplementedError

    def penalty_lams(self) -> list[torch.Tensor | None]:
        """Per parameter: λ of every model, broadcastable to it (None: not penalized)."""
        raise NotImplementedError

    def unit_rows(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Per weight tensor: every unit's incoming weights as rows (…, units, fan_in), a
        view of the parameter, and λ of every model broadcastable to (…, units, 1). Asked
        only for a kind with a map of unit rows (max-norm's projection)."""
        raise NotImplementedError

    def batches(self, orders: torch.Tensor, batch_size: int) -> Iterator[list]:
        """Per epoch, the list of minibatches ``(xᵀ, x, target)``; orders: (epochs, R, n)."""
        raise NotImplementedError

    def backward(self, xbT, xb, tb) -> list[torch.Tensor]:
        """Per parameter, the gradient of every model's mean data loss on one minibatch."""
        raise NotImplementedError

    def evaluate(
        self, snaps: list[torch.Tensor] | None = None, first_epoch: int = 0
    ) -> dict[str, torch.Tensor]:
        """Losses (accuracies), ‖w‖₂ and zero share of T snapshots (or of the current
        parameters): (T, R, K) per key."""
        raise NotImplementedError

    def outputs_test(self) -> torch.Tensor:
        """(R, K, n_test) regression predictions of the current models."""
        raise NotImplementedError

    def weights(self) -> list[torch.Tensor]:
        """Per layer, the penalized weights as (R, K, ...)."""
        raise NotImplementedError

    def n_params(self) -> int:
        """Parameters of one model."""
        return sum(p[0].numel() for p in self.parameters()) // self.K

    def epoch_trainer(self, step: Step, plan: StepPlan, batch_size: int) -> Callable[[list], None]:
        """The function that trains one epoch on its minibatches: by default one ``step``
        per minibatch; a net may fuse the whole epoch where ``plan`` allows it."""

        def each_batch(batches: list) -> None:
            for xbT, xb, tb in batches:
                step(xbT, xb, tb)

        return each_batch

    def fused_sgd_step(self, plan: StepPlan, xbT, xb, tb) -> bool:
        """One plain-SGD step with the penalty folded in (``plan.fused``), if this net has
        one (else False): p ← fold·p − lr·∇data, then the maps after the step."""
        return False

    def snapshot_buffer(self, chunk: int) -> list[torch.Tensor]:
        """Room for ``chunk`` snapshots of every parameter: (chunk, *p.shape) each."""
        return [p.new_empty(chunk, *p.shape) for p in self.parameters()]

    def snapshot_chunk(self, epochs: int, streaming: bool) -> int:
        """How many epochs' snapshots one ``evaluate`` call takes (1 when streaming)."""
        size = sum(p.numel() * p.element_size() for p in self.parameters())
        chunk = 1 if streaming else CHUNK_BYTES // max(1, size)
        return max(1, min(epochs, chunk))

    def model_mask(self, alive: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        """Which entries of parameter ``p`` belong to the models ``alive`` (R, K) marks."""
        return alive.reshape(*alive.shape, *([1] * (p.dim() - 2)))
