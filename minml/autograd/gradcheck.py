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

__all__ = ["gradcheck", "GradcheckError", "numerical_gradient"]


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
        numeric = numerical_gradient(objective, t, eps)
        if not np.allclose(analytic, numeric, atol=atol, rtol=rtol, equal_nan=True):
            worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(analytic - numeric)), t.shape))
            raise GradcheckError(
                f"gradient of input {number} (shape {t.shape}) is wrong at {worst}: "
                f"backward gave {float(analytic[worst])!r}, central differences give {float(numeric[worst])!r}"
            )
    return True


# exercise 01.numerical_gradient
def numerical_gradient(f, x, eps: float = 1e-6):
    """Central-difference estimate of df/dx, one element of ``x`` at a time.

    ``f()`` takes no arguments and returns a Python float computed from the
    *current* values of ``x`` (a Tensor, or a NumPy or CuPy array; float64,
    else ε is lost to rounding). For each position i of ``x``: set xᵢ to
    xᵢ + ε and call f, set it to xᵢ - ε and call f, put the original value
    back exactly, and estimate

        ∂f/∂xᵢ ≈ (f(x + ε eᵢ) - f(x - ε eᵢ)) / 2ε.

    The central difference is exact for quadratics; its error is O(ε²), where
    the one-sided (f(x + ε eᵢ) - f(x)) / ε has error O(ε). Change the values in
    place (``x.data`` for a Tensor) — ``f`` reads them there — and leave ``x``
    as it was. Return a NumPy float64 array shaped like ``x``, on the host.
    ``np.ndindex(*shape)`` walks every position of an array of any shape.
    """
    data = x.data if isinstance(x, Tensor) else x
    gradient = np.zeros(data.shape)
    for position in np.ndindex(*data.shape):
        original = backend.to_scalar(data[position])
        data[position] = original + eps
        upper = f()
        data[position] = original - eps
        lower = f()
        data[position] = original
        gradient[position] = (upper - lower) / (2 * eps)
    return gradient
# end exercise


def _as_float64_leaf(x):
    if isinstance(x, Tensor):
        x = x.data
    if not hasattr(x, "dtype") or x.dtype.kind != "f":
        return x
    return Tensor._from_array(x.astype(np.float64)).requires_grad_()
