"""Ordinary least squares: the weights that minimise the squared error, by QR.

LinearRegression chooses w to minimise ‖y − Xw‖² (on centred data: the
intercept is handled by :func:`minml.linear.model.center_and_weight`). The
minimum is where the gradient −2Xᵀ(y − Xw) vanishes, the *normal equations*::

    XᵀX w = Xᵀy

Solving them as written is the textbook route, and the wrong one in floating
point. The condition number of XᵀX is the square of X's: κ(XᵀX) = κ(X)². With
κ(X) = 10⁸ (two nearly collinear features are enough), κ(XᵀX) = 10¹⁶ and
float64's 16 digits are all lost: the solution is noise.

QR avoids forming XᵀX. Factor X = QR with Q (n×p) having orthonormal columns
(QᵀQ = I) and R (p×p) upper triangular. Then ‖y − Xw‖² = ‖Qᵀy − Rw‖² + (a part
w cannot change), minimised by solving the triangular system::

    R w = Qᵀy

whose condition number is κ(R) = κ(X), not its square. It costs about twice
the normal equations (2np² flops against np²), a fair price for the digits.

When X is rank-deficient (a feature that is a combination of others, or fewer
samples than features), R is singular and infinitely many w fit equally well.
Then minml falls back to ``lstsq`` (an SVD), which returns the one with the
smallest norm ‖w‖, as scikit-learn's LinearRegression does. The singular
values of X (``singular_``) and its numerical rank (``rank_``) come from R's
singular values, which equal X's: a p×p SVD, cheap next to the QR.
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend
from minml.base import RegressorMixin
from minml.linear.model import LinearModel, center_and_weight
from minml.validation import Options, check_n_features, check_sample_weight, check_X_y

__all__ = ["LinearRegression"]


class LinearRegression(RegressorMixin, LinearModel):
    """Ordinary least squares: minimise Σᵢ sᵢ (yᵢ − xᵢ·w − b)² over w and b.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit b (on centred data); if False the line goes through the origin.
    solver : {"qr", "lstsq"}, default="qr"
        "qr" solves R w = Qᵀy from X = QR (falling back to "lstsq" when X is
        rank-deficient); "lstsq" always uses the SVD-based minimum-norm solver.

    Attributes
    ----------
    coef_ : (n_features,) or (n_targets, n_features)
    intercept_ : float or (n_targets,)
    rank_ : int, the numerical rank of the (centred, weighted) X
    singular_ : (min(n_samples, n_features),), its singular values, largest first
    n_features_in_ : int
    """

    _parameter_constraints = {
        "fit_intercept": ["boolean"],
        "solver": [Options({"qr", "lstsq"})],
    }

    def __init__(self, *, fit_intercept=True, solver="qr"):
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X, y, sample_weight=None):
        """Fit by QR (or lstsq); ``y`` may have one column per target; returns self."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self, multi_output=True)
        check_n_features(self, X, reset=True)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X, estimator=self)
        X, y, X_offset, y_offset = center_and_weight(
            X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight
        )
        coef, self.rank_, self.singular_ = least_squares(X, y, use_qr=self.solver == "qr")
        self.coef_ = coef.T
        self._set_intercept(X_offset, y_offset)
        return self


def least_squares(X, y, *, use_qr: bool = True):
    """``(w, rank, singular_values)`` minimising ‖y − Xw‖²; w is (p,) or (p, n_targets) like y.

    By QR when ``use_qr`` and X has full column rank; otherwise the minimum-norm
    solution by ``lstsq``. Singular values below ε·max(n, p)·σ_max count as zero
    (NumPy's ``lstsq`` default).
    """
    xp = backend.namespace(X, y)
    n, p = X.shape
    cutoff = np.finfo(X.dtype).eps * max(n, p)
    if use_qr and n >= p:
        Q, R = xp.linalg.qr(X)
        singular = xp.linalg.svd(R, compute_uv=False)
        rank = _rank(singular, cutoff)
        if rank == p:
            # R is triangular; NumPy has no triangular solver (SciPy's solve_triangular), so a general one
            return backend.solve(R, Q.T @ y), rank, singular
    w, _, rank, singular = backend.lstsq(X, y, rcond=cutoff)
    return w, _as_int(rank), singular


def _rank(singular, cutoff: float) -> int:
    """How many singular values exceed ``cutoff`` × the largest one."""
    largest = backend.to_scalar(singular.max()) if singular.size else 0.0
    return backend.to_scalar((singular > cutoff * largest).sum())


def _as_int(rank) -> int:
    """``lstsq``'s rank as a Python int (NumPy gives an int, CuPy a 0-d device array)."""
    return rank if isinstance(rank, numbers.Integral) else backend.to_scalar(rank)
