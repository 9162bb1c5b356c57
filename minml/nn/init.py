"""Initialisation: fill a parameter in place with numbers that let a deep network train.

If every layer multiplied the scale of its input by a factor c, n layers would
scale it by cⁿ: signals (and gradients) would vanish or explode. Choosing the
weights' variance from the layer's fan (inputs per output, fan_in; outputs per
input, fan_out) keeps c ≈ 1:

* Xavier / Glorot (tanh, sigmoid, linear):  Var W = gain² · 2 / (fan_in + fan_out);
* Kaiming / He (ReLU family):               Var W = gain² / fan (fan_in or fan_out).

A uniform U(-b, b) has variance b²/3, so the uniform versions use b = √3 · std.
Every function draws through :func:`minml.backend.rng` (one ``random_state``
gives the same numbers on every device), writes into ``tensor.data`` and
returns the tensor, like PyTorch's ``torch.nn.init``.
"""

from __future__ import annotations

import math

from minml import backend
from minml.autograd.tensor import Tensor

__all__ = [
    "calculate_gain",
    "constant_",
    "zeros_",
    "ones_",
    "uniform_",
    "normal_",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
]


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor by which ``nonlinearity`` shrinks a signal's standard deviation, to undo in the weights."""
    if nonlinearity in ("linear", "identity", "sigmoid", "conv1d", "conv2d", "conv3d"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def _fans(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shaped (out, in, *kernel): in·k and out·k, k = kernel size."""
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out need a tensor with at least 2 dimensions; got shape {tensor.shape}")
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _fill(tensor: Tensor, values) -> Tensor:
    """Write ``values`` (an array or number) into the tensor's data, in place; no graph is recorded."""
    tensor.data[...] = values  # cast to the tensor's dtype by the assignment
    return tensor


def constant_(tensor: Tensor, val: float) -> Tensor:
    return _fill(tensor, val)


def zeros_(tensor: Tensor) -> Tensor:
    return _fill(tensor, 0)


def ones_(tensor: Tensor) -> Tensor:
    return _fill(tensor, 1)


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, random_state=None) -> Tensor:
    """Fill with samples of U(a, b)."""
    return _fill(tensor, backend.rng(random_state, tensor.device).uniform(a, b, size=tensor.shape))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, random_state=None) -> Tensor:
    """Fill with samples of N(mean, std²)."""
    return _fill(tensor, backend.rng(random_state, tensor.device).normal(mean, std, size=tensor.shape))


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, random_state=None) -> Tensor:
    """U(-b, b) with b = gain · √(6 / (fan_in + fan_out))  (Glorot & Bengio, 2010)."""
    fan_in, fan_out = _fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, random_state)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, random_state=None) -> Tensor:
    """N(0, std²) with std = gain · √(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), random_state)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    """std = gain / √fan, the fan chosen by ``mode`` ("fan_in" keeps forward signals, "fan_out" gradients)."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out'; got {mode!r}")
    fan_in, fan_out = _fans(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", random_state=None
) -> Tensor:
    """U(-b, b) with b = √3 · gain / √fan  (He et al., 2015); ``a`` is the leaky ReLU slope."""
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, random_state)


def kaiming_normal_(
    tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", random_state=None
) -> Tensor:
    """N(0, std²) with std = gain / √fan."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), random_state)

