"""How good is a classifier? ROC and precision–recall curves, the confusion matrix, calibration.

Each picture answers a question a single number hides:

- ROC curve — at every threshold on the score, the true-positive rate against the
  false-positive rate; the area under it (AUC) is the chance that a random positive
  outranks a random negative. The diagonal is a classifier that guesses.
- Precision–recall curve — what fraction of flagged samples are positive
  (precision) as more of the positives are found (recall); more telling than ROC
  when positives are rare. Its summary is the average precision (AP).
- Confusion matrix — counts of (true class, predicted class): which classes are
  mistaken for which.
- Calibration curve — among samples given probability ≈ p, is the fraction
  positive ≈ p? A calibrated model's curve follows the diagonal.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.plot.axes import axes_or_new

__all__ = ["plot_calibration_curve", "plot_confusion_matrix", "plot_precision_recall_curve", "plot_roc_curve"]


def _diagonal(ax, label: str) -> None:
    """The dashed line y = x, drawn once however many curves share ``ax``."""
    if not any(line.get_label() == label for line in ax.get_lines()):
        ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label=label)


def plot_roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, label: str | None = None, ax=None):
    """The ROC curve of scores ``y_score`` for binary ``y_true``, its AUC in the legend.

    ``label`` names the curve (default "ROC"); call again with the same ``ax``
    to compare models on one plot.
    """
    from minml.metrics import auc, roc_curve

    fpr, tpr, _ = roc_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    area = auc(fpr, tpr)
    fpr, tpr = backend.asnumpy(fpr), backend.asnumpy(tpr)
    ax = axes_or_new(ax)
    ax.plot(fpr, tpr, label=f"{label or 'ROC'} (AUC = {area:.3f})")
    _diagonal(ax, "chance")
    ax.set(xlabel="false-positive rate", ylabel="true-positive rate", xlim=(-0.01, 1.01), ylim=(-0.01, 1.01))
    ax.set_aspect("equal")
    ax.legend(loc="lower right")
    return ax


def plot_precision_recall_curve(
    y_true, y_score, *, pos_label=None, sample_weight=None, label: str | None = None, ax=None
):
    """Precision against recall for every threshold on ``y_score``, the average precision in the legend.

    A dotted line marks the precision of flagging everything: the positive rate.
    """
    from minml.metrics import average_precision_score, precision_recall_curve

    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    ap = average_precision_score(y_true, y_score, pos_label=1 if pos_label is None else pos_label,
                                 sample_weight=sample_weight)
    ax = axes_or_new(ax)
    ax.plot(backend.asnumpy(recall), backend.asnumpy(precision), drawstyle="steps-post",
            label=f"{label or 'PR'} (AP = {ap:.3f})")
    positive_rate = backend.asnumpy(precision)[0]
    ax.axhline(positive_rate, linestyle=":", color="grey", linewidth=1, label=f"positive rate {positive_rate:.2f}")
    ax.set(xlabel="recall", ylabel="precision", xlim=(-0.01, 1.01), ylim=(-0.01, 1.01))
    ax.legend(loc="lower left")
    return ax


def plot_confusion_matrix(y_true, y_pred, *, labels=None, normalize: str | None = None, cmap="Blues", ax=None):
    """The confusion matrix as a heat map with each cell's count (or rate) written in it.

    Rows are the true classes, columns the predicted ones. ``normalize`` is None
    (counts), "true" (each row sums to 1: recall per class on the diagonal),
    "pred" (each column sums to 1: precision) or "all".
    """
    from minml.metrics import confusion_matrix

    matrix = backend.asnumpy(confusion_matrix(y_true, y_pred, labels=labels, normalize=normalize))
    names = labels if labels is not None else np.unique(np.concatenate([backend.asnumpy(y_true).ravel(),
                                                                        backend.asnumpy(y_pred).ravel()]))
    ax = axes_or_new(ax)
    image = ax.imshow(matrix, cmap=cmap)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    threshold = (matrix.max() + matrix.min()) / 2
    for (row, column), value in np.ndenumerate(matrix):
        text = f"{value:.2f}" if normalize else f"{int(value)}"
        ax.text(column, row, text, ha="center", va="center", color="white" if value > threshold else "black")
    ticks = np.arange(len(names))
    ax.set(xticks=ticks, yticks=ticks, xticklabels=[str(n) for n in names], yticklabels=[str(n) for n in names],
           xlabel="predicted class", ylabel="true class")
    return ax


def plot_calibration_curve(y_true, y_prob, *, n_bins: int = 10, strategy: str = "uniform", label=None, ax=None):
    """The fraction of positives against the mean predicted probability, bin by bin, with the diagonal."""
    from minml.metrics import calibration_curve

    fraction, mean_predicted = calibration_curve(y_true, y_prob, n_bins=n_bins, strategy=strategy)
    ax = axes_or_new(ax)
    ax.plot(backend.asnumpy(mean_predicted), backend.asnumpy(fraction), marker="o", label=label or "model")
    _diagonal(ax, "perfectly calibrated")
    ax.set(xlabel="mean predicted probability", ylabel="fraction of positives", xlim=(-0.01, 1.01),
           ylim=(-0.01, 1.01))
    ax.legend(loc="upper left")
    return ax
