"""Normalises w onto the sphere ‖w‖ = 1/√λ every step, even when it is already inside the ball."""

from minml import backend


def pegasos_step(w, X_batch, y_batch, lam, t):
    xp = backend.namespace(w, X_batch, y_batch)
    eta = 1.0 / (lam * t)
    inside = (y_batch * (X_batch @ w)) < 1
    pull = (xp.where(inside, y_batch, 0.0)[:, None] * X_batch).sum(axis=0)
    w = (1 - eta * lam) * w + (eta / X_batch.shape[0]) * pull
    return w * (1.0 / lam**0.5) / xp.maximum(xp.sqrt(w @ w), 1e-300)
