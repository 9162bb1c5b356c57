"""Ridge regression: least squares with a penalty α‖w‖² that shrinks the weights.

Ridge minimises, on centred data (see :mod:`minml.linear.model`)::

    ‖y − Xw‖² + α‖w‖²

Setting the gradient −2Xᵀ(y − Xw) + 2αw to zero gives the closed form::

    w = (XᵀX + αI)⁻¹ Xᵀy

The penalty is what makes this well behaved: XᵀX alone is singular when
features are collinear or when there are fewer samples than features, but
XᵀX + αI is symmetric positive definite for any α > 0 (its eigenvalues are
XᵀX's, all ≥ 0, plus α). Symmetric positive definite matrices have a Cholesky
factorisation A = LLᵀ (L lower triangular), half the cost of LU and stable
without pivoting; solving L z = Xᵀy then Lᵀ w = z gives w. That is the
"cholesky" solver.

With fewer samples than features (n < p) the p×p system is the big one. The
identity (XᵀX + αI)⁻¹Xᵀ = Xᵀ(XXᵀ + αI)⁻¹ (multiply both sides by the two
brackets to check it) trades it for an n×n system: solve (XXᵀ + αI) c = y, then
w = Xᵀc. The same Cholesky code serves both, in :func:`ridge_solution`.

The "svd" solver writes X = U diag(σ) Vᵀ, so that w = V diag(σ / (σ² + α)) Uᵀy:
it shows what the penalty does to each direction of the data (a direction with
σ² ≫ α is kept, one with σ² ≪ α is damped towards 0) and works for α = 0 too.
Each target may have its own α (``alpha`` an array with one value per target).
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend
from minml.base import RegressorMixin
from minml.linear.model import LinearModel, center_and_weight
from minml.validation import Interval, Options, check_n_features, check_sample_weight, check_X_y

__all__ = ["Ridge", "ridge_solution"]


# exercise 05.ridge_solution
def ridge_solution(X, y, alpha):
    """The ridge weights w = (XᵀX + αI)⁻¹ Xᵀy, through a Cholesky solve.

    ``X`` is centred data of shape (n, p); ``y`` is (n,) or (n, k) for k targets;
    ``alpha`` ≥ 0 is a float. Return w of shape (p,) or (p, k), like y.

    Never form an inverse. A = XᵀX + αI is symmetric positive definite, so it
    factors as A = LLᵀ with L lower triangular (``minml.backend.cholesky(A)``);
    then A w = b is two triangular systems: L z = b, then Lᵀ w = z (each
    through ``minml.backend.solve``). When n < p, solve the smaller n×n system
    instead: (XXᵀ + αI) c = y, then w = Xᵀc — the same w, by the identity
    (XᵀX + αI)⁻¹Xᵀ = Xᵀ(XXᵀ + αI)⁻¹. Compute with
    ``xp = minml.backend.namespace(X, y)`` (``xp.eye`` for I), so the same code
    runs on a GPU. ``minml.backend.cholesky`` raises ``numpy.linalg.LinAlgError``
    when A is not positive definite (α = 0 with collinear features): let it
    propagate.
    """
    xp = backend.namespace(X, y)
    n, p = X.shape
    primal = n >= p
    A = X.T @ X if primal else X @ X.T
    A += alpha * xp.eye(A.shape[0], dtype=A.dtype)
    b = X.T @ y if primal else y
    L = backend.cholesky(A)
    solution = backend.solve(L.T, backend.solve(L, b))
    return solution if primal else X.T @ solution


# end exercise


def ridge_svd_solution(X, Y, alphas):
    """w = V diag(σ / (σ² + α)) Uᵀy for each column of ``Y`` (n, k) with its own α in ``alphas`` (k,).

    Directions with σ ≈ 0 (rank deficiency) get weight 0, so α = 0 gives the
    minimum-norm least-squares solution. Returns (p, k).
    """
    xp = backend.namespace(X, Y, alphas)
    U, singular, Vt = xp.linalg.svd(X, full_matrices=False)
    largest = backend.to_scalar(singular.max()) if singular.size else 0.0
    kept = singular > np.finfo(X.dtype).eps * max(X.shape) * largest
    safe = xp.where(kept, singular, 1)
    shrink = xp.where(kept[:, None], safe[:, None] / (safe[:, None] ** 2 + alphas[None, :]), 0)
    return Vt.T @ (shrink * (U.T @ Y))


class Ridge(RegressorMixin, LinearModel):
    """Least squares with an L2 penalty: minimise Σᵢ sᵢ (yᵢ − xᵢ·w − b)² + α‖w‖².

    Parameters
    ----------
    alpha : float ≥ 0 or array of shape (n_targets,), default=1.0
        Strength of the penalty (one per target if an array).
    fit_intercept : bool, default=True
        Fit b (not penalised) by centring the data.
    solver : {"auto", "cholesky", "svd"}, default="auto"
        "auto" is "cholesky"; "cholesky" falls back to "svd" when the system is
        singular (α = 0 with collinear features).

    Attributes
    ----------
    coef_ : (n_features,) or (n_targets, n_features)
    intercept_ : float or (n_targets,)
    solver_ : str, the solver used
    n_iter_ : None (the solvers are direct)
    n_features_in_ : int
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left"), np.ndarray],
        "fit_intercept": ["boolean"],
        "solver": [Options({"auto", "cholesky", "svd"})],
    }

    def __init__(self, alpha=1.0, *, fit_intercept=True, solver="auto"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X, y, sample_weight=None):
        """Fit by Cholesky (primal or dual) or SVD; ``y`` may have one column per target; returns self."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self, multi_output=True)
        check_n_features(self, X, reset=True)
        alphas = self._alphas(1 if y.ndim == 1 else y.shape[1])
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X, estimator=self)
        X, y, X_offset, y_offset = center_and_weight(
            X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight
        )
        Y = y.reshape(y.shape[0], -1)
        self.solver_ = "svd" if self.solver == "svd" else "cholesky"
        if self.solver_ == "cholesky":
            try:
                coef = _cholesky_per_alpha(X, Y, alphas)
            except np.linalg.LinAlgError:
                self.solver_ = "svd"
        if self.solver_ == "svd":
            coef = ridge_svd_solution(X, Y, backend.to_device(alphas.astype(X.dtype), backend.device_of(X)))
        self.coef_ = coef[:, 0] if Y.shape[1] == 1 else coef.T  # one target: (n_features,), as scikit-learn
        self.n_iter_ = None
        self._set_intercept(X_offset, y_offset)
        return self

    def _alphas(self, n_targets: int) -> np.ndarray:
        """``alpha`` as a host array of one non-negative float per target."""
        alphas = np.asarray(self.alpha, dtype=np.float64).reshape(-1)
        if not np.all(alphas >= 0):
            raise ValueError(f"alpha must be non-negative for every target; got {alphas.tolist()}.")
        if alphas.size == 1:
            return np.full(n_targets, alphas[0])
        if alphas.size != n_targets:
            raise ValueError(
                f"Number of targets and number of penalties do not correspond: {n_targets} != {alphas.size}. "
                "Pass one alpha per target (a column of y), or a single float."
            )
        return alphas


def _cholesky_per_alpha(X, Y, alphas):
    """:func:`ridge_solution` for all targets at once when they share α, else target by target. (p, k)."""
    xp = backend.namespace(X, Y)
    if np.all(alphas == alphas[0]):
        return ridge_solution(X, Y, float(alphas[0]))
    return xp.stack([ridge_solution(X, Y[:, k], float(alpha)) for k, alpha in enumerate(alphas)], axis=1)
