"""Random regression problems for the linear-model tests, and fitting minml and scikit-learn side by side.

A problem is drawn by hypothesis as a few choices (sizes, a seed, intercept or not, weights or
not, one target or several) and built with NumPy's Generator from the seed: features on different
scales and away from zero (so that centring matters), a planted weight vector (sparse on request),
an intercept and noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from minml import backend

__all__ = ["Problem", "fit_on", "regression_problems"]


@dataclass
class Problem:
    X: np.ndarray
    y: np.ndarray
    sample_weight: np.ndarray | None
    fit_intercept: bool


@st.composite
def regression_problems(draw, *, max_features=6, wide=False, sparse=False, targets=(None, 1, 3)):
    """A :class:`Problem`: n > p + 1 samples (n < p when ``wide``), y 1-D (None) or with k columns."""
    n_features = draw(st.integers(3 if wide else 1, max_features))
    n_samples = draw(st.integers(2, n_features - 1) if wide else st.integers(n_features + 2, 30))
    n_targets = draw(st.sampled_from(targets))
    weighted, fit_intercept = draw(st.booleans()), draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.normal(size=(n_samples, n_features)) * rng.uniform(0.5, 3, n_features) + rng.normal(0, 2, n_features)
    coef = rng.normal(0, 2, size=(n_features, n_targets or 1))
    if sparse:
        coef[rng.random(n_features) < 0.5] = 0
    y = X @ coef + rng.normal(0, 2, n_targets or 1) + rng.normal(0, 0.5, size=(n_samples, n_targets or 1))
    sample_weight = rng.uniform(0.2, 3, n_samples) if weighted else None
    return Problem(X, y[:, 0] if n_targets is None else y, sample_weight, fit_intercept)


def fit_on(device, estimator, problem: Problem):
    """``estimator`` fitted on ``problem`` moved to ``device``; returns (estimator, host coef_, host intercept_)."""
    weights = None if problem.sample_weight is None else backend.to_device(problem.sample_weight, device)
    estimator.fit(backend.to_device(problem.X, device), backend.to_device(problem.y, device), sample_weight=weights)
    return estimator, backend.asnumpy(estimator.coef_), backend.asnumpy(estimator.intercept_)
