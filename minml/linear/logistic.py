"""Logistic regression: a linear score turned into a probability, fitted by Newton's method.

Two classes. A sample x gets the score z = x·w + b and the probability
P(y = 1 | x) = σ(z) = 1 / (1 + e^(−z)) of the second class. The weights maximise
the likelihood of the training labels, that is, they minimise the log loss::

    ℓ(z, y) = −y·log σ(z) − (1 − y)·log(1 − σ(z)) = log(1 + e^z) − y·z        y ∈ {0, 1}

plus an L2 penalty that keeps the weights small. As in scikit-learn, C weighs the
data against the penalty (a smaller C means a stronger penalty) and the intercept
b is not penalised::

    minimise   C · Σᵢ sᵢ·ℓ(x_i·w + b, yᵢ)  +  ½‖w‖²          (sᵢ: sample weight × class weight)

Dividing by C·Σsᵢ gives scikit-learn's scaling, mean loss + ‖w‖²/(2·C·Σsᵢ): the
same minimiser, and the scale on which ``tol`` is read (max |gradient| ≤ tol).

K > 2 classes (multinomial). One weight vector and intercept per class, scores
z_k = x·w_k + b_k and probabilities by the softmax P(k | x) = e^(z_k) / Σ_j e^(z_j);
the loss is −log P(yᵢ | xᵢ), and C and the penalty are as above. Adding the same
vector to every class's weights changes no probability, so the penalty alone picks
the solution (the one whose weights sum to zero over the classes), as in scikit-learn.

Newton's method. The loss is smooth and convex, so minimise its quadratic model
at each step: with gradient g and Hessian H at w, step to w − H⁻¹g. For the
binary loss (in terms of ``λ = 1/C``, after dividing by C)::

    g = Xᵀ s(σ(z) − y) + λw          H = Xᵀ diag(s·σ(z)(1 − σ(z))) X + λI

(:func:`logistic_loss_grad_hess`, the lesson's exercise, with the intercept as the
weight of a column of ones in X). The solver never copies X to append that column:
the intercept's entries of g are sums (:func:`_loss_grad`), and H is the exercise's
(or :func:`_softmax_hessian`), summed over blocks of rows that get their ones in a
small buffer (:func:`_with_ones`).
Each step costs a pass over the data for g, one to move the scores along the step,
H (n·p², computed only when a step is taken: the point where the solver stops pays
for none) and a p×p solve, and near the solution the number of correct digits
doubles per step: 3 to 10 steps reach ``tol`` where a gradient method needs tens
or hundreds. With n ≫ p, H from every k-th row (:func:`hessian_stride`) is
nearly as good a guide, at a fraction of the cost: only the gradient must be exact. That makes
``solver="newton"`` (iteratively reweighted least squares, "Newton–Cholesky" in
scikit-learn) the fast choice when n ≫ p. A line search
keeps it safe far from the solution, and fast: along a step the scores move as
z + t·d with d = X·step, so the loss along it is a function of t that costs
O(n) to evaluate, not a pass over X. Minimising it (:func:`_step_length`) often
gives t > 1 in the first steps, where the Hessian overestimates the curvature, and
saves whole Newton steps. The loss, gradient and Hessian are sums over samples, so
the solver evaluates them in blocks of rows small enough to stay in the CPU's cache.

For wide data (many features, or many classes × features: the Hessian has
(K·(p+1))² entries) ``solver="lbfgs"`` needs only the gradient: scipy's L-BFGS-B
drives it on the host, while the loss and gradient are computed on X's device, so
only the parameter vector and the gradient cross between them. ``newton`` switches
to lbfgs by itself above 2,000 parameters.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from minml import backend
from minml.autograd.activations import log_softmax_array
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

__all__ = ["LogisticRegression", "logistic_loss_grad_hess"]

NEWTON_MAX_PARAMETERS = 2000  # above this many parameters, newton's (K·(p+1))² Hessian gives way to lbfgs
_BLOCK_BYTES = 1 << 20  # rows per block of a pass over X: 1 MB, so that a block and its scaled copy stay in cache


# exercise 05.logistic_loss_grad_hess
def logistic_loss_grad_hess(w, X, y, alpha=0.0, sample_weight=None):
    """Logistic loss, gradient and Hessian of the weights ``w`` on ``(X, y)``.

    Task: with the scores z = X w (shape (n,)) and the sigmoid σ(z) = 1 / (1 + e^(−z)), return
    ``(loss, grad, hess)``, the loss *summed* (not averaged) over the samples::

        loss = Σᵢ sᵢ·[log(1 + e^(zᵢ)) − yᵢ·zᵢ]  +  ½ Σⱼ αⱼ·wⱼ²        a 0-d array
        grad = Xᵀ [s·(σ(z) − y)]  +  α·w                              shape (p,)
        hess = Xᵀ diag(s·σ(z)·(1 − σ(z))) X  +  diag(α)               shape (p, p)

    ``X`` is (n, p), ``y`` holds 0.0 or 1.0 (n,), ``sample_weight`` s is (n,) or None
    (all ones). ``alpha`` α is the L2 strength: a number, or one per weight, shape (p,)
    — an intercept, stored as a column of ones in X, gets α = 0 (it is not penalised).

    Use ``xp = minml.backend.namespace(w, X, y)``. Compute log(1 + e^z) stably as
    max(z, 0) + log1p(e^(−|z|)) (e^z overflows for z > 709), and σ with
    ``minml.backend.special(z).expit``. For the Hessian, scale the rows of X by
    √(s·σ(1 − σ)) and multiply the result by its own transpose: a symmetric product,
    half the work of a general one.
    """
    xp = backend.namespace(w, X, y)
    s = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    z = X @ w
    probability = backend.special(z).expit(z)
    log1p_exp = xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z)))
    loss = s @ (log1p_exp - y * z) + 0.5 * (alpha * w * w).sum()
    grad = X.T @ (s * (probability - y)) + alpha * w
    root = xp.sqrt(s * probability * (1 - probability))
    scaled = X * root[:, None]
    hess = scaled.T @ scaled
    diagonal = xp.arange(w.shape[0])
    hess[diagonal, diagonal] += alpha
    return loss, grad, hess
# end exercise


def _row_blocks(n_samples: int, n_columns: int) -> list[slice]:
    """Slices of about _BLOCK_BYTES of rows each, covering 0..n_samples: a block of X stays in the CPU's cache."""
    rows = max(1, _BLOCK_BYTES // (8 * n_columns))
    return [slice(start, min(start + rows, n_samples)) for start in range(0, n_samples, rows)]


def _with_ones(X, fit_intercept: bool, row_width: int):
    """``(rows, X̃[rows])`` over blocks of rows of X̃ = [X | 1] (X itself without ``fit_intercept``).

    The intercept as the weight of a column of ones, as :func:`logistic_loss_grad_hess`
    takes it, without building X̃ whole (a copy of X): each block of X is copied
    into one buffer, small enough to stay in cache, whose last column holds the ones.
    The blocks are :func:`_row_blocks` for rows of ``row_width`` numbers (what the
    caller derives per row: X̃'s own, or K times that for the softmax's Hessian).
    """
    n, p = X.shape
    blocks = _row_blocks(n, row_width)
    if not fit_intercept:
        yield from ((rows, X[rows]) for rows in blocks)
        return
    buffer = backend.namespace(X).ones((blocks[0].stop, p + 1), dtype=X.dtype)
    for rows in blocks:
        block = buffer[: rows.stop - rows.start]
        block[:, :p] = X[rows]
        yield rows, block


def _scores(coef, X, fit_intercept: bool):
    """Z = X·Wᵀ + b, shape (n, K'), from ``coef`` = (W | b) of shape (K', p + 1), or W alone (K', p)."""
    Z = X @ coef[:, : X.shape[1]].T
    if fit_intercept:
        Z += coef[:, -1]
    return Z


def _loss_grad(coef, X, Y, s, alpha, fit_intercept: bool, Z=None, with_loss: bool = True):
    """``(loss, grad, Z)`` for all classes at once: coef (K', m) = (W | b), Y (n, K'), Z the scores (n, K').

    K' = 1 is the binary loss (Y the 0/1 column, P = σ(z)); K' = K ≥ 3 the
    multinomial one (Y one-hot, P the softmax). The gradient of either loss with
    respect to the scores is the same, R = s·(P − Y), so the weights' gradient is
    RᵀX + α·W in both cases and the intercepts' the column sums of R: the
    intercept never needs X's column of ones (:func:`logistic_loss_grad_hess`'s
    X̃ = [X | 1]), which would copy X. The sums run over blocks of rows, each read
    from memory once for both products. Given the scores ``Z`` at coef (Newton
    carries them along its steps; at coef = 0 they are 0), only the gradient's
    product reads X. Newton needs no loss value: ``with_loss=False`` skips it (loss None).
    """
    xp = backend.namespace(coef, X)
    p = X.shape[1]
    loss = 0.5 * (alpha * coef * coef).sum() if with_loss else None
    grad = alpha * coef
    if Z is None and not backend.to_scalar(coef.any()):
        Z = xp.zeros(Y.shape, dtype=X.dtype)
    fresh = Z is None
    if fresh:
        Z = xp.empty(Y.shape, dtype=X.dtype)
    for rows in _row_blocks(*X.shape) if fresh else [slice(None)]:
        if fresh:
            Z[rows] = _scores(coef, X[rows], fit_intercept)
        z = Z[rows]
        if coef.shape[0] == 1:
            P = backend.special(z).expit(z)
            if with_loss:
                log1p_exp = xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z)))  # log(1 + e^z), stably
                loss += s[rows] @ (log1p_exp - Y[rows] * z)[:, 0]
        else:
            log_P = log_softmax_array(xp, z, axis=1)
            P = xp.exp(log_P)
            if with_loss:
                loss += s[rows] @ -(Y[rows] * log_P).sum(axis=1)
        R = (P - Y[rows]) * s[rows, None]
        grad[:, :p] += R.T @ X[rows]
        if fit_intercept:
            grad[:, p] += R.sum(axis=0)
    return loss, grad, Z


def _softmax_hessian(X, P, s):
    """The multinomial loss's Hessian (K·m, K·m) on X̃ (n, m), the parameters ordered class by class.

    Block (k, j) is Σᵢ sᵢ·Pᵢₖ(δₖⱼ − Pᵢⱼ)·x̃ᵢx̃ᵢᵀ (for two classes, one score, it would
    be :func:`logistic_loss_grad_hess`'s X̃ᵀ diag(s·σ(1 − σ)) X̃): a block diagonal of
    X̃ᵀ diag(s·P_k) X̃ minus MᵀM, where row i of M is √sᵢ·(Pᵢ₁x̃ᵢ, ..., P_iK·x̃ᵢ).
    """
    xp = backend.namespace(X, P)
    (n, m), K = X.shape, P.shape[1]
    root = xp.sqrt(s)
    M = (X[:, None, :] * (P * root[:, None])[:, :, None]).reshape(n, K * m)
    hess = -(M.T @ M)
    for k in range(K):
        scaled = X * xp.sqrt(s * P[:, k])[:, None]
        hess[k * m : (k + 1) * m, k * m : (k + 1) * m] += scaled.T @ scaled
    return hess


def _probabilities(Z):
    """σ(Z) for one score per sample (two classes), else the softmax of each row of Z."""
    if Z.shape[1] == 1:
        return backend.special(Z).expit(Z)
    xp = backend.namespace(Z)
    return xp.exp(log_softmax_array(xp, Z, axis=1))


def _step_length(Z, D, Y, s, a: float, b: float, slope: float) -> float:
    """The length t of a step that (nearly) minimises the loss along it, the scores moving as Z + t·D.

    Along the step the loss φ(t) = Σᵢ sᵢ·ℓ(Zᵢ + t·Dᵢ, Yᵢ) + ½‖θ + t·step‖²_α is a
    convex function of one number, whose derivatives cost O(n·K') and no pass over X::

        φ'(t)  = Σᵢ sᵢ·(Pᵢ(t) − Yᵢ)·Dᵢ + a + t·b                 a = Σ α·θ·step,  b = Σ α·step²
        φ''(t) = Σᵢ sᵢ·(Pᵢ·Dᵢ² − (Pᵢ·Dᵢ)²) + b                   (Σ over the K' scores inside)

    with φ'(0) = ``slope`` < 0. Newton's method in t starts from the full step,
    t = 1, stays in the bracket where φ' changes sign (halving it, or doubling t,
    where Newton would leave it) and stops once |φ'(t)| ≤ 0.1·|φ'(0)|. Near the
    solution that is t = 1 at once; far from it, and from w = 0 where the
    curvature σ(1 − σ) is largest, the Hessian overestimates the curvature along
    the step and t > 1 saves whole Newton steps.
    """
    t, low, high = 1.0, 0.0, np.inf
    for _ in range(30):
        P = _probabilities(Z + t * D)
        derivative = backend.to_scalar((s[:, None] * (P - Y) * D).sum()) + a + t * b
        if abs(derivative) <= 0.1 * abs(slope):
            break
        if derivative < 0:
            low = t
        else:
            high = t
        PD = P * D
        curvature = backend.to_scalar(s @ ((PD * D).sum(axis=1) - PD.sum(axis=1) ** 2)) + b
        t = t - derivative / curvature if curvature > 0 else np.inf
        if not low < t < high:
            t = 2 * low if high == np.inf else (low + high) / 2
    return t


HESSIAN_ROWS_PER_PARAMETER = 100  # the subsampled Hessian keeps at least this many rows per parameter


def hessian_stride(n_samples: int, n_parameters: int) -> int:
    """k such that every k-th row (at least 100 per parameter) estimates the Hessian.

    The Hessian costs n·m² and the gradient n·m, so with n ≫ m the Hessian is
    nearly all of Newton's work. Yet it only shapes the step: any positive definite
    matrix near it gives a step that, with the exact gradient and a line search,
    still converges to the same minimum, and the stopping rule reads the exact
    gradient. A Hessian summed over n/k evenly spaced rows (and multiplied by k)
    is within about √(m/rows) of the full one, so each step still removes most of
    the error: "sub-sampled Newton" (Byrd, Chin, Neveitt & Nocedal, 2011).
    """
    return max(1, n_samples // (HESSIAN_ROWS_PER_PARAMETER * n_parameters))


def _newton(gradient, hessian, step_length, theta, scale: float, tol: float, max_iter: int):
    """Newton's method with a line search; ``(theta, n_iter, converged)``.

    ``gradient(theta, Z)`` gives (grad, Z) with theta and grad flat (m,), Z the
    scores (computed when None); ``hessian(theta, Z)`` the Hessian (m, m) there,
    computed only to take a step (the point where the solver stops costs none);
    ``step_length(theta, Z, step, slope)`` how far to go along the Newton step
    (:func:`_step_length`) and how the scores move along it, ``(t, D)``: the new
    scores are Z + t·D, so no pass over X recomputes them.
    Stops when max|grad| / scale ≤ tol. A singular Hessian (no penalty, collinear
    features) takes the least-squares step instead.
    """
    xp = backend.namespace(theta)
    Z = None
    for iteration in range(max_iter + 1):
        grad, Z = gradient(theta, Z)
        if backend.to_scalar(xp.abs(grad).max()) <= tol * scale:
            return theta, iteration, True
        if iteration == max_iter:
            break
        hess = hessian(theta, Z)
        try:
            step = -backend.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = -backend.lstsq(hess, grad, rcond=None)[0]
        slope = backend.to_scalar(grad @ step)  # the loss's derivative along the step: < 0, it decreases
        if not slope < 0:
            break  # no descent direction left: numerically at the minimum, or the problem is degenerate
        t, D = step_length(theta, Z, step, slope)
        theta, Z = theta + t * step, Z + t * D
    return theta, iteration, False


def _lbfgs(loss_grad, theta, scale: float, tol: float, max_iter: int):
    """scipy's L-BFGS-B on ``loss_grad(theta) → (loss, grad)`` (device arrays); ``(theta, n_iter, converged)``.

    The optimiser's bookkeeping runs on the host on the flat parameter vector;
    the loss and gradient are computed where X lives and only they cross over.
    The objective is divided by ``scale`` (scikit-learn's scaling), where tol reads.
    """
    from scipy.optimize import minimize

    device, shape, dtype = backend.device_of(theta), theta.shape, theta.dtype

    def objective(flat):
        loss, grad = loss_grad(backend.to_device(flat.reshape(shape).astype(dtype), device))
        return backend.to_scalar(loss) / scale, backend.asnumpy(grad).ravel().astype(np.float64) / scale

    options = {"maxiter": max_iter, "maxls": 50, "gtol": tol, "ftol": 64 * np.finfo(float).eps}
    result = minimize(objective, backend.asnumpy(theta).ravel().astype(np.float64), method="L-BFGS-B",
                      jac=True, options=options)
    theta = backend.to_device(result.x.reshape(shape).astype(dtype), device)
    return theta, int(result.nit), result.status == 0


class LogisticRegression(LinearClassifierMixin, BaseEstimator):
    """Logistic regression (binary, or multinomial for K > 2 classes) with an optional L2 penalty.

    Minimises C·Σᵢ sᵢ·(log loss)ᵢ + ½‖w‖² over the weights w and the unpenalised
    intercepts, as scikit-learn's LogisticRegression does.

    Parameters: ``penalty`` "l2" or None (no penalty; ``C=inf`` is the same);
    ``C`` > 0, the inverse strength of the penalty; ``fit_intercept``; ``solver``
    "newton" (Newton's method with a line search: fast for n ≫ p; it switches to
    lbfgs above 2,000 parameters K'·(p+1)) or "lbfgs"; ``tol``: stop when the
    largest gradient entry of the scaled objective (mean loss + penalty/(C·Σs))
    is ≤ tol; ``max_iter``; ``class_weight`` None, "balanced" or {label: weight};
    ``random_state`` (unused: both solvers are deterministic; kept for
    scikit-learn's signature); ``warm_start``: start from the previous fit's
    coefficients.

    Attributes: ``classes_``; ``coef_`` (1, n_features) for two classes, else
    (n_classes, n_features); ``intercept_`` (1,) or (n_classes,); ``n_iter_``,
    a (1,) array of iterations (on X's device); ``n_features_in_``.
    """

    _parameter_constraints = {
        "penalty": [Options({"l2"}), None],
        "C": [Interval(numbers.Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "solver": [Options({"newton", "lbfgs"})],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 0, None, closed="left")],
        "class_weight": [dict, Options({"balanced"}), None],
        "random_state": ["random_state", None],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        penalty="l2",
        *,
        C=1.0,
        fit_intercept=True,
        solver="newton",
        tol=1e-4,
        max_iter=100,
        class_weight=None,
        random_state=None,
        warm_start=False,
    ):
        self.penalty = penalty
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.class_weight = class_weight
        self.random_state = random_state
        self.warm_start = warm_start

    def fit(self, X, y, sample_weight=None):
        """Fit the weights by minimising the penalised log loss; returns self."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self, numeric_y=False)
        check_n_features(self, X, reset=True)
        xp = backend.namespace(X)
        classes, codes = encode_labels(y, like=X, estimator=self)
        s = check_sample_weight(sample_weight, X, estimator=self)
        s = class_sample_weight(self.class_weight, classes, codes, s)
        n, p = X.shape
        K = classes.shape[0]
        n_scores = 1 if K == 2 else K  # K' = 1 score for two classes

        m = p + self.fit_intercept  # the columns of coef = (W | b): the weights, then the intercept (not penalised)
        strength = 0.0 if self.penalty is None else 1.0 / self.C  # λ = 1/C; C = inf is no penalty
        alpha = xp.full(m, strength, dtype=X.dtype)
        if self.fit_intercept:
            alpha[p] = 0
        if n_scores == 1:
            Y = (codes == 1).astype(X.dtype)[:, None]
        else:
            Y = (codes[:, None] == xp.arange(K)[None, :]).astype(X.dtype)
        coef = self._initial_coef(X, n_scores, m)

        scale = backend.to_scalar(s.sum())
        solver = self.solver
        if solver == "newton" and n_scores * m > NEWTON_MAX_PARAMETERS:
            solver = "lbfgs"
        if solver == "newton":
            terms = self._newton_terms(X, Y, s, alpha)
            theta, n_iter, converged = _newton(*terms, coef.ravel(), scale, self.tol, self.max_iter)
            coef = theta.reshape(coef.shape)
        else:
            coef, n_iter, converged = _lbfgs(
                lambda c: _loss_grad(c, X, Y, s, alpha, self.fit_intercept)[:2], coef, scale, self.tol,
                self.max_iter,
            )
        if not converged:
            warnings.warn(
                f"LogisticRegression's {solver} solver did not converge in {n_iter} iterations "
                f"(max_iter={self.max_iter}, tol={self.tol}). Increase max_iter, scale the data (for example "
                "with minml.preprocessing.StandardScaler), or use a smaller C (a stronger penalty) if the classes "
                "are (nearly) separable.",
                ConvergenceWarning,
                stacklevel=2,
            )
        if n_scores > 1:  # the solution whose weights sum to zero over the classes (the others are equivalent)
            coef = coef - coef.mean(axis=0, keepdims=True)
        self.classes_ = classes
        self.coef_ = coef[:, :p]
        self.intercept_ = coef[:, p] if self.fit_intercept else xp.zeros(n_scores, dtype=X.dtype)
        self.n_iter_ = backend.to_device(np.array([n_iter]), backend.device_of(X))
        return self

    def _initial_coef(self, X, n_scores: int, n_columns: int):
        """Zeros, or with warm_start the previous fit's (coef_ | intercept_) when it fits this problem."""
        coef = backend.namespace(X).zeros((n_scores, n_columns), dtype=X.dtype)
        previous = getattr(self, "coef_", None)
        if (
            self.warm_start
            and previous is not None
            and previous.shape == (n_scores, X.shape[1])
            and backend.device_of(previous) == backend.device_of(X)
        ):
            coef[:, : X.shape[1]] = previous
            if self.fit_intercept:
                coef[:, -1] = self.intercept_
        return coef

    def _newton_terms(self, X, Y, s, alpha):
        """``(gradient, hessian, step_length)`` on the flat parameters theta = coef.ravel(), for :func:`_newton`."""
        xp = backend.namespace(X)
        K, m = Y.shape[1], alpha.shape[0]
        penalty, diagonal = xp.tile(alpha, K), xp.arange(K * m)
        fit_intercept = self.fit_intercept

        def gradient(theta, Z):
            _, grad, Z = _loss_grad(theta.reshape(K, m), X, Y, s, alpha, fit_intercept, Z, with_loss=False)
            return grad.ravel(), Z

        def step_length(theta, Z, step, slope):
            D = _scores(step.reshape(K, m), X, fit_intercept)  # how the scores move along the step
            a, b = backend.to_scalar((penalty * theta) @ step), backend.to_scalar((penalty * step) @ step)
            return _step_length(Z, D, Y, s, a, b, slope), D

        # The Hessian from every k-th row, scaled up to the whole sample's weight (see hessian_stride)
        k = hessian_stride(X.shape[0], K * m)
        if k > 1 and not backend.to_scalar(s[::k].sum()) > 0:
            k = 1  # the sampled rows carry no weight (zero sample weights): every row, then
        X_h, Y_h, s_h = X[::k], Y[::k], s[::k]
        upscale = backend.to_scalar(s.sum()) / backend.to_scalar(s_h.sum())

        if K == 1:
            y_h = Y_h[:, 0]

            def hessian(theta, Z):  # the lesson's exercise, block by block of X̃ = [X | 1]
                hess = 0
                for rows, block in _with_ones(X_h, fit_intercept, m):
                    hess += logistic_loss_grad_hess(theta, block, y_h[rows], 0.0, s_h[rows])[2]
                hess *= upscale
                hess[diagonal, diagonal] += penalty
                return hess

            return gradient, hessian, step_length

        # The softmax's loss does not change when the same vector is added to every class: its Hessian is
        # singular along those directions. Adding their projector J = (1/K)·(11ᵀ ⊗ I) (scaled like H) to H
        # makes it invertible without changing the Newton step, which never moves along them.
        shift = xp.tile(xp.eye(m, dtype=X.dtype), (K, K)) / K

        def hessian(theta, Z):
            P, hess = _probabilities(Z[::k]), 0
            for rows, block in _with_ones(X_h, fit_intercept, K * m):
                hess += _softmax_hessian(block, P[rows], s_h[rows])
            hess *= upscale
            hess[diagonal, diagonal] += penalty
            return hess + shift * hess[diagonal, diagonal].max()

        return gradient, hessian, step_length

    def predict_log_proba(self, X):
        """log P(class | x) for each class, (n_samples, n_classes), computed stably from the scores."""
        scores = self.decision_function(X)
        xp = backend.namespace(scores)
        if scores.ndim == 1:  # log σ(z) = −log(1 + e^(−z)),  log(1 − σ(z)) = −log(1 + e^z)
            return -xp.stack([xp.logaddexp(0, scores), xp.logaddexp(0, -scores)], axis=1)
        return log_softmax_array(xp, scores, axis=1)

    def predict_proba(self, X):
        """P(class | x) for each class, (n_samples, n_classes); columns in the order of classes_."""
        log_proba = self.predict_log_proba(X)
        return backend.namespace(log_proba).exp(log_proba)

