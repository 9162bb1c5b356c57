"""SVR: epsilon-insensitive support vector regression, by the same SMO solver as SVC.

SVR fits f(x) = Σᵢ coefᵢ K(xᵢ, x) + b and pays nothing for errors smaller than ε
(the ε-tube), and C·(|error| - ε) beyond it::

    minimise  ½‖w‖² + Σᵢ Cᵢ max(0, |yᵢ - f(xᵢ)| - ε)

Its dual has two variables per sample, αᵢ (pushing f up towards yᵢ) and αᵢ*
(pushing it down), each in [0, Cᵢ]. libsvm writes them as one vector of 2n
variables with signs (+1 for the α, -1 for the α*), so that the problem has SVC's
shape exactly — ½ βᵀQβ + pᵀβ with Σ signᵢ βᵢ = 0 — and linear term

    p = (ε - y₁, …, ε - yₙ,  ε + y₁, …, ε + yₙ).

:func:`minml.svm.smo.smo_solve` then solves it, both variables of sample i sharing
its kernel row. The coefficient of sample i is αᵢ - αᵢ*; the samples where it is
not zero — on or outside the tube — are the support vectors.
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend
from minml.base import RegressorMixin
from minml.svm.kernel_svm import KERNEL_PARAMETER_CONSTRAINTS, _KernelSVM
from minml.validation import Interval, check_n_features, check_sample_weight, check_X_y

__all__ = ["SVR"]


class SVR(RegressorMixin, _KernelSVM):
    """Epsilon-support vector regression with a kernel (scikit-learn's SVR, libsvm's ε-SVR).

    Parameters as :class:`~minml.svm.SVC`'s kernel ones, plus ``epsilon``, the
    half-width of the tube inside which errors cost nothing.
    """

    _parameter_constraints = {**KERNEL_PARAMETER_CONSTRAINTS,
                              "epsilon": [Interval(numbers.Real, 0.0, None, closed="left")]}
    _contract_skip = {
        "check_sample_weight": "a weight of 3 and 3 copies of a sample give the same optimum up to the intercept, "
        "which is not unique where no support vector is free; scikit-learn's SVR differs by ~1e-3 there too",
    }

    def __init__(self, *, kernel="rbf", degree=3, gamma="scale", coef0=0.0, tol=1e-3, C=1.0, epsilon=0.1,
                 shrinking=True, cache_size=200, verbose=False, max_iter=-1):
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.epsilon = epsilon
        self.shrinking = shrinking
        self.cache_size = cache_size
        self.verbose = verbose
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None):
        """Solve the 2n-variable dual; keep the samples with αᵢ ≠ αᵢ* as support vectors. Returns self."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self)
        check_n_features(self, X, reset=True)
        weights = check_sample_weight(sample_weight, X, estimator=self)
        X = self._check_fit_X(X)
        y = y.astype(np.float64)
        xp = backend.namespace(X)
        n = X.shape[0]
        signs = xp.concatenate([xp.ones(n), -xp.ones(n)])
        linear = xp.concatenate([self.epsilon - y, self.epsilon + y])
        upper = xp.concatenate([self.C * weights, self.C * weights]).astype(np.float64)
        result = self._solve(X, signs, linear, upper, sample_of=np.concatenate([np.arange(n), np.arange(n)]))
        coefficient = result.alpha[:n] - result.alpha[n:]
        support = np.flatnonzero(backend.asnumpy(coefficient != 0))
        self._store_support(X, support)
        self.dual_coef_ = coefficient[self.support_][None, :]
        self.intercept_ = xp.asarray([-result.rho], dtype=np.float64)
        self.n_support_ = np.asarray([len(support)], dtype=np.int32)
        self.n_iter_ = result.n_iter
        self.fit_status_ = 0
        return self

    def _pair_coefficients(self):
        """(n_SV, 1): the coefficient αᵢ - αᵢ* of each support vector."""
        return self.dual_coef_.T

    @classmethod
    def _contract_instances(cls):
        """C=100: the suite's targets span ±30, which the default C=1 (like scikit-learn's SVR) underfits."""
        return [cls(C=100.0), cls(kernel="linear")]

    def predict(self, X):
        """f(x) = Σ coefᵢ K(svᵢ, x) + b, shape (n,)."""
        X = self._check_predict_X(X)
        return self._kernel_to_support(X) @ self.dual_coef_[0] + self.intercept_[0]
