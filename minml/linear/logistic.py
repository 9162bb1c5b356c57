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

(:func:`logistic_loss_grad_hess`). Each step costs one pass over the data
(n·p² for H) and a p×p solve, and near the solution the number of correct digits
doubles per step: 5 to 10 steps reach ``tol`` where a gradient method needs tens
or hundreds. That makes ``solver="newton"`` (iteratively reweighted least squares,
"Newton–Cholesky" in scikit-learn) the fast choice when n ≫ p. A line search
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
_BLOCK_BYTES = 1 << 21  # rows per block of the Newton pass: about 2 MB of X, which stays in cache


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


def _loss_grad(coef, X, Y, s, alpha):
    """``(loss, grad, P)`` for all classes at once; coef (K', p), Y (n, K'), P the predicted probabilities.

    K' = 1 is the binary loss (Y the 0/1 column, P = σ(z)); K' = K ≥ 3 the
    multinomial one (Y one-hot, P the softmax). The gradient of either loss with
    respect to the scores is the same, P − Y, so the weights' gradient is
    (s·(P − Y))ᵀ X + α·coef in both cases.
    """
    xp = backend.namespace(coef, X)
    Z = X @ coef.T
    if coef.shape[0] == 1:
        P = backend.special(Z).expit(Z)
        pointwise = (xp.logaddexp(0, Z) - Y * Z)[:, 0]
    else:
        log_P = log_softmax_array(xp, Z, axis=1)
        P = xp.exp(log_P)
        pointwise = -(Y * log_P).sum(axis=1)
    loss = s @ pointwise + 0.5 * (alpha * coef * coef).sum()
    grad = ((P - Y) * s[:, None]).T @ X + alpha * coef
    return loss, grad, P


def _softmax_hessian(X, P, s):
    """The multinomial loss's Hessian, (K·p, K·p), parameters ordered class by class.

    Block (k, j) is Σᵢ sᵢ·Pᵢₖ(δₖⱼ − Pᵢⱼ)·xᵢxᵢᵀ: a block diagonal of
    Xᵀdiag(s·P_k)X minus MᵀM, where row i of M is √sᵢ·(Pᵢ₁xᵢ, ..., P_iK·xᵢ).
    """
    xp = backend.namespace(X, P)
    (n, p), K = X.shape, P.shape[1]
    root = xp.sqrt(s)
    M = (X[:, None, :] * (P * root[:, None])[:, :, None]).reshape(n, K * p)
    hess = -(M.T @ M)
    for k in range(K):
        scaled = X * xp.sqrt(s * P[:, k])[:, None]
        hess[k * p : (k + 1) * p, k * p : (k + 1) * p] += scaled.T @ scaled
    return hess


def _row_blocks(n_samples: int, n_columns: int) -> list[slice]:
    """Slices of about _BLOCK_BYTES of rows each, covering 0..n_samples."""
    rows = max(1, _BLOCK_BYTES // (8 * n_columns))
    return [slice(start, start + rows) for start in range(0, n_samples, rows)]


def _blockwise(evaluate, n_samples: int, n_columns: int):
    """Σ over blocks of rows of ``evaluate(rows, first)`` → (loss, grad, hess), summed in place."""
    total = None
    for rows in _row_blocks(n_samples, n_columns):
        part = evaluate(rows, total is None)
        if total is None:
            total = list(part)
        else:
            for i, value in enumerate(part):
                total[i] += value
    return total


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


def _newton(evaluate, step_length, theta, scale: float, tol: float, max_iter: int):
    """Newton's method with a line search; ``(theta, n_iter, converged)``.

    ``evaluate(theta)`` gives (loss, grad, hess) with theta and grad flat (m,)
    and hess (m, m); ``step_length(theta, step, slope)`` how far to go along the
    Newton step (:func:`_step_length`). Stops when max|grad| / scale ≤ tol. A
    singular Hessian (no penalty, collinear features) takes the least-squares
    step instead.
    """
    xp = backend.namespace(theta)
    for iteration in range(max_iter + 1):
        _, grad, hess = evaluate(theta)
        if backend.to_scalar(xp.abs(grad).max()) <= tol * scale:
            return theta, iteration, True
        if iteration == max_iter:
            break
        try:
            step = -backend.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = -backend.lstsq(hess, grad, rcond=None)[0]
        slope = backend.to_scalar(grad @ step)  # the loss's derivative along the step: < 0, it decreases
        if not slope < 0:
            break  # no descent direction left: numerically at the minimum, or the problem is degenerate
        theta = theta + step_length(theta, step, slope) * step
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

        if self.fit_intercept:  # the intercept as the weight of a column of ones, with no penalty
            X1 = xp.empty((n, p + 1), dtype=X.dtype)
            X1[:, :p] = X
            X1[:, p] = 1
        else:
            X1 = X
        strength = 0.0 if self.penalty is None else 1.0 / self.C  # λ = 1/C; C = inf is no penalty
        alpha = xp.full(X1.shape[1], strength, dtype=X.dtype)
        if self.fit_intercept:
            alpha[p] = 0
        if n_scores == 1:
            Y = (codes == 1).astype(X.dtype)[:, None]
        else:
            Y = (codes[:, None] == xp.arange(K)[None, :]).astype(X.dtype)
        coef = self._initial_coef(X, n_scores, X1.shape[1])

        scale = backend.to_scalar(s.sum())
        solver = self.solver
        if solver == "newton" and n_scores * X1.shape[1] > NEWTON_MAX_PARAMETERS:
            solver = "lbfgs"
        if solver == "newton":
            evaluate = self._newton_evaluation(X1, Y, s, alpha)

            def step_length(theta, step, slope):
                both = xp.concatenate([theta, step]).reshape(2 * n_scores, -1).T
                ZD = xp.empty((n, 2 * n_scores), dtype=X.dtype)  # the scores Z and their change D along the step
                for rows in _row_blocks(n, X1.shape[1]):
                    ZD[rows] = X1[rows] @ both
                a, b = backend.to_scalar((alpha_all * theta) @ step), backend.to_scalar((alpha_all * step) @ step)
                return _step_length(ZD[:, :n_scores], ZD[:, n_scores:], Y, s, a, b, slope)

            alpha_all = xp.tile(alpha, n_scores)
            theta, n_iter, converged = _newton(evaluate, step_length, coef.ravel(), scale, self.tol, self.max_iter)
            coef = theta.reshape(coef.shape)
        else:
            coef, n_iter, converged = _lbfgs(
                lambda c: _loss_grad(c, X1, Y, s, alpha)[:2], coef, scale, self.tol, self.max_iter
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

    @staticmethod
    def _newton_evaluation(X, Y, s, alpha):
        """``evaluate(theta) → (loss, grad, hess)`` over blocks of rows, the penalty added once."""
        xp = backend.namespace(X)
        n, m = X.shape
        K = Y.shape[1]
        if K == 1:
            y = Y[:, 0]

            def evaluate(theta):
                return _blockwise(
                    lambda rows, first: logistic_loss_grad_hess(theta, X[rows], y[rows], alpha if first else 0.0,
                                                                s[rows]),
                    n,
                    m,
                )

            return evaluate

        # The softmax's loss does not change when the same vector is added to every class: its Hessian is
        # singular along those directions. Adding their projector J = (1/K)·(11ᵀ ⊗ I) (scaled like H) to H
        # makes it invertible without changing the Newton step, which never moves along them.
        shift = xp.tile(xp.eye(m, dtype=X.dtype), (K, K)) / K
        penalty = xp.tile(alpha, K)
        diagonal = xp.arange(K * m)

        def evaluate(theta):
            coef = theta.reshape(K, m)

            def block(rows, first):
                loss, grad, P = _loss_grad(coef, X[rows], Y[rows], s[rows], alpha if first else 0.0)
                return loss, grad.ravel(), _softmax_hessian(X[rows], P, s[rows])

            loss, grad, hess = _blockwise(block, n, K * m)
            hess[diagonal, diagonal] += penalty
            hess += shift * hess[diagonal, diagonal].max()
            return loss, grad, hess

        return evaluate

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

