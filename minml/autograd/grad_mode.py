"""Switching gradient tracking off: ``no_grad`` and ``enable_grad``.

While tracking is off, operations record no graph: nothing is saved for a
backward pass, which is what you want for evaluation and optimiser updates.
Like PyTorch, the switch is per thread.
"""

from __future__ import annotations

import contextlib
import threading

__all__ = ["no_grad", "enable_grad", "is_grad_enabled"]

_state = threading.local()


def is_grad_enabled() -> bool:
    """Whether new operations are recorded for backward (default True)."""
    return getattr(_state, "enabled", True)


class _GradMode(contextlib.ContextDecorator):
    enabled: bool

    def __enter__(self):
        self._previous = is_grad_enabled()
        _state.enabled = self.enabled
        return self

    def __exit__(self, *exc):
        _state.enabled = self._previous
        return False


class no_grad(_GradMode):
    """Context manager and decorator that stops graph recording.

    >>> with no_grad():
    ...     y = model(x)          # y.requires_grad is False
    """

    enabled = False


class enable_grad(_GradMode):
    """Turns recording back on inside a ``no_grad`` block."""

    enabled = True
