"""Uses the step size η = 1/(λ(t + 1)), as if t counted from 0."""

from minml import backend


def pegasos_step(w, X_batch, y_batch, lam, t):
    xp = backend.namespace(w, X_batch, y_batch)
    eta = 1.0 / (lam * (t + 1))
    inside = (y_batch * (X_batch @ w)) < 1
    pull = (xp.where(inside, y_batch, 0.0)[:, None] * X_batch).sum(axis=0)
    w = (1 - eta * lam) * w + (eta / X_batch.shape[0]) * pull
    norm = xp.sqrt(w @ w)
    return w * xp.minimum(1.0, (1.0 / lam**0.5) / xp.maximum(norm, 1e-300))
