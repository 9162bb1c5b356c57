"""A bootstrap distribution: the histogram of a statistic over resamples, with its confidence interval.

The spread of the histogram is the statistic's sampling uncertainty; the shaded
span is the interval; a skewed histogram is why the percentile and BCa intervals
are not symmetric about the estimate.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.plot.axes import axes_or_new

__all__ = ["plot_bootstrap_distribution"]


def plot_bootstrap_distribution(result, *, observed=None, bins: int | str = "auto", label="statistic", ax=None):
    """Histogram of ``result.bootstrap_distribution`` with ``result.confidence_interval`` shaded.

    ``result`` is what :func:`minml.stats.bootstrap_ci` returns. ``observed`` (the
    statistic on the original sample) is drawn as a solid line when given.
    """
    distribution = np.asarray(backend.asnumpy(result.bootstrap_distribution), dtype=float).ravel()
    low, high = (float(backend.to_scalar(bound)) for bound in result.confidence_interval)
    ax = axes_or_new(ax)
    ax.hist(distribution[np.isfinite(distribution)], bins=bins, color="tab:blue", alpha=0.7)
    ax.axvspan(low, high, color="tab:orange", alpha=0.2, label=f"interval [{low:.3g}, {high:.3g}]")
    if observed is not None:
        ax.axvline(float(observed), color="black", linewidth=1.5, label=f"observed {float(observed):.3g}")
    ax.set(xlabel=label, ylabel="resamples")
    ax.legend(loc="best")
    return ax
