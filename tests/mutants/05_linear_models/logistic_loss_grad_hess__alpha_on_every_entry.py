"""Adds α to every entry of the Hessian (hess + alpha) instead of to its diagonal."""

from minml import backend


def logistic_loss_grad_hess(w, X, y, alpha=0.0, sample_weight=None):
    xp = backend.namespace(w, X, y)
    s = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    z = X @ w
    probability = backend.special(z).expit(z)
    loss = s @ (xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z))) - y * z) + 0.5 * (alpha * w * w).sum()
    grad = X.T @ (s * (probability - y)) + alpha * w
    root = xp.sqrt(s * probability * (1 - probability))
    scaled = X * root[:, None]
    return loss, grad, scaled.T @ scaled + alpha
