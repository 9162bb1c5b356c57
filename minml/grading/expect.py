"""``expect(actual, expected)``: the comparison graders use, with a message a learner can act on.

It compares numbers, arrays on any device (NumPy, CuPy, minml Tensors),
and lists, tuples or dicts of those, and on a mismatch raises
``AssertionError("result: expected [1. 2.], got [1. 3.]")`` plus the hint,
if one was given: the usual mistake behind such a wrong answer.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["expect"]


def expect(actual, expected, *, hint: str | None = None, rtol: float = 1e-6, atol: float = 1e-8, what: str = "result"):
    """Assert ``actual`` matches ``expected``: numbers and arrays within ``rtol``/``atol``, the rest exactly.

    ``what`` names the value in the message ("gradient of x", "row sums").
    Arrays must have the same shape; NaNs match NaNs.
    """
    __tracebackhide__ = True  # pytest shows the grader's line that called expect, not this function
    problem = _mismatch(actual, expected, rtol, atol, what)
    if problem is not None:
        raise AssertionError(problem + (f"\nhint: {hint}" if hint else ""))


def _is_array(value) -> bool:
    from minml.autograd.tensor import Tensor

    return isinstance(value, (np.ndarray, Tensor)) or hasattr(value, "__cuda_array_interface__") or (
        type(value).__module__.startswith(("cupy", "torch")) and hasattr(value, "shape")
    )


def _host(value) -> np.ndarray:
    """A NumPy array from a Tensor, a NumPy/CuPy/torch array, a number or a list of numbers."""
    from minml import backend
    from minml.autograd.tensor import Tensor

    if isinstance(value, Tensor):
        value = value.data
    if type(value).__module__.startswith("torch"):
        return value.detach().cpu().numpy()
    return backend.asnumpy(value)


def _show(value) -> str:
    """A short description of a value for a message: small arrays in full, large ones by shape."""
    if _is_array(value):
        array = _host(value)
        if array.size <= 12:
            return np.array2string(array, precision=6, separator=", ").replace("\n", "")
        return f"an array of shape {array.shape} ({array.dtype})"
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _mismatch(actual, expected, rtol, atol, what) -> str | None:
    """None when ``actual`` matches ``expected``, else the message saying how it does not."""
    if _is_array(expected) or _is_array(actual):
        return _array_mismatch(actual, expected, rtol, atol, what)
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return None if actual == expected and type(actual) is type(expected) else _differs(actual, expected, what)
    if isinstance(expected, numbers.Number):
        if not isinstance(actual, numbers.Number) or isinstance(actual, bool):
            return _differs(actual, expected, what)
        same = (math.isnan(actual) and math.isnan(expected)) if _nan(expected) else _close(actual, expected, rtol, atol)
        return None if same else _differs(actual, expected, what)
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)):
            return f"{what}: expected a {type(expected).__name__} of {len(expected)} items, got {_show(actual)}"
        if len(actual) != len(expected):
            return f"{what}: expected {_show(expected)}, got {_show(actual)} ({len(actual)} items, not {len(expected)})"
        for index, (mine, theirs) in enumerate(zip(actual, expected)):
            if (problem := _mismatch(mine, theirs, rtol, atol, f"{what}[{index}]")) is not None:
                return problem
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(actual) != set(expected):
            return _differs(actual, expected, what)
        for key in expected:
            if (problem := _mismatch(actual[key], expected[key], rtol, atol, f"{what}[{key!r}]")) is not None:
                return problem
        return None
    return None if actual == expected else _differs(actual, expected, what)


def _nan(value) -> bool:
    return isinstance(value, numbers.Real) and math.isnan(value)


def _close(actual, expected, rtol, atol) -> bool:
    return abs(actual - expected) <= atol + rtol * abs(expected)


def _differs(actual, expected, what) -> str:
    return f"{what}: expected {_show(expected)}, got {_show(actual)}"


def _array_mismatch(actual, expected, rtol, atol, what) -> str | None:
    if actual is None or isinstance(actual, (str, dict)):
        return _differs(actual, expected, what)
    try:
        mine, theirs = _host(actual), _host(expected)
    except (TypeError, ValueError):
        return _differs(actual, expected, what)
    if mine.shape != theirs.shape:
        return f"{what}: expected shape {theirs.shape}, got shape {mine.shape}: {_show(actual)}"
    if theirs.dtype.kind in "biuUSO" or mine.dtype.kind in "USO":
        wrong = mine != theirs
    else:
        wrong = ~np.isclose(mine, theirs, rtol=rtol, atol=atol, equal_nan=True)
    if not np.any(wrong):
        return None
    message = f"{what}: expected {_show(theirs)}, got {_show(mine)}"
    if theirs.size > 1:
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        message += (f" ({int(np.sum(wrong))} of {theirs.size} values differ; at index {first}: "
                    f"expected {theirs[first].item()!r}, got {mine[first].item()!r})")
    return message
