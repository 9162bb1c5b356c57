"""Gradient clipping by the global norm, against exploding gradients."""

from __future__ import annotations

from minml import backend
from minml.autograd.tensor import Tensor, tensor

__all__ = ["clip_grad_norm_"]


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False) -> Tensor:
    r"""Scale all gradients in place by one factor so that their joint ``norm_type``-norm is at most ``max_norm``.

    The joint norm treats every gradient as one long vector::

        total = (sum_i ||g_i||_p ** p) ** (1 / p)        (max_i ||g_i||_inf for p = inf)
        g_i = g_i * min(1, max_norm / (total + 1e-6))

    so the direction of the step is kept. Returns ``total`` (before clipping) as a 0-d Tensor. Everything
    stays on the gradients' device; only ``error_if_nonfinite=True`` reads the norm back to the host.
    Parameters whose ``grad`` is None are skipped.
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not grads:
        return tensor(0.0)
    xp = backend.namespace(*grads)
    norms = xp.stack([xp.linalg.norm(g.ravel(), ord=norm_type) for g in grads])
    total = xp.asarray(xp.linalg.norm(norms, ord=norm_type))
    if error_if_nonfinite and not backend.to_scalar(xp.isfinite(total)):
        raise RuntimeError(
            f"the total norm of order {norm_type} of the gradients is not finite, so they cannot be clipped; "
            "pass error_if_nonfinite=False to scale them anyway"
        )
    scale = xp.minimum(max_norm / (total + 1e-6), 1.0)
    for grad in grads:
        grad *= scale.astype(grad.dtype)
    return Tensor._from_array(total)
