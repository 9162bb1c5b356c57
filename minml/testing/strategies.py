"""Hypothesis strategies for shapes and arrays, shared by minml's tests and graders.

``float_arrays`` draws host float64 arrays that may be non-contiguous (a
transposed or strided view of the same values), because ops must not assume
C-contiguous memory.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = ["shapes", "broadcastable_shapes", "float_arrays", "arrays_of_shape", "axes_for"]


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4):
    """Array shapes; pass ``min_side=0`` to include empty arrays."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(num_shapes: int = 2, min_dims: int = 0, max_dims: int = 3, max_side: int = 4):
    """Tuples of ``num_shapes`` shapes that broadcast together (e.g. (3, 1) and (4,))."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, max_side=max_side
    ).map(lambda result: result.input_shapes)


def _with_layout(array: np.ndarray, layout: str) -> np.ndarray:
    """The same values in another memory layout."""
    if layout == "transposed" and array.ndim > 1:  # ascontiguousarray would make a 0-d array 1-d
        return np.ascontiguousarray(array.T).T
    if layout == "strided" and array.ndim:
        return np.repeat(array, 2, axis=-1)[..., ::2]
    return array


@st.composite
def arrays_of_shape(draw, shape, low: float = -3.0, high: float = 3.0, min_magnitude: float = 0.0):
    """A float64 array of ``shape`` with elements in [low, high], |x| >= min_magnitude, any layout."""
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False)
    if min_magnitude:
        elements = elements.filter(lambda x: abs(x) >= min_magnitude)
    array = draw(hnp.arrays(np.float64, shape, elements=elements))
    return _with_layout(array, draw(st.sampled_from(["contiguous", "transposed", "strided"])))


def float_arrays(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4, **bounds):
    """Float64 arrays of any shape from :func:`shapes`; ``bounds`` go to :func:`arrays_of_shape`."""
    return shapes(min_dims, max_dims, min_side, max_side).flatmap(lambda shape: arrays_of_shape(shape, **bounds))


@st.composite
def axes_for(draw, ndim: int):
    """An ``axis`` argument for an array of ``ndim`` dimensions: None, an int (maybe negative) or a tuple."""
    if ndim == 0:
        return None
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    return tuple(draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True)))
