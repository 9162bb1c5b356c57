"""How much host memory a step needs at its peak: for memory tests and the benchmarks."""

from __future__ import annotations

import gc
import tracemalloc

__all__ = ["peak_memory"]


def peak_memory(step) -> int:
    """The most memory :mod:`tracemalloc` saw allocated at once during ``step()``, in bytes.

    NumPy reports its array buffers to tracemalloc; GPU memory is not seen.
    """
    gc.collect()
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
