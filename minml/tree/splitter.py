"""The best split of each node, read off its histograms: impurity criteria and the second-order gain.

A split sends a node's samples to a left and a right child. Every criterion
here scores a group of samples from its summed statistics S with a function
``score(S)`` so that the split's *gain* is ::

    gain = score(left) + score(right) - score(parent)

- Gini (classification):  score = Σ_k w_k² / W, since W·gini = W - Σ_k w_k² / W
  (w_k: weight of class k, W = Σ_k w_k);
- entropy:                score = Σ_k w_k · log2(w_k / W) = -W · entropy;
- squared error:          score = (Σ w·y)² / W, since W·variance = Σ w·y² - (Σ w·y)² / W;
- second order (boosting, XGBoost): score = G² / (H + λ), with G and H the
  sums of gradients and hessians and λ the L2 penalty on leaf values.

For the impurity criteria the gain is exactly W_t·imp(t) - W_L·imp(L) - W_R·imp(R),
the weighted impurity decrease scikit-learn reports (divided by the total
weight). For boosting it is twice XGBoost's gain: the drop in the second-order
approximation of the loss when the leaf value -G / (H + λ) is fitted on each side.

With the histograms of a node, the left child's sums for "code ≤ b" are a
cumulative sum over bins, and right = parent - left: every threshold of every
feature of every node is scored in a few array operations. Missing values sit
in their own bin; each candidate is scored twice, NaN sent left and NaN sent
right, and the better direction is learned. Where a node saw no NaN, NaN goes
to the child with more samples (as in scikit-learn).
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.tree.histogram import Channels

__all__ = ["Criterion", "Gini", "Entropy", "SquaredError", "SecondOrder", "CRITERIA", "best_splits",
           "gini_impurity", "newton_leaf_value", "sparse_best_splits"]


# exercise 08.gini_impurity
def gini_impurity(class_weights):
    """Gini impurity 1 - Σ_k p_k² of each row of class weights (counts).

    ``class_weights``: array (..., K), the (weighted) number of samples of
    each class in a node; p_k = w_k / Σ_j w_j. Returns an array (...,): 0 for a
    pure node, 1 - 1/K for a perfectly mixed one. A row of zeros has impurity 0.
    Use ``xp = backend.namespace(class_weights)``.
    """
    xp = backend.namespace(class_weights)
    total = class_weights.sum(axis=-1)
    proportions = class_weights / xp.maximum(total, 1e-300)[..., None]
    return xp.where(total > 0, 1.0 - (proportions**2).sum(axis=-1), 0.0)
# end exercise


# exercise 08.newton_leaf_value
def newton_leaf_value(gradient_sum, hessian_sum, reg_lambda):
    """The second-order (Newton) value of boosting leaves: w = -G / (H + λ).

    ``gradient_sum`` G and ``hessian_sum`` H (arrays (n_leaves,)) are the sums
    of the loss's gradients and hessians over each leaf's samples; λ ≥ 0 is the
    L2 penalty on leaf values. w minimises G·w + ½(H + λ)·w², the second-order
    Taylor approximation of the loss plus ½λw². Returns an array (n_leaves,).
    """
    return -gradient_sum / (hessian_sum + reg_lambda)
# end exercise


def _safe_divide(numerator, denominator):
    """numerator / denominator for sums over samples: 0 / 0 = 0 (an empty child; weights are never negative)."""
    return numerator / backend.namespace(denominator).maximum(denominator, 1e-300)


class Criterion:
    """How a tree scores groups of samples: its channels, score, impurity and leaf value.

    ``weighted`` says whether sample weights other than 1 are in play (then a
    separate count channel is kept, for ``min_samples_leaf``).
    """

    checks_purity = True  # a node of impurity 0 is never split
    weighted = False  # count and weight are the same channel unless weighted
    strict_gain = False  # split on gain > 0 (boosting) rather than on gain ≥ min_impurity_decrease

    def channels(self, target, weights) -> Channels:
        raise NotImplementedError

    def score(self, stats, weight=None):
        """The score of groups of samples from their sums (``weight``: their weight, when already computed)."""
        raise NotImplementedError

    def count(self, stats):
        raise NotImplementedError

    def weight(self, stats):
        return self.count(stats)

    def hessian(self, stats):
        return None

    def impurity(self, node_stats):
        raise NotImplementedError

    def value(self, node_stats):
        raise NotImplementedError


class _ClassCriterion(Criterion):
    """Classification: K class-weight channels (plus a count channel when weighted)."""

    def __init__(self, n_classes: int, weighted: bool):
        self.n_classes, self.weighted = n_classes, weighted

    def channels(self, target, weights) -> Channels:
        values = [weights, None] if self.weighted else [None]
        return Channels(values, labels=target, n_labels=self.n_classes)

    def count(self, stats):
        return stats[self.n_classes] if self.weighted else self.weight(stats)

    def weight(self, stats):
        total = stats[0].copy()
        for k in range(1, self.n_classes):
            total += stats[k]
        return total

    def value(self, node_stats):
        classes = node_stats[: self.n_classes].T
        return _safe_divide(classes, classes.sum(axis=1, keepdims=True))


class Gini(_ClassCriterion):
    def score(self, stats, weight=None):
        squares = stats[0] ** 2
        for k in range(1, self.n_classes):
            squares += stats[k] ** 2
        return _safe_divide(squares, self.weight(stats) if weight is None else weight)

    def impurity(self, node_stats):
        return gini_impurity(node_stats[: self.n_classes].T)


class Entropy(_ClassCriterion):
    def score(self, stats, weight=None):
        xp = backend.namespace(stats)
        total = self.weight(stats) if weight is None else weight
        score = 0.0
        for k in range(self.n_classes):
            ratio = _safe_divide(stats[k], total)
            score = score + stats[k] * xp.log2(xp.where(ratio > 0, ratio, 1.0))
        return score

    def impurity(self, node_stats):
        return -_safe_divide(self.score(node_stats), self.weight(node_stats))


class SquaredError(Criterion):
    """Regression by the mean: channels W, Σ w·y (and a count when weighted); Σ w·y² per node only."""

    def __init__(self, weighted: bool):
        self.weighted = weighted

    def channels(self, target, weights) -> Channels:
        if self.weighted:
            return Channels([weights, weights * target, None], extra=(weights * target**2,))
        return Channels([None, target], extra=(target**2,))

    def count(self, stats):
        return stats[2] if self.weighted else stats[0]

    def weight(self, stats):
        return stats[0]

    def score(self, stats, weight=None):
        return _safe_divide(stats[1] ** 2, stats[0])

    def impurity(self, node_stats):
        xp = backend.namespace(node_stats)
        mean = _safe_divide(node_stats[1], node_stats[0])
        return xp.maximum(_safe_divide(node_stats[-1], node_stats[0]) - mean**2, 0.0)

    def value(self, node_stats):
        return _safe_divide(node_stats[1], node_stats[0])[:, None]


class SecondOrder(Criterion):
    """Boosting: channels G (gradients), H (hessians), count; leaf value -G / (H + λ)."""

    checks_purity = False
    strict_gain = True
    weighted = True

    def __init__(self, reg_lambda: float):
        self.reg_lambda = reg_lambda

    def channels(self, target, weights) -> Channels:
        gradient, hessian = target
        return Channels([gradient, hessian, None])

    def count(self, stats):
        return stats[2]

    def weight(self, stats):
        return stats[1]

    def hessian(self, stats):
        return stats[1]

    def score(self, stats, weight=None):
        return _safe_divide(stats[0] ** 2, stats[1] + self.reg_lambda)

    def impurity(self, node_stats):
        xp = backend.namespace(node_stats)
        return xp.zeros(node_stats.shape[1], dtype=node_stats.dtype)

    def value(self, node_stats):
        return newton_leaf_value(node_stats[0], node_stats[1], self.reg_lambda)[:, None]


CRITERIA = {"gini": Gini, "entropy": Entropy, "log_loss": Entropy}


def best_splits(hist, totals, criterion: Criterion, *, min_samples_leaf=1, min_weight_leaf=0.0,
                min_child_weight=0.0, with_missing: bool = True, random_bins=None):
    """The best split of each node from its histograms.

    ``hist`` (C, S, F, B): per-channel, per-node, per-feature, per-bin sums,
    NaN in the last bin; ``totals`` (C, S): the nodes' sums. ``random_bins``
    (S, F) in [0, 1) draws one random threshold per feature between the node's
    smallest and largest bin (extremely randomised trees). Returns ``(gain,
    feature, bin, missing_left)``, each (S,): the gain (-inf where no split is
    allowed), the feature's column in ``hist``, the split "code ≤ bin" and
    where NaN goes.
    """
    xp = backend.namespace(hist)
    C, S, F, B = hist.shape
    parent = totals[:, :, None, None]
    left = xp.cumsum(hist[..., : B - 1], axis=3)  # code ≤ b, NaN excluded
    missing = hist[..., B - 1 :]  # (C, S, F, 1)
    lefts = [left, left + missing] if with_missing else [left]
    parent_score = criterion.score(totals)[:, None, None]
    gains = []
    for side in lefts:  # NaN right, then NaN left
        right = parent - side
        weights = criterion.weight(side), criterion.weight(right)
        counts = (criterion.count(side), criterion.count(right)) if criterion.weighted else weights
        gain = criterion.score(side, weights[0]) + criterion.score(right, weights[1]) - parent_score
        allowed = (counts[0] >= min_samples_leaf) & (counts[1] >= min_samples_leaf)
        if min_weight_leaf > 0:
            allowed &= (weights[0] >= min_weight_leaf) & (weights[1] >= min_weight_leaf)
        if criterion.hessian(side) is not None:
            allowed &= (criterion.hessian(side) >= min_child_weight) & (criterion.hessian(right) >= min_child_weight)
        gains.append(xp.where(allowed, gain, -xp.inf))
    if random_bins is not None:
        chosen = _random_bin_mask(hist, criterion, random_bins)
        gains = [xp.where(chosen, gain, -xp.inf) for gain in gains]
    flat = xp.concatenate([gain.reshape(S, -1) for gain in gains], axis=1)  # sides, then features, then bins
    near_best = _near_best(flat, flat.max(axis=1)[:, None], parent_score[:, 0, 0][:, None])
    best = xp.argmax(near_best, axis=1)  # the first of the near-best candidates
    best_gain = xp.take_along_axis(flat, best[:, None], axis=1)[:, 0]
    per_side = F * (B - 1)
    missing_left = best >= per_side
    feature, bin_index = (best % per_side) // (B - 1), best % (B - 1)
    node = xp.arange(S)
    n_missing = criterion.count(missing[:, node, feature, 0])
    chosen_left = criterion.count(left[:, node, feature, bin_index])
    chosen_right = criterion.count(totals) - chosen_left - n_missing
    missing_left = xp.where(n_missing > 0, missing_left, chosen_left >= chosen_right)
    filled_after = (criterion.count(hist[:, node, feature, : B - 1]) > 0) & (
        xp.arange(B - 1)[None, :] > bin_index[:, None])
    next_bin = xp.where(filled_after.any(axis=1), xp.argmax(filled_after, axis=1), B - 1)
    return best_gain, feature, bin_index, missing_left, next_bin


TIE_TOLERANCE = 1e-9


def _near_best(gain, best_gain, parent_score):
    """True where a gain is the best up to rounding: gain ≥ best − 1e-9 · (|best| + |parent score|).

    Two candidates that split a node's rows the same way (two features cutting it alike, or a
    threshold before and after an empty bin) tie exactly on the CPU, where the first one wins.
    A GPU adds the same rows in another order (atomic adds, parallel scans), so there they differ
    by a few ulps and either could win, and then the threshold sends unseen rows elsewhere.
    Taking the first of the near-best candidates makes every device pick the same split.
    """
    xp = backend.namespace(gain)
    return gain >= best_gain - TIE_TOLERANCE * (xp.abs(best_gain) + xp.abs(parent_score))


def _random_bin_mask(hist, criterion: Criterion, uniform):
    """(S, F, B - 1) True at one bin per (node, feature), drawn uniformly between its lowest and highest bins."""
    xp = backend.namespace(hist)
    B = hist.shape[3]
    filled = criterion.count(hist[..., : B - 1]) > 0
    lowest = xp.argmax(filled, axis=2)
    highest = (B - 2) - xp.argmax(filled[:, :, ::-1], axis=2)
    chosen = lowest + xp.floor(uniform * (highest - lowest)).astype(lowest.dtype)
    return xp.arange(B - 1)[None, None, :] == chosen[:, :, None]


def sparse_best_splits(codes, sample_index, slot, n_slots: int, n_bins: int, channels, totals, criterion: Criterion,
                       features=None, *, min_samples_leaf=1, min_weight_leaf=0.0, min_child_weight=0.0,
                       with_missing: bool = True):
    """:func:`best_splits` for nodes of few samples, reading only the non-empty histogram cells.

    Deep in a tree a node holds a handful of samples, and nearly all of its
    (feature, bin) cells are empty. Here the cells are the distinct keys
    (slot, feature, bin) of the samples, found by sorting; a cumulative sum
    within each (slot, feature) group gives the left sums. Same candidates,
    same tie order (NaN side, feature, bin), same result as the dense search.
    Returns ``(gain, feature, bin, missing_left, next_bin)`` like it.
    """
    from minml.tree.histogram import channel_sums

    xp = backend.namespace(codes)
    F = codes.shape[1] if features is None else features.shape[1]
    B = n_bins
    bins = codes[sample_index] if features is None else codes[sample_index[:, None], features[slot]]
    keys = ((slot[:, None] * F + xp.arange(F)[None, :]) * B + bins.astype(slot.dtype)).reshape(-1)
    cells, inverse = xp.unique(keys, return_inverse=True)  # sorted by slot, feature, bin
    U = cells.shape[0]
    sums = channel_sums(inverse.reshape(-1), U, channels, xp.repeat(sample_index, F))  # (C, U)
    group, code = cells // B, cells % B
    node, feature = group // F, group % F
    is_missing = code == B - 1
    cumulative = xp.cumsum(xp.where(is_missing[None, :], 0.0, sums), axis=1)
    starts = xp.concatenate([xp.ones(1, dtype=bool), group[1:] != group[:-1]])
    rank = xp.cumsum(starts) - 1
    start = xp.nonzero(starts)[0]
    before = xp.where(start > 0, cumulative[:, xp.maximum(start - 1, 0)], 0.0)
    left = cumulative - before[:, rank]
    missing = xp.zeros((sums.shape[0], start.shape[0]))
    missing[:, rank[is_missing]] = sums[:, is_missing]
    parent = totals[:, node]
    gains = []
    for side in ([left, left + missing[:, rank]] if with_missing else [left]):
        right = parent - side
        weights = criterion.weight(side), criterion.weight(right)
        counts = (criterion.count(side), criterion.count(right)) if criterion.weighted else weights
        gain = criterion.score(side, weights[0]) + criterion.score(right, weights[1]) - criterion.score(parent)
        allowed = ~is_missing & (counts[0] >= min_samples_leaf) & (counts[1] >= min_samples_leaf)
        if min_weight_leaf > 0:
            allowed &= (weights[0] >= min_weight_leaf) & (weights[1] >= min_weight_leaf)
        if criterion.hessian(side) is not None:
            allowed &= (criterion.hessian(side) >= min_child_weight) & (criterion.hessian(right) >= min_child_weight)
        gains.append(xp.where(allowed, gain, -xp.inf))
    gain = xp.concatenate(gains)
    owner = xp.concatenate([node] * len(gains))
    node_best = xp.full(n_slots, -xp.inf)
    backend.scatter_max(node_best, owner, gain)  # each node's best gain
    near_best = _near_best(gain, node_best[owner], criterion.score(totals)[owner])
    # the first near-best candidate of each node in input order (NaN side, then feature, bin): within a
    # node that is the smallest position side·U + cell, found as the largest of the negated positions
    negated = xp.where(near_best, -xp.arange(gain.shape[0], dtype=np.float64), -xp.inf)
    first = xp.full(n_slots, -xp.inf)
    backend.scatter_max(first, owner, negated)
    best = (-first).astype(np.int64)
    cell = best % U
    missing_left = best >= U
    following = xp.concatenate([(group[1:] == group[:-1]) & ~is_missing[1:], xp.zeros(1, dtype=bool)])
    next_code = xp.where(following, xp.concatenate([code[1:], xp.full(1, B - 1, dtype=code.dtype)]), B - 1)
    n_missing = criterion.count(missing[:, rank[cell]])
    chosen_left = criterion.count(left[:, cell])
    chosen_right = criterion.count(totals) - chosen_left - n_missing
    missing_left = xp.where(n_missing > 0, missing_left, chosen_left >= chosen_right)
    return gain[best], feature[cell], code[cell], missing_left, next_code[cell]
