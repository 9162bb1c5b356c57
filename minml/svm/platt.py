"""Probabilities from SVM scores: Platt scaling, and pairwise coupling for more than two classes.

An SVM's decision value f(x) says which side of the margin x lies on, and how far,
but it is not a probability. Platt (2000) fits a sigmoid to it,

    P(y = +1 | f) = 1 / (1 + exp(A f + B)),

by maximum likelihood on decision values the model did not train on (libsvm takes
them from an internal 5-fold cross-validation, since on its own training set an
SVM is overconfident), with the targets smoothed to (N₊ + 1)/(N₊ + 2) and
1/(N₋ + 2) against overfitting. :func:`fit_sigmoid` is libsvm's robust Newton
method for it (Lin, Lin and Weng, 2007).

With K classes, one-vs-one gives a probability rᵢⱼ ≈ P(i | i or j, x) per pair.
:func:`couple_pairwise` finds the class probabilities p that agree best with all
of them (Wu, Lin and Weng, 2004, their method 2, as in libsvm): minimise
Σᵢ Σⱼ≠ᵢ (rⱼᵢ pᵢ - rᵢⱼ pⱼ)² subject to Σ p = 1, by a fixed-point iteration run
for all samples at once.
"""

from __future__ import annotations

import numpy as np

from minml import backend

__all__ = ["couple_pairwise", "fit_sigmoid", "sigmoid_probability"]

MIN_PROBABILITY = 1e-7  # libsvm clips pairwise probabilities to [1e-7, 1 - 1e-7]


def _sigmoid_loss(decision, targets, A, B):
    """Cross-entropy of targets t against 1 / (1 + exp(A f + B)), summed, written without overflow."""
    z = decision * A + B
    return float(np.sum(np.where(z >= 0, targets * z + np.log1p(np.exp(-np.abs(z))),
                                 (targets - 1) * z + np.log1p(np.exp(-np.abs(z))))))


def fit_sigmoid(decision, labels) -> tuple[float, float]:
    """Platt's (A, B) for decision values (host float array) and labels (+1 / -1): libsvm's sigmoid_train.

    Newton's method on the two parameters, with a backtracking line search.
    """
    positive = labels > 0
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    targets = np.where(positive, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    A, B = 0.0, float(np.log((n_neg + 1.0) / (n_pos + 1.0)))
    loss = _sigmoid_loss(decision, targets, A, B)
    for _ in range(100):
        z = decision * A + B
        p = np.where(z >= 0, np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))), 1 / (1 + np.exp(-np.abs(z))))
        d2 = p * (1 - p)
        h11, h22, h21 = 1e-12 + np.sum(decision**2 * d2), 1e-12 + np.sum(d2), np.sum(decision * d2)
        d1 = targets - p
        g1, g2 = np.sum(decision * d1), np.sum(d1)
        if abs(g1) < 1e-5 and abs(g2) < 1e-5:
            break
        det = h11 * h22 - h21 * h21
        dA, dB = -(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det
        slope = g1 * dA + g2 * dB
        step = 1.0
        while step >= 1e-10:
            new_loss = _sigmoid_loss(decision, targets, A + step * dA, B + step * dB)
            if new_loss < loss + 1e-4 * step * slope:
                A, B, loss = A + step * dA, B + step * dB, new_loss
                break
            step /= 2
        else:
            break  # the line search failed: keep the last (A, B)
    return float(A), float(B)


def sigmoid_probability(decision, A, B):
    """1 / (1 + exp(A f + B)) clipped to [1e-7, 1 - 1e-7], elementwise on any device (A, B broadcast)."""
    xp = backend.namespace(decision)
    z = decision * A + B
    e = xp.exp(-xp.abs(z))
    probability = xp.where(z >= 0, e / (1 + e), 1 / (1 + e))
    return xp.clip(probability, MIN_PROBABILITY, 1 - MIN_PROBABILITY)


def couple_pairwise(pairwise, n_classes: int):
    """Class probabilities (n, K) from one-vs-one ones: ``pairwise[:, k]`` = P(i | i or j) for the k-th pair i < j.

    libsvm's multiclass_probability, vectorised over samples: each sample stops
    updating once its own error is below 0.005 / K.
    """
    xp = backend.namespace(pairwise)
    n = pairwise.shape[0]
    r = xp.zeros((n, n_classes, n_classes), dtype=pairwise.dtype)  # r[:, i, j] = P(i | i or j)
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            r[:, i, j] = pairwise[:, k]
            r[:, j, i] = 1 - pairwise[:, k]
            k += 1
    Q = -r.transpose(0, 2, 1) * r  # Q[t, j] = -r[j, t] r[t, j] off the diagonal
    diagonal = (r.transpose(0, 2, 1) ** 2).sum(axis=2)  # Q[t, t] = Σ_j r[j, t]²
    idx = xp.arange(n_classes)
    Q[:, idx, idx] = diagonal
    p = xp.full((n, n_classes), 1.0 / n_classes, dtype=pairwise.dtype)
    for _ in range(max(100, n_classes)):
        Qp = (Q @ p[:, :, None])[:, :, 0]
        pQp = (p * Qp).sum(axis=1)
        active = xp.abs(Qp - pQp[:, None]).max(axis=1) >= 0.005 / n_classes
        if not backend.to_scalar(active.any()):
            break
        for t in range(n_classes):
            diff = xp.where(active, (-Qp[:, t] + pQp) / Q[:, t, t], 0.0)
            p[:, t] += diff
            pQp = (pQp + diff * (diff * Q[:, t, t] + 2 * Qp[:, t])) / (1 + diff) ** 2
            Qp = (Qp + diff[:, None] * Q[:, t, :]) / (1 + diff)[:, None]
            p = p / (1 + diff)[:, None]
    return p
