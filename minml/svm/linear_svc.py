"""LinearSVC: a linear SVM trained as liblinear trains it (scikit-learn's LinearSVC).

With a linear kernel there is no need for the n × n kernel: the model is one
weight vector w, and the problem can be solved in the primal or, coordinate by
coordinate, in the dual. liblinear (and so this class) regularises the intercept
too, by appending a constant feature ``intercept_scaling`` to every sample:

    minimise  ½‖w‖² + Σᵢ Cᵢ ℓ(yᵢ wᵀxᵢ)      hinge ℓ(m) = max(0, 1 - m),  squared hinge ℓ(m) = max(0, 1 - m)²

Two solvers, chosen by ``dual`` ("auto": the primal for the squared hinge when
there are more samples than features, as scikit-learn chooses):

- :func:`squared_hinge_newton` (``dual=False``, squared hinge only): Newton's
  method on the primal. The squared hinge is differentiable, with the
  generalised Hessian H = I + 2 Σ_{i active} Cᵢ xᵢxᵢᵀ over the samples inside the
  margin (Keerthi and DeCoste, 2005); each step solves H d = -∇f (a d × d
  system) and backtracks along d. A handful of steps, each a few passes over X
  as matrix products, reach liblinear's stopping rule ‖∇f‖ ≤ tol·max(min(N₊, N₋), 1)/n·‖∇f(0)‖.
  (liblinear's trust-region Newton solves the same system by conjugate
  gradients, which suits millions of sparse features; dense X with a few
  hundred features is faster with the d × d system.)
- :func:`dual_coordinate_descent` (``dual=True``, both losses): Hsieh et al.
  (2008), liblinear's default. The dual of the problem above is
  min ½αᵀQ̄α - Σαᵢ over 0 ≤ αᵢ ≤ Uᵢ, Q̄ = Q + D, with w = Σ αᵢyᵢxᵢ
  (hinge: Uᵢ = Cᵢ, D = 0; squared hinge: Uᵢ = ∞, Dᵢᵢ = 1/(2Cᵢ)). Each
  coordinate has a closed-form update; samples are visited in blocks so that a
  block's margins come from one product X_B w and the sequential updates inside
  it only touch a small block Gram matrix.

Multiclass: one-vs-rest, one binary problem per class (``coef_`` (K, d)); as in liblinear,
``class_weight`` scales only the positive class of each of those problems.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from minml import backend
from minml.base import BaseEstimator
from minml.exceptions import ConvergenceWarning
from minml.linear.linear_classifier import LinearClassifierMixin, class_sample_weight
from minml.validation import (
    Interval,
    Options,
    check_n_features,
    check_sample_weight,
    check_X_y,
    encode_labels,
)

__all__ = ["LinearSVC", "dual_coordinate_descent", "squared_hinge_newton"]

DUAL_BLOCK = 256  # samples per block of dual coordinate descent


def _squared_hinge_objective(w, X, y, C):
    """½‖w‖² + Σ Cᵢ max(0, 1 - yᵢ wᵀxᵢ)², as a device scalar."""
    shortfall = backend.namespace(X).maximum(1 - y * (X @ w), 0)
    return 0.5 * (w @ w) + (C * shortfall * shortfall).sum()


def squared_hinge_newton(X, y, C, *, tol, max_iter):
    """w minimising ½‖w‖² + Σ Cᵢ max(0, 1 - yᵢ wᵀxᵢ)², by generalised Newton steps; returns (w, steps).

    ``y`` is ±1, ``C`` the per-sample costs; stops when ‖∇f(w)‖ ≤ tol·‖∇f(0)‖.
    """
    xp = backend.namespace(X, y, C)
    d = X.shape[1]
    w = xp.zeros(d, dtype=X.dtype)
    identity = xp.eye(d, dtype=X.dtype)
    objective = backend.to_scalar(_squared_hinge_objective(w, X, y, C))
    first_norm = None
    for step in range(1, max_iter + 1):
        residual = 1 - y * (X @ w)
        active = residual > 0
        weight = xp.where(active, C, 0.0)
        gradient = w - 2 * (X.T @ (weight * residual * y))
        norm = backend.to_scalar(xp.sqrt(gradient @ gradient))
        first_norm = norm if first_norm is None else first_norm
        if norm <= tol * first_norm:
            return w, step - 1
        hessian = identity + 2 * (X.T * weight) @ X
        direction = -backend.solve(hessian, gradient)
        slope = backend.to_scalar(gradient @ direction)
        size = 1.0
        while True:  # backtracking (Armijo): the Newton step is exact where the active set does not change
            candidate = w + size * direction
            value = backend.to_scalar(_squared_hinge_objective(candidate, X, y, C))
            if value <= objective + 0.01 * size * slope or size < 1e-10:
                break
            size /= 2
        w, objective = candidate, value
    return w, -1


def dual_coordinate_descent(X, y, upper, diagonal, *, tol, max_iter, rng):
    """liblinear's dual coordinate descent, by blocks: returns (w, epochs), epochs = -1 if not converged.

    Minimises ½αᵀ(Q + D)α - Σαᵢ over 0 ≤ αᵢ ≤ upperᵢ, with Q = (yx)(yx)ᵀ and D =
    diag(``diagonal``), keeping w = Σ αᵢ yᵢ xᵢ up to date. Stops when the
    projected gradients span less than ``tol`` over an epoch (liblinear's rule).
    """
    xp = backend.namespace(X, y)
    n, d = X.shape
    w = xp.zeros(d, dtype=np.float64)
    alpha = np.zeros(n)
    upper_host, diagonal_host = backend.asnumpy(upper), backend.asnumpy(diagonal)
    squared_norms = backend.asnumpy((X * X).sum(axis=1)) + diagonal_host
    for epoch in range(1, max_iter + 1):
        order = backend.asnumpy(rng.permutation(n))
        largest, smallest = -math.inf, math.inf
        for start in range(0, n, DUAL_BLOCK):
            block = order[start:start + DUAL_BLOCK]
            index = backend.to_device(block, backend.device_of(X))
            Z = y[index][:, None] * X[index]  # rows yᵢxᵢ
            gradient = backend.asnumpy(Z @ w) - 1 + diagonal_host[block] * alpha[block]
            gram = backend.asnumpy(Z @ Z.T)
            old = alpha[block].copy()
            new = old.copy()
            for k in range(len(block)):
                g, a, u = gradient[k], new[k], upper_host[block[k]]
                projected = min(g, 0.0) if a == 0 else (max(g, 0.0) if a == u else g)
                largest, smallest = max(largest, projected), min(smallest, projected)
                if abs(projected) > 1e-12:
                    value = min(max(a - g / squared_norms[block[k]], 0.0), u)
                    change = value - a
                    gradient += change * gram[k]
                    gradient[k] += change * diagonal_host[block[k]]
                    new[k] = value
            alpha[block] = new
            w = w + Z.T @ backend.to_device(new - old, backend.device_of(X))
        if largest - smallest <= tol:
            return w, epoch
    return w, -1


class LinearSVC(LinearClassifierMixin, BaseEstimator):
    """Linear support vector classifier (scikit-learn's LinearSVC, liblinear's L2-regularised SVMs).

    ``loss`` "squared_hinge" (default) or "hinge"; ``dual`` "auto", True or
    False; ``C``; ``tol``; ``fit_intercept`` with ``intercept_scaling`` (the
    intercept is a regularised weight on a constant feature, as in liblinear);
    ``class_weight``; ``max_iter`` (Newton steps or dual epochs); ``random_state``
    (the order of the dual's coordinates). ``penalty`` is "l2" and
    ``multi_class`` "ovr" (one-vs-rest) only.
    """

    _parameter_constraints = {
        "penalty": [Options({"l2"})],
        "loss": [Options({"hinge", "squared_hinge"})],
        "dual": ["boolean", Options({"auto"})],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "C": [Interval(numbers.Real, 0, None, closed="neither")],
        "multi_class": [Options({"ovr"})],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(numbers.Real, 0, None, closed="neither")],
        "class_weight": [None, dict, Options({"balanced"})],
        "verbose": ["boolean", Interval(numbers.Integral, 0, None, closed="left")],
        "random_state": ["random_state", None],
        "max_iter": [Interval(numbers.Integral, 0, None, closed="left")],
    }
    _host_attributes = ("n_iter_",)
    _contract_skip = {
        "check_sample_weight": "a weight of 3 equals 3 copies only at the exact optimum; the solvers stop at tol",
    }

    def __init__(self, penalty="l2", loss="squared_hinge", *, dual="auto", tol=1e-4, C=1.0, multi_class="ovr",
                 fit_intercept=True, intercept_scaling=1, class_weight=None, verbose=0, random_state=None,
                 max_iter=1000):
        self.penalty = penalty
        self.loss = loss
        self.dual = dual
        self.tol = tol
        self.C = C
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None):
        """One binary linear SVM per class (one in all for two classes); returns self."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self, numeric_y=False)
        check_n_features(self, X, reset=True)
        self.classes_, codes = encode_labels(y, like=X, estimator=self)
        weights = check_sample_weight(sample_weight, X, estimator=self)
        xp = backend.namespace(X)
        n, d = X.shape
        dual = self.dual
        if dual == "auto":
            dual = self.loss == "hinge" or n <= d
        if self.loss == "hinge" and not dual:
            raise ValueError(
                "Unsupported set of arguments: the combination of penalty='l2' and loss='hinge' is not supported "
                "when dual=False. Use dual=True (or 'auto'), or loss='squared_hinge'."
            )
        X64 = X.astype(np.float64, copy=False)
        if self.fit_intercept:
            X64 = xp.concatenate([X64, xp.full((n, 1), float(self.intercept_scaling))], axis=1)
        class_costs = self.C * class_sample_weight(self.class_weight, self.classes_, codes, xp.ones(n)) * weights
        n_classes = self.classes_.shape[0]
        targets = [1] if n_classes == 2 else range(n_classes)
        rng = backend.rng(self.random_state, backend.device_of(X))
        rows, iterations, converged = [], [], True
        for k in targets:
            signs = xp.where(codes == k, 1.0, -1.0)
            # liblinear's one-vs-rest weights only the positive class of each problem: the rest cost C · sample_weight
            costs = class_costs if n_classes == 2 else xp.where(codes == k, class_costs, self.C * weights)
            if dual:
                hinge = self.loss == "hinge"
                upper = costs if hinge else xp.full(n, xp.inf)
                diagonal = xp.zeros(n) if hinge else 0.5 / costs
                w, steps = dual_coordinate_descent(X64, signs, upper, diagonal, tol=self.tol,
                                                   max_iter=self.max_iter, rng=rng)
            else:
                positives = backend.to_scalar((codes == k).sum())
                tol = self.tol * max(min(positives, n - positives), 1) / n  # liblinear's primal tolerance
                w, steps = squared_hinge_newton(X64, signs, costs, tol=tol, max_iter=self.max_iter)
            converged &= steps >= 0
            iterations.append(steps if steps >= 0 else self.max_iter)
            rows.append(w)
        if not converged:
            warnings.warn(
                f"LinearSVC did not converge in max_iter={self.max_iter} iterations. Raise max_iter, standardise "
                "the features (StandardScaler), raise tol, or lower C.",
                ConvergenceWarning,
                stacklevel=2,
            )
        W = xp.stack(rows)
        if self.fit_intercept:
            self.coef_, self.intercept_ = W[:, :d], self.intercept_scaling * W[:, d]
        else:
            self.coef_, self.intercept_ = W, xp.zeros(W.shape[0])
        self.n_iter_ = int(max(iterations))
        return self
