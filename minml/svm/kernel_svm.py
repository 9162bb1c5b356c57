"""What SVC and SVR share: kernel parameters, the dual solved by SMO, and f(x) = Σ coefᵢ K(svᵢ, x) + b.

Both estimators end up with the same kind of model: a handful of support vectors
(the training samples whose dual coefficient is not zero), one coefficient per
support vector, and an intercept. Predicting evaluates the kernel between the new
samples and the support vectors only — the rest of the training set is forgotten.
This module holds that shared machinery: the parameter constraints, the checks of
X (square for ``kernel="precomputed"``), the kernel rows handed to
:func:`minml.svm.smo.smo_solve`, and ``coef_`` for the linear kernel.
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend
from minml.base import BaseEstimator
from minml.svm.kernels import kernel_diagonal, kernel_matrix, resolve_gamma
from minml.svm.smo import smo_solve
from minml.validation import Interval, Options, check_array, check_is_fitted, check_n_features

__all__ = ["KERNEL_PARAMETER_CONSTRAINTS"]

KERNEL_PARAMETER_CONSTRAINTS = {
    "kernel": [Options({"linear", "poly", "rbf", "sigmoid", "precomputed"}), callable],
    "degree": [Interval(numbers.Integral, 0, None, closed="left")],
    "gamma": [Options({"scale", "auto"}), Interval(numbers.Real, 0, None, closed="left")],
    "coef0": [Interval(numbers.Real, None, None, closed="neither")],
    "tol": [Interval(numbers.Real, 0, None, closed="neither")],
    "C": [Interval(numbers.Real, 0, None, closed="neither")],
    "shrinking": ["boolean"],
    "cache_size": [Interval(numbers.Real, 0, None, closed="neither")],
    "verbose": ["boolean"],
    "max_iter": [Interval(numbers.Integral, -1, None, closed="left")],
}
"""The parameters every kernel SVM takes, with scikit-learn's ranges."""

WORKING_SET_SIZE = 256
"""q, the variables the SMO solver optimises per outer iteration (see minml.svm.smo)."""


class _KernelSVM(BaseEstimator):
    """The shared half of SVC and SVR (private: the contract suite checks the two public classes)."""

    _host_attributes = ("n_iter_", "n_support_", "shape_fit_")
    _contract_device_tol = 1e-9  # SMO stopped at tol=1e-3 takes other steps when GPU sums round differently

    def _check_fit_X(self, X):
        """X as float64 (libsvm computes in double); a precomputed kernel must be square."""
        if self.kernel == "precomputed" and X.shape[0] != X.shape[1]:
            raise ValueError(
                f"Precomputed matrix must be a square matrix. Input is a {X.shape[0]}x{X.shape[1]} matrix: with "
                "kernel='precomputed', pass the training kernel K(X_train, X_train) to fit."
            )
        self._gamma = 0.0 if self.kernel == "precomputed" else resolve_gamma(self.gamma, X)
        self.shape_fit_ = tuple(X.shape)
        return X.astype(np.float64, copy=False)

    def _kernel(self, X, Y):
        return kernel_matrix(self.kernel, X, Y, gamma=self._gamma, coef0=self.coef0, degree=self.degree)

    def _solve(self, X, y, p, upper, sample_of=None):
        """Run SMO on the samples X (float64) with signs y, linear term p and bounds upper (see smo_solve)."""
        def on_device(samples):
            return backend.to_device(np.asarray(samples, dtype=np.int64), backend.device_of(X))

        def rows(samples):
            index = on_device(samples)
            block = X[index] if self.kernel == "precomputed" else self._kernel(X[index], X)
            return block.astype(np.float64, copy=False)

        def block(samples):
            index = on_device(samples)
            if self.kernel == "precomputed":
                return X[index][:, index]
            return self._kernel(X[index], X[index])

        if self.kernel == "precomputed":
            diagonal = kernel_diagonal("precomputed", X)
        else:
            diagonal = kernel_diagonal(self.kernel, X, gamma=self._gamma, coef0=self.coef0, degree=self.degree)
        return smo_solve(rows, block, diagonal.astype(np.float64, copy=False), y, p, upper, sample_of=sample_of,
                         tol=self.tol, max_iter=self.max_iter, shrinking=self.shrinking,
                         cache_size=self.cache_size, working_set_size=WORKING_SET_SIZE)

    def _store_support(self, X, support):
        """support_ (device int32 indices) and support_vectors_ (empty for a precomputed kernel, as scikit-learn)."""
        xp = backend.namespace(X)
        self.support_ = backend.to_device(np.asarray(support, dtype=np.int32), backend.device_of(X))
        if self.kernel == "precomputed":
            self.support_vectors_ = xp.zeros((0, 0), dtype=np.float64)
        else:
            self.support_vectors_ = X[self.support_]

    def _check_predict_X(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=False)
        return X.astype(np.float64, copy=False)

    def _kernel_to_support(self, X):
        """K(X, support vectors), shape (n, n_SV): for a precomputed kernel, the columns of the support vectors."""
        if self.kernel == "precomputed":
            return X[:, self.support_]
        return self._kernel(X, self.support_vectors_)

    @property
    def coef_(self):
        """w = Σ coefᵢ svᵢ, the hyperplane's weights: only for kernel="linear" (one row per binary problem)."""
        if getattr(self, "kernel", None) != "linear":
            raise AttributeError("coef_ is only available when using a linear kernel")
        check_is_fitted(self)
        return self._pair_coefficients().T @ self.support_vectors_
