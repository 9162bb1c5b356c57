"""Lasso and elastic net by coordinate descent: sparse weights, one feature at a time.

The elastic net minimises, on centred data (see :mod:`minml.linear.model`), scikit-learn's objective::

    (1/(2n))‖y − Xw‖² + α·ρ‖w‖₁ + ½α(1 − ρ)‖w‖²        ρ = l1_ratio

The lasso is ρ = 1. The ‖w‖₁ term has a corner at every wⱼ = 0, which is why
the lasso sets weights *exactly* to zero and selects features. There is no
closed form, and no gradient at the corners; but with every weight but one
held fixed, the problem in the last one is a parabola plus α·ρ|wⱼ|, solved
exactly. Coordinate descent does just that, feature after feature, sweep
after sweep. Multiplying the objective by n, the update of wⱼ is::

    zⱼ = xⱼᵀ(r + xⱼwⱼ)                 how well xⱼ alone fits what the others leave (r = y − Xw)
    wⱼ ← S(zⱼ, nαρ) / (‖xⱼ‖² + nα(1 − ρ))

with S the soft-thresholding of :func:`soft_threshold`: it shrinks zⱼ
towards zero by nαρ and sets it to exactly zero when |zⱼ| ≤ nαρ.

Two ideas make it fast (those of glmnet, Friedman, Hastie & Tibshirani 2010):

* **Covariance updates.** An update needs xⱼᵀr. Keeping r costs O(n) per
  update. When n > p, keep Xᵀr instead, as Xᵀy − Gw with the Gram matrix
  G = XᵀX: an update then costs O(p), one row of G (:class:`_GramProducts`).
  Only the rows of features that are ever swept are computed, a block at a
  time, as matrix products (:class:`_LazyGram`; on the GPU too). When n ≤ p,
  keep r (:class:`_Residual`).
* **Active sets.** Most weights of a lasso stay at zero. Sweep only the
  non-zero ones until they stop moving; then check every coordinate at once:
  a zero weight stays zero exactly when |xⱼᵀr| ≤ nαρ (the KKT condition,
  which is what a full sweep would find, here one vector operation). The
  worst violators join the active set, at most as many as there are non-zero
  weights (10 at least), so that few rows of G are ever needed; weights back
  at zero leave it after each sweep; and the sweeps resume.

**Stopping: the duality gap.** The lasso has a dual problem whose value is a
lower bound on the minimum; the gap between primal and dual values bounds how
far w is from optimal. Following scikit-learn, once a sweep moves no weight by
more than ``tol`` × max|wⱼ|, the gap is computed; fitting stops when it is at
most ``tol``·‖y‖²/n and no zero weight violates the KKT condition. Otherwise
``max_iter`` sweeps end it with a :class:`~minml.exceptions.ConvergenceWarning`.
``n_iter_`` counts sweeps (over the active set); ``dual_gap_`` is the final gap
(in the objective's units, divided by n as scikit-learn reports it).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from minml import backend
from minml.base import RegressorMixin
from minml.exceptions import ConvergenceWarning
from minml.linear.model import LinearModel, center_and_weight
from minml.validation import Interval, Options, check_n_features, check_sample_weight, check_X_y

__all__ = ["ElasticNet", "Lasso", "soft_threshold"]


# exercise 05.soft_threshold
def soft_threshold(z, gamma):
    """Soft-thresholding S(z, γ) = sign(z)·max(|z| − γ, 0), elementwise.

    ``z`` is an array (any shape, a 0-d array too) and ``gamma`` ≥ 0 a float
    (or an array that broadcasts with z). S moves z towards 0 by γ and stops
    at 0: S(3, 1) = 2, S(−3, 1) = −2, S(0.5, 1) = 0. It is the exact minimiser
    of ½(w − z)² + γ|w|, which is why the lasso's coordinate update uses it.
    No Python loops or ``if`` on values: use ``xp.sign``, ``xp.abs`` and
    ``xp.maximum`` with ``xp = minml.backend.namespace(z, gamma)``.
    """
    xp = backend.namespace(z, gamma)
    return xp.sign(z) * xp.maximum(xp.abs(z) - gamma, 0)


# end exercise


class _LazyGram:
    """G = XᵀX (p×p), its rows computed only for the features that need them, several at a time.

    A lasso sweeps few features; their rows G[A] = (Xᵀ X[:, A])ᵀ cost n·p·|A|
    instead of the n·p² of the whole matrix. Shared by all targets of one fit.
    """

    def __init__(self, X):
        xp = backend.namespace(X)
        self.X = X
        self.rows = xp.zeros((X.shape[1], X.shape[1]), dtype=X.dtype)
        self.known: set[int] = set()

    def ensure(self, features) -> None:
        """Compute the rows of ``features`` (host ints) not computed yet."""
        new = sorted(set(features) - self.known)
        if new:
            index = _index(new, self.X)
            self.rows[index] = (self.X.T @ self.X[:, index]).T  # G is symmetric: row j is column j
            self.known.update(new)


class _GramProducts:
    """Xᵀr kept as Xᵀy − Gw with G = XᵀX: an update of wⱼ costs one row of G, O(p) (n > p)."""

    def __init__(self, gram: _LazyGram, Xy, y_norm2, w):
        xp = backend.namespace(w)
        self.gram, self.Xy, self.y_norm2 = gram, Xy, y_norm2
        self.norms = xp.einsum("ij,ij->j", gram.X, gram.X)  # ‖xⱼ‖², the diagonal of G
        nonzero = sorted(_nonzero(w))
        gram.ensure(nonzero)
        index = _index(nonzero, w)
        self.Gw = gram.rows[index].T @ w[index]  # G w: only the columns of the non-zero weights count

    def prepare(self, features) -> None:
        """Make sure the rows of G for ``features`` are there before they are swept."""
        self.gram.ensure(features)

    def correlation(self, j):
        """xⱼᵀr."""
        return self.Xy[j] - self.Gw[j]

    def move(self, j, step) -> None:
        """wⱼ changed by ``step``: Gw changes by step·G[:, j] (G is symmetric: its row j)."""
        self.Gw += self.gram.rows[j] * step

    def gradient(self):
        """Xᵀr, every feature at once."""
        return self.Xy - self.Gw

    def residual_products(self, w):
        """(rᵀr, rᵀy) from r = y − Xw: yᵀy − 2wᵀXᵀy + wᵀGw and yᵀy − wᵀXᵀy."""
        w_Xy = w @ self.Xy
        return self.y_norm2 - 2 * w_Xy + w @ self.Gw, self.y_norm2 - w_Xy


class _Residual:
    """The residual r = y − Xw itself: an update of wⱼ costs one column of X (n ≤ p)."""

    def __init__(self, X, y, w):
        self.columns = backend.namespace(X).ascontiguousarray(X.T)  # row j is feature j, contiguous
        self.y = y
        self.y_norm2 = y @ y
        self.norms = (self.columns * self.columns).sum(axis=1)
        self.r = y - X @ w

    def prepare(self, features) -> None:
        """Nothing to prepare: every column of X is at hand."""

    def correlation(self, j):
        return self.columns[j] @ self.r

    def move(self, j, step) -> None:
        self.r -= self.columns[j] * step

    def gradient(self):
        return self.columns @ self.r

    def residual_products(self, w):
        return self.r @ self.r, self.r @ self.y


def _sweep(problem, w, coordinates, l1_reg: float, denominators, positive: bool) -> None:
    """One pass of coordinate updates over ``coordinates`` (host ints), in that order; w changes in place."""
    xp = backend.namespace(w)
    for j in coordinates:
        old = w[j]
        z = problem.correlation(j) + problem.norms[j] * old  # xⱼᵀ(r + xⱼwⱼ): feature j alone on the rest
        new = soft_threshold(z, l1_reg) / denominators[j]
        if positive:
            new = xp.maximum(new, 0)
        problem.move(j, new - old)
        w[j] = new


def _duality_gap(problem, w, gradient, l1_reg: float, l2_reg: float, positive: bool) -> float:
    """Primal minus dual objective (times n), at w and the dual point r scaled to be feasible (scikit-learn's)."""
    xp = backend.namespace(w)
    r_norm2, r_y = problem.residual_products(w)
    if l1_reg == 0:  # no L1 term: ridge's dual (scikit-learn's "formulation B"), or for α = 0 the gradient ‖Xᵀr‖²
        if l2_reg == 0:
            return backend.to_scalar(gradient @ gradient)
        return backend.to_scalar(r_norm2 + 0.5 * l2_reg * (w @ w) - r_y + (gradient @ gradient) / (2 * l2_reg))
    penalty2 = r_norm2 + l2_reg * (w @ w)
    XtA = gradient - l2_reg * w
    dual_norm = XtA.max() if positive else xp.abs(XtA).max()
    scale = l1_reg / xp.maximum(dual_norm, l1_reg)  # shrinks r until ‖Xᵀθ‖∞ ≤ nαρ: a feasible dual point
    primal = 0.5 * penalty2 + l1_reg * xp.abs(w).sum()
    dual = -0.5 * scale**2 * penalty2 + scale * r_y
    return backend.to_scalar(primal - dual)


def _kkt_violators(gradient, w, l1_reg: float, positive: bool) -> list[int]:
    """Zero weights that one update would move, |xⱼᵀr| > nαρ (xⱼᵀr > nαρ when ``positive``), worst first."""
    xp = backend.namespace(w)
    pull = gradient if positive else xp.abs(gradient)
    violation = xp.where(w == 0, pull - l1_reg, 0)
    count = backend.to_scalar((violation > 0).sum())
    return backend.asnumpy(backend.argsort(-violation)[:count]).tolist()


def _index(features, like):
    """Host feature indices as an integer index array on ``like``'s device."""
    return backend.to_device(np.asarray(features, dtype=np.intp), backend.device_of(like))


def _nonzero(w) -> set[int]:
    """The indices of the non-zero weights, on the host."""
    return set(backend.asnumpy(backend.namespace(w).flatnonzero(w)).tolist())


def enet_coordinate_descent(problem, w, l1_reg, l2_reg, *, max_iter, tol, positive=False, rng=None):
    """Minimise ½‖y − Xw‖² + l1_reg‖w‖₁ + ½l2_reg‖w‖² from w (updated in place); ``(gap, n_sweeps, converged)``.

    ``problem`` is a :class:`_GramProducts` or a :class:`_Residual` built at w.
    Active-set sweeps (in random order when ``rng`` is given) until no weight
    moves by more than ``tol``·max|w|, then a KKT check of every coordinate and
    the duality gap; done when no zero weight violates KKT and the gap is at
    most ``tol``·‖y‖². Otherwise the worst violators join and the sweeps resume.
    """
    xp = backend.namespace(w)
    gap_tol = tol * backend.to_scalar(problem.y_norm2)
    denominators = problem.norms + l2_reg
    denominators = xp.where(denominators > 0, denominators, 1)  # a constant feature: z = 0, so wⱼ stays 0
    n_sweeps = 0
    while True:
        gradient = problem.gradient()
        gap = _duality_gap(problem, w, gradient, l1_reg, l2_reg, positive)
        entering = _kkt_violators(gradient, w, l1_reg, positive)
        if not entering and gap <= gap_tol:
            return gap, n_sweeps, True
        if n_sweeps >= max_iter:
            return gap, n_sweeps, False
        # The working set: the non-zero weights and the worst violators, at most as many as there are non-zero
        # weights (10 at least): the rows of G are computed only for features that may matter. A zero weight
        # that is no violator would not move: it stays out.
        nonzero = _nonzero(w)
        active = nonzero | set(entering[: max(10, len(nonzero))])
        problem.prepare(active)
        while n_sweeps < max_iter:
            n_sweeps += 1
            before = w.copy()
            order = sorted(active) if rng is None else rng.permutation(sorted(active)).tolist()
            _sweep(problem, w, order, l1_reg, denominators, positive)
            if backend.to_scalar(xp.abs(w - before).max() <= tol * xp.abs(w).max()):
                break
            active = _nonzero(w)  # weights this sweep set to zero leave; the next check may bring them back


class ElasticNet(RegressorMixin, LinearModel):
    """Linear regression with L1 and L2 penalties, by coordinate descent.

    Minimises (1/(2n))‖y − Xw − b‖² + α·ρ‖w‖₁ + ½α(1 − ρ)‖w‖², ρ = ``l1_ratio``
    (with sample weights sᵢ, rescaled to sum to n, in the squared error).

    Parameters
    ----------
    alpha : float ≥ 0, default=1.0
    l1_ratio : float in [0, 1], default=0.5
        1 is the lasso, 0 ridge (use :class:`~minml.linear.ridge.Ridge` for that).
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Most sweeps over the coordinates (per target).
    tol : float, default=1e-4
        Stop when the duality gap is at most tol·‖y‖²/n (after the weights stop moving by tol·max|w|).
    warm_start : bool, default=False
        Start from the previous fit's ``coef_``.
    positive : bool, default=False
        Constrain the weights to be ≥ 0.
    selection : {"cyclic", "random"}, default="cyclic"
        Update the coordinates in order, or in a fresh random order each sweep.
    random_state : int, Generator or None
        Seeds the random order.

    Attributes
    ----------
    coef_ : (n_features,) or (n_targets, n_features)
    intercept_ : float or (n_targets,)
    n_iter_ : int (a list for several targets), sweeps made
    dual_gap_ : float (an array for several targets), final duality gap / n
    n_features_in_ : int
    """

    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "selection": [Options({"cyclic", "random"})],
        "random_state": ["random_state", None],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        l1_ratio=0.5,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def fit(self, X, y, sample_weight=None):
        """Fit by coordinate descent (Gram matrix when n > p); ``y`` may have several targets; returns self."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self, multi_output=True)
        check_n_features(self, X, reset=True)
        if self.alpha == 0:
            warnings.warn(
                "With alpha=0, this algorithm does not converge well. You are advised to use the LinearRegression "
                "estimator.",
                UserWarning,
                stacklevel=2,
            )
        xp = backend.namespace(X)
        n, p = X.shape
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X, estimator=self)
            sample_weight = sample_weight * (n / sample_weight.sum())  # as scikit-learn: the same α for any scale
        X, y, X_offset, y_offset = center_and_weight(
            X, y, fit_intercept=self.fit_intercept, sample_weight=sample_weight
        )
        Y = y.reshape(n, -1)
        coefs = self._initial_coef(X, Y.shape[1])
        l1_reg, l2_reg = self.alpha * self.l1_ratio * n, self.alpha * (1 - self.l1_ratio) * n
        rng = backend.rng(self.random_state, backend.CPU) if self.selection == "random" else None  # host order
        gram, XY = (_LazyGram(X), X.T @ Y) if n > p else (None, None)
        gaps, n_iters = [], []
        for k, w in enumerate(coefs):
            if gram is not None:
                problem = _GramProducts(gram, XY[:, k], Y[:, k] @ Y[:, k], w)
            else:
                problem = _Residual(X, Y[:, k], w)
            gap, n_iter, converged = enet_coordinate_descent(
                problem, w, l1_reg, l2_reg, max_iter=self.max_iter, tol=self.tol, positive=self.positive, rng=rng
            )
            if not converged:
                self._warn_not_converged(gap / n, self.tol * backend.to_scalar(problem.y_norm2) / n)
            gaps.append(gap / n)
            n_iters.append(n_iter)
        coef = xp.stack(coefs)
        if not backend.to_scalar(xp.isfinite(coef).all()):
            raise ValueError(
                "Coordinate descent iterations resulted in non-finite parameter values. The input data may contain "
                "large values and need to be preprocessed (for example with StandardScaler)."
            )
        one_target = len(coefs) == 1  # y of shape (n,) or (n, 1): flat attributes, as scikit-learn
        self.coef_ = coef[0] if one_target else coef
        self.n_iter_ = n_iters[0] if one_target else n_iters
        self.dual_gap_ = gaps[0] if one_target else backend.to_device(gaps, backend.device_of(X))
        self._set_intercept(X_offset, y_offset)
        return self

    def _initial_coef(self, X, n_targets: int) -> list:
        """One weight vector per target: the previous ``coef_`` with ``warm_start``, else zeros."""
        xp = backend.namespace(X)
        p = X.shape[1]
        if not (self.warm_start and hasattr(self, "coef_")):
            return [xp.zeros(p, dtype=X.dtype) for _ in range(n_targets)]
        previous = backend.to_device(self.coef_, backend.device_of(X)).astype(X.dtype)
        if previous.size != n_targets * p:
            raise ValueError(
                f"warm_start=True needs coef_ of the previous fit to match: it has shape {previous.shape}, but this "
                f"fit has {n_targets} target(s) and {p} features. Set warm_start=False to start from zero."
            )
        return [row.copy() for row in previous.reshape(n_targets, p)]

    def _warn_not_converged(self, gap: float, tolerance: float) -> None:
        warnings.warn(
            f"Objective did not converge after max_iter={self.max_iter} sweeps. Duality gap: {gap:.6e}, "
            f"tolerance: {tolerance:.3e}. Increase max_iter, standardise the features (StandardScaler), increase "
            "the regularisation alpha, or raise tol for a looser fit.",
            ConvergenceWarning,
            stacklevel=3,
        )


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty: ElasticNet with ``l1_ratio=1``, which selects features.

    Minimises (1/(2n))‖y − Xw − b‖² + α‖w‖₁ by coordinate descent; parameters
    and attributes as :class:`ElasticNet`'s, without ``l1_ratio``.
    """

    l1_ratio = 1.0
    _parameter_constraints = {name: c for name, c in ElasticNet._parameter_constraints.items() if name != "l1_ratio"}

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
