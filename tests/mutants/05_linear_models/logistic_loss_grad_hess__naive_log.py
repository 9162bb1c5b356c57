"""Computes the loss as −y·log σ(z) − (1 − y)·log(1 − σ(z)), which reaches log(0) for large scores."""

from minml import backend


def logistic_loss_grad_hess(w, X, y, alpha=0.0, sample_weight=None):
    xp = backend.namespace(w, X, y)
    s = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    z = X @ w
    probability = 1 / (1 + xp.exp(-z))
    pointwise = -y * xp.log(probability) - (1 - y) * xp.log(1 - probability)
    loss = s @ pointwise + 0.5 * (alpha * w * w).sum()
    grad = X.T @ (s * (probability - y)) + alpha * w
    root = xp.sqrt(s * probability * (1 - probability))
    scaled = X * root[:, None]
    hess = scaled.T @ scaled + xp.diag(alpha * xp.ones(w.shape[0], dtype=X.dtype))
    return loss, grad, hess
