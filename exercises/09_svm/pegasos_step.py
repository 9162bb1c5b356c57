"""Exercise 09.pegasos_step: One Pegasos step: the new w (d,) from a batch X_batch (b, d) with ±1 labels y_batch (b,).

Generated from minml/svm/pegasos.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("pegasos_step is not implemented yet")
