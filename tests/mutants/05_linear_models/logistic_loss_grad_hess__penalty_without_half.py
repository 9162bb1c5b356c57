"""Forgets the ½ of the penalty in the loss: α‖w‖² while the gradient stays αw."""

from minml import backend


def logistic_loss_grad_hess(w, X, y, alpha=0.0, sample_weight=None):
    xp = backend.namespace(w, X, y)
    s = xp.ones(X.shape[0], dtype=X.dtype) if sample_weight is None else sample_weight
    z = X @ w
    probability = backend.special(z).expit(z)
    loss = s @ (xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z))) - y * z) + (alpha * w * w).sum()
    grad = X.T @ (s * (probability - y)) + alpha * w
    root = xp.sqrt(s * probability * (1 - probability))
    scaled = X * root[:, None]
    hess = scaled.T @ scaled + xp.diag(alpha * xp.ones(w.shape[0], dtype=X.dtype))
    return loss, grad, hess
