"""Leaves the weights σ(1 − σ) out of the Hessian: Xᵀ diag(s) X + diag(α)."""

from minml import backend


def logistic_loss_grad_hess(w, X, y, alpha=0.0, sample_weight=None):
    xp = backend.namespace(w, X, y)
    s = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    z = X @ w
    probability = backend.special(z).expit(z)
    loss = s @ (xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z))) - y * z) + 0.5 * (alpha * w * w).sum()
    grad = X.T @ (s * (probability - y)) + alpha * w
    hess = (X * s[:, None]).T @ X + xp.diag(alpha * xp.ones(w.shape[0], dtype=X.dtype))
    return loss, grad, hess
