"""Computes logsumexp without subtracting the row maximum: exp(1e4) overflows."""

from minml import backend


def cross_entropy_from_logits(logits, labels):
    xp = backend.namespace(logits)
    log_p = logits - xp.log(xp.exp(logits).sum(axis=1, keepdims=True))
    return -log_p[xp.arange(logits.shape[0]), labels], log_p
