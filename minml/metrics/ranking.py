"""Scoring a ranking: ROC and precision-recall curves, the areas under them.

A classifier's score (a probability, a margin) ranks the samples; a threshold t turns it
into labels: predict positive where score >= t. Every distinct score is a threshold worth
trying. Sorting the scores once, in decreasing order, visits all of them: after the k
highest-scored samples, the cumulative sums of the positives and negatives among them are

    tps(t) = Σ w [score >= t and positive]      fps(t) = Σ w [score >= t and negative]

Tied scores are one threshold: a group of ties enters together, so only the last index of
each group of equal scores is kept. That is what makes ties exact: the curve moves
diagonally through a tie instead of in an order the sort happened to pick.

* ROC curve: true positive rate tps / P against false positive rate fps / N.
  The area under it (AUC, by the trapezoid rule) is the probability that a random
  positive is scored above a random negative, counting ties as one half.
* Precision-recall curve: precision tps / (tps + fps) against recall tps / P.
  Average precision AP = Σₖ (Rₖ - Rₖ₋₁) Pₖ sums it as a step function (no interpolation).

Several classes are scored one-vs-rest: class k against all others, one column of scores
each, then averaged ("macro": plain mean; "weighted": by each class's support; "micro":
all columns pooled into one binary problem).
"""

from __future__ import annotations

import functools
import itertools
import warnings

import numpy as np

from minml import backend
from minml.exceptions import UndefinedMetricWarning
from minml.metrics._targets import (
    as_array,
    check_pos_label,
    check_sample_weight,
    host_unique,
    label_indicator,
    type_of_target,
)
from minml.validation import check_consistent_length

__all__ = [
    "auc",
    "average_precision_score",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_auc_with_ties",
    "roc_curve",
]


def auc(x, y):
    """The area under the curve through the points (x, y) by the trapezoid rule.

        area = Σₖ (xₖ₊₁ - xₖ) (yₖ + yₖ₊₁) / 2

    ``x`` must be monotonic (increasing, or decreasing: then the area is still positive).
    """
    x, y = as_array(x), as_array(y)
    check_consistent_length(x, y)
    x, y = x.reshape(-1), backend.to_device(y, backend.device_of(x)).reshape(-1)
    if x.shape[0] < 2:
        raise ValueError(f"At least 2 points are needed to compute area under curve, but x.shape = {x.shape[0]}")
    dx = x[1:] - x[:-1]
    direction = 1
    if backend.to_scalar((dx < 0).any()):
        if not backend.to_scalar((dx <= 0).all()):
            raise ValueError(f"x is neither increasing nor decreasing : {backend.asnumpy(x)}.")
        direction = -1
    return float(direction * backend.to_scalar((dx * (y[1:] + y[:-1]) / 2.0).sum()))


def _column(y, name: str):
    """``y`` as a 1-D array (a single column is flattened)."""
    if y.ndim == 2 and y.shape[1] == 1:
        return y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} should be a 1d array, got an array of shape {y.shape} instead.")
    return y


def _checked_scores(y_true, y_score, pos_label=None, sample_weight=None):
    """``y_true``, ``y_score`` (1-D, finite) and ``sample_weight`` of one binary ranking problem, checked."""
    y_true, y_score, sample_weight = as_array(y_true), as_array(y_score), as_array(sample_weight)
    y_type = type_of_target(y_true, "y_true")
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
        raise ValueError(
            f"{y_type} format is not supported: pass pos_label to score one class against the rest, "
            "or use roc_auc_score(..., multi_class='ovr') for several classes."
        )
    check_consistent_length(y_true, y_score, sample_weight)
    y_true, y_score = _column(y_true, "y_true"), _column(y_score, "y_score")
    if y_score.shape[0] == 0:
        raise ValueError("Found empty input array (y_true, y_score) while a minimum of 1 sample is required.")
    xp = backend.namespace(y_score)
    if not backend.to_scalar(xp.isfinite(y_score).all()):
        raise ValueError("Input y_score contains NaN or infinity.")
    return y_true, y_score, sample_weight


def _binary_clf_curve(y_true, y_score, pos_label=None, sample_weight=None):
    """False and true positive counts at each distinct score, highest score first, and those scores.

    Returns ``(fps, tps, thresholds)`` on ``y_score``'s device; counts are float64.
    """
    y_true, y_score, sample_weight = _checked_scores(y_true, y_score, pos_label, sample_weight)
    xp = backend.namespace(y_score)
    device = backend.device_of(y_score)
    pos_label = check_pos_label(pos_label, y_true)
    positive = backend.to_device(y_true == pos_label, device).astype(np.float64)
    if sample_weight is not None:
        sample_weight = check_sample_weight(backend.to_device(sample_weight, device), y_score.shape[0])
        kept = sample_weight != 0
        positive, y_score, sample_weight = positive[kept], y_score[kept], sample_weight[kept].astype(np.float64)

    order = backend.argsort(-y_score.astype(np.float64))  # decreasing; ties are merged below
    y_score, positive = y_score[order], positive[order]
    last_of_tie = xp.ones(y_score.shape[0], dtype=bool)
    last_of_tie[:-1] = y_score[1:] != y_score[:-1]
    threshold_idxs = xp.nonzero(last_of_tie)[0]
    if sample_weight is None:
        tps = xp.cumsum(positive)[threshold_idxs]
        fps = 1 + threshold_idxs - tps
    else:
        weight = sample_weight[order]
        tps = xp.cumsum(positive * weight)[threshold_idxs]
        fps = xp.cumsum((1 - positive) * weight)[threshold_idxs]
    return fps, tps, y_score[threshold_idxs]


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """The ROC curve: false positive rate ``fpr`` and true positive rate ``tpr`` at each threshold.

        fpr(t) = fps(t) / N        tpr(t) = tps(t) / P

    ``thresholds`` decrease; the first is ``inf`` (predict nothing positive: the point (0, 0)).
    ``drop_intermediate`` drops thresholds on straight segments, which do not change the curve.
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    xp = backend.namespace(fps)
    if drop_intermediate and fps.shape[0] > 2:
        keep = xp.ones(fps.shape[0], dtype=bool)
        keep[1:-1] = (_second_difference(fps) != 0) | (_second_difference(tps) != 0)  # where the curve bends
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    start = xp.zeros(1)
    fps, tps = xp.concatenate([start, fps]), xp.concatenate([start, tps])
    thresholds = xp.concatenate([start + np.inf, thresholds.astype(np.float64)])
    fpr = _rate(fps, "No negative samples in y_true, false positive value should be meaningless")
    tpr = _rate(tps, "No positive samples in y_true, true positive value should be meaningless")
    return fpr, tpr, thresholds


def _second_difference(a):
    """``(a[k+2] - a[k+1]) - (a[k+1] - a[k])``: zero where three points are collinear (evenly spaced)."""
    step = a[1:] - a[:-1]
    return step[1:] - step[:-1]


def _rate(counts, undefined: str):
    """``counts / counts[-1]``; all NaN, with an UndefinedMetricWarning, when the total is 0."""
    if backend.to_scalar(counts[-1]) <= 0:
        warnings.warn(undefined, UndefinedMetricWarning, stacklevel=3)
        return counts * np.nan
    return counts / counts[-1]


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False):
    """Precision and recall at each threshold, by increasing threshold (so by decreasing recall).

        precision(t) = tps / (tps + fps)        recall(t) = tps / P

    A last point (recall 0, precision 1) with no threshold closes the curve.
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    xp = backend.namespace(fps)
    if drop_intermediate and fps.shape[0] > 2:
        keep = xp.ones(fps.shape[0], dtype=bool)
        keep[1:-1] = ((tps[1:-1] - tps[:-2]) != 0) | ((tps[2:] - tps[1:-1]) != 0)
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = xp.where(predicted != 0, tps / xp.where(predicted != 0, predicted, 1), 0.0)
    if backend.to_scalar(tps[-1]) == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all thresholds.", stacklevel=2)
        recall = xp.ones_like(tps)
    else:
        recall = tps / tps[-1]
    one = xp.ones(1)
    return xp.concatenate([precision[::-1], one]), xp.concatenate([recall[::-1], one * 0]), thresholds[::-1]


# --------------------------------------------------------------------------- areas, averaged over classes


# exercise 06.roc_auc_with_ties
def roc_auc_with_ties(y_true, y_score) -> float:
    """ROC AUC from midranks: how often a positive outranks a negative, ties counting ½.

    The AUC is the share of (positive, negative) pairs that the scores put in the
    right order, a tied pair counting one half:

        AUC = 1/(P·N) · Σ over positives i, negatives j of ( [sᵢ > sⱼ] + ½ [sᵢ = sⱼ] )

    with P positives and N negatives. Comparing all P·N pairs is slow (and a
    P × N array is big); ranks count them all after one sort (this is the
    Mann–Whitney U statistic):

    1. Rank the n scores from 1 (the smallest) to n. Tied scores share the mean
       of the ranks they occupy, their *midrank*: the scores 0.2, 0.5, 0.5, 0.9
       have ranks 1, 2.5, 2.5, 4.
    2. Add up the ranks of the positives: R. The rank of a positive is 1 + the
       number of scores below it (+ ½ per tied score); the positives among those
       add up to P(P + 1)/2 over all positives, so what is left counts the
       negatives below each positive, ties for one half:

        U = R − P(P + 1)/2,        AUC = U / (P·N)

    Args:
        y_true: 0/1 labels (1 = positive), shape (n,), both classes present.
        y_score: the scores, shape (n,), on y_true's device, finite; a higher
            score means "more likely positive".

    Returns:
        The AUC, a Python float in [0, 1].

    Use ``xp = backend.namespace(y_true, y_score)``, ``backend.argsort`` to sort
    the scores, a mask of where a run of equal sorted scores starts or ends,
    ``xp.nonzero`` and ``xp.cumsum``; sum in float64 and turn device values into
    Python numbers with ``backend.to_scalar``.
    """
    xp = backend.namespace(y_true, y_score)
    order = backend.argsort(y_score)
    sorted_scores, positive = y_score[order], y_true[order] == 1
    new_value = sorted_scores[1:] != sorted_scores[:-1]
    true = xp.ones(1, dtype=bool)
    run_starts = xp.nonzero(xp.concatenate([true, new_value]))[0]  # 0-based position of each run's first score
    run_stops = xp.nonzero(xp.concatenate([new_value, true]))[0] + 1  # one past each run's last score
    midranks = (run_starts + 1 + run_stops) / 2.0  # the mean of the 1-based ranks start + 1 … stop
    run_of = xp.cumsum(xp.concatenate([true, new_value])) - 1  # which run each sorted score is in
    n_positive = backend.to_scalar(positive.sum())
    n_negative = y_score.shape[0] - n_positive
    rank_sum = backend.to_scalar((midranks[run_of] * positive).sum())
    return float((rank_sum - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative))
# end exercise


def _binary_roc_auc(y_true, y_score, sample_weight=None, max_fpr=None) -> float:
    """ROC AUC of one binary problem (y_true in {0, 1}); with ``max_fpr``, McClish's standardised partial AUC."""
    if backend.namespace(y_true).unique(y_true).shape[0] != 2:
        warnings.warn(
            "Only one class is present in y_true. ROC AUC score is not defined in that case.",
            UndefinedMetricWarning,
            stacklevel=4,
        )
        return float("nan")
    if sample_weight is None and (max_fpr is None or max_fpr == 1):
        y_true, y_score, _ = _checked_scores(y_true, y_score)
        return roc_auc_with_ties(backend.to_device(y_true, backend.device_of(y_score)), y_score)
    fpr, tpr, _ = roc_curve(y_true, y_score, sample_weight=sample_weight)
    if max_fpr is None or max_fpr == 1:
        return auc(fpr, tpr)
    if max_fpr <= 0 or max_fpr > 1:
        raise ValueError(f"Expected max_fpr in range (0, 1], got: {max_fpr!r}")
    xp = backend.namespace(fpr)
    stop = backend.to_scalar(xp.searchsorted(fpr, max_fpr, side="right"))
    slope = (tpr[stop] - tpr[stop - 1]) / (fpr[stop] - fpr[stop - 1])
    tpr_at_max = slope * (max_fpr - fpr[stop - 1]) + tpr[stop - 1]  # linear interpolation
    partial_auc = auc(
        xp.concatenate([fpr[:stop], fpr[:1] * 0 + max_fpr]), xp.concatenate([tpr[:stop], tpr_at_max[None]])
    )
    min_area, max_area = 0.5 * max_fpr**2, max_fpr  # a random ranking's area, a perfect one's
    return 0.5 * (1 + (partial_auc - min_area) / (max_area - min_area))


def _average_binary_score(binary_metric, y_true, y_score, average, sample_weight=None):
    """``binary_metric`` on a binary problem, or averaged over the columns of a 0/1 indicator ``y_true``."""
    options = (None, "micro", "macro", "weighted", "samples")
    if average not in options:
        raise ValueError(f"average has to be one of {options}")
    y_type = type_of_target(y_true, "y_true")
    if y_type not in ("binary", "multilabel-indicator"):
        raise ValueError(f"{y_type} format is not supported")
    if y_type == "binary":
        return binary_metric(y_true, y_score, sample_weight=sample_weight)
    if average == "samples":
        raise ValueError("average='samples' is not supported by minml's ranking metrics; use 'micro' or 'macro'")
    check_consistent_length(y_true, y_score, sample_weight)
    if y_score.ndim != 2 or y_score.shape != y_true.shape:
        raise ValueError(f"y_score of shape {y_score.shape} does not match y_true of shape {y_true.shape}")
    device = backend.device_of(y_score)
    y_true = backend.to_device(y_true, device)
    score_weight, average_weight = sample_weight, None
    if average == "micro":
        if sample_weight is not None:
            score_weight = backend.namespace(y_score).repeat(sample_weight, y_true.shape[1])
        y_true, y_score = y_true.reshape(-1, 1), y_score.reshape(-1, 1)
    elif average == "weighted":
        weights = y_true if sample_weight is None else y_true * sample_weight[:, None]
        average_weight = backend.asnumpy(weights.sum(axis=0)).astype(np.float64)
        if np.isclose(average_weight.sum(), 0):
            return 0.0
    scores = np.array(
        [binary_metric(y_true[:, k], y_score[:, k], sample_weight=score_weight) for k in range(y_true.shape[1])]
    )
    if average is None:
        return backend.to_device(scores, device)
    if average_weight is not None:
        scores[average_weight == 0] = 0  # a class with no weight must not bring a NaN into the mean
    return float(np.average(scores, weights=average_weight))


def roc_auc_score(
    y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None, multi_class="raise", labels=None
):
    """Area under the ROC curve: the chance that a random positive outranks a random negative (ties: 1/2).

    Binary: ``y_score`` holds the positive class's scores. Several classes, from ``y_score``'s
    columns (probabilities summing to 1): ``multi_class="ovr"`` scores each class against the
    rest, ``"ovo"`` each pair of classes against each other (Hand & Till); then they are
    averaged ("macro" or "weighted").
    """
    y_true, y_score = as_array(y_true), as_array(y_score)
    device = backend.device_of(y_score)
    if sample_weight is not None:
        sample_weight = backend.to_device(as_array(sample_weight), device).reshape(-1)
    y_type = type_of_target(y_true, "y_true")
    if y_type == "multiclass" or (y_type == "binary" and y_score.ndim == 2 and y_score.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1.0:
            raise ValueError(
                "Partial AUC computation not available in multiclass setting, 'max_fpr' must be set to `None`, "
                f"received `max_fpr={max_fpr}` instead"
            )
        if multi_class == "raise":
            raise ValueError("multi_class must be in ('ovo', 'ovr'): y_true has more than two classes")
        return _multiclass_roc_auc(y_true, y_score, labels, multi_class, average, sample_weight)
    metric = functools.partial(_binary_roc_auc, max_fpr=max_fpr)
    if y_type == "binary":
        classes = host_unique(y_true)
        y_true = backend.to_device(y_true == classes[-1], device).astype(np.int64)
    return _average_binary_score(metric, y_true, y_score, average, sample_weight)


def _multiclass_roc_auc(y_true, y_score, labels, multi_class, average, sample_weight):
    if y_score.ndim != 2:
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains multiple classes. "
            f"Got `y_score.shape={y_score.shape}`."
        )
    xp = backend.namespace(y_score)
    if not backend.to_scalar(xp.allclose(y_score.sum(axis=1), 1)):
        raise ValueError(
            "Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes"
        )
    if multi_class not in ("ovo", "ovr"):
        raise ValueError(
            f"multi_class={multi_class!r} is not supported for multiclass ROC AUC, "
            "multi_class must be in ('ovo', 'ovr')"
        )
    options = ("macro", "weighted", None) + (("micro",) if multi_class == "ovr" else ())
    if average not in options:
        raise ValueError(f"average must be one of {options} for multiclass problems")
    if multi_class == "ovo" and average is None:
        raise NotImplementedError("average=None is not implemented for multi_class='ovo'.")
    if labels is not None:
        classes = np.asarray(backend.asnumpy(as_array(labels)))
        if np.unique(classes).shape[0] != classes.shape[0]:
            raise ValueError("Parameter 'labels' must be unique")
        if not np.array_equal(np.unique(classes), classes):
            raise ValueError("Parameter 'labels' must be ordered")
        if classes.shape[0] != y_score.shape[1]:
            raise ValueError(
                f"Number of given labels, {classes.shape[0]}, not equal to the number of columns in 'y_score', "
                f"{y_score.shape[1]}"
            )
        if np.setdiff1d(host_unique(y_true), classes).size:
            raise ValueError("'y_true' contains labels not in parameter 'labels'")
    else:
        classes = host_unique(y_true)
        if classes.shape[0] != y_score.shape[1]:
            raise ValueError("Number of classes in y_true not equal to the number of columns in 'y_score'")
    y_indicator = backend.to_device(label_indicator(y_true, classes), backend.device_of(y_score))
    if multi_class == "ovo":
        if sample_weight is not None:
            raise ValueError(
                "sample_weight is not supported for multiclass one-vs-one ROC AUC, 'sample_weight' must be None "
                "in this case."
            )
        return _one_vs_one_roc_auc(y_indicator, y_score, average)
    return _average_binary_score(_binary_roc_auc, y_indicator, y_score, average, sample_weight)


def _one_vs_one_roc_auc(y_indicator, y_score, average) -> float:
    """Hand & Till's multiclass AUC: for each pair of classes (a, b), on the samples of a or b only,
    the mean of AUC(a vs b by score a) and AUC(b vs a by score b); then the mean over pairs
    ("weighted": by the pair's share of the samples)."""
    present = np.flatnonzero(backend.asnumpy(y_indicator.sum(axis=0)) > 0).tolist()
    pair_scores, prevalence = [], []
    for a, b in itertools.combinations(present, 2):
        in_pair = (y_indicator[:, a] + y_indicator[:, b]) > 0
        prevalence.append(backend.to_scalar(in_pair.mean()))
        is_a, is_b = y_indicator[in_pair, a], y_indicator[in_pair, b]
        pair_scores.append(
            (_binary_roc_auc(is_a, y_score[in_pair, a]) + _binary_roc_auc(is_b, y_score[in_pair, b])) / 2
        )
    return float(np.average(pair_scores, weights=prevalence if average == "weighted" else None))


def _binary_average_precision(y_true, y_score, pos_label=1, sample_weight=None) -> float:
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    # recall decreases along the curve: -Σ (Rₖ₊₁ - Rₖ) Pₖ is the step-function area; clip a rounding -0.0
    return float(max(0.0, -backend.to_scalar(((recall[1:] - recall[:-1]) * precision[:-1]).sum())))


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision AP = Σₖ (Rₖ - Rₖ₋₁) Pₖ: precision averaged over the recall gained at each threshold.

    Several classes are scored one-vs-rest from ``y_score``'s columns and averaged.
    """
    y_true, y_score = as_array(y_true), as_array(y_score)
    device = backend.device_of(y_score)
    if sample_weight is not None:
        sample_weight = backend.to_device(as_array(sample_weight), device).reshape(-1)
    y_type = type_of_target(y_true, "y_true")
    present = host_unique(y_true)
    if y_type == "binary":
        if present.shape[0] == 2 and pos_label not in present.tolist():
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
    elif y_type in ("multiclass", "multilabel-indicator"):
        if pos_label != 1:
            raise ValueError(
                f"Parameter pos_label is fixed to 1 for {y_type} y_true. Do not set pos_label or set pos_label to 1."
            )
        if y_type == "multiclass":
            y_true = backend.to_device(label_indicator(y_true, present), device)
            if y_score.shape != y_true.shape:
                raise ValueError(
                    "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains multiple "
                    f"classes. Got `y_score.shape={y_score.shape}`."
                )
    metric = functools.partial(_binary_average_precision, pos_label=pos_label)
    return _average_binary_score(metric, y_true, y_score, average, sample_weight)
