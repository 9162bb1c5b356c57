"""The permutation test of a model's score: could a score this good come from chance alone?

Shuffle y, breaking any link between X and y, and cross-validate again. Do it
many times: the scores on shuffled labels show what the model scores when
there is nothing to learn (the null distribution). If the real score is
better than nearly all of them, the model found a real dependence.

The p-value counts the permuted scores at least as good as the real one,
with the real one counted among them (so p is never 0, and is exact for a
finite number of permutations)::

    p = (C + 1) / (n_permutations + 1),  C = #{permuted score ≥ real score}

Ojala & Garriga (2010), "Permutation tests for studying classifier
performance", JMLR 11.
"""

from __future__ import annotations

import numpy as np

from minml.base import is_classifier
from minml.model_selection.cross_validation import cross_val_score, run_parallel
from minml.model_selection.split import check_cv, host_generator, host_labels, num_samples, take_rows

__all__ = ["permutation_test_score"]


def _shuffled_within_groups(y, groups, generator: np.random.Generator):
    """``y`` with its rows permuted at random, only among rows of the same group when ``groups`` is given."""
    n_samples = num_samples(y)
    if groups is None:
        order = generator.permutation(n_samples)
    else:
        group_labels = host_labels(groups)
        order = np.arange(n_samples)
        for group in np.unique(group_labels):
            members = np.flatnonzero(group_labels == group)
            order[members] = generator.permutation(members)
    return take_rows(y, order)


def permutation_test_score(
    estimator,
    X,
    y,
    *,
    groups=None,
    cv=None,
    n_permutations=100,
    n_jobs=None,
    random_state=0,
    verbose=0,
    scoring=None,
    params=None,
):
    """``(score, permutation_scores, pvalue)``: the cross-validated score, its null distribution, the p-value.

    ``score`` is the mean cross-validated score on the real labels;
    ``permutation_scores`` (shape (n_permutations,)) the same with y shuffled
    (within each group when ``groups`` is given); ``pvalue`` = (C + 1) /
    (n_permutations + 1), C the number of permuted scores ≥ ``score``.
    """
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    generator = host_generator(random_state)

    def mean_score(labels) -> float:
        return float(np.mean(cross_val_score(estimator, X, labels, groups=groups, cv=splitter, scoring=scoring,
                                             params=params)))

    score = mean_score(y)
    shuffled_targets = [(_shuffled_within_groups(y, groups, generator),) for _ in range(n_permutations)]
    permutation_scores = np.array(run_parallel(mean_score, shuffled_targets, n_jobs=n_jobs, verbose=verbose))
    pvalue = (np.count_nonzero(permutation_scores >= score) + 1.0) / (n_permutations + 1)
    return score, permutation_scores, float(pvalue)
