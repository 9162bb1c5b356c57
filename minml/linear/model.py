"""What every linear model shares: the prediction ŷ = X·w + b, and fitting the intercept by centring.

A linear model predicts with one weight per feature and one intercept::

    ŷ = X @ coef_ᵀ + intercept_          coef_: (n_features,) or (n_targets, n_features)

Least squares, ridge, lasso and elastic net differ only in how they choose ``coef_``.
They all fit the intercept the same way, without ever putting it in the solver.
Minimise the weighted squared error over w and b::

    Σᵢ sᵢ (yᵢ − xᵢ·w − b)²          (sᵢ: sample weights, 1 when not given)

For any w, the best b sets the derivative Σᵢ sᵢ (yᵢ − xᵢ·w − b) to zero, so
b = ȳ − x̄·w with x̄, ȳ the (weighted) means. Put it back and the problem becomes
Σᵢ sᵢ ((yᵢ − ȳ) − (xᵢ − x̄)·w)²: the same problem on *centred* data, with no
intercept. So a solver only ever sees centred X and y, and the intercept comes
back afterwards as ``intercept_ = ȳ − x̄·coef_``. (A penalty on w, as in ridge or
lasso, leaves this argument unchanged: b is not penalised.)

Weights go the same way: Σᵢ sᵢ rᵢ² = ‖√s ⊙ r‖², so scaling row i of X and y by
√sᵢ turns weighted least squares into ordinary least squares.
:func:`center_and_weight` does both, once, for every linear model.
"""

from __future__ import annotations

import abc

from minml import backend
from minml.base import BaseEstimator
from minml.validation import check_array, check_is_fitted, check_n_features

__all__ = ["LinearModel", "center_and_weight"]


def center_and_weight(X, y, *, fit_intercept: bool, sample_weight=None):
    """``(X, y, X_offset, y_offset)``: X and y centred on their weighted means, rows scaled by √weight.

    ``X`` is (n_samples, n_features), ``y`` is (n_samples,) or (n_samples, n_targets).
    With ``fit_intercept``, X_offset = Σ sᵢ xᵢ / Σ sᵢ (n_features,) and
    y_offset likewise ((), or (n_targets,)) are subtracted; without it they are
    zeros and nothing is subtracted. With ``sample_weight`` s, each row i of the
    result is then multiplied by √sᵢ. The inputs are never modified.
    """
    xp = backend.namespace(X, y, sample_weight)
    if fit_intercept:  # the means as products with the weights: one BLAS pass over X, faster than X.mean(axis=0)
        weights = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
        total = weights.sum()
        X_offset, y_offset = (weights @ X) / total, (weights @ y) / total
        X, y = X - X_offset, y - y_offset
    else:
        X_offset = xp.zeros(X.shape[1], dtype=X.dtype)
        y_offset = xp.zeros(y.shape[1:], dtype=y.dtype)
    if sample_weight is not None:
        root = xp.sqrt(sample_weight)
        X = X * root[:, None]
        y = y * (root[:, None] if y.ndim == 2 else root)
    return X, y, X_offset, y_offset


class LinearModel(BaseEstimator, abc.ABC):
    """Base of the linear regressors: ``predict(X) = X @ coef_ᵀ + intercept_``.

    Subclasses fit ``coef_`` on data centred by :func:`center_and_weight`, then
    call :meth:`_set_intercept` with the offsets it returned. Abstract: only
    its subclasses are estimators (the contract suite skips it).
    """

    _multi_output = True  # y may be (n_samples, n_targets): one weight vector per target

    @abc.abstractmethod
    def fit(self, X, y, sample_weight=None):
        """Learn ``coef_`` and ``intercept_``; returns self."""

    def _decision_function(self, X):
        """X @ coef_ᵀ + intercept_: (n_samples,) for one target, (n_samples, n_targets) for several."""
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=False)
        return X @ self.coef_.T + self.intercept_

    def predict(self, X):
        """Predicted targets ŷ = X @ coef_ᵀ + intercept_, on X's device."""
        return self._decision_function(X)

    def _set_intercept(self, X_offset, y_offset) -> None:
        """intercept_ = ȳ − x̄·coef_ when fitting an intercept, else 0.0 (as scikit-learn)."""
        if self.fit_intercept:
            self.intercept_ = y_offset - X_offset @ self.coef_.T
        else:
            self.intercept_ = 0.0
