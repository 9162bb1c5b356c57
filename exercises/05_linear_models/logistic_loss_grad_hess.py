"""Exercise 05.logistic_loss_grad_hess: Logistic loss, gradient and Hessian of the weights ``w`` on ``(X, y)``.

Generated from minml/linear/logistic.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("logistic_loss_grad_hess is not implemented yet")
