"""The failures as trials − Σk: with one number of trials for m observations that counts n once instead of m times."""


def beta_binomial_posterior(alpha, beta, successes, trials):
    return alpha + successes.sum(axis=0), beta + trials - successes.sum(axis=0)
