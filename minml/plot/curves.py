"""Learning and validation curves: training and cross-validated scores, mean ± one standard deviation.

- Learning curve (score against the number of training samples): a wide gap that
  closes as data grows means variance — more data helps; two low curves that meet
  early mean bias — a richer model helps, more data does not.
- Validation curve (score against one hyperparameter): underfitting on one side
  (both scores low), overfitting on the other (training high, validation falling);
  the best value sits between.

Both take the arrays that :func:`minml.model_selection.learning_curve` and
:func:`~minml.model_selection.validation_curve` return: scores of shape
(n_points, n_folds).
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.plot.axes import axes_or_new

__all__ = ["plot_learning_curve", "plot_validation_curve"]


def _mean_and_band(ax, x, scores, label: str) -> None:
    """The mean over folds as a line with markers, ± one standard deviation as a shaded band."""
    scores = backend.asnumpy(scores)
    mean, std = scores.mean(axis=1), scores.std(axis=1)
    (line,) = ax.plot(x, mean, marker="o", label=label)
    ax.fill_between(x, mean - std, mean + std, alpha=0.2, color=line.get_color())


def plot_learning_curve(train_sizes, train_scores, test_scores, *, score_name: str = "score", ax=None):
    """Training and validation score against the number of training samples."""
    ax = axes_or_new(ax)
    sizes = backend.asnumpy(train_sizes)
    _mean_and_band(ax, sizes, train_scores, "training")
    _mean_and_band(ax, sizes, test_scores, "validation")
    ax.set(xlabel="training samples", ylabel=score_name)
    ax.legend(loc="best")
    return ax


def plot_validation_curve(
    param_range, train_scores, test_scores, *, param_name: str, score_name: str = "score", log_scale=None, ax=None
):
    """Training and validation score against the values ``param_range`` of hyperparameter ``param_name``.

    ``log_scale`` None chooses a log x-axis when the positive values span more
    than two decades (regularisation strengths usually do).
    """
    ax = axes_or_new(ax)
    values = np.asarray(backend.asnumpy(param_range), dtype=float)
    _mean_and_band(ax, values, train_scores, "training")
    _mean_and_band(ax, values, test_scores, "validation")
    if log_scale is None:
        log_scale = bool((values > 0).all() and values.max() / values.min() > 100)
    if log_scale:
        ax.set_xscale("log")
    ax.set(xlabel=param_name, ylabel=score_name)
    ax.legend(loc="best")
    return ax
