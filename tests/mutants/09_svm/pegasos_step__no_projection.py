"""Forgets the projection onto the ball of radius 1/√λ."""

from minml import backend


def pegasos_step(w, X_batch, y_batch, lam, t):
    xp = backend.namespace(w, X_batch, y_batch)
    eta = 1.0 / (lam * t)
    inside = (y_batch * (X_batch @ w)) < 1
    pull = (xp.where(inside, y_batch, 0.0)[:, None] * X_batch).sum(axis=0)
    return (1 - eta * lam) * w + (eta / X_batch.shape[0]) * pull
