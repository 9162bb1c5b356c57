"""Successes added to β and failures to α: the posterior of the failure probability."""


def beta_binomial_posterior(alpha, beta, successes, trials):
    failures = trials - successes
    return alpha + failures.sum(axis=0), beta + successes.sum(axis=0)
