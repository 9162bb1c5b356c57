"""A classifier's decision regions over two features.

The plane is covered by a grid of points; the model predicts each one, and the
colours of the predictions are the regions. For a binary classifier with
``predict_proba`` the colour is the probability of the second class, so the
picture also shows how sure the model is near the boundary (the 0.5 contour).
The training points are drawn on top, coloured by their true class.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.plot.axes import axes_or_new

__all__ = ["plot_decision_boundary"]


def _grid(X, resolution: int, margin: float):
    """A resolution × resolution grid over X's two features, ``margin`` of the range beyond each side."""
    low, high = X.min(axis=0), X.max(axis=0)
    pad = margin * np.where(high > low, high - low, 1.0)
    xs = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    ys = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    return np.meshgrid(xs, ys)


def plot_decision_boundary(
    estimator, X, y=None, *, response_method: str = "auto", grid_resolution: int = 200, margin: float = 0.1,
    cmap="RdBu", ax=None,
):
    """The regions a fitted ``estimator`` assigns over the plane of X's two features (X of shape (n, 2)).

    ``response_method`` is "predict" (one colour per class), "predict_proba"
    (binary only: the probability of ``classes_[1]``, with the 0.5 contour) or
    "auto" (predict_proba for a binary classifier that has it, else predict).
    Grid points are given to the model on X's device.
    """
    host_X = backend.asnumpy(X)
    if host_X.ndim != 2 or host_X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary draws two features: X must have shape (n, 2); got {host_X.shape}")
    classes = getattr(estimator, "classes_", None)
    binary = classes is not None and len(classes) == 2
    if response_method == "auto":
        response_method = "predict_proba" if binary and hasattr(estimator, "predict_proba") else "predict"
    if response_method not in ("predict", "predict_proba"):
        raise ValueError(f"response_method must be 'auto', 'predict' or 'predict_proba'; got {response_method!r}")
    if response_method == "predict_proba" and not binary:
        raise ValueError("response_method='predict_proba' colours by one probability: it needs a binary classifier")
    grid_x, grid_y = _grid(host_X, grid_resolution, margin)
    points = backend.to_device(np.column_stack([grid_x.ravel(), grid_y.ravel()]), backend.device_of(X))
    ax = axes_or_new(ax)
    if response_method == "predict_proba":
        response = backend.asnumpy(estimator.predict_proba(points))[:, 1].reshape(grid_x.shape)
        ax.contourf(grid_x, grid_y, response, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.7)
        ax.contour(grid_x, grid_y, response, levels=[0.5], colors="black", linewidths=1)
    else:
        predicted = backend.asnumpy(estimator.predict(points)).ravel()
        _, codes = np.unique(predicted, return_inverse=True)
        ax.contourf(grid_x, grid_y, codes.reshape(grid_x.shape), cmap=cmap, alpha=0.5)
    if y is not None:
        _, y_codes = np.unique(backend.asnumpy(y), return_inverse=True)
        ax.scatter(host_X[:, 0], host_X[:, 1], c=y_codes, cmap=cmap, edgecolors="black", linewidths=0.5, s=20)
    ax.set(xlabel="feature 0", ylabel="feature 1")
    return ax
