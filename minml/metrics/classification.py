"""Scoring predicted class labels: accuracy, the confusion matrix, precision, recall and F-scores.

Everything here is counting. For each label, a prediction is a true positive (predicted
the label, and it was right), a false positive (predicted it, wrongly) or a false
negative (missed it). The confusion matrix holds all of these counts at once:

    C[i, j] = Σ weight of the samples whose true label is i and predicted label is j

Row i sums to how often label i is true (its *support*), column j to how often j is
predicted, and the diagonal holds the true positives. From those three vectors:

    precision = tp / predicted        "when it says k, how often is it k?"
    recall    = tp / true             "of the real k, how many did it find?"
    F_β       = (1 + β²) tp / ((1 + β²) tp + β² fn + fp)
              = (1 + β²) tp / (β² true + predicted)     (β > 1 favours recall)

One ``bincount`` of the paired codes ``true * (n + 1) + predicted`` builds the whole
matrix with no loop over samples; the extra code n collects labels left out by ``labels``.

Per-label scores become one number by an ``average``: "micro" pools the counts of all
labels first (for single-label problems this is the accuracy), "macro" is the plain mean
of the per-label scores (every label counts equally, however rare), "weighted" weights
each label by its support, "samples" (multilabel only) scores each sample's set of labels,
and "binary" reports only ``pos_label``. A ratio with a zero denominator (a label never
predicted has no precision) is set to ``zero_division`` and, by default, warns.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from minml import backend
from minml.exceptions import UndefinedMetricWarning
from minml.metrics._targets import as_array, average, check_targets, encode

__all__ = [
    "accuracy_score",
    "balanced_accuracy_score",
    "confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "f1_score",
    "fbeta_score",
    "classification_report",
]

_AVERAGES = (None, "micro", "macro", "weighted", "samples")


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """The fraction (or, with ``normalize=False``, the weighted count) of correct predictions.

        accuracy = Σ wᵢ [ŷᵢ = yᵢ] / Σ wᵢ

    For multilabel targets a sample counts as correct only if its whole row of labels is.
    """
    y_type, _, y_true, y_pred, sample_weight = check_targets(y_true, y_pred, sample_weight)
    correct = y_true == y_pred
    if y_type == "multilabel-indicator":
        correct = correct.all(axis=1)
    return float(backend.to_scalar(average(correct, sample_weight, normalize)))


def _labels_on_device(labels, like):
    """User-given ``labels`` as an array where ``like`` lives (host for text labels)."""
    labels = as_array(labels)
    return labels if labels.dtype.kind in "OUS" else backend.to_device(labels, backend.device_of(like))


def _pair_counts(y_true, y_pred, labels, sample_weight):
    """The (n + 1) x (n + 1) confusion matrix over ``labels`` plus one "any other label" code n.

    Integer counts without weights, float64 sums of the weights with them.
    """
    n = labels.shape[0]
    pairs = encode(y_true, labels) * (n + 1) + encode(y_pred, labels)
    weights = None if sample_weight is None else sample_weight.astype(np.float64)
    counts = backend.bincount(pairs, weights=weights, minlength=(n + 1) ** 2).reshape(n + 1, n + 1)
    return counts.astype(np.int64) if sample_weight is None else counts


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """The matrix ``C[i, j]`` = number (or weight) of samples of true label i predicted as j.

    Rows and columns follow ``labels`` (default: the sorted labels present); samples whose
    true or predicted label is not in ``labels`` are left out. ``normalize`` divides by the
    row sums ("true": each row is a recall profile), the column sums ("pred") or the total ("all").
    """
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"normalize must be one of {{'true', 'pred', 'all', None}}; got {normalize!r}")
    y_type, present, y_true, y_pred, sample_weight = check_targets(y_true, y_pred, sample_weight)
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"{y_type} is not supported")
    if labels is None:
        labels = present
    else:
        labels = _labels_on_device(labels, y_pred)
        if labels.size == 0:
            raise ValueError("'labels' should contain at least one label.")
        if not backend.to_scalar((encode(y_true, labels) < labels.shape[0]).any()):
            raise ValueError("At least one label specified must be in y_true")
    n = labels.shape[0]
    C = _pair_counts(y_true, y_pred, labels, sample_weight)[:n, :n]
    if sample_weight is not None and sample_weight.dtype.kind in "biu":
        C = C.astype(np.int64)  # integer weights count like repeated samples
    if normalize is not None:
        xp = backend.namespace(C)
        totals = {"true": C.sum(axis=1, keepdims=True), "pred": C.sum(axis=0, keepdims=True), "all": C.sum()}
        denominator = totals[normalize].astype(np.float64)
        C = C / xp.where(denominator == 0, 1.0, denominator)  # an empty row or column stays 0
    if C.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to have the "
            "correct shape, use the 'labels' parameter to pass all known labels.",
            UserWarning,
            stacklevel=2,
        )
    return C


def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None, adjusted=False):
    """The mean recall over the classes present in ``y_true``: accuracy that is fair to rare classes.

        balanced accuracy = (1/K) Σₖ C[k, k] / Σⱼ C[k, j]

    With ``adjusted=True`` it is rescaled so that chance (1/K) scores 0 and perfect scores 1.
    """
    C = confusion_matrix(y_true, y_pred, sample_weight=sample_weight)
    xp = backend.namespace(C)
    support = C.sum(axis=1)
    present = support > 0
    if not backend.to_scalar(present.all()):
        warnings.warn("y_pred contains classes not in y_true", UserWarning, stacklevel=2)
    per_class = xp.diagonal(C)[present] / support[present]
    score = np.float64(backend.to_scalar(per_class.astype(np.float64).mean()))
    if adjusted:  # with a single class, chance is 1: NumPy's 0/0 gives NaN (with a warning), as in scikit-learn
        chance = 1 / per_class.shape[0]
        score = (score - chance) / np.float64(1 - chance)
    return float(score)


# --------------------------------------------------------------------------- precision, recall, F


def _zero_division_value(zero_division) -> float:
    """The number a 0/0 becomes: 0 for "warn", else the given 0, 1 or nan."""
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, numbers.Real) and (zero_division in (0, 1) or math.isnan(zero_division)):
        return float(zero_division)
    raise ValueError(f"zero_division must be 'warn', 0.0, 1.0 or np.nan; got {zero_division!r}")


def _warn_prf(average, modifier, what, result_size):
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    where = "due to" if result_size == 1 else f"in {axis1}s with"
    warnings.warn(
        f"{what} ill-defined and being set to 0.0 {where} no {modifier} {axis0}s. "
        "Use `zero_division` parameter to control this behavior.",
        UndefinedMetricWarning,
        stacklevel=4,
    )


def _prf_divide(numerator, denominator, metric, modifier, average, warn_for, zero_division):
    """numerator / denominator in float64, with ``zero_division``'s value (and a warning) where it is 0/0."""
    xp = backend.namespace(numerator, denominator)
    zero = denominator == 0
    result = numerator.astype(np.float64) / xp.where(zero, 1, denominator)
    if not backend.to_scalar(zero.any()):
        return result
    result = xp.where(zero, _zero_division_value(zero_division), result)
    if isinstance(zero_division, str) and metric in warn_for:
        _warn_prf(average, modifier, f"{metric.capitalize()} is", result.shape[0])
    return result


def _set_wise_labels(y_type, present, average, labels, pos_label, like):
    """The labels to score: ``[pos_label]`` for average="binary" (checked), else ``labels`` or all present."""
    if average not in _AVERAGES and average != "binary":
        raise ValueError(f"average has to be one of {_AVERAGES}")
    if average == "binary":
        if y_type != "binary":
            options = [a for a in _AVERAGES if a != "samples" or y_type == "multilabel-indicator"]
            raise ValueError(
                f"Target is {y_type} but average='binary'. Please choose another average setting, one of {options!r}."
            )
        host_present = backend.asnumpy(present)
        if pos_label not in host_present.tolist() and len(host_present) >= 2:
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {host_present}")
        labels = [pos_label]
    elif pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' (got {average!r}). "
            "You may use labels=[pos_label] to specify a single positive class.",
            UserWarning,
            stacklevel=3,
        )
    if average == "samples" and y_type != "multilabel-indicator":
        raise ValueError("Samplewise metrics are not available outside of multilabel classification.")
    return present if labels is None else _labels_on_device(labels, like)


def _label_counts(y_type, y_true, y_pred, labels, sample_weight, samplewise):
    """Per label (or, ``samplewise``, per sample): true positives, predicted and true counts."""
    if y_type != "multilabel-indicator":
        n = labels.shape[0]
        C = _pair_counts(y_true, y_pred, labels, sample_weight)
        xp = backend.namespace(C)
        return xp.diagonal(C)[:n], C.sum(axis=0)[:n], C.sum(axis=1)[:n]
    host_labels = backend.asnumpy(labels)
    if host_labels.size and (host_labels.max() >= y_true.shape[1] or host_labels.min() < 0):
        raise ValueError(
            f"All labels must be in [0, n labels) for multilabel targets; got {host_labels.tolist()} "
            f"with {y_true.shape[1]} labels"
        )
    y_true, y_pred = y_true[:, labels] != 0, y_pred[:, labels] != 0
    axis = 1 if samplewise else 0

    def count(indicator):
        if sample_weight is None:
            return indicator.astype(np.int64).sum(axis=axis)
        return (indicator * sample_weight.astype(np.float64)[:, None]).sum(axis=axis)

    return count(y_true & y_pred), count(y_pred), count(y_true)


def _nanaverage(values, weights=None) -> float:
    """The (weighted) mean of the non-NaN ``values``; NaN if there are none. Zero total weight: plain mean."""
    xp = backend.namespace(values)
    keep = ~xp.isnan(values)
    if values.shape[0] == 0 or not backend.to_scalar(keep.any()):
        return math.nan
    values = values[keep]
    if weights is not None:
        weights = weights[keep].astype(np.float64)
        total = backend.to_scalar(weights.sum())
        if total != 0:
            return float(backend.to_scalar((values * weights).sum()) / total)
    return float(backend.to_scalar(values.mean()))


def precision_recall_fscore_support(
    y_true,
    y_pred,
    *,
    beta=1.0,
    labels=None,
    pos_label=1,
    average=None,
    warn_for=("precision", "recall", "f-score"),
    sample_weight=None,
    zero_division="warn",
):
    """Precision, recall, F-beta and support (the number of true samples) for each label, or averaged.

        precision = tp / (tp + fp)    recall = tp / (tp + fn)
        F_β = (1 + β²) tp / ((1 + β²) tp + β² fn + fp)

    With ``average=None`` returns four arrays (one entry per label); otherwise three
    Python floats and ``None`` for the support.
    """
    _zero_division_value(zero_division)
    if beta < 0:
        raise ValueError("beta should be >=0 in the F-beta score")
    y_type, present, y_true, y_pred, sample_weight = check_targets(y_true, y_pred, sample_weight)
    labels = _set_wise_labels(y_type, present, average, labels, pos_label, y_pred)
    samplewise = average == "samples"
    tp_sum, pred_sum, true_sum = _label_counts(y_type, y_true, y_pred, labels, sample_weight, samplewise)
    if average == "micro":
        tp_sum, pred_sum, true_sum = (s.sum(keepdims=True) for s in (tp_sum, pred_sum, true_sum))

    precision = _prf_divide(tp_sum, pred_sum, "precision", "predicted", average, warn_for, zero_division)
    recall = _prf_divide(tp_sum, true_sum, "recall", "true", average, warn_for, zero_division)
    if math.isinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        beta2 = beta**2
        denominator = beta2 * true_sum.astype(np.float64) + pred_sum.astype(np.float64)
        f_score = _prf_divide(
            (1 + beta2) * tp_sum.astype(np.float64),
            denominator,
            "f-score",
            "true nor predicted",
            average,
            warn_for,
            zero_division,
        )
    if average is None:
        return precision, recall, f_score, true_sum
    weights = {"weighted": true_sum, "samples": sample_weight}.get(average)
    return _nanaverage(precision, weights), _nanaverage(recall, weights), _nanaverage(f_score, weights), None


def _one_score(which, warn_for, y_true, y_pred, **kwargs):
    return precision_recall_fscore_support(y_true, y_pred, warn_for=warn_for, **kwargs)[which]


def precision_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """Precision tp / (tp + fp): of the samples predicted positive, the fraction that are."""
    return _one_score(
        0,
        ("precision",),
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def recall_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """Recall tp / (tp + fn): of the truly positive samples, the fraction found."""
    return _one_score(
        1,
        ("recall",),
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def fbeta_score(
    y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """F-beta (1 + β²) tp / ((1 + β²) tp + β² fn + fp): recall counted β times as important as precision."""
    return _one_score(
        2,
        ("f-score",),
        y_true,
        y_pred,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"):
    """F1 = 2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall (F-beta with β = 1)."""
    return fbeta_score(
        y_true,
        y_pred,
        beta=1,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def classification_report(
    y_true,
    y_pred,
    *,
    labels=None,
    target_names=None,
    sample_weight=None,
    digits=2,
    output_dict=False,
    zero_division="warn",
):
    """A text table (or, with ``output_dict=True``, a dict) of precision, recall, F1 and support per label,
    followed by the accuracy and the macro and weighted averages, laid out as scikit-learn lays it out.
    """
    y_type, present, y_true, y_pred, sample_weight = check_targets(y_true, y_pred, sample_weight)
    labels_given = labels is not None
    labels = backend.asnumpy(present) if labels is None else np.asarray(backend.asnumpy(as_array(labels)))
    micro_is_accuracy = y_type in ("binary", "multiclass") and (
        not labels_given or set(labels.tolist()) >= set(backend.asnumpy(present).tolist())
    )
    if target_names is not None and len(labels) != len(target_names):
        if not labels_given:
            raise ValueError(
                f"Number of classes, {len(labels)}, does not match size of target_names, {len(target_names)}. "
                "Try specifying the labels parameter"
            )
        warnings.warn(
            f"labels size, {len(labels)}, does not match size of target_names, {len(target_names)}", stacklevel=2
        )
    if target_names is None:
        target_names = [f"{label}" for label in labels.tolist()]

    common = dict(labels=labels, sample_weight=sample_weight, zero_division=zero_division)
    per_label = precision_recall_fscore_support(y_true, y_pred, average=None, **common)
    p, r, f1, support = (backend.asnumpy(values).tolist() for values in per_label)
    total_support = sum(support)
    headers = ["precision", "recall", "f1-score", "support"]
    averages = ("micro", "macro", "weighted") + (("samples",) if y_type == "multilabel-indicator" else ())
    summary = {}
    for kind in averages:
        heading = "accuracy" if kind == "micro" and micro_is_accuracy else f"{kind} avg"
        scores = precision_recall_fscore_support(y_true, y_pred, average=kind, **common)[:3]
        summary[heading] = [*scores, total_support]

    if output_dict:
        report = {name: dict(zip(headers, map(float, row))) for name, *row in zip(target_names, p, r, f1, support)}
        for heading, row in summary.items():
            report[heading] = row[0] if heading == "accuracy" else dict(zip(headers, map(float, row)))
        return report

    width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    text = ("{:>{width}s} " + " {:>9}" * len(headers)).format("", *headers, width=width) + "\n\n"
    for row in zip(target_names, p, r, f1, support):
        text += row_fmt.format(*row, width=width, digits=digits)
    text += "\n"
    for heading, row in summary.items():
        if heading == "accuracy":
            accuracy_fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            text += accuracy_fmt.format(heading, "", "", *row[2:], width=width, digits=digits)
        else:
            text += row_fmt.format(heading, *row, width=width, digits=digits)
    return text
