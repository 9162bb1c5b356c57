"""``gradcheck``: test a backward pass against the definition of the derivative.

For a scalar function L(x), the central difference

    dL/dxᵢ ≈ (L(x + ε eᵢ) - L(x - ε eᵢ)) / 2ε

has error O(ε²), so in float64 with ε = 1e-6 it agrees with a correct
analytic gradient to about 1e-8. A function with a tensor output is reduced
to L = Σ v ⊙ f(x) with a fixed random v, which checks vᵀJ, the product
backward really computes, and catches a wrong Jacobian with probability 1.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.autograd.grad_mode import no_grad
from minml.autograd.tensor import Tensor

__all__ = ["gradcheck", "GradcheckError"]


class GradcheckError(AssertionError):
    """The analytic and numerical gradients disagree."""


def gradcheck(fn, *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, seed: int = 0) -> bool:
    """Check ``fn``'s gradients with respect to every floating-point input, in float64.

    ``inputs`` are Tensors or arrays; each is copied to float64 (non-float
    inputs, such as integer indices, are passed unchanged and not checked).
    Returns True, or raises :class:`GradcheckError` naming the input, the
    element and both values.
    """
    tensors = [_as_float64_leaf(x) for x in inputs]
    checked = [(number, t) for number, t in enumerate(tensors) if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError("gradcheck needs at least one floating-point input")

    out = fn(*tensors)
    weights = backend.rng(seed, out.device).standard_normal(out.shape)

    def objective() -> float:
        with no_grad():
            return backend.to_scalar((fn(*tensors).data * weights).sum())

    (out * Tensor._from_array(weights)).sum().backward()

    for number, t in checked:  # number: the argument's position, so the error names the right one
        analytic = backend.asnumpy(t.grad) if t.grad is not None else np.zeros(t.shape)
        numeric = np.zeros(t.shape)
        for position in np.ndindex(*t.shape):
            original = backend.to_scalar(t.data[position])
            t.data[position] = original + eps
            upper = objective()
            t.data[position] = original - eps
            lower = objective()
            t.data[position] = original
            numeric[position] = (upper - lower) / (2 * eps)
        if not np.allclose(analytic, numeric, atol=atol, rtol=rtol, equal_nan=True):
            worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(analytic - numeric)), t.shape))
            raise GradcheckError(
                f"gradient of input {number} (shape {t.shape}) is wrong at {worst}: "
                f"backward gave {float(analytic[worst])!r}, central differences give {float(numeric[worst])!r}"
            )
    return True


def _as_float64_leaf(x):
    if isinstance(x, Tensor):
        x = x.data
    if not hasattr(x, "dtype") or x.dtype.kind != "f":
        return x
    return Tensor._from_array(x.astype(np.float64)).requires_grad_()
