"""Pegasos: a linear SVM by stochastic sub-gradient descent (Shalev-Shwartz, Singer and Srebro, 2007).

The primal soft-margin SVM, with λ = 1 / (C n),

    minimise  f(w) = λ/2 ‖w‖² + (1/n) Σᵢ max(0, 1 - yᵢ wᵀxᵢ)

is convex but not differentiable at the hinge. Pegasos takes sub-gradient steps on
mini-batches with the step size ηₜ = 1 / (λ t), which needs no tuning:

    w ← (1 - ηₜ λ) w + (ηₜ / |B|) Σ_{i ∈ B, yᵢ wᵀxᵢ < 1} yᵢ xᵢ

(only the samples inside the margin contribute), optionally followed by a
projection onto the ball ‖w‖ ≤ 1/√λ where the optimum must lie. After T steps
it is within Õ(1 / (λ T)) of the optimum — independent of n, which is why it
suited large data before dual coordinate descent.
"""

from __future__ import annotations

from minml import backend

__all__ = ["pegasos", "pegasos_step"]


# exercise 09.pegasos_step
def pegasos_step(w, X_batch, y_batch, lam, t):
    """One Pegasos step: the new w (d,) from a batch X_batch (b, d) with ±1 labels y_batch (b,).

    With step size η = 1 / (λ t) (t counts steps from 1, λ is ``lam``), the samples
    still inside the margin (yᵢ wᵀxᵢ < 1, measured with the old w) pull w towards
    them and the regulariser shrinks it:

        w ← (1 - η λ) w + (η / b) Σ_{i: yᵢ wᵀxᵢ < 1} yᵢ xᵢ

    Then project onto the ball of radius 1/√λ, where the optimum lies: multiply w by
    min(1, (1/√λ) / ‖w‖) (a w already inside the ball stays as it is). Return the new
    w, shape (d,), on w's device, leaving the argument unchanged. Vectorised (a mask,
    not a loop), with ``xp = minml.backend.namespace(w, X_batch)``.
    """
    xp = backend.namespace(w, X_batch, y_batch)
    eta = 1.0 / (lam * t)
    inside = (y_batch * (X_batch @ w)) < 1
    pull = (xp.where(inside, y_batch, 0.0)[:, None] * X_batch).sum(axis=0)
    w = (1 - eta * lam) * w + (eta / X_batch.shape[0]) * pull
    norm = xp.sqrt(w @ w)
    return w * xp.minimum(1.0, (1.0 / lam**0.5) / xp.maximum(norm, 1e-300))
# end exercise


def pegasos(X, y, *, lam=1e-2, n_iter=1000, batch_size=32, random_state=None):
    """Weights w (d,) of a linear SVM (no intercept) by ``n_iter`` Pegasos steps on random mini-batches.

    ``y`` holds ±1 labels; add a constant column to X for an (also regularised)
    intercept. Batches are drawn with replacement by ``backend.rng(random_state)``.
    """
    xp = backend.namespace(X, y)
    rng = backend.rng(random_state, backend.device_of(X))
    w = xp.zeros(X.shape[1], dtype=X.dtype)
    for t in range(1, n_iter + 1):
        batch = rng.integers(0, X.shape[0], size=batch_size)
        w = pegasos_step(w, X[batch], y[batch], lam, t)
    return w
