"""The one helper every plot shares: the Axes to draw on."""

from __future__ import annotations

__all__ = ["axes_or_new"]


def axes_or_new(ax=None, figsize: tuple[float, float] = (4.5, 4.0)):
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches when ``ax`` is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax
